"""The three store backends give the same answers (issue 5, point 5).

The in-memory store is the reference. The on-disk store is built in a temporary folder;
the remote store talks to a REAL Oxigraph server process (``oxigraph serve-read-only``
from the PyPI package ``oxigraph``) started here on a free loopback port and stopped by
PID. The remote server is loaded the way docs/deployment.md says: each source file into
its own named graph with ``oxigraph load --graph``, default graph = union of graphs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from flask import Flask
from rdflib.compare import isomorphic

from engines import Engine, free_port
from ngo_ld import backends, remote
from ngo_ld.backends import DiskStore, open_disk_store
from ngo_ld.config import Settings
from ngo_ld.errors import ConfigError, LoadError, QueryError, UpstreamError
from ngo_ld.loading import graph_name, source_files, to_rdflib
from ngo_ld.remote import RemoteStore
from ngo_ld.store import GraphStore
from ngo_ld.stores import open_store

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ["memory", "disk", "remote", "virtuoso"]
OTHERS = ["disk", "remote", "virtuoso"]



@pytest.fixture(scope="module")
def base_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(home=ROOT, cache_dir=tmp_path_factory.mktemp("cache"),
                    validate_on_start=False)


@pytest.fixture(scope="module")
def oxigraph_server(oxigraph_engine: Engine) -> str:
    return oxigraph_engine.query_url


#: The engine fixture behind each remote backend.
ENGINES = {"remote": "oxigraph_engine", "virtuoso": "virtuoso_engine"}


class _Stores(dict):  # type: ignore[type-arg]
    """Each backend's store, opened on first use (an engine is started only when a test
    needs it, and a missing one skips only its tests)."""

    def __init__(self, request: pytest.FixtureRequest, settings: Settings, disk: Path) -> None:
        super().__init__()
        self.request, self.settings, self.disk = request, settings, disk

    def __missing__(self, backend: str) -> GraphStore:
        if backend == "memory":
            store = open_store(self.settings)
        elif backend == "disk":
            store = open_store(self.settings.but(store="disk", store_path=self.disk))
        else:
            engine: Engine = self.request.getfixturevalue(ENGINES[backend])
            store = open_store(self.settings.but(store="remote",
                                                 remote_query_url=engine.query_url))
        self[backend] = store
        return store


@pytest.fixture(scope="module")
def stores(request: pytest.FixtureRequest, base_settings: Settings,
           tmp_path_factory: pytest.TempPathFactory) -> dict[str, GraphStore]:
    return _Stores(request, base_settings, tmp_path_factory.mktemp("disk") / "store")


XSD_DURATION = "http://www.w3.org/2001/XMLSchema#duration"


def comparable(triples: Iterable[ox.Triple], backend: str) -> set[ox.Triple]:
    """The triples, less what Virtuoso is documented to change on load (it keeps an
    ``xsd:duration`` as a number of months: docs/deployment.md); checked on its own by
    test_virtuoso_changes_durations_and_nothing_else."""
    triples = set(triples)
    if backend != "virtuoso":
        return triples
    return {t for t in triples if not (isinstance(t.object, ox.Literal)
                                       and t.object.datatype.value == XSD_DURATION)}


def rows(answer: object) -> list[tuple[str, ...]]:
    assert isinstance(answer, ox.QuerySolutions)
    names = [v.value for v in answer.variables]
    return sorted(tuple(str(s[n]) for n in names) for s in answer)


# --- same answers on every backend ----------------------------------------------------------


@pytest.mark.parametrize("backend", OTHERS)
def test_same_triples_and_count_as_memory(stores: dict[str, GraphStore], backend: str) -> None:
    """The same count too: no engine's own graphs (Virtuoso's virtrdf#, DAV, service
    description: 5,611 triples in its default graph) reach the release's answers."""
    reference, other = stores["memory"], stores[backend]
    assert comparable(other.triples(), backend) == comparable(reference.triples(), backend)
    assert len(other) == len(reference) > 500
    assert other.graph_names() == reference.graph_names()


QUERIES = {
    "lookup": "SELECT ?p ?o WHERE { ngo:astra ?p ?o }",
    "members": """SELECT ?org ?name ?role WHERE {
        ?m org:organization ngo:balkans-act-now ; org:member ?org ; org:role ?r .
        ?r skos:prefLabel ?role . ?org skos:prefLabel ?name }""",
    "counts": """SELECT ?c (COUNT(?m) AS ?n) WHERE { ?m org:organization ?c } GROUP BY ?c""",
    "path": "SELECT ?x WHERE { ngo:odsjek-za-borbu-protiv-trgovine-ljudima org:unitOf+ ?x }",
    "search": """SELECT ?s ?l WHERE { ?s skos:prefLabel ?l .
        FILTER(REGEX(?l, "žen", "i")) }""",
    "own prefix": """PREFIX x: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?s WHERE { ?s x:inScheme ngo:roles }""",
}


@pytest.mark.parametrize("backend", OTHERS)
@pytest.mark.parametrize("name", list(QUERIES))
def test_same_select_results(stores: dict[str, GraphStore], backend: str, name: str) -> None:
    expected = rows(stores["memory"].query(QUERIES[name]))
    assert expected, "the query should find something in the project's data"
    assert rows(stores[backend].query(QUERIES[name])) == expected


@pytest.mark.parametrize("backend", BACKENDS)
def test_ask_construct_describe(stores: dict[str, GraphStore], backend: str) -> None:
    store = stores[backend]
    assert bool(store.query("ASK { ngo:astra a org:Organization }")) is True
    assert bool(store.query("ASK { ngo:astra a org:Role }")) is False
    graph = store.query("CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s a org:Role ; "
                        "skos:prefLabel ?l }")
    assert isinstance(graph, ox.QueryTriples)
    reference = stores["memory"].query("CONSTRUCT { ?s skos:prefLabel ?l } WHERE "
                                       "{ ?s a org:Role ; skos:prefLabel ?l }")
    assert set(graph) == set(reference)  # type: ignore[arg-type]
    described = store.query("DESCRIBE ngo:astra")
    assert isinstance(described, ox.QueryTriples)
    assert any(t.predicate.value.endswith("prefLabel") for t in described)


@pytest.mark.parametrize("backend", BACKENDS)
def test_dataset_clauses_pick_named_graphs(stores: dict[str, GraphStore], backend: str,
                                           base_settings: Settings) -> None:
    concepts = graph_name(ROOT / "data" / "concepts.ttl", base_settings.base_iri)
    store = stores[backend]
    only = rows(store.query("SELECT DISTINCT ?s WHERE { ?s a org:Organization }",
                            default_graphs=[concepts]))
    assert only == []
    named = rows(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                             named_graphs=[concepts]))
    assert int(named[0][0].split('"')[1]) > 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_syntax_error_is_a_query_error_with_the_clients_position(
        stores: dict[str, GraphStore], backend: str) -> None:
    with pytest.raises((SyntaxError, QueryError)) as caught:
        stores[backend].query("SELECT * WHERE {")
    # The prologue line is taken off the engine's position; Virtuoso places an error at
    # the very end of the text on the line after it (here: 2).
    if backend in ENGINES:
        assert ("1:" if backend == "remote" else "line 2:") in str(caught.value)
    if backend == "virtuoso":
        with pytest.raises(QueryError, match=r"line 2: syntax error at '}'") as caught:
            stores[backend].query("SELECT * WHERE {\n ?s ?p }")
        assert "SPARQL query:" not in str(caught.value)  # not its copy of the whole text


@pytest.mark.parametrize("backend", BACKENDS)
def test_validation_verdict_is_the_same(stores: dict[str, GraphStore], backend: str) -> None:
    """SHACL run over what each backend holds gives the verdict of the source files
    (less Virtuoso's ill-typed durations: see :func:`comparable`)."""
    from pyshacl import validate

    from ngo_ld.loading import parse_rdflib, shape_files

    shapes = parse_rdflib(shape_files(Settings(home=ROOT)))
    conforms, _, _ = validate(to_rdflib(comparable(stores[backend].triples(), backend)),
                              shacl_graph=shapes,
                              inference="none", advanced=True, allow_warnings=True)
    assert conforms


# --- documents and dumps are the same on every backend -----------------------------------------


@pytest.fixture(scope="module")
def apps(stores: dict[str, GraphStore], base_settings: Settings) -> dict[str, Flask]:
    """Each backend's application, built on first use (as the stores)."""
    from ngo_ld.web import create_app

    class Apps(dict):  # type: ignore[type-arg]
        def __missing__(self, name: str) -> Flask:
            app = create_app(base_settings.but(store="remote" if name in ENGINES else name),
                             store=stores[name])
            app.config["TESTING"] = True
            self[name] = app
            return app

    return Apps()


def fetch_graph(app: Flask, path: str) -> rdflib.Graph:
    response = app.test_client().get(path)
    if response.status_code == 404 and path.startswith(("/doc", "/dumps")):
        pytest.skip(f"{path} is not served yet")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return rdflib.Graph().parse(data=response.get_data(), format="turtle")


@pytest.mark.parametrize("backend", OTHERS)
@pytest.mark.parametrize("path", ["/doc/astra.ttl", "/doc/balkans-act-now.ttl",
                                  "/doc/role-partner.ttl", "/dumps/ngo-ld.ttl"])
def test_documents_and_dumps_match_memory(apps: dict[str, Flask], backend: str,
                                          path: str) -> None:
    def graph(app: Flask) -> rdflib.Graph:
        kept = rdflib.Graph()
        for t in fetch_graph(app, path):
            if backend != "virtuoso" or getattr(t[2], "datatype", None) != rdflib.XSD.duration:
                kept.add(t)
        return kept

    assert isomorphic(graph(apps[backend]), graph(apps["memory"]))


@pytest.mark.parametrize("backend", BACKENDS)
def test_sparql_endpoint_answers_on_every_backend(apps: dict[str, Flask], backend: str) -> None:
    response = apps[backend].test_client().post(
        "/sparql", data="SELECT (COUNT(*) AS ?n) WHERE { ?m a org:Membership }",
        headers={"Content-Type": "application/sparql-query",
                 "Accept": "application/sparql-results+json"})
    if response.status_code == 404:
        pytest.skip("/sparql is not served yet")
    assert response.status_code == 200
    body = json.loads(response.get_data())
    reference = rows(apps["memory"].extensions["ngo_ld"].store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?m a org:Membership }"))
    assert body["results"]["bindings"][0]["n"]["value"] == reference[0][0].split('"')[1]


# --- the on-disk store -----------------------------------------------------------------------


def copy_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    for folder in ("data", "ontology", "shapes", "metadata"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, home / folder)
    return home


def test_disk_store_is_built_once_then_opened(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(home=copy_home(tmp_path), store="disk", store_path=tmp_path / "st")
    first = open_disk_store(settings)
    assert isinstance(first, DiskStore)
    recorded = json.loads((tmp_path / "st" / backends.VERSION_FILE).read_text())
    assert recorded["version"] == first.version
    assert recorded["triples"] == len(first)

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("unchanged data must not be loaded again")

    monkeypatch.setattr(backends, "_build", no_build)
    again = open_disk_store(settings)
    assert again.version == first.version and len(again) == len(first)
    monkeypatch.undo()

    # Changed data: a new version, and the store holds the new triple.
    extra = settings.data_dir / "extra.ttl"
    extra.write_text("<https://w3id.org/ngo-ld/id/x> <http://www.w3.org/2004/02/skos/core#"
                     'prefLabel> "X"@en .\n', encoding="utf-8")
    changed = open_disk_store(settings)
    assert changed.version != first.version
    assert bool(changed.query('ASK { ngo:x skos:prefLabel "X"@en }'))


def test_disk_store_reopens_in_a_forked_child(tmp_path: Path) -> None:
    """gunicorn forks workers after the master opened the store."""
    store = open_disk_store(Settings(home=copy_home(tmp_path), store="disk",
                                     store_path=tmp_path / "st"))
    expected = len(rows(store.query("SELECT ?s WHERE { ?s a org:Membership }")))
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            n = len(list(store.query("SELECT ?s WHERE { ?s a org:Membership }")))
            os.write(write, str(n).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert int(os.read(read, 100) or b"-1") == expected
    os.close(read)


def test_disk_store_parse_error_names_file_and_line_and_keeps_old_store(tmp_path: Path
                                                                        ) -> None:
    settings = Settings(home=copy_home(tmp_path), store="disk", store_path=tmp_path / "st")
    good = open_disk_store(settings)
    bad = settings.data_dir / "broken.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        open_disk_store(settings)
    assert caught.value.file.endswith("broken.ttl") and caught.value.line == 2
    recorded = json.loads((tmp_path / "st" / backends.VERSION_FILE).read_text())
    assert recorded["version"] == good.version  # the old store is intact
    assert not list(tmp_path.glob("st.building-*"))


# --- the remote store ------------------------------------------------------------------------


def test_remote_store_runs_queries_in_process(stores: dict[str, GraphStore]) -> None:
    assert getattr(stores["remote"], "isolated_execution", True) is False
    assert getattr(stores["memory"], "isolated_execution", True) is True


def test_remote_version_is_stable_across_fronts(oxigraph_server: str,
                                                base_settings: Settings) -> None:
    settings = base_settings.but(store="remote", remote_query_url=oxigraph_server)
    assert open_store(settings).version == open_store(settings).version


def test_remote_store_needs_a_url(base_settings: Settings) -> None:
    with pytest.raises(ConfigError):
        open_store(base_settings.but(store="remote"))
    with pytest.raises(ConfigError):
        open_store(base_settings.but(store="remote", remote_query_url="file:///etc/passwd"))


def test_unreachable_remote_is_a_clear_error(base_settings: Settings) -> None:
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", base_iri=base_settings.base_iri,
                        timeout=2)  # opening makes no network call
    with pytest.raises(UpstreamError, match="cannot reach"):
        len(store)


class _RecordingEndpoint:
    """A stand-in SPARQL endpoint on loopback that writes down the forms it is sent: no
    data, and a 1 s pause before answering a query that mentions SLOW."""

    def __init__(self) -> None:
        import http.server
        import threading
        from urllib.parse import parse_qs

        self.seen: list[tuple[str, dict[str, list[str]]]] = []
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                form = parse_qs(body)
                endpoint.seen.append((self.headers["Content-Type"], form))
                if "SLOW" in form["query"][0]:
                    time.sleep(1.0)
                if "COUNT" in form["query"][0]:
                    rows = [{"n": {"type": "literal", "value": "0", "datatype":
                                   "http://www.w3.org/2001/XMLSchema#integer"}}]
                    names = ["n"]
                else:
                    rows, names = [], ["s"]
                answer = json.dumps({"head": {"vars": names},
                                     "results": {"bindings": rows}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/query"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def recording() -> Iterator[_RecordingEndpoint]:
    endpoint = _RecordingEndpoint()
    yield endpoint
    endpoint.close()


def test_remote_store_names_only_the_release_graphs(recording: _RecordingEndpoint,
                                                    base_settings: Settings) -> None:
    """FROM never travels in the text (ngo_ld.sparql blanks it); graph IRIs that are not
    the release's own become an empty graph, so no endpoint is asked to fetch one; a query
    that names no graph names every graph of the release, so no engine's own graphs count."""
    from ngo_ld.sparql import NO_GRAPH, prepare

    release = remote.open_remote_store(base_settings.but(store="remote",
                                                         remote_query_url=recording.url))
    one = release.graphs[0]
    prepared = prepare(f"SELECT * FROM <http://203.0.113.9/x> FROM <{one}> {{ ?s ?p ?o }}")
    list(release.query(prepared.text, default_graphs=prepared.default_graphs,  # type: ignore[arg-type]
                       named_graphs=prepared.named_graphs))
    content_type, form = recording.seen[-1]
    assert content_type == "application/x-www-form-urlencoded"
    assert "203.0.113.9" not in str(form)
    assert "FROM" not in form["query"][0].split("SELECT", 1)[1]
    assert form["default-graph-uri"] == [NO_GRAPH, one]
    assert form["named-graph-uri"] == [NO_GRAPH]
    list(release.query("SELECT * { ?s ?p ?o }"))  # type: ignore[arg-type]
    _, form = recording.seen[-1]
    expected = sorted(graph_name(p, base_settings.base_iri)
                      for p in source_files(base_settings))
    assert sorted(form["default-graph-uri"]) == sorted(form["named-graph-uri"]) == expected


def test_remote_queries_get_the_query_timeout_and_bulk_reads_the_remote_one(
        recording: _RecordingEndpoint, base_settings: Settings) -> None:
    from ngo_ld.errors import UpstreamTimeout

    store = remote.open_remote_store(base_settings.but(
        store="remote", remote_query_url=recording.url, query_timeout=0.3, remote_timeout=5))
    started = time.monotonic()
    with pytest.raises(UpstreamTimeout, match=r"0\.3 s") as caught:
        list(store.query("SELECT * { ?s ?p ?o } # SLOW"))  # type: ignore[arg-type]
    assert time.monotonic() - started < 0.9
    assert caught.value.retry_after == 1
    started = time.monotonic()
    assert store._query("SELECT * { ?s ?p ?o } # SLOW", (), store.timeout) is not None
    assert time.monotonic() - started >= 1.0


# --- the parallel build of the disk store ---------------------------------------------------


def quads_of(store: ox.Store) -> set[tuple[str, str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
            for q in store.quads_for_pattern(None, None, None, None)}


def test_cut_gives_the_same_triples_or_refuses() -> None:
    from ngo_ld.loading import _cut

    head = b"# a comment\n@prefix ex: <http://e/> .\nPREFIX s: <http://s/>\n\n"
    body = b"".join(b'ex:a%d ex:p "x %d . y"@en , """long\n. text""" ;\n  s:q [ ex:r %d ] .\n'
                    % (i, i, i) for i in range(400))
    doc = head + body
    chunks = _cut(doc, ox.RdfFormat.TURTLE, 3)
    assert len(chunks) == 3 and all(c.startswith(head) for c in chunks)

    def triples(data: bytes) -> int:
        return len(list(ox.parse(data, format=ox.RdfFormat.TURTLE)))

    assert sum(triples(c) for c in chunks) == triples(doc)
    whole = {str(t) for t in ox.parse(doc, format=ox.RdfFormat.TURTLE)
             if not isinstance(t.object, ox.BlankNode) and not isinstance(t.subject, ox.BlankNode)}
    parts = {str(t) for c in chunks for t in ox.parse(c, format=ox.RdfFormat.TURTLE)
             if not isinstance(t.object, ox.BlankNode) and not isinstance(t.subject, ox.BlankNode)}
    assert parts == whole
    # What a cut cannot keep: labelled blank nodes, directives after the header.
    assert _cut(doc + b"ex:z ex:p _:b .\n", ox.RdfFormat.TURTLE, 3)[0] != doc
    from ngo_ld.loading import split_for_parallel

    big = head + body * 30_000  # ~ 9 MB; a file this size is cut
    assert len(split_for_parallel(big, ox.RdfFormat.TURTLE, 2)) == 2
    assert split_for_parallel(big + b"ex:z ex:p _:b .\n", ox.RdfFormat.TURTLE, 2) == [
        big + b"ex:z ex:p _:b .\n"]
    late = big + b"@prefix t: <http://t/> .\nt:a t:b t:c .\n" + body * 30_000
    assert split_for_parallel(late, ox.RdfFormat.TURTLE, 2) == [late]
    nt = b"".join(b"<http://e/a%d> <http://e/p> \"%d\" .\n" % (i, i) for i in range(300_000))
    assert b"".join(split_for_parallel(nt, ox.RdfFormat.N_TRIPLES, 3)) == nt


def test_parallel_build_holds_the_same_quads(tmp_path: Path, base_settings: Settings,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The biggest file is cut (threshold lowered), loaded by 2 threads: the store holds
    exactly the quads of the one-file-at-a-time build, and the same count."""
    files = [p for p in source_files(base_settings)
             if p.name in ("organisations.ttl", "gaatw.ttl", "flare.ttl")]
    assert len(files) == 3
    serial = ox.Store()
    from ngo_ld.store import load_into

    load_into(serial, files, base_settings.base_iri)
    cut: list[int] = []
    real = backends.split_for_parallel

    def spy(data: bytes, fmt: ox.RdfFormat, parts: int) -> list[bytes]:
        from ngo_ld.loading import _cut

        chunks = _cut(data, fmt, parts) if b"_:" not in data else real(data, fmt, parts)
        cut.append(len(chunks))
        return chunks

    monkeypatch.setattr(backends, "MIN_CHUNK_BYTES", 1000)
    monkeypatch.setattr(backends, "split_for_parallel", spy)
    backends._build(files, tmp_path / "st", base_iri=base_settings.base_iri, version="v",
                    workers=2)
    assert cut == [2]
    built = ox.Store.read_only(str(tmp_path / "st"))
    assert quads_of(built) == quads_of(serial)
    recorded = json.loads((tmp_path / "st" / backends.VERSION_FILE).read_text())
    assert recorded["triples"] == len({q[:3] for q in quads_of(serial)})


def test_a_bad_cut_falls_back_to_loading_whole_files(tmp_path: Path, base_settings: Settings,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk cut inside a statement does not parse: the build starts over, file by file,
    and the store is the same as ever (no quad of a half-parsed chunk left behind)."""
    files = [p for p in source_files(base_settings)
             if p.name in ("organisations.ttl", "gaatw.ttl", "flare.ttl")]
    calls = []

    def bad_cut(data: bytes, fmt: ox.RdfFormat, parts: int) -> list[bytes]:
        calls.append(parts)
        middle = data.rfind(b";", 0, len(data) // 2) + 1
        assert middle > 0
        return [data[:middle], data[middle:]]

    monkeypatch.setattr(backends, "MIN_CHUNK_BYTES", 1000)
    monkeypatch.setattr(backends, "split_for_parallel", bad_cut)
    backends._build(files, tmp_path / "st", base_iri=base_settings.base_iri, version="v",
                    workers=2)
    serial = ox.Store()
    from ngo_ld.store import load_into

    load_into(serial, files, base_settings.base_iri)
    assert calls and quads_of(ox.Store.read_only(str(tmp_path / "st"))) == quads_of(serial)
    assert not list(tmp_path.glob("st.building-*"))


def test_concurrent_first_opens_build_the_store_once(tmp_path: Path) -> None:
    """Two processes (granian workers) open a missing store at once: one builds it."""
    settings = Settings(home=copy_home(tmp_path), store="disk", store_path=tmp_path / "st")
    code = ("import sys; from pathlib import Path; from ngo_ld import backends\n"
            "from ngo_ld.config import Settings\n"
            "real = backends._build\n"
            "def build(*a, **k):\n"
            "    print('built', flush=True); real(*a, **k)\n"
            "backends._build = build\n"
            f"s = Settings(home=Path({str(settings.home)!r}), store='disk', "
            f"store_path=Path({str(settings.store_path)!r}))\n"
            "print(len(backends.open_disk_store(s)))\n")
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=300)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum(out.count("built") for out in outs) == 1
    assert outs[0][-1] == outs[1][-1] == str(len(open_disk_store(settings)))
