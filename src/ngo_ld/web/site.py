"""What every request handler needs, built once per application, and the headers every
answer carries. No blueprint is imported here, so any module of the web layer may use it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from ..admission import client_address
from ..answers import Answers
from ..config import Settings
from ..queries import QueryService
from ..store import GraphStore
from ..validation import ValidationOutcome


@dataclass
class Site:
    """The application's store, settings and the state built from them."""

    settings: Settings
    store: GraphStore
    validation: ValidationOutcome | None
    started_at: float = field(default_factory=time.time)
    #: The Linked Data answers (documents, dumps, pages), kept per data version.
    answers: Answers = field(init=False)
    _queries: QueryService | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.answers = Answers(self.store, self.settings)

    @property
    def queries(self) -> QueryService:
        """The endpoint's query service, built on first use (its processes start lazily)."""
        if self._queries is None:
            with self._lock:
                if self._queries is None:
                    self._queries = QueryService(self.store, self.settings)
        return self._queries

    def stop_queries(self) -> None:
        """Stop the query processes of this process, if any were started."""
        if self._queries is not None:
            self._queries.executor.close()

    def client(self, environ: dict[str, Any]) -> str:
        """The address a request counts against (see ngo_ld.admission.client_address)."""
        return client_address(environ.get("REMOTE_ADDR"),
                              environ.get("HTTP_X_FORWARDED_FOR"),
                              self.settings.trusted_proxy_addresses)


def site() -> Site:
    """The :class:`Site` of the current application."""
    return current_app.extensions["ngo_ld"]  # type: ignore[no-any-return]


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

#: What every answer says to cross-origin readers (the direct path of /sparql sends them too).
CORS_HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers",
     "ETag, Link, Content-Type, Content-Language, Content-Location, Last-Modified, Vary, "
     "Warning, Retry-After, X-SPARQL-Truncated, X-SPARQL-Max-Rows"),
)
