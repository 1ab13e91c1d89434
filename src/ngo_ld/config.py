"""All settings in one place.

Settings are read when an application or command is built, never at import time, so
tests and ``ngo-ld serve`` can each build their own (the flaskr factory pattern).
Every setting has an environment variable ``NGO_LD_<NAME>``; command-line options win.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_BASE_IRI = "https://w3id.org/ngo-ld/"
SOURCE_FOLDERS = ("data", "ontology", "shapes", "metadata")


def default_home() -> Path:
    """Folder holding data/, ontology/, shapes/ and metadata/.

    A wheel carries them as ``ngo_ld/_resources``; an editable install (or a source
    checkout) finds them at the repository root.
    """
    packaged = Path(__file__).resolve().parent / "_resources"
    if (packaged / "data").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """What a store, an application and the commands need to know."""

    home: Path = field(default_factory=default_home)
    base_iri: str = DEFAULT_BASE_IRI
    # Store backend: "memory" (default), "disk" (persistent, at store_path) or "remote"
    # (a SPARQL 1.1 endpoint at remote_query_url).
    store: str = "memory"
    store_path: Path | None = None
    remote_query_url: str | None = None
    remote_timeout: float = 30.0
    # Bounds on what one query may cost.
    query_timeout: float = 10.0
    max_query_length: int = 20_000
    max_request_bytes: int = 64 * 1024
    max_result_rows: int = 10_000
    # Bytes of one serialized answer (long literals can make 10,000 rows very large).
    max_answer_bytes: int = 32 * 1024 * 1024
    max_nesting: int = 64
    # Query processes per web worker: the query slots. A query that finds every slot taken
    # is refused at once (503 + Retry-After) rather than holding a thread while it waits.
    query_workers: int = 4
    # Memory one query process may add to what it had when forked (MiB); over it the
    # process dies and is replaced, and the client gets a clear error.
    query_memory_mb: int = 1024
    # How much lower than the web worker query processes are scheduled (nice); 0 = same.
    query_niceness: int = 10
    # Fair use, per client address (after Wikidata Query Service's published limits):
    # queries running at once, and seconds of query time per minute (a client over either
    # is refused at once with 429 + Retry-After).
    client_queries: int = 2
    client_query_seconds: float = 30.0
    # Addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated);
    # from anyone else the header is ignored, so a client cannot pose as many.
    trusted_proxies: str = ""
    query_cache_entries: int = 512
    query_cache_bytes: int = 4 * 1024 * 1024
    # Search and reconciliation: the longest query text, the most queries in one
    # reconciliation batch, the most results one query may ask for.
    search_max_chars: int = 200
    reconcile_max_queries: int = 50
    search_max_results: int = 100
    # How long a request waits for the label index of new data (built in the background;
    # seconds at 10^6 triples) before it is answered 503 + Retry-After.
    search_index_wait: float = 1.0
    # Web server: "granian" (default, chosen by measurement in bench/) or "gunicorn".
    server: str = "granian"
    host: str = "127.0.0.1"
    port: int = 5000
    workers: int = 1
    # Threads for everything but running queries (documents, dumps, pages); each query slot
    # gets a thread of its own on top (see server_threads).
    threads: int = 4
    # Seconds a connection may take to send its request headers; then it is closed, so
    # half-open connections cannot hold the server (granian's default is 30).
    header_read_timeout: float = 5.0
    # Connections one worker serves at once. High, because a connection waiting for its
    # headers costs the server almost nothing, while a full count makes every newcomer
    # wait for the header read timeout (granian's default: 1024 / workers).
    max_connections: int = 16_384
    # One line per request on standard error (method, path, status, bytes, milliseconds).
    access_log: bool = False
    # Complete GET answers remembered in front of Flask, per worker (0 turns it off).
    answer_cache_entries: int = 4096
    # ...and the bytes they may hold, per worker (part of the ≤ 150 MB budget).
    answer_cache_bytes: int = 16 * 1024 * 1024
    # Documents, dumps and pages built once per data version, per worker.
    document_cache_entries: int = 4096
    document_cache_bytes: int = 24 * 1024 * 1024
    # Where a remembered validation verdict is kept (per data version); None disables it.
    cache_dir: Path | None = None
    # Skip validation at start (for tests that build many apps on known-good data).
    validate_on_start: bool = True

    def __post_init__(self) -> None:
        if self.base_iri != DEFAULT_BASE_IRI:
            # Explicit rather than half-configurable: the IRIs are written out in the data,
            # the ontology and the shapes, so another base here would serve nothing.
            raise ValueError(
                f"the base IRI is fixed at {DEFAULT_BASE_IRI} (got {self.base_iri}): the "
                "data, ontology and shapes files spell it. To publish under another base, "
                "rewrite those files and DEFAULT_BASE_IRI in ngo_ld/config.py "
                "(docs/uri-policy.md); the server itself answers on any host name")

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def ontology_dir(self) -> Path:
        return self.home / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.home / "shapes"

    @property
    def metadata_dir(self) -> Path:
        return self.home / "metadata"

    # --- limits derived from the settings above: each computed here only -------------

    @property
    def server_threads(self) -> int:
        """Threads of one web worker: one per query slot, so a running query never takes
        a thread that documents need, plus ``threads`` for everything else."""
        return self.threads + self.query_workers

    @property
    def query_hard_limit(self) -> float:
        return query_hard_limit(self.query_timeout)

    @property
    def worker_grace(self) -> int:
        """Seconds a web worker is given to finish at shutdown or before it is deemed
        stuck: its longest legitimate request is one query at the time limit."""
        return max(10, math.ceil(self.query_timeout) + 5)

    @property
    def trusted_proxy_addresses(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.trusted_proxies.split(",") if a.strip())

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``NGO_LD_*`` variables, then ``overrides`` (None values ignored)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"NGO_LD_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("home", "store_path", "cache_dir"):
            if values.get(key) is not None:
                values[key] = Path(values[key]).expanduser().resolve()
        return cls(**values)

    def but(self, **changes: Any) -> Settings:
        """A copy with some settings changed."""
        return replace(self, **changes)


def query_hard_limit(query_timeout: float) -> float:
    """Seconds after which a query process ends itself when its worker has not killed it
    (a worker that died or hangs): twice the time limit, plus slack."""
    return query_timeout * 2 + 5


def _coerce(name: str, annotation: Any, raw: str) -> Any:
    text = str(annotation)
    try:
        if text.startswith("bool"):
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if text.startswith("int"):
            return int(raw)
        if text.startswith("float"):
            return float(raw)
    except ValueError as exc:
        raise ValueError(f"NGO_LD_{name.upper()}={raw!r} is not a valid {text}") from exc
    return raw
