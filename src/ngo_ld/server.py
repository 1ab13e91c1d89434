"""Run the application under a production WSGI server.

Why granian by default: measured on this machine (bench/, docs/performance.md), a Flask
"hello world" costs 0.23 ms of server CPU per request under granian against 0.63–0.72 ms
under gunicorn (sync or gthread), at three times the throughput — and the WSGI server's own
cost is most of what a cached ngo_ld answer costs. gunicorn stays available
(``--server gunicorn``): pre-fork with ``preload_app``, so its workers share one copy of a
large in-memory store.

Both: the data is loaded and validated once here before any worker starts (the verdict is
remembered per data version, so workers and restarts reuse it), SIGTERM stops gracefully,
and each worker's SPARQL query processes start with it (see ngo_ld.executor).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import os
import resource
import socket
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import ConfigError, InvalidData, NgoLdError, UpstreamError


def check_address_free(host: str, port: int) -> None:
    """Fail early, in one line, when the address is taken (the servers would retry and
    print a screenful of errors).

    :raises ConfigError: another program listens there, or the host is unknown.
    """
    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConfigError(f"cannot listen on {host}: {exc.strerror}",
                          hint="give an IP address or a resolvable name with --host") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}",
                              hint="another program uses that address; choose another "
                              "port with --port") from None


def run_server(settings: Settings) -> None:
    """Load and validate the data, then serve until SIGTERM or SIGINT.

    :raises InvalidData: the data does not conform to the shapes.
    :raises LoadError: a source file does not parse.
    :raises ConfigError: the address is taken, or the server name is unknown.
    :raises UpstreamError: the store is remote and its endpoint cannot be reached.
    """
    if settings.server not in ("granian", "gunicorn"):
        raise ConfigError(f"unknown WSGI server {settings.server!r}",
                          hint="use --server granian or --server gunicorn")
    check_address_free(settings.host, settings.port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    if settings.store == "remote":
        # Once, here: an unreachable endpoint is one error and exit 2, not workers that
        # each fail and are restarted forever.
        from .remote import check_remote

        warning = check_remote(settings)
        if warning:
            logging.warning(warning)
    settings = settings.but(access_log=True)
    if settings.server == "gunicorn":
        from .web.app import create_app

        app = create_app(settings)  # validates, then loads the store the workers inherit
        len(app.extensions["ngo_ld"].store)  # counted once, before the fork
        freeze_heap()
        _run_gunicorn(app, settings)
        return
    # granian's workers start afresh and load the store themselves: here only validate
    # (remembered per data version, so the workers find the verdict) — no store is held.
    if settings.validate_on_start:
        validate_in_child(settings)
    _run_granian(settings)


def validate_in_child(settings: Settings) -> None:
    """Validate (remembered per data version) in a short-lived child process.

    Why a child: granian's main process lives as long as the server but serves nothing;
    run here, validation would keep rdflib and pySHACL in its memory for good (about 20 MB
    of the whole server's ~150 MB budget).

    :raises InvalidData: the data does not conform (the report comes along as text).
    :raises LoadError: a file does not parse (its message, as in the child).
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: validate, say what came of it, exit
        os.close(read_end)
        status, text = 0, ""
        try:
            from .validation import validate_sources

            outcome = validate_sources(settings, remember=True)
            if not outcome.conforms:
                status, text = 1, f"{len(outcome.violations)}\n{outcome.to_text()}"
        except NgoLdError as exc:
            status, text = 2, str(exc)
        except BaseException as exc:  # report anything, never hang the parent
            status, text = 3, f"validation failed: {type(exc).__name__}: {exc}"
        with os.fdopen(write_end, "wb") as out:
            out.write(text.encode("utf-8"))
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as incoming:
        text = incoming.read().decode("utf-8", "replace")
    _, wait_status = os.waitpid(pid, 0)
    status = os.waitstatus_to_exitcode(wait_status)
    if status == 1:
        count, _, report = text.partition("\n")
        raise InvalidData(report, int(count))
    if status != 0:
        raise ConfigError(text or f"validation stopped with status {status}")


# --- granian ------------------------------------------------------------------------------


def settings_to_env(settings: Settings) -> dict[str, str]:
    """The settings as ``NGO_LD_*`` variables, for worker processes that start afresh."""
    env = {}
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        if value is None:
            continue
        env[f"NGO_LD_{field.name.upper()}"] = (
            ("true" if value else "false") if isinstance(value, bool) else str(value)
        )
    return env


def worker_app() -> Any:
    """The application of one granian worker (``ngo_ld.server:worker_app``, a factory)."""
    from .web.app import create_app
    from .web.sparql import warm_up

    app = create_app(Settings.from_env())
    with contextlib.suppress(UpstreamError):  # a remote engine down now: /healthz says so
        len(app.extensions["ngo_ld"].store)
    freeze_heap()
    warm_up(app)  # fork the query processes now, before the worker serves requests
    return app


def freeze_heap() -> None:
    """Move everything built at start-up out of the garbage collector's sight.

    Why: a worker starts with ~40,000 tracked objects (Flask, Jinja, pyoxigraph wrappers,
    the vocabulary), which a full collection walks for ~10–15 ms; those pauses land on
    whichever requests are in flight and make the p99. Frozen
    before the query processes are forked, the objects' pages also stay shared with them
    (a collection would write to every object's header).
    """
    gc.collect()
    gc.freeze()


def raise_open_files_limit(wanted: int) -> int:
    """Raise this process's soft limit on open files towards ``wanted`` (never above the
    hard limit); the limit now in force. Why: every connection is a file, and at the
    usual soft limit of 1,024 a few hundred idle clients would starve everyone else."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            return target
        except (ValueError, OSError):
            return soft
    return soft


def granian_options(settings: Settings) -> dict[str, Any]:
    """granian's settings for ``settings`` (each derived here only).

    Slow and idle clients: a connection has ``header_read_timeout`` seconds to send its
    headers, and a worker serves up to ``max_connections`` at once, so thousands of
    half-open connections from one address neither fill the worker nor make others wait
    (measured: with granian's defaults, 3,000 of them made a visitor time out at 30 s).
    Threads: one per query slot plus ``threads`` (``Settings.server_threads``), so a
    running query never holds a thread that documents need.
    """
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    return {
        "address": settings.host,
        "port": settings.port,
        "interface": Interfaces.WSGI,
        "factory": True,
        "workers": settings.workers,
        "blocking_threads": settings.server_threads,
        "backlog": 2048,
        "backpressure": settings.max_connections,
        "http1_settings": HTTP1Settings(
            header_read_timeout=int(settings.header_read_timeout * 1000), keep_alive=True),
        "log_access": False,  # ngo_ld's front door writes one line per request, cheaper
        "respawn_failed_workers": True,
        "workers_kill_timeout": settings.worker_grace,
        "working_dir": Path.cwd(),
    }


#: granian's allocator (jemalloc) keeps freed pages for 10 s by default and returns them
#: only while it is busy (its background thread does not survive the fork into the
#: worker). After a burst of connections the worker then kept ~30 MB it no longer used,
#: and a query process forked meanwhile carried them too. Returned at once instead; the
#: CPU per request did not measurably change (docs/architecture.md).
JEMALLOC_CONF = "dirty_decay_ms:0,muzzy_decay_ms:0"


class ThreadWarningFilter(logging.Filter):
    """Drops granian's start-up warning that the worker "allows spawning up to N Python
    threads… consider backpressure", where it does not apply.

    granian warns when a WSGI worker has more than 2 × cores + 1 threads, fearing that
    they all contend for the interpreter. Here ``query_workers`` of them only wait on a
    pipe for a query process (no Python runs, the lock is released) — they exist so that a
    running query never takes a thread a document needs — and only ``threads`` run Python.
    So the warning is dropped while ``threads`` is within granian's own guideline, and
    kept when ``threads`` alone exceeds it. Its remedy, ``backpressure``, would not do here
    either: granian counts connections against it, so lowering it lets half-open
    connections lock everyone out (see :func:`granian_options`).
    """

    PREFIX = "Configuration allows spawning up to"

    def __init__(self, settings: Settings, cores: int | None = None) -> None:
        super().__init__()
        cores = cores if cores is not None else (os.cpu_count() or 1)
        self.applies = settings.threads > cores * 2 + 1

    def filter(self, record: logging.LogRecord) -> bool:
        return self.applies or not record.getMessage().startswith(self.PREFIX)


def _run_granian(settings: Settings) -> None:
    # Read by jemalloc when it starts, so set before granian's first allocation.
    os.environ.setdefault("_RJEM_MALLOC_CONF", JEMALLOC_CONF)
    from granian import Granian

    os.environ.update(settings_to_env(settings))
    if settings.cache_dir is None:  # workers must find the remembered validation verdict
        os.environ["NGO_LD_VALIDATE_ON_START"] = "false"
    raise_open_files_limit(settings.max_connections * settings.workers + 256)
    server = Granian("ngo_ld.server:worker_app", **granian_options(settings))
    # After granian has set up its logging (in its constructor), before it warns (serve).
    logging.getLogger("_granian").addFilter(ThreadWarningFilter(settings))
    server.serve()


# --- gunicorn -----------------------------------------------------------------------------


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "threads": settings.server_threads,
        "worker_class": "gthread" if settings.server_threads > 1 else "sync",
        "preload_app": True,
        "accesslog": None,  # ngo_ld's front door writes one line per request
        "errorlog": "-",
        "loglevel": "info",
        "graceful_timeout": 5,
        "timeout": settings.worker_grace,
        "limit_request_line": 8190,
        "proc_name": "ngo-ld",
        # gunicorn 27's control socket is one path per user: two servers would share it.
        "control_socket_disable": True,
    }


def run_gunicorn(app: Any, options: dict[str, Any]) -> None:
    """Serve the WSGI ``app`` under gunicorn with ``options`` (gunicorn setting names)."""
    from gunicorn.app.base import BaseApplication

    class _Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    _Gunicorn().run()


def _run_gunicorn(app: Any, settings: Settings) -> None:
    def post_fork(server: Any, worker: Any) -> None:
        from .web.sparql import warm_up

        warm_up(app)

    def worker_exit(server: Any, worker: Any) -> None:
        from .web.sparql import shut_down

        shut_down(app)

    run_gunicorn(app, {**gunicorn_options(settings), "post_fork": post_fork,
                       "worker_exit": worker_exit})
