"""The direct path of ``GET /sparql?query=…`` (web/sparql.py ``direct_answerer``): it must
answer exactly as the Flask route does, and hand everything else to the route without
running a query twice."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from werkzeug.test import Client

from ngo_ld.config import Settings
from ngo_ld.formats import GRAPH_FORMATS, HTML, RESULT_FORMATS, Format
from ngo_ld.store import GraphStore
from ngo_ld.web import create_app
from ngo_ld.web.sparql import service

PREFIXES = ("PREFIX org: <http://www.w3.org/ns/org#>\n"
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "PREFIX ngo: <https://w3id.org/ngo-ld/id/>\n")

QUERIES = [
    "ASK { ngo:astra org:memberOf ?c }",
    "SELECT ?c ?name WHERE { ngo:astra org:memberOf ?c . ?c skos:prefLabel ?name } "
    "ORDER BY ?name",
    "SELECT ?c (COUNT(?m) AS ?n) WHERE { ?m org:organization ?c } GROUP BY ?c ORDER BY ?c",
    "CONSTRUCT { ngo:astra ?p ?o } WHERE { ngo:astra ?p ?o }",
    "DESCRIBE ngo:astra",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "SELECT ?s WHERE { ?s skos:prefLabel ?l FILTER(REGEX(?l, \"žen\", \"i\")) }",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 20000",  # truncated to max_result_rows
    "ASK { BIND(BNODE() AS ?b) }",  # volatile: the route's, with no-store
    "SELECT * WHERE { ?s ?p }",  # syntax error
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",  # refused
    "DELETE WHERE { ?s ?p ?o }",  # refused
    "",  # empty
]
ACCEPTS = [None, "*/*", "application/sparql-results+json", "application/sparql-results+xml",
           "text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples",
           "application/ld+json", "application/json", "text/html", "image/png",
           "text/turtle;q=0.5, application/rdf+xml", "application/xml;q=0.9, */*;q=0.1"]


@pytest.fixture(scope="module")
def apps(settings: Settings, store: GraphStore) -> Iterator[tuple[Flask, Flask]]:
    """Two applications on the same store: one with the direct path, one without."""
    small = settings.but(validate_on_start=False, max_result_rows=50)
    direct, routed = create_app(small, store=store), create_app(small, store=store)
    routed.wsgi_app.direct = None  # type: ignore[attr-defined]
    yield direct, routed
    for app in (direct, routed):
        service(app).executor.close()


@pytest.fixture(scope="module")
def flask_calls(apps: tuple[Flask, Flask]) -> list[str]:
    """Paths of the requests that reached Flask in the direct application."""
    seen: list[str] = []
    front_door = apps[0].wsgi_app
    flask = front_door.app  # type: ignore[attr-defined]

    def counting(environ: dict[str, Any], start_response: Any) -> Any:
        seen.append(environ["PATH_INFO"])
        return flask(environ, start_response)

    front_door.app = counting  # type: ignore[attr-defined]
    return seen


def answer(app: Flask, url: str, accept: str | None = None
           ) -> tuple[str, list[tuple[str, str]], bytes]:
    headers = {"Accept": accept} if accept is not None else {}
    response = Client(app).get(url, headers=headers)
    return response.status, list(response.headers.items()), response.get_data()


def url_of(query: str) -> str:
    return "/sparql?" + urlencode({"query": PREFIXES + query}, quote_via=quote)


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("query", QUERIES)
def test_the_direct_path_answers_as_the_route_does(apps: tuple[Flask, Flask], query: str,
                                                    accept: str | None) -> None:
    direct, routed = apps
    expected = answer(routed, url_of(query), accept)
    assert answer(direct, url_of(query), accept) == expected
    # The second time, from the front door's memory or the result cache: still the same.
    assert answer(direct, url_of(query), accept) == answer(routed, url_of(query), accept)


def test_machine_requests_skip_flask_and_the_rest_reach_it(
        apps: tuple[Flask, Flask], flask_calls: list[str]) -> None:
    direct = apps[0]
    nonce = time.monotonic_ns()  # never answered before, in no cache
    flask_calls.clear()
    for accept in ("application/sparql-results+json", "text/csv", "*/*", None):
        status, _, _ = answer(direct, url_of(f"ASK {{ BIND({nonce} AS ?x) }}"), accept)
        assert status == "200 OK"
    # An error for a machine is answered on the direct path too (the first test checks
    # that the answer is the route's): no query runs twice, nothing is handed on.
    status, _, _ = answer(direct, url_of("SELECT * WHERE { ?s ?p }"), None)
    assert status.startswith("400")
    assert flask_calls == []
    handed_on = [
        (url_of(f"ASK {{ BIND({nonce} AS ?y) }}"), "text/html"),  # a browser
        (url_of(f"ASK {{ BIND({nonce} AS ?z) }}") + "&format=json", None),  # a parameter
        (url_of(f"ASK {{ BIND({nonce} AS ?w) }}") + "&default-graph-uri=urn:x", None),
        (url_of("SELECT (RAND() AS ?r) {}"), None),  # volatile
        # errors would be a page: handed on before anything runs, so nothing runs twice
        (url_of("SELECT * WHERE { ?s ?p }"), "text/csv, text/html;q=0.9"),
        ("/sparql", None),  # the service description
    ]
    for url, accept in handed_on:
        answer(direct, url, accept)
    assert len(flask_calls) == len(handed_on)


def test_a_query_that_times_out_runs_once(settings: Settings, store: GraphStore) -> None:
    app = create_app(settings.but(validate_on_start=False, query_timeout=1.0), store=store)
    try:
        started = time.monotonic()
        status, _, body = answer(app, url_of(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"),
            "application/sparql-results+json")
        took = time.monotonic() - started
        assert status.startswith("503")
        assert b"1 s" in body
        assert service(app).executor.stats["killed"] == 1
        assert took < 1.9  # not run a second time by the route
    finally:
        service(app).executor.close()


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.parametrize(("suffix", "accept", "entrance"), [
    ("", "application/sparql-results+json", "direct"),
    ("&format=json", "application/sparql-results+json", "route"),
    ("", "text/plain, application/sparql-results+json;q=0.5", "direct"),
    ("", "text/html", "route"),  # a browser: the query page, with the error on it
])
def test_a_query_stopped_at_the_time_limit_says_when_to_retry_and_which_limit(
        settings: Settings, store: GraphStore, suffix: str, accept: str,
        entrance: str) -> None:
    """Like every other refusal (429, 503 slots busy, the remote engine's timeout): 503
    with ``Retry-After``, and the body names the limit, ``query_timeout``."""
    app = create_app(settings.but(validate_on_start=False, query_timeout=1.0), store=store)
    flask_calls: list[str] = []
    app.before_request(lambda: flask_calls.append("flask"))
    try:
        status, headers, body = answer(app, url_of(RUNAWAY) + suffix, accept)
    finally:
        service(app).executor.close()
    assert flask_calls == ([] if entrance == "direct" else ["flask"])
    assert status.startswith("503")
    retry_after = dict(headers)["Retry-After"]
    assert int(retry_after) >= 1
    text = body.decode("utf-8")
    if accept.endswith("json"):
        error = json.loads(text)["error"]
        assert error["limit"] == "query_timeout"
        assert error["retry_after"] == int(retry_after)
    else:
        assert "query_timeout" in text and f"{retry_after} s" in text, text


@pytest.mark.parametrize(("query", "offered"), [
    ("ASK {}", RESULT_FORMATS),
    ("CONSTRUCT WHERE { ?s ?p ?o }", GRAPH_FORMATS),
    (None, (*GRAPH_FORMATS, HTML)),  # the service description
])
@pytest.mark.parametrize("name", ["bogus", "BOGUS", "text/bogus"])
def test_a_format_nothing_is_offered_in_is_406_as_on_the_documents(
        apps: tuple[Flask, Flask], query: str | None, offered: tuple[Format, ...],
        name: str) -> None:
    """``?format=`` naming no format is refused (406, listing what can be served), as
    ``/doc/astra?format=bogus`` is, on both entrances."""
    parameters = {"format": name, **({"query": query} if query is not None else {})}
    url = "/sparql?" + urlencode(parameters)
    direct, routed = apps
    assert answer(direct, url, "*/*") == answer(routed, url, "*/*")
    response = Client(direct).get(url, headers={"Accept": "*/*"})
    assert response.status_code == 406
    assert response.headers["Vary"] == "Accept"
    error = response.get_json()["error"]
    assert error["hint"] == "ask for one of: " + ", ".join(f.media_type for f in offered)
    for fmt in offered:
        assert f'type="{fmt.media_type}"' in response.headers["Link"]
    document = Client(direct).get("/doc/astra?format=" + name, headers={"Accept": "*/*"})
    assert document.status_code == 406 and document.get_json()["error"]["message"] == (
        error["message"])
    if query is not None:  # ...and a form POST says the same.
        posted = Client(routed).post("/sparql", data=parameters, headers={"Accept": "*/*"})
        assert (posted.status_code, posted.get_json()) == (406, response.get_json())


def test_known_format_names_still_choose(apps: tuple[Flask, Flask]) -> None:
    direct, _ = apps
    for name, media in [("json", "application/sparql-results+json"), ("csv", "text/csv"),
                        ("text/tab-separated-values", "text/tab-separated-values")]:
        response = Client(direct).get("/sparql?" + urlencode({"query": "ASK {}",
                                                              "format": name}))
        assert response.status_code == 200 and response.mimetype == media


QUERY_TEXT = st.lists(st.sampled_from(
    [*"SELECTASKWHERE{}()?<>:\"'#\\ .*-=&%+;,/", "\n", "ž", "é", "SELECT * ", "ASK ",
     "{ ?s ?p ?o }", "\\u0053"]),
    max_size=30).map("".join)


@hypothesis_settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=QUERY_TEXT, accept=st.sampled_from(ACCEPTS),
       raw=st.booleans())
def test_any_request_gets_the_same_answer_either_way(apps: tuple[Flask, Flask], text: str,
                                                     accept: str | None, raw: bool) -> None:
    """Whatever the query string, the direct path answers exactly as the route, or leaves
    the request to it (raw: the text put in the URL as is, `&` and `%` included)."""
    direct, routed = apps
    url = "/sparql?query=" + (quote(text, safe="&%=+") if raw else quote(text, safe=""))
    assert answer(direct, url, accept) == answer(routed, url, accept)
