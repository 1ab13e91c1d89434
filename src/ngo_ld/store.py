"""The store behind one small interface.

Everything that reads the dataset (documents, dumps, the SPARQL endpoint, the landing
page) goes through :class:`GraphStore`; the backend is chosen by ``Settings.store``:
``memory`` (pyoxigraph in memory, the default), ``disk`` (pyoxigraph on disk) or
``remote`` (any SPARQL 1.1 endpoint). pyoxigraph was chosen as the engine after measuring
it 60–110× faster than rdflib's SPARQL on this data (issue 5, docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph as ox

from .config import Settings
from .errors import ConfigError
from .loading import content_hash, load_quads, source_files
from .namespaces import PREFIXES

QueryAnswer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@runtime_checkable
class GraphStore(Protocol):
    """What the rest of ngo_ld needs from a store."""

    base_iri: str
    #: Changes whenever the data changes; used for ETags, caches and remembered validation.
    version: str

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryAnswer:
        """Run a read-only SPARQL query. Without ``default_graphs`` the default graph is
        the union of all named graphs."""
        ...

    def triples(self) -> Iterable[ox.Triple]:
        """Every distinct triple of the dataset (the union graph)."""
        ...

    def graph_names(self) -> list[str]: ...

    def __len__(self) -> int:
        """The number of distinct triples (``void:triples``)."""
        ...


class OxigraphStore:
    """pyoxigraph, in memory or on disk; one named graph per source file."""

    def __init__(self, store: ox.Store, *, base_iri: str, version: str) -> None:
        self._store = store
        self.base_iri = base_iri
        self.version = version
        self._length: int | None = None

    @classmethod
    def from_files(cls, files: Sequence[Path], *, base_iri: str,
                   path: Path | None = None) -> OxigraphStore:
        """Load ``files`` into a new store (in memory when ``path`` is None)."""
        store = ox.Store(str(path)) if path is not None else ox.Store()
        quads = list(load_quads(files, base_iri))
        if path is not None:
            store.clear()
            store.bulk_extend(quads)
            store.flush()
        else:
            store.extend(quads)
        return cls(store, base_iri=base_iri, version=content_hash(files))

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph store, for code that must hand it on (query workers)."""
        return self._store

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryAnswer:
        kwargs: dict[str, object] = {}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self._store.query(sparql, prefixes=PREFIXES, **kwargs)

    def triples(self) -> Iterator[ox.Triple]:
        seen: set[tuple[object, object, object]] = set()
        for q in self._store.quads_for_pattern(None, None, None, None):
            key = (q.subject, q.predicate, q.object)
            if key not in seen:
                seen.add(key)
                yield q.triple

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        if self._length is None:
            answer = self.query(
                "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
            )
            self._length = int(next(iter(answer))["n"].value)  # type: ignore[index]
        return self._length


def open_store(settings: Settings) -> GraphStore:
    """The store the settings ask for, loaded and ready to query.

    :raises LoadError: a source file does not parse.
    :raises ConfigError: the backend is unknown or misconfigured.
    """
    if settings.store == "memory":
        return OxigraphStore.from_files(source_files(settings), base_iri=settings.base_iri)
    if settings.store == "disk":
        from .backends import open_disk_store

        return open_disk_store(settings)
    if settings.store == "remote":
        from .backends import open_remote_store

        return open_remote_store(settings)
    raise ConfigError(f"unknown store backend {settings.store!r}",
                      hint="set NGO_LD_STORE to memory, disk or remote")
