"""The one table of formats, and content negotiation as a pure function.

Routes, ``Link`` headers, the 406 body, ``export --format`` choices, dump file names,
``?format=`` names and test parametrization all read :data:`FORMATS`. A format's
serializer is chosen in :mod:`ngo_ld.render` (graphs) or by the engine (SPARQL results,
through ``engine_name``).

>>> by_extension("ttl").media_type
'text/turtle'
>>> by_token("jsonld").extension
'jsonld'
>>> from werkzeug.datastructures import MIMEAccept
>>> negotiate(MIMEAccept([("text/turtle", 1), ("text/html", 0.5)]), DOCUMENT_FORMATS).token
'turtle'
>>> negotiate(MIMEAccept([("image/png", 1)]), DOCUMENT_FORMATS) is None
True
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

Kind = Literal["graph", "results", "html", "data"]


@dataclass(frozen=True)
class Format:
    """One representation the service can produce."""

    token: str  # name used by `export --format` and `?format=`
    media_type: str
    extension: str
    kind: Kind
    label: str
    rdflib_name: str | None = None  # rdflib serializer plugin
    oxigraph_name: str | None = None  # attribute of pyoxigraph RdfFormat / QueryResultsFormat
    charset: bool = True  # add "; charset=utf-8" to Content-Type
    #: Other media types clients send for it (RDF 1.0-era names, generic JSON/XML); they
    #: count in Accept and in ``?format=`` wherever they name no format that is offered.
    aliases: tuple[str, ...] = ()
    #: Short names clients put in ``?format=`` / ``?output=`` (Fuseki, SPARQLWrapper)
    #: beyond the token and the extension.
    names: tuple[str, ...] = ()
    #: SPARQL results: the fewest bytes one more solution adds to the engine's output
    #: (``{},`` in JSON, ``<result></result>`` in XML, a line end in CSV and TSV), so a
    #: shorter answer cannot hold more rows than the limit and need not be counted.
    min_row_bytes: int = 0

    def is_called(self, name: str) -> bool:
        """Whether ``name`` (lower-case) names this format in ``?format=``."""
        return name in (self.token, self.extension, self.media_type, *self.names,
                        *self.aliases)

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type


FORMATS: tuple[Format, ...] = (
    Format("html", "text/html", "html", "html", "HTML", aliases=("application/xhtml+xml",)),
    Format("turtle", "text/turtle", "ttl", "graph", "Turtle", "turtle", "TURTLE",
           aliases=("application/x-turtle",)),
    Format("jsonld", "application/ld+json", "jsonld", "graph", "JSON-LD", "json-ld", "JSON_LD",
           aliases=("application/json",), names=("json-ld", "json")),
    Format("rdfxml", "application/rdf+xml", "rdf", "graph", "RDF/XML", "xml", "RDF_XML",
           aliases=("application/xml", "text/xml"), names=("rdf+xml", "xml")),
    Format("ntriples", "application/n-triples", "nt", "graph", "N-Triples", "nt", "N_TRIPLES",
           aliases=("text/n-triples", "text/plain"), names=("n-triples",)),
    Format("json", "application/sparql-results+json", "srj", "results", "SPARQL JSON",
           None, "JSON", aliases=("application/json", "text/json"),
           names=("sparql-results+json",), min_row_bytes=3),
    Format("xml", "application/sparql-results+xml", "srx", "results", "SPARQL XML", None, "XML",
           aliases=("application/xml", "text/xml"), names=("sparql-results+xml",),
           min_row_bytes=17),
    Format("csv", "text/csv", "csv", "results", "CSV", None, "CSV", min_row_bytes=2),
    Format("tsv", "text/tab-separated-values", "tsv", "results", "TSV", None, "TSV",
           min_row_bytes=1),
    # Plain JSON, for reports that are not RDF (the validation report).
    Format("report-json", "application/json", "json", "data", "JSON"),
)

GRAPH_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.kind == "graph")
RESULT_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.kind == "results")
HTML = FORMATS[0]
TURTLE = FORMATS[1]
SPARQL_JSON = next(f for f in FORMATS if f.token == "json")
REPORT_JSON = next(f for f in FORMATS if f.token == "report-json")
#: What a thing's document is offered as; the first is the default for ``*/*``.
DOCUMENT_FORMATS: tuple[Format, ...] = (HTML, *GRAPH_FORMATS)
#: A document's formats by URL extension (``/doc/astra.ttl``).
DOCUMENT_EXTENSIONS: dict[str, Format] = {f.extension: f for f in DOCUMENT_FORMATS}
#: Formats of whole-dataset dumps and of ``ngo-ld export``.
DUMP_FORMATS: tuple[Format, ...] = GRAPH_FORMATS



def count_rows(body: bytes, fmt: Format) -> int:
    """The number of solutions in a serialized SELECT result (pyoxigraph's output)."""
    if fmt.token == "json":
        return len(json.loads(body)["results"]["bindings"])
    if fmt.token == "xml":
        return body.count(b"<result>")  # markup in values is escaped (&lt;result>)
    if fmt.token == "tsv":
        return max(0, body.count(b"\n") - 1)  # newlines in values are escaped as \n
    if fmt.token == "csv":
        return max(0, sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1)
    raise ValueError(f"{fmt.label} is not a SPARQL results format")


def by_token(token: str) -> Format | None:
    return next((f for f in FORMATS if f.token == token), None)


def by_extension(extension: str) -> Format | None:
    return next((f for f in FORMATS if f.extension == extension), None)


def by_media_type(media_type: str) -> Format | None:
    return next((f for f in FORMATS if f.media_type == media_type), None)


def by_name(name: str, offered: Sequence[Format]) -> Format | None:
    """The format of ``offered`` that ``name`` (a ``?format=`` value) names, else None.

    >>> by_name("json", GRAPH_FORMATS).token, by_name("json", RESULT_FORMATS).token
    ('jsonld', 'json')
    """
    key = name.strip().lower()
    return next((f for f in offered if f.is_called(key)), None)


def negotiate(
    accept: MIMEAccept,
    offered: Sequence[Format],
    *,
    override: str | None = None,
    aliases: bool = True,
) -> Format | None:
    """Choose the representation for a request, or None when nothing offered fits.

    ``override`` (a URL extension, token or media type, e.g. from ``?format=``) beats the
    Accept header. An empty or missing Accept header means "anything", and gets the first
    offered format. A specific media type beats a wildcard of equal quality; among equal
    matches the order of ``offered`` decides (Werkzeug's ``best_match``).
    """
    if override:
        return by_name(override, offered)
    if not accept:
        return offered[0] if offered else None
    accept = without_parameters(accept)
    candidates = [f.media_type for f in offered]
    if aliases:
        # Offer the alias names too, but only where they don't name an offered type.
        alias_targets: dict[str, str] = {}
        for f in offered:
            for alias in f.aliases:
                if alias not in candidates:
                    alias_targets.setdefault(alias, f.media_type)
        candidates += list(alias_targets)
    else:
        alias_targets = {}
    match = accept.best_match(candidates)
    if match is None:
        return None
    # A wildcard-only match (e.g. "*/*" or "text/*") could have picked an alias; take the
    # quality of the match and fall back to the first offered type it covers.
    media = alias_targets.get(match, match)
    if match in alias_targets and accept.quality(match) <= max(
        (accept.quality(c) for c in candidates[: len(offered)]), default=0
    ):
        media = _first_offered_with_best_quality(accept, offered)
    # Look the type up among what is offered: a route may offer a format of its own.
    return next((f for f in offered if f.media_type == media), None)


@lru_cache(maxsize=1024)
def negotiate_header(
    accept_header: str | None,
    offered: tuple[Format, ...],
    override: str | None = None,
) -> Format | None:
    """:func:`negotiate` for a raw ``Accept`` header, remembered per (header, offered,
    override): a pure function, and parsing and matching the header costs more than
    answering from a cached document.

    >>> negotiate_header("text/turtle;q=0.9, text/html;q=0.5", DOCUMENT_FORMATS).token
    'turtle'
    """
    return negotiate(parse_accept_header(accept_header, MIMEAccept), offered,
                     override=override)


def without_parameters(accept: MIMEAccept) -> MIMEAccept:
    """The Accept header with media-type parameters dropped (q kept), lower-cased.

    Werkzeug only matches a value with parameters to an offer with the same parameters, so
    ``application/ld+json;profile="…#compacted"`` (what JSON-LD clients send) would match
    nothing. Our formats have no variants by parameter, so the parameters cannot change
    the choice. When a type is listed twice, its highest quality counts.

    >>> list(without_parameters(MIMEAccept([('application/ld+json;profile="x"', 1)])))
    [('application/ld+json', 1)]
    """
    best: dict[str, float] = {}
    for value, quality in accept:
        media = value.split(";", 1)[0].strip().lower()
        if media:
            best[media] = max(quality, best.get(media, 0))
    return MIMEAccept(list(best.items()))


def _first_offered_with_best_quality(accept: MIMEAccept, offered: Sequence[Format]) -> str:
    best = max(offered, key=lambda f: accept.quality(f.media_type))
    return best.media_type
