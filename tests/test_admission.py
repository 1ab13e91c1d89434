"""Query admission: slots, each client's share, who a client is (ngo_ld.admission), and
how a refusal reaches the client (429 / 503 with Retry-After and the limit's name)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask

from ngo_ld.admission import QueryAdmission, client_address
from ngo_ld.config import Settings
from ngo_ld.errors import OverShare, ServiceBusy
from ngo_ld.store import GraphStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def admission(clock: Clock, **limits: float) -> QueryAdmission:
    options = {"slots": 4, "per_client": 2, "seconds_per_minute": 30.0,
               "query_timeout": 10.0, **limits}
    return QueryAdmission(clock=clock, **options)  # type: ignore[arg-type]


def test_a_client_runs_at_most_its_share_at_once() -> None:
    gate = admission(Clock())
    with gate.admit("a"), gate.admit("a"):
        with pytest.raises(OverShare) as refused, gate.admit("a"):
            pass
        assert refused.value.limit == "concurrent queries per client"
        assert refused.value.retry_after >= 1
        with gate.admit("b"):  # another client is not affected
            pass
    with gate.admit("a"):  # the share is back once the queries end
        pass


def test_the_whole_service_refuses_when_every_slot_is_taken() -> None:
    gate = admission(Clock(), slots=2, per_client=2)
    with gate.admit("a"), gate.admit("b"), pytest.raises(ServiceBusy) as refused, \
            gate.admit("c"):
        pass
    assert refused.value.limit == "query slots" and refused.value.retry_after >= 1
    assert gate.running == 0


def test_query_seconds_per_minute_are_a_budget_that_refills() -> None:
    clock = Clock()
    gate = admission(clock, seconds_per_minute=30.0)
    with gate.admit("a"), gate.admit("a"):  # two at once, 25 s each: 50 s spent in 25 s
        clock.now += 25
    with pytest.raises(OverShare) as refused, gate.admit("a"):
        pass
    assert refused.value.limit == "query seconds per minute per client"
    clock.now += refused.value.retry_after  # refilled as much as Retry-After promised
    with gate.admit("a"):
        pass
    with gate.admit("b"):  # others keep their own budget
        pass


def test_a_query_that_fails_still_counts_and_frees_its_slot() -> None:
    clock = Clock()
    gate = admission(clock, seconds_per_minute=5.0)
    with pytest.raises(RuntimeError), gate.admit("a"):
        clock.now += 6
        raise RuntimeError("the query failed")
    assert gate.running == 0
    assert gate.share_of("a") == (0, pytest.approx(-1.0))


def test_admission_is_exact_under_threads() -> None:
    gate = admission(Clock(), slots=3, per_client=100)
    inside, most, lock = [0], [0], threading.Lock()

    def worker() -> None:
        for _ in range(200):
            try:
                with gate.admit("x"):
                    with lock:
                        inside[0] += 1
                        most[0] = max(most[0], inside[0])
                    with lock:
                        inside[0] -= 1
            except ServiceBusy:
                pass

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert most[0] <= 3 and gate.running == 0


@pytest.mark.parametrize(("remote", "forwarded", "trusted", "expected"), [
    ("5.6.7.8", "1.2.3.4", frozenset(), "5.6.7.8"),  # no proxy trusted: header ignored
    ("5.6.7.8", "1.2.3.4", frozenset({"10.0.0.1"}), "5.6.7.8"),  # not from the proxy
    ("10.0.0.1", "1.2.3.4", frozenset({"10.0.0.1"}), "1.2.3.4"),
    ("10.0.0.1", "9.9.9.9, 1.2.3.4", frozenset({"10.0.0.1"}), "1.2.3.4"),  # forged left
    ("10.0.0.1", "1.2.3.4, 10.0.0.2", frozenset({"10.0.0.1", "10.0.0.2"}), "1.2.3.4"),
    ("10.0.0.1", "", frozenset({"10.0.0.1"}), "10.0.0.1"),
    (None, None, frozenset(), "-"),
])
def test_x_forwarded_for_counts_only_from_trusted_proxies(
        remote: str | None, forwarded: str | None, trusted: frozenset[str],
        expected: str) -> None:
    assert client_address(remote, forwarded, trusted) == expected


@pytest.fixture()
def strict_app(settings: Settings, store: GraphStore) -> Iterator[Flask]:
    from ngo_ld.web import create_app

    app = create_app(settings.but(validate_on_start=False, client_queries=1,
                                  client_query_seconds=0.001,
                                  trusted_proxies="127.0.0.9"), store=store)
    yield app
    from ngo_ld.web.sparql import shut_down

    shut_down(app)


@pytest.mark.parametrize("path", ["/sparql?query=ASK%20%7B%7D%20%23{n}",
                                  "/sparql?query=ASK%20%7B%7D%20%23{n}&format=json"])
def test_over_its_share_a_client_gets_429_with_retry_after_and_the_limit(
        strict_app: Flask, path: str) -> None:
    """On the direct path and on the route alike."""
    client = strict_app.test_client()
    first = client.get(path.format(n=1), environ_base={"REMOTE_ADDR": "1.1.1.1"})
    assert first.status_code == 200  # spends the whole (tiny) budget
    refused = client.get(path.format(n=2), environ_base={"REMOTE_ADDR": "1.1.1.1"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["Cache-Control"] == "no-store"
    error = refused.get_json()["error"]
    assert error["limit"] == "query seconds per minute per client"
    assert error["retry_after"] == int(refused.headers["Retry-After"])
    # Another address is its own client; a forged X-Forwarded-For changes nothing...
    assert client.get(path.format(n=3), environ_base={"REMOTE_ADDR": "2.2.2.2"}
                      ).status_code == 200
    assert client.get(path.format(n=4), environ_base={"REMOTE_ADDR": "1.1.1.1"},
                      headers={"X-Forwarded-For": "3.3.3.3"}).status_code == 429
    # ...except from a trusted proxy.
    assert client.get(path.format(n=5), environ_base={"REMOTE_ADDR": "127.0.0.9"},
                      headers={"X-Forwarded-For": "4.4.4.4"}).status_code == 200


def test_a_browser_over_its_share_gets_the_query_page_with_retry_after(
        strict_app: Flask) -> None:
    client = strict_app.test_client()
    browser = {"Accept": "text/html"}
    client.get("/sparql?query=ASK%20%7B%7D%20%23a", headers=browser)
    refused = client.get("/sparql?query=ASK%20%7B%7D%20%23b", headers=browser)
    assert refused.status_code == 429 and refused.mimetype == "text/html"
    assert int(refused.headers["Retry-After"]) >= 1
    assert "query time per minute" in refused.get_data(as_text=True)


def test_remembered_answers_need_no_share(strict_app: Flask) -> None:
    client = strict_app.test_client()
    path = "/sparql?query=ASK%20%7B%7D%20%23remembered"
    for address in ("7.7.7.7", "8.8.8.8"):  # asked twice: remembered
        assert client.get(path, environ_base={"REMOTE_ADDR": address}).status_code == 200
    again = client.get(path, environ_base={"REMOTE_ADDR": "7.7.7.7"})
    assert again.status_code == 200  # over its budget, yet answered from memory


def test_the_query_page_shows_the_fair_use_limits(settings: Settings, store: GraphStore
                                                  ) -> None:
    from ngo_ld.web import create_app

    page = create_app(settings.but(validate_on_start=False, client_queries=3,
                                   client_query_seconds=45),
                      store=store).test_client().get("/sparql", headers={"Accept": "text/html"})
    text = page.get_data(as_text=True)
    assert "3 queries at a time" in text and "45 s of query time per minute" in text


def test_a_crowd_of_addresses_does_not_grow_the_table_without_end(monkeypatch) -> None:
    from ngo_ld import admission as module

    monkeypatch.setattr(module, "MAX_CLIENTS", 100)
    clock = Clock()
    gate = admission(clock, seconds_per_minute=30.0)
    for n in range(1000):
        with gate.admit(f"10.0.{n // 256}.{n % 256}"):
            pass  # no query time spent: each bucket stays full
        clock.now += 0.01  # crowded, the table is swept once a second
    assert len(gate) <= 200
    with gate.admit("busy"), gate.admit("other"):  # running clients are never forgotten
        assert gate.share_of("busy")[0] == 1


def test_each_limit_is_derived_from_the_settings_in_one_place() -> None:
    from ngo_ld.server import granian_options, gunicorn_options

    settings = Settings(query_timeout=20, query_workers=3, threads=5,
                        header_read_timeout=2.5, max_connections=5000)
    assert settings.server_threads == 8  # one per query slot, plus the others
    assert settings.query_hard_limit == 45 and settings.worker_grace == 25
    options = granian_options(settings)
    assert options["blocking_threads"] == 8 and options["backpressure"] == 5000
    assert options["http1_settings"].header_read_timeout == 2500
    assert options["workers_kill_timeout"] == 25
    assert gunicorn_options(settings)["threads"] == 8
    assert gunicorn_options(settings)["timeout"] == 25


@pytest.mark.parametrize(("threads", "cores", "kept"), [
    (4, 2, False), (5, 2, False), (3, 1, False),  # query-slot threads on top do not count
    (6, 2, True), (4, 1, True), (9, 4, False), (10, 4, True)])
def test_granians_thread_warning_is_dropped_only_where_it_does_not_apply(
        threads: int, cores: int, kept: bool) -> None:
    """granian counts every thread (8 by default, on 2 cores it warns above 5); only
    ``threads`` run Python, the query slots' threads wait on a pipe."""
    import logging

    from ngo_ld.server import ThreadWarningFilter

    filter_ = ThreadWarningFilter(Settings(threads=threads, query_workers=4), cores=cores)

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("_granian", logging.WARNING, __file__, 1, message, None, None)

    warning = record(f"Configuration allows spawning up to {threads + 4} Python threads, "
                     "which seems quite high compared to the number of CPU cores available.")
    assert filter_.filter(warning) is kept
    assert filter_.filter(record("Listening at: http://127.0.0.1:5000")) is True
