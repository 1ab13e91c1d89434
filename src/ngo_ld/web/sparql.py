"""``/sparql``: the SPARQL 1.1 Protocol, query operation only (CONTRACT §4, issue 3).

This module decodes HTTP and encodes responses; the guards live in :mod:`ngo_ld.sparql`,
isolated execution in :mod:`ngo_ld.executor`, the service description in
:mod:`ngo_ld.service_description`.

* ``GET ?query=``, ``POST`` form-encoded (``query=``), ``POST application/sparql-query``
  (the body is the query, graphs in the URL); ``default-graph-uri`` / ``named-graph-uri``.
* Errors of the protocol: no query or two queries → 400, another content type → 415,
  a body that is not UTF-8 → 400, a syntax error → 400 with line, column and a pointer;
  ``update=`` / ``application/sparql-update`` → 403 (read-only).
* The result format is negotiated before the query runs (Accept with q-values, or
  ``?format=`` with a token or media type, as Fuseki does): 406 lists what can be served.
* Results are cached per (data version, query, dataset, format) in a bounded LRU.
* Without a query: the Service Description (Turtle by default) or, to browsers, a query page.
* With a query, to browsers (``text/html`` asked for explicitly, at least as much as any
  other format, or ``format=html``): the query page with the results as a table. The query
  runs once, like any other, in SPARQL JSON (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE),
  and pyoxigraph parses that for the page; errors are shown on the page, with their status.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote_plus, urlencode

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, g, render_template, request, url_for
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import RequestURITooLarge, UnsupportedMediaType
from werkzeug.http import parse_accept_header

from ..config import Settings
from ..errors import NgoLdError, NotAcceptable, QueryError, QueryRefused
from ..executor import Executor, Job, Outcome
from ..formats import (
    GRAPH_FORMATS,
    HTML,
    RESULT_FORMATS,
    SPARQL_JSON,
    Format,
    by_media_type,
    by_token,
    negotiate,
    without_parameters,
)
from ..pages import display_tag
from ..render import serialize_triples
from ..service_description import graph_sizes, service_description
from ..sparql import READ_ONLY_MESSAGE, is_volatile, prepare, syntax_message
from ..store import GraphStore
from .app import CORS_HEADERS, Site, site
from .errors import reason, status_for
from .frontdoor import Doorkeeper
from .resources import local_href, page_language
from .result_labels import annotate

blueprint = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
FORM_TYPE = "application/x-www-form-urlencoded"
UPDATE_TYPE = "application/sparql-update"
#: Names SPARQL clients use for results formats that the format table gives to graphs.
_RESULT_ALIASES = {"application/json": "application/sparql-results+json",
                   "text/json": "application/sparql-results+json",
                   "application/xml": "application/sparql-results+xml",
                   "text/xml": "application/sparql-results+xml"}
#: What the service description is offered as (Turtle for */*; HTML to browsers).
DESCRIPTION_FORMATS: tuple[Format, ...] = (*GRAPH_FORMATS, HTML)

#: Example queries of the query page (docs/sparql.md has more; tests run both).
EXAMPLES: tuple[tuple[str, str], ...] = (
    ("Networks ASTRA belongs to", """\
PREFIX org:  <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ngo:  <https://w3id.org/ngo-ld/id/>

SELECT ?collaboration ?name ?role WHERE {
  ?membership a org:Membership ;
      org:member ngo:astra ;
      org:organization ?collaboration ;
      org:role ?r .
  ?collaboration skos:prefLabel ?name . FILTER(lang(?name) = "en")
  OPTIONAL { ?r skos:prefLabel ?role . FILTER(lang(?role) = "en") }
}
ORDER BY ?name"""),
    ("Kinds of collaboration, with counts", """\
PREFIX org:  <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

SELECT ?kind (COUNT(DISTINCT ?collaboration) AS ?collaborations) WHERE {
  ?collaboration a org:OrganizationalCollaboration ;
      org:classification ?k .
  ?k skos:prefLabel ?kind . FILTER(lang(?kind) = "en")
}
GROUP BY ?kind
ORDER BY DESC(?collaborations)"""),
    ("Names in Serbian (note langMatches: tags are stored lower-case)", """\
PREFIX org:  <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

SELECT ?collaboration ?name WHERE {
  ?collaboration a org:OrganizationalCollaboration ;
      skos:prefLabel ?name .
  FILTER(langMatches(lang(?name), "sr-Latn"))
}
ORDER BY ?name"""),
    ("Everything about ASTRA (CONSTRUCT)", """\
PREFIX ngo: <https://w3id.org/ngo-ld/id/>

CONSTRUCT { ngo:astra ?p ?o } WHERE { ngo:astra ?p ?o }"""),
)


@dataclass
class SparqlService:
    """Per-application state of the endpoint: the query processes and the result cache."""

    store: GraphStore
    settings: Settings
    executor: Executor
    cache_size: int = 512
    #: Bytes of answers kept (each entry counted whole, even when two keys share a body).
    cache_bytes: int = 4 * 1024 * 1024
    _cache: OrderedDict[tuple[object, ...], Outcome] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _bytes: int = 0
    _doorkeeper: Doorkeeper = field(default_factory=lambda: Doorkeeper(2048))
    _sizes: tuple[str, dict[str, int]] | None = None

    @classmethod
    def build(cls, store: GraphStore, settings: Settings) -> SparqlService:
        executor = Executor(store, size=settings.query_workers, timeout=settings.query_timeout,
                            memory_mb=settings.query_memory_mb)
        return cls(store, settings, executor, settings.query_cache_entries,
                   settings.query_cache_bytes)

    def run(self, job: Job, request_key: tuple[object, ...] | None = None, *,
            remember: bool = True) -> tuple[Outcome, bool]:
        """The outcome of ``job`` and whether it came from the cache.

        A successful outcome is remembered under the job (data version, query, dataset,
        formats) and, if given, under ``request_key``: the request as received, so that a
        repeated request skips the guards and negotiation too (see :meth:`cached`).
        """
        key = ("job", self.store.version, job.original, job.default_graphs, job.named_graphs,
               job.results_format, job.graph_format, job.max_rows) if remember else None
        hit = self.cached(key)
        if hit is not None:
            self.remember(request_key, hit)
            return hit, True
        outcome = self.executor.run(job)
        if outcome.status == "ok" and key is not None and self._doorkeeper.admit(key):
            self.remember(key, outcome)  # asked for the second time (see Doorkeeper)
            self.remember(request_key, outcome)
        return outcome, False

    def cached(self, key: tuple[object, ...] | None) -> Outcome | None:
        if key is None or self.cache_size <= 0:
            return None
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
            return hit

    def remember(self, key: tuple[object, ...] | None, outcome: Outcome) -> None:
        if key is None or self.cache_size <= 0:
            return
        size = _entry_size(key, outcome)
        if size > self.cache_bytes // 8:
            return  # one big answer must not push out many small ones
        with self._lock:
            old = self._cache.pop(key, None)
            if old is not None:
                self._bytes -= _entry_size(key, old)
            self._cache[key] = outcome
            self._bytes += size
            while len(self._cache) > self.cache_size or self._bytes > self.cache_bytes:
                gone_key, gone = self._cache.popitem(last=False)
                self._bytes -= _entry_size(gone_key, gone)

    def graph_sizes(self) -> dict[str, int]:
        if self._sizes is None or self._sizes[0] != self.store.version:
            self._sizes = (self.store.version, graph_sizes(self.store))
        return self._sizes[1]


def _entry_size(key: tuple[object, ...], outcome: Outcome) -> int:
    """Roughly what an entry holds: its body, the strings of its key, object overhead."""
    return (len(outcome.body) + sum(len(k) for k in key if isinstance(k, str))
            + len(outcome.message) + 512)


_build_lock = threading.Lock()


def service(app: Flask | None = None) -> SparqlService:
    """The :class:`SparqlService` of ``app`` (default: the current application)."""
    return _service_of(app.extensions["ngo_ld"] if app is not None else site())


def _service_of(s: Site) -> SparqlService:
    found = s.caches.get("sparql")
    if found is None:
        with _build_lock:
            found = s.caches.get("sparql")
            if found is None:
                found = s.caches["sparql"] = SparqlService.build(s.store, s.settings)
    return found  # type: ignore[no-any-return]


def warm_up(app: Flask) -> None:
    """Fork the query processes now (gunicorn's ``post_fork``, while single-threaded)."""
    service(app).executor.start()


def shut_down(app: Flask) -> None:
    """Stop the query processes of this process (gunicorn's ``worker_exit``)."""
    found = app.extensions["ngo_ld"].caches.get("sparql")
    if found is not None:
        found.executor.close()


# --- the route -------------------------------------------------------------------------------


@blueprint.route("/sparql/", methods=["GET", "POST"])
@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    query, default_graphs, named_graphs = _decode_request()
    values = _overrides()
    if query is None:
        return _describe(values)
    if not _wants_html(values):
        outcome, cached = _execute(query, default_graphs, named_graphs, values)
        return _respond(outcome, cached, query)
    try:
        outcome, cached = _execute(query, default_graphs, named_graphs, values, html=True)
        _raise_for(outcome, query)
    except NgoLdError as exc:
        return _query_page(query, status_for(exc), error=exc)
    return _results_page(query, default_graphs, named_graphs, outcome, cached)


def _execute(query: str, default_graphs: list[str], named_graphs: list[str],
             values: list[str], *, html: bool = False) -> tuple[Outcome, bool]:
    """Guard, negotiate and run ``query`` for this request, unless the direct path already
    ran it and left its outcome (an error to report) in the environ."""
    g.volatile_query = is_volatile(query)
    stashed = request.environ.pop(_STASH, None)
    if isinstance(stashed, BaseException):
        raise stashed
    if stashed is not None:
        return stashed  # type: ignore[no-any-return]
    return run_query(site(), query, default_graphs, named_graphs, values,
                     request.headers.get("Accept"), html=html)


def run_query(s: Site, query: str, default_graphs: Sequence[str],
              named_graphs: Sequence[str], values: Sequence[str], accept: str | None, *,
              html: bool = False) -> tuple[Outcome, bool]:
    """Guard, negotiate and run ``query`` (for ``html``: in SPARQL JSON or N-Triples, the
    formats the results page reads), through the result cache. Needs no Flask context, so
    the direct path and the route share it.

    :raises NgoLdError: the query is refused, malformed, too slow, or its answer cannot be
        given in an acceptable format.
    """
    # The same request again (same data, query, dataset, Accept and format parameters) gets
    # the same answer: skip the guards, the negotiation and the executor. Not so for NOW(),
    # RAND() and the like, whose answers are never remembered (and sent "no-store").
    volatile = is_volatile(query)
    request_key = None if volatile else (
        "request", s.store.version, query, tuple(default_graphs), tuple(named_graphs),
        "<html>" if html else (accept or ""), tuple(values))
    endpoint_service = _service_of(s)
    hit = endpoint_service.cached(request_key)
    if hit is not None:
        return hit, True
    settings = s.settings
    prepared = prepare(query, default_graphs=default_graphs, named_graphs=named_graphs,
                       max_length=settings.max_query_length, max_nesting=settings.max_nesting,
                       max_rows=settings.max_result_rows)
    results_format: Format | None
    graph_format: Format | None
    if html:
        results_format, graph_format = SPARQL_JSON, by_token("ntriples")
    else:
        _, results_format, graph_format = _choices_for(accept, tuple(values))
    if prepared.form in ("SELECT", "ASK") and results_format is None:
        raise NotAcceptable([f.media_type for f in RESULT_FORMATS])
    if prepared.form in ("CONSTRUCT", "DESCRIBE") and graph_format is None:
        raise NotAcceptable([f.media_type for f in GRAPH_FORMATS])
    # Relative IRIs resolve against the endpoint's canonical IRI (the service-defined base
    # of SPARQL 1.1 Protocol §2.1.1); a second BASE in the query's own prologue still wins.
    base = f"BASE <{settings.base_iri}sparql>\n"
    job = Job(
        text=base + (prepared.run_text or prepared.text),
        original=base + prepared.text,
        default_graphs=prepared.default_graphs,
        named_graphs=prepared.named_graphs,
        results_format=results_format.token if results_format else None,
        graph_format=graph_format.token if graph_format else None,
        max_rows=settings.max_result_rows,
        count_rows=prepared.count_rows,
        truncated_text=base + prepared.truncated_text if prepared.truncated_text else None,
        max_bytes=settings.max_answer_bytes,
    )
    return endpoint_service.run(job, request_key, remember=not volatile)


# --- the direct path ---------------------------------------------------------------------------

#: Where the direct path leaves what it will not answer itself (an error, or an outcome that
#: is not a result), so the route reports it without running the query a second time.
_STASH = "ngo_ld.sparql.outcome"

#: A complete answer: status line, headers, body.
Answer = tuple[str, list[tuple[str, str]], bytes]


def direct_answerer(app: Flask) -> Callable[[dict[str, Any]], Answer | None]:
    """The endpoint's most common request, ``GET /sparql?query=…`` with nothing else in the
    URL and an Accept header that asks for a machine format, answered without Flask.

    Why: for a query that pyoxigraph answers in 0.1–0.3 ms, Flask's request and response
    handling cost as much again (issue 5: distinct queries ≤ 2× Oxigraph's CPU). The
    direct path runs the same guards, negotiation, cache and executor (:func:`run_query`)
    and sends the same headers as the route; tests/test_sparql_direct.py compares the two
    answer for answer. Anything else — another method or parameter, a browser, a volatile
    query, an error to report — returns ``None`` and goes to Flask, with the outcome of a
    query that already ran left in the environ.
    """
    s: Site = app.extensions["ngo_ld"]
    limit, max_rows = s.settings.max_query_length, s.settings.max_result_rows

    def answer(environ: dict[str, Any]) -> Answer | None:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != "/sparql":
            return None
        raw = environ.get("QUERY_STRING", "")
        # Exactly one parameter, `query` (percent-encoded `&` is %26); raw non-ASCII bytes
        # are left to Werkzeug's decoding.
        if not raw.startswith("query=") or "&" in raw or not raw.isascii():
            return None
        try:
            query = unquote_plus(raw[6:], errors="strict")
        except UnicodeDecodeError:
            return None
        accept = environ.get("HTTP_ACCEPT")
        if len(query) > limit or _choices_for(accept, ())[0] or is_volatile(query):
            return None
        try:
            outcome, cached = run_query(s, query, (), (), (), accept)
        except Exception as exc:  # the route reports it (its error pages, its statuses)
            environ[_STASH] = exc
            return None
        if outcome.status != "ok":
            environ[_STASH] = (outcome, cached)
            return None
        fmt = _FORMAT_OF_TOKEN[outcome.format]  # type: ignore[index]
        return "200 OK", [
            ("Content-Type", fmt.content_type), ("Content-Length", str(len(outcome.body))),
            ("Vary", "Accept"),
            *_result_headers(outcome, cached, volatile=False, max_rows=max_rows),
            *CORS_HEADERS,
        ], outcome.body

    return answer


def _decode_request() -> tuple[str | None, list[str], list[str]]:
    """The query, default graphs and named graphs of a protocol request."""
    args = request.args
    if "update" in args or "using-graph-uri" in args or "using-named-graph-uri" in args:
        raise QueryRefused(READ_ONLY_MESSAGE, hint="send queries with the `query` parameter")
    queries = args.getlist("query")
    default_graphs = args.getlist("default-graph-uri")
    named_graphs = args.getlist("named-graph-uri")
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == FORM_TYPE:
            form = request.form
            if "update" in form:
                raise QueryRefused(READ_ONLY_MESSAGE,
                                   hint="send queries with the `query` parameter")
            queries += form.getlist("query")
            default_graphs += form.getlist("default-graph-uri")
            named_graphs += form.getlist("named-graph-uri")
        elif mimetype == QUERY_TYPE:
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise QueryError(f"the query must be UTF-8 text, not {charset}",
                                 hint=f"send Content-Type: {QUERY_TYPE}; charset=utf-8")
            raw = request.get_data(cache=False)
            try:
                queries.insert(0, raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise QueryError(f"the query is not UTF-8 text (byte {exc.start})",
                                 hint="encode the query as UTF-8") from None
        elif mimetype == UPDATE_TYPE:
            raise QueryRefused(READ_ONLY_MESSAGE, hint="this service runs queries only")
        else:
            raise UnsupportedMediaType(
                f"a SPARQL query is POSTed as {FORM_TYPE} (query=…) or as {QUERY_TYPE}; "
                f"got {mimetype or 'no Content-Type'}"
            )
    if not queries:
        if request.method == "GET" and not default_graphs and not named_graphs:
            return None, [], []
        raise QueryError("no query: the request has no `query` parameter",
                         hint="send ?query=… (GET), query=… (form POST) or a "
                         f"{QUERY_TYPE} body")
    if len(queries) > 1:
        raise QueryError(f"the request has {len(queries)} queries; send exactly one",
                         hint="the `query` parameter may appear only once")
    query = queries[0]
    limit = site().settings.max_query_length
    if request.method == "GET" and len(query) > limit:
        raise RequestURITooLarge(
            f"the query is {len(query):,} characters long; the limit is {limit:,}. "
            "Long queries are better sent with POST."
        )
    return query, default_graphs, named_graphs


#: Names clients put in ``?format=`` / ``?output=`` (Fuseki, SPARQLWrapper), per kind.
_RESULT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "srj": "json",
                 "srx": "xml", "sparql-results+json": "json", "sparql-results+xml": "xml",
                 **{alias: by_media_type(target).token  # type: ignore[union-attr]
                    for alias, target in _RESULT_ALIASES.items()}}
_GRAPH_NAMES = {"turtle": "turtle", "ttl": "turtle", "text/turtle": "turtle",
                "application/x-turtle": "turtle", "jsonld": "jsonld", "json-ld": "jsonld",
                "json": "jsonld", "application/ld+json": "jsonld", "application/json": "jsonld",
                "rdfxml": "rdfxml", "rdf": "rdfxml", "rdf+xml": "rdfxml", "xml": "rdfxml",
                "application/rdf+xml": "rdfxml", "application/xml": "rdfxml",
                "ntriples": "ntriples", "nt": "ntriples", "n-triples": "ntriples",
                "application/n-triples": "ntriples", "text/plain": "ntriples"}


def _overrides() -> list[str]:
    """Values of ``format`` / ``output`` (URL, or form body), most specific first."""
    values = request.args.getlist("format") + request.args.getlist("output")
    if request.method == "POST" and request.mimetype == FORM_TYPE:
        values = request.form.getlist("format") + request.form.getlist("output") + values
    return [v.strip().lower() for v in values if v.strip()]


def _known_override(values: list[str]) -> bool:
    return any(v in _RESULT_NAMES or v in _GRAPH_NAMES or by_media_type(v) is not None
               for v in values)


def _from_override(values: list[str], names: dict[str, str]) -> Format | None:
    for value in values:
        token = names.get(value)
        if token is None and by_media_type(value) is not None:
            token = names.get(by_media_type(value).token)  # type: ignore[union-attr]
        if token is not None:
            return by_token(token)
    return None


def _choices(values: list[str]) -> tuple[bool, Format | None, Format | None]:
    """For this request's ``Accept`` header and ``format`` values: whether the answer goes
    to a browser as HTML, the results format (SELECT, ASK) and the graph format (CONSTRUCT,
    DESCRIBE). A pure function of the raw header and the values, so remembered per pair:
    Werkzeug's Accept parsing and matching cost more than a small query (issue 5)."""
    return _choices_for(request.headers.get("Accept"), tuple(values))


@lru_cache(maxsize=1024)
def _choices_for(accept_header: str | None, values: tuple[str, ...]
                 ) -> tuple[bool, Format | None, Format | None]:
    # Parameters (";charset=utf-8", a JSON-LD profile) never change which format we send.
    accept = without_parameters(parse_accept_header(accept_header, MIMEAccept))
    listed = list(values)
    return (_wants_html_for(accept, listed), _negotiate_results(accept, listed),
            _negotiate_graph(accept, listed))


def _negotiate_results(accept: MIMEAccept, values: list[str]) -> Format | None:
    """Like formats.negotiate, but SPARQL clients' generic names (application/json,
    application/xml) count as the results formats, with their q-values."""
    if values and _known_override(values):
        return _from_override(values, _RESULT_NAMES)
    if not accept:
        return RESULT_FORMATS[0]
    best = accept.best_match([f.media_type for f in RESULT_FORMATS] + list(_RESULT_ALIASES))
    return by_media_type(_RESULT_ALIASES.get(best, best)) if best else None


def _negotiate_graph(accept: MIMEAccept, values: list[str]) -> Format | None:
    if values and _known_override(values):
        return _from_override(values, _GRAPH_NAMES)
    return negotiate(accept, GRAPH_FORMATS)


def _respond(outcome: Outcome, cached: bool, query: str) -> Response:
    _raise_for(outcome, query)
    fmt = _FORMAT_OF_TOKEN[outcome.format]  # type: ignore[index]
    return _with_result_headers(Response(outcome.body, 200, content_type=fmt.content_type),
                                outcome, cached)


_FORMAT_OF_TOKEN = {f.token: f for f in (*RESULT_FORMATS, *GRAPH_FORMATS)}


def _with_result_headers(response: Response, outcome: Outcome, cached: bool) -> Response:
    response.vary.add("Accept")
    for name, value in _result_headers(outcome, cached,
                                       volatile=bool(g.get("volatile_query")),
                                       max_rows=site().settings.max_result_rows):
        response.headers[name] = value
    return response


def _result_headers(outcome: Outcome, cached: bool, *, volatile: bool, max_rows: int
                    ) -> list[tuple[str, str]]:
    """The headers of a query's answer beyond Content-Type and Vary (route and direct
    path alike)."""
    headers = [("X-SPARQL-Cache", "hit" if cached else "miss")]
    if volatile:
        headers.append(("Cache-Control", "no-store"))  # the front door respects it too
    if outcome.truncated:
        limit = max_rows
        headers += [
            ("X-SPARQL-Truncated", "true"),
            ("X-SPARQL-Max-Rows", str(limit)),
            ("Warning", f'199 - "result truncated to the first {limit} '
                        f'{"rows" if outcome.kind == "results" else "triples"}"'),
        ]
    return headers


def _raise_for(outcome: Outcome, query: str) -> None:
    """Nothing for a successful outcome; otherwise the error to answer with."""
    if outcome.status == "ok":
        return
    if outcome.status == "syntax":
        message, pointer = syntax_message(Exception(outcome.message), query, line_offset=1)
        raise QueryError(message + (f"\n{pointer}" if pointer else ""),
                         hint="see the SPARQL 1.1 grammar: "
                         "https://www.w3.org/TR/sparql11-query/#grammar")
    if outcome.status == "not-acceptable":
        offered = RESULT_FORMATS if outcome.kind == "results" else GRAPH_FORMATS
        raise NotAcceptable([f.media_type for f in offered])
    if outcome.status == "too-large":
        raise QueryError(outcome.message, hint="add a LIMIT, or select fewer or shorter "
                         "values")
    raise QueryError(f"the query could not be evaluated: {outcome.message}")


# --- HTML for browsers ------------------------------------------------------------------------

_HTML_NAMES = ("html", "text/html")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Everything else a query's answer is offered as (and the names clients use for them).
_MACHINE_TYPES = tuple(f.media_type for f in (*RESULT_FORMATS, *GRAPH_FORMATS)) + tuple(
    _RESULT_ALIASES)


def _wants_html(values: list[str]) -> bool:
    """Whether a query's answer goes to a browser: ``format=html``, or no other known
    ``format`` and an Accept header that names ``text/html`` itself (a wildcard is not
    enough: ``*/*`` gets SPARQL JSON or Turtle) with a quality at least that of every
    other format offered (a browser's ``text/html,…,application/xml;q=0.9,*/*;q=0.8``)."""
    return _choices(values)[0]


def _wants_html_for(accept: MIMEAccept, values: list[str]) -> bool:
    if any(v in _HTML_NAMES for v in values):
        return True
    if values and _known_override(values):
        return False
    html = max((q for value, q in accept
                if value.split(";", 1)[0].strip().lower() in _HTML_TYPES), default=0)
    return html > 0 and html >= max(accept.quality(m) for m in _MACHINE_TYPES)


def _query_page(query: str, status: int = 200, **context: Any) -> Response:
    """The query page, its form holding ``query``, with results or an error (``context``),
    in the page language (``Content-Language``, ``Vary: Accept, Accept-Language``, as the
    pages of /doc/)."""
    body = render_template(
        "sparql.html", examples=EXAMPLES, result_formats=RESULT_FORMATS,
        graph_formats=GRAPH_FORMATS, settings=site().settings, query=query,
        endpoint=url_for("sparql.endpoint"), status=status, reason=reason(status),
        **context)
    response = Response(body, status, content_type=HTML.content_type)
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    response.headers["Content-Language"] = page_language()[0]
    return response


def _results_page(query: str, default_graphs: list[str], named_graphs: list[str],
                  outcome: Outcome, cached: bool) -> Response:
    """The query page with the answer of ``outcome`` (SPARQL JSON or N-Triples) as a table,
    and links to the same answer in the machine-readable formats."""
    results: dict[str, Any]
    if outcome.kind == "graph":
        triples = [(q.subject, q.predicate, q.object)
                   for q in ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES)]
        results = {"kind": "graph", "head": ["subject", "predicate", "object"],
                   "rows": [[_cell(t) for t in row] for row in triples]}
        formats = GRAPH_FORMATS
    else:
        parsed = ox.parse_query_results(outcome.body, format=ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            results = {"kind": "boolean", "boolean": bool(parsed)}
        else:
            head = [v.value for v in parsed.variables]
            results = {"kind": "solutions", "head": head,
                       "rows": [[_cell(solution[v]) for v in head] for solution in parsed]}
        formats = RESULT_FORMATS
    dataset = ([("default-graph-uri", g) for g in default_graphs]
               + [("named-graph-uri", g) for g in named_graphs])
    endpoint = url_for("sparql.endpoint")
    results["links"] = [
        (f.label, f.media_type, endpoint + "?" + urlencode(
            [("query", query), *dataset, ("format", f.token)], quote_via=quote))
        for f in formats]
    results["truncated"] = outcome.truncated
    annotate(results, page_language()[0])
    return _with_result_headers(_query_page(query, results=results), outcome, cached)


def _cell(term: object) -> dict[str, str] | None:
    """What a table cell shows of an RDF term (None when unbound); text, not markup."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"kind": "iri", "text": term.value, "href": local_href(term.value)}
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        shown = "" if term.language or datatype.endswith("#string") else datatype
        for prefix, iri in (("xsd:", "http://www.w3.org/2001/XMLSchema#"),
                            ("rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")):
            if shown.startswith(iri):
                shown = prefix + shown[len(iri):]
        return {"kind": "literal", "text": term.value, "lang": display_tag(term.language),
                "datatype": shown}
    if isinstance(term, ox.BlankNode):
        return {"kind": "bnode", "text": f"_:{term.value}"}
    return {"kind": "other", "text": str(term)}


def _describe(values: list[str]) -> Response:
    """The Service Description, or the query page for browsers."""
    if any(v in _HTML_NAMES for v in values):
        fmt: Format | None = HTML
    elif values and _known_override(values):
        fmt = _from_override(values, _GRAPH_NAMES)
    else:
        fmt = negotiate(request.accept_mimetypes, DESCRIPTION_FORMATS)
    if fmt is None:
        raise NotAcceptable([f.media_type for f in DESCRIPTION_FORMATS])
    if fmt is HTML:
        return _query_page(EXAMPLES[0][1])
    endpoint = url_for("sparql.endpoint", _external=True)
    void_url = request.host_url.rstrip("/") + "/.well-known/void"
    triples = service_description(site().store, endpoint, void_url=void_url,
                                  sizes=service().graph_sizes())
    response = Response(serialize_triples(triples, fmt), 200, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response
