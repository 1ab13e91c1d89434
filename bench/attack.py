"""A visitor's latency while an attacker runs wild, on ngo-ld and on Oxigraph's server.

    python bench/run.py --attack [--quick] [--half-open N]

Each server is started alone and goes through the same phases, each a fixed time:

* **alone** — the visitor only: the anchor every other figure is divided by;
* **runaway** — the attacker keeps 8 runaway queries in flight (a cartesian product of the
  whole graph three times, counted: it ends only by the server's time limit). Each is sent
  again as soon as it ends; after a refusal, or no answer at all, again after a quarter of a
  second, ``Retry-After`` or not, as an impolite client would;
* **half-open** — the attacker holds ``--half-open`` connections that send the start of a
  request and never finish it; those the server closes are opened again at once.

The attacker speaks from 127.0.0.2 and the visitor from 127.0.0.3 (Linux routes all of
127.0.0.0/8 to the loopback interface), so a server that tells clients apart by address
sees two clients. The visitor is two loops side by side, each on a new connection per
request with a short pause between requests: one asks for documents, the other for distinct
simple queries (a lookup by IRI with a ``VALUES`` row of its own, so no cache can answer
it). Oxigraph's server has no documents: there the visitor's document is ``DESCRIBE`` of
the same thing, in Turtle.

Recorded: the visitor's p50/p95/p99/maximum per kind and phase, and its answers that were not
200; what the attacker got (statuses, ``Retry-After``, time to a refusal); the connections
the half-open attacker held; the PSS of the server's process tree after each phase. Every
loop is bounded in count and time, and every server is stopped by its PID.
"""

from __future__ import annotations

import argparse
import http.client
import math
import resource
import selectors
import socket
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from typing import Any

from harness import (
    NONCE,
    PREFIXES,
    RESULTS_JSON,
    TURTLE,
    Request,
    Server,
    Testbed,
    log,
    memory_mb,
    ngo_ld_server,
    nonce_row,
    now_iso,
    oxigraph_server,
    sparql_queries,
    sparql_requests,
)

ATTACKER = "127.0.0.2"
VISITOR = "127.0.0.3"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
RUNAWAYS = 8
REFUSALS = (429, 503)  # "come back later", with Retry-After
#: The start of a request that never ends: request line and one header, without the end.
HALF_REQUEST = b"GET /doc/astra.ttl HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Never-Ends: "

VISITOR_TIMEOUT = 30.0  # seconds a visitor's request may take before it counts as failed
VISITOR_PAUSE = 0.02  # between a visitor's requests
VISITOR_MAX_REQUESTS = 5_000  # per kind and phase
ATTACKER_TIMEOUT = 60.0
ATTACKER_PAUSE = 0.25  # after a refusal or a failure, before the next runaway
ATTACKER_MAX_SENDS = 2_000  # per attacker thread and phase
SETTLE_SECONDS = 30.0  # at most, after a phase, for the server to answer promptly again

# The targets the fairness work aims at (ngo-ld; Oxigraph is shown beside them, not judged).
DOC_P99_MS, DOC_MAX_MS = 100.0, 1000.0
QUERY_P95_MS, QUERY_MAX_MS = 500.0, 3000.0
REFUSAL_MAX_MS = 2000.0
HALF_OPEN_DOC_MAX_MS = 2000.0
PSS_MB = 150.0


@dataclass(frozen=True)
class Answer:
    status: int  # 0: no answer (time-out, connection refused or reset)
    seconds: float
    retry_after: str | None = None


def send(port: int, request: Request, source: str, timeout: float) -> Answer:
    """One request on a new connection from ``source``; how it ended and how long it took."""
    headers = {"Connection": "close"}
    if request.accept:
        headers["Accept"] = request.accept
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                            source_address=(source, 0))
    try:
        connection.request(request.method, request.path, body=request.body, headers=headers)
        response = connection.getresponse()
        response.read()
        return Answer(response.status, time.perf_counter() - started,
                      response.getheader("Retry-After"))
    except (OSError, http.client.HTTPException):
        return Answer(0, time.perf_counter() - started)
    finally:
        connection.close()


@dataclass
class Side:
    """One server under attack, and how the visitor and the attacker speak to it."""

    name: str
    server: Server
    documents: list[Request]
    queries: list[Request]  # distinct lookups; NONCE is replaced per request
    query_path: str

    def query(self, i: int, token: str) -> Request:
        r = self.queries[i % len(self.queries)]
        return replace(r, path=r.path.replace(NONCE, f"{token}-{i}"))

    def runaway(self, token: str) -> Request:
        text = RUNAWAY + nonce_row(token)  # never the same text twice
        return Request("GET", f"{self.query_path}?{urllib.parse.urlencode({'query': text})}",
                       RESULTS_JSON)


def sides(bed: Testbed) -> list[Side]:
    """ngo-ld and Oxigraph's server (not started yet), each with the visitor's requests."""
    slugs = bed.sample.slugs
    things = (["astra"] if "astra" in slugs else []) + [s for s in slugs if s != "astra"][:15]
    describe = [Request("GET", "/query?" + urllib.parse.urlencode(
        {"query": PREFIXES + f"DESCRIBE <{bed.sample.base}id/{slug}>"}), TURTLE)
        for slug in things]
    lookups = sparql_queries(bed.sample)["lookup"]
    return [
        Side("ngo-ld", ngo_ld_server(bed.home, bed.cache),
             [Request("GET", f"/doc/{slug}.ttl") for slug in things],
             sparql_requests(lookups, "/sparql", 256, unique=True), "/sparql"),
        Side("oxigraph", oxigraph_server(bed.location), describe,
             sparql_requests(lookups, "/query", 256, unique=True), "/query")]


# --- the visitor -----------------------------------------------------------------------------


def visit(side: Side, seconds: float) -> dict[str, list[Answer]]:
    """Documents, and distinct queries, one after the other each, for ``seconds``: two
    visitors side by side, so that a slow answer of one kind does not hide the other."""
    token = uuid.uuid4().hex[:12]
    answers: dict[str, list[Answer]] = {"document": [], "query": []}
    asks: dict[str, Callable[[int], Request]] = {
        "document": lambda i: side.documents[i % len(side.documents)],
        "query": lambda i: side.query(i, token)}
    deadline = time.monotonic() + seconds

    def one_kind(kind: str) -> None:
        for i in range(VISITOR_MAX_REQUESTS):
            if time.monotonic() >= deadline:
                return
            answers[kind].append(send(side.server.port, asks[kind](i), VISITOR,
                                      VISITOR_TIMEOUT))
            time.sleep(VISITOR_PAUSE)

    visitors = [threading.Thread(target=one_kind, args=(kind,), daemon=True)
                for kind in answers]
    for thread in visitors:
        thread.start()
    for thread in visitors:
        thread.join(seconds + VISITOR_TIMEOUT + 5)
    return answers


# --- the attackers ---------------------------------------------------------------------------


class Runaways(AbstractContextManager["Runaways"]):
    """``count`` threads from ATTACKER, each keeping one runaway query in flight while the
    phase lasts. Leaving waits for the queries in flight to end (the servers' time limits
    end them)."""

    def __init__(self, side: Side, count: int = RUNAWAYS) -> None:
        self.side = side
        self.stopping = threading.Event()
        self.answers: list[Answer] = []
        self.threads = [threading.Thread(target=self._attack, args=(n,), daemon=True,
                                         name=f"runaway-{n}") for n in range(count)]

    def _attack(self, n: int) -> None:
        token = uuid.uuid4().hex[:12]
        for i in range(ATTACKER_MAX_SENDS):
            if self.stopping.is_set():
                return
            answer = send(self.side.server.port, self.side.runaway(f"{token}-{n}-{i}"),
                          ATTACKER, ATTACKER_TIMEOUT)
            self.answers.append(answer)
            if answer.status in REFUSALS or answer.status == 0:
                self.stopping.wait(ATTACKER_PAUSE)

    def __enter__(self) -> Runaways:
        for thread in self.threads:
            thread.start()
        time.sleep(1.0)  # let them reach the engine before the visitor starts
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        deadline = time.monotonic() + ATTACKER_TIMEOUT + 5
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def report(self) -> dict[str, Any]:
        """What the runaway queries got, per status (0: no answer): how many, how many
        with ``Retry-After``, and how long they took."""
        by_status: dict[str, Any] = {}
        for status in sorted({a.status for a in self.answers}):
            got = [a for a in self.answers if a.status == status]
            ms = sorted(1000 * a.seconds for a in got)
            by_status[str(status)] = {"n": len(got),
                                      "retry_after": sum(1 for a in got if a.retry_after),
                                      "p50_ms": percentile(ms, 50), "max_ms": ms[-1]}
        refusals = sorted(1000 * a.seconds for a in self.answers
                          if a.status in REFUSALS and a.retry_after)
        return {"sent": len(self.answers), "statuses": by_status, "refusals": len(refusals),
                "refusal_p50_ms": percentile(refusals, 50),
                "refusal_max_ms": max(refusals, default=None)}


class HalfOpen(AbstractContextManager["HalfOpen"]):
    """``count`` connections from ATTACKER that start a request and never finish it. A thread
    watches them; those the server closes are opened again, so the count holds."""

    def __init__(self, port: int, count: int, fill_seconds: float = 30.0) -> None:
        self.port, self.count, self.fill_seconds = port, count, fill_seconds
        self.stopping = threading.Event()
        self.filled = threading.Event()
        self.selector = selectors.DefaultSelector()
        self.held = self.connect_failures = self.closed_by_server = 0
        self.held_at_start = 0
        self.thread = threading.Thread(target=self._hold, daemon=True, name="half-open")

    def _open(self) -> bool:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(1.0)
        try:
            sock.bind((ATTACKER, 0))
            sock.connect(("127.0.0.1", self.port))
            sock.sendall(HALF_REQUEST)
        except OSError:
            sock.close()
            self.connect_failures += 1
            time.sleep(0.01)  # (a refused connection fails at once: no busy loop)
            return False
        sock.setblocking(False)
        self.selector.register(sock, selectors.EVENT_READ)
        self.held += 1
        return True

    def _top_up(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.held < self.count and time.monotonic() < deadline \
                and not self.stopping.is_set():
            self._open()

    def _hold(self) -> None:
        self._top_up(self.fill_seconds)
        self.held_at_start = self.held
        self.filled.set()
        while not self.stopping.is_set():
            for key, _ in self.selector.select(timeout=0.5):
                sock: socket.socket = key.fileobj  # type: ignore[assignment]
                try:
                    data = sock.recv(4096)
                except OSError:
                    data = b""
                if not data:  # closed by the server (an answer such as 408 is also an end)
                    self.selector.unregister(sock)
                    sock.close()
                    self.held -= 1
                    self.closed_by_server += 1
            self._top_up(0.5)

    def __enter__(self) -> HalfOpen:
        self.thread.start()
        self.filled.wait(self.fill_seconds + 5)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join(10)
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()  # type: ignore[union-attr]
        self.selector.close()

    def report(self) -> dict[str, Any]:
        return {"wanted": self.count, "held_at_start": self.held_at_start,
                "held_at_end": self.held, "connect_failures": self.connect_failures,
                "closed_by_server": self.closed_by_server}


# --- the run ---------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    """Nearest rank of sorted ``values``; None when there are none."""
    if not values:
        return None
    return values[max(0, math.ceil(q / 100 * len(values)) - 1)]


def latency(answers: list[Answer]) -> dict[str, Any]:
    ms = sorted(1000 * a.seconds for a in answers)
    statuses = Counter(a.status for a in answers)
    return {"n": len(ms), "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95),
            "p99_ms": percentile(ms, 99), "max_ms": max(ms, default=None),
            "not_200": len(ms) - statuses.get(200, 0),
            "statuses": {str(k): v for k, v in sorted(statuses.items())}}


def settle(side: Side) -> None:
    """Wait (bounded) until the server answers a document within a second again, so that one
    phase's leftovers do not land in the next."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        if send(side.server.port, side.documents[0], VISITOR, 1.0).status == 200:
            return
        time.sleep(0.5)
    log(f"{side.name} still slow {SETTLE_SECONDS:.0f} s after the phase")


def phases(side: Side, half_open: int) -> Iterator[tuple[str, Callable[[], Any]]]:
    yield "alone", nullcontext
    yield "runaway", lambda: Runaways(side)
    if half_open > 0:
        yield "half-open", lambda: HalfOpen(side.server.port, half_open)


def attack_one(side: Side, seconds: float, half_open: int) -> dict[str, Any]:
    out: dict[str, Any] = {"phases": {}, "pss_mb": {"after start": memory_mb(side.server.pid)}}
    for phase, attacker in phases(side, half_open):
        log(f"attack: {side.name} {phase} …")
        with attacker() as attack:
            answers = visit(side, seconds)
        record = {kind: latency(a) for kind, a in answers.items()}
        if attack is not None:
            record["attacker"] = attack.report()
        out["phases"][phase] = record
        settle(side)
        out["pss_mb"][f"after {phase}"] = memory_mb(side.server.pid)
        log(f"  {phase}: " + "; ".join(
            f"{k} p50 {v['p50_ms']:.1f} p99 {v['p99_ms']:.1f} max {v['max_ms']:.1f} ms"
            for k, v in record.items() if k != "attacker" and v["n"]))
    out["alive"] = side.server.process is not None and side.server.process.poll() is None
    return out


@contextmanager
def started(server: Server, bed: Testbed) -> Iterator[Server]:
    server.start(bed.workdir)
    try:
        yield server
    finally:
        server.stop()


def allow_open_files(count: int) -> None:
    """Raise this process's soft limit on open files (often 1,024) to hold ``count``
    half-open sockets besides everything else."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = count + 1024
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return
    if hard != resource.RLIM_INFINITY and hard < wanted:
        log(f"the hard limit on open files is {hard}: fewer than {count} half-open "
            "connections will be held")
        wanted = hard
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def run(args: argparse.Namespace, versions: dict[str, str]) -> dict[str, Any]:
    allow_open_files(args.half_open)
    bed = Testbed.prepare(args.data, prefix="ngo-ld-attack-")
    servers: dict[str, Any] = {}
    for side in sides(bed):  # one at a time: neither shares the machine with the other
        with started(side.server, bed):
            servers[side.name] = attack_one(side, args.attack_seconds, args.half_open)
    return {"kind": "attack", "date": now_iso(), "versions": versions,
            "settings": {"data": args.data, "triples": bed.triples,
                         "phase_seconds": args.attack_seconds, "runaways": RUNAWAYS,
                         "half_open": args.half_open, "runaway_query": RUNAWAY,
                         "attacker": ATTACKER, "visitor": VISITOR},
            "servers": servers}


# --- the report ------------------------------------------------------------------------------


def _ms(x: float | None) -> str:
    return "–" if x is None else f"{x:,.1f}"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or not b:
        return "–"
    ratio = a / b
    return f"{ratio:,.0f}×" if ratio >= 100 else f"{ratio:.2f}×" if ratio >= 0.1 \
        else f"{ratio:.1g}×"


def _statuses(statuses: dict[str, Any]) -> str:
    return "; ".join(f"{'none' if k == '0' else k} ×{v['n']} ({v['retry_after']} with "
                     f"Retry-After) {_ms(v['p50_ms'])} / {_ms(v['max_ms'])}"
                     for k, v in statuses.items()) or "–"


def targets(result: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, what ngo-ld did, met?) for the fairness targets."""
    ngo = result["servers"].get("ngo-ld")
    if not ngo:
        return []
    runaway = ngo["phases"].get("runaway", {})
    doc, query = runaway.get("document", {}), runaway.get("query", {})
    attacker = runaway.get("attacker", {})
    rows: list[tuple[str, str, bool | None]] = []
    if doc.get("n"):
        rows.append((f"documents under runaway queries: p99 ≤ {DOC_P99_MS:.0f} ms, none over "
                     f"{DOC_MAX_MS:.0f} ms", f"p99 {_ms(doc['p99_ms'])} ms, max "
                     f"{_ms(doc['max_ms'])} ms",
                     doc["p99_ms"] <= DOC_P99_MS and doc["max_ms"] <= DOC_MAX_MS))
    if query.get("n"):
        rows.append((f"distinct simple queries under runaway queries: p95 ≤ {QUERY_P95_MS:.0f}"
                     f" ms, none over {QUERY_MAX_MS:.0f} ms",
                     f"p95 {_ms(query['p95_ms'])} ms, max {_ms(query['max_ms'])} ms, "
                     f"{query['not_200']} not 200",
                     query["p95_ms"] <= QUERY_P95_MS and query["max_ms"] <= QUERY_MAX_MS
                     and not query["not_200"]))
    if attacker:
        refused, statuses = attacker["refusals"], attacker["statuses"]
        bare = statuses.get("429", {"n": 0, "retry_after": 0})
        rows.append((f"the attacker's excess refused within {REFUSAL_MAX_MS:.0f} ms, with "
                     "Retry-After", f"{refused} refusals, slowest "
                     f"{_ms(attacker['refusal_max_ms'])} ms; all answers: "
                     f"{_statuses(statuses)}",
                     bool(refused) and attacker["refusal_max_ms"] <= REFUSAL_MAX_MS
                     and bare["retry_after"] == bare["n"]))
    half = ngo["phases"].get("half-open", {}).get("document", {})
    if half.get("n"):
        rows.append((f"documents beside {result['settings']['half_open']:,} half-open "
                     f"connections: each within {HALF_OPEN_DOC_MAX_MS:.0f} ms",
                     f"max {_ms(half['max_ms'])} ms",
                     half["max_ms"] <= HALF_OPEN_DOC_MAX_MS and not half["not_200"]))
    pss = ngo["pss_mb"]
    last = list(pss)[-1]
    rows.append((f"process tree ≤ {PSS_MB:.0f} MB PSS after the load",
                 f"{pss[last]['pss_mb']:.0f} MB {last}", pss[last]["pss_mb"] <= PSS_MB))
    return rows


def markdown(result: dict[str, Any]) -> str:
    s = result["settings"]
    servers = result["servers"]
    out = [f"Attack, run {result['date']} · data: {s['data']} ({s['triples']} triples) · "
           f"{s['phase_seconds']:g} s per phase · attacker {s['attacker']}: {s['runaways']} "
           f"runaway queries in flight, or {s['half_open']:,} half-open connections · visitor "
           f"{s['visitor']}, a new connection per request. Latency in ms; \"÷ alone\": the "
           "same server's figure without the attacker; \"÷ Oxigraph\": Oxigraph's server "
           "under the same attack.", "",
           "| server | attack | visitor's | n | p50 | p95 | p99 | max | not 200 "
           "| p99 ÷ alone | max ÷ alone | p99 ÷ Oxigraph | max ÷ Oxigraph |",
           "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
           "| ---: |"]
    oxigraph = servers.get("oxigraph", {"phases": {}})
    for name, one in servers.items():
        for phase, record in one["phases"].items():
            for kind in ("document", "query"):
                v = record[kind]
                alone = one["phases"]["alone"][kind]
                ox = oxigraph["phases"].get(phase, {}).get(kind, {})
                versus = ("| | " if name == "oxigraph" else
                          f"| {_ratio(v['p99_ms'], ox.get('p99_ms'))} | "
                          f"{_ratio(v['max_ms'], ox.get('max_ms'))} ")
                out.append(f"| {name} | {phase} | {kind} | {v['n']} | {_ms(v['p50_ms'])} | "
                           f"{_ms(v['p95_ms'])} | {_ms(v['p99_ms'])} | {_ms(v['max_ms'])} | "
                           f"{v['not_200']} | {_ratio(v['p99_ms'], alone['p99_ms'])} | "
                           f"{_ratio(v['max_ms'], alone['max_ms'])} {versus}|")
    out += ["", "What the attacker got. Runaway phase: its queries' answers by status "
            "(n, how many with Retry-After, p50 / max ms; \"none\": no answer); a refusal is "
            f"a {' or '.join(map(str, REFUSALS))} with Retry-After. Half-open phase: the "
            "connections it held.", "",
            "| server | runaway queries sent | answers | refusals | time to refusal p50 / max "
            "ms | half-open held (start / end) | closed by server | connect failures |",
            "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, one in servers.items():
        a = one["phases"].get("runaway", {}).get("attacker", {})
        h = one["phases"].get("half-open", {}).get("attacker", {})
        out.append(f"| {name} | {a.get('sent', '–')} | {_statuses(a.get('statuses', {}))} | "
                   f"{a.get('refusals', '–')} | {_ms(a.get('refusal_p50_ms'))} / "
                   f"{_ms(a.get('refusal_max_ms'))} | {h.get('held_at_start', '–')} / "
                   f"{h.get('held_at_end', '–')} | {h.get('closed_by_server', '–')} | "
                   f"{h.get('connect_failures', '–')} |")
    moments = list(next(iter(servers.values()))["pss_mb"]) if servers else []
    out += ["", "Memory of the process tree (PSS MB):", "",
            "| server | " + " | ".join(moments) + " |",
            "| --- |" + " ---: |" * len(moments)]
    for name, one in servers.items():
        out.append(f"| {name} | " + " | ".join(
            f"{one['pss_mb'][m]['pss_mb']:.0f}" if m in one["pss_mb"] else "–"
            for m in moments) + " |")
    rows = targets(result)
    if rows:
        out += ["", "| ngo-ld target | measured | met? |", "| --- | --- | --- |"]
        out += [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in rows]
    return "\n".join(out)
