"""SPARQL results as HTML for browsers: the query page with the form filled in and the answer
as a table; machine clients (``*/*``, explicit formats) get what they always got."""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ngo_ld.config import Settings
from ngo_ld.store import GraphStore

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

ASTRA_NETWORKS = """\
PREFIX org:  <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?collaboration ?name WHERE {
  ?m org:member <https://w3id.org/ngo-ld/id/astra> ; org:organization ?collaboration .
  ?collaboration skos:prefLabel ?name . FILTER(lang(?name) = "en")
} ORDER BY ?name"""


@pytest.fixture(scope="module")
def sparql_app(settings: Settings, store: GraphStore) -> Iterator[Flask]:
    from ngo_ld.web import create_app
    from ngo_ld.web.sparql import shut_down

    application = create_app(settings.but(validate_on_start=False), store=store)
    application.config["TESTING"] = True
    yield application
    shut_down(application)


@pytest.fixture()
def web(sparql_app: Flask) -> FlaskClient:
    return sparql_app.test_client()


def run(web: FlaskClient, query: str, accept: str | None = BROWSER, **args: str):
    headers = {"Accept": accept} if accept else {}
    return web.get("/sparql", query_string={"query": query, **args}, headers=headers)


def form_query(page: str) -> str:
    """The query in the page's form, as a browser reads it."""
    found = re.search(r'<textarea class="sparql" id="query"[^>]*>(.*?)</textarea>', page, re.S)
    assert found is not None
    return html_lib.unescape(found.group(1))


def test_a_browser_gets_the_results_as_a_table(web: FlaskClient) -> None:
    response = run(web, ASTRA_NETWORKS)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]
    page = response.get_data(as_text=True)
    assert '<table class="sparql-results">' in page
    assert "<th scope=\"col\">?collaboration</th><th scope=\"col\">?name</th>" in page
    assert "Global Alliance Against Traffic in Women" in page
    # a local path, the prefixed name, and the dataset's label for it
    assert ('<a href="/id/gaatw"><code>ngo:gaatw</code></a><span class="label">'
            '<span lang="en">Global Alliance Against Traffic in Women</span></span>') in page
    assert "<small>@en</small>" in page
    # the form holds the query, and the same results are linked in the machine formats
    assert form_query(page) == ASTRA_NETWORKS
    for token in ("json", "xml", "csv", "tsv"):
        assert re.search(rf'href="/sparql\?query=[^"]+&amp;format={token}"', page), token


def test_the_machine_links_give_the_same_results(web: FlaskClient) -> None:
    page = run(web, ASTRA_NETWORKS).get_data(as_text=True)
    href = html_lib.unescape(re.search(r'href="(/sparql\?query=[^"]+&amp;format=json)"',
                                       page).group(1))
    response = web.get(href, headers={"Accept": BROWSER})  # format= wins over Accept
    assert response.mimetype == "application/sparql-results+json"
    names = [b["name"]["value"] for b in json.loads(response.data)["results"]["bindings"]]
    assert "Global Alliance Against Traffic in Women" in names
    assert all(name in page for name in names)


def test_ask_and_construct_as_html(web: FlaskClient) -> None:
    page = run(web, "ASK { <https://w3id.org/ngo-ld/id/astra> ?p ?o }").get_data(as_text=True)
    assert '<p class="sparql-boolean"><strong>true</strong></p>' in page
    response = run(web, "CONSTRUCT { ?s ?p ?o } WHERE { "
                        "BIND(<https://w3id.org/ngo-ld/id/astra> AS ?s) ?s ?p ?o }")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert ('<th scope="col">subject</th><th scope="col">predicate</th>'
            '<th scope="col">object</th>') in page
    assert '<a href="/id/astra">' in page
    assert "format=turtle" in page and "format=jsonld" in page


def test_hostile_literals_are_escaped(web: FlaskClient) -> None:
    response = run(web, 'SELECT ("<script>alert(1)</script>" AS ?x) {}')
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("accept", [None, "*/*", "application/sparql-results+json"])
def test_machine_clients_keep_getting_sparql_json(web: FlaskClient, accept: str | None) -> None:
    response = run(web, ASTRA_NETWORKS, accept=accept)
    assert response.mimetype == "application/sparql-results+json"
    assert run(web, "DESCRIBE <https://w3id.org/ngo-ld/id/astra>",
               accept=accept if accept != "application/sparql-results+json" else "*/*"
               ).mimetype == "text/turtle"


def test_explicit_formats_win_over_a_browser_accept(web: FlaskClient) -> None:
    assert run(web, ASTRA_NETWORKS, format="csv").mimetype == "text/csv"
    assert run(web, ASTRA_NETWORKS, output="xml").mimetype == "application/sparql-results+xml"
    # … and format=html asks for the page whatever Accept says
    assert run(web, ASTRA_NETWORKS, accept="*/*", format="html").mimetype == "text/html"


def test_a_syntax_error_is_shown_on_the_page(web: FlaskClient) -> None:
    response = run(web, "SELECT * WHERE { ?s ?p <script> ")
    assert response.status_code == 400 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<form class="sparql-form"' in page
    assert form_query(page) == "SELECT * WHERE { ?s ?p <script> "
    assert 'class="sparql-error"' in page and "syntax error" in page
    assert "<script>" not in page


def test_a_refused_query_keeps_its_status(web: FlaskClient) -> None:
    response = run(web, "INSERT DATA { <a> <b> <c> }")
    assert response.status_code == 403 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert 'class="sparql-error"' in page
    assert "<h2>403 Forbidden</h2>" in page


def test_the_error_heading_shows_status_and_reason(web: FlaskClient) -> None:
    page = run(web, "SELECT * WHERE {").get_data(as_text=True)
    assert "<h2>400 Bad Request</h2>" in page
    assert not re.search(r"<h[12]>\s*Error\s*</h[12]>", page)


@pytest.mark.parametrize(("args", "headers", "lang"), [
    ({}, {"Accept-Language": "sr-RS"}, "sr-Latn"),
    ({"query": ASTRA_NETWORKS}, {"Accept-Language": "sr-Cyrl-RS"}, "sr-Cyrl"),
    ({"query": "SELECT * WHERE {"}, {}, "en"),
    ({"query": ASTRA_NETWORKS, "lang": "sr-Cyrl"}, {"Accept-Language": "en"}, "sr-Cyrl"),
])
def test_query_pages_say_their_language_and_vary_on_it(web: FlaskClient, args: dict,
                                                        headers: dict, lang: str) -> None:
    response = web.get("/sparql", query_string=args, headers={"Accept": BROWSER, **headers})
    assert response.mimetype == "text/html"
    assert response.headers["Content-Language"] == lang
    assert {"Accept", "Accept-Language"} <= set(response.vary)
    assert f'<html lang="{lang}">' in response.get_data(as_text=True)


def test_query_pages_keep_an_explicit_language(web: FlaskClient) -> None:
    page = run(web, ASTRA_NETWORKS, lang="sr-Cyrl").get_data(as_text=True)
    assert 'href="/sparql?lang=sr-Cyrl"' in page  # the site's nav link
    # the forms send it on with the next query (and the search box with a search)
    assert page.count('<input type="hidden" name="lang" value="sr-Cyrl">') == 1 + 4 + 1
    page = run(web, ASTRA_NETWORKS).get_data(as_text=True)
    assert 'href="/sparql"' in page and 'name="lang"' not in page


def test_the_open_in_sparql_link_of_a_page_shows_a_table(web: FlaskClient) -> None:
    page = web.get("/doc/astra.html").get_data(as_text=True)
    href = html_lib.unescape(re.search(r'<a href="(/sparql\?query=[^"]+)"', page).group(1))
    response = web.get(href, headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/html"
    results = response.get_data(as_text=True)
    assert '<table class="sparql-results">' in results
    assert '<a href="/id/gaatw">' in results


def test_javascript_iris_in_results_are_never_links(client) -> None:
    """Regression (review): an IRI in a result is data; a javascript: IRI must not become
    a clickable link, and HTML pages forbid scripts outright."""
    query = "SELECT ?x { VALUES ?x { <javascript:alert(document.domain)> } }"
    response = client.get("/sparql", query_string={"query": query},
                          headers={"Accept": "text/html"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'href="javascript:' not in body
    assert "javascript:alert(document.domain)" in body  # still shown, as text
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]


def test_the_query_page_states_its_limits_as_the_readme_does(client: FlaskClient) -> None:
    """Whole seconds without ".0": "30 s of query time per minute", as in README.md."""
    from pathlib import Path

    page = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "30 s of query time per minute" in " ".join(readme.split())
    assert "30 s of query time per minute" in page
    assert "at most 10 s;" in page
    assert not re.search(r"\d\.0 s\b", page), re.findall(r"[^ ]*\d\.0 s", page)


def test_fractional_limits_keep_their_fraction_in_the_page_language(
        settings: Settings, store: GraphStore) -> None:
    from ngo_ld.web import create_app

    app = create_app(settings.but(validate_on_start=False, query_timeout=2.5,
                                  client_query_seconds=12.5), store=store)
    english = app.test_client().get("/sparql", headers={"Accept": "text/html"})
    serbian = app.test_client().get("/sparql?lang=sr-Latn", headers={"Accept": "text/html"})
    assert "at most 2.5 s;" in english.get_data(as_text=True)
    assert "12.5 s of query time" in english.get_data(as_text=True)
    assert "najviše 2,5 s;" in serbian.get_data(as_text=True)
