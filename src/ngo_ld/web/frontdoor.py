"""A thin WSGI layer in front of Flask: one access-log line per request, answers from
memory for requests already answered, and a direct path for requests that need no Flask.

Why: every answer of ngo_ld is a function of the request line and a few headers for as long
as the data version stays the same, and the data never changes while a server runs. Measured
(docs/performance.md), Flask's request handling alone costs more CPU than a
pyoxigraph lookup, so a repeated GET served here skips it entirely. Conditional requests
(``If-None-Match``…) go to Flask, which answers 304 from the same ETags.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from ..cache import BoundedCache

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Answer = tuple[str, list[tuple[str, str]], bytes]
#: Answers a request without the application, or returns None to pass it on (the
#: endpoint's common GET, ngo_ld.web.sparql.direct_answerer).
DirectAnswerer = Callable[[dict[str, Any]], "Answer | None"]

#: Request headers that change an answer. With the method, path and query string they are
#: the key of a remembered answer. (Origin does not: CORS says "*" to everyone.)
VARYING = ("HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING", "HTTP_ACCEPT_LANGUAGE", "HTTP_HOST",
           "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PROTO", "wsgi.url_scheme", "SCRIPT_NAME")
#: Requests that Flask must see: conditional ones (304 logic) and ranges.
BYPASS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH",
          "HTTP_IF_UNMODIFIED_SINCE", "HTTP_RANGE", "HTTP_COOKIE", "HTTP_AUTHORIZATION")


class FrontDoor:
    """WSGI middleware: access log + bounded memory of complete GET/HEAD answers (those
    asked for at least twice, see :class:`ngo_ld.cache.Doorkeeper`)."""

    def __init__(self, app: WSGIApp, *, max_entries: int = 4096,
                 max_bytes: int = 64 * 1024 * 1024, max_body: int = 1024 * 1024,
                 log_fd: int | None = 2, direct: DirectAnswerer | None = None) -> None:
        self.app = app
        self.direct = direct
        self.max_body = max_body
        self.log_fd = log_fd
        self.answers: BoundedCache[Answer] = BoundedCache(max_entries, max_bytes,
                                                          admit_on_second_request=True)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        started = time.perf_counter()
        key = self._key(environ) if self.answers.enabled else None
        if key is not None:
            hit = self.answers.get(key)
            if hit is not None:
                status, headers, body = hit
                start_response(status, headers)
                self._log(environ, status, len(body), started, "hit")
                return [body]
        if self.direct is not None:
            answer = self.direct(environ)
            if answer is not None:
                status, headers, body = answer
                if (key is not None and _rememberable(status, headers)
                        and len(body) <= self.max_body):
                    self._remember(key, answer)
                start_response(status, headers)
                self._log(environ, status, len(body), started, "direct")
                return [body]
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        status = seen.get("status", "500")
        headers = seen.get("headers", [])
        length = _length(headers)
        if (key is None or not _rememberable(status, headers)
                or length is None or length > self.max_body):
            # Unknown or large bodies (dumps) stream through untouched: never buffered here.
            self._log(environ, status, length, started, "")
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if len(body) <= self.max_body:
            # Date belongs to each answer; the server adds a fresh one.
            kept = [(n, v) for n, v in headers if n.lower() != "date"]
            self._remember(key, (status, kept, body))
        self._log(environ, status, len(body), started, "")
        return [body]

    @staticmethod
    def _key(environ: dict[str, Any]) -> tuple[Any, ...] | None:
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or any(h in environ for h in BYPASS):
            return None
        key = (method, environ.get("PATH_INFO"), environ.get("QUERY_STRING"),
               *(environ.get(h) for h in VARYING))
        # Long keys (a 20,000-character query) are not worth their memory.
        return key if sum(len(k) for k in key if k) <= MAX_KEY_CHARS else None

    def _remember(self, key: tuple[Any, ...], answer: Answer) -> None:
        self.answers.put(key, answer, _size(key, answer))

    def _log(self, environ: dict[str, Any], status: str, length: int | None, started: float,
             note: str) -> None:
        """One line per request: client, request line, status, bytes, milliseconds."""
        if self.log_fd is None:
            return
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING")
        # PATH_INFO is percent-decoded: escape control characters so no request can
        # forge a log line.
        target = (f"{path}?{query}" if query else path).translate(_CONTROL)
        line = (f'{environ.get("REMOTE_ADDR", "-")} "{environ.get("REQUEST_METHOD")} {target} '
                f'{environ.get("SERVER_PROTOCOL", "HTTP/1.1")}" {status.split(" ", 1)[0]} '
                f'{"-" if length is None else length} '
                f"{(time.perf_counter() - started) * 1000:.2f}ms"
                f"{' ' + note if note else ''}\n")
        with contextlib.suppress(OSError):  # a closed log must not break answers
            os.write(self.log_fd, line.encode("utf-8", "backslashreplace"))


MAX_KEY_CHARS = 4096
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(32), 127)}


def _size(key: tuple[Any, ...], answer: Answer) -> int:
    """What an entry holds in memory, erring high: its characters and bytes plus the
    objects around them (tracemalloc: a SPARQL answer of 1 KB with a 350-character query
    takes ~2.2 KB; this plus the cache's per-entry overhead says ~3.3 KB)."""
    headers = sum(len(n) + len(v) + 160 for n, v in answer[1])
    return len(answer[2]) + headers + sum(len(k) for k in key if k)


def _rememberable(status: str, headers: list[tuple[str, str]]) -> bool:
    if not (status.startswith("200") or status.startswith("303")):
        return False
    for name, value in headers:
        lowered = name.lower()
        if lowered == "cache-control" and ("no-store" in value or "private" in value):
            return False
        if lowered == "set-cookie":
            return False
    return True


def _length(headers: list[tuple[str, str]]) -> int | None:
    for name, value in headers:
        if name.lower() == "content-length" and value.isdigit():
            return int(value)
    return None
