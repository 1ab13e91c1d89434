"""The answers of the Linked Data side, from a request's facts to bytes: no HTTP framework.

One function per kind of resource (a thing's document, a dump, the VoID, the ontology, a
named graph, the shapes, the validation report); each returns a :class:`Representation`
(bytes with a strong ETag and Last-Modified) or raises the project's errors
(:class:`~ngo_ld.errors.UnknownResource`, :class:`~ngo_ld.errors.NotAcceptable`), which
ngo_ld.web.errors turns into statuses. The route modules of ngo_ld.web decode HTTP into
these calls and encode what comes back; HTML pages are built there (they need the
application's templates) but kept here too, through :meth:`Answers.representation`.

Everything is built once per data version and kept in one bounded cache
(:class:`~ngo_ld.cache.BoundedCache`), keyed with the version. Query answers have their
own layer, ngo_ld.queries.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import pyoxigraph as ox

from . import describe
from .cache import BoundedCache
from .config import Settings
from .errors import NotAcceptable, UnknownResource
from .formats import DUMP_FORMATS, Format, negotiate_header
from .loading import content_hash, metadata_files, parse_file, shape_files
from .namespaces import graph_iri, is_slug
from .render import serialize_rdflib_graph, serialize_triples
from .store import GraphStore
from .validation import ValidationOutcome, validate_sources

T = TypeVar("T")
#: The file name (without extension) of the whole-dataset dumps.
DUMP_STEM = "ngo-ld"
#: What a built graph or page model weighs per triple or item, roughly (for the byte bound).
_ITEM_BYTES = 200
_NOTHING = object()  # "no such thing", remembered


@dataclass
class Representation:
    """One cacheable answer."""

    body: bytes
    content_type: str
    etag: str  # strong, without quotes
    last_modified: datetime | None  # None: the data states no date, so none is sent
    _gzipped: bytes | None = field(default=None, repr=False)
    #: The headers of each way of sending it (kept by ngo_ld.web.caching.send).
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


def choose(offered: tuple[Format, ...], *, extension: str | None, override: str | None,
           accept: str | None) -> Format:
    """The representation asked for by URL extension, else ``?format=``, else ``Accept``.

    :raises UnknownResource: an extension not offered (that URL does not exist).
    :raises NotAcceptable: nothing offered matches ``Accept``.
    """
    if extension is not None:
        fmt = next((f for f in offered if f.extension == extension), None)
        if fmt is None:
            raise UnknownResource(f"no such representation: .{extension}",
                                  hint="the representations are: " + ", ".join(
                                      f".{f.extension}" for f in offered))
        return fmt
    fmt = negotiate_header(accept, offered, override)
    if fmt is None:
        raise NotAcceptable([f.media_type for f in offered])
    return fmt


class Answers:
    """The Linked Data answers of one store and its settings."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        #: metadata/ is not in the store, but what it states (titles, the day the data
        #: last changed) is in the answers: its bytes count in every ETag.
        self.metadata_version = content_hash(metadata_files(settings))
        self.cache: BoundedCache[Any] = BoundedCache(settings.document_cache_entries,
                                                     settings.document_cache_bytes)

    # --- the cache --------------------------------------------------------------------

    def cached(self, key: tuple[Any, ...], build: Callable[[], T], *,
               keep_none: bool = True) -> T:
        """``build()`` once per data version and ``key`` (least recently used out first,
        so a flood of rare variants cannot push out what is asked for all the time: the
        dumps, the landing page). With ``keep_none=False`` a None ("no such thing") is
        not remembered: a flood of made-up names must not fill the cache."""
        full_key = (self.store.version, *key)
        found = self.cache.get(full_key)
        if found is not None:
            return None if found is _NOTHING else found  # type: ignore[return-value]
        value = build()
        if value is not None:
            self.cache.put(full_key, value, weight(value))
        elif keep_none:
            self.cache.put(full_key, _NOTHING, 0)
        return value

    def representation(self, key: tuple[Any, ...], content_type: str,
                       build: Callable[[], bytes]) -> Representation:
        """A cached :class:`Representation` whose ETag derives from the version and
        ``key``."""
        return self.cached(("rep", *key), lambda: Representation(
            body=build(), content_type=content_type, etag=self.etag(*key),
            last_modified=self.last_modified()))

    def etag(self, *parts: object) -> str:
        """A strong ETag from the data and metadata versions and what else tells
        representations apart."""
        text = "\0".join(str(p) for p in (self.store.version, self.metadata_version, *parts))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]

    def last_modified(self) -> datetime | None:
        """Last-Modified of everything served: the day the data last changed, as
        metadata/ states it (:func:`ngo_ld.describe.stated_modified`), not a file's time,
        which is when this copy was made; so every server of one data version sends the
        same. None when the data states none."""
        return self.cached(("last-modified",),
                           lambda: describe.stated_modified(self.settings))

    # --- things ---------------------------------------------------------------------------

    def thing_document(self, slug: str) -> describe.Document:
        """The document about ``slug``.

        :raises UnknownResource: nothing in the dataset is called so.
        """
        # (Not by a set of every slug: at 10^6 triples that set, and the DISTINCT query
        # behind it, cost each worker ~100 MB.)
        doc = None if not is_slug(slug) else self.cached(
            ("document", slug),
            lambda: describe.thing_document(self.store, slug, self.settings.base_iri),
            keep_none=False)
        if doc is None:
            raise UnknownResource(f"nothing in this dataset is called {slug!r}", name=slug)
        return doc

    def document(self, slug: str, fmt: Format) -> Representation:
        """A thing's document in an RDF format.

        :raises UnknownResource: no such thing.
        """
        doc = self.thing_document(slug)
        return self.representation(("doc", slug, fmt.token), fmt.content_type,
                                   lambda: serialize_triples(doc.triples, fmt))

    # --- the whole dataset ----------------------------------------------------------------

    def dump(self, extension: str) -> Representation:
        """The whole dataset in the format of ``extension``, serialized once per version.

        :raises UnknownResource: no dump in that format.
        """
        fmt = next((f for f in DUMP_FORMATS if f.extension == extension), None)
        if fmt is None:
            raise UnknownResource(
                f"no dump as .{extension}", hint="there are " + ", ".join(
                    f"/dumps/{DUMP_STEM}.{f.extension}" for f in DUMP_FORMATS))
        return self.dump_in(fmt)

    def dump_in(self, fmt: Format) -> Representation:
        return self.representation(("dump", fmt.token), fmt.content_type,
                                   lambda: serialize_triples(list(self.store.triples()), fmt))

    def void_triples(self, root: str) -> list[ox.Triple]:
        """The VoID/DCAT description for a server reached at ``root`` (its download URLs
        are that server's own)."""

        def build() -> list[ox.Triple]:
            dumps = [describe.Dump(fmt, f"{root}dumps/{DUMP_STEM}.{fmt.extension}",
                                   len(self.dump_in(fmt).body)) for fmt in DUMP_FORMATS]
            return describe.dataset_description(
                self.store, self.settings, dumps, service_root=root)

        return self.cached(("void", root), build)

    def void(self, fmt: Format, root: str) -> Representation:
        return self.representation(("void", root, fmt.token), fmt.content_type,
                                   lambda: serialize_triples(self.void_triples(root), fmt))

    # --- the vocabulary, the graphs, the shapes ------------------------------------------

    def ontology_document(self) -> describe.Document:
        """:raises UnknownResource: the dataset has no ontology."""
        doc = self.cached(("ontology",), lambda: describe.ontology_document(
            self.store, self.settings.base_iri))
        if doc is None:
            raise UnknownResource("this dataset has no ontology")
        return doc

    def ontology(self, fmt: Format) -> Representation:
        doc = self.ontology_document()
        return self.representation(("ontology", fmt.token), fmt.content_type,
                                   lambda: serialize_triples(doc.triples, fmt))

    def has_ontology_version(self, version: str) -> bool:
        wanted = f"{self.settings.base_iri}ontology/{version}"
        return any(isinstance(t.object, ox.NamedNode) and t.object.value == wanted
                   for t in self.ontology_document().triples)

    def graph_query(self, stem: str) -> str:
        """The CONSTRUCT query of the named graph ``/graph/{stem}``.

        :raises UnknownResource: there is no such graph.
        """
        iri = graph_iri(stem, self.settings.base_iri)
        if not is_slug(stem) or iri not in self.store.graph_names():
            raise UnknownResource(f"there is no graph /graph/{stem}")
        return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"

    def named_graph(self, stem: str, fmt: Format) -> Representation:
        """:raises UnknownResource: there is no such graph."""
        query = self.graph_query(stem)
        return self.representation(("graph", stem, fmt.token), fmt.content_type,
                                   lambda: serialize_triples(self.store.query(query), fmt))

    def shapes(self, fmt: Format) -> Representation:
        """The SHACL shapes; they may change without the data, so their own hash counts."""
        files = shape_files(self.settings)

        def build() -> bytes:
            return serialize_triples([t for path in files for t in parse_file(path)], fmt)

        return self.representation(("shapes", content_hash(files), fmt.token),
                                   fmt.content_type, build)

    # --- the validation report -----------------------------------------------------------

    def validation_outcome(self, at_start: ValidationOutcome | None
                           ) -> tuple[ValidationOutcome, bool]:
        """(outcome, validated just now rather than at start)."""
        if at_start is not None:
            return at_start, False
        return self.cached(("validation",),
                           lambda: validate_sources(self.settings, remember=True)), True

    def validation_report(self, outcome: ValidationOutcome, fmt: Format) -> Representation:
        """The report as Turtle (the SHACL report graph) or JSON."""
        key = ("validation", outcome.data_version, outcome.ran_at, fmt.token)
        if fmt.token == "turtle":
            def build() -> bytes:
                graph = outcome.report
                if graph is None:  # remembered (read from JSON): validate once more
                    graph = self.cached(("validation-report",), lambda: validate_sources(
                        self.settings, remember=False).report)
                return serialize_rdflib_graph(graph, fmt)

            return self.representation(key, fmt.content_type, build)
        return self.representation(key, fmt.content_type,
                                   lambda: outcome.to_json().encode("utf-8"))


__all__ = ["DUMP_STEM", "Answers", "Representation", "choose", "weight"]
