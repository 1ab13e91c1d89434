"""``/sparql``: the SPARQL 1.1 Protocol, query operation only (the HTTP side).

This module decodes HTTP and encodes answers; the answer itself (guards, negotiation,
admission, the query processes, remembered answers) comes from
:meth:`ngo_ld.queries.QueryService.answer`, and errors become statuses in
:mod:`ngo_ld.web.errors`.

* ``GET ?query=``, ``POST`` form-encoded (``query=``), ``POST application/sparql-query``
  (the body is the query, graphs in the URL); ``default-graph-uri`` / ``named-graph-uri``.
* Errors of the protocol: no query or two queries → 400, another content type → 415,
  a body that is not UTF-8 → 400, a syntax error → 400 with line, column and a pointer;
  ``update=`` / ``application/sparql-update`` → 403 (read-only).
* The result format is negotiated before the query runs (Accept with q-values, or
  ``?format=`` with a token or media type, as Fuseki does): 406 lists what can be served.
* Without a query: the Service Description (Turtle by default) or, to browsers, a query page.
* With a query, to browsers (``text/html`` asked for explicitly, at least as much as any
  other format, or ``format=html``): the query page with the results as a table. The query
  runs once, like any other, in SPARQL JSON (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE),
  and pyoxigraph parses that for the page; errors are shown on the page, with their status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, unquote_plus, urlencode

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, render_template, request, url_for
from werkzeug.exceptions import RequestURITooLarge, UnsupportedMediaType

from ..errors import NgoLdError, QueryError, QueryRefused
from ..formats import GRAPH_FORMATS, HTML, RESULT_FORMATS
from ..pages import display_tag
from ..queries import QueryAnswer, QueryService, choices, description_format
from ..render import serialize_triples
from ..service_description import service_description
from ..sparql import READ_ONLY_MESSAGE, is_volatile
from .errors import Answer, error_answer, error_headers, errors_in_html, reason, status_for
from .language import local_href, page_language
from .result_labels import annotate
from .site import CORS_HEADERS, Site, site

blueprint = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
FORM_TYPE = "application/x-www-form-urlencoded"
UPDATE_TYPE = "application/sparql-update"

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


def service(app: Flask | None = None) -> QueryService:
    """The endpoint's :class:`~ngo_ld.queries.QueryService` (default: the current app's)."""
    s: Site = app.extensions["ngo_ld"] if app is not None else site()
    return s.queries


def warm_up(app: Flask) -> None:
    """Fork the query processes now (gunicorn's ``post_fork``, while single-threaded)."""
    service(app).executor.start()


def shut_down(app: Flask) -> None:
    """Stop the query processes of this process (gunicorn's ``worker_exit``)."""
    app.extensions["ngo_ld"].stop_queries()


# --- the route -------------------------------------------------------------------------------


@blueprint.route("/sparql/", methods=["GET", "POST"])
@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    query, default_graphs, named_graphs = _decode_request()
    values = _overrides()
    if query is None:
        return _describe(values)
    s = site()
    html = choices(request.headers.get("Accept"), values).html
    try:
        answer = s.queries.answer(
            query, default_graphs=tuple(default_graphs), named_graphs=tuple(named_graphs),
            values=values, accept=request.headers.get("Accept"),
            client=s.client(request.environ), html=html)
    except NgoLdError as exc:
        if not html:
            raise
        response = _query_page(query, status_for(exc), error=exc)
        response.headers.update(error_headers(exc, request.path))
        return response
    if html:
        return _results_page(query, default_graphs, named_graphs, answer)
    return _with_result_headers(
        Response(answer.outcome.body, 200, content_type=answer.format.content_type), answer)


def _with_result_headers(response: Response, answer: QueryAnswer) -> Response:
    response.vary.add("Accept")
    for name, value in answer.headers(site().settings.max_result_rows):
        response.headers[name] = value
    return response


# --- the direct path ---------------------------------------------------------------------------


def direct_answerer(app: Flask) -> Callable[[dict[str, Any]], Answer | None]:
    """The endpoint's most common request, ``GET /sparql?query=…`` with nothing else in the
    URL and an Accept header that asks for a machine format, answered without Flask.

    Why: for a query that pyoxigraph answers in 0.1–0.3 ms, Flask's request and response
    handling cost as much again. The direct path calls the same answer layer as the route
    and sends the same headers, errors included (tests/test_sparql_direct.py compares the
    two answer for answer). Anything else (another method or parameter, a browser or a
    client whose errors are pages, a volatile query) returns ``None`` before any query
    runs, and goes to Flask.
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
        if (len(query) > limit or choices(accept, ()).html or errors_in_html(accept)
                or is_volatile(query)):
            return None
        try:
            found = s.queries.answer(query, accept=accept, client=s.client(environ))
        except NgoLdError as exc:
            status, headers, body = error_answer(exc, accept, "/sparql")
            return status, [*headers, *CORS_HEADERS], body
        return "200 OK", [
            ("Content-Type", found.format.content_type),
            ("Content-Length", str(len(found.outcome.body))), ("Vary", "Accept"),
            *found.headers(max_rows), *CORS_HEADERS,
        ], found.outcome.body

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


def _overrides() -> tuple[str, ...]:
    """Values of ``format`` / ``output`` (URL, or form body), most specific first."""
    values = request.args.getlist("format") + request.args.getlist("output")
    if request.method == "POST" and request.mimetype == FORM_TYPE:
        values = request.form.getlist("format") + request.form.getlist("output") + values
    return tuple(v.strip().lower() for v in values if v.strip())


# --- HTML for browsers ------------------------------------------------------------------------


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
                  answer: QueryAnswer) -> Response:
    """The query page with the answer (SPARQL JSON or N-Triples) as a table,
    and links to the same answer in the machine-readable formats."""
    outcome = answer.outcome
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
    return _with_result_headers(_query_page(query, results=results), answer)


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


def _describe(values: tuple[str, ...]) -> Response:
    """The Service Description, or the query page for browsers."""
    fmt = description_format(request.accept_mimetypes, values)
    if fmt is HTML:
        return _query_page(EXAMPLES[0][1])
    endpoint = url_for("sparql.endpoint", _external=True)
    void_url = request.host_url.rstrip("/") + "/.well-known/void"
    triples = service_description(site().store, endpoint, void_url=void_url,
                                  sizes=service().graph_sizes())
    response = Response(serialize_triples(triples, fmt), 200, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response
