"""Sending a :class:`~ngo_ld.answers.Representation` over HTTP: validators, Cache-Control,
gzip when the client accepts it (compressed once, then kept), and 304 for
``If-None-Match`` / ``If-Modified-Since`` through Werkzeug's ``make_conditional``.

Representations are built and kept by :class:`ngo_ld.answers.Answers`; :func:`cached` and
:func:`representation` reach the current application's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from flask import Response, request
from werkzeug.http import http_date

from ..answers import Representation
from .site import site

T = TypeVar("T")
#: Bodies smaller than this are not worth compressing.
GZIP_MIN_BYTES = 512


def cached(key: tuple[Any, ...], build: Callable[[], T], *, keep_none: bool = True) -> T:
    """:meth:`ngo_ld.answers.Answers.cached` of the current application."""
    return site().answers.cached(key, build, keep_none=keep_none)


def representation(key: tuple[Any, ...], content_type: str, build: Callable[[], bytes]
                   ) -> Representation:
    """:meth:`ngo_ld.answers.Answers.representation` of the current application."""
    return site().answers.representation(key, content_type, build)


def data_last_modified() -> datetime | None:
    """The day the data last changed, as stated in metadata/ (None when not stated)."""
    return site().answers.last_modified()


def accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


#: Request headers that make an answer conditional (or partial): Werkzeug decides those.
_CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH",
                "HTTP_IF_UNMODIFIED_SINCE", "HTTP_RANGE")


def send(rep: Representation, *, vary: Iterable[str] = (), headers: Mapping[str, str] | None
         = None, max_age: int = 3600, status: int = 200) -> Response:
    """The response for ``rep``: validators, Cache-Control, gzip on request, 304 when the
    client's copy is current (Werkzeug ``make_conditional``).

    The headers of one (representation, gzip or not, ``vary``, ``headers``) never change,
    so they are built once and kept with the representation; a request without
    conditional headers then only adds ``Date``, as ``make_conditional`` would (measured:
    setting them one by one cost more than the rest of a cached document's request)."""
    compress = len(rep.body) >= GZIP_MIN_BYTES
    gz = compress and accepts_gzip()
    body = rep.gzipped() if gz else rep.body
    key = (gz, tuple(vary), tuple((headers or {}).items()), max_age, status)
    kept = rep._headers.get(key)
    if kept is None:
        kept = rep._headers[key] = list(_build(rep, body, *key).headers.items())
        if len(rep._headers) > 64:  # a bound: keys come from the routes, not from clients
            rep._headers.clear()
    environ = request.environ
    if status != 200 or any(name in environ for name in _CONDITIONAL):
        response = Response(body, status=status, headers=kept)
        if status == 200:
            response.make_conditional(request)
        return response
    return Response(body, status=status, headers=[*kept, ("Date", _now())])


def _build(rep: Representation, body: bytes, gz: bool, vary: tuple[str, ...],
           headers: tuple[tuple[str, str], ...], max_age: int, status: int) -> Response:
    response = Response(body, status=status, content_type=rep.content_type)
    if gz:
        response.headers["Content-Encoding"] = "gzip"
    response.set_etag(f"{rep.etag}-gz" if gz else rep.etag)
    response.last_modified = rep.last_modified
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    for name in vary:
        response.vary.add(name)
    if len(rep.body) >= GZIP_MIN_BYTES:
        response.vary.add("Accept-Encoding")
    for name, value in headers:
        response.headers[name] = value
    return response


_clock: list[Any] = [0, ""]


def _now() -> str:
    """``http_date()`` of now, formatted once a second."""
    second = int(time.time())
    if _clock[0] != second:
        _clock[1], _clock[0] = http_date(second), second
    return _clock[1]  # type: ignore[no-any-return]
