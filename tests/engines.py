"""SPARQL engines for the remote-store tests and the benchmark, started on free loopback
ports in a private folder, loaded with ``ngo-ld load-remote``, stopped by PID.

* :func:`start_oxigraph`: Oxigraph's server (PyPI ``oxigraph``); loaded through the Graph
  Store Protocol of ``oxigraph serve``, then served by ``oxigraph serve-read-only``.
* :func:`start_virtuoso`: Virtuoso (Debian ``virtuoso-opensource``, ``virtuoso-t``) with its
  own ``virtuoso.ini`` and database folder; its SQL port and HTTP port both on 127.0.0.1,
  ``DirsAllowed`` only the load folder; loaded through ``isql-vt``'s bulk loader.
* :class:`StubEndpoint`: a tiny loopback HTTP server that answers every request with one
  fixed status, headers and body (an endpoint answering 503, a Virtuoso partial answer…).

Reusable by any module (tests/ is on ``sys.path``; bench/ adds it)::

    from engines import start_virtuoso
    engine = start_virtuoso(tmp_path, home)  # engine.query_url; engine.stop()
"""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_cli() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def virtuoso_cli() -> str | None:
    return shutil.which("virtuoso-t")


def ngo_ld_cli() -> list[str]:
    script = Path(sys.executable).with_name("ngo-ld")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "ngo_ld"]


def load_remote(home: Path, *args: str) -> str:
    """Run ``ngo-ld load-remote`` (the command a deployer runs); its message.

    :raises RuntimeError: it failed (with what it printed).
    """
    done = subprocess.run([*ngo_ld_cli(), "--home", str(home), "load-remote", *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"ngo-ld load-remote failed ({done.returncode}): {done.stderr}")
    return done.stderr.strip()


def _die_with_parent() -> None:
    """In the engine's process, before it starts: Linux stops it (SIGTERM) when the process
    that started it dies, so a test run killed before its teardown leaves no engine behind."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: teardown alone stops it


@dataclass
class Engine:
    """A running engine: its SPARQL query URL and process."""

    name: str
    query_url: str
    command: list[str]
    folder: Path
    wait_url: str
    process: subprocess.Popen[bytes] | None = None
    loaded: str = ""
    extra_pids: list[int] = field(default_factory=list)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 120.0) -> None:
        log = open(self.folder / f"{self.name}.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, cwd=self.folder,
                                        preexec_fn=_die_with_parent)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n"
                                   + self.log()[-2000:])
            try:
                urllib.request.urlopen(self.wait_url, timeout=2).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout:g} s:\n"
                           + self.log()[-2000:])

    def log(self) -> str:
        try:
            return (self.folder / f"{self.name}.log").read_text(errors="replace")
        except OSError:
            return ""

    def freeze(self, timeout: float = 5.0) -> None:
        """SIGSTOP: the port still accepts connections, nothing answers. Returns once every
        thread is stopped (a busy thread stops only when next scheduled)."""
        os.kill(self.pid, signal.SIGSTOP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self._all_threads_stopped():
            time.sleep(0.01)

    def _all_threads_stopped(self) -> bool:
        try:
            tasks = list(Path(f"/proc/{self.pid}/task").iterdir())
            states = [(t / "stat").read_text().rsplit(")", 1)[1].split()[0] for t in tasks]
        except OSError:
            return True  # no /proc: trust the signal
        return all(state in ("T", "t") for state in states)

    def thaw(self) -> None:
        os.kill(self.pid, signal.SIGCONT)

    def stop(self, timeout: float = 20.0) -> None:
        """SIGCONT (a frozen engine cannot stop), SIGTERM, wait; SIGKILL as a last resort."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.kill(process.pid, signal.SIGCONT)
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)


def start_oxigraph(folder: Path, home: Path, *, timeout_s: int = 20) -> Engine:
    """Oxigraph's server on a free port, loaded with ``ngo-ld load-remote --graph-store``.

    :raises RuntimeError: the ``oxigraph`` command is missing, or the server failed.
    """
    cli = oxigraph_cli()
    if cli is None:
        raise RuntimeError("the `oxigraph` command (PyPI package oxigraph) is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    location = folder / "store"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    loader = Engine("oxigraph-load", f"{base}/query",
                    [cli, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                    folder, f"{base}/query?query=ASK%7B%7D")
    loader.start()
    try:
        loaded = load_remote(home, "--graph-store", f"{base}/store")
    finally:
        loader.stop()
    engine = Engine("oxigraph", f"{base}/query",
                    [cli, "serve-read-only", "--location", str(location), "--bind",
                     f"127.0.0.1:{port}", "--timeout-s", str(timeout_s)],
                    folder, f"{base}/query?query=ASK%7B%7D", loaded=loaded)
    engine.start()
    return engine


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {load}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 10
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = {timeout_s}
MaxQueryCostEstimationTime = 400
"""


def start_virtuoso(folder: Path, home: Path, *, timeout_s: int = 20) -> Engine:
    """Virtuoso on free loopback ports with a private ``virtuoso.ini`` and database in
    ``folder``, loaded with ``ngo-ld load-remote --virtuoso``.

    :raises RuntimeError: ``virtuoso-t`` is missing, or the server failed.
    """
    cli = virtuoso_cli()
    if cli is None:
        raise RuntimeError("virtuoso-t (Debian package virtuoso-opensource) is not installed")
    db, load = folder / "db", folder / "load"
    db.mkdir(parents=True, exist_ok=True)
    load.mkdir(exist_ok=True)
    sql_port = http_port = free_port()
    while http_port == sql_port:  # two calls may hand out the same free port
        http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=db, load=load, sql_port=sql_port,
                                       http_port=http_port, timeout_s=timeout_s))
    base = f"http://127.0.0.1:{http_port}"
    engine = Engine("virtuoso", f"{base}/sparql", [cli, "-f", "-c", str(ini)], folder,
                    f"{base}/sparql?query=ASK%7B%7D")
    engine.start()
    try:
        engine.loaded = load_remote(home, "--virtuoso", f"127.0.0.1:{sql_port}",
                                    "--load-dir", str(load))
    except BaseException:
        engine.stop()
        raise
    engine.sql_address = f"127.0.0.1:{sql_port}"  # type: ignore[attr-defined]
    return engine


class StubEndpoint:
    """A loopback HTTP server that answers every request alike: ``status``, ``headers``,
    ``body``. Counts the requests it gets."""

    def __init__(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None
                 ) -> None:
        self.requests = 0
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                stub.requests += 1
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
