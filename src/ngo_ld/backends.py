"""The on-disk store backend (the remote one is :mod:`ngo_ld.remote`).

``disk``
    pyoxigraph's RocksDB store at ``Settings.store_path``. It is bulk-loaded from the source
    files only when it is missing or was built from other data (the content hash of the
    source files, :func:`~ngo_ld.loading.content_hash`, is recorded beside it); a restart on
    unchanged data just opens it, read-only, so that every worker process can open it at
    once. Resident memory stays small because the data lives in the operating system's
    page cache, not in the Python heap.

It gives the same answers as the in-memory store: tests/test_backends.py compares
``triples()``, ``len()`` and query results across the backends.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

try:
    import fcntl
except ImportError:  # not POSIX: concurrent first starts may build the store twice
    fcntl = None  # type: ignore[assignment]

from .config import Settings
from .errors import ConfigError
from .loading import MIN_CHUNK_BYTES, RDF_SUFFIXES, content_hash, source_files, split_for_parallel
from .store import OxigraphStore, graph_names, load_into

#: File beside the RocksDB files that says which data the store was built from.
VERSION_FILE = "ngo-ld-store.json"
#: Bumped when the layout of a built store changes, so old stores are rebuilt.
STORE_FORMAT = 1


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/ngo-ld`` or ``~/.cache/ngo-ld``: where ``serve`` keeps what it can
    rebuild (remembered validation verdicts, the default on-disk store)."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root).expanduser() / "ngo-ld"


def default_store_path(settings: Settings) -> Path:
    """Where the disk store lives when ``store_path`` is not set: one per home folder."""
    key = hashlib.sha256(str(settings.home.resolve()).encode()).hexdigest()[:12]
    return (settings.cache_dir or default_cache_dir()) / f"store-{key}"


# --- embedded, on disk --------------------------------------------------------------------


class DiskStore(OxigraphStore):
    """A read-only pyoxigraph store on disk, opened once per process.

    RocksDB handles do not survive ``fork()`` (gunicorn forks its workers after the master
    has opened the store), so each process opens its own read-only handle on first use.
    Opening is cheap: a few milliseconds, nothing is read into memory.
    """

    isolated_execution = True

    def __init__(self, path: Path, *, base_iri: str, version: str) -> None:
        self.path = path
        self._pid = -1
        self._handle: ox.Store | None = None
        super().__init__(ox.Store.read_only(str(path)), base_iri=base_iri, version=version)

    @property  # type: ignore[override]
    def _store(self) -> ox.Store:
        if self._handle is None or self._pid != os.getpid():
            self._handle = ox.Store.read_only(str(self.path))
            self._pid = os.getpid()
        return self._handle

    @_store.setter
    def _store(self, value: ox.Store) -> None:
        self._handle = value
        self._pid = os.getpid()


def _recorded(path: Path) -> dict[str, object] | None:
    try:
        return json.loads((path / VERSION_FILE).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


def load_workers() -> int:
    """Threads for building the store: one per CPU this process may use, at most 4 (each
    of pyoxigraph's bulk loads holds up to a million quads in memory at once)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(4, cpus))


def _parallel_bulk_load(store: ox.Store, files: Sequence[Path], base_iri: str,
                        workers: int) -> None:
    """Bulk-load ``files`` with ``workers`` threads, big files cut into chunks
    (:func:`~ngo_ld.loading.split_for_parallel`).

    pyoxigraph sorts and writes the quads of one bulk load on one thread (about 11 s of CPU
    for the 845,000 quads of the largest synthetic file), and releases the GIL meanwhile;
    chunks loaded side by side use every core.

    :raises SyntaxError, OSError, ValueError: as ``Store.bulk_load``; a chunk that fails
        may have loaded something (a cut file's other chunks), so the caller must start over.
    """
    names = graph_names(files, base_iri)
    sizes = {path: path.stat().st_size for path in files}
    # Chunks of about an equal share of the whole, so the threads finish together.
    share = max(MIN_CHUNK_BYTES, sum(sizes.values()) // workers)
    jobs: list[tuple[int, Path, bytes | None]] = []
    for path in files:
        if workers > 1 and sizes[path] > share:
            parts = -(-sizes[path] // share)
            chunks = split_for_parallel(path.read_bytes(), RDF_SUFFIXES[path.suffix], parts)
            jobs += [(len(chunk), path, chunk) for chunk in chunks]
        else:
            jobs.append((sizes[path], path, None))
    jobs.sort(key=lambda job: -job[0])  # biggest first: the threads finish together

    def load(job: tuple[int, Path, bytes | None]) -> None:
        _, path, chunk = job
        kwargs = {"format": RDF_SUFFIXES[path.suffix], "base_iri": path.as_uri(),
                  "to_graph": ox.NamedNode(names[path])}
        if chunk is None:
            store.bulk_load(path=str(path), **kwargs)  # type: ignore[arg-type]
        else:
            store.bulk_load(chunk, **kwargs)  # type: ignore[arg-type]

    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(load, job) for job in jobs]:
            future.result()


def _build(files: Sequence[Path], target: Path, *, base_iri: str, version: str,
           workers: int | None = None) -> None:
    """Bulk-load ``files`` into a new store at ``target`` (built aside, then renamed in, so
    a crash or a parse error never leaves half a store behind).

    At 10^6 triples on 2 cores this takes about half of the one-thread way: the files are
    loaded by :func:`load_workers` threads, then compaction (``optimize()``, which makes
    queries faster: the label search of the scale targets took 1.0 s instead of 1.5 s) and
    the triple count run side by side.

    :raises LoadError: a file does not parse.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f"{target.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    workers = load_workers() if workers is None else workers
    try:
        store = ox.Store(str(building))
        try:
            # Parsed and written in Rust, streaming: no Python object per triple.
            _parallel_bulk_load(store, files, base_iri, workers)
            failed = False
        except (SyntaxError, OSError, ValueError):
            failed = True
        if failed:
            # A file does not parse (or, in theory, a chunk was cut where it should not
            # have been). Start again, one file at a time, so the error names file and line.
            del store
            gc.collect()  # the failed load's traceback held the store: release its lock
            shutil.rmtree(building, ignore_errors=True)
            store = ox.Store(str(building))
            load_into(store, files, base_iri, bulk=True)
        store.flush()
        with ThreadPoolExecutor(1) as pool:
            compacted = pool.submit(store.optimize)
            # Counted once here, so a restart need not count a million triples again.
            length = len(OxigraphStore(store, base_iri=base_iri, version=version))
            compacted.result()
        del store  # release the RocksDB lock before the rename
        (building / VERSION_FILE).write_text(json.dumps(
            {"version": version, "base_iri": base_iri, "format": STORE_FORMAT,
             "triples": length, "files": [str(p) for p in files]}, indent=1),
            encoding="utf-8")
        old = target.with_name(f"{target.name}.old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        building.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(building, ignore_errors=True)


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """Held while the store at ``path`` is (re)built: an exclusive lock on a file beside it,
    released by the operating system if the process dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f"{path.name}.lock"), "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def open_disk_store(settings: Settings) -> DiskStore:
    """The on-disk store for ``settings``, (re)built only when the data changed.

    :raises LoadError: a source file does not parse.
    :raises ConfigError: the store folder cannot be created or opened.
    """
    files = source_files(settings)
    version = content_hash(files)
    path = (settings.store_path or default_store_path(settings)).expanduser()
    recorded = _recorded(path)
    wanted = {"version": version, "base_iri": settings.base_iri, "format": STORE_FORMAT}

    def stale(recorded: dict[str, object] | None) -> bool:
        return recorded is None or any(recorded.get(k) != v for k, v in wanted.items())

    try:
        if stale(recorded):
            # Every granian worker opens the store at start: one builds it, the others wait
            # for it (two builds at once took twice as long, then replaced each other's).
            with _build_lock(path):
                if stale(_recorded(path)):
                    _build(files, path, base_iri=settings.base_iri, version=version)
        store = DiskStore(path, base_iri=settings.base_iri, version=version)
        counted = (_recorded(path) or {}).get("triples")
        if isinstance(counted, int):
            store._length = counted
        return store
    except OSError as exc:
        raise ConfigError(f"cannot use the on-disk store at {path}: {exc}",
                          hint="set NGO_LD_STORE_PATH to a writable folder") from None


__all__ = ["DiskStore", "default_cache_dir", "open_disk_store"]
