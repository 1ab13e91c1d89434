"""Run endpoint queries in isolated worker processes, with a hard time limit.

pyoxigraph cannot be interrupted: a cartesian product runs to completion whatever thread
waits for it. So the endpoint's queries run in a small pool of child processes forked from
the process that holds the store (the in-memory store is shared copy-on-write). Each child
loops: receive a job, run it, serialize the answer to bytes, send the bytes back. The parent
waits at most ``Settings.query_timeout``; a child that overruns is killed (by PID) and a
fresh one takes its place, a child that crashes (say, a stack overflow in the engine) is
reaped and replaced too, and the server keeps serving throughout.

Design notes (measured in tests/test_sparql_executor.py and docs/sparql.md):

* IPC is one ``multiprocessing.connection`` message each way over a socketpair: the job as
  a ``marshal``-encoded tuple, and the answer as a small ``marshal``-encoded header followed
  by the raw body bytes (:func:`_reply`), never a pickled object graph.
* Results are serialized in the child by pyoxigraph (Rust) for SPARQL results and by
  :func:`ngo_ld.render.serialize_triples` for graphs, so the parent only moves bytes.
* Children are forked lazily on first use in each process (and, under gunicorn, warmed in
  the ``post_fork`` hook, while the worker is still single-threaded); a pool object
  inherited over a fork (gunicorn's preload) notices the PID change and starts afresh.
* A child closes the sockets it inherited (listening socket, client connections, the other
  children's pipes), so it never holds a client connection open or keeps a sibling alive;
  it exits on EOF from its parent, and a watchdog thread ends it if the parent disappears.
* Stores that bound time themselves (the remote backend, via its HTTP timeout) say
  ``isolated_execution = False`` and run in-process.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import marshal
import math
import os
import resource
import select
import signal
import stat
import threading
import time
import warnings
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection, Pipe
from typing import Any

import pyoxigraph as ox

from .config import query_hard_limit
from .errors import QueryCrashed, QueryTimeout, UpstreamError
from .formats import by_token, count_rows
from .projection import ordered_projection
from .render import serialize_triples
from .store import GraphStore


@dataclass(frozen=True)
class Job:
    """One query to run, in the form the child needs (plain strings, cheap to marshal)."""

    text: str  # the text to run (see sparql.PreparedQuery.run_text)
    original: str  # the query as the client sent it (for error messages)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    results_format: str | None = "json"  # token of a SPARQL results format
    graph_format: str | None = "turtle"  # token of an RDF format
    max_rows: int = 10_000
    count_rows: bool = False
    truncated_text: str | None = None
    max_bytes: int = 32 * 1024 * 1024  # of the serialized answer (Settings.max_answer_bytes)

    def encode(self) -> bytes:
        return marshal.dumps((self.text, self.original, self.default_graphs, self.named_graphs,
                              self.results_format, self.graph_format, self.max_rows,
                              self.count_rows, self.truncated_text, self.max_bytes))

    @classmethod
    def decode(cls, data: bytes) -> Job:
        return cls(*marshal.loads(data))


@dataclass(frozen=True)
class Outcome:
    """What a job produced: a body in a format, or an error to report."""

    status: str  # "ok", "syntax", "not-acceptable", "too-large", "error"
    body: bytes = b""
    format: str | None = None  # token of the format of body
    kind: str | None = None  # "results" or "graph"
    truncated: bool = False
    rows: int | None = None
    message: str = ""


# --- running one job (in a child, or in-process) -------------------------------------------


def execute(store: GraphStore, job: Job) -> Outcome:
    """Run ``job`` against ``store`` and serialize its answer. Raises only
    :class:`~ngo_ld.errors.UpstreamError`, a remote store's engine failing (the query may
    be fine: the client is told 502/503, not 400); remote stores run in-process."""
    try:
        outcome = _execute(store, job)
        if len(outcome.body) > job.max_bytes:
            # Said here, where the answer was made: the worker never receives (or holds)
            # more than it allows (see Executor.run's maxlength).
            return Outcome("too-large", message=f"the answer is {len(outcome.body):,} bytes "
                           f"long; the limit is {job.max_bytes:,}")
        return outcome
    except UpstreamError:
        raise
    except OSError:
        # pyoxigraph raises OSError when a query reaches for another host (SERVICE): the
        # guards refuse that before it runs and the query process has no network, but
        # whatever came back must not be echoed to the client.
        return Outcome("error", message="the query engine could not complete the query "
                       "(queries may not reach other hosts or files)")
    except Exception as exc:  # report it; a child must keep serving
        return Outcome("error", message=f"{type(exc).__name__}: {exc}")


def _run(store: GraphStore, text: str, job: Job) -> Any:
    answer = store.query(text, default_graphs=job.default_graphs,
                         named_graphs=job.named_graphs)
    if isinstance(answer, ox.QuerySolutions):
        # SELECT *: the columns in the order of the query (the engine's own set of them).
        ordered = ordered_projection(text, [v.value for v in answer.variables])
        if ordered is not None:
            answer = store.query(ordered, default_graphs=job.default_graphs,
                                 named_graphs=job.named_graphs)
    return answer


def _execute(store: GraphStore, job: Job) -> Outcome:
    text, count = job.text, job.count_rows
    try:
        answer = _run(store, text, job)
    except SyntaxError as exc:
        if text == job.original:
            return Outcome("syntax", message=str(exc))
        # The LIMIT we added should never break a query; if it did, run the original.
        try:
            answer = _run(store, job.original, job)
        except SyntaxError as original_exc:
            return Outcome("syntax", message=str(original_exc))
        text, count = job.original, True
    if isinstance(answer, ox.QueryTriples):
        fmt = by_token(job.graph_format or "")
        if fmt is None:
            return Outcome("not-acceptable", kind="graph")
        triples = list(islice(answer, job.max_rows + 1))
        truncated = len(triples) > job.max_rows
        del triples[job.max_rows:]
        return Outcome("ok", serialize_triples(triples, fmt), fmt.token, "graph", truncated,
                       len(triples))
    fmt = by_token(job.results_format or "")
    if fmt is None or fmt.oxigraph_name is None:
        return Outcome("not-acceptable", kind="results")
    results_format = getattr(ox.QueryResultsFormat, fmt.oxigraph_name)
    body = answer.serialize(format=results_format)
    if isinstance(answer, ox.QueryBoolean) or not count:
        return Outcome("ok", body, fmt.token, "results")
    if len(body) < (job.max_rows + 1) * fmt.min_row_bytes:
        return Outcome("ok", body, fmt.token, "results")  # too short to hold max_rows + 1
    rows = count_rows(body, fmt)
    if rows <= job.max_rows:
        return Outcome("ok", body, fmt.token, "results", False, rows)
    if job.truncated_text is None or text != job.text:
        return Outcome("too-large", message=f"the result has more than {job.max_rows:,} rows")
    answer = _run(store, job.truncated_text, job)
    body = answer.serialize(format=results_format)
    return Outcome("ok", body, fmt.token, "results", True, job.max_rows)


# --- the pool --------------------------------------------------------------------------------


@dataclass
class _Worker:
    pid: int
    conn: Connection
    jobs: int = 0
    _poller: select.poll | None = None

    def readable(self, timeout: float) -> bool:
        """Whether the answer (or EOF) is there within ``timeout`` seconds. One ``poll``
        object per child, made once: ``Connection.poll`` builds a selector per call."""
        if self._poller is None:
            self._poller = select.poll()
            self._poller.register(self.conn.fileno(), select.POLLIN)
        return bool(self._poller.poll(max(0, math.ceil(timeout * 1000))))


class Executor:
    """A pool of query processes for one store (or in-process execution, see module doc)."""

    def __init__(self, store: GraphStore, *, size: int = 2, timeout: float = 10.0,
                 isolated: bool | None = None, memory_mb: int = 1024,
                 hard_limit: float | None = None, niceness: int = 0) -> None:
        self.store = store
        self.size = max(1, size)
        self.timeout = timeout
        #: When a child ends itself, should its parent fail to kill it (see _child_main).
        self.hard_limit = query_hard_limit(timeout) if hard_limit is None else hard_limit
        self.niceness = niceness
        self.memory_mb = memory_mb
        self.isolated = (getattr(store, "isolated_execution", True) if isolated is None
                         else isolated)
        self._lock = threading.Condition()
        self._pid = os.getpid()
        self._idle: list[_Worker] = []
        self._busy: dict[int, _Worker] = {}
        self.stats = {"spawned": 0, "killed": 0, "crashed": 0, "jobs": 0}
        atexit.register(_close_if_alive, weakref.ref(self))

    # Life cycle --------------------------------------------------------------------------

    def start(self) -> None:
        """Fork the whole pool now (gunicorn's post_fork: the worker is single-threaded)."""
        if not self.isolated:
            return
        with self._lock:
            self._check_pid()
            while len(self._idle) + len(self._busy) < self.size:
                self._idle.append(self._spawn())

    def close(self) -> None:
        """Stop every child of this process (by PID) and reap it."""
        with self._lock:
            if self._pid != os.getpid():
                self._idle, self._busy = [], {}
                return
            workers = self._idle + list(self._busy.values())
            self._idle, self._busy = [], {}
        for worker in workers:
            self._kill(worker)

    def pids(self) -> list[int]:
        with self._lock:
            if self._pid != os.getpid():
                return []
            return [w.pid for w in self._idle] + list(self._busy)

    def _check_pid(self) -> None:
        # A pool inherited over fork belongs to the parent: forget it, never touch it.
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self._idle, self._busy = [], {}
            self._lock = threading.Condition()

    # Running -----------------------------------------------------------------------------

    def run(self, job: Job) -> Outcome:
        """Run ``job`` within the time limit.

        :raises QueryTimeout: the query (or the wait for a free worker) took too long.
        :raises QueryCrashed: the query process died.
        """
        if not self.isolated:
            return execute(self.store, job)
        deadline = time.monotonic() + self.timeout
        worker = self._checkout(deadline)
        try:
            worker.conn.send_bytes(job.encode())
            if not worker.readable(max(0.0, deadline - time.monotonic())):
                self._discard(worker, kill=True)
                self.stats["killed"] += 1
                raise QueryTimeout(
                    f"query stopped after {self.timeout:g} s; simplify it or add LIMIT",
                    retry_after=math.ceil(self.timeout),
                    hint="the endpoint stops queries that run longer than "
                    f"{self.timeout:g} seconds (see /sparql's service description)",
                )
            # A child never sends more than the job allows (see execute); one that does is
            # treated as broken, and the worker never holds the excess.
            header, body = _split_reply(worker.conn.recv_bytes(job.max_bytes + _HEADER_ROOM))
        except (EOFError, OSError, ValueError) as exc:
            how = self._discard(worker, kill=False)
            self.stats["crashed"] += 1
            raise QueryCrashed(
                f"the query engine crashed while running this query ({how}); "
                "the server is still up",
                hint="simplify the query; if it is valid SPARQL, please report it",
            ) from exc
        worker.jobs += 1
        if time.monotonic() - (deadline - self.timeout) > _SLOW_JOB and _grew(worker.pid):
            # A big query leaves its memory with the process (the allocator keeps it):
            # replace the process rather than keep it (the memory budget holds at 10^6 triples).
            self._discard(worker, kill=True)
            self.stats["recycled"] = self.stats.get("recycled", 0) + 1
        else:
            self._checkin(worker)
        self.stats["jobs"] += 1
        status, fmt, kind, truncated, rows, message = header
        return Outcome(status, body, fmt, kind, truncated, rows, message)

    def _checkout(self, deadline: float) -> _Worker:
        with self._lock:
            self._check_pid()
            while True:
                if self._idle:
                    worker = self._idle.pop()
                    break
                if len(self._busy) < self.size:
                    worker = self._spawn()
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._lock.wait(remaining):
                    raise QueryTimeout(
                        f"all {self.size} query workers stayed busy for {self.timeout:g} s",
                        retry_after=math.ceil(self.timeout),
                        hint="try again in a moment",
                    )
            self._busy[worker.pid] = worker
            return worker

    def _checkin(self, worker: _Worker) -> None:
        with self._lock:
            if self._busy.pop(worker.pid, None) is not None:
                self._idle.append(worker)
                self._lock.notify()

    def _discard(self, worker: _Worker, *, kill: bool) -> str:
        """Stop (or reap) a child that overran or died, and start a fresh one."""
        with self._lock:
            self._busy.pop(worker.pid, None)
        how = self._kill(worker, kill=kill)
        with self._lock:
            if self._pid == os.getpid() and len(self._idle) + len(self._busy) < self.size:
                self._idle.append(self._spawn())
            self._lock.notify()
        return how

    @staticmethod
    def _kill(worker: _Worker, *, kill: bool = True) -> str:
        with contextlib.suppress(OSError):
            worker.conn.close()
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        try:
            _, status = os.waitpid(worker.pid, 0)
        except ChildProcessError:
            return "process gone"
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            return f"killed by signal {number} ({signal.Signals(number).name})"
        return f"exit status {os.WEXITSTATUS(status)}"

    def _spawn(self) -> _Worker:
        release_free_memory()  # what the worker freed is not handed on to the child
        parent_end, child_end = Pipe(duplex=True)
        keep = child_end.fileno()
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork() in a multi-threaded process; the child only
            # runs this module's loop and pyoxigraph, never touching locks of other threads.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the child
            code = 0
            try:
                _child_main(child_end, keep, self.store, self._pid, self.hard_limit,
                            self.memory_mb, self.niceness)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        child_end.close()
        self.stats["spawned"] += 1
        return _Worker(pid, parent_end)


def _close_if_alive(ref: weakref.ref[Executor]) -> None:
    executor = ref()
    if executor is not None:
        executor.close()


# --- the child -------------------------------------------------------------------------------


def _child_main(conn: Connection, keep: int, store: GraphStore, parent: int,
                hard_limit: float, memory_mb: int = 1024, niceness: int = 0) -> None:
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2,
                signal.SIGCHLD, signal.SIGWINCH, signal.SIGABRT):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server; EOF ends us
    _close_inherited_sockets(keep)
    isolate_from_network()
    _limit_memory(memory_mb)
    if niceness:
        # Scheduled below the worker: its threads (documents, pages, remembered answers)
        # get the CPU first, and runaway queries only what is left.
        with contextlib.suppress(OSError):
            os.nice(niceness)
    busy_since: list[float | None] = [None]

    def watchdog() -> None:
        # The parent kills an overrunning child; this covers a parent that died first.
        while True:
            time.sleep(0.5)
            started = busy_since[0]
            if os.getppid() != parent or (started and time.monotonic() - started > hard_limit):
                os._exit(3)

    threading.Thread(target=watchdog, name="ngo-ld-query-watchdog", daemon=True).start()
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        busy_since[0] = time.monotonic()
        try:
            outcome = execute(store, Job.decode(data))
        except Exception as exc:
            outcome = Outcome("error", message=f"{type(exc).__name__}: {exc}")
        busy_since[0] = None
        try:
            conn.send_bytes(_reply(outcome))
        except OSError:
            return


#: Characters of an error message sent back (an engine message may quote the query).
_MAX_MESSAGE = 16_000
#: Bytes allowed in a reply beyond the body: the marshalled header and its message.
_HEADER_ROOM = 4 * _MAX_MESSAGE + 1024
#: Only after a job this slow (seconds) is the process' own memory looked at.
_SLOW_JOB = 0.05
#: Private memory (MiB) above which a query process is replaced after its job.
RECYCLE_PRIVATE_MB = 48


def _grew(pid: int) -> bool:
    """Whether a query process holds more private memory than :data:`RECYCLE_PRIVATE_MB`
    (its pages shared copy-on-write with the worker do not count)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            private = sum(int(line.split()[1]) for line in rollup
                          if line.startswith(("Private_Clean:", "Private_Dirty:")))
    except (OSError, ValueError, IndexError):
        return False
    return private > RECYCLE_PRIVATE_MB * 1024


_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def isolate_from_network() -> bool:
    """Put this process in a network namespace of its own, with no interface but a
    loopback that is down: SERVICE, or anything in the engine, can reach no host. The
    lexical guards (ngo_ld.sparql) refuse SERVICE before a query runs; this holds even if
    a query slips past them. Needs root or unprivileged user namespaces; returns whether
    it worked (the guards remain either way).
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(_CLONE_NEWNET) == 0:
            return True
        return bool(libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0)
    except (OSError, AttributeError):
        return False


def release_free_memory() -> None:
    """Give the memory the C allocator holds free back to the system (glibc
    ``malloc_trim``). Why: after a burst (thousands of connections, a large answer) the
    worker keeps the freed pages, and a query process forked then would carry them too;
    measured, the process tree grew by tens of MB after 3,000 idle connections."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _limit_memory(memory_mb: int) -> None:
    """Let this query process grow by ``memory_mb`` at most (RLIMIT_AS over its size at
    fork); past that, allocation fails, the process dies and the parent replaces it."""
    if memory_mb <= 0:
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * resource.getpagesize()
        limit = current + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):
        pass  # no /proc or no permission: the time limit still bounds the query


def _reply(outcome: Outcome) -> bytes:
    """One message per answer (one write and one read each way): the length of a small
    ``marshal``-encoded header, the header, then the body's raw bytes."""
    header = marshal.dumps((outcome.status, outcome.format, outcome.kind, outcome.truncated,
                            outcome.rows, outcome.message[:_MAX_MESSAGE]))
    return len(header).to_bytes(4, "big") + header + outcome.body


def _split_reply(data: bytes) -> tuple[tuple[Any, ...], bytes]:
    size = int.from_bytes(data[:4], "big")
    return marshal.loads(data[4:4 + size]), data[4 + size:]


def _close_inherited_sockets(keep: int) -> None:
    """Close every socket but ``keep`` (files, e.g. an on-disk store's, stay open)."""
    try:
        fds: Sequence[int] = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = range(3, 1024)
    for fd in fds:
        if fd <= 2 or fd == keep:
            continue
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.close(fd)
        except OSError:
            continue


__all__ = ["Executor", "Job", "Outcome", "QueryCrashed", "execute"]
