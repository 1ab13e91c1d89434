"""The benchmark's distinct-query and attack modes measure what they claim to.

* every distinct query is a different text, and asks exactly what the query without its
  trailing ``VALUES`` row asks (so the mode measures the mix's work, not something else);
* the visitor and the attacker really speak from their own loopback addresses, the
  runaway attacker is bounded by its pause after a refusal and reports the refusals, and
  the half-open attacker keeps its count when the server closes connections.

The modes themselves are run by ``python bench/run.py --distinct-queries --attack``, not here.
"""

from __future__ import annotations

import selectors
import socket
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest

from ngo_ld.store import GraphStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import attack
from harness import NONCE, Request, Sample, Server, sparql_queries, sparql_requests


@pytest.fixture(scope="module")
def sample(store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Sample:
    path = tmp_path_factory.mktemp("bench") / "export.nt"
    ox.serialize(store.triples(), str(path), format=ox.RdfFormat.N_TRIPLES)
    return Sample.from_ntriples(path)


def answer(store: GraphStore, text: str) -> object:
    """A comparable form of a query's answer: rows in order (all of the mix's SELECTs that
    return more than one row either ORDER BY or are compared as sets below), a boolean, or
    a set of triples."""
    result = store.query(text)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return sorted(tuple(str(row[n]) for n in names) for row in result)
    return {str(t) for t in result}


@pytest.mark.parametrize("name", ["lookup", "members", "counts", "ask", "describe",
                                  "construct", "path", "search"])
def test_distinct_queries_ask_what_the_plain_query_asks(store: GraphStore, sample: Sample,
                                                         name: str) -> None:
    make = sparql_queries(sample)[name]
    sent = [r.path for r in sparql_requests(make, "/sparql", 3, unique=True)]
    assert len(set(sent)) == 3
    for n, path in enumerate(sent):
        text = parse_qs(urlsplit(path).query)["query"][0]
        assert NONCE in text  # the wrk script makes it unique per request
        for run in ("1-0-1", "1-0-2"):
            assert answer(store, text.replace(NONCE, run)) == answer(store, make(n)[1])
    # the repeated variant stays one text, without a VALUES row
    [repeated] = sparql_requests(make, "/sparql", 0, unique=True)
    assert parse_qs(urlsplit(repeated.path).query)["query"][0] == make(None)[1]


def test_runaway_query_parses_and_is_distinct() -> None:
    side = attack.Side("x", Server("x", [], "/"), [], [], "/sparql")
    first, second = side.runaway("a"), side.runaway("b")
    assert first.path != second.path
    assert first.path.startswith("/sparql?query=")
    ox.Store().query(parse_qs(urlsplit(first.path).query)["query"][0])  # parses


class Recorder(BaseHTTPRequestHandler):
    """200 for documents and queries, 429 with Retry-After for the runaway query; records
    who asked."""

    seen: ClassVar[list[tuple[str, str]]] = []

    def do_GET(self) -> None:
        self.seen.append((self.client_address[0], self.path))
        runaway = "COUNT" in self.path
        self.send_response(429 if runaway else 200)
        if runaway:
            self.send_header("Retry-After", "1")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def recorder() -> Iterator[tuple[ThreadingHTTPServer, list[tuple[str, str]]]]:
    Recorder.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, Recorder.seen
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def side_of(httpd: ThreadingHTTPServer, sample: Sample) -> attack.Side:
    server = Server("recorder", [], "/", port=httpd.server_address[1])
    lookups = sparql_queries(sample)["lookup"]
    return attack.Side("recorder", server, [Request("GET", "/doc/astra.ttl")],
                       sparql_requests(lookups, "/sparql", 4, unique=True), "/sparql")


def test_visitor_speaks_from_its_own_address_and_never_repeats_a_query(
        recorder: tuple[ThreadingHTTPServer, list[tuple[str, str]]], sample: Sample) -> None:
    httpd, seen = recorder
    answers = attack.visit(side_of(httpd, sample), 0.5)
    assert answers["document"] and answers["query"]
    assert all(a.status == 200 for kind in answers.values() for a in kind)
    assert {address for address, _ in seen} == {attack.VISITOR}
    queries = [path for _, path in seen if path.startswith("/sparql")]
    assert len(queries) == len(set(queries)) == len(answers["query"])
    stats = attack.latency(answers["document"])
    assert stats["n"] == len(answers["document"]) and stats["not_200"] == 0
    assert stats["p50_ms"] <= stats["p99_ms"] <= stats["max_ms"]


def test_runaway_attacker_counts_refusals_and_waits_after_each(
        recorder: tuple[ThreadingHTTPServer, list[tuple[str, str]]], sample: Sample) -> None:
    httpd, seen = recorder
    started = time.monotonic()
    with attack.Runaways(side_of(httpd, sample), count=2) as runaways:
        pass
    elapsed = time.monotonic() - started
    report = runaways.report()
    assert {address for address, _ in seen} == {attack.ATTACKER}
    assert report["sent"] == report["refusals"] == report["statuses"]["429"]["retry_after"]
    # two threads, each pausing ATTACKER_PAUSE after every refusal
    assert 2 <= report["sent"] <= 2 * (elapsed / attack.ATTACKER_PAUSE + 1)
    assert report["refusal_max_ms"] < 1000


def test_half_open_attacker_holds_its_count_when_the_server_closes_some() -> None:
    """A listener that closes every third connection it accepts, keeps the others."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    port = listener.getsockname()[1]
    peers: list[str] = []
    stop = threading.Event()

    def serve() -> None:
        kept = []
        with selectors.DefaultSelector() as selector:
            selector.register(listener, selectors.EVENT_READ)
            while not stop.is_set():
                for _ in selector.select(timeout=0.05):
                    try:
                        conn, (host, _port) = listener.accept()
                    except BlockingIOError:
                        continue
                    peers.append(host)
                    if len(peers) % 3 == 0:
                        conn.close()
                    else:
                        kept.append(conn)
        for conn in kept:
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with attack.HalfOpen(port, 30, fill_seconds=10) as half_open:
            deadline = time.monotonic() + 10  # the closed ones come back
            while (half_open.closed_by_server < 10 or half_open.held < 30) \
                    and time.monotonic() < deadline:
                time.sleep(0.1)
            report = half_open.report()
    finally:
        stop.set()
        thread.join(5)
        listener.close()
    assert report["held_at_start"] == 30
    assert report["closed_by_server"] >= 10
    assert report["held_at_end"] == 30
    assert set(peers) == {attack.ATTACKER}
