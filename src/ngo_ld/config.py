"""All settings in one place.

Settings are read when an application or command is built, never at import time, so
tests and ``ngo-ld serve`` can each build their own (the flaskr factory pattern).
Every setting has an environment variable ``NGO_LD_<NAME>``; command-line options win.
"""

from __future__ import annotations

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
    # Bounds on what one query may cost (issue 3, "Bounded cost").
    query_timeout: float = 10.0
    max_query_length: int = 20_000
    max_request_bytes: int = 64 * 1024
    max_result_rows: int = 10_000
    # Bytes of one serialized answer (long literals can make 10,000 rows very large).
    max_answer_bytes: int = 32 * 1024 * 1024
    max_nesting: int = 64
    query_workers: int = 2
    # Memory one query process may add to what it had when forked (MiB); over it the
    # process dies and is replaced, and the client gets a clear error.
    query_memory_mb: int = 1024
    query_cache_entries: int = 512
    query_cache_bytes: int = 4 * 1024 * 1024
    # Search and reconciliation: the longest query text, the most queries in one
    # reconciliation batch, the most results one query may ask for.
    search_max_chars: int = 200
    reconcile_max_queries: int = 50
    search_max_results: int = 100
    # Web server: "granian" (default, chosen by measurement in bench/) or "gunicorn".
    server: str = "granian"
    host: str = "127.0.0.1"
    port: int = 5000
    workers: int = 2
    threads: int = 4
    # One line per request on standard error (method, path, status, bytes, milliseconds).
    access_log: bool = False
    # Complete GET answers remembered in front of Flask, per worker (0 turns it off).
    answer_cache_entries: int = 4096
    # ...and the bytes they may hold, per worker (part of the ≤ 150 MB of issue 5).
    answer_cache_bytes: int = 16 * 1024 * 1024
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
