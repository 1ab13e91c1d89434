"""The process tree of a running server, read from ``/proc``.

Why here: ``ngo-ld serve`` is a tree (granian's main process, its workers, their query
processes), and whoever measures or stops it — the benchmark, the live-server tests, an
operator's script — needs all of it, not just the PID it started.
"""

from __future__ import annotations

from pathlib import Path


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children first found first); [] where there is no
    ``/proc`` or the process is gone."""
    found: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.append(child)
                    todo.append(child)
    return found
