"""Small, measured speed-ups of third-party code paths (figures in docs/performance.md).

:func:`cached_sparql_translation` — pySHACL evaluates each SHACL-SPARQL constraint
(``sh:sparql`` / ``sh:select``) once per focus node through rdflib's ``Graph.query``, which
parses and translates the same query text every time: 60–75 % of the validation time of
this project's shapes, measured with cProfile at 2·10^3 and 10^4 triples. Caching the
translated query by its text, base and namespaces is what rdflib's own ``prepareQuery``
does for a caller that reuses a query, so the answers are unchanged (the suite's SHACL
tests and the scale sweep check the verdicts).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_depth = 0


@contextmanager
def cached_sparql_translation(maxsize: int = 1024) -> Iterator[None]:
    """Within the block, rdflib's SPARQL processor reuses the parsed and translated form of
    a query text it has seen before. Not re-entrant across threads with different
    ``maxsize``; nested use is fine."""
    global _depth
    # Imported here: building rdflib's SPARQL grammar costs ~0.3 s at import, which a
    # start whose validation verdict is remembered does not need.
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    cache: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Any] = {}

    def query(self: Any, strOrQuery: Any, initBindings: Any = None,
              initNs: Mapping[str, Any] | None = None, base: str | None = None,
              DEBUG: bool = False) -> Any:
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base,
                   tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            prepared = cache.get(key)
            if prepared is None:
                prepared = processor.translateQuery(processor.parseQuery(strOrQuery), base,
                                                    initNs)
                if len(cache) < maxsize:
                    cache[key] = prepared
            strOrQuery = prepared
        return processor.evalQuery(self.graph, strOrQuery, initBindings, base)

    with _lock:
        _depth += 1
        if _depth == 1:
            processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                processor.SPARQLProcessor.query = original  # type: ignore[method-assign]
