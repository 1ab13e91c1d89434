"""Validation time and memory, both engines side by side, on synthetic data.

For each size, ``ngo-ld synth`` writes a home folder and ``ngo-ld validate`` runs on it
once per engine, each in a process of its own: the figures are what a maintainer waits
for (start, load, validate, report) and the process's peak resident memory. The ratio is
pySHACL's time over the fast engine's, in the same run.

    python bench/run.py validation                 # 10^4 and 10^5 triples
    python bench/run.py validation --million       # and 10^6 (fast engine; add
                                                   # --pyshacl-million for pySHACL's ~20 min)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
ENGINES = ("oxigraph", "pyshacl")


def ngo_ld(*args: str) -> list[str]:
    return [sys.executable, "-m", "ngo_ld", *args]


def timed_validate(home: Path, engine: str, timeout: float) -> dict[str, object]:
    """Run ``ngo-ld validate --home HOME --engine ENGINE``: seconds, peak MB, exit code."""
    started = time.perf_counter()
    child = subprocess.Popen(ngo_ld("validate", "--home", str(home), "--engine", engine),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            child.kill()
            child.wait()
            return {"seconds": None, "peak_mb": None, "exit": None, "timeout": timeout}
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    out = child.stdout.read() if child.stdout else ""
    return {"seconds": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024),
            "exit": os.waitstatus_to_exitcode(status),
            "verdict": out.strip().splitlines()[-1] if out.strip() else ""}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py validation",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000",
                        type=lambda s: [int(float(x)) for x in s.split(",")])
    parser.add_argument("--million", action="store_true", help="also 10^6 triples")
    parser.add_argument("--pyshacl-million", action="store_true",
                        help="at 10^6 run pySHACL too (about 20 minutes, 3 GB)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run")
    args = parser.parse_args(argv)
    sizes = [*args.sizes, *([1_000_000] if args.million else [])]
    rows = []
    with tempfile.TemporaryDirectory(prefix="ngo-ld-bench-validation-") as tmp:
        for size in sizes:
            home = Path(tmp) / f"home-{size}"
            subprocess.run(ngo_ld("synth", "--triples", str(size), "-o", str(home)),
                           check=True, capture_output=True)
            row: dict[str, object] = {"triples": size}
            for engine in ENGINES:
                if engine == "pyshacl" and size >= 1_000_000 and not args.pyshacl_million:
                    continue
                print(f"{size:>9,} triples, {engine} …", file=sys.stderr, flush=True)
                row[engine] = timed_validate(home, engine, args.timeout)
            rows.append(row)
    print(f"{'triples':>10}  {'oxigraph s':>10}  {'MB':>5}  {'pyshacl s':>10}  {'MB':>5}  "
          f"{'ratio':>6}")
    for row in rows:
        fast, ref = row.get("oxigraph", {}), row.get("pyshacl", {})
        ratio = (f"{ref['seconds'] / fast['seconds']:.1f}x"  # type: ignore[index,operator]
                 if ref.get("seconds") and fast.get("seconds") else "-")  # type: ignore[union-attr]
        print(f"{row['triples']:>10,}  {fast.get('seconds', '-')!s:>10}  "  # type: ignore[union-attr]
              f"{fast.get('peak_mb', '-')!s:>5}  {ref.get('seconds', '-')!s:>10}  "  # type: ignore[union-attr]
              f"{ref.get('peak_mb', '-')!s:>5}  {ratio:>6}")  # type: ignore[union-attr]
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"validation-{stamp}.json"
    path.write_text(json.dumps({"rows": rows, "cpus": os.cpu_count()}, indent=1),
                    encoding="utf-8")
    print(f"raw results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
