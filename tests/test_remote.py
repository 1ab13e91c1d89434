"""The remote store against real engines (Oxigraph's server and Virtuoso, tests/engines.py),
and every way an engine can fail: stopped, frozen (SIGSTOP), answering 503, timing out in
its own words, dripping its answer. Each failure must reach the client as what it is —
502 for a broken or unreachable engine, 503 with ``Retry-After`` for a timeout — on
``/sparql`` as on documents, ``/healthz`` must say 503, and nothing may wait longer than
the configured limits.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
import pytest
from flask import Flask
from werkzeug.test import TestResponse

from engines import Engine, StubEndpoint, free_port, ngo_ld_cli
from ngo_ld import describe
from ngo_ld.config import Settings
from ngo_ld.errors import UpstreamError, UpstreamTimeout
from ngo_ld.remote import RemoteStore, check_remote, open_remote_store
from ngo_ld.stores import open_store

ROOT = Path(__file__).resolve().parents[1]
XSD = "http://www.w3.org/2001/XMLSchema#"
#: Seconds a query may take in these tests, and the slack allowed on top for the rest of
#: the request on a shared, busy machine.
QUERY_TIMEOUT, SLACK = 1.0, 2.5


def remote_settings(url: str, **changes: object) -> Settings:
    return Settings(home=ROOT, store="remote", remote_query_url=url, validate_on_start=False,
                    query_timeout=QUERY_TIMEOUT, remote_timeout=3.0).but(**changes)


def remote_app(url: str) -> Flask:
    from ngo_ld.web import create_app

    app = create_app(remote_settings(url))
    app.config["TESTING"] = True
    return app


@pytest.fixture(params=["oxigraph", "virtuoso"])
def engine(request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue(f"{request.param}_engine")  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def memory(tmp_path_factory: pytest.TempPathFactory) -> object:
    return open_store(Settings(home=ROOT))


# --- loading, and knowing what was loaded ----------------------------------------------------


def test_load_remote_marks_the_release_and_fronts_check_it(engine: Engine,
                                                         memory: object) -> None:
    triples = len(memory)  # type: ignore[arg-type]
    assert "13 graphs" in engine.loaded and f"{triples:,} triples" in engine.loaded
    settings = remote_settings(engine.query_url)
    assert check_remote(settings) is None  # holds the release this checkout serves
    store = open_remote_store(settings)
    other = RemoteStore(engine.query_url, base_iri=settings.base_iri, timeout=3,
                        graphs=store.graphs, local_version="0123456789abcdef")
    warning = other.check_release()
    assert warning is not None and "\n" not in warning
    assert store.local_version in warning and "0123456789abcdef" in warning
    assert "ngo-ld load-remote" in warning
    assert other.version != store.version  # ETags differ from a front of another release


def test_the_release_id_is_the_datas_own_whatever_the_url(engine: Engine,
                                                         memory: object) -> None:
    """The id load-remote printed, the embedded stores' and /healthz's are one, and a front
    reaching the engine by another name for the same host sends the same ETags."""
    release = memory.version  # type: ignore[attr-defined]
    assert f"release {release}" in engine.loaded
    other_name = engine.query_url.replace("127.0.0.1", "localhost")
    assert other_name != engine.query_url
    for url in (engine.query_url, other_name):
        assert open_remote_store(remote_settings(url)).version == release
        health = remote_app(url).test_client().get("/healthz")
        assert health.status_code == 200 and health.get_json()["data_version"] == release
    etags = {remote_app(url).test_client().get("/doc/astra.ttl").headers["ETag"]
             for url in (engine.query_url, other_name)}
    assert len(etags) == 1


def test_load_remote_into_virtuoso_with_a_wrong_password_is_one_clear_error(
        virtuoso_engine: Engine, tmp_path: Path) -> None:
    done = subprocess.run(
        [*ngo_ld_cli(), "load-remote", "--virtuoso", virtuoso_engine.sql_address,  # type: ignore[attr-defined]
         "--load-dir", str(tmp_path), "--password", "not-the-password"],
        capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: Virtuoso at") and "password" in done.stderr
    assert "Traceback" not in done.stderr
    assert check_remote(remote_settings(virtuoso_engine.query_url)) is None  # still loaded


# --- the protocol, the way every engine takes it ---------------------------------------------


def test_relative_iris_and_the_clients_own_base(engine: Engine) -> None:
    """The endpoint's BASE comes first; a client's own BASE replaces it (Virtuoso takes
    one BASE, and only before the prefixes)."""
    client = remote_app(engine.query_url).test_client()
    json = {"Accept": "application/sparql-results+json"}
    answer = client.get("/sparql?query=" + quote("SELECT ?p WHERE { <id/astra> ?p ?o }"),
                        headers=json)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert len(answer.get_json()["results"]["bindings"]) > 10
    own = quote("BASE <https://w3id.org/ngo-ld/id/>\nPREFIX x: <http://www.w3.org/ns/org#>\n"
                "ASK { <astra> a x:Organization }")
    answer = client.get(f"/sparql?query={own}", headers=json)
    assert answer.status_code == 200 and answer.get_json()["boolean"] is True
    answer = client.get("/sparql?query=" + quote("ASK { <id/astra> a org:Role }"), headers=json)
    assert answer.status_code == 200 and answer.get_json()["boolean"] is False
    answer = client.get("/sparql?query=" + quote("CONSTRUCT WHERE { <id/astra> a ?t }"),
                        headers={"Accept": "text/turtle"})
    assert answer.status_code == 200 and answer.mimetype == "text/turtle"
    assert len(list(ox.parse(answer.get_data(), format=ox.RdfFormat.TURTLE))) >= 2


def test_virtuoso_changes_durations_and_nothing_else(virtuoso_engine: Engine,
                                                     memory: object) -> None:
    """What docs/deployment.md says Virtuoso changes on load, and all it changes."""
    held = set(open_remote_store(remote_settings(virtuoso_engine.query_url)).triples())
    source = set(memory.triples())  # type: ignore[attr-defined]
    lost, gained = source - held, held - source
    assert {(t.subject, t.predicate) for t in lost} == {(t.subject, t.predicate) for t in gained}
    assert {t.object.value for t in lost} == {"P2Y"}
    assert {t.object.value for t in gained} == {"24"}  # months
    assert all(t.object.datatype.value == XSD + "duration" for t in lost | gained)


def test_virtuosos_durations_cost_no_traceback(virtuoso_engine: Engine,
                                              caplog: pytest.LogCaptureFixture) -> None:
    """rdflib cannot read Virtuoso's ``"24"^^xsd:duration``; serving it says so in one log
    line, never a traceback, and the document still carries the value."""
    client = remote_app(virtuoso_engine.query_url).test_client()
    thing = "hotline-operation-astra-116-000-interval"
    for path, accept in ((f"/doc/{thing}.jsonld", "application/ld+json"),
                         (f"/doc/{thing}.html", "text/html"), (f"/doc/{thing}.ttl", "")):
        answer = client.get(path, headers={"Accept": accept} if accept else {})
        assert answer.status_code == 200, (path, answer.get_data(as_text=True)[:300])
        assert "24" in answer.get_data(as_text=True)
    assert "Traceback" not in caplog.text
    assert all(record.exc_info is None for record in caplog.records)
    assert any("duration" in r.getMessage() for r in caplog.records)  # said, once a worker


def test_a_document_takes_two_queries(engine: Engine, memory: object,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_remote_store(remote_settings(engine.query_url))
    calls = []
    real = store._fetch

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args[0])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "_fetch", counting)
    doc = describe.thing_document(store, "astra", store.base_iri)
    assert doc is not None and len(calls) == 2
    reference = describe.thing_document(memory, "astra", store.base_iri)
    assert reference is not None and len(doc) == len(reference)
    calls.clear()
    assert describe.thing_document(store, "no-such-thing", store.base_iri) is None
    assert len(calls) == 1


# --- failures: stopped, frozen, 503, the engine's own timeout words ---------------------------


def assert_public(answer: TestResponse, url: str) -> None:
    """The error body tells the public the store is unavailable and to try again, and
    nothing of how the service is built (the endpoint, its setting)."""
    text = answer.get_data(as_text=True)
    for internal in (url, urlsplit(url).netloc, "NGO_LD_", "endpoint"):
        assert internal not in text, text
    error = answer.get_json()["error"]
    if isinstance(error, dict):
        assert "data store" in error["message"] and "try again" in error["hint"], error
    else:  # /healthz
        assert "data store" in error, text


def assert_logged(caplog: pytest.LogCaptureFixture, words: str) -> None:
    """The fault's details reached the server log, each in one line."""
    lines = [r.getMessage() for r in caplog.records if r.name == "ngo_ld.web.errors"]
    assert any(words in line for line in lines), lines
    assert all("\n" not in line for line in lines) and "Traceback" not in caplog.text
    caplog.clear()


def assert_reported(app: Flask, status: int, words: str, caplog: pytest.LogCaptureFixture,
                    url: str) -> float:
    """/sparql, a document and /healthz all answer ``status`` (/healthz: 503); the public
    body says the store is unavailable, the log names the fault; the longest of the three
    waits, in seconds."""
    client = app.test_client()
    longest = 0.0
    for path in ("/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1"),
                 "/doc/astra.ttl"):
        started = time.monotonic()
        answer = client.get(path, headers={"Accept": "application/json"})
        longest = max(longest, time.monotonic() - started)
        assert answer.status_code == status, (path, answer.get_data(as_text=True)[:300])
        assert_public(answer, url)
        assert_logged(caplog, words)
        if status == 503:
            assert answer.headers["Retry-After"] == "1"
    started = time.monotonic()
    health = client.get("/healthz")
    longest = max(longest, time.monotonic() - started)
    assert health.status_code == 503 and health.get_json()["status"] == "unavailable"
    assert_public(health, url)
    return longest


def test_a_stopped_engine_is_502_and_one_line_at_start(
        engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    app = remote_app(engine.query_url)  # opened while the engine is up
    engine.stop()
    try:
        url = engine.query_url
        assert_reported(app, 502, f"cannot reach the remote endpoint {url}", caplog, url)
        assert_reported(remote_app(url), 502, "cannot reach", caplog, url)  # opened while down
        with pytest.raises(UpstreamError, match="cannot reach"):
            check_remote(remote_settings(engine.query_url))
    finally:
        engine.start()
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 200 and answer.get_json()["status"] == "ok"


def test_a_frozen_engine_is_503_within_the_time_limit(
        engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    app = remote_app(engine.query_url)
    query = "/sparql?query=" + quote("SELECT ?p WHERE { <id/astra> ?p ?o }")
    assert app.test_client().get("/healthz").status_code == 200
    engine.freeze()
    try:
        longest = assert_reported(app, 503, "no answer from the remote endpoint", caplog,
                                  engine.query_url)
        assert longest < QUERY_TIMEOUT + SLACK
        assert app.test_client().get(query).status_code == 503
    finally:
        engine.thaw()
    assert app.test_client().get(query).status_code == 200  # no error was remembered


@pytest.mark.parametrize(("status", "body", "headers", "expected", "words"), [
    (503, b"Service Unavailable", {}, 502, "answered 503"),
    (500, b"internal error", {}, 502, "answered 500"),
    (503, b"Query timed out", {}, 503, "stopped the query"),  # Fuseki
    (500, b"Virtuoso S1T00 Error SR171: Transaction timed out", {}, 503, "stopped the query"),
    (200, b'{"head":{"vars":["s"]},"results":{"bindings":[]}}',  # Virtuoso's partial answer
     {"Content-Type": "application/sparql-results+json", "X-SQL-State": "S1TAT",
      "X-SQL-Message": "RC...: Returning incomplete results, query interrupted by result "
      "timeout."}, 503, "time limit"),
    (200, b"<html>a login page</html>", {"Content-Type": "text/html"}, 502, "cannot read"),
], ids=["503", "500", "fuseki-timeout", "virtuoso-timeout", "virtuoso-partial", "html"])
def test_an_engine_that_answers_badly(status: int, body: bytes, headers: dict[str, str],
                                      expected: int, words: str,
                                      caplog: pytest.LogCaptureFixture) -> None:
    stub = StubEndpoint(status, body, headers)
    try:
        app = remote_app(stub.url)
        client = app.test_client()
        for path in ("/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1"),
                     "/doc/astra.ttl"):
            answer = client.get(path, headers={"Accept": "application/json"})
            assert answer.status_code == expected, answer.get_data(as_text=True)[:300]
            assert_public(answer, stub.url)
            assert_logged(caplog, words)
            assert ("Retry-After" in answer.headers) == (expected == 503)
        assert client.get("/healthz").status_code == 503
    finally:
        stub.close()


class _Dripping:
    """An endpoint that sends its headers at once, then one byte every 0.2 s, forever."""

    def __init__(self, media: bytes = b"application/sparql-results+json") -> None:
        self.media = media
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.stopping = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + self.media
                             + b"\r\nContent-Length: 100000\r\n\r\n")
                for _ in range(200):  # bounded: 40 s at most
                    if self.stopping.wait(0.2):
                        return
                    conn.sendall(b" ")
            except OSError:
                return

    def close(self) -> None:
        self.stopping.set()
        self.sock.close()


def test_an_engine_that_drips_its_answer_is_cut_off_at_the_limit() -> None:
    drip = _Dripping()
    try:
        client = remote_app(drip.url).test_client()
        started = time.monotonic()
        answer = client.get("/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o }"),
                            headers={"Accept": "application/json"})
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "1"
        assert time.monotonic() - started < QUERY_TIMEOUT + SLACK
    finally:
        drip.close()


def test_whole_dataset_reads_are_bounded_in_all_not_per_read() -> None:
    """The dumps' CONSTRUCT, parsed as it arrives, and the triple count each end at
    ``remote_timeout`` however slowly the engine drips its answer."""
    drip = _Dripping(b"application/n-triples")
    try:
        settings = remote_settings(drip.url)
        limit = settings.remote_timeout
        started = time.monotonic()
        with pytest.raises(UpstreamTimeout):
            list(open_remote_store(settings).triples())
        assert time.monotonic() - started < limit + SLACK
        started = time.monotonic()
        answer = remote_app(drip.url).test_client().get("/dumps/ngo-ld.nt")
        assert answer.status_code == 503 and "Retry-After" in answer.headers
        assert time.monotonic() - started < limit + SLACK
    finally:
        drip.close()
    drip = _Dripping()
    try:
        started = time.monotonic()
        with pytest.raises(UpstreamTimeout):
            len(open_remote_store(remote_settings(drip.url)))
        assert time.monotonic() - started < limit + SLACK
    finally:
        drip.close()


# --- the server: one clear line at start, /healthz, SIGTERM --------------------------------


def test_serve_with_an_unreachable_engine_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "NGO_LD_STORE": "remote",
           "NGO_LD_REMOTE_QUERY_URL": f"http://127.0.0.1:{free_port()}/sparql",
           "NGO_LD_CACHE_DIR": str(tmp_path)}
    started = time.monotonic()
    done = subprocess.run([*ngo_ld_cli(), "serve", "--port", str(free_port())], env=env,
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "cannot reach the remote endpoint" in errors[0]
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 30


@pytest.mark.server
def test_serve_says_in_one_line_when_the_engine_holds_another_release(tmp_path: Path) -> None:
    marker = (b'{"head":{"vars":["v"]},"results":{"bindings":[{"v":{"type":"literal",'
              b'"value":"ffffffffffffffff"}}]}}')
    stub = StubEndpoint(200, marker, {"Content-Type": "application/sparql-results+json"})
    log = tmp_path / "serve.log"
    env = {**os.environ, "NGO_LD_STORE": "remote", "NGO_LD_REMOTE_QUERY_URL": stub.url,
           "NGO_LD_CACHE_DIR": str(tmp_path), "NGO_LD_WORKERS": "1"}
    with open(log, "wb") as out:
        server = subprocess.Popen([*ngo_ld_cli(), "serve", "--port", str(free_port())],
                                  env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "holds release" not in log.read_text():
            assert server.poll() is None, log.read_text()
            time.sleep(0.2)
        lines = [line for line in log.read_text().splitlines() if "holds release" in line]
        assert len(lines) == 1 and "ffffffffffffffff" in lines[0], log.read_text()
        assert "ngo-ld load-remote" in lines[0]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
        stub.close()


@pytest.mark.server
def test_a_server_in_front_of_virtuoso(virtuoso_engine: Engine, tmp_path: Path) -> None:
    """``ngo-ld serve`` in front of Virtuoso answers; /healthz turns 503 while Virtuoso is
    frozen, within the time limit; SIGTERM stops the server promptly even then."""
    from live import live_server

    env = {"NGO_LD_STORE": "remote", "NGO_LD_REMOTE_QUERY_URL": virtuoso_engine.query_url,
           "NGO_LD_QUERY_TIMEOUT": str(QUERY_TIMEOUT), "NGO_LD_WORKERS": "1"}
    with live_server(env=env, log_dir=tmp_path) as server:
        assert server.get("/doc/astra.ttl").status_code == 200
        assert server.get("/healthz").json()["status"] == "ok"
        virtuoso_engine.freeze()
        try:
            started = time.monotonic()
            health = server.get("/healthz")
            assert health.status_code == 503
            assert time.monotonic() - started < QUERY_TIMEOUT + SLACK
            answer = server.get("/doc/balkans-act-now.ttl")
            assert answer.status_code == 503 and answer.headers["Retry-After"] == "1"
            started = time.monotonic()
            assert server.stop(timeout=15) == 0
            assert time.monotonic() - started < 10
        finally:
            virtuoso_engine.thaw()
        assert "Traceback" not in server.log()

