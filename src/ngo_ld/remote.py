"""The remote store backend: any SPARQL 1.1 endpoint (Oxigraph server, Apache Jena Fuseki,
Virtuoso, QLever…) at ``Settings.remote_query_url``, queried with an HTTP POST (SPARQL 1.1
Protocol, ``application/sparql-query``) through the standard library, so the backend adds
no runtime dependency. The endpoint's default graph must be the union of the named graphs
(``oxigraph serve-read-only --union-default-graph``; Fuseki ``tdb2:unionDefaultGraph``), as
it is in the embedded stores. The Flask front then holds no data, and any number of fronts
can run behind a load balancer (docs/deployment.md).
"""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from typing import IO

import pyoxigraph as ox

from .config import Settings
from .errors import ConfigError, QueryError, QueryTimeout
from .loading import content_hash, source_files
from .namespaces import sparql_prologue
from .sparql import NO_GRAPH
from .store import QueryAnswer


class RemoteStoreError(QueryError):
    """The remote endpoint could not be reached or answered with an error of its own."""

    status = 502


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


__all__ = ["RemoteStore", "RemoteStoreError", "open_remote_store"]
