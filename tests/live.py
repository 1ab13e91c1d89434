"""Start a real ``ngo-ld serve`` process on a free loopback port, and stop it by PID.

Reusable by any test module (tests/ is on ``sys.path``)::

    from live import live_server, live_server_fixture

    server = live_server_fixture(env={"NGO_LD_QUERY_TIMEOUT": "2"})  # module-scoped fixture

    @pytest.mark.server
    def test_something(server):
        assert server.get("/healthz").status_code == 200

or, for one test, ``with live_server(env=...) as srv: ...``. The server runs the installed
console script (``ngo-ld``, else ``python -m ngo_ld``) with ``NGO_LD_*`` settings from the
environment given; its output goes to a log file that :meth:`LiveServer.log` returns (shown
when start-up fails). :meth:`LiveServer.stop` sends SIGTERM to the PID it started and
returns the exit status (SIGKILL only after ``timeout`` seconds).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from ngo_ld.processes import descendants

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (right now)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_command() -> list[str]:
    script = Path(sys.executable).with_name("ngo-ld")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "ngo_ld"]


def _fresh_session() -> requests.Session:
    # One connection per request: no keep-alive races with the server's idle timeout.
    session = requests.Session()
    session.headers["Connection"] = "close"
    return session


@dataclass
class LiveServer:
    """A running ``ngo-ld serve``: its URL, process and log."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    session: requests.Session = field(default_factory=lambda: _fresh_session())

    @property
    def pid(self) -> int:
        return self.process.pid

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return self.session.get(self.url + path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return self.session.post(self.url + path, **kwargs)

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def descendants(self) -> list[int]:
        """PIDs of every process below the server (workers, query processes)."""
        return descendants(self.pid)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM (by PID), wait, SIGKILL as a last resort; the exit status."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.process.wait(5)
        self.session.close()
        return int(self.process.returncode)


def start_live_server(
    *,
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
    home: Path | None = None,
    startup_timeout: float = 60.0,
    log_dir: Path | None = None,
) -> LiveServer:
    """Start ``ngo-ld serve`` on a free port and wait until ``/healthz`` answers 200."""
    port = free_port()
    environment = dict(os.environ)
    environment.setdefault("NGO_LD_CACHE_DIR", str(Path(tempfile.gettempdir()) /
                                                   "ngo-ld-test-cache"))
    environment.update({"NGO_LD_HOME": str(home or ROOT), "PYTHONUNBUFFERED": "1"})
    environment.update(env or {})
    folder = Path(log_dir or tempfile.mkdtemp(prefix="ngo-ld-live-"))
    log_path = folder / f"serve-{port}.log"
    command = [*serve_command(), "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=environment, cwd=ROOT)
    server = LiveServer(f"http://127.0.0.1:{port}", port, process, log_path)
    deadline = time.monotonic() + startup_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ngo-ld serve exited with {process.returncode} at start:\n"
                               + server.log())
        try:
            if requests.get(server.url + "/healthz", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"ngo-ld serve did not answer within {startup_timeout:g} s:\n"
                       + server.log())


@contextmanager
def live_server(**options: Any) -> Iterator[LiveServer]:
    """``with live_server(env={...}) as server:`` — started, then stopped by PID."""
    server = start_live_server(**options)
    try:
        yield server
    finally:
        server.stop()


def live_server_fixture(*, scope: str = "module", **options: Any) -> Callable[..., Any]:
    """A pytest fixture that yields a :class:`LiveServer` (options as for live_server)."""

    @pytest.fixture(scope=scope)  # type: ignore[misc]
    def _server() -> Iterator[LiveServer]:
        with live_server(**options) as server:
            yield server

    return _server
