"""Distinct queries: what a query costs the server when no cache of any kind can answer it.

    python bench/run.py --distinct-queries [--quick]

The SPARQL scenarios of the main benchmark on ngo-ld and on Oxigraph's own server alone,
side by side in the same rounds: the 8-query mix of :func:`harness.sparql_queries`, each
query in two variants (:func:`harness.sparql_requests`):

* **repeated** — the same text over and over (what ngo-ld's answer caches are for);
* **distinct** — every request a different query: the IRI or word cycles through the data,
  and a trailing ``VALUES ?nonce { "…" }`` carries a string the wrk script makes up per
  request (run, thread, counter), so no text is ever sent twice, in a run or across runs.

The figure is the server's CPU per request (its whole process tree), and the verdict is its
ratio to Oxigraph's, taken in the same run: per query, and the geometric mean of the mix,
each against its target.
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

from harness import (
    MANY_CLIENTS,
    WRK_OXIGRAPH_TIMEOUT,
    Testbed,
    geomean,
    memory_mb,
    ngo_ld_server,
    now_iso,
    oxigraph_server,
    run_rounds,
    sparql_queries,
    sparql_scenarios,
    summarize,
)

#: Targets on server CPU per request, ngo-ld ÷ Oxigraph's server.
DISTINCT_TARGET = 1.0
REPEATED_TARGET = 0.3


def run(args: argparse.Namespace, versions: dict[str, str]) -> dict[str, Any]:
    from ngo_ld.config import Settings  # (ngo_ld may be installed by ensure_tools)

    # As many connections as ngo-ld has query slots, unless told otherwise: it refuses what
    # exceeds them at once (503), by design, and a client that sends its next request the
    # moment an answer comes would measure those refusals rather than the queries.
    # Oxigraph's server gets the same connections.
    args = argparse.Namespace(**{**vars(args),
                                 "connections": args.connections or Settings.query_workers})
    bed = Testbed.prepare(args.data, prefix="ngo-ld-distinct-")
    servers = {"ngo-ld": ngo_ld_server(bed.home, bed.cache, **MANY_CLIENTS).start(bed.workdir),
               "oxigraph": oxigraph_server(bed.location, WRK_OXIGRAPH_TIMEOUT
                                           ).start(bed.workdir)}
    try:
        scenarios = sparql_scenarios(sparql_queries(bed.sample), args.distinct)
        raw, crashes = run_rounds(servers, scenarios, args, bed.workdir)
        memory = {n: memory_mb(s.pid) for n, s in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    result: dict[str, Any] = {
        "kind": "distinct-queries", "date": now_iso(), "versions": versions,
        "settings": {"data": args.data, "triples": bed.triples, "rounds": args.rounds,
                     "duration_s": args.duration, "warmup_s": args.warmup,
                     "wrk": f"2 threads, {args.connections} connections",
                     "distinct_requests": args.distinct},
        "server_crashes": crashes, "memory": memory, "raw": raw}
    result["summary"] = summary(result)
    return result


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """Per query: CPU per request of both servers and their ratio, for both variants; the
    geometric means; and each against its target. A cell where Oxigraph had no clean round
    (errors, crash) is left out of the means, as in the main benchmark."""
    rows: dict[str, dict[str, Any]] = {}
    for cell in summarize(result)["table"]:
        name, variant = cell["scenario"].split("/")
        rows.setdefault(name, {})[variant] = {
            "ngo-ld": cell["ngo-ld"]["cpu_ms_per_req"],
            "ngo-ld_errors": cell["ngo-ld"]["errors"],
            "oxigraph": cell["oxigraph"]["cpu_ms_per_req"],
            "oxigraph_errors": cell["oxigraph"]["errors"],
            "ratio": None if cell["flagged"] else cell["cpu_vs_oxigraph"]}
    for name, row in rows.items():
        row["distinct"]["ngo-ld_by_depth"] = median_by_depth(result["raw"], f"{name}/distinct")
    means = {variant: geomean([r[variant]["ratio"] for r in rows.values()
                               if r[variant]["ratio"] is not None])
             for variant in ("distinct", "repeated")}
    return {"queries": rows, "geomean": means,
            "targets": {"distinct": DISTINCT_TARGET, "repeated": REPEATED_TARGET}}


def median_by_depth(raw: list[dict[str, Any]], scenario: str) -> list[float]:
    """ngo-ld's CPU per request in ``scenario`` per generation of its process tree, the
    median over rounds."""
    runs = [r["cpu_ms_per_req_by_depth"] for r in raw
            if r["scenario"] == scenario and r["server"] == "ngo-ld"
            and r.get("cpu_ms_per_req_by_depth")]
    depth = max((len(r) for r in runs), default=0)
    return [statistics.median(r[i] if i < len(r) else 0.0 for r in runs) for i in range(depth)]


def _verdict(ratio: float | None, target: float) -> str:
    if ratio is None or ratio != ratio:
        return "no clean Oxigraph round"
    return f"**{ratio:.2f}×** {'met' if ratio <= target else 'missed'}"


def markdown(result: dict[str, Any]) -> str:
    s, summ = result["settings"], result["summary"]
    target = summ["targets"]
    out = [f"Distinct queries, run {result['date']} · data: {s['data']} ({s['triples']} "
           f"triples) · {s['rounds']} round(s) × {s['duration_s']} s after {s['warmup_s']} s "
           f"warm-up · wrk {s['wrk']}. Server CPU per request answered (ms, whole process tree; "
           "\"err\": requests refused or failed, whose CPU is charged to the answers); ratio "
           "= ngo-ld ÷ Oxigraph's server in the same rounds.", "",
           f"| query | distinct: ngo-ld | Oxigraph | ratio (≤ {target['distinct']}×) "
           f"| repeated: ngo-ld | Oxigraph | ratio (≤ {target['repeated']}×) |",
           "| --- | ---: | ---: | --- | ---: | ---: | --- |"]
    for name, row in summ["queries"].items():
        cells = []
        for variant in ("distinct", "repeated"):
            v = row[variant]
            ngo, ox = (f" ({v[k]} err)" if v.get(k) else "" for k in ("ngo-ld_errors",
                                                                   "oxigraph_errors"))
            cells.append(f"{v['ngo-ld']:.3f}{ngo} | {v['oxigraph']:.3f}{ox} | "
                         f"{_verdict(v['ratio'], target[variant])}")
        out.append(f"| {name} | {' | '.join(cells)} |")
    means = [_verdict(summ["geomean"][v], target[v]) for v in ("distinct", "repeated")]
    out.append(f"| *geometric mean* | | | {means[0]} | | | {means[1]} |")
    out += ["", "Where ngo-ld's CPU goes for a distinct query (ms per request, by generation "
            "of its process tree), beside Oxigraph's whole server:", "",
            "| query | granian's main process | web worker(s) | query processes "
            "| Oxigraph's server |", "| --- | ---: | ---: | ---: | ---: |"]
    for name, row in summ["queries"].items():
        v = row["distinct"]
        parts = (v.get("ngo-ld_by_depth", []) + [float("nan")] * 3)[:3]
        out.append(f"| {name} | " + " | ".join(f"{x:.3f}" for x in parts)
                   + f" | {v['oxigraph']:.3f} |")
    if result.get("server_crashes"):
        out += ["", f"Server crashes (restarted): {result['server_crashes']}"]
    return "\n".join(out)
