"""The answer to a SPARQL query, from the request's facts to bytes: no HTTP framework.

The Flask route and the front door's direct path (ngo_ld.web.sparql) both call
:meth:`QueryService.answer`; it raises the project's errors, which ngo_ld.web.errors turns
into statuses. In order, a request goes:

1. to the answer remembered for the same request (data version, query, dataset, Accept,
   ``format`` values): no guard, no slot, no process, so a remembered answer never waits
   behind running queries;
2. through the guards (ngo_ld.sparql) and the negotiation of the answer's format;
3. past admission (ngo_ld.admission): a free query slot and the client's share, else
   refused at once with 503 or 429;
4. to a query process (ngo_ld.executor), under the time limit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from .admission import QueryAdmission
from .cache import BoundedCache
from .config import Settings
from .errors import NotAcceptable, QueryError
from .executor import Executor, Job, Outcome
from .formats import (
    GRAPH_FORMATS,
    HTML,
    RESULT_FORMATS,
    SPARQL_JSON,
    Format,
    by_name,
    by_token,
    negotiate,
    without_parameters,
)
from .service_description import graph_sizes
from .sparql import is_volatile, prepare, syntax_message
from .store import GraphStore

#: Names of HTML in ``?format=``, and the media types that count as asking for a page.
HTML_NAMES = ("html", "text/html")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Every machine format a query's answer is offered as, by media type and alias.
_MACHINE_TYPES = tuple(dict.fromkeys(
    m for f in (*RESULT_FORMATS, *GRAPH_FORMATS) for m in (f.media_type, *f.aliases)))


@dataclass(frozen=True)
class Choices:
    """What a request's ``Accept`` and ``format`` values ask for."""

    html: bool  # the answer goes to a browser, as the query page
    results: Format | None  # for SELECT and ASK (None: nothing acceptable)
    graph: Format | None  # for CONSTRUCT and DESCRIBE


def known_override(values: tuple[str, ...]) -> bool:
    return any(by_name(v, (*RESULT_FORMATS, *GRAPH_FORMATS)) is not None for v in values)


def _from_override(values: tuple[str, ...], offered: tuple[Format, ...]) -> Format | None:
    for value in values:
        fmt = by_name(value, offered)
        if fmt is not None:
            return fmt
    return None


@lru_cache(maxsize=1024)
def choices(accept_header: str | None, values: tuple[str, ...]) -> Choices:
    """The :class:`Choices` of a raw ``Accept`` header and ``format`` values (lower-case).

    A pure function, remembered per pair: parsing and matching the header costs more than a
    small query. Parameters (``;charset=utf-8``, a JSON-LD profile) never change the
    choice. ``format`` values that name no format make nothing acceptable. HTML is
    chosen by ``format=html``, or with no other known ``format`` by an
    Accept header that names ``text/html`` itself (``*/*`` is not enough) with a quality at
    least that of every machine format (a browser's ``text/html,…,*/*;q=0.8``).
    """
    if values and not known_override(values) and not any(v in HTML_NAMES for v in values):
        # A format nothing is offered in: nothing is acceptable (406), as on every other
        # resource of the site, rather than an answer in a format nobody asked for.
        return Choices(False, None, None)
    accept = without_parameters(parse_accept_header(accept_header, MIMEAccept))
    overridden = bool(values) and known_override(values)
    if overridden:
        results = _from_override(values, RESULT_FORMATS)
        graph = _from_override(values, GRAPH_FORMATS)
    else:
        results = negotiate(accept, RESULT_FORMATS)
        graph = negotiate(accept, GRAPH_FORMATS)
    if any(v in HTML_NAMES for v in values):
        html = True
    elif overridden:
        html = False
    else:
        quality = max((q for value, q in accept if value in _HTML_TYPES), default=0)
        html = quality > 0 and quality >= max(accept.quality(m) for m in _MACHINE_TYPES)
    return Choices(html, results, graph)


def description_format(accept: MIMEAccept, values: tuple[str, ...]) -> Format:
    """The format of the service description (HTML is the query page).

    :raises NotAcceptable: nothing offered fits, or ``values`` name no format offered.
    """
    offered = (*GRAPH_FORMATS, HTML)
    if any(v in HTML_NAMES for v in values):
        return HTML
    fmt = ((_from_override(values, GRAPH_FORMATS) if known_override(values) else None)
           if values else negotiate(accept, offered))
    if fmt is None:
        raise NotAcceptable([f.media_type for f in offered])
    return fmt


@dataclass(frozen=True)
class QueryAnswer:
    """A successful answer: the outcome (its bytes), and how it came to be."""

    outcome: Outcome
    cached: bool
    volatile: bool

    @property
    def format(self) -> Format:
        return by_token(self.outcome.format or "")  # type: ignore[return-value]

    def headers(self, max_rows: int) -> list[tuple[str, str]]:
        """The headers beyond Content-Type, Content-Length, Vary and CORS."""
        headers = [("X-SPARQL-Cache", "hit" if self.cached else "miss")]
        if self.volatile:
            headers.append(("Cache-Control", "no-store"))  # the front door respects it too
        if self.outcome.truncated:
            what = "rows" if self.outcome.kind == "results" else "triples"
            headers += [
                ("X-SPARQL-Truncated", "true"),
                ("X-SPARQL-Max-Rows", str(max_rows)),
                ("Warning", f'199 - "result truncated to the first {max_rows} {what}"'),
            ]
        return headers


class QueryService:
    """Per-application state of the endpoint: query processes, admission, remembered
    outcomes."""

    def __init__(self, store: GraphStore, settings: Settings,
                 executor: Executor | None = None) -> None:
        self.store = store
        self.settings = settings
        self.executor = executor or Executor(
            store, size=settings.query_workers, timeout=settings.query_timeout,
            memory_mb=settings.query_memory_mb, hard_limit=settings.query_hard_limit,
            niceness=settings.query_niceness)
        self.admission = QueryAdmission(
            slots=settings.query_workers, per_client=settings.client_queries,
            seconds_per_minute=settings.client_query_seconds,
            query_timeout=settings.query_timeout)
        # Only what is asked for twice: most queries are asked once, and remembering each
        # would cost an insertion and an eviction per request.
        self.cache: BoundedCache[Outcome] = BoundedCache(
            settings.query_cache_entries, settings.query_cache_bytes,
            admit_on_second_request=True)
        self._sizes: tuple[str, dict[str, int]] | None = None
        self._sizes_lock = threading.Lock()

    def answer(self, query: str, *, default_graphs: tuple[str, ...] = (),
               named_graphs: tuple[str, ...] = (), values: tuple[str, ...] = (),
               accept: str | None = None, client: str = "-", html: bool = False
               ) -> QueryAnswer:
        """Guard, negotiate and run ``query`` for one request (for ``html``: in SPARQL
        JSON or N-Triples, the formats the results page reads).

        :raises NgoLdError: refused, malformed, over a share or the slots, too slow, or
            not answerable in an acceptable format.
        """
        # The same request again (same data, query, dataset, Accept and format values)
        # gets the same answer. Not so NOW(), RAND() and the like: never remembered.
        volatile = is_volatile(query)
        key = None if volatile else (
            self.store.version, query, default_graphs, named_graphs,
            "<html>" if html else (accept or ""), values)
        hit = self.cache.get(key) if key is not None else None
        if hit is not None:
            return QueryAnswer(hit, True, volatile)
        job = self._job(query, default_graphs, named_graphs, values, accept, html)
        with self.admission.admit(client):
            outcome = self.executor.run(job)
        raise_for(outcome, query)
        if key is not None:
            self.cache.put(key, outcome, _weight(key, outcome))
        return QueryAnswer(outcome, False, volatile)

    def _job(self, query: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...],
             values: tuple[str, ...], accept: str | None, html: bool) -> Job:
        settings = self.settings
        prepared = prepare(query, default_graphs=default_graphs, named_graphs=named_graphs,
                           max_length=settings.max_query_length,
                           max_nesting=settings.max_nesting, max_rows=settings.max_result_rows)
        results: Format | None
        graph: Format | None
        if html:
            results, graph = SPARQL_JSON, by_token("ntriples")
        else:
            chosen = choices(accept, values)
            results, graph = chosen.results, chosen.graph
        if prepared.form in ("SELECT", "ASK") and results is None:
            raise NotAcceptable([f.media_type for f in RESULT_FORMATS])
        if prepared.form in ("CONSTRUCT", "DESCRIBE") and graph is None:
            raise NotAcceptable([f.media_type for f in GRAPH_FORMATS])
        # Relative IRIs resolve against the endpoint's canonical IRI (the service-defined
        # base of SPARQL 1.1 Protocol §2.1.1); a BASE in the query's own prologue wins.
        base = f"BASE <{settings.base_iri}sparql>\n"
        return Job(
            text=base + (prepared.run_text or prepared.text),
            original=base + prepared.text,
            default_graphs=prepared.default_graphs,
            named_graphs=prepared.named_graphs,
            results_format=results.token if results else None,
            graph_format=graph.token if graph else None,
            max_rows=settings.max_result_rows,
            count_rows=prepared.count_rows,
            truncated_text=base + prepared.truncated_text if prepared.truncated_text else None,
            max_bytes=settings.max_answer_bytes,
        )

    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph (for the service description), once per data version."""
        with self._sizes_lock:
            if self._sizes is None or self._sizes[0] != self.store.version:
                self._sizes = (self.store.version, graph_sizes(self.store))
            return self._sizes[1]


def _weight(key: tuple[object, ...], outcome: Outcome) -> int:
    """Roughly what an entry holds: its body and the strings of its key."""
    return len(outcome.body) + sum(len(k) for k in key if isinstance(k, str))


def raise_for(outcome: Outcome, query: str) -> None:
    """Nothing for a successful outcome; otherwise the error to answer with."""
    if outcome.status == "ok":
        return
    if outcome.status == "syntax":
        message, pointer = syntax_message(Exception(outcome.message), query, line_offset=1)
        raise QueryError(message + (f"\n{pointer}" if pointer else ""),
                         hint="see the SPARQL 1.1 grammar: "
                         "https://www.w3.org/TR/sparql11-query/#grammar")
    if outcome.status == "not-acceptable":
        offered = RESULT_FORMATS if outcome.kind == "results" else GRAPH_FORMATS
        raise NotAcceptable([f.media_type for f in offered])
    if outcome.status == "too-large":
        raise QueryError(outcome.message, hint="add a LIMIT, or select fewer or shorter "
                         "values")
    raise QueryError(f"the query could not be evaluated: {outcome.message}")
