#!/usr/bin/env python3
"""The side-by-side benchmark of issue 5 — one command, not run in CI.

    python bench/run.py            # full: SPARQL mix + dereferencing, 3 rounds of 5 s
    python bench/run.py --quick    # the same in ~2 minutes (1 round of 2 s)
    python bench/run.py --sweep    # scale sweep: 10^4, 10^5, 10^6 synthetic triples

It installs what it needs (``wrk`` from Debian, the ``oxigraph`` server and matplotlib
from PyPI), then starts three servers on free loopback ports, each stopped by its PID:

* ``ngo-ld serve`` with production settings (gunicorn, 2 workers × 4 threads),
* ``oxigraph serve-read-only`` on the same data (the project's ``ngo-ld export``),
* a Flask "hello world" under the same WSGI server settings (bench/hello.py),

and drives each with wrk (2 threads, 8 connections, fixed duration after a warm-up),
alternating servers within every round. For every scenario it records req/s, p50/p99
latency, errors (socket errors and non-2xx/3xx answers), and the server CPU per request:
utime+stime of the server's whole process tree (every descendant, read from /proc) before
and after the run, divided by the requests served. CPU per request is the figure to
compare on a shared machine; throughput wanders by ±50 %. Raw results go to
bench/results/*.json (git-ignored); the table of ratios is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PY = sys.executable
BIN = Path(PY).parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

PREFIXES = ("PREFIX org: <http://www.w3.org/ns/org#>\n"
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RESULTS_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
SPARQL_QUERY = "application/sparql-query"
WORDS = ["žen", "mrež", "centar", "pomoć", "alijans", "trgovin", "dece", "prava", "network",
         "association", "union", "platform", "udruženje", "savez", "migrant", "čovek",
         "građan", "south", "women", "legal"]


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


# --- tools ---------------------------------------------------------------------------------


def ensure_tools(*, plots: bool) -> dict[str, str]:
    """Install what is missing: wrk (Debian), oxigraph and matplotlib (PyPI), ngo-ld."""
    if shutil.which("wrk") is None:
        log("installing wrk (apt-get) …")
        if subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True).returncode:
            subprocess.run(["apt-get", "update"], capture_output=True, check=False)
            subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, check=True)
    try:
        import ngo_ld
    except ImportError:
        subprocess.run([PY, "-m", "pip", "install", "-q", "-e", str(ROOT)], check=True)
    if oxigraph_cli() is None:
        log("installing oxigraph (pip) …")
        subprocess.run([PY, "-m", "pip", "install", "-q", "oxigraph>=0.5.2,<0.6"], check=True)
    if plots:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            log("installing matplotlib (pip) …")
            subprocess.run([PY, "-m", "pip", "install", "-q", "matplotlib>=3.8,<4"],
                           check=True)
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    import pyoxigraph

    import ngo_ld

    versions = {
        "python": platform.python_version(),
        "wrk": (wrk_version.stdout + wrk_version.stderr).split("\n")[0].strip(),
        "oxigraph": subprocess.run([oxigraph_cli() or "oxigraph", "--version"],
                                   capture_output=True, text=True).stdout.strip(),
        "pyoxigraph": pyoxigraph.__version__,
        "ngo_ld": ngo_ld.__version__,
    }
    for dist in ("flask", "granian", "gunicorn", "rdflib", "pyshacl", "werkzeug"):
        from importlib.metadata import version

        versions[dist] = version(dist)
    versions["vm.max_map_count"] = str(map_count() or "?")
    warn_about_map_count()
    return versions


#: Below this, Oxigraph's server (a thread per request) runs out of memory mappings under wrk.
ENOUGH_MAPS = 262_144


def map_count() -> int | None:
    try:
        return int(Path("/proc/sys/vm/max_map_count").read_text())
    except (OSError, ValueError):
        return None


def warn_about_map_count() -> None:
    """Oxigraph 0.5's server starts a thread per request; under wrk its threads' stacks and
    guard pages exceed Linux's default vm.max_map_count (65,530), and it answers
    `500 Resource temporarily unavailable`, then aborts ("failed to set up alternative stack
    guard page"). With 262,144 it ran every scenario without an error (docs/performance.md).
    A system setting, so it is not changed here: said, loudly."""
    count = map_count()
    if count is not None and count < ENOUGH_MAPS:
        log(f"WARNING: vm.max_map_count is {count:,}; Oxigraph's server will fail under load "
            f"and its cells will be left out of the ratios. Raise it first:\n"
            f"    sudo sysctl -w vm.max_map_count={ENOUGH_MAPS}")


def oxigraph_cli() -> str | None:
    beside = BIN / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def ngo_ld_cli() -> list[str]:
    beside = BIN / "ngo-ld"
    return [str(beside)] if beside.is_file() else [PY, "-m", "ngo_ld"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- processes: the tree, its CPU and memory ----------------------------------------------------


def tree(pid: int) -> list[int]:
    """``pid`` and every descendant (workers, query processes)."""
    from ngo_ld.processes import descendants  # (ngo_ld may be installed by ensure_tools)

    return [pid, *descendants(pid)]


def cpu_seconds(pid: int) -> float:
    """utime+stime of the live tree, plus cutime+cstime (children already reaped)."""
    total = 0
    for p in tree(pid):
        try:
            raw = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rfind(")") + 2:].split()
        total += sum(int(x) for x in fields[11:15])
    return total / CLK_TCK


def memory_mb(pid: int) -> dict[str, float]:
    """RSS summed over the tree (counts pages shared after fork once per process) and PSS
    (shares them out: the honest total of a pre-fork server)."""
    rss = pss = 0
    for p in tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return {"rss_mb": round(rss / 1024, 1), "pss_mb": round(pss / 1024, 1),
            "processes": len(tree(pid))}


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= response.status < 300
    except OSError:
        return False


@dataclass
class Server:
    name: str
    command: list[str]
    ready_path: str
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    start_seconds: float = float("nan")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, workdir: Path, timeout: float = 600) -> Server:
        command = [c.replace("{port}", str(self.port)) for c in self.command]
        logfile = open(workdir / f"{self.name}-{self.port}.log", "wb")  # noqa: SIM115
        started = time.perf_counter()
        self.process = subprocess.Popen(command, stdout=logfile, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, cwd=ROOT,
                                        env={**os.environ, **self.env})
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start; see {logfile.name}")
            if http_ok(self.url + self.ready_path, timeout=5):
                self.start_seconds = time.perf_counter() - started
                return self
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            for pid in reversed(tree(self.process.pid)):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.wait(5)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


def ngo_ld_server(home: Path, cache: Path, name: str = "ngo-ld", **env: str) -> Server:
    return Server(name, [*ngo_ld_cli(), "serve", "--host", "127.0.0.1", "--port", "{port}"],
                  "/healthz", {"NGO_LD_HOME": str(home), "NGO_LD_CACHE_DIR": str(cache),
                               **env})


def oxigraph_server(location: Path) -> Server:
    return Server("oxigraph", [oxigraph_cli() or "oxigraph", "serve-read-only", "--location",
                               str(location), "--bind", "127.0.0.1:{port}", "--timeout-s", "10"],
                  "/query?query=ASK%7B%7D")


def hello_server(env: dict[str, str] | None = None) -> Server:
    name = "hello" if not env else "hello-" + env.get("NGO_LD_SERVER", "other")
    return Server(name, [PY, str(BENCH / "hello.py"), "{port}"], "/", dict(env or {}))


# --- wrk -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    accept: str | None = None
    content_type: str | None = None
    body: str | None = None


def _lua_string(text: str) -> str:
    level = 1
    while f"]{'=' * level}]" in text:
        level += 1
    eq = "=" * level
    return f"[{eq}[\n{text}]{eq}]"  # a newline right after [[ is dropped by Lua


LUA_TEMPLATE = """
local items = {
%(items)s
}
local reqs = {}
local unique = {}
local heads = {}
local bodies = {}
local counter = 0
local nthreads = 0
function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
end
local run = "0"
function init(args)
  run = args[1] or "0"
  for i, it in ipairs(items) do
    local h = {}
    if it[3] ~= "" then h["Accept"] = it[3] end
    if it[4] ~= "" then h["Content-Type"] = it[4] end
    local body = nil
    if it[5] ~= "" then body = it[5] end
    reqs[i] = wrk.format(it[1], it[2], h, body)
    unique[i] = it[2]:find("NONCE", 1, true) ~= nil
    heads[i] = h
    bodies[i] = body
  end
  -- threads start half a cycle apart, so they never ask the same thing at once
  counter = (tid or 0) * math.floor(#reqs / 2)
end
function request()
  counter = counter + 1
  local i = (counter %% #reqs) + 1
  if unique[i] then
    -- a number never sent before on this connection's server: no cache can answer it
    local n = string.format("%%s-%%d-%%d", run, tid or 0, counter)
    return wrk.format(items[i][1], (items[i][2]:gsub("NONCE", n)), heads[i], bodies[i])
  end
  return reqs[i]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect": %%d, ' ..
    '"read": %%d, "write": %%d, "status": %%d, "timeout": %%d, "p50_us": %%d, ' ..
    '"p90_us": %%d, "p99_us": %%d, "max_us": %%d, "mean_us": %%.1f}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean))
end
"""


def write_lua(path: Path, requests: Sequence[Request]) -> Path:
    items = ",\n".join(
        "{" + ", ".join(_lua_string(x or "") for x in (r.method, r.path, r.accept,
                                                      r.content_type, r.body)) + "}"
        for r in requests)
    path.write_text(LUA_TEMPLATE % {"items": items}, encoding="utf-8")
    return path


_runs = [0]


def wrk(server: Server, lua: Path, duration: float, *, threads: int = 2,
        connections: int = 8) -> dict[str, Any]:
    _runs[0] += 1  # each run's "distinct" requests are new to the server (see NONCE)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s",
               "--timeout", "10s", "-s", str(lua), server.url, "--", str(_runs[0])]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON "):])  # type: ignore[no-any-return]
    raise RuntimeError(f"wrk gave no summary: {done.stdout}\n{done.stderr}")


def measure(server: Server, lua: Path, duration: float, warmup: float) -> dict[str, Any]:
    if warmup > 0:
        wrk(server, lua, warmup)
    before = cpu_seconds(server.pid)
    result = wrk(server, lua, duration)
    cpu = cpu_seconds(server.pid) - before
    n = max(1, result["requests"])
    seconds = result["duration_us"] / 1e6
    return {
        "requests": result["requests"],
        "rps": round(result["requests"] / seconds, 1),
        "p50_ms": result["p50_us"] / 1000, "p99_ms": result["p99_us"] / 1000,
        "errors": result["connect"] + result["read"] + result["write"] + result["timeout"]
        + result["status"],
        "non_2xx": result["status"],
        "cpu_s": round(cpu, 3),
        "cpu_ms_per_req": round(1000 * cpu / n, 4),
        "bytes_per_req": round(result["bytes"] / n),
    }


# --- the scenarios ---------------------------------------------------------------------------


@dataclass
class Sample:
    """IRIs and constants taken from the data, so every variant asks about real things."""

    organisations: list[str]
    collaborations: list[str]
    pairs: list[tuple[str, str]]  # (member, collaboration)
    slugs: list[str]
    base: str = "https://w3id.org/ngo-ld/"

    @classmethod
    def from_ntriples(cls, path: Path, limit: int = 4000) -> Sample:
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)

        def column(query: str) -> list[tuple[str, ...]]:
            return [tuple(t.value for t in s) for s in store.query(query)]  # type: ignore[union-attr]

        pairs = column(f"SELECT ?o ?c WHERE {{ ?m <{ORG}member> ?o ; <{ORG}organization> ?c }}"
                       f" ORDER BY ?m LIMIT {limit}")
        orgs = sorted({o for o, _ in pairs})
        collabs = sorted({c for _, c in pairs})
        things = column("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && "
                        "STRSTARTS(STR(?s), \"https://w3id.org/ngo-ld/id/\")) } "
                        f"ORDER BY ?s LIMIT {limit}")
        slugs = [t[0].rsplit("/id/", 1)[1] for t in things
                 if t[0].rsplit("/id/", 1)[1].replace("-", "").isalnum()]
        return cls(orgs, collabs, [tuple(p) for p in pairs], slugs)  # type: ignore[misc]


#: Replaced by a number never sent before, per request, by the wrk script (see LUA_TEMPLATE):
#: a "distinct" request then misses every cache (front door, query results) however long
#: the run. Outside wrk it is dropped (:func:`sparql_requests` with ``unique=False``).
NONCE = "NONCE"


def _nonce(n: int | None) -> str:
    return "" if n is None else f' BIND("{n}-{NONCE}" AS ?nonce)'


#: name → (query text for item i; None = the repeated variant)
def sparql_queries(s: Sample) -> dict[str, Callable[[int | None], tuple[str, str]]]:
    def pick(seq: Sequence[Any], n: int | None, prefer: Any) -> Any:
        return prefer if n is None else seq[n % len(seq)]

    astra = s.base + "id/astra"
    org0 = astra if astra in s.organisations else s.organisations[0]
    ban = s.base + "id/balkans-act-now"
    col0 = ban if ban in s.collaborations else s.collaborations[0]
    pair0 = next((p for p in s.pairs if p[0] == org0), s.pairs[0])
    return {
        "lookup": lambda n: (RESULTS_JSON, PREFIXES + f"SELECT ?p ?o WHERE {{ "
                             f"<{pick(s.organisations, n, org0)}> ?p ?o .{_nonce(n)} }}"),
        "members": lambda n: (RESULTS_JSON, PREFIXES + (
            "SELECT ?org ?name ?role WHERE {\n"
            f"  ?m org:organization <{pick(s.collaborations, n, col0)}> ; org:member ?org ;"
            " org:role ?r .\n  ?org skos:prefLabel ?name . ?r skos:prefLabel ?role .\n"
            f'  FILTER(lang(?name) = "en" && lang(?role) = "en"){_nonce(n)}\n'
            "} ORDER BY ?name")),
        "counts": lambda n: (RESULTS_JSON, PREFIXES + (
            "SELECT ?c (COUNT(?m) AS ?n) WHERE { ?m org:organization ?c ."
            f"{_nonce(n)} }} GROUP BY ?c ORDER BY DESC(?n) ?c")),
        "ask": lambda n: (RESULTS_JSON, PREFIXES + (
            "ASK {{ <{}> org:memberOf <{}> .{} }}".format(*pick(s.pairs, n, pair0),
                                                              _nonce(n)))),
        "describe": lambda n: (TURTLE, PREFIXES + (
            f"DESCRIBE <{pick(s.organisations, n, org0)}>"
            + ("" if n is None else f" WHERE {{{_nonce(n)} }}"))),
        "construct": lambda n: (TURTLE, PREFIXES + (
            "CONSTRUCT { ?o skos:prefLabel ?l } WHERE {\n"
            f"  ?o org:memberOf <{pick(s.collaborations, n, col0)}> ; skos:prefLabel ?l ."
            f"{_nonce(n)} }}")),
        "path": lambda n: (RESULTS_JSON, PREFIXES + (
            "SELECT DISTINCT ?other WHERE {\n"
            f"  <{pick(s.organisations, n, org0)}> org:memberOf/org:hasMember ?other ."
            f"{_nonce(n)} }}")),
        "search": lambda n: (RESULTS_JSON, PREFIXES + (
            "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l .\n"
            f'  FILTER(REGEX(?l, "{pick(WORDS, n, "žen")}", "i")){_nonce(n)} }} LIMIT 100')),
    }


def full_search(n: int | None) -> tuple[str, str]:
    """The label search of the scale targets: REGEX over every label, no LIMIT to stop at."""
    word = WORDS[(n or 0) % len(WORDS)] + "x" * ((n or 0) // len(WORDS) % 2)
    return RESULTS_JSON, PREFIXES + ("SELECT (COUNT(*) AS ?n) WHERE { ?s skos:prefLabel ?l .\n"
                                     f'  FILTER(REGEX(?l, "{word}", "i")) }}')


def sparql_requests(make: Callable[[int | None], tuple[str, str]], path: str,
                    distinct: int, *, post: bool = False, unique: bool = False
                    ) -> list[Request]:
    """GET ?query= by default: both servers get the same protocol operation (Oxigraph's
    server answered POSTed queries under this load with 500 "Resource temporarily
    unavailable", then panicked; see docs/performance.md)."""
    def one(n: int | None) -> Request:
        accept, text = make(n)
        if not unique:
            text = text.replace(NONCE, "")
        if post:
            return Request("POST", path, accept, SPARQL_QUERY, text)
        return Request("GET", path + "?" + urllib.parse.urlencode({"query": text}), accept)

    return [one(None)] if distinct <= 0 else [one(n) for n in range(distinct)]


def deref_requests(s: Sample, variant: str) -> dict[str, list[Request]]:
    """``repeated``: one thing; ``distinct``: every thing in turn (after the first pass the
    front door answers from memory, as it would for any client); ``uncached``: every thing
    with a never-seen ``?nonce=`` (ignored by the routes), so each request goes through
    Flask to the cached document — the cost without the front door."""
    slugs = (["astra" if "astra" in s.slugs else s.slugs[0]] if variant == "repeated"
             else s.slugs)
    q = f"?nonce={NONCE}" if variant == "uncached" else ""
    return {
        "id-303": [Request("GET", f"/id/{x}{q}", TURTLE) for x in slugs],
        "doc-ttl": [Request("GET", f"/doc/{x}.ttl{q}") for x in slugs],
        "doc-html": [Request("GET", f"/doc/{x}.html{q}") for x in slugs],
    }


# --- the benchmark ---------------------------------------------------------------------------


def geomean(values: Sequence[float]) -> float:
    values = [v for v in values if v and v > 0 and math.isfinite(v)]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def prepare_home(spec: str, workdir: Path) -> Path:
    if spec == "project":
        return ROOT
    size = int(float(spec.split(":", 1)[1]))
    home = workdir / f"home-{size}"
    if not (home / "data").is_dir():
        subprocess.run([*ngo_ld_cli(), "--home", str(ROOT), "synth", "--triples", str(size),
                        "-o", str(home)], check=True, capture_output=True)
    return home


def export_and_load(home: Path, workdir: Path) -> tuple[Path, Path, float]:
    export = workdir / f"export-{home.name}.nt"
    subprocess.run([*ngo_ld_cli(), "--home", str(home), "export", "--format", "ntriples",
                    "-o", str(export)], check=True, capture_output=True,
                   env={**os.environ, "NGO_LD_VALIDATE_ON_START": "false"})
    location = workdir / f"oxigraph-{home.name}"
    shutil.rmtree(location, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([oxigraph_cli() or "oxigraph", "load", "--location", str(location),
                    "--file", str(export)], check=True, capture_output=True)
    return export, location, time.perf_counter() - started


def run_benchmark(args: argparse.Namespace, versions: dict[str, str]) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="ngo-ld-bench-"))
    log(f"work folder: {workdir}")
    home = prepare_home(args.data, workdir)
    export, location, load_seconds = export_and_load(home, workdir)
    sample = Sample.from_ntriples(export)
    cache = workdir / "cache"
    triples = sum(1 for line in export.open("rb") if line.strip())

    # Start-up: the first start validates; a restart on unchanged data does not.
    first = ngo_ld_server(home, cache, "ngo-ld-first").start(workdir)
    first.stop()
    servers = {"ngo-ld": ngo_ld_server(home, cache).start(workdir),
               "oxigraph": oxigraph_server(location).start(workdir),
               "hello": hello_server().start(workdir)}
    ngo_names, hello_names = ["ngo-ld"], ["hello"]
    if args.gunicorn:  # the same under gunicorn, to compare the WSGI servers in one run
        gunicorn = {"NGO_LD_SERVER": "gunicorn"}
        servers["ngo-ld-gunicorn"] = ngo_ld_server(home, cache, "ngo-ld-gunicorn",
                                                   **gunicorn).start(workdir)
        servers["hello-gunicorn"] = hello_server(gunicorn).start(workdir)
        ngo_names.append("ngo-ld-gunicorn")
        hello_names.append("hello-gunicorn")
    scenarios: list[tuple[str, str, dict[str, list[Request]]]] = []  # (mode, name, reqs)
    distinct = args.distinct
    if args.mode in ("all", "sparql"):
        for name, make in sparql_queries(sample).items():
            for variant, count in (("repeated", 0), ("distinct", distinct)):
                scenarios.append(("sparql", f"{name}/{variant}", {
                    **{n: sparql_requests(make, "/sparql", count, unique=True)
                       for n in ngo_names},
                    "oxigraph": sparql_requests(make, "/query", count, unique=True)}))
    if args.mode in ("all", "deref"):
        for variant in ("repeated", "distinct", "uncached"):
            for name, reqs in deref_requests(sample, variant).items():
                scenarios.append(("deref", f"{name}/{variant}", {n: reqs for n in ngo_names}))
        for ext in ("ttl", "nt"):
            scenarios.append(("deref", f"dump-{ext}/repeated", {
                n: [Request("GET", f"/dumps/ngo-ld.{ext}")] for n in ngo_names}))
    scenarios.append(("floor", "hello", {n: [Request("GET", "/")] for n in hello_names}))

    lua_dir = workdir / "lua"
    lua_dir.mkdir()
    raw: list[dict[str, Any]] = []
    crashes: dict[str, int] = {}
    try:
        for round_number in range(args.rounds):
            order = list(scenarios)
            if round_number % 2:
                order.reverse()
            for mode, name, per_server in order:
                names = list(per_server)
                if round_number % 2:
                    names.reverse()  # alternate which server goes first
                for server_name in names:
                    lua = write_lua(lua_dir / f"{server_name}-{name.replace('/', '-')}.lua",
                                    per_server[server_name])
                    server = servers[server_name]
                    try:
                        result = measure(server, lua, args.duration, args.warmup)
                    except RuntimeError as exc:  # wrk could not connect: the server died
                        result = {"requests": 0, "rps": float("nan"), "p50_ms": float("nan"),
                                  "p99_ms": float("nan"), "errors": 1, "non_2xx": 0,
                                  "cpu_s": float("nan"), "cpu_ms_per_req": float("nan"),
                                  "bytes_per_req": 0, "failure": str(exc)[:300]}
                    if server.process is not None and server.process.poll() is not None:
                        result["crashed"] = True
                        crashes[server_name] = crashes.get(server_name, 0) + 1
                        log(f"{server_name} died during {name}; restarting it")
                        servers[server_name] = type(server)(server.name, server.command,
                                                            server.ready_path, server.env
                                                            ).start(workdir)
                    result.update(round=round_number, mode=mode, scenario=name,
                                  server=server_name)
                    raw.append(result)
                    log(f"round {round_number + 1} {name:22s} {server_name:9s} "
                        f"{result['rps']:9.0f} req/s  p99 {result['p99_ms']:7.2f} ms  "
                        f"cpu {result['cpu_ms_per_req']:.3f} ms/req  errors {result['errors']}")
        memory = {n: memory_mb(s.pid) for n, s in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    return {
        "kind": "benchmark",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": versions,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "settings": {"data": args.data, "triples": triples, "rounds": args.rounds,
                     "duration_s": args.duration, "warmup_s": args.warmup,
                     "wrk": "2 threads, 8 connections", "distinct_requests": distinct,
                     "ngo_ld": "ngo-ld serve defaults: granian WSGI, 2 workers x 4 "
                               "blocking threads, 2 query processes per worker, memory "
                               "store, front door (access log + answer memory) on",
                     "gunicorn": bool(args.gunicorn),
                     "hello": "Flask hello world, same WSGI server and access log",
                     "oxigraph": "oxigraph serve-read-only, data from ngo-ld export"},
        "start_seconds": {"ngo-ld first start (validates)": round(first.start_seconds, 3),
                          "ngo-ld restart (validation remembered)":
                              round(servers["ngo-ld"].start_seconds, 3),
                          "oxigraph": round(servers["oxigraph"].start_seconds, 3),
                          "hello": round(servers["hello"].start_seconds, 3)},
        "oxigraph_load_seconds": round(load_seconds, 3),
        "server_crashes": crashes,
        "memory": memory,
        "raw": raw,
    }


def summarize(result: dict[str, Any]) -> dict[str, Any]:
    """Medians over rounds, then ratios per scenario and geometric means."""
    cells: dict[tuple[str, str], list[dict[str, Any]]] = {}
    dirty: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for one in result["raw"]:
        # A round in which Oxigraph answered with errors or crashed is not a measurement of
        # its work (fast 500s flatter its CPU per request): its clean rounds count alone.
        bad = one["server"] == "oxigraph" and (one["errors"] or one.get("crashed"))
        (dirty if bad else cells).setdefault((one["scenario"], one["server"]), []).append(one)

    def med(scenario: str, server: str, key: str) -> float:
        values = [r[key] for r in cells.get((scenario, server), [])
                  if isinstance(r[key], (int, float)) and math.isfinite(r[key])]
        return statistics.median(values) if values else float("nan")

    hello_cpu = med("hello", "hello", "cpu_ms_per_req")
    hello_rps = med("hello", "hello", "rps")
    gunicorn_hello_cpu = med("hello", "hello-gunicorn", "cpu_ms_per_req")
    table = []
    for scenario in dict.fromkeys(r["scenario"] for r in result["raw"]):
        if scenario == "hello":
            continue
        row: dict[str, Any] = {"scenario": scenario}
        for server in ("ngo-ld", "oxigraph", "ngo-ld-gunicorn"):
            every = cells.get((scenario, server), []) + dirty.get((scenario, server), [])
            if every:
                row[server] = {k: med(scenario, server, k)
                               for k in ("rps", "p50_ms", "p99_ms", "cpu_ms_per_req")}
                row[server]["errors"] = sum(r["errors"] for r in every)
                row[server]["crashed"] = any(r.get("crashed") for r in every)
                row[server]["clean_rounds"] = len(cells.get((scenario, server), []))
        ngo = row.get("ngo-ld", {})
        ox = row.get("oxigraph")
        if ox:
            row["cpu_vs_oxigraph"] = ngo["cpu_ms_per_req"] / ox["cpu_ms_per_req"]
            row["rps_vs_oxigraph"] = ngo["rps"] / ox["rps"]
            # No clean round at all: the cell stays out of the geometric means.
            row["flagged"] = ox["clean_rounds"] == 0
        if "ngo-ld-gunicorn" in row and math.isfinite(gunicorn_hello_cpu):
            row["gunicorn_cpu_vs_hello_gunicorn"] = (
                row["ngo-ld-gunicorn"]["cpu_ms_per_req"] / gunicorn_hello_cpu)
        row["cpu_vs_hello"] = ngo["cpu_ms_per_req"] / hello_cpu
        row["rps_vs_hello"] = ngo["rps"] / hello_rps
        table.append(row)

    def gm(variant: str, key: str) -> float:
        return geomean([r[key] for r in table
                        if r["scenario"].endswith(variant) and key in r
                        and not r.get("flagged")])

    flagged = [r["scenario"] for r in table if r.get("flagged")]

    return {
        "hello": {"rps": hello_rps, "cpu_ms_per_req": hello_cpu,
                  "p99_ms": med("hello", "hello", "p99_ms")},
        "hello_gunicorn": {"rps": med("hello", "hello-gunicorn", "rps"),
                           "cpu_ms_per_req": gunicorn_hello_cpu,
                           "p99_ms": med("hello", "hello-gunicorn", "p99_ms")},
        "flagged": flagged,
        "table": table,
        "geomean": {
            "sparql repeated: cpu vs oxigraph": gm("/repeated", "cpu_vs_oxigraph"),
            "sparql distinct: cpu vs oxigraph": gm("/distinct", "cpu_vs_oxigraph"),
            "sparql repeated: rps vs oxigraph": gm("/repeated", "rps_vs_oxigraph"),
            "sparql distinct: rps vs oxigraph": gm("/distinct", "rps_vs_oxigraph"),
            "sparql all: rps vs oxigraph": geomean([r["rps_vs_oxigraph"] for r in table
                                                    if "rps_vs_oxigraph" in r
                                                    and not r.get("flagged")]),
            "sparql repeated: cpu vs hello": geomean([r["cpu_vs_hello"] for r in table
                                                      if "oxigraph" in r and
                                                      r["scenario"].endswith("/repeated")]),
            "sparql distinct: cpu vs hello": geomean([r["cpu_vs_hello"] for r in table
                                                      if "oxigraph" in r and
                                                      r["scenario"].endswith("/distinct")]),
        },
    }


def print_summary(result: dict[str, Any], summary: dict[str, Any]) -> None:
    s = result["settings"]
    print(f"\nngo_ld benchmark {result['date']}  data: {s['data']} ({s['triples']} triples)  "
          f"{s['rounds']} round(s) × {s['duration_s']} s, wrk {s['wrk']}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()))
    print(f"\n{'scenario':24s} {'ngo-ld req/s':>12s} {'p50 ms':>7s} {'p99 ms':>7s} "
          f"{'cpu ms/req':>10s} {'err':>4s} | {'oxigraph req/s':>14s} {'cpu ms/req':>10s} "
          f"| {'cpu ÷ox':>7s} {'rps ÷ox':>7s} {'cpu ÷hello':>10s}")
    for row in summary["table"]:
        ngo, ox = row["ngo-ld"], row.get("oxigraph")
        line = (f"{row['scenario']:24s} {ngo['rps']:12.0f} {ngo['p50_ms']:7.2f} "
                f"{ngo['p99_ms']:7.2f} {ngo['cpu_ms_per_req']:10.3f} {ngo['errors']:4d} | ")
        if ox:
            line += (f"{ox['rps']:14.0f} {ox['cpu_ms_per_req']:10.3f} | "
                     f"{row['cpu_vs_oxigraph']:7.2f} {row['rps_vs_oxigraph']:7.2f} ")
        else:
            line += f"{'':14s} {'':10s} | {'':7s} {'':7s} "
        print(line + f"{row['cpu_vs_hello']:10.2f}")
    h = summary["hello"]
    print(f"{'hello world (floor)':24s} {h['rps']:12.0f} {'':7s} {h['p99_ms']:7.2f} "
          f"{h['cpu_ms_per_req']:10.3f}")
    hg = summary.get("hello_gunicorn", {})
    if hg and math.isfinite(hg.get("cpu_ms_per_req", float("nan"))):
        print(f"\nunder gunicorn: hello world {hg['rps']:.0f} req/s, "
              f"{hg['cpu_ms_per_req']:.3f} ms CPU/req (granian: {h['cpu_ms_per_req']:.3f})")
        for row in summary["table"]:
            g = row.get("ngo-ld-gunicorn")
            if g:
                print(f"  {row['scenario']:24s} {g['rps']:8.0f} req/s  p99 {g['p99_ms']:7.2f}  "
                      f"cpu {g['cpu_ms_per_req']:.3f} ms/req (granian "
                      f"{row['ngo-ld']['cpu_ms_per_req']:.3f})")
    if summary.get("flagged"):
        print("\nOxigraph errors or crashes in (left out of the geometric means): "
              + ", ".join(summary["flagged"]))
    print("\ngeometric means:")
    for key, value in summary["geomean"].items():
        print(f"  {key:36s} {value:6.2f}×")
    print("\nstart to first answer (s): " + ", ".join(
        f"{k} {v:.2f}" for k, v in result["start_seconds"].items()))
    if result.get("server_crashes"):
        print(f"SERVER CRASHES (restarted): {result['server_crashes']}")
    print("memory after the run (MB, whole process tree): " + ", ".join(
        f"{k} PSS {v['pss_mb']:.0f} / RSS {v['rss_mb']:.0f} ({v['processes']} proc.)"
        for k, v in result["memory"].items()))


# --- the scale sweep ---------------------------------------------------------------------------


def latency_ms(url: str, requests: Sequence[Request], repeat: int = 1) -> float:
    """Median wall time of sequential requests (one connection per request)."""
    times = []
    for _ in range(repeat):
        for r in requests:
            req = urllib.request.Request(url + r.path, method=r.method,
                                         data=r.body.encode() if r.body else None)
            if r.accept:
                req.add_header("Accept", r.accept)
            if r.content_type:
                req.add_header("Content-Type", r.content_type)
            started = time.perf_counter()
            with urllib.request.urlopen(req, timeout=600) as response:
                response.read()
            times.append(time.perf_counter() - started)
    return round(1000 * statistics.median(times), 2)


ENGINE_CODE = """
import json, statistics, sys, time
from pathlib import Path
sys.path.insert(0, {bench!r})
from run import Sample, sparql_queries
import pyoxigraph as ox
from ngo_ld.config import Settings
from ngo_ld.describe import thing_document
from ngo_ld.formats import by_token
from ngo_ld.render import serialize_triples
from ngo_ld.store import open_store
settings = Settings(home=Path({home!r}), store={store!r}, validate_on_start=False,
                    store_path=Path({store_path!r}) if {store_path!r} else None)
store = open_store(settings)
sample = Sample.from_ntriples(Path({export!r}), limit=2000)
queries = sparql_queries(sample)
from run import full_search
queries["search_all"] = full_search
out = {{}}
for name in ("lookup", "members", "search", "search_all"):
    times = []
    for n in range(21 if name != "search_all" else 5):
        text = queries[name](n)[1]
        t = time.perf_counter()
        answer = store.query(text)
        answer.serialize(format=ox.QueryResultsFormat.JSON)
        times.append(time.perf_counter() - t)
    out[name + "_ms"] = round(1000 * statistics.median(times), 3)
times = []
for slug in sample.slugs[-21:]:
    t = time.perf_counter()
    doc = thing_document(store, slug, settings.base_iri)
    serialize_triples(doc.triples, by_token("turtle"))
    times.append(time.perf_counter() - t)
out["doc_ttl_ms"] = round(1000 * statistics.median(times), 3)
print(json.dumps(out))
"""


def engine_latency(home: Path, export: Path, store: str, store_path: Path | None
                   ) -> dict[str, float]:
    """Median in-process time (query + JSON serialization; document build + Turtle), no
    HTTP: the figure the issue's "lookup by IRI ≤ 1 ms" target is about."""
    code = ENGINE_CODE.format(bench=str(BENCH), home=str(home), store=store,
                              store_path=str(store_path or ""), export=str(export))
    done = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def validation_seconds(home: Path, cache: Path) -> dict[str, float]:
    code = ("import json, time, sys; from pathlib import Path\n"
            "from ngo_ld.config import Settings\n"
            "from ngo_ld.validation import validate_sources\n"
            f"s = Settings(home=Path({str(home)!r}), cache_dir=Path({str(cache)!r}))\n"
            "t = time.perf_counter(); o = validate_sources(s, remember=True)\n"
            "first = time.perf_counter() - t\n"
            "t = time.perf_counter(); o2 = validate_sources(s, remember=True)\n"
            "again = time.perf_counter() - t\n"
            "print(json.dumps({'first': first, 'remembered': again, 'conforms': o.conforms,"
            " 'same': o.ran_at == o2.ran_at}))\n")
    done = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def sweep(args: argparse.Namespace, versions: dict[str, str]) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="ngo-ld-sweep-"))
    log(f"work folder: {workdir}")
    rows = []
    for size in args.sizes:
        home = prepare_home(f"synthetic:{size}", workdir)
        export, location, ox_load = export_and_load(home, workdir)
        sample = Sample.from_ntriples(export, limit=2000)
        queries = sparql_queries(sample)
        queries["search_all"] = full_search
        n = 21
        row: dict[str, Any] = {"size": size, "triples": sum(1 for _ in export.open("rb")),
                               "oxigraph_load_s": round(ox_load, 2)}
        if size <= args.validate_max:
            log(f"{size}: validating …")
            row["validation"] = validation_seconds(home, workdir / f"vcache-{size}")
        cache = workdir / f"cache-{size}"
        off = {"NGO_LD_VALIDATE_ON_START": "false"}  # validation is timed on its own above
        variants = [("memory", {}), ("disk", {"NGO_LD_STORE": "disk",
                                              "NGO_LD_STORE_PATH": str(workdir / f"st-{size}")}),
                    ("disk-restart", {"NGO_LD_STORE": "disk",
                                      "NGO_LD_STORE_PATH": str(workdir / f"st-{size}")})]
        for name, env in variants:
            log(f"{size}: {name} …")
            server = ngo_ld_server(home, cache, f"ngo-ld-{name}-{size}", **off, **env)
            server.start(workdir, timeout=1800)
            try:
                result: dict[str, Any] = {"start_s": round(server.start_seconds, 2)}
                if name != "disk":  # latencies once per store kind
                    for q in ("lookup", "members", "search", "search_all"):
                        reqs = sparql_requests(queries[q], "/sparql", n if q != "search_all" else 5)
                        result[f"{q}_ms"] = latency_ms(server.url, reqs)
                    result["doc_ttl_ms"] = latency_ms(server.url, [
                        Request("GET", f"/doc/{slug}.ttl") for slug in sample.slugs[-n:]])
                result.update(memory_mb(server.pid))
            finally:
                server.stop()
            row[name] = result
        row["engine"] = {
            "memory": engine_latency(home, export, "memory", None),
            "disk": engine_latency(home, export, "disk", workdir / f"st-{size}")}
        log(f"{size}: oxigraph …")
        ox = oxigraph_server(location).start(workdir)
        try:
            row["oxigraph"] = {"start_s": round(ox.start_seconds, 2), **memory_mb(ox.pid)}
            for q in ("lookup", "members", "search", "search_all"):
                row["oxigraph"][f"{q}_ms"] = latency_ms(
                    ox.url, sparql_requests(queries[q], "/query", n if q != "search_all" else 5))
        finally:
            ox.stop()
        log(json.dumps(row))
        rows.append(row)
    return {"kind": "sweep", "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "versions": versions, "machine": {"cpus": os.cpu_count()}, "rows": rows}


def print_sweep(result: dict[str, Any]) -> None:
    print(f"\nscale sweep {result['date']}")
    head = (f"{'triples':>9s} {'valid. s':>8s} {'mem start':>9s} {'disk cold':>9s} "
            f"{'disk restart':>12s} {'mem PSS':>7s} {'disk PSS':>8s} {'lookup':>7s} "
            f"{'members':>7s} {'search':>7s} {'doc.ttl':>7s} | {'ox load':>7s} {'ox search':>9s}")
    print(head + "   (s, MB, median ms; latencies on memory / disk)")
    for r in result["rows"]:
        v = r.get("validation", {}).get("first")
        m, d, dr, ox = r["memory"], r["disk"], r["disk-restart"], r["oxigraph"]
        print(f"{r['triples']:9d} {v if v is None else round(v, 1)!s:>8s} {m['start_s']:9.2f} "
              f"{d['start_s']:9.2f} {dr['start_s']:12.2f} {m['pss_mb']:7.0f} "
              f"{dr['pss_mb']:8.0f} "
              f"{m['lookup_ms']:>3.1f}/{dr['lookup_ms']:<3.1f} "
              f"{m['members_ms']:>3.1f}/{dr['members_ms']:<3.1f} "
              f"{m['search_ms']:>3.0f}/{dr['search_ms']:<3.0f} "
              f"{m['doc_ttl_ms']:>3.1f}/{dr['doc_ttl_ms']:<3.1f} | {r['oxigraph_load_s']:7.2f} "
              f"{ox['search_ms']:9.1f}")


def plot(benchmark: dict[str, Any] | None, summary: dict[str, Any] | None,
         sweep_result: dict[str, Any] | None, folder: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    if benchmark and summary:
        rows = [r for r in summary["table"] if "oxigraph" in r]
        if rows:
            fig, ax = plt.subplots(figsize=(10, 4.5))
            names = [r["scenario"] for r in rows]
            xs = range(len(rows))
            ax.bar([x - 0.2 for x in xs], [r["ngo-ld"]["cpu_ms_per_req"] for r in rows], 0.4,
                   label="ngo-ld serve")
            ax.bar([x + 0.2 for x in xs], [r["oxigraph"]["cpu_ms_per_req"] for r in rows],
                   0.4, label="oxigraph serve-read-only")
            ax.axhline(summary["hello"]["cpu_ms_per_req"], color="grey", linestyle="--",
                       label="Flask hello world")
            ax.set_xticks(list(xs), names, rotation=60, ha="right", fontsize=8)
            ax.set_ylabel("server CPU per request (ms)")
            ax.set_yscale("log")
            ax.set_title(f"SPARQL mix, {benchmark['settings']['triples']} triples "
                         f"({benchmark['date'][:10]})")
            ax.legend(fontsize=8)
            fig.tight_layout()
            path = folder / "bench-cpu-per-request.png"
            fig.savefig(path, dpi=110)
            plt.close(fig)
            written.append(path)
    if sweep_result:
        rows = sweep_result["rows"]
        sizes = [r["triples"] for r in rows]
        fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(13, 4))
        a1.plot(sizes, [r["memory"]["start_s"] for r in rows], "o-", label="memory, cold")
        a1.plot(sizes, [r["disk"]["start_s"] for r in rows], "s-", label="disk, cold (build)")
        a1.plot(sizes, [r["disk-restart"]["start_s"] for r in rows], "^-",
                label="disk, restart")
        a1.plot(sizes, [r["oxigraph_load_s"] for r in rows], "x--", label="oxigraph load")
        a1.set_title("start to first answer (s)")
        a2.plot(sizes, [r["memory"]["pss_mb"] for r in rows], "o-", label="memory store")
        a2.plot(sizes, [r["disk-restart"]["pss_mb"] for r in rows], "^-", label="disk store")
        a2.plot(sizes, [r["oxigraph"]["pss_mb"] for r in rows], "x--", label="oxigraph")
        a2.set_title("server memory, PSS of the tree (MB)")
        for key, style in (("lookup_ms", "o-"), ("members_ms", "s-"), ("search_ms", "^-"),
                           ("doc_ttl_ms", "d-")):
            a3.plot(sizes, [r["disk-restart"][key] for r in rows], style,
                    label=key[:-3] + " (disk)")
        a3.plot(sizes, [r["oxigraph"]["search_ms"] for r in rows], "x--",
                label="search (oxigraph)")
        a3.set_title("median latency over HTTP (ms)")
        for ax in (a1, a2, a3):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("triples")
            ax.legend(fontsize=7)
        fig.tight_layout()
        path = folder / "scale-sweep.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["validation"]:  # both validation engines side by side
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from validation import main as validation_main

        return validation_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 round of 2 s (~2 minutes)")
    parser.add_argument("--mode", choices=["all", "sparql", "deref"], default="all")
    parser.add_argument("--data", default="project",
                        help="'project' (default) or 'synthetic:N' for N triples")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--duration", type=float, default=None, help="seconds per run")
    parser.add_argument("--warmup", type=float, default=None, help="seconds before each run")
    parser.add_argument("--distinct", type=int, default=4096,
                        help="different requests in the cycle of a 'distinct' variant")
    parser.add_argument("--sweep", action="store_true", help="run the scale sweep instead")
    parser.add_argument("--gunicorn", action="store_true",
                        help="also run ngo-ld and the hello world under gunicorn "
                        "(--server gunicorn), to compare the WSGI servers in the same run")
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        type=lambda s: [int(float(x)) for x in s.split(",")])
    parser.add_argument("--validate-max", type=int, default=100_000,
                        help="validate (default engine) only up to this size in the sweep")
    parser.add_argument("--plot", default=str(ROOT / "docs" / "img"),
                        help="folder for the PNG plots ('' for none)")
    args = parser.parse_args(argv)
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.duration = args.duration or (2 if args.quick else 5)
    args.warmup = args.warmup if args.warmup is not None else (0.5 if args.quick else 1)
    versions = ensure_tools(plots=bool(args.plot))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if args.sweep:
        result = sweep(args, versions)
        path = RESULTS / f"sweep-{stamp}.json"
        path.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
        print_sweep(result)
        if args.plot:
            for p in plot(None, None, result, Path(args.plot)):
                print(f"plot: {p}")
    else:
        result = run_benchmark(args, versions)
        summary = summarize(result)
        result["summary"] = summary
        tag = "quick" if args.quick else "full"
        path = RESULTS / f"bench-{tag}-{args.data.replace(':', '-')}-{stamp}.json"
        path.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
        print_summary(result, summary)
        if args.plot:
            for p in plot(result, summary, None, Path(args.plot)):
                print(f"plot: {p}")
    print(f"raw results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
