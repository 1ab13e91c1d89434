"""The endpoint of a real ``ngo-ld serve`` process: security, time limit, real clients.

* no side doors: SERVICE, FROM, FROM NAMED, LOAD pointing at a canary HTTP server on
  loopback or at a local file — the canary is never contacted, the file never read;
* a runaway query is stopped at the time limit while the server keeps answering others;
* a deeply nested query gets a clear 400 and the server stays up;
* SPARQLWrapper and rdflib's SPARQLStore get the same answers as the store in-process;
* SIGTERM stops the server cleanly: exit status 0, no process left behind.
"""

from __future__ import annotations

import http.server
import json
import os
import threading
import time
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from live import LiveServer, live_server, live_server_fixture
from ngo_ld.config import Settings
from ngo_ld.loading import to_rdflib
from ngo_ld.store import GraphStore
from ngo_ld.stores import open_store

pytestmark = pytest.mark.server
TIMEOUT = 2.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

server = live_server_fixture(env={"NGO_LD_QUERY_TIMEOUT": str(TIMEOUT),
                                  "NGO_LD_VALIDATE_ON_START": "false"})


@pytest.fixture(scope="module")
def local_store(server: LiveServer) -> GraphStore:
    """The same data, in-process; skip comparisons if the data changed meanwhile."""
    store = open_store(Settings())
    if server.get("/healthz").json()["data_version"] != store.version:
        pytest.skip("the data changed while the tests ran")
    return store


# --- no side doors ---------------------------------------------------------------------------


@dataclass
class Canary:
    """An HTTP server on loopback that remembers every request it gets."""

    url: str
    hits: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(f"{self.command} {self.path}")
            body = b'<http://canary/s> <http://canary/p> "CANARY-CONTENT" .\n'
            self.send_response(200)
            self.send_header("Content-Type", "application/n-triples")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Canary(f"http://127.0.0.1:{httpd.server_address[1]}", hits)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def marker_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    marker = f"MARKER-{uuid.uuid4().hex}"
    path = tmp_path_factory.mktemp("secret") / "secret.nt"
    path.write_text(f'<http://marker/s> <http://marker/p> "{marker}" .\n', encoding="utf-8")
    return path, marker


def side_door_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}/x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}/v> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}/esc> {{ ?s ?p ?o }} }}",
        # The guard's lexer reads "<2)SERVICE#>" as an IRI; the engine reads "<" as less-than
        # (found in review): the raw-text check and the query process' network namespace
        # stop it.
        f"SELECT * WHERE {{ FILTER(1<2)SERVICE#>\n<{url}/lt> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}/data.nt> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/named.nt> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ GRAPH <{url}/graph.nt> {{ ?s ?p ?o }} }}",
        f"DESCRIBE <{url}/describe>",
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}/construct.nt> WHERE {{ ?s ?p ?o }}",
        f"LOAD <{url}/load.nt>",
        f"LOAD SILENT <{url}/load.nt> INTO GRAPH <http://g/>",
    ]


def send_every_way(server: LiveServer, query: str) -> list[tuple[int, str]]:
    answers = []
    for response in (
        server.get("/sparql", params={"query": query}),
        server.post("/sparql", data={"query": query}),
        server.post("/sparql", data=query.encode(),
                    headers={"Content-Type": "application/sparql-query"}),
        server.post("/sparql", data={"update": query}),
        server.post("/sparql", data=query.encode(),
                    headers={"Content-Type": "application/sparql-update"}),
    ):
        answers.append((response.status_code, response.text))
    return answers


def test_service_from_and_load_never_contact_another_host(server: LiveServer,
                                                          canary: Canary) -> None:
    for query in side_door_queries(canary.url):
        for status, text in send_every_way(server, query):
            assert status in (200, 400, 403), (query, status, text)
            assert "CANARY-CONTENT" not in text
        if "SERVICE" in query.upper() or "LOAD" in query or "\\u0053" in query:
            status, text = send_every_way(server, query)[0]
            assert status == 403, (query, text)
    time.sleep(0.3)  # anything in flight would have arrived by now
    assert canary.hits == []


def test_file_iris_are_never_read(server: LiveServer, marker_file: tuple[Path, str]) -> None:
    path, marker = marker_file
    url = path.as_uri()
    queries = [
        f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ GRAPH <{url}> {{ ?s ?p ?o }} }}",
        "CONSTRUCT WHERE { ?s ?p ?o }",
        f"DESCRIBE <{url}>",
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"LOAD <{url}>",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    ]
    for query in queries:
        for status, text in send_every_way(server, query):
            assert status in (200, 403), (query, status, text)
            assert marker not in text and "root:" not in text
    # FROM a file IRI is an empty graph (not an error), read from the local dataset only.
    response = server.get("/sparql", params={"query": queries[0]})
    assert response.json()["results"]["bindings"] == []


# --- bounded cost ----------------------------------------------------------------------------


def test_runaway_query_is_stopped_while_the_server_keeps_answering(server: LiveServer) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        response = server.post("/sparql", data={"query": RUNAWAY})
        outcome.update(status=response.status_code, body=response.json(),
                       seconds=time.monotonic() - started)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    latencies = []
    import requests

    while thread.is_alive():
        for path, params in (("/healthz", None),
                             ("/sparql", {"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2 "
                                          f"# {time.monotonic()}"})):
            started = time.monotonic()
            response = requests.get(server.url + path, params=params, timeout=10)
            latencies.append(time.monotonic() - started)
            assert response.status_code == 200
        time.sleep(0.1)
    thread.join()
    assert outcome["status"] == 503
    message = outcome["body"]["error"]["message"]  # type: ignore[index]
    assert message == "query stopped after 2 s; simplify it or add LIMIT"
    assert TIMEOUT <= float(outcome["seconds"]) < TIMEOUT + 2.5  # type: ignore[arg-type]
    assert latencies and max(latencies) < 1.0, latencies


def test_deeply_nested_query_is_a_clear_400_and_the_server_stays_up(server: LiveServer) -> None:
    deep = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
    response = server.post("/sparql", data=deep.encode(),
                           headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert "3000 levels deep; the limit is 64" in response.json()["error"]["message"]
    assert server.post("/sparql", data={"query": deep}).status_code == 400
    assert server.get("/sparql", params={"query": deep}).status_code in (400, 414)
    assert server.get("/healthz").status_code == 200
    assert server.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_long_get_urls_are_414(server: LiveServer) -> None:
    """The query-length limit (20,000 characters by default) holds for GET as for POST."""
    assert server.get("/sparql", params={"query": "ASK {} #" + "x" * 9000}).status_code == 200
    response = server.get("/sparql", params={"query": "ASK {} #" + "x" * 30000})
    assert response.status_code == 414


def test_one_log_line_per_request(server: LiveServer) -> None:
    server.get("/healthz?log-check=1")
    time.sleep(0.2)
    lines = [line for line in server.log().splitlines() if "log-check=1" in line]
    assert len(lines) == 1
    assert "\"GET /healthz?log-check=1 HTTP/1.1\" 200" in lines[0]
    assert lines[0].endswith("ms")


# --- real clients ----------------------------------------------------------------------------

SELECT = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?c ?name WHERE { ?c a org:OrganizationalCollaboration ; skos:prefLabel ?name }
ORDER BY ?c ?name"""
CONSTRUCT = """PREFIX ngo: <https://w3id.org/ngo-ld/id/>
CONSTRUCT { ngo:astra ?p ?o } WHERE { ngo:astra ?p ?o }"""


def expected_rows(store: GraphStore) -> list[tuple[str, str]]:
    return [(r["c"].value, r["name"].value) for r in store.query(SELECT)]  # type: ignore[index]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_json_xml_csv_tsv_agree_with_the_store(
    server: LiveServer, local_store: GraphStore, method: str
) -> None:
    from SPARQLWrapper import CSV, JSON, POST, TSV, XML, SPARQLWrapper

    want = expected_rows(local_store)
    assert want

    def client(fmt: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(server.url + "/sparql")
        wrapper.setQuery(SELECT)
        wrapper.setReturnFormat(fmt)
        if method == "POST":
            wrapper.setMethod(POST)
        return wrapper

    data = client(JSON).query().convert()
    assert [(b["c"]["value"], b["name"]["value"]) for b in data["results"]["bindings"]] == want

    document = client(XML).query().convert()
    rows = []
    for result in document.getElementsByTagName("result"):
        values = {b.getAttribute("name"): b.firstChild.firstChild.data
                  for b in result.getElementsByTagName("binding")}
        rows.append((values["c"], values["name"]))
    assert rows == want

    csv_text = client(CSV).query().convert().decode("utf-8")
    import csv
    import io

    assert [tuple(r) for r in csv.reader(io.StringIO(csv_text))][1:] == want

    tsv = client(TSV).query().convert()
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    assert [(r["c"].value, r["name"].value) for r in parsed] == want


def test_sparqlwrapper_construct_as_turtle_and_rdfxml(server: LiveServer,
                                                      local_store: GraphStore) -> None:
    from SPARQLWrapper import RDFXML, TURTLE, SPARQLWrapper

    expected = to_rdflib(local_store.query(CONSTRUCT))
    assert len(expected) > 0
    wrapper = SPARQLWrapper(server.url + "/sparql")
    wrapper.setQuery(CONSTRUCT)
    wrapper.setReturnFormat(TURTLE)
    turtle = wrapper.query().convert()
    assert isomorphic(rdflib.Graph().parse(data=turtle, format="turtle"),
                                     expected)
    wrapper.setReturnFormat(RDFXML)
    with warnings.catch_warnings():  # SPARQLWrapper parses into an rdflib ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = wrapper.query().convert()
    assert isomorphic(graph, expected)


def test_sparqlwrapper_ask(server: LiveServer) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    wrapper = SPARQLWrapper(server.url + "/sparql")
    wrapper.setQuery("ASK { <https://w3id.org/ngo-ld/id/astra> ?p ?o }")
    wrapper.setReturnFormat(JSON)
    assert wrapper.query().convert()["boolean"] is True


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_rdflib_sparqlstore_agrees_with_the_store(server: LiveServer, local_store: GraphStore,
                                                  method: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = SPARQLStore(server.url + "/sparql", method=method)
    try:
        graph = rdflib.Graph(store=remote)
        rows = [(str(r.c), str(r.name)) for r in graph.query(SELECT)]  # type: ignore[union-attr]
        assert rows == expected_rows(local_store)
        assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
        constructed = graph.query(CONSTRUCT).graph
        assert constructed is not None
        assert isomorphic(constructed, to_rdflib(local_store.query(CONSTRUCT)))
    finally:
        remote.close()


def test_service_description_and_cors_over_http(server: LiveServer) -> None:
    response = server.get("/sparql")
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert f"<{server.url}/sparql>" in response.text
    preflight = server.session.options(server.url + "/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"}, timeout=10)
    assert preflight.status_code in (200, 204)
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    results = server.get("/sparql", params={"query": "ASK {}"})
    assert results.headers["Access-Control-Allow-Origin"] == "*"
    assert json.loads(results.text)["boolean"] is True


# --- starting and shutting down --------------------------------------------------------------


def test_serve_refuses_to_start_on_invalid_data(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from live import ROOT, free_port, serve_command

    for folder in ("shapes", "ontology"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "bad.ttl").write_text(
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "<https://w3id.org/ngo-ld/id/nameless> a org:Organization , org:FormalOrganization .\n",
        encoding="utf-8")
    done = subprocess.run([*serve_command(), "--home", str(tmp_path), "serve", "--port",
                           str(free_port())], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NGO_LD_CACHE_DIR": ""})
    assert done.returncode == 1
    assert "focus node: ngo:nameless" in done.stderr
    assert "refusing to serve data that does not conform" in done.stderr
    assert "Traceback" not in done.stderr




@pytest.mark.parametrize("wsgi_server", ["granian", "gunicorn"])
def test_sigterm_stops_the_server_and_every_child(wsgi_server: str) -> None:
    with live_server(env={"NGO_LD_VALIDATE_ON_START": "false", "NGO_LD_WORKERS": "1",
                          "NGO_LD_THREADS": "2", "NGO_LD_SERVER": wsgi_server}) as srv:
        assert srv.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        assert srv.get("/doc/astra.ttl").status_code == 200
        family = srv.descendants()
        assert len(family) >= 3  # a worker and its query processes
        status = srv.stop()
    assert status == 0, srv.log()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in family):
        time.sleep(0.1)
    assert [p for p in family if Path(f"/proc/{p}").exists()] == []
