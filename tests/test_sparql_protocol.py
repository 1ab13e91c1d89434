"""The SPARQL 1.1 Protocol at /sparql, through the Flask test client.

* the protocol matrix: (GET, POST form, POST application/sparql-query) × (SELECT, ASK,
  CONSTRUCT, DESCRIBE) × every format, each body parsed back and compared with the store;
* every case of the W3C protocol manifest (../shared/w3c-sparql11-protocol/manifest.ttl):
  query cases as written, update cases as "refused, nothing changed";
* negotiation, errors, limits, cache, CORS, the service description and the query page.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient
from rdflib.compare import isomorphic

from ngo_ld.config import Settings
from ngo_ld.formats import GRAPH_FORMATS, RESULT_FORMATS, Format
from ngo_ld.loading import to_rdflib
from ngo_ld.store import GraphStore, OxigraphStore
from ngo_ld.web import create_app

SHARED = Path(__file__).resolve().parents[2] / "shared"
MANIFEST = SHARED / "w3c-sparql11-protocol" / "manifest.ttl"

QUERIES = {
    "SELECT": "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label } ORDER BY ?s ?label LIMIT 40",
    "ASK": "ASK { ?s a org:OrganizationalCollaboration }",
    "CONSTRUCT": "CONSTRUCT { ?s skos:prefLabel ?l } WHERE "
                 "{ ?s a org:OrganizationalCollaboration ; skos:prefLabel ?l }",
    "DESCRIBE": "DESCRIBE <https://w3id.org/ngo-ld/id/astra>",
}
TRANSPORTS = ("get", "form", "direct")
RDFLIB_PARSER = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}


def build_app(settings: Settings, store: GraphStore) -> Iterator[Flask]:
    from ngo_ld.web.sparql import shut_down

    application = create_app(settings, store=store)
    application.config["TESTING"] = True
    yield application
    shut_down(application)


@pytest.fixture(scope="module")
def sparql_app(settings: Settings, store: GraphStore) -> Iterator[Flask]:
    yield from build_app(settings.but(validate_on_start=False), store)


@pytest.fixture()
def web(sparql_app: Flask) -> FlaskClient:
    return sparql_app.test_client()


def ask(client: FlaskClient, transport: str, query: str, *, accept: str | None = None,
        args: dict[str, str | list[str]] | None = None, path: str = "/sparql"):
    headers = {"Accept": accept} if accept else {}
    args = dict(args or {})
    if transport == "get":
        return client.get(path, query_string={**args, "query": query}, headers=headers)
    if transport == "form":
        return client.post(path, data={**args, "query": query}, headers=headers)
    return client.post(path, query_string=args, data=query.encode("utf-8"),
                       content_type="application/sparql-query", headers=headers)


def solutions_as_set(answer: ox.QuerySolutions) -> set[tuple[tuple[str, str], ...]]:
    names = [v.value for v in answer.variables]
    return {tuple((n, str(row[n])) for n in names if row[n] is not None) for row in answer}


def in_process(store: GraphStore, query: str):
    return store.query(query)


# --- the protocol matrix ---------------------------------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.token)
def test_select_in_every_results_format_matches_the_store(
    web: FlaskClient, store: GraphStore, transport: str, fmt: Format
) -> None:
    response = ask(web, transport, QUERIES["SELECT"], accept=fmt.media_type)
    assert response.status_code == 200, response.data
    assert response.headers["Content-Type"] == fmt.content_type
    assert response.headers["Vary"] == "Accept"
    expected = store.query(QUERIES["SELECT"])
    if fmt.token == "csv":
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8"))))
        want = [[str(r[v].value) for v in ("s", "label")]
                for r in store.query(QUERIES["SELECT"])]
        assert rows[0] == ["s", "label"] and rows[1:] == want
        return
    parsed = ox.parse_query_results(response.data,
                                    format=getattr(ox.QueryResultsFormat, fmt.oxigraph_name))
    got = solutions_as_set(parsed)
    assert got == solutions_as_set(expected)
    assert len(got) > 0


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.token)
def test_ask_in_every_results_format(web: FlaskClient, store: GraphStore, transport: str,
                                     fmt: Format) -> None:
    response = ask(web, transport, QUERIES["ASK"], accept=fmt.media_type)
    assert response.status_code == 200, response.data
    assert response.headers["Content-Type"] == fmt.content_type
    expected = bool(store.query(QUERIES["ASK"]))
    if fmt.token in ("csv", "tsv"):  # not defined by the W3C; pyoxigraph writes the word
        assert response.data.strip() == str(expected).lower().encode()
        return
    parsed = ox.parse_query_results(response.data,
                                    format=getattr(ox.QueryResultsFormat, fmt.oxigraph_name))
    assert bool(parsed) is expected is True


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.token)
def test_graph_queries_in_every_rdf_format_match_the_store(
    web: FlaskClient, store: GraphStore, transport: str, form: str, fmt: Format
) -> None:
    response = ask(web, transport, QUERIES[form], accept=fmt.media_type)
    assert response.status_code == 200, response.data
    assert response.headers["Content-Type"] == fmt.content_type
    got = rdflib.Graph().parse(data=response.data, format=RDFLIB_PARSER[fmt.token])
    expected = to_rdflib(store.query(QUERIES[form]))
    assert len(expected) > 0
    assert isomorphic(got, expected)


@pytest.mark.parametrize(
    ("accept", "token"),
    [
        (None, "json"),
        ("*/*", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv;q=0.5, text/tab-separated-values", "tsv"),
        ("application/sparql-results+xml;q=0.2, application/sparql-results+json;q=0.9", "json"),
        ("application/json", "json"),
        ("application/xml", "xml"),
        ("text/*", "csv"),
        ("text/html;q=0.5, application/xml", "xml"),  # browsers: tests/test_sparql_html.py
    ],
)
def test_results_format_follows_accept_with_q_values(web: FlaskClient, accept: str | None,
                                                      token: str) -> None:
    response = ask(web, "get", "SELECT * { ?s ?p ?o } LIMIT 1", accept=accept)
    fmt = next(f for f in RESULT_FORMATS if f.token == token)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type


@pytest.mark.parametrize(
    ("accept", "token"),
    [(None, "turtle"), ("*/*", "turtle"), ("application/n-triples", "ntriples"),
     ("application/ld+json;q=1, text/turtle;q=0.5", "jsonld"), ("application/rdf+xml", "rdfxml"),
     ("application/json", "jsonld")],
)
def test_graph_format_follows_accept_with_q_values(web: FlaskClient, accept: str | None,
                                                    token: str) -> None:
    response = ask(web, "get", QUERIES["CONSTRUCT"], accept=accept)
    fmt = next(f for f in GRAPH_FORMATS if f.token == token)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type


@pytest.mark.parametrize("value", ["csv", "text/csv", "tsv"])
def test_format_parameter_overrides_accept(web: FlaskClient, value: str) -> None:
    response = web.get("/sparql", query_string={"query": "SELECT * {} ", "format": value},
                       headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.mimetype == ("text/tab-separated-values" if value == "tsv" else "text/csv")


@pytest.mark.parametrize(
    ("query", "accept", "offered"),
    [
        ("SELECT * {}", "text/turtle", "application/sparql-results+json"),
        ("ASK {}", "image/png", "application/sparql-results+xml"),
        (QUERIES["CONSTRUCT"], "application/sparql-results+json", "text/turtle"),
        (QUERIES["DESCRIBE"], "text/csv", "application/n-triples"),
    ],
)
def test_406_lists_what_can_be_served(web: FlaskClient, query: str, accept: str,
                                      offered: str) -> None:
    response = ask(web, "get", query, accept=accept + ", application/json;q=0"
                   if "json" not in accept else accept)
    assert response.status_code == 406
    assert offered in response.get_data(as_text=True)


def test_406_for_a_format_parameter_of_the_wrong_kind(web: FlaskClient) -> None:
    response = web.get("/sparql", query_string={"query": "SELECT * {}", "format": "turtle"})
    assert response.status_code == 406


# --- the W3C protocol manifest ---------------------------------------------------------------


@dataclass
class ManifestRequest:
    method: str
    path: str
    body: bytes | None
    content_type: str | None
    expected_status: set[int]
    expected_boolean: bool | None
    expected_format: str | None


def _manifest() -> list[tuple[str, list[ManifestRequest]]]:
    if not MANIFEST.is_file():
        return []
    mf = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
    ht = rdflib.Namespace("http://www.w3.org/2011/http#")
    cnt = rdflib.Namespace("http://www.w3.org/2011/content#")
    g = rdflib.Graph().parse(MANIFEST)
    manifest = next(g.subjects(rdflib.RDF.type, mf.Manifest))
    cases = []
    for entry in rdflib.collection.Collection(g, g.value(manifest, mf.entries)):
        name = str(entry).rsplit("#", 1)[-1]
        connection = g.value(entry, mf.action)
        requests = []
        for req in rdflib.collection.Collection(g, g.value(connection, ht.requests)):
            body_node = g.value(req, ht.body)
            body = None
            if body_node is not None:
                encoding = str(g.value(body_node, cnt.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, cnt.chars)).encode(encoding.lower())
            content_type = None
            headers = g.value(req, ht.headers)
            if headers is not None:
                for header in rdflib.collection.Collection(g, headers):
                    if str(g.value(header, ht.fieldName)).lower() == "content-type":
                        content_type = str(g.value(header, ht.fieldValue))
            resp = g.value(req, ht.resp)
            statuses = {int(str(s).rsplit("StatusCode", 1)[-1][0])
                        for s in g.objects(resp, mf.expectedStatus)}
            boolean = g.value(resp, mf.expectedBoolean)
            fmt = g.value(resp, mf.expectedFormat)
            requests.append(ManifestRequest(
                str(g.value(req, ht.methodName)), str(g.value(req, ht.absolutePath)), body,
                content_type, statuses, None if boolean is None else bool(boolean.toPython()),
                None if fmt is None else str(fmt)))
        cases.append((name, requests))
    return cases


MANIFEST_CASES = _manifest()
QUERY_CASES = [c for c in MANIFEST_CASES if not c[0].startswith(("update_", "bad_update_"))]
UPDATE_CASES = [c for c in MANIFEST_CASES if c[0].startswith(("update_", "bad_update_"))]
KASEI = "http://kasei.us/2009/09/sparql/data/"


@pytest.fixture(scope="module")
def manifest_store() -> OxigraphStore:
    """The data the manifest's cases assume: data1..3 in graphs named after their .rdf."""
    raw = ox.Store()
    for n in (1, 2, 3):
        path = SHARED / "w3c-sparql11-protocol" / f"data{n}.nt"
        for quad in ox.parse(path.read_bytes(), format=ox.RdfFormat.N_TRIPLES):
            raw.add(ox.Quad(quad.subject, quad.predicate, quad.object,
                            ox.NamedNode(f"{KASEI}data{n}.rdf")))
    return OxigraphStore(raw, base_iri="https://w3id.org/ngo-ld/", version="manifest")


@pytest.fixture(scope="module")
def manifest_client(settings: Settings, manifest_store: OxigraphStore) -> Iterator[FlaskClient]:
    for application in build_app(settings.but(validate_on_start=False), manifest_store):
        yield application.test_client()


def _send(client: FlaskClient, req: ManifestRequest):
    parts = urlsplit(req.path)
    kwargs: dict[str, object] = {
        "query_string": parse_qsl(parts.query, keep_blank_values=True),
        "headers": {"Accept": "application/sparql-results+json, text/turtle;q=0.9"},
    }
    if req.body is not None:
        kwargs["data"] = req.body
    if req.content_type is not None:
        kwargs["content_type"] = req.content_type
    return client.open(parts.path, method=req.method, **kwargs)


def _check_expected(response, req: ManifestRequest) -> None:
    assert response.status_code // 100 in req.expected_status, (
        response.status_code, response.data[:300])
    if req.expected_format == "boolean":
        assert response.mimetype in ("application/sparql-results+json",
                                     "application/sparql-results+xml")
    if req.expected_format == "tabular":
        assert response.mimetype in [f.media_type for f in RESULT_FORMATS]
        assert json.loads(response.data)["results"]["bindings"][0]["value"]["value"] == "1"
    if req.expected_format == "RDF":
        assert response.mimetype in [f.media_type for f in GRAPH_FORMATS]
    if req.expected_boolean is not None:
        assert json.loads(response.data)["boolean"] is req.expected_boolean


@pytest.mark.skipif(not MANIFEST_CASES, reason="../shared/w3c-sparql11-protocol not present")
@pytest.mark.parametrize(("name", "requests"), QUERY_CASES, ids=[c[0] for c in QUERY_CASES])
def test_w3c_manifest_query_case(manifest_client: FlaskClient, name: str,
                                 requests: list[ManifestRequest]) -> None:
    for req in requests:
        _check_expected(_send(manifest_client, req), req)


def _fingerprint(store: OxigraphStore) -> tuple[int, str, frozenset[object]]:
    quads = frozenset(store.raw.quads_for_pattern(None, None, None, None))
    return len(quads), store.version, quads


@pytest.mark.skipif(not MANIFEST_CASES, reason="../shared/w3c-sparql11-protocol not present")
@pytest.mark.parametrize(("name", "requests"), UPDATE_CASES, ids=[c[0] for c in UPDATE_CASES])
def test_w3c_manifest_update_case_is_refused_and_changes_nothing(
    manifest_client: FlaskClient, manifest_store: OxigraphStore, name: str,
    requests: list[ManifestRequest],
) -> None:
    before = _fingerprint(manifest_store)
    first = _send(manifest_client, requests[0])
    assert 400 <= first.status_code < 500, first.data
    if name.startswith("update_"):  # a valid update: refused as such, with the reason
        assert first.status_code == 403
        assert "read-only" in first.get_data(as_text=True)
    # The manifest's follow-up ASK would find the update's effect; there is none.
    for req in requests[1:]:
        follow_up = _send(manifest_client, req)
        assert follow_up.status_code == 200
        assert json.loads(follow_up.data)["boolean"] is False
    assert _fingerprint(manifest_store) == before


def test_manifest_was_read() -> None:
    if not MANIFEST.is_file():
        pytest.skip("../shared not present")
    assert len(QUERY_CASES) >= 20 and len(UPDATE_CASES) >= 12


# --- errors of the protocol ------------------------------------------------------------------


def test_missing_query_on_post_is_400(web: FlaskClient) -> None:
    response = web.post("/sparql", data={"default-graph-uri": "http://x/"})
    assert response.status_code == 400
    assert "no query" in response.get_json()["error"]["message"]


def test_two_queries_are_400(web: FlaskClient) -> None:
    response = web.get("/sparql?query=ASK%20%7B%7D&query=SELECT%20*%20%7B%7D")
    assert response.status_code == 400
    response = web.post("/sparql?query=ASK%20%7B%7D", data=b"ASK {}",
                        content_type="application/sparql-query")
    assert response.status_code == 400


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", None])
def test_other_content_types_are_415(web: FlaskClient, content_type: str | None) -> None:
    kwargs = {"content_type": content_type} if content_type else {}
    response = web.post("/sparql", data=b"query=ASK%20%7B%7D", **kwargs)
    assert response.status_code == 415
    assert "application/sparql-query" in response.get_data(as_text=True)


def test_non_utf8_body_is_400(web: FlaskClient) -> None:
    response = web.post("/sparql", data="ASK {}".encode("utf-16"),
                        content_type="application/sparql-query")
    assert response.status_code == 400
    response = web.post("/sparql", data="ASK { FILTER('é') }".encode("latin-1"),
                        content_type="application/sparql-query; charset=utf-8")
    assert response.status_code == 400
    assert "UTF-8" in response.get_json()["error"]["message"]


def test_syntax_error_is_400_with_line_column_and_pointer(web: FlaskClient) -> None:
    response = ask(web, "get", "SELECT * WHERE {\n  ?s ?p ?o .\n  ?s ?p\n}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["message"].startswith("syntax error at line ")
    assert "^" in error["message"] and "sparql11-query/#grammar" in error["hint"]


def test_errors_follow_accept(web: FlaskClient) -> None:
    response = ask(web, "get", "SELEC * {", accept="text/plain")
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert "syntax error" in response.get_data(as_text=True)
    response = ask(web, "get", "ASK { <a> <b> '<script>alert(1)</script>' ",
                   accept="text/html, */*;q=0.1")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "<script>alert" not in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(web: FlaskClient, method: str) -> None:
    response = web.open("/sparql?query=ASK%20%7B%7D", method=method)
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "query_string": {"update": "CLEAR ALL"}},
        {"method": "POST", "data": {"update": "DROP ALL"}},
        {"method": "POST", "data": b"LOAD <http://127.0.0.1:9/>",
         "content_type": "application/sparql-update"},
        {"method": "POST", "data": {"query": "INSERT DATA { <a> <b> <c> }"}},
        {"method": "GET", "query_string": {"query": "CLEAR ALL"}},
        {"method": "POST", "data": b"DELETE WHERE { ?s ?p ?o }",
         "content_type": "application/sparql-query"},
    ],
)
def test_updates_are_refused_by_every_transport(web: FlaskClient, store: GraphStore,
                                                request_kwargs: dict[str, object]) -> None:
    before = (len(store), store.version, store.graph_names())
    response = web.open("/sparql", **request_kwargs)
    assert response.status_code == 403
    assert "read-only" in response.get_json()["error"]["message"]
    assert (len(store), store.version, store.graph_names()) == before


def test_service_is_refused(web: FlaskClient) -> None:
    response = ask(web, "form", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert response.status_code == 403
    assert "SERVICE" in response.get_json()["error"]["message"]


# --- datasets --------------------------------------------------------------------------------


def test_default_graph_is_the_union_and_named_graphs_are_the_source_files(
    web: FlaskClient, store: GraphStore
) -> None:
    graphs = store.graph_names()
    assert graphs and all(g.startswith("https://w3id.org/ngo-ld/graph/") for g in graphs)
    total = json.loads(ask(web, "get", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").data)
    one = json.loads(ask(web, "get", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
                         args={"default-graph-uri": graphs[0]}).data)
    n_total = int(total["results"]["bindings"][0]["n"]["value"])
    n_one = int(one["results"]["bindings"][0]["n"]["value"])
    assert 0 < n_one < n_total
    named = json.loads(ask(web, "get", "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }",
                           args={"named-graph-uri": graphs[:2]}).data)
    assert {b["g"]["value"] for b in named["results"]["bindings"]} == set(graphs[:2])
    # named graphs only: the default graph is empty (SPARQL 1.1 Protocol §2.1.4)
    empty = json.loads(ask(web, "get", "ASK { ?s ?p ?o }",
                           args={"named-graph-uri": graphs[0]}).data)
    assert empty["boolean"] is False


def test_from_clause_selects_a_local_graph(web: FlaskClient, store: GraphStore) -> None:
    graph = store.graph_names()[0]
    query = f"SELECT (COUNT(*) AS ?n) FROM <{graph}> {{ ?s ?p ?o }}"
    body = json.loads(ask(web, "get", query).data)
    expected = store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert body["results"]["bindings"][0]["n"]["value"] == next(iter(expected))["n"].value


def test_from_an_unknown_or_file_iri_is_an_empty_graph(web: FlaskClient) -> None:
    for iri in ("file:///etc/passwd", "http://127.0.0.1:9/data.ttl"):
        body = json.loads(ask(web, "get", f"SELECT * FROM <{iri}> {{ ?s ?p ?o }}").data)
        assert body["results"]["bindings"] == []


def test_default_prefixes_are_predefined(web: FlaskClient) -> None:
    response = ask(web, "get", "ASK { ngo:astra a org:Organization }")
    assert response.status_code == 200


# --- limits, truncation, cache ---------------------------------------------------------------


@pytest.fixture(scope="module")
def small_limits_client(settings: Settings, store: GraphStore) -> Iterator[FlaskClient]:
    tight = settings.but(validate_on_start=False, max_result_rows=5, max_query_length=200,
                         max_request_bytes=1024, query_timeout=1.0, max_nesting=10)
    for application in build_app(tight, store):
        yield application.test_client()


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.token)
def test_select_results_are_truncated_and_flagged(small_limits_client: FlaskClient,
                                                  fmt: Format) -> None:
    response = ask(small_limits_client, "get", "SELECT ?s ?p ?o { ?s ?p ?o } ORDER BY ?s ?p ?o",
                   accept=fmt.media_type)
    assert response.status_code == 200
    assert response.headers["X-SPARQL-Truncated"] == "true"
    assert response.headers["X-SPARQL-Max-Rows"] == "5"
    if fmt.token == "json":
        assert len(json.loads(response.data)["results"]["bindings"]) == 5
    if fmt.token == "csv":
        assert len(list(csv.reader(io.StringIO(response.get_data(as_text=True))))) == 6


def test_results_within_the_limit_are_not_flagged(small_limits_client: FlaskClient) -> None:
    for query in ("SELECT * { ?s ?p ?o } LIMIT 5", "SELECT * { ?s ?p ?o } LIMIT 3",
                  "SELECT * { VALUES ?x { 1 2 3 4 5 } }"):
        response = ask(small_limits_client, "get", query)
        assert response.status_code == 200
        assert "X-SPARQL-Truncated" not in response.headers


def test_graph_results_are_truncated_and_flagged(small_limits_client: FlaskClient) -> None:
    response = ask(small_limits_client, "get", "CONSTRUCT WHERE { ?s ?p ?o }",
                   accept="application/n-triples")
    assert response.status_code == 200
    assert response.headers["X-SPARQL-Truncated"] == "true"
    assert len(response.data.strip().splitlines()) == 5


def test_long_queries_are_414_by_get_and_413_by_post(small_limits_client: FlaskClient) -> None:
    query = "SELECT * { ?s ?p ?o } #" + "x" * 300
    assert ask(small_limits_client, "get", query).status_code == 414
    assert ask(small_limits_client, "direct", query).status_code == 413
    assert ask(small_limits_client, "form", query).status_code == 413


def test_request_bodies_over_the_limit_are_413(small_limits_client: FlaskClient) -> None:
    response = small_limits_client.post("/sparql", data=b"#" * 5000,
                                        content_type="application/sparql-query")
    assert response.status_code == 413


def test_deep_nesting_is_a_clear_400(small_limits_client: FlaskClient) -> None:
    response = ask(small_limits_client, "direct", "ASK " + "{" * 20 + "}" * 20)
    assert response.status_code == 400
    assert "20 levels deep; the limit is 10" in response.get_json()["error"]["message"]


def test_runaway_query_is_stopped_with_503_and_the_pool_recovers(
    small_limits_client: FlaskClient,
) -> None:
    started = time.monotonic()
    response = ask(small_limits_client, "get",
                   "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "query stopped after 1 s" in response.get_json()["error"]["message"]
    assert elapsed < 3
    again = ask(small_limits_client, "get", "ASK { ?s ?p ?o }")
    assert again.status_code == 200 and json.loads(again.data)["boolean"] is True


def test_cache_hits_skip_the_executor(sparql_app: Flask, web: FlaskClient) -> None:
    from ngo_ld.web.sparql import service

    query = f"SELECT ?s {{ ?s ?p ?o }} LIMIT 3 # cache test {time.time()}"
    first = ask(web, "get", query)
    again = ask(web, "get", query)  # asked for twice: now remembered
    jobs = service(sparql_app).executor.stats["jobs"]
    second = ask(web, "form", query)
    assert [r.headers["X-SPARQL-Cache"] for r in (first, again, second)] == [
        "miss", "miss", "hit"]
    assert second.data == first.data
    assert service(sparql_app).executor.stats["jobs"] == jobs
    other_format = ask(web, "get", query, accept="text/csv")
    assert other_format.headers["X-SPARQL-Cache"] == "miss"


# --- CORS ------------------------------------------------------------------------------------


def test_cors_on_results_and_errors(web: FlaskClient) -> None:
    assert ask(web, "get", "ASK {}").headers["Access-Control-Allow-Origin"] == "*"
    assert ask(web, "get", "ASK {").headers["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight_for_post(web: FlaskClient) -> None:
    response = web.options("/sparql", headers={
        "Origin": "https://example.org",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    })
    assert response.status_code in (200, 204)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()


# --- service description and query page ------------------------------------------------------

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.token)
def test_service_description_in_every_rdf_format(web: FlaskClient, store: GraphStore,
                                                 fmt: Format) -> None:
    response = web.get("/sparql", headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type
    g = rdflib.Graph().parse(data=response.data, format=RDFLIB_PARSER[fmt.token])
    service = g.value(predicate=rdflib.RDF.type, object=SD.Service)
    assert g.value(service, SD.endpoint) == rdflib.URIRef("http://localhost/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    formats = set(g.objects(service, SD.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert rdflib.URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    assert len(formats) == len(RESULT_FORMATS) + len(GRAPH_FORMATS)
    dataset = g.value(service, SD.defaultDataset)
    assert dataset == rdflib.URIRef("https://w3id.org/ngo-ld/id/dataset")
    assert (dataset, rdflib.RDFS.seeAlso,
            rdflib.URIRef("http://localhost/.well-known/void")) in g
    names = {g.value(n, SD.name) for n in g.objects(dataset, SD.namedGraph)}
    assert names == {rdflib.URIRef(n) for n in store.graph_names()}
    default = g.value(dataset, SD.defaultGraph)
    void_triples = rdflib.URIRef("http://rdfs.org/ns/void#triples")
    assert int(g.value(default, void_triples)) == len(store)


def test_service_description_is_turtle_by_default(web: FlaskClient) -> None:
    for accept in (None, "*/*"):
        response = web.get("/sparql", headers={"Accept": accept} if accept else {})
        assert response.mimetype == "text/turtle"
        assert response.headers["Vary"] == "Accept"


def test_browsers_get_the_query_page(web: FlaskClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = web.get("/sparql", headers={"Accept": browser})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<form class="sparql-form" method="get" action="/sparql">' in page
    assert '<textarea class="sparql" id="query" name="query"' in page
    assert '<select id="format" name="format">' in page
    assert "&lt;http://www.w3.org/ns/org#&gt;" in page  # the example is escaped


def test_every_example_of_the_query_page_runs(web: FlaskClient) -> None:
    from ngo_ld.web.sparql import EXAMPLES

    for title, query in EXAMPLES:
        response = ask(web, "get", query)
        assert response.status_code == 200, (title, response.data)
        if response.mimetype == "application/sparql-results+json":
            assert json.loads(response.data)["results"]["bindings"], title
        else:
            assert len(rdflib.Graph().parse(data=response.data, format="turtle")) > 0, title


def test_answers_that_change_per_run_are_never_remembered(settings, store) -> None:
    """Regression (review): NOW(), RAND(), STRUUID() answers were cached forever."""
    from ngo_ld.web import create_app

    client = create_app(settings.but(answer_cache_entries=64), store=store).test_client()
    query = "SELECT (STRUUID() AS ?u) {}"
    answers = {client.get("/sparql", query_string={"query": query}).get_data(as_text=True)
               for _ in range(3)}
    assert len(answers) == 3
    response = client.get("/sparql", query_string={"query": query})
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-SPARQL-Cache"] == "miss"


@pytest.mark.parametrize("accept,expected", [
    ("application/sparql-results+json;charset=utf-8", "application/sparql-results+json"),
    ("text/csv; charset=utf-8", "text/csv"),
    ("application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.5",
     "application/sparql-results+xml"),
])
def test_media_type_parameters_do_not_change_the_choice(client, accept: str, expected: str
                                                         ) -> None:
    """Regression (review): a charset parameter in Accept made /sparql answer 406."""
    response = client.get("/sparql", query_string={"query": "ASK {}"},
                          headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == expected
