"""Run the application under gunicorn, a production WSGI server.

Why gunicorn: pre-fork workers isolate crashes (a worker that dies is replaced by the
arbiter), ``preload_app`` loads and validates the data once in the master so workers fork
with the store already in memory, and SIGTERM means a graceful stop. (granian is measured
against it in bench/; see docs/performance.md.)
"""

from __future__ import annotations

import logging
import socket
from typing import Any

from gunicorn.app.base import BaseApplication

from .config import Settings
from .errors import ConfigError


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Any, options: dict[str, Any]) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._app


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "threads": settings.threads,
        "worker_class": "gthread" if settings.threads > 1 else "sync",
        "preload_app": True,
        "accesslog": "-",
        # One line per request: method, path, status, duration in ms.
        "access_log_format": '%(h)s "%(r)s" %(s)s %(B)s %(M)sms',
        "errorlog": "-",
        "loglevel": "info",
        "graceful_timeout": 5,
        "timeout": max(30, int(settings.query_timeout * 3)),
        "limit_request_line": 8190,
        "proc_name": "ngo-ld",
        # gunicorn 27's control socket is one path per user: two servers would share it.
        "control_socket_disable": True,
    }


def check_address_free(host: str, port: int) -> None:
    """Fail early, in one line, when the address is taken (gunicorn would retry for 5 s
    and print a screenful of errors).

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
    :raises ConfigError: the address is taken.
    """
    from .web.app import create_app

    check_address_free(settings.host, settings.port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    app = create_app(settings)
    # Count the triples once here, before the fork: the workers inherit the number. Counted
    # in each worker on its first /healthz instead, it took 2.6–10 s and ~400 MB per worker
    # at 10^6 triples (issue 5, docs/performance.md).
    len(app.extensions["ngo_ld"].store)
    options = gunicorn_options(settings)
    options.update(_query_process_hooks(app))
    _Gunicorn(app, options).run()


def _query_process_hooks(app: Any) -> dict[str, Any]:
    """Start each worker's SPARQL query processes right after the fork (while the worker
    is single-threaded) and stop them when it exits (see ngo_ld.executor)."""

    def post_fork(server: Any, worker: Any) -> None:
        from .web.sparql import warm_up

        warm_up(app)

    def worker_exit(server: Any, worker: Any) -> None:
        from .web.sparql import shut_down

        shut_down(app)

    return {"post_fork": post_fork, "worker_exit": worker_exit}
