#!/usr/bin/env python3
"""Markdown tables from the newest bench/results/*.json, for docs/performance.md.

    python bench/report.py            # newest result of each mode
    python bench/report.py FILE ...   # these result files
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import attack
import distinct

RESULTS = Path(__file__).resolve().parent / "results"


def newest(pattern: str) -> Path | None:
    found = sorted(RESULTS.glob(pattern), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def f(x: float | None, digits: int = 2) -> str:
    return "–" if x is None or x != x else f"{x:.{digits}f}"


def benchmark_md(r: dict[str, Any]) -> str:
    s, summary = r["settings"], r["summary"]
    out = [f"Run {r['date']} · data: {s['data']} ({s['triples']} triples) · {s['rounds']} "
           f"round(s) × {s['duration_s']} s after {s['warmup_s']} s warm-up · wrk {s['wrk']} · "
           f"{r['machine']['cpus']} CPUs (shared).", "",
           "Versions: " + ", ".join(f"{k} {v}" for k, v in r["versions"].items()
                                    if k != "wrk") + ".", "",
           "| scenario | ngo-ld req/s | p50 ms | p99 ms | CPU ms/req | errors | Oxigraph req/s "
           "| Oxigraph CPU ms/req | CPU ÷ Oxigraph | req/s ÷ Oxigraph | CPU ÷ hello |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in summary["table"]:
        n, o = row["ngo-ld"], row.get("oxigraph")
        out.append(f"| {row['scenario']} | {n['rps']:.0f} | {f(n['p50_ms'])} | {f(n['p99_ms'])} "
                   f"| {f(n['cpu_ms_per_req'], 3)} | {n['errors']} | "
                   + (f"{f(o['rps'], 0)} ({o['errors']} err) | {f(o['cpu_ms_per_req'], 3)} | "
                      f"**{f(row['cpu_vs_oxigraph'])}** | {f(row['rps_vs_oxigraph'])} | "
                      if o else "| | | | ")
                   + f"{f(row['cpu_vs_hello'])} |")
    h = summary["hello"]
    out.append(f"| *hello world* | {h['rps']:.0f} | | {f(h['p99_ms'])} | "
               f"{f(h['cpu_ms_per_req'], 3)} | | | | | | 1.00 |")
    if summary.get("flagged"):
        out += ["", "No clean Oxigraph round (it answered with errors or crashed in every "
                "round) in: " + ", ".join(summary["flagged"]) + " — left out of the ratios "
                "and geometric means; elsewhere its figures are medians of its clean rounds "
                "only (\"err\" counts the errors of all rounds)."]
    hg = summary.get("hello_gunicorn") or {}
    if hg.get("cpu_ms_per_req") == hg.get("cpu_ms_per_req") and hg.get("cpu_ms_per_req"):
        out += ["", "Same run, the WSGI servers compared (CPU ms per request; req/s):", "",
                "| scenario | granian CPU | gunicorn CPU | gunicorn ÷ granian "
                "| granian req/s | gunicorn req/s |",
                "| --- | ---: | ---: | ---: | ---: | ---: |",
                f"| hello world | {f(h['cpu_ms_per_req'], 3)} | {f(hg['cpu_ms_per_req'], 3)} "
                f"| {f(hg['cpu_ms_per_req'] / h['cpu_ms_per_req'])} | {h['rps']:.0f} "
                f"| {hg['rps']:.0f} |"]
        for row in summary["table"]:
            g, n = row.get("ngo-ld-gunicorn"), row["ngo-ld"]
            if g:
                out.append(f"| {row['scenario']} | {f(n['cpu_ms_per_req'], 3)} | "
                           f"{f(g['cpu_ms_per_req'], 3)} | "
                           f"{f(g['cpu_ms_per_req'] / n['cpu_ms_per_req'])} | "
                           f"{n['rps']:.0f} | {g['rps']:.0f} |")
    out += ["", "| geometric mean | ratio |", "| --- | ---: |"]
    out += [f"| {k} | **{f(v)}×** |" for k, v in summary["geomean"].items()]
    out += ["", "| start to first answer | s |", "| --- | ---: |"]
    out += [f"| {k} | {f(v)} |" for k, v in r["start_seconds"].items()]
    out += ["", "| memory after the run | PSS MB | RSS MB (sum) | processes |",
            "| --- | ---: | ---: | ---: |"]
    out += [f"| {k} | {v['pss_mb']:.0f} | {v['rss_mb']:.0f} | {v['processes']} |"
            for k, v in r["memory"].items()]
    return "\n".join(out)


def _sides(row: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """A sweep row's figures: in-process engine, memory store, disk store (restarted),
    Oxigraph's server."""
    return row.get("engine", {}), row["memory"], row["disk-restart"], row["oxigraph"]


def sweep_md(r: dict[str, Any]) -> str:
    out = [f"Run {r['date']}.", "",
           "| triples | validation s (first / remembered) | memory: cold start s | disk: cold "
           "start (bulk load) s | disk: restart s | PSS MB memory / disk / Oxigraph "
           "| Oxigraph load s |",
           "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in r["rows"]:
        v = row.get("validation")
        vtext = f"{v['first']:.1f} / {v['remembered'] * 1000:.1f} ms" if v else "not run"
        out.append(f"| {row['triples']:,} | {vtext} | {f(row['memory']['start_s'])} | "
                   f"{f(row['disk']['start_s'])} | {f(row['disk-restart']['start_s'])} | "
                   f"{row['memory']['pss_mb']:.0f} / {row['disk-restart']['pss_mb']:.0f} / "
                   f"{row['oxigraph']['pss_mb']:.0f} | {f(row['oxigraph_load_s'])} |")
    out += ["", "Median latency, ms — in-process engine (query + JSON serialization; document "
            "build + Turtle) on memory / disk, and over HTTP (one new connection per request) "
            "on memory / disk / Oxigraph:", "",
            "| triples | lookup engine | members engine | search engine | doc.ttl engine "
            "| lookup HTTP | members HTTP | search HTTP | doc.ttl HTTP |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in r["rows"]:
        e, m, d, o = _sides(row)

        def eng(key: str, e: dict[str, Any] = e) -> str:
            if not e:
                return "–"
            return f"{f(e['memory'][key], 3)} / {f(e['disk'][key], 3)}"

        out.append(f"| {row['triples']:,} | {eng('lookup_ms')} | {eng('members_ms')} | "
                   f"{eng('search_ms')} | {eng('doc_ttl_ms')} | "
                   f"{f(m['lookup_ms'])} / {f(d['lookup_ms'])} / {f(o['lookup_ms'])} | "
                   f"{f(m['members_ms'])} / {f(d['members_ms'])} / {f(o['members_ms'])} | "
                   f"{f(m['search_ms'])} / {f(d['search_ms'])} / {f(o['search_ms'])} | "
                   f"{f(m['doc_ttl_ms'])} / {f(d['doc_ttl_ms'])} |")
    out += ["", "Full label search (REGEX, case-insensitive, over every `skos:prefLabel`, "
            "`COUNT(*)`; median of 5 words), ms:", "",
            "| triples | engine, memory | engine, disk | HTTP, memory | HTTP, disk "
            "| Oxigraph server (HTTP) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in r["rows"]:
        e, m, d, o = _sides(row)
        if "search_all_ms" not in m:
            continue
        engine = (f"{e['memory']['search_all_ms']:,.0f} | {e['disk']['search_all_ms']:,.0f}"
                  if e else "– | –")
        out.append(f"| {row['triples']:,} | {engine} | {m['search_all_ms']:,.0f} | "
                   f"{d['search_all_ms']:,.0f} | {o['search_all_ms']:,.0f} |")
    return "\n".join(out)


def markdown(r: dict[str, Any]) -> str:
    """The tables of one result file, whichever mode wrote it."""
    return {"benchmark": benchmark_md, "sweep": sweep_md, "distinct-queries": distinct.markdown,
            "attack": attack.markdown}[r["kind"]](r)


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or [
        p for p in map(newest, ("bench-*.json", "sweep-*.json", "distinct-queries-*.json",
                                "attack-*.json")) if p]
    for path in files:
        r = json.loads(path.read_text(encoding="utf-8"))
        print(f"<!-- {path.name} -->")
        print(markdown(r))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
