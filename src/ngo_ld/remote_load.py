"""``ngo-ld load-remote``: put a release into the engine behind a remote store, in one step.

Each source file goes into its own named graph (the graphs the embedded stores use), and a
small marker graph records which release that is, so that every front can check at start
that the engine holds the release it serves (:meth:`ngo_ld.remote.RemoteStore.check_release`).
The files are parsed here, with the same base IRI as the embedded stores, and sent as
N-Triples: every engine reads them alike (no Turtle-dialect or relative-IRI surprises).

Two routes:

* the SPARQL 1.1 Graph Store Protocol (``PUT ?graph=…``): Oxigraph's ``oxigraph serve``
  (``/store``), Fuseki (``/ds/data``) and any engine that speaks it;
* Virtuoso's bulk loader through ``isql`` (``ld_add`` then ``rdf_loader_run``): the
  N-Triples files are written to a folder that Virtuoso may read (``DirsAllowed`` in its
  ``virtuoso.ini``), which is the one permission step; the public ``/sparql`` endpoint
  keeps no write permission at all.
"""

from __future__ import annotations

import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .config import Settings
from .errors import ConfigError, UpstreamError
from .loading import content_hash, source_files
from .remote import RELEASE_GRAPH_STEM, RELEASE_VERSION
from .store import graph_names, load_into


@dataclass(frozen=True)
class Release:
    """The release as the engine will hold it: each graph's N-Triples, marker included."""

    version: str
    graphs: dict[str, bytes]  # graph IRI -> N-Triples
    triples: int  # in the release's graphs, marker excluded


def release(settings: Settings) -> Release:
    """The local source files as N-Triples per named graph, plus the release marker.

    :raises LoadError: a file does not parse (file and line named).
    """
    files = source_files(settings)
    if not files:
        raise ConfigError(f"no source files under {settings.home}",
                          hint="run from a checkout, or give --home")
    names = graph_names(files, settings.base_iri)
    graphs: dict[str, bytes] = {}
    count = 0
    for path in files:
        store = ox.Store()
        load_into(store, [path], settings.base_iri)  # LoadError with file and line
        count += len(store)
        graphs[names[path]] = ox.serialize(
            (q.triple for q in store.quads_for_pattern(None, None, None, None)),
            format=ox.RdfFormat.N_TRIPLES) or b""
    version = content_hash(files)
    marker = f"{settings.base_iri}graph/{RELEASE_GRAPH_STEM}"
    graphs[marker] = f'<{marker}> <{RELEASE_VERSION}> "{version}" .\n'.encode()
    return Release(version, graphs, count)


def load_graph_store(release: Release, store_url: str, *, timeout: float = 300.0) -> None:
    """``PUT`` each graph to a Graph Store Protocol endpoint (replacing what it held).

    :raises UpstreamError: the endpoint cannot be reached or refuses a graph.
    """
    if urllib.parse.urlsplit(store_url).scheme not in ("http", "https"):
        raise ConfigError(f"the graph store URL must be http(s), not {store_url!r}")
    for graph, body in release.graphs.items():
        target = store_url + ("&" if "?" in store_url else "?") + urllib.parse.urlencode(
            {"graph": graph})
        request = urllib.request.Request(target, data=body, method="PUT", headers={
            "Content-Type": "application/n-triples", "User-Agent": "ngo-ld"})
        try:
            urllib.request.urlopen(request, timeout=timeout).close()
        except urllib.error.HTTPError as exc:
            detail = exc.read(500).decode("utf-8", "replace").strip()
            exc.close()
            raise UpstreamError(f"{store_url} refused graph {graph} ({exc.code}): {detail}",
                                hint="give the engine's writable Graph Store endpoint "
                                "(Oxigraph: `oxigraph serve`, /store; Fuseki: /ds/data)"
                                ) from None
        except OSError as exc:
            reason = getattr(exc, "reason", exc)
            raise UpstreamError(f"cannot reach the graph store {store_url}: {reason}",
                                hint="check the URL and that the engine is up") from None


def virtuoso_script(release: Release, files: dict[str, Path]) -> str:
    """The isql script that replaces the release's graphs with ``files`` (graph → file)."""
    def quoted(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    lines = [f"SPARQL CLEAR GRAPH <{graph}>;" for graph in release.graphs]
    lines += [f"DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file = {quoted(str(p))};"
              for p in files.values()]
    lines += [f"ld_add({quoted(str(path))}, {quoted(graph)});" for graph, path in files.items()]
    lines += ["rdf_loader_run();", "checkpoint;"]
    files_list = ", ".join(quoted(str(p)) for p in files.values())
    lines.append("SELECT 'LOAD-ERROR', ll_file, ll_error FROM DB.DBA.LOAD_LIST "
                 f"WHERE ll_error IS NOT NULL AND ll_file IN ({files_list});")
    return "\n".join(lines) + "\n"


def load_virtuoso(release: Release, address: str, load_dir: Path, *, user: str = "dba",
                  password: str = "dba", isql: str | None = None,
                  timeout: float = 600.0) -> None:
    """Write the graphs to ``load_dir`` and load them with Virtuoso's bulk loader.

    :raises ConfigError: no isql program, or ``load_dir`` cannot be written.
    :raises UpstreamError: isql cannot connect, or Virtuoso refuses a file (the usual
        cause: ``load_dir`` is not in ``DirsAllowed``).
    """
    program = isql or shutil.which("isql-vt") or shutil.which("isql")
    if program is None:
        raise ConfigError("Virtuoso's isql program is not installed (isql-vt on Debian)",
                          hint="apt-get install virtuoso-opensource, or give --isql")
    load_dir = load_dir.resolve()
    files: dict[str, Path] = {}
    try:
        load_dir.mkdir(parents=True, exist_ok=True)
        for index, (graph, body) in enumerate(release.graphs.items()):
            path = load_dir / f"ngo-ld-{index:03d}-{graph.rsplit('/', 1)[-1]}.nt"
            path.write_bytes(body)
            files[graph] = path
    except OSError as exc:
        raise ConfigError(f"cannot write the load folder {load_dir}: {exc.strerror}",
                          hint="give --load-dir a folder Virtuoso may read") from None
    try:
        done = subprocess.run([program, address, user, password, "VERBOSE=OFF",
                               "BANNER=OFF", "PROMPT=OFF"],
                              input=virtuoso_script(release, files), capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise UpstreamError(f"Virtuoso at {address} did not finish loading in {timeout:g} s"
                            ) from None
    output = done.stdout + done.stderr
    problems = [line.strip() for line in output.splitlines()
                if "*** Error" in line or "LOAD-ERROR" in line or "Connect failed" in line]
    if done.returncode != 0 or problems:
        first = problems[0] if problems else output.strip()[-300:]
        raise UpstreamError(f"Virtuoso at {address} did not load the release: {first}",
                            hint="check the isql port (ServerPort), user and password, "
                            f"and that Virtuoso may read {load_dir} (DirsAllowed in "
                            "virtuoso.ini)")


__all__ = ["Release", "load_graph_store", "load_virtuoso", "release", "virtuoso_script"]
