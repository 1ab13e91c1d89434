"""Run the application under gunicorn, a production WSGI server.

Why gunicorn: pre-fork workers isolate crashes (a worker that dies is replaced by the
arbiter), ``preload_app`` loads and validates the data once in the master so workers fork
with the store already in memory, and SIGTERM means a graceful stop. (granian is measured
against it in bench/; see docs/performance.md.)
"""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.app.base import BaseApplication

from .config import Settings


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
    }


def run_server(settings: Settings) -> None:
    """Load and validate the data, then serve until SIGTERM or SIGINT.

    :raises InvalidData: the data does not conform to the shapes.
    :raises LoadError: a source file does not parse.
    """
    from .web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    app = create_app(settings)
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
