#!/usr/bin/env python3
"""The side-by-side benchmark — one command, not run in CI.

    python bench/run.py            # full: SPARQL mix + dereferencing, 3 rounds of 5 s
    python bench/run.py --quick    # the same in ~2 minutes (1 round of 2 s)
    python bench/run.py --sweep    # scale sweep: 10^4, 10^5, 10^6 synthetic triples
    python bench/run.py --distinct-queries --attack [--quick]   # bench/distinct.py, attack.py
    python bench/run.py --mode remote  # documents and queries on the remote stores
    python bench/run.py validation     # both validation engines (bench/validation.py)

It installs what it needs (``wrk`` from Debian, the ``oxigraph`` server and matplotlib
from PyPI), then starts three servers on free loopback ports, each stopped by its PID:

* ``ngo-ld serve`` with production settings (granian, 2 workers × 4 threads),
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
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attack
import distinct
from harness import (
    BENCH,
    MANY_CLIENTS,
    PY,
    RESULTS,
    ROOT,
    WRK_OXIGRAPH_TIMEOUT,
    Request,
    Sample,
    Scenario,
    Testbed,
    deref_requests,
    ensure_tools,
    export_and_load,
    full_search,
    hello_server,
    log,
    memory_mb,
    ngo_ld_server,
    now_iso,
    oxigraph_server,
    prepare_home,
    run_rounds,
    sparql_queries,
    sparql_requests,
    sparql_scenarios,
    summarize,
)

# --- the main benchmark ----------------------------------------------------------------------


def run_benchmark(args: argparse.Namespace, versions: dict[str, str]) -> dict[str, Any]:
    args = argparse.Namespace(**{**vars(args), "connections": args.connections or 8})
    bed = Testbed.prepare(args.data)
    workdir, home, location, sample, cache = (bed.workdir, bed.home, bed.location,
                                              bed.sample, bed.cache)

    # Start-up: the first start validates; a restart on unchanged data does not.
    first = ngo_ld_server(home, cache, "ngo-ld-first").start(workdir)
    first.stop()
    servers = {"ngo-ld": ngo_ld_server(home, cache, **MANY_CLIENTS).start(workdir),
               "oxigraph": oxigraph_server(location, WRK_OXIGRAPH_TIMEOUT).start(workdir),
               "hello": hello_server().start(workdir)}
    ngo_names, hello_names = ["ngo-ld"], ["hello"]
    if args.gunicorn:  # the same under gunicorn, to compare the WSGI servers in one run
        gunicorn = {"NGO_LD_SERVER": "gunicorn"}
        servers["ngo-ld-gunicorn"] = ngo_ld_server(home, cache, "ngo-ld-gunicorn",
                                                   **gunicorn, **MANY_CLIENTS).start(workdir)
        servers["hello-gunicorn"] = hello_server(gunicorn).start(workdir)
        ngo_names.append("ngo-ld-gunicorn")
        hello_names.append("hello-gunicorn")
    scenarios: list[Scenario] = []
    distinct = args.distinct
    if args.mode in ("all", "sparql"):
        scenarios += sparql_scenarios(sparql_queries(sample), distinct, ngo_names)
    if args.mode in ("all", "deref"):
        for variant in ("repeated", "distinct", "uncached"):
            for name, reqs in deref_requests(sample, variant).items():
                scenarios.append(("deref", f"{name}/{variant}", {n: reqs for n in ngo_names}))
        for ext in ("ttl", "nt"):
            scenarios.append(("deref", f"dump-{ext}/repeated", {
                n: [Request("GET", f"/dumps/ngo-ld.{ext}")] for n in ngo_names}))
    scenarios.append(("floor", "hello", {n: [Request("GET", "/")] for n in hello_names}))

    try:
        raw, crashes = run_rounds(servers, scenarios, args, workdir)
        memory = {n: memory_mb(s.pid) for n, s in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    return {
        "kind": "benchmark",
        "date": now_iso(),
        "versions": versions,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "settings": {"data": args.data, "triples": bed.triples, "rounds": args.rounds,
                     "duration_s": args.duration, "warmup_s": args.warmup,
                     "wrk": f"2 threads, {args.connections} connections",
                     "distinct_requests": distinct,
                     "ngo_ld": "ngo-ld serve with the defaults of ngo_ld.config.Settings "
                               "(memory store)",
                     "gunicorn": bool(args.gunicorn),
                     "hello": "Flask hello world, same WSGI server and access log",
                     "oxigraph": "oxigraph serve-read-only, data from ngo-ld export"},
        "start_seconds": {"ngo-ld first start (validates)": round(first.start_seconds, 3),
                          "ngo-ld restart (validation remembered)":
                              round(servers["ngo-ld"].start_seconds, 3),
                          "oxigraph": round(servers["oxigraph"].start_seconds, 3),
                          "hello": round(servers["hello"].start_seconds, 3)},
        "oxigraph_load_seconds": round(bed.load_seconds, 3),
        "server_crashes": crashes,
        "memory": memory,
        "raw": raw,
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
from ngo_ld.stores import open_store
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
    HTTP: the figure the "lookup by IRI ≤ 1 ms" target is about."""
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
    return {"kind": "sweep", "date": now_iso(),
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


def run_modes(args: argparse.Namespace, versions: dict[str, str], suffix: str) -> int:
    """The distinct-query and attack modes (bench/distinct.py, bench/attack.py): each
    writes its result file and prints its tables."""
    chosen = [m for m, wanted in ((distinct, args.distinct_queries), (attack, args.attack))
              if wanted]
    for mode in chosen:
        result = mode.run(args, versions)
        path = RESULTS / f"{result['kind']}-{suffix}.json"
        path.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"\n{mode.markdown(result)}\n\nraw results: {path}", flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["validation"]:  # both validation engines side by side
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from validation import main as validation_main

        return validation_main(argv[1:])
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="other mode: `bench/run.py validation [--million]` times both validation "
               "engines side by side (`bench/run.py validation --help`)")
    parser.add_argument("--quick", action="store_true", help="1 round of 2 s (~2 minutes)")
    parser.add_argument("--mode", choices=["all", "sparql", "deref", "remote"], default="all",
                        help="'remote': per-document and per-query cost on the embedded "
                        "store, Oxigraph's server and Virtuoso (bench/remote.py)")
    parser.add_argument("--data", default="project",
                        help="'project' (default) or 'synthetic:N' for N triples")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--duration", type=float, default=None, help="seconds per run")
    parser.add_argument("--warmup", type=float, default=None, help="seconds before each run")
    parser.add_argument("--connections", type=int, default=None,
                        help="wrk's connections (default 8; --distinct-queries: ngo-ld's "
                        "query slots, 4)")
    parser.add_argument("--distinct", type=int, default=4096,
                        help="different requests in the cycle of a 'distinct' variant")
    parser.add_argument("--sweep", action="store_true", help="run the scale sweep instead")
    parser.add_argument("--distinct-queries", action="store_true",
                        help="run the distinct-query comparison with Oxigraph instead "
                        "(bench/distinct.py)")
    parser.add_argument("--attack", action="store_true",
                        help="run the attack mode instead (bench/attack.py); with "
                        "--distinct-queries, both")
    parser.add_argument("--attack-seconds", type=float, default=None,
                        help="attack mode: seconds per phase (default 20; --quick 6)")
    parser.add_argument("--half-open", type=int, default=3000,
                        help="attack mode: half-open connections in its last phase (0: none)")
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
    if args.mode == "remote":
        import remote  # bench/remote.py, beside this file

        return remote.main(["--rounds", str(args.rounds or (1 if args.quick else 3))])
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.duration = args.duration or (2 if args.quick else 5)
    args.warmup = args.warmup if args.warmup is not None else (0.5 if args.quick else 1)
    args.attack_seconds = args.attack_seconds or (6 if args.quick else 20)
    versions = ensure_tools(plots=bool(args.plot))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    tag = "quick" if args.quick else "full"
    if args.distinct_queries or args.attack:
        return run_modes(args, versions, f"{tag}-{stamp}")
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
