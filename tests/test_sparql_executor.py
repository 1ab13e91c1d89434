"""Isolated query execution (ngo_ld.executor): time limit, crashes, overhead."""

from __future__ import annotations

import faulthandler
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from ngo_ld.config import Settings
from ngo_ld.errors import QueryTimeout
from ngo_ld.executor import Executor, Job, QueryCrashed, execute
from ngo_ld.formats import RESULT_FORMATS, by_token, count_rows
from ngo_ld.store import GraphStore, OxigraphStore

RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def small_store() -> OxigraphStore:
    raw = ox.Store()
    for i in range(200):
        raw.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://p"),
                        ox.Literal(f"value {i}", language="en"),
                        ox.NamedNode(f"http://example.org/g{i % 3}")))
    return OxigraphStore(raw, base_iri="https://w3id.org/ngo-ld/", version="small")


@pytest.fixture()
def executor(small_store: OxigraphStore) -> Iterator[Executor]:
    pool = Executor(small_store, size=2, timeout=1.0)
    yield pool
    pool.close()


def job(text: str, **kwargs: object) -> Job:
    return Job(text=text, original=text, **kwargs)  # type: ignore[arg-type]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text(
    ).split()[2]


def test_isolated_results_equal_in_process_results(executor: Executor,
                                                   small_store: OxigraphStore) -> None:
    for text, fmt in [("SELECT ?s ?o { ?s ?p ?o } ORDER BY ?s", "json"),
                      ("SELECT ?s ?o { ?s ?p ?o } ORDER BY ?s", "tsv"),
                      ("ASK { ?s ?p ?o }", "xml")]:
        assert executor.run(job(text, results_format=fmt)) == execute(small_store,
                                                                      job(text,
                                                                          results_format=fmt))
    construct = job("CONSTRUCT WHERE { ?s ?p ?o }", graph_format="ntriples")
    outcome = executor.run(construct)
    assert outcome.status == "ok" and outcome.body.count(b"\n") == 200


def test_syntax_errors_come_back_as_outcomes(executor: Executor) -> None:
    outcome = executor.run(job("SELECT * {"))
    assert outcome.status == "syntax" and "error at 1:" in outcome.message


def test_runaway_query_is_killed_and_replaced(executor: Executor) -> None:
    executor.start()
    before = set(executor.pids())
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="query stopped after 1 s; simplify it or add LIMIT"):
        executor.run(job(RUNAWAY))
    assert time.monotonic() - started < 2.0
    killed = before - set(executor.pids())
    assert len(killed) == 1 and not alive(killed.pop())
    assert executor.run(job("ASK {}")).status == "ok"
    assert len(executor.pids()) == 2


def test_other_queries_run_while_one_runs_away(executor: Executor) -> None:
    executor.start()
    errors: list[BaseException] = []

    def runaway() -> None:
        try:
            executor.run(job(RUNAWAY))
        except QueryTimeout as exc:
            errors.append(exc)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    assert executor.run(job("SELECT * { ?s ?p ?o } LIMIT 3")).status == "ok"
    assert time.monotonic() - started < 0.5
    thread.join()
    assert len(errors) == 1


def test_a_crashed_child_is_reported_and_replaced(executor: Executor) -> None:
    was_enabled = faulthandler.is_enabled()
    faulthandler.disable()  # the children inherit it; keep pytest's output free of their dump
    try:
        executor.start()
    finally:
        if was_enabled:
            faulthandler.enable()
    victim = executor.pids()[-1]  # the next job goes to the most recently idle child
    timer = threading.Timer(0.3, os.kill, (victim, signal.SIGSEGV))
    timer.start()
    with pytest.raises(QueryCrashed, match="signal 11"):
        executor.run(job(RUNAWAY))
    timer.join()
    assert not alive(victim)
    assert executor.run(job("ASK {}")).status == "ok"


def test_children_hold_no_inherited_sockets(executor: Executor) -> None:
    executor.start()

    def sockets(pid: int) -> int:
        count = 0
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:  # the child may close it between the listing and the look
                count += os.readlink(fd).startswith("socket:")
            except FileNotFoundError:
                continue
        return count

    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and any(sockets(p) != 1 for p in executor.pids()):
        time.sleep(0.05)  # each child closes what it inherited as it starts
    # Each keeps only its own end of the pipe to the parent.
    assert [sockets(pid) for pid in executor.pids()] == [1, 1]


def test_close_stops_every_child(small_store: OxigraphStore) -> None:
    pool = Executor(small_store, size=2, timeout=1.0)
    pool.start()
    pids = pool.pids()
    assert len(pids) == 2
    pool.close()
    assert not any(alive(pid) for pid in pids)


def test_stores_that_bound_time_themselves_run_in_process(small_store: OxigraphStore) -> None:
    pool = Executor(small_store, isolated=False)
    assert pool.run(job("ASK {}")).status == "ok"
    assert pool.pids() == []


def test_truncation_counts_rows_in_every_results_format(small_store: OxigraphStore) -> None:
    for fmt in RESULT_FORMATS:
        text = "SELECT ?s ?o { ?s ?p ?o } ORDER BY ?s"
        outcome = execute(small_store, Job(text=text + "\nLIMIT 11\n", original=text,
                                           results_format=fmt.token, max_rows=10,
                                           count_rows=True,
                                           truncated_text=text + "\nLIMIT 10\n"))
        assert outcome.truncated and outcome.rows == 10
        assert count_rows(outcome.body, fmt) == 10


def test_count_rows_with_newlines_and_markup_in_values() -> None:
    store = ox.Store()
    answer_text = ('SELECT ?x { VALUES ?x { "a\\nb" "<result>" "c,\\"d\\"\\r\\ne" '
                   '<http://x/> } }')
    for token in ("json", "xml", "csv", "tsv"):
        fmt = by_token(token)
        assert fmt is not None and fmt.oxigraph_name is not None
        body = store.query(answer_text).serialize(
            format=getattr(ox.QueryResultsFormat, fmt.oxigraph_name))
        assert count_rows(body, fmt) == 4, token


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.token)
def test_one_more_solution_adds_at_least_min_row_bytes(fmt) -> None:
    """The shortcut that skips counting short answers is safe: no solution, not even an
    empty one, is shorter than ``Format.min_row_bytes``."""
    store = ox.Store()
    assert fmt.min_row_bytes > 0 and fmt.oxigraph_name is not None

    def size(rows: int) -> int:
        query = "SELECT ?x { VALUES ?x { " + "UNDEF " * rows + "} }"
        return len(store.query(query).serialize(
            format=getattr(ox.QueryResultsFormat, fmt.oxigraph_name)))

    assert all(size(n + 1) - size(n) >= fmt.min_row_bytes for n in range(1, 4))


def test_overhead_of_isolation_is_small(executor: Executor, small_store: OxigraphStore) -> None:
    """Per-query cost of the round trip to a child (printed; run with -s to see it)."""
    executor.start()
    simple = job("SELECT ?s { ?s ?p ?o } LIMIT 5")
    for _ in range(20):
        executor.run(simple)
    n = 300
    started = time.perf_counter()
    for _ in range(n):
        execute(small_store, simple)
    in_process = (time.perf_counter() - started) / n
    started = time.perf_counter()
    for _ in range(n):
        executor.run(simple)
    isolated = (time.perf_counter() - started) / n
    print(f"\nsimple SELECT: in-process {in_process * 1e6:.0f} µs, "
          f"isolated {isolated * 1e6:.0f} µs, overhead {(isolated - in_process) * 1e6:.0f} µs")
    assert isolated - in_process < 0.005


def _can_isolate(isolate) -> bool:
    pid = os.fork()
    if pid == 0:
        os._exit(0 if isolate() else 1)
    _, status = os.waitpid(pid, 0)
    return os.WEXITSTATUS(status) == 0


def test_query_processes_have_no_network_even_past_the_guards(store: GraphStore) -> None:
    """Defence in depth: a SERVICE call that reaches the engine (guards bypassed here on
    purpose, by building the job directly) contacts nobody, and whatever the engine says
    about it is not echoed to the client."""
    import http.server
    import threading

    from ngo_ld.executor import Executor, Job, isolate_from_network

    hits: list[str] = []

    class Canary(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_GET = do_POST

        def log_message(self, *args: object) -> None:
            pass

    canary = http.server.HTTPServer(("127.0.0.1", 0), Canary)
    threading.Thread(target=canary.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{canary.server_address[1]}/x"
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    executor = Executor(store, size=1, timeout=5)
    try:
        outcome = executor.run(Job(text=query, original=query))
    finally:
        executor.close()
        canary.shutdown()
        canary.server_close()
    if hits and not _can_isolate(isolate_from_network):
        pytest.skip("this machine allows no network namespaces (needs root or user "
                    "namespaces); the lexical guards are the only defence here")
    assert hits == [], "the query process reached the network"
    assert outcome.status == "error"
    assert "127.0.0.1" not in (outcome.message or "")


def test_a_process_that_kept_a_big_query_s_memory_is_replaced(store: GraphStore,
                                                              monkeypatch) -> None:
    """After a slow job, a query process holding more private memory than the bound is
    replaced (here the bound is 0, so every slow job's process goes), and the answers stay
    right."""
    import ngo_ld.executor as executor_module
    from ngo_ld.executor import Executor, Job

    monkeypatch.setattr(executor_module, "RECYCLE_PRIVATE_MB", 0)
    monkeypatch.setattr(executor_module, "_SLOW_JOB", 0.0)
    executor = Executor(store, size=1, timeout=5)
    try:
        query = "ASK { ?s ?p ?o }"
        first = executor.run(Job(text=query, original=query))
        pids_before = set(executor._busy) | {w.pid for w in executor._idle}
        second = executor.run(Job(text=query, original=query))
        pids_after = set(executor._busy) | {w.pid for w in executor._idle}
    finally:
        executor.close()
    assert first.status == second.status == "ok" and b"true" in second.body
    assert executor.stats["recycled"] == 2
    assert pids_before.isdisjoint(pids_after)


def test_an_answer_over_the_byte_limit_is_refused_in_the_query_process(
        executor: Executor) -> None:
    big = 'SELECT ?s ?o { ?s ?p ?o } ORDER BY ?s'
    whole = executor.run(job(big))
    assert whole.status == "ok"
    refused = executor.run(job(big, max_bytes=len(whole.body) - 1))
    assert refused.status == "too-large"
    assert f"the limit is {len(whole.body) - 1:,}" in refused.message
    assert refused.body == b""
    # The same process carries on; exactly at the limit is allowed.
    assert executor.run(job(big, max_bytes=len(whole.body))) == whole


def test_the_endpoint_reports_an_answer_too_large(settings: Settings, store: GraphStore
                                                  ) -> None:
    from ngo_ld.web import create_app
    from ngo_ld.web.sparql import service

    app = create_app(settings.but(validate_on_start=False, max_answer_bytes=2000),
                     store=store)
    try:
        response = app.test_client().get(
            "/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 100"},
            headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 400
        error = response.get_json()["error"]
        assert "the limit is 2,000" in error["message"]
        assert "LIMIT" in error["hint"]
    finally:
        service(app).executor.close()
