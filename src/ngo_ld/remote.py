"""The remote store backend: any SPARQL 1.1 endpoint (Oxigraph server, Apache Jena Fuseki,
Virtuoso, QLever…) at ``Settings.remote_query_url``. The Flask front then holds no data,
and any number of fronts can run behind a load balancer (docs/deployment.md).

The protocol is spoken the way every engine accepts, because each rejects some of what the
SPARQL 1.1 Protocol allows (Virtuoso 7 never answers a direct ``application/sparql-query``
POST, answers CONSTRUCT in a results table unless asked otherwise, and takes one ``BASE``
only before any ``PREFIX``):

* every query is a form POST (``application/x-www-form-urlencoded``);
* ``Accept`` follows the query form: SPARQL results for SELECT/ASK, N-Triples (or Turtle)
  for CONSTRUCT/DESCRIBE;
* one prologue line comes first: the endpoint's ``BASE`` (unless the client's query
  declares its own), then the project prefixes;
* the release's graphs (one per local source file) are named as ``default-graph-uri`` and
  ``named-graph-uri`` whenever the client names none, so an engine's own graphs (Virtuoso's
  ``virtrdf#``, DAV, service description) never reach an answer or a count, whatever the
  engine's default graph is.

The standard library speaks HTTP, so the backend adds no runtime dependency. Every failure
of the engine is an :class:`~ngo_ld.errors.UpstreamError` (502) or, for a timeout in any
wording, an :class:`~ngo_ld.errors.UpstreamTimeout` (503 with ``Retry-After``).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import io
import math
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from .config import Settings
from .errors import ConfigError, QueryError, UpstreamError, UpstreamTimeout
from .loading import content_hash, source_files
from .namespaces import sparql_prologue
from .sparql import NO_GRAPH, scan
from .store import QueryAnswer, graph_names

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
_ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
#: Virtuoso 7 answers ASK with a one-column table of this variable (1 = true, no row or 0
#: = false) instead of a boolean.
_VIRTUOSO_ASK = "__ASK_RETVAL"

#: The graph ``ngo-ld load-remote`` writes beside the release: which release the engine
#: holds. Never one of the release's graphs, so never part of an answer.
RELEASE_GRAPH_STEM = "ngo-ld-release"
RELEASE_VERSION = "http://purl.org/dc/terms/hasVersion"

#: The endpoint's BASE that ngo_ld.web.sparql puts on the first line of a client's query.
_LEADING_BASE = re.compile(r"\ABASE\s*<([^<>\s]*)>[ \t]*\n")
_PREFIXES = " ".join(sparql_prologue().splitlines())
_POSITION = re.compile(r"\b(at|line) (\d+)")
#: How engines say "time limit": Fuseki "Query timed out", Oxigraph "timeout", Virtuoso
#: "S1T00 … timed out", "SR171: Transaction timed out", "estimated execution time … exceeds".
_TIMEOUT_WORDING = re.compile(r"time[d ]?\s*out|timeout|S1T00|S1TAT|estimated execution time",
                              re.IGNORECASE)


def _unshift(message: str) -> str:
    """An engine's error position, moved back over the one prologue line."""
    return _POSITION.sub(lambda m: f"{m[1]} {max(1, int(m[2]) - 1)}", message, count=1)


def with_prologue(sparql: str) -> str:
    r"""``sparql`` behind ONE prologue line: a ``BASE`` first — the client's own if its
    query declares one (moved here; blanked where it stood, so every other line and column
    stays put), else the endpoint's leading ``BASE`` line — then the project prefixes (a
    query's own PREFIX lines come later and win). Error positions the engine reports are
    then one line below the client's (:func:`_unshift`).

    >>> with_prologue("BASE <http://e/sparql>\nASK {}").split(" PREFIX ")[0]
    'BASE <http://e/sparql>'
    >>> with_prologue("BASE <http://e/sparql>\nBASE <http://mine/> ASK {}").split(" PREFIX ")[0]
    'BASE <http://mine/>'
    """
    base = ""
    leading = _LEADING_BASE.match(sparql)
    if leading is not None:
        base, sparql = leading[1], sparql[leading.end():]
    own = scan(sparql).base
    if own is not None:
        declared = re.search(r"BASE\s*<" + re.escape(own) + ">", sparql, re.IGNORECASE)
        if declared is not None:
            base = own
            sparql = (sparql[:declared.start()] + re.sub(r"\S", " ", declared[0])
                      + sparql[declared.end():])
    return f"BASE <{base}> {_PREFIXES}\n{sparql}" if base else f"{_PREFIXES}\n{sparql}"


def _ask_answer(answer: QueryAnswer) -> QueryAnswer:
    """Virtuoso's ASK table as the boolean it stands for; any other answer unchanged."""
    if not isinstance(answer, ox.QuerySolutions):
        return answer
    if [v.value for v in answer.variables] != [_VIRTUOSO_ASK]:
        return answer
    truth = any(row[_VIRTUOSO_ASK] is not None and  # type: ignore[index]
                row[_VIRTUOSO_ASK].value in ("1", "true") for row in answer)  # type: ignore[index]
    return ox.parse_query_results(b'{"head":{},"boolean":%s}' % (b"true" if truth else b"false"),
                                  format=ox.QueryResultsFormat.JSON)


class RemoteStore:
    """A SPARQL 1.1 endpoint as a :class:`~ngo_ld.store.GraphStore`.

    Opening one makes no network call, so a front starts even while the engine is down
    (and answers 502 and ``/healthz`` 503 until it is back). ``version`` is computed at its
    first use, from the data alone (never from the URL a front reaches the engine by): see
    :attr:`version`.
    """

    #: Queries run on another machine under its own limits; the front need not isolate
    #: them in a child process (the HTTP call has a deadline of its own).
    isolated_execution = False

    def __init__(self, url: str, *, base_iri: str, timeout: float,
                 graphs: Sequence[str] = (), local_version: str | None = None,
                 query_timeout: float | None = None) -> None:
        self.url = url
        self.base_iri = base_iri
        #: The release's graphs, named in every query whose client names none.
        self.graphs = tuple(graphs)
        self.local_version = local_version
        #: For whole-dataset reads (dumps, the triple count): ``Settings.remote_timeout``.
        self.timeout = timeout
        #: For queries: ``Settings.query_timeout``.
        self.query_timeout = timeout if query_timeout is None else query_timeout
        self._length: int | None = None
        self._version: str | None = None

    # --- the one HTTP call ------------------------------------------------------------

    def _post(self, sparql: str, params: Sequence[tuple[str, str]], accept: str,
              timeout: float) -> tuple[str, http.client.HTTPResponse]:
        """POST ``sparql`` as a form; the response, once its headers are in.

        :raises UpstreamTimeout: no answer within ``timeout`` seconds, or the engine says
            it stopped the query (in any wording).
        :raises UpstreamError: the engine is unreachable or failed on its side.
        :raises QueryError: the engine rejected the query (400).
        """
        form = urllib.parse.urlencode([("query", sparql), *params]).encode("utf-8")
        request = urllib.request.Request(
            self.url, data=form, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": accept, "User-Agent": "ngo-ld"})
        try:
            response = urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            detail = _read_detail(exc)
            if exc.code == 400:
                raise QueryError(_unshift(detail) or "the endpoint rejected the query") from None
            if _TIMEOUT_WORDING.search(detail) or exc.code == 504:
                raise self._timeout(f"the remote endpoint stopped the query ({exc.code}): "
                                    f"{detail[:300]}") from None
            raise UpstreamError(f"the remote endpoint answered {exc.code}: {detail[:300]}",
                                hint="check the remote SPARQL endpoint") from None
        except TimeoutError:
            raise self._timeout(f"no answer from the remote endpoint in {timeout:g} s"
                                ) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise self._timeout(f"no answer from the remote endpoint in {timeout:g} s"
                                    ) from None
            raise UpstreamError(f"cannot reach the remote endpoint {self.url}: {reason}",
                                hint="check NGO_LD_REMOTE_QUERY_URL and that the "
                                "endpoint is up") from None
        # Virtuoso's "anytime" queries: at its time limit it sends what it has so far, as
        # a 200, and says so only in a header. A partial answer is not an answer.
        state = response.headers.get("X-SQL-State") or ""
        if _TIMEOUT_WORDING.search(state):
            response.close()
            raise self._timeout("the remote endpoint stopped the query at its time limit "
                                f"({state}: {response.headers.get('X-SQL-Message', '')})")
        media = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return media, response

    def _timeout(self, message: str) -> UpstreamTimeout:
        return UpstreamTimeout(message, hint="simplify the query or add LIMIT; if the "
                               "endpoint is overloaded, try again later",
                               retry_after=max(1, math.ceil(self.query_timeout)))

    def _fetch(self, sparql: str, params: Sequence[tuple[str, str]], accept: str,
               timeout: float) -> tuple[str, bytes]:
        """The whole body, read within ``timeout`` seconds in all (not per read: an
        endpoint that drips its answer cannot hold a request longer than the limit)."""
        deadline = time.monotonic() + timeout
        media, response = self._post(sparql, params, accept, timeout)
        with response, self._reading(timeout):
            return media, _BeforeDeadline(response, deadline).readall()

    @contextlib.contextmanager
    def _reading(self, timeout: float) -> Iterator[None]:
        """A body's reading failures as what they are: past the deadline, an
        UpstreamTimeout; cut off, an UpstreamError."""
        try:
            yield
        except TimeoutError:
            raise self._timeout(f"no complete answer from the remote endpoint in "
                                f"{timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise UpstreamError(f"the remote endpoint broke off its answer: {exc}",
                                hint="check the remote SPARQL endpoint") from None

    # --- GraphStore ---------------------------------------------------------------------

    def _dataset(self, default_graphs: Sequence[str], named_graphs: Sequence[str]
                 ) -> list[tuple[str, str]]:
        """The dataset as protocol parameters. Only the release's graphs are named to the
        engine (any other IRI becomes an empty graph, as in the embedded stores), so no
        engine is asked about a graph it might fetch; what the client leaves out is the
        whole release, as in the embedded stores."""
        def local(graphs: Sequence[str]) -> list[str]:
            if not graphs:
                return list(self.graphs)
            return [g if g in self.graphs else NO_GRAPH for g in graphs]

        return ([("default-graph-uri", g) for g in local(default_graphs)]
                + [("named-graph-uri", g) for g in local(named_graphs)])

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryAnswer:
        return self._query(sparql, self._dataset(default_graphs, named_graphs),
                           self.query_timeout)

    def _query(self, sparql: str, dataset: Sequence[tuple[str, str]], timeout: float
               ) -> QueryAnswer:
        form = scan(sparql).form
        accept = _ACCEPT_GRAPH if form in ("CONSTRUCT", "DESCRIBE") else _ACCEPT_RESULTS
        media, body = self._fetch(with_prologue(sparql), dataset, accept, timeout)
        try:
            if media in _RESULT_TYPES:
                answer = ox.parse_query_results(body, format=_RESULT_TYPES[media])
                return _ask_answer(answer) if form == "ASK" else answer
            if media in _GRAPH_TYPES:
                # A real QueryTriples, so callers serialize it as they do a local answer.
                scratch = ox.Store()
                scratch.extend(ox.Quad(t.subject, t.predicate, t.object)
                               for t in ox.parse(body, format=_GRAPH_TYPES[media]))
                return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        except SyntaxError as exc:
            raise UpstreamError(f"the remote endpoint sent unreadable {media}: {exc}") from None
        raise UpstreamError(f"the remote endpoint answered in {media or 'no media type'}, "
                            "which ngo-ld cannot read")

    def triples(self) -> Iterator[ox.Triple]:
        """Every distinct triple of the release's graphs, streamed: the N-Triples answer is
        parsed while it arrives, all of it within ``timeout`` seconds (not per read)."""
        deadline = time.monotonic() + self.timeout
        media, response = self._post(with_prologue("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
                                     self._dataset((), ()), "application/n-triples",
                                     self.timeout)
        with response, self._reading(self.timeout):
            fmt = _GRAPH_TYPES.get(media)
            if fmt is None:
                raise UpstreamError(f"the remote endpoint answered CONSTRUCT in {media}")
            seen: set[ox.Triple] = set()
            for quad in ox.parse(_BeforeDeadline(response, deadline), format=fmt):
                if quad.triple not in seen:
                    seen.add(quad.triple)
                    yield quad.triple

    def graph_names(self) -> list[str]:
        return sorted(self.graphs)

    def __len__(self) -> int:
        if self._length is None:
            # A DISTINCT subquery, not COUNT(DISTINCT *): every engine reads it alike.
            answer = self._query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                                 "WHERE { ?s ?p ?o } }", self._dataset((), ()), self.timeout)
            self._length = int(next(iter(answer))["n"].value)  # type: ignore[call-overload, index]
        return self._length

    # --- what the endpoint holds ---------------------------------------------------------

    @property
    def release_graph(self) -> str:
        return f"{self.base_iri}graph/{RELEASE_GRAPH_STEM}"

    def held_release(self) -> str | None:
        """The release marker the endpoint holds (``ngo-ld load-remote`` writes it), or
        None if it has none."""
        marker = f"<{self.release_graph}> <{RELEASE_VERSION}> ?v"
        answer = self._query(f"SELECT ?v WHERE {{ {marker} }}",
                             [("default-graph-uri", self.release_graph),
                              ("named-graph-uri", NO_GRAPH)], self.timeout)
        values = [row["v"].value for row in answer]  # type: ignore[union-attr, index]
        return values[0] if values else None

    @property
    def version(self) -> str:
        """The release id: when the endpoint holds this front's release, its content hash
        (the marker ``ngo-ld load-remote`` writes), the id the embedded stores report for
        the same files, so a deployer can match ``/healthz`` against what was loaded and
        every front, whatever URL it reaches the engine by, sends the same ETags. Otherwise
        a hash of both releases (or, with no marker, of this front's release and the
        endpoint's triple count), so such a front never shares ETags with a right one.
        """
        if self._version is None:
            held = self.held_release()
            if held is not None and held == self.local_version:
                self._version = held
            else:
                basis = f"{self.local_version or '-'}|{held or f'count {len(self)}'}"
                self._version = hashlib.sha256(basis.encode()).hexdigest()[:16]
        return self._version

    def check_release(self) -> str | None:
        """None when the endpoint holds this front's release; otherwise one line that says
        what is wrong and how to fix it.

        :raises UpstreamError: the endpoint cannot be reached.
        """
        held = self.held_release()
        if self.local_version is None or held == self.local_version:
            return None
        fix = "load it with `ngo-ld load-remote` (docs/deployment.md), then restart the fronts"
        if held is None:
            return (f"the endpoint {self.url} carries no release marker, so ngo-ld "
                    f"cannot tell whether it holds release {self.local_version}; {fix}")
        return (f"the endpoint {self.url} holds release {held}, not this front's "
                f"release {self.local_version}; {fix}")

    def ping(self) -> None:
        """Raise unless the endpoint answers a trivial query now (``/healthz``).

        :raises UpstreamError: it does not (an UpstreamTimeout if it does not in time).
        """
        self._fetch("ASK {}", [("default-graph-uri", NO_GRAPH)], _ACCEPT_RESULTS,
                    min(self.query_timeout, 5.0))


def _read_detail(exc: urllib.error.HTTPError) -> str:
    """The engine's error message, without the copy of the whole query Virtuoso appends
    (its options, every graph IRI, the prefixes)."""
    try:
        text = exc.read(2000).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return ""
    finally:
        exc.close()  # it holds the connection
    return text.split("\nSPARQL query:", 1)[0].strip()


class _BeforeDeadline(io.RawIOBase):
    """``response``'s body, each read bounded by what is left until ``deadline`` (urllib
    sets one timeout for every read, so a body dripped byte by byte would never end):
    past it, reads raise TimeoutError."""

    def __init__(self, response: http.client.HTTPResponse, deadline: float) -> None:
        self.response = response
        self.deadline = deadline
        sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
        self.sock = sock if isinstance(sock, socket.socket) else None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.response.isclosed():  # the whole body is in (its socket may be closed)
            return 0
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        if self.sock is not None:
            self.sock.settimeout(left)
        data = self.response.read1(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def open_remote_store(settings: Settings) -> RemoteStore:
    """A store that forwards every query to ``settings.remote_query_url``. Makes no
    network call (see :meth:`RemoteStore.check_release` for the start-up check).

    :raises ConfigError: no URL is set, or it is not http(s).
    :raises LoadError: a local source file is of an unknown type.
    """
    url = settings.remote_query_url
    if not url:
        raise ConfigError("the remote backend needs the query URL of a SPARQL endpoint",
                          hint="set NGO_LD_REMOTE_QUERY_URL, e.g. http://127.0.0.1:7878/query")
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ConfigError(f"NGO_LD_REMOTE_QUERY_URL must be an http(s) URL, not {url!r}")
    files = source_files(settings)
    return RemoteStore(url, base_iri=settings.base_iri, timeout=settings.remote_timeout,
                       query_timeout=settings.query_timeout,
                       graphs=list(graph_names(files, settings.base_iri).values()),
                       local_version=content_hash(files) if files else None)


def check_remote(settings: Settings) -> str | None:
    """Once, before a server starts its workers: the endpoint answers, and the one-line
    warning of :meth:`RemoteStore.check_release` if it holds another release.

    :raises UpstreamError: the endpoint cannot be reached (the server must not start).
    """
    return open_remote_store(settings).check_release()


__all__ = ["RELEASE_GRAPH_STEM", "RemoteStore", "check_remote", "open_remote_store",
           "with_prologue"]
