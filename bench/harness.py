"""What every mode of the benchmark shares: the tools, the servers and their process trees,
wrk and its script, the data and the query mix, and the rounds that alternate servers.

bench/run.py is the command; its modes (the main benchmark, the sweep, bench/distinct.py,
bench/attack.py) take what they need from here.
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


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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


def cpu_seconds_by_depth(pid: int) -> list[float]:
    """utime+stime of the live tree, plus cutime+cstime (children already reaped), per
    generation: ``pid`` itself, its children, theirs… For ``ngo-ld serve``: granian's main
    process, the web workers, the query processes (a reaped process counts in its
    parent's generation)."""
    depth: dict[int, int] = {}
    ticks: list[int] = []
    for p in tree(pid):  # parents before their children
        try:
            raw = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rfind(")") + 2:].split()
        depth[p] = 0 if p == pid else depth.get(int(fields[1]), 0) + 1
        ticks += [0] * (depth[p] + 1 - len(ticks))
        ticks[depth[p]] += sum(int(x) for x in fields[11:15])
    return [t / CLK_TCK for t in ticks]


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


#: wrk speaks from one address for what stands for many polite clients, so the per-client
#: shares (queries at once, query seconds per minute) are lifted where wrk drives ngo-ld:
#: they would refuse the benchmark itself. The server-wide query slots stay as configured.
MANY_CLIENTS = {"NGO_LD_CLIENT_QUERIES": "1000", "NGO_LD_CLIENT_QUERY_SECONDS": "1e9"}


def ngo_ld_server(home: Path, cache: Path, name: str = "ngo-ld", **env: str) -> Server:
    return Server(name, [*ngo_ld_cli(), "serve", "--host", "127.0.0.1", "--port", "{port}"],
                  "/healthz", {"NGO_LD_HOME": str(home), "NGO_LD_CACHE_DIR": str(cache),
                               **env})


#: Oxigraph's server (0.5) enforces ``--timeout-s`` with a thread per query that lives as
#: long as the time limit. Under wrk (thousands of queries a second), 10 s of such threads
#: exceed Linux's default of 32,768 process IDs: then neither it nor anything else on the
#: machine can start a thread or a process. Where wrk drives it, its limit is 1 s: the
#: same thread per query, gone sooner. (ngo-ld's limit stays 10 s; queries there take
#: milliseconds.)
WRK_OXIGRAPH_TIMEOUT = 1


def oxigraph_server(location: Path, timeout: int = 10) -> Server:
    return Server("oxigraph", [oxigraph_cli() or "oxigraph", "serve-read-only", "--location",
                               str(location), "--bind", "127.0.0.1:{port}", "--timeout-s",
                               str(timeout)],
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


def measure(server: Server, lua: Path, duration: float, warmup: float, connections: int = 8
            ) -> dict[str, Any]:
    """One wrk run after a warm-up. req/s and CPU per request count the requests answered
    (status below 400): what refusals and errors cost is charged to the answers, so a
    server cannot look cheaper by refusing."""
    if warmup > 0:
        wrk(server, lua, warmup, connections=connections)
    before = cpu_seconds_by_depth(server.pid)
    result = wrk(server, lua, duration, connections=connections)
    after = cpu_seconds_by_depth(server.pid)
    by_depth = [a - (before[i] if i < len(before) else 0) for i, a in enumerate(after)]
    cpu = sum(by_depth)
    n = max(1, result["requests"] - result["status"])
    seconds = result["duration_us"] / 1e6
    return {
        "requests": result["requests"],
        "rps": round(n / seconds, 1),
        "p50_ms": result["p50_us"] / 1000, "p99_ms": result["p99_us"] / 1000,
        "errors": result["connect"] + result["read"] + result["write"] + result["timeout"]
        + result["status"],
        "non_2xx": result["status"],
        "cpu_s": round(cpu, 3),
        "cpu_ms_per_req": round(1000 * cpu / n, 4),
        # the same per generation of the tree (main process, workers, query processes)
        "cpu_ms_per_req_by_depth": [round(1000 * c / n, 4) for c in by_depth],
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
#: the run.
NONCE = "NONCE"


def nonce_row(tag: str) -> str:
    """A trailing ``VALUES`` row that makes a query's text unique without changing its
    answer: the variable it binds is not used by the pattern (tests/test_bench_modes.py)."""
    return f'\nVALUES ?nonce {{ "{tag}" }}'


QueryMaker = Callable[[int | None], tuple[str, str]]  # item i (None: repeated) → (Accept, text)


def sparql_queries(s: Sample) -> dict[str, QueryMaker]:
    """The 8-query mix, by name; item ``i`` asks about the i-th thing (or word) of the data,
    ``None`` about one fixed thing."""
    def pick(seq: Sequence[Any], n: int | None, prefer: Any) -> Any:
        return prefer if n is None else seq[n % len(seq)]

    astra = s.base + "id/astra"
    org0 = astra if astra in s.organisations else s.organisations[0]
    ban = s.base + "id/balkans-act-now"
    col0 = ban if ban in s.collaborations else s.collaborations[0]
    pair0 = next((p for p in s.pairs if p[0] == org0), s.pairs[0])
    return {
        "lookup": lambda n: (RESULTS_JSON, PREFIXES + (
            f"SELECT ?p ?o WHERE {{ <{pick(s.organisations, n, org0)}> ?p ?o }}")),
        "members": lambda n: (RESULTS_JSON, PREFIXES + (
            "SELECT ?org ?name ?role WHERE {\n"
            f"  ?m org:organization <{pick(s.collaborations, n, col0)}> ; org:member ?org ;"
            " org:role ?r .\n  ?org skos:prefLabel ?name . ?r skos:prefLabel ?role .\n"
            '  FILTER(lang(?name) = "en" && lang(?role) = "en")\n'
            "} ORDER BY ?name")),
        "counts": lambda n: (RESULTS_JSON, PREFIXES + (
            "SELECT ?c (COUNT(?m) AS ?n) WHERE { ?m org:organization ?c }"
            " GROUP BY ?c ORDER BY DESC(?n) ?c")),
        "ask": lambda n: (RESULTS_JSON, PREFIXES + (
            "ASK {{ <{}> org:memberOf <{}> }}".format(*pick(s.pairs, n, pair0)))),
        "describe": lambda n: (TURTLE, PREFIXES + (
            f"DESCRIBE <{pick(s.organisations, n, org0)}>")),
        "construct": lambda n: (TURTLE, PREFIXES + (
            "CONSTRUCT { ?o skos:prefLabel ?l } WHERE {\n"
            f"  ?o org:memberOf <{pick(s.collaborations, n, col0)}> ; skos:prefLabel ?l\n}}")),
        "path": lambda n: (RESULTS_JSON, PREFIXES + (
            "SELECT DISTINCT ?other WHERE {\n"
            f"  <{pick(s.organisations, n, org0)}> org:memberOf/org:hasMember ?other\n}}")),
        "search": lambda n: (RESULTS_JSON, PREFIXES + (
            "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l .\n"
            f'  FILTER(REGEX(?l, "{pick(WORDS, n, "žen")}", "i")) }} LIMIT 100')),
    }


def full_search(n: int | None) -> tuple[str, str]:
    """The label search of the scale targets: REGEX over every label, no LIMIT to stop at."""
    word = WORDS[(n or 0) % len(WORDS)] + "x" * ((n or 0) // len(WORDS) % 2)
    return RESULTS_JSON, PREFIXES + ("SELECT (COUNT(*) AS ?n) WHERE { ?s skos:prefLabel ?l .\n"
                                     f'  FILTER(REGEX(?l, "{word}", "i")) }}')


def sparql_requests(make: QueryMaker, path: str,
                    distinct: int, *, post: bool = False, unique: bool = False
                    ) -> list[Request]:
    """GET ?query= by default: both servers get the same protocol operation (Oxigraph's
    server answered POSTed queries under this load with 500 "Resource temporarily
    unavailable", then panicked; see docs/performance.md)."""
    def one(n: int | None) -> Request:
        accept, text = make(n)
        if unique and n is not None:  # a different text for every request sent (see NONCE)
            text += nonce_row(f"{n}-{NONCE}")
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


# --- the data, the rounds, their medians ---------------------------------------------------


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


Scenario = tuple[str, str, dict[str, list[Request]]]  # (mode, name, requests per server)


def run_rounds(servers: dict[str, Server], scenarios: Sequence[Scenario],
               args: argparse.Namespace, workdir: Path
               ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Every scenario on every server named in it, ``args.rounds`` times: the order of the
    scenarios and of the servers flips every round. A server that dies is restarted (in
    ``servers``) and its crash counted. The raw results, and the crashes per server."""
    lua_dir = workdir / "lua"
    lua_dir.mkdir(exist_ok=True)
    raw: list[dict[str, Any]] = []
    crashes: dict[str, int] = {}
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
                    result = measure(server, lua, args.duration, args.warmup,
                                     args.connections)
                except (RuntimeError, OSError) as exc:  # wrk did not run, or the server died
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
    return raw, crashes


@dataclass
class Testbed:
    """The data of a run, as both servers get it: ngo-ld's home, its N-Triples export loaded
    into an Oxigraph store, and a sample of the things in it."""

    workdir: Path
    home: Path
    export: Path
    location: Path  # Oxigraph's store
    load_seconds: float  # oxigraph load
    sample: Sample
    triples: int

    @classmethod
    def prepare(cls, spec: str, prefix: str = "ngo-ld-bench-") -> Testbed:
        workdir = Path(tempfile.mkdtemp(prefix=prefix))
        log(f"work folder: {workdir}")
        home = prepare_home(spec, workdir)
        export, location, load_seconds = export_and_load(home, workdir)
        triples = sum(1 for line in export.open("rb") if line.strip())
        return cls(workdir, home, export, location, load_seconds,
                   Sample.from_ntriples(export), triples)

    @property
    def cache(self) -> Path:
        return self.workdir / "cache"


def sparql_scenarios(queries: dict[str, QueryMaker], distinct: int,
                     ngo_names: Sequence[str] = ("ngo-ld",)) -> list[Scenario]:
    """Each query of the mix twice, repeated and distinct, on ngo-ld and on Oxigraph."""
    scenarios: list[Scenario] = []
    for name, make in queries.items():
        for variant, count in (("repeated", 0), ("distinct", distinct)):
            scenarios.append(("sparql", f"{name}/{variant}", {
                **{n: sparql_requests(make, "/sparql", count, unique=True) for n in ngo_names},
                "oxigraph": sparql_requests(make, "/query", count, unique=True)}))
    return scenarios


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
