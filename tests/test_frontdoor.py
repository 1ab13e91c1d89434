"""The front door: one access-log line per request, and repeated GETs answered from
memory without reaching Flask — never a stale or wrong-variant answer."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask, Response
from werkzeug.test import Client

from ngo_ld.config import Settings
from ngo_ld.store import GraphStore
from ngo_ld.web.frontdoor import FrontDoor


@pytest.fixture()
def counted() -> Iterator[tuple[Client, list[str], int]]:
    """A tiny Flask app behind a front door that logs into a pipe; counts Flask calls."""
    calls: list[str] = []
    app = Flask("counted")

    @app.get("/thing")
    def thing() -> tuple[str, int, dict[str, str]]:
        calls.append("thing")
        from flask import request

        return f"{request.accept_mimetypes} {request.headers.get('Accept-Language')}", 200, {}

    @app.get("/private")
    def private() -> tuple[str, int, dict[str, str]]:
        calls.append("private")
        return "x", 200, {"Cache-Control": "no-store"}

    @app.get("/missing")
    def missing() -> tuple[str, int]:
        calls.append("missing")
        return "no", 404

    @app.get("/dated")
    def dated() -> tuple[str, int, dict[str, str]]:
        calls.append("dated")
        return "d", 200, {"Date": f"call {len(calls)}"}

    @app.get("/stream")
    def stream() -> Response:
        calls.append("stream")
        return Response((b"x" for _ in range(3)), mimetype="text/plain")  # no Content-Length

    read, write = os.pipe()
    app.wsgi_app = FrontDoor(app.wsgi_app, max_entries=2, log_fd=write)  # type: ignore[method-assign]
    yield Client(app), calls, read
    os.close(read)
    os.close(write)


def test_a_repeated_get_is_answered_without_flask(counted) -> None:
    """Remembered the second time it is asked for; from then on Flask is not called."""
    client, calls, _ = counted
    answers = [client.get("/thing", headers={"Accept": "text/turtle"}) for _ in range(4)]
    assert all(a.data == answers[0].data and a.headers == answers[0].headers
               for a in answers)
    assert calls == ["thing", "thing"]


def test_answers_asked_for_once_are_not_remembered(counted) -> None:
    client, calls, _ = counted
    for n in range(10):
        client.get(f"/thing?once={n}")
    assert len(client.application.wsgi_app.answers) == 0  # type: ignore[attr-defined]
    client.get("/thing?once=3")  # the second time: remembered now
    client.get("/thing?once=3")
    assert calls == ["thing"] * 11


@pytest.mark.parametrize("header", ["Accept", "Accept-Language", "Accept-Encoding", "Host"])
def test_each_varying_header_is_part_of_the_key(counted, header: str) -> None:
    client, calls, _ = counted
    client.get("/thing", headers={header: "a"})
    client.get("/thing", headers={header: "b"})
    assert calls == ["thing", "thing"]


def test_conditional_requests_and_posts_reach_flask(counted) -> None:
    client, calls, _ = counted
    client.get("/thing")
    client.get("/thing", headers={"If-None-Match": '"x"'})
    client.post("/thing")
    assert calls.count("thing") == 2


def test_errors_and_no_store_answers_are_not_remembered(counted) -> None:
    client, calls, _ = counted
    for _ in range(2):
        client.get("/private")
        client.get("/missing")
    assert calls == ["private", "missing", "private", "missing"]


def test_memory_is_bounded(counted) -> None:
    client, calls, _ = counted
    for query in ("a", "b", "c", "a"):
        client.get(f"/thing?{query}")
    assert calls == ["thing"] * 4  # "a" was pushed out by "b" and "c" (max 2 entries)


def test_one_log_line_per_request(counted) -> None:
    client, _, read = counted
    for _ in range(3):
        client.get("/thing?x=1")
    client.get("/missing")
    lines = os.read(read, 65536).decode().splitlines()
    assert len(lines) == 4
    assert '"GET /thing?x=1 HTTP/1.1" 200' in lines[0]
    assert [line.endswith("hit") for line in lines] == [False, False, True, False]
    assert '"GET /missing HTTP/1.1" 404' in lines[3]
    assert all(line.split()[-2 if line.endswith("hit") else -1].endswith("ms") for line in lines)


def test_date_is_not_replayed_and_bodies_of_unknown_length_pass_through(counted) -> None:
    client, calls, _ = counted
    client.get("/dated")
    client.get("/dated")
    third = client.get("/dated")
    assert calls == ["dated", "dated"]
    assert "Date" not in third.headers  # the server adds a fresh one to each answer
    assert client.get("/stream").data == b"xxx" and client.get("/stream").data == b"xxx"
    assert calls.count("stream") == 2


def test_log_lines_cannot_be_forged(counted) -> None:
    client, _, read = counted
    client.get("/missing%0A127.0.0.1%20%22GET%20/admin%22%20200")
    lines = os.read(read, 65536).decode().splitlines()
    assert len(lines) == 1 and "\\x0a" in lines[0]


def test_the_real_app_answers_the_same_from_memory(settings: Settings, store: GraphStore) -> None:
    """Every kind of cacheable answer of ngo_ld comes back from memory (the log says "hit"),
    byte-identical to what Flask gave the first time."""
    from ngo_ld.web import create_app

    app = create_app(settings.but(answer_cache_entries=64), store=store)
    read, write = os.pipe()
    app.wsgi_app.log_fd = write  # type: ignore[attr-defined]
    client = app.test_client()
    try:
        for path, accept in [("/id/astra", "text/turtle"), ("/doc/astra", "text/turtle"),
                             ("/doc/gaatw.html", "text/html"),
                             ("/sparql?query=ASK%20%7B%7D", "text/csv")]:
            first, second, third = (client.get(path, headers={"Accept": accept})
                                    for _ in range(3))
            assert first.status_code in (200, 303), path
            assert (first.status_code, first.data) == (third.status_code, third.data), path
            assert {k: v for k, v in second.headers if k != "Date"} == dict(third.headers)
            lines = os.read(read, 65536).decode().splitlines()
            assert [line.endswith(" hit") for line in lines] == [False, False, True], path
    finally:
        os.close(read)
        os.close(write)


def test_remembered_bytes_are_bounded_too() -> None:
    """However many distinct answers pass, what the front door holds stays under its byte
    budget (the worker's share of the ≤ 150 MB of issue 5)."""
    body = b"x" * 10_000
    door = FrontDoor(lambda environ, start: (start("200 OK", [
        ("Content-Length", str(len(body)))]), [body])[1],
        max_entries=10_000, max_bytes=200_000, log_fd=None)
    client = Client(door)
    for n in range(100):
        client.get(f"/thing?n={n}")
        client.get(f"/thing?n={n}")  # asked twice: remembered
    assert 0 < door.answers.bytes <= 200_000
    assert len(door.answers) < 20


def test_the_query_result_cache_is_bounded_in_bytes(settings: Settings,
                                                    store: GraphStore) -> None:
    from ngo_ld.executor import Outcome
    from ngo_ld.queries import QueryService

    service = QueryService(store, settings.but(query_cache_entries=1000,
                                               query_cache_bytes=80_000),
                           executor=None)  # never started: nothing runs here
    cache = service.cache
    for n in range(100):
        for _ in range(2):  # asked for twice: remembered
            cache.put(("job", f"query {n}"), Outcome("ok", bytes(5_000)), 5_000)
    assert cache.bytes <= 80_000
    assert cache.get(("job", "query 99")) is not None
    assert cache.get(("job", "query 0")) is None
    for _ in range(2):
        cache.put(("job", "big"), Outcome("ok", bytes(20_000)), 20_000)  # > 1/8 of it
    assert cache.get(("job", "big")) is None
    assert cache.get(("job", "query 99")) is not None
