#!/usr/bin/env python3
"""Per-document and per-query cost on the embedded store, Oxigraph's server and Virtuoso,
side by side — one command, not run in CI.

    python bench/remote.py            # 3 rounds over every document and query
    python bench/run.py --mode remote # the same, from the main benchmark

Starts Oxigraph's server and Virtuoso on free loopback ports in a temporary folder (the
helpers of tests/engines.py: private config and database, loaded with ``ngo-ld
load-remote``, stopped by PID), then, in this process, for each store:

* **document**: the time to build each thing's document (``describe.thing_document``,
  what an uncached ``/doc/…`` costs before serialization), once when its query text is
  new to the engine (Virtuoso compiles each new text), then again, against the
  **engine's own time** for the same queries: the same text and dataset sent straight to
  the engine's HTTP endpoint, the body read and not parsed (for the embedded store:
  pyoxigraph's ``query`` alone). The ratio is what ngo-ld adds; the target is ≤ 3×.
* **query**: the same for a few SPARQL queries of the endpoint's kind (lookup, join,
  aggregate, text search).

Medians over every document / query and round. Raw results go to bench/results/ (git-
ignored); the table is printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "tests"))

from engines import Engine, start_oxigraph, start_virtuoso  # noqa: E402
from ngo_ld import describe  # noqa: E402
from ngo_ld.config import Settings  # noqa: E402
from ngo_ld.remote import RemoteStore, open_remote_store, with_prologue  # noqa: E402
from ngo_ld.store import GraphStore, OxigraphStore  # noqa: E402
from ngo_ld.stores import open_store  # noqa: E402

QUERIES = {
    "lookup": "SELECT ?p ?o WHERE { ngo:astra ?p ?o }",
    "join": """SELECT ?org ?name ?role WHERE {
        ?m org:organization ngo:balkans-act-now ; org:member ?org ; org:role ?r .
        ?r skos:prefLabel ?role . ?org skos:prefLabel ?name }""",
    "aggregate": "SELECT ?c (COUNT(?m) AS ?n) WHERE { ?m org:organization ?c } GROUP BY ?c",
    "search": 'SELECT ?s ?l WHERE { ?s skos:prefLabel ?l FILTER(REGEX(?l, "žen", "i")) }',
}


class Recording:
    """A store wrapper that writes down every query the document builder sends."""

    def __init__(self, store: GraphStore) -> None:
        self.store, self.seen = store, []  # type: ignore[var-annotated]

    def query(self, sparql: str, **kwargs: Any) -> Any:
        self.seen.append(sparql)
        return self.store.query(sparql, **kwargs)


def engine_time(store: GraphStore, sparql: str) -> Callable[[], None]:
    """A call that costs what the engine alone costs for ``sparql``."""
    if isinstance(store, OxigraphStore):
        return lambda: list(store.query(sparql))  # type: ignore[arg-type]
    assert isinstance(store, RemoteStore)
    construct = sparql.lstrip().upper().startswith(("CONSTRUCT", "DESCRIBE"))
    form = urllib.parse.urlencode([("query", with_prologue(sparql)),
                                   *store._dataset((), ())]).encode()
    accept = "application/n-triples" if construct else "application/sparql-results+json"

    def call() -> None:
        request = urllib.request.Request(store.url, data=form, headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    return call


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def measure(store: GraphStore, slugs: Sequence[str], rounds: int) -> dict[str, Any]:
    base = store.base_iri
    plans = {}
    first_ms = []  # each document's first build: an engine that compiles (Virtuoso) sees
    for slug in slugs:  # its query text for the first time; also what each sends
        recorder = Recording(store)
        first_ms.append(timed(lambda r=recorder, s=slug: describe.thing_document(r, s, base)))
        plans[slug] = [engine_time(store, q) for q in recorder.seen]
    queries = {name: engine_time(store, q) for name, q in QUERIES.items()}
    doc_ms: list[float] = []
    doc_engine_ms: list[float] = []
    query_ms: dict[str, list[float]] = {name: [] for name in QUERIES}
    query_engine_ms: dict[str, list[float]] = {name: [] for name in QUERIES}
    round_trips = statistics.median(len(p) for p in plans.values())
    for _ in range(rounds):
        for slug in slugs:
            doc_ms.append(timed(lambda s=slug: describe.thing_document(store, s, base)))
            doc_engine_ms.append(sum(timed(call) for call in plans[slug]))
        for name, sparql in QUERIES.items():
            query_ms[name].append(timed(lambda q=sparql: list(store.query(q))))  # type: ignore[arg-type]
            query_engine_ms[name].append(timed(queries[name]))
    doc, engine = statistics.median(doc_ms), statistics.median(doc_engine_ms)
    return {
        "documents": len(slugs), "queries_per_document": round_trips,
        "document_ms": round(doc, 3), "document_engine_ms": round(engine, 3),
        "document_ratio": round(doc / engine, 2),
        "document_first_ms": round(statistics.median(first_ms), 3),
        "queries": {name: {"ms": round(statistics.median(query_ms[name]), 3),
                           "engine_ms": round(statistics.median(query_engine_ms[name]), 3),
                           "ratio": round(statistics.median(query_ms[name])
                                          / statistics.median(query_engine_ms[name]), 2)}
                    for name in QUERIES},
    }


def run(rounds: int = 3) -> dict[str, Any]:
    settings = Settings(home=ROOT, validate_on_start=False)
    memory = open_store(settings)
    slugs = describe.thing_slugs(memory, settings.base_iri)
    results: dict[str, Any] = {"rounds": rounds,
                               "stamp": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")}
    with tempfile.TemporaryDirectory(prefix="ngo-ld-bench-remote-") as folder:
        engines: dict[str, Engine] = {}
        try:
            engines["oxigraph"] = start_oxigraph(Path(folder) / "oxigraph", ROOT)
            engines["virtuoso"] = start_virtuoso(Path(folder) / "virtuoso", ROOT)
            stores: dict[str, GraphStore] = {"embedded": memory}
            for name, engine in engines.items():
                stores[name] = open_remote_store(settings.but(
                    store="remote", remote_query_url=engine.query_url, query_timeout=30))
            for name, store in stores.items():
                print(f"measuring {name} …", file=sys.stderr)
                results[name] = measure(store, slugs, rounds)
        finally:
            for engine in engines.values():
                engine.stop()
    return results


def print_table(results: dict[str, Any]) -> None:
    stores = [s for s in ("embedded", "oxigraph", "virtuoso") if s in results]
    print(f"{'median ms (ratio to the engine alone)':<40}"
          + "".join(f"{s:>22}" for s in stores))

    def cell(row: dict[str, Any], ms: str, engine: str, ratio: str) -> str:
        return f"{row[ms]:>9.2f} / {row[engine]:6.2f} ({row[ratio]:.1f}×)"

    print(f"{'document, first build (query text new)':<40}" + "".join(
        f"{results[s]['document_first_ms']:>9.2f}{'':13}" for s in stores))
    print(f"{'document, again (queries)':<40}" + "".join(
        f"{cell(results[s], 'document_ms', 'document_engine_ms', 'document_ratio'):>22}"
        for s in stores))
    for name in QUERIES:
        print(f"{'query: ' + name:<40}" + "".join(
            f"{cell(results[s]['queries'][name], 'ms', 'engine_ms', 'ratio'):>22}"
            for s in stores))
    print("queries per document: " + ", ".join(
        f"{s} {results[s]['queries_per_document']:g}" for s in stores))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    results = run(args.rounds)
    out = BENCH / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"remote-{results['stamp']}.json"
    path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print_table(results)
    print(f"raw results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
