"""Fair use, on a real ``ngo-ld serve`` with its default limits: one impolite client does
not take the service from another.

The attacker speaks from 127.0.0.2 and the visitor from 127.0.0.3 (Linux routes all of
127.0.0.0/8 to the loopback interface), so the server tells them apart by address as it
would on the Internet. Every loop is bounded in count and time; the server is stopped by
its PID.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import resource
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest

from live import LiveServer, live_server
from ngo_ld.processes import descendants

pytestmark = pytest.mark.server

ATTACKER, VISITOR = "127.0.0.2", "127.0.0.3"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: Long enough that the runaway queries are still running while the visitor measures.
QUERY_TIMEOUT = 8
HALF_OPEN = 3000


@dataclass
class Reply:
    status: int
    seconds: float
    retry_after: str | None
    body: bytes


def fetch(port: int, path: str, source: str, accept: str, timeout: float = 30.0) -> Reply:
    """One GET on a fresh connection whose source address is ``source``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                            source_address=(source, 0))
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        body = response.read()
        return Reply(response.status, time.perf_counter() - started,
                     response.getheader("Retry-After"), body)
    finally:
        connection.close()


def query_path(query: str) -> str:
    return "/sparql?" + urlencode({"query": query})


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server(env={"NGO_LD_QUERY_TIMEOUT": str(QUERY_TIMEOUT),
                          "NGO_LD_VALIDATE_ON_START": "false"}) as running:
        yield running


def test_runaway_queries_do_not_slow_another_client(server: LiveServer) -> None:
    port = server.port
    fetch(port, "/doc/astra.ttl", VISITOR, "text/turtle")  # built once, before the attack
    attacks: list[Reply] = []

    def attack() -> None:
        attacks.append(fetch(port, query_path(RUNAWAY), ATTACKER,
                             "application/sparql-results+json"))

    threads = [threading.Thread(target=attack, daemon=True) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # all eight sent: two running, the rest refused
    attack_started = time.monotonic()

    documents = [fetch(port, "/doc/astra.ttl", VISITOR, "text/turtle").seconds
                 for _ in range(100)]
    queries = []
    for n in range(40):  # distinct: no remembered answer helps
        reply = fetch(port, query_path(f"ASK {{ ?s ?p ?o }} VALUES ?n {{ {n} }}"), VISITOR,
                      "application/sparql-results+json")
        assert reply.status == 200, reply.body
        queries.append(reply.seconds)
    assert time.monotonic() - attack_started < QUERY_TIMEOUT, "measured after the attack"
    for thread in threads:
        thread.join(QUERY_TIMEOUT + 10)

    assert percentile(documents, 0.99) <= 0.100 and max(documents) <= 1.0, documents
    assert percentile(queries, 0.95) <= 0.500 and max(queries) <= 3.0, queries
    refused = [a for a in attacks if a.status == 429]
    assert len(refused) == 6, [(a.status, a.seconds) for a in attacks]
    for reply in refused:
        assert reply.seconds <= 2.0 and reply.retry_after and int(reply.retry_after) >= 1
        error = json.loads(reply.body)["error"]
        assert error["limit"] == "concurrent queries per client", error
    ran = [a for a in attacks if a.status != 429]
    assert [a.status for a in ran] == [503, 503]  # stopped at the time limit


def test_half_open_connections_do_not_lock_another_client_out(server: LiveServer) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = HALF_OPEN + 512
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip(f"this test needs {wanted} open files; the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    sockets: list[socket.socket] = []
    try:
        for _ in range(HALF_OPEN):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            sock.bind((ATTACKER, 0))
            sock.connect_ex(("127.0.0.1", server.port))
            sockets.append(sock)
        time.sleep(0.3)
        for sock in sockets:  # a request that never finishes its headers
            with contextlib.suppress(OSError):
                sock.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
        seconds = [fetch(server.port, "/doc/astra.ttl", VISITOR, "text/turtle",
                         timeout=10).seconds for _ in range(20)]
    finally:
        for sock in sockets:
            sock.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert max(seconds) <= 2.0, seconds


def tree_pss_mb(pid: int) -> dict[int, int]:
    """PSS (MB) of each process of the tree rooted at ``pid``."""
    each = {}
    for member in [pid, *descendants(pid)]:
        try:
            with open(f"/proc/{member}/smaps_rollup", encoding="ascii") as rollup:
                each[member] = sum(int(line.split()[1]) for line in rollup
                                   if line.startswith("Pss:")) // 1024
        except OSError:
            continue  # a query process replaced meanwhile
    return each


def test_the_process_tree_stays_within_its_memory_budget(server: LiveServer) -> None:
    """After the attacks above, with the default settings: ≤ 150 MB PSS in all, once the
    closed connections' memory is returned (within seconds; polled, bounded in time)."""
    deadline = time.monotonic() + 10
    each = tree_pss_mb(server.pid)
    while sum(each.values()) > 150 and time.monotonic() < deadline:
        time.sleep(0.5)
        each = tree_pss_mb(server.pid)
    assert sum(each.values()) <= 150, f"{sum(each.values())} MB: {each} (MB per PID)"


def test_serve_starts_without_granians_thread_warning(server: LiveServer) -> None:
    """The threads beyond granian's guideline only wait on query processes: a newcomer is
    not told to worry about them (nor to lower backpressure, which would undo the
    defence against half-open connections tested above)."""
    log = server.log()
    assert "Listening at" in log, log
    assert "Configuration allows spawning" not in log, log
