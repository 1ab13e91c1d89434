"""Built once per data version, sent with validators: the HTTP caching of documents and dumps.

A :class:`Representation` is the bytes of one answer (a document in one format and
language, a dump, the VoID) with its strong ETag and Last-Modified. :func:`cached` keeps
them in the site's bounded cache keyed with the data version, so a second request costs a
look-up;
:func:`send` turns one into a response, gzipped when the client accepts it (compressed
once, then kept), answering ``If-None-Match`` / ``If-Modified-Since`` with 304 through
Werkzeug's ``make_conditional``.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from flask import Response, request
from werkzeug.http import http_date

from ..describe import newest_mtime
from ..loading import metadata_files, source_files
from .site import site

T = TypeVar("T")
#: Bodies smaller than this are not worth compressing.
GZIP_MIN_BYTES = 512
#: What a built graph or page model weighs per triple or item, roughly (for the byte bound).
_ITEM_BYTES = 200
_NOTHING = object()  # "no such thing", remembered


@dataclass
class Representation:
    """One cacheable answer."""

    body: bytes
    content_type: str
    etag: str  # strong, without quotes
    last_modified: datetime
    _gzipped: bytes | None = field(default=None, repr=False)
    #: The headers of each way of sending it (see :func:`send`).
    _headers: dict[tuple[Any, ...], list[tuple[str, str]]] = field(
        default_factory=dict, repr=False)

    def gzipped(self) -> bytes:
        """The body gzip-compressed (deterministic: no time stamp), computed once."""
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped


def weight(value: object) -> int:
    """Roughly the bytes ``value`` holds (a representation counts its gzipped copy too)."""
    if isinstance(value, Representation):
        return len(value.body) * 3 // 2
    if isinstance(value, bytes | str):
        return len(value)
    triples = getattr(value, "triples", None)
    if isinstance(triples, list):
        return _ITEM_BYTES * len(triples)
    if isinstance(value, list | tuple | dict | set | frozenset):
        return _ITEM_BYTES * len(value)
    return 1000


def cached(key: tuple[Any, ...], build: Callable[[], T], *, keep_none: bool = True) -> T:
    """``build()`` once per data version and ``key``, kept in the site's bounded cache
    (least recently used out first, so a flood of rare variants cannot push out what is
    asked for all the time: the dumps, the landing page). With ``keep_none=False`` a None
    ("no such thing") is not remembered."""
    s = site()
    full_key = (s.store.version, *key)
    found = s.documents.get(full_key)
    if found is not None:
        return None if found is _NOTHING else found  # type: ignore[return-value]
    value = build()
    if value is not None:
        s.documents.put(full_key, value, weight(value))
    elif keep_none:
        s.documents.put(full_key, _NOTHING, 0)
    return value


def data_last_modified() -> datetime:
    """Last-Modified of everything served: the newest source or metadata file, else the
    start of the server — stable for one data version."""

    def build() -> datetime:
        s = site()
        stamp = newest_mtime([*source_files(s.settings), *metadata_files(s.settings)])
        return datetime.fromtimestamp(int(stamp if stamp is not None else s.started_at), UTC)

    return cached(("last-modified",), build)


def make_etag(*parts: object) -> str:
    """A strong ETag from the data version and what else tells representations apart."""
    text = "\0".join(str(p) for p in (site().store.version, *parts))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def representation(key: tuple[Any, ...], content_type: str, build: Callable[[], bytes]
                   ) -> Representation:
    """A cached :class:`Representation` whose ETag derives from the version and ``key``."""
    return cached(("rep", *key), lambda: Representation(
        body=build(), content_type=content_type, etag=make_etag(*key),
        last_modified=data_last_modified()))


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
