"""Built once per data version, sent with validators: the HTTP caching of documents and dumps.

A :class:`Representation` is the bytes of one answer (a document in one format and
language, a dump, the VoID) with its strong ETag and Last-Modified. :func:`cached` keeps
them in ``Site.caches`` keyed by the data version, so a second request costs a dict look-up;
:func:`send` turns one into a response, gzipped when the client accepts it (compressed
once, then kept), answering ``If-None-Match`` / ``If-Modified-Since`` with 304 through
Werkzeug's ``make_conditional``.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from flask import Response, request

from ..describe import newest_mtime
from ..loading import metadata_files, source_files
from .app import site

T = TypeVar("T")
#: Entries kept per data version before the cache is emptied (a bound, not an LRU:
#: the dataset has a few hundred documents × 5 formats × 3 languages).
MAX_ENTRIES = 4096
#: Bodies smaller than this are not worth compressing.
GZIP_MIN_BYTES = 512
_lock = threading.Lock()


@dataclass
class Representation:
    """One cacheable answer."""

    body: bytes
    content_type: str
    etag: str  # strong, without quotes
    last_modified: datetime
    _gzipped: bytes | None = field(default=None, repr=False)

    def gzipped(self) -> bytes:
        """The body gzip-compressed (deterministic: no time stamp), computed once."""
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped


def _bucket() -> dict[Any, Any]:
    s = site()
    bucket = s.caches.setdefault("linked-data", {})
    if bucket.get("__version__") != s.store.version or len(bucket) > MAX_ENTRIES:
        with _lock:
            bucket.clear()
            bucket["__version__"] = s.store.version
    return bucket


def cached(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """``build()`` once per data version and ``key`` (two threads may both build; the
    results are equal, so the race is harmless)."""
    bucket = _bucket()
    try:
        return bucket[key]  # type: ignore[no-any-return]
    except KeyError:
        value = build()
        bucket[key] = value
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


def send(rep: Representation, *, vary: Iterable[str] = (), headers: Mapping[str, str] | None
         = None, max_age: int = 3600, status: int = 200) -> Response:
    """The response for ``rep``: validators, Cache-Control, gzip on request, 304 when the
    client's copy is current (Werkzeug ``make_conditional``)."""
    body, etag = rep.body, rep.etag
    compress = len(rep.body) >= GZIP_MIN_BYTES
    if compress and accepts_gzip():
        body, etag = rep.gzipped(), f"{rep.etag}-gz"
    response = Response(body, status=status, content_type=rep.content_type)
    if compress and body is not rep.body:
        response.headers["Content-Encoding"] = "gzip"
    response.set_etag(etag)
    response.last_modified = rep.last_modified
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    for name in vary:
        response.vary.add(name)
    if compress:
        response.vary.add("Accept-Encoding")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    if status == 200:
        response.make_conditional(request)
    return response
