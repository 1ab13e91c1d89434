"""The two store backends beyond the in-memory default (issue 5, point 5).

``disk``
    pyoxigraph's RocksDB store at ``Settings.store_path``. It is bulk-loaded from the source
    files only when it is missing or was built from other data (the content hash of the
    source files, :func:`~ngo_ld.loading.content_hash`, is recorded beside it); a restart on
    unchanged data just opens it, read-only, so that every worker process can open it at
    once. Resident memory stays small because the data lives in the operating system's
    page cache, not in the Python heap.

``remote``
    Any SPARQL 1.1 endpoint (Oxigraph server, Apache Jena Fuseki, Virtuoso, QLever…) at
    ``Settings.remote_query_url``, queried with an HTTP POST (SPARQL 1.1 Protocol,
    ``application/sparql-query``) through the standard library, so the backend adds no
    runtime dependency. The endpoint's default graph must be the union of the named graphs
    (``oxigraph serve-read-only --union-default-graph``; Fuseki ``tdb2:unionDefaultGraph``),
    as it is in the embedded stores. The Flask front then holds no data, and any number of
    fronts can run behind a load balancer (docs/deployment.md).

Both give the same answers as the in-memory store: tests/test_backends.py compares
``triples()``, ``len()`` and query results across the three.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

import pyoxigraph as ox

try:
    import fcntl
except ImportError:  # not POSIX: concurrent first starts may build the store twice
    fcntl = None  # type: ignore[assignment]

from .config import Settings
from .errors import ConfigError, QueryError, QueryTimeout
from .loading import MIN_CHUNK_BYTES, RDF_SUFFIXES, content_hash, source_files, split_for_parallel
from .namespaces import sparql_prologue
from .sparql import NO_GRAPH
from .store import OxigraphStore, QueryAnswer, graph_names, load_into

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


# --- remote SPARQL 1.1 endpoint -----------------------------------------------------------


class RemoteStoreError(QueryError):
    """The remote endpoint could not be reached or answered with an error of its own."""


_RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
# Both kinds in one header: the endpoint picks by the form of the query (SELECT/ASK or
# CONSTRUCT/DESCRIBE), so the front never has to parse the query to know it.
_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
           "text/turtle;q=0.8, application/sparql-results+xml;q=0.7")


#: The project prefixes on ONE line, so an error position the endpoint reports is one line
#: below the client's; :func:`_unshift` moves it back.
_PROLOGUE = " ".join(sparql_prologue().splitlines()) + "\n"
_POSITION = re.compile(r"\b(at|line) (\d+)")


def _unshift(message: str) -> str:
    return _POSITION.sub(lambda m: f"{m[1]} {max(1, int(m[2]) - 1)}", message, count=1)


class RemoteStore:
    """A SPARQL 1.1 endpoint as a :class:`~ngo_ld.store.GraphStore`.

    ``version`` is computed once, when the store is opened: the content hash of the local
    source files (the release that was loaded into the endpoint) combined with the
    endpoint's triple count and URL. Every front built from the same release and pointed at
    the same endpoint therefore agrees on it (ETags and caches stay valid behind a load
    balancer), and a front whose local release does not match what the endpoint holds
    gets a version of its own. Reload the endpoint, then restart the fronts.
    """

    #: Queries run on another machine under its own limits; the front need not isolate
    #: them in a child process (the endpoint's own time limit still applies).
    isolated_execution = False

    def __init__(self, url: str, *, base_iri: str, timeout: float,
                 local_version: str | None = None, query_timeout: float | None = None
                 ) -> None:
        self.url = url
        self.base_iri = base_iri
        #: For whole-dataset reads (dumps, the triple count): ``Settings.remote_timeout``.
        self.timeout = timeout
        #: For queries, the endpoint's own promise: ``Settings.query_timeout``.
        self.query_timeout = timeout if query_timeout is None else query_timeout
        self._length: int | None = None
        self._graphs: frozenset[str] | None = None
        count = len(self)
        basis = f"{local_version or '-'}|{count}|{url}"
        self.version = hashlib.sha256(basis.encode()).hexdigest()[:16]

    # The one HTTP call.
    def _post(self, sparql: str, params: Sequence[tuple[str, str]] = (),
              accept: str = _ACCEPT, timeout: float | None = None) -> tuple[str, IO[bytes]]:
        timeout = self.timeout if timeout is None else timeout
        url = self.url
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        request = urllib.request.Request(
            url, data=sparql.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-query; charset=utf-8",
                     "Accept": accept, "User-Agent": "ngo-ld"})
        try:
            response = urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace").strip()
            if exc.code == 400:
                raise QueryError(_unshift(detail) or "the endpoint rejected the query") from None
            if exc.code in (503, 504) and "timeout" in detail.lower():
                raise QueryTimeout(f"the remote endpoint stopped the query: {detail}") from None
            raise RemoteStoreError(f"the remote endpoint answered {exc.code}: {detail[:300]}",
                                   hint="check the remote SPARQL endpoint") from None
        except TimeoutError:
            raise QueryTimeout(f"no answer from the remote endpoint in {timeout:g} s",
                               hint="simplify the query or add LIMIT") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RemoteStoreError(f"cannot reach the remote endpoint {self.url}: {reason}",
                                   hint="check NGO_LD_REMOTE_QUERY_URL and that the "
                                   "endpoint is up") from None
        media = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return media, response

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryAnswer:
        return self._query(sparql, default_graphs, named_graphs, self.query_timeout)

    def _query(self, sparql: str, default_graphs: Sequence[str],
               named_graphs: Sequence[str], timeout: float) -> QueryAnswer:
        # Only graphs the endpoint holds are named to it (any other IRI is an empty graph,
        # as in the embedded stores): no endpoint is asked about a graph it might fetch.
        params = [("default-graph-uri", self._local(g)) for g in default_graphs]
        params += [("named-graph-uri", self._local(g)) for g in named_graphs]
        # The embedded stores offer the project prefixes to every query; so does this one.
        # A query's own PREFIX lines come later and win.
        media, response = self._post(_PROLOGUE + sparql, params, timeout=timeout)
        with response:
            body = response.read()
        try:
            if media in _RESULT_TYPES:
                return ox.parse_query_results(body, format=_RESULT_TYPES[media])
            if media in _GRAPH_TYPES:
                # A real QueryTriples, so callers serialize it as they do a local answer.
                scratch = ox.Store()
                scratch.extend(ox.Quad(t.subject, t.predicate, t.object)
                               for t in ox.parse(body, format=_GRAPH_TYPES[media]))
                return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        except SyntaxError as exc:
            raise RemoteStoreError(f"the remote endpoint sent unreadable {media}: {exc}"
                                   ) from None
        raise RemoteStoreError(f"the remote endpoint answered in {media or 'no media type'}, "
                               "which ngo-ld cannot read")

    def triples(self) -> Iterator[ox.Triple]:
        """Streamed: the N-Triples answer is parsed while it arrives."""
        media, response = self._post("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                     accept="application/n-triples")
        with response:
            fmt = _GRAPH_TYPES.get(media)
            if fmt is None:
                raise RemoteStoreError(f"the remote endpoint answered CONSTRUCT in {media}")
            yield from (q.triple for q in ox.parse(response, format=fmt))

    def _local(self, graph: str) -> str:
        if self._graphs is None:
            self._graphs = frozenset(self.graph_names())
        return graph if graph in self._graphs else NO_GRAPH

    def graph_names(self) -> list[str]:
        answer = self._query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", (), (), self.timeout)
        return sorted(s["g"].value for s in answer  # type: ignore[union-attr, index]
                      if isinstance(s["g"], ox.NamedNode))  # type: ignore[index]

    def __len__(self) -> int:
        if self._length is None:
            answer = self._query("SELECT (COUNT(DISTINCT *) AS ?n) WHERE { ?s ?p ?o }",
                                 (), (), self.timeout)
            self._length = int(next(iter(answer))["n"].value)  # type: ignore[call-overload, index]
        return self._length


def open_remote_store(settings: Settings) -> RemoteStore:
    """A store that forwards every query to ``settings.remote_query_url``.

    :raises ConfigError: no URL is set, or it is not http(s).
    :raises RemoteStoreError: the endpoint cannot be reached.
    """
    url = settings.remote_query_url
    if not url:
        raise ConfigError("the remote backend needs the query URL of a SPARQL endpoint",
                          hint="set NGO_LD_REMOTE_QUERY_URL, e.g. http://127.0.0.1:7878/query")
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ConfigError(f"NGO_LD_REMOTE_QUERY_URL must be an http(s) URL, not {url!r}")
    files = source_files(settings)
    local = content_hash(files) if files else None
    return RemoteStore(url, base_iri=settings.base_iri, timeout=settings.remote_timeout,
                       query_timeout=settings.query_timeout,
                       local_version=local)


__all__ = ["DiskStore", "RemoteStore", "RemoteStoreError", "default_cache_dir",
           "open_disk_store", "open_remote_store"]
