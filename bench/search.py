"""What search costs as the data grows: building the label index, its memory, and queries.

    python bench/search.py [TRIPLES ...]      (default: 100000 1000000)

For each size, a synthetic home (:mod:`ngo_ld.synthetic`) is loaded into the memory store;
then the label index is built (:func:`ngo_ld.search.read_index`; the time, and the
Python memory it keeps by ``tracemalloc`` in a second build), and each query below is
answered five times. The anchors, from the same run and store, are SPARQL label searches
that do far less (one case-insensitive REGEX over ``skos:prefLabel`` for the query's
first word: no diacritics, script or misspellings, no ranking): the first 20 matches,
and every match (what ranking them would need). The ratio is search's median over the
second's. Prints one Markdown table (docs/search.md quotes it).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from ngo_ld.config import Settings
from ngo_ld.search import read_index
from ngo_ld.stores import open_store
from ngo_ld.synthetic import write_home

QUERIES = ["zenska soba", "Женски центар", "centar za pravnu pomoc novi sad", "Mreža za mir",
           "fondacija", "la strada", "udruzenje zenski beograd"]
REPEAT = 5


def timed(run: object) -> float:
    """Median milliseconds of ``REPEAT`` calls."""
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(triples: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        home = write_home(Path(folder) / "home", triples)
        store = open_store(Settings(home=home, validate_on_start=False))
        size = len(store)
        start = time.perf_counter()
        index = read_index(store)
        build = time.perf_counter() - start
        del index
        tracemalloc.start()  # a second build, traced: tracing slows it down
        index = read_index(store)
        kept = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        search = [timed(lambda q=q: index.search(q, limit=20)) for q in QUERIES]
        first = [timed(lambda q=q: list(store.query(
            'SELECT ?s ?l WHERE { ?s skos:prefLabel ?l '
            f'FILTER(REGEX(?l, "{q.split()[0]}", "i")) }} LIMIT 20'))) for q in QUERIES]
        every = [timed(lambda q=q: list(store.query(
            'SELECT ?s ?l WHERE { ?s skos:prefLabel ?l '
            f'FILTER(REGEX(?l, "{q.split()[0]}", "i")) }}'))) for q in QUERIES]
    return {"triples": size, "entries": len(index), "build_s": build, "index_mb": kept / 1e6,
            "search_median_ms": statistics.median(search), "search_max_ms": max(search),
            "first_median_ms": statistics.median(first),
            "every_median_ms": statistics.median(every)}


def main(sizes: list[int]) -> None:
    print("| triples | things indexed | index build | index memory | search: median, "
          "slowest | REGEX, first 20 | REGEX, every label | search / every label |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        r = measure(size)
        print(f"| {r['triples']:,.0f} | {r['entries']:,.0f} | {r['build_s']:.2f} s | "
              f"{r['index_mb']:.0f} MB | {r['search_median_ms']:.1f} ms, "
              f"{r['search_max_ms']:.1f} ms | {r['first_median_ms']:.1f} ms | "
              f"{r['every_median_ms']:.1f} ms | "
              f"{r['search_median_ms'] / r['every_median_ms']:.2f} |", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])
