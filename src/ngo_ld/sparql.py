"""Query preparation and guards: what the endpoint checks before a query runs.

Everything here is pure and fast (no store, no Flask). :func:`scan` reads a SPARQL request
with a real lexical scan — comments, short and long strings, IRIs, prefixed names, variables,
language tags and blank-node labels are skipped, so a ``SERVICE`` inside a string or an IRI is
not a keyword — and reports what the guards need:

* the query form (SELECT / ASK / CONSTRUCT / DESCRIBE, or UPDATE), so the result format is
  negotiated before the query runs;
* update keywords (the endpoint is read-only);
* ``SERVICE`` (pyoxigraph *does* contact the network for it, so it is refused before
  execution; ``FROM`` / ``FROM NAMED`` are answered from local graphs only);
* the nesting depth of ``{ ( [`` (pyoxigraph overflows its stack on a few thousand nested
  groups, so deep queries are refused);
* the dataset clauses (``FROM`` / ``FROM NAMED``) and the top-level ``LIMIT``.

:func:`prepare` turns a request into a :class:`PreparedQuery` or raises the error the client
should see. The SELECT result-size limit is enforced by :func:`with_limit`, which adds (or
lowers) the top-level ``LIMIT`` so the engine stops producing rows early.

>>> scan('SELECT * { ?s ?p "SERVICE <http://x/> {}" }').uses_service
False
>>> scan('select * { service <http://x/> { ?s ?p ?o } }').uses_service
True
>>> scan('PREFIX load: <http://x/> ASK { load:a ?p ?o }').form
'ASK'
>>> scan('CLEAR ALL').update_keywords
('CLEAR',)
>>> with_limit('SELECT * { ?s ?p ?o } # no limit', 11)
'SELECT * { ?s ?p ?o } # no limit\\nLIMIT 11\\n'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

from .errors import QueryError, QueryRefused, QueryTooLarge
from .namespaces import PREFIXES

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: Keywords that exist only in SPARQL Update (never in a query).
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH",
     "USING"}
)
#: A graph IRI that names no graph: an empty default graph or an empty set of named graphs.
NO_GRAPH = "urn:x-ngo-ld:no-graph"

READ_ONLY_MESSAGE = (
    "this endpoint is read-only; update operations (INSERT/DELETE/LOAD/CLEAR/DROP/CREATE/"
    "ADD/MOVE/COPY) are refused"
)

# One alternation, tried at each position; the first alternative that matches wins.
# Unterminated strings run to the end of the line (short) or of the text (long), so the
# scanner never fails and never looks inside what a parser would read as a string.
# White space and comments before a token are skipped by the same match (they are never
# reported), which halves the matches of a typical query.
_TOKEN = re.compile(
    r"""
    (?:[ \t\r\n]+|\#[^\r\n]*)*
    (?:
    (?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)
             |\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z)
             |'(?:[^'\\\r\n]|\\.)*'?
             |"(?:[^"\\\r\n]|\\.)*"?)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][0-9A-Za-z_\u00b7\u00c0-\uffff]*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<bnode>_:[0-9A-Za-z_\u00b7\u00c0-\uffff.\-]*)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][0-9A-Za-z_.\-\u00b7\u00c0-\uffff]*)?
               :(?:[0-9A-Za-z_.\-:%\u00b7\u00c0-\uffff]|\\.)*)
  | (?P<word>[A-Za-z][A-Za-z0-9_]*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
  | (?P<end>\Z)
    )
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class QueryShape:
    """What a lexical scan learns about a SPARQL request."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE, or None (not recognised)
    update_keywords: tuple[str, ...] = ()
    uses_service: bool = False
    max_depth: int = 0
    prefixes: Mapping[str, str] = field(default_factory=dict)
    base: str | None = None
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()
    #: Where each dataset clause (``FROM [NAMED] <iri>``) whose IRI was read stands.
    dataset_spans: tuple[tuple[int, int], ...] = ()
    #: The value of the top-level LIMIT and where its number is, if there is one.
    limit: int | None = None
    limit_span: tuple[int, int] | None = None
    #: Where a top-level LIMIT may be inserted: before a trailing VALUES block, or the end.
    insert_at: int = 0

    @property
    def is_update(self) -> bool:
        return self.form == "UPDATE" or bool(self.update_keywords)

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_graphs or self.from_named_graphs)


#: SERVICE as a parser could read it, searched in the raw text with no lexing at all: the
#: keyword at a token boundary, then (after spaces or comments) SILENT, an IRI, a variable
#: or a prefixed name. A second line of defence beside :func:`scan`, for any text where
#: this scanner's idea of tokens and the engine's differ (e.g. ``FILTER(1<2)SERVICE#>``,
#: where ``<2)SERVICE#>`` looks like an IRI). It may refuse a rare harmless query (a string
#: holding "service <"); it never lets a SERVICE call through.
_SERVICE_ANYWHERE = re.compile(
    r"(?i)(?<![\w/#:?$\-])SERVICE"
    r"(?:[<?$]|(?:\s|#[^\n]*(?:\n|$))+(?:SILENT\b|[<?$]|[^\W\d][\w.-]*:|:))"
)


_VOLATILE = re.compile(r"(?i)(?<![\w:?$])(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(")


def is_volatile(text: str) -> bool:
    """Whether the answer may differ from one run to the next (NOW(), RAND(), UUID(),
    STRUUID(), BNODE()): such answers are never cached. Searched in the raw text, so a
    string that mentions "now(" also counts — that only costs a cache miss.

    >>> is_volatile("SELECT (NOW() AS ?t) {}"), is_volatile("SELECT ?now { ?now ?p ?o }")
    (True, False)
    """
    if text.isascii():  # (so that lower() finds every spelling IGNORECASE would)
        lowered = text.lower()
        if not any(word in lowered for word in _VOLATILE_WORDS):
            return False  # the common case, without the regular expression (5× faster)
    return bool(_VOLATILE.search(text))


_VOLATILE_WORDS = ("now", "rand", "uuid", "bnode")


def service_anywhere(text: str) -> bool:
    """Whether ``text`` (raw, or with its ``\\u`` escapes decoded) could call SERVICE.

    >>> service_anywhere("SELECT * { FILTER(1<2)SERVICE#>" + chr(10) + "<http://127.0.0.1/> {} }")
    True
    >>> service_anywhere("SELECT * { <http://example.org/service> ?p ?o }")
    False
    """
    if text.isascii() and "\\" not in text and "service" not in text.lower():
        # No keyword, no escape that could spell one (and no non-ASCII letter that
        # IGNORECASE matches to an ASCII one, such as "ſ" for "s"): 20× faster.
        return False
    if _SERVICE_ANYWHERE.search(text):
        return True
    decoded = _CODEPOINT_ESCAPE.sub(_decode_escape, text)
    return decoded != text and bool(_SERVICE_ANYWHERE.search(decoded))


def scan(text: str) -> QueryShape:
    """Scan ``text`` (any string: never raises) and describe it; see the module docstring.

    SPARQL lets ``\\uXXXX`` escapes stand anywhere in a query (SPARQL 1.1 §19.2); engines
    that decode them before parsing would see keywords the raw text hides, so a text with
    such escapes is scanned twice and the findings merged (refusing too much, never too
    little).
    """
    shape = _scan(text)
    if "\\u" in text or "\\U" in text:
        decoded = _CODEPOINT_ESCAPE.sub(_decode_escape, text)
        if decoded != text:
            other = _scan(decoded)
            keywords = tuple(dict.fromkeys(shape.update_keywords + other.update_keywords))
            shape = QueryShape(
                form=shape.form if shape.form is not None else other.form,
                update_keywords=keywords,
                uses_service=shape.uses_service or other.uses_service,
                max_depth=max(shape.max_depth, other.max_depth),
                prefixes=shape.prefixes,
                base=shape.base,
                from_graphs=shape.from_graphs,
                from_named_graphs=shape.from_named_graphs,
                dataset_spans=shape.dataset_spans,
                limit=shape.limit,
                limit_span=shape.limit_span,
                insert_at=shape.insert_at,
            )
    return shape


def _decode_escape(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return match.group(0)
    return chr(code)


def _scan(text: str) -> QueryShape:
    form: str | None = None
    updates: list[str] = []
    service = False
    depth = max_depth = 0
    prefixes: dict[str, str] = {}
    base: str | None = None
    from_graphs: list[str] = []
    from_named: list[str] = []
    dataset_spans: list[tuple[int, int]] = []
    from_at = 0
    limit: int | None = None
    limit_span: tuple[int, int] | None = None
    values_at: int | None = None
    # Small look-behind state for the prologue and the dataset and limit clauses.
    expect: str | None = None  # "prefix-name", "prefix-iri", "base-iri", "from", "limit"
    pending_prefix = ""
    from_named_next = False
    in_prologue = True

    position, end = 0, len(text)
    match = _TOKEN.match
    while position < end:
        m = match(text, position)
        if m is None:  # cannot happen (the last alternative matches any character)
            position += 1
            continue
        kind = m.lastgroup
        position = m.end()
        # Brackets and most other tokens need neither their text nor their start: looked
        # up only when used (this loop is most of the guards' cost).
        if kind == "open":
            if expect is None:
                depth += 1
                max_depth = max(max_depth, depth)
                continue
        elif kind == "close":
            if expect is None:
                depth = max(0, depth - 1)
                continue
        elif kind is None or kind == "end":  # (one named group always matches)
            break
        elif kind != "word" and expect is None:
            in_prologue = False
            continue
        start = m.start(kind)
        value = m.group(kind)
        if expect is not None:
            consumed = True
            if expect == "prefix-name" and kind == "pname" and value.endswith(":"):
                pending_prefix, expect = value[:-1], "prefix-iri"
            elif expect == "prefix-iri" and kind == "iri":
                prefixes[pending_prefix] = _resolve(value[1:-1], base)
                expect = None
            elif expect == "base-iri" and kind == "iri":
                base, expect = _resolve(value[1:-1], base), None
            elif expect == "from" and kind == "word" and value.upper() == "NAMED":
                from_named_next = True
            elif expect == "from" and kind in ("iri", "pname"):
                iri = _expand(value, kind, prefixes, base)
                if iri is not None:
                    (from_named if from_named_next else from_graphs).append(iri)
                    dataset_spans.append((from_at, position))
                expect, from_named_next = None, False
            elif expect == "limit" and kind == "number" and value.isdigit():
                limit, limit_span, expect = int(value), (start, position), None
            else:
                expect, consumed = None, False
            if consumed:
                continue
        if kind == "open":
            depth += 1
            max_depth = max(max_depth, depth)
            continue
        if kind == "close":
            depth = max(0, depth - 1)
            continue
        if kind != "word":
            in_prologue = False
            continue
        keyword = value.upper()
        if keyword == "SERVICE":
            service = True
        if keyword in UPDATE_KEYWORDS:
            updates.append(keyword)
        if depth == 0:
            if in_prologue and keyword == "PREFIX":
                expect = "prefix-name"
                continue
            if in_prologue and keyword == "BASE":
                expect = "base-iri"
                continue
            if form is None:
                if keyword in QUERY_FORMS:
                    form = keyword
                elif keyword in UPDATE_KEYWORDS:
                    form = "UPDATE"
            if keyword == "FROM":
                expect, from_at = "from", start
            elif keyword == "LIMIT":
                expect = "limit"
            elif keyword == "VALUES" and form in QUERY_FORMS:
                values_at = start
        in_prologue = False

    return QueryShape(
        form=form,
        update_keywords=tuple(dict.fromkeys(updates)),
        uses_service=service,
        max_depth=max_depth,
        prefixes=prefixes,
        base=base,
        from_graphs=tuple(dict.fromkeys(from_graphs)),
        from_named_graphs=tuple(dict.fromkeys(from_named)),
        dataset_spans=tuple(dataset_spans),
        limit=limit,
        limit_span=limit_span,
        insert_at=values_at if values_at is not None else len(text),
    )


def _resolve(iri: str, base: str | None) -> str:
    if base and ":" not in iri.split("/", 1)[0]:
        try:
            return urljoin(base, iri)
        except ValueError:
            return iri
    return iri


def _expand(value: str, kind: str, prefixes: Mapping[str, str], base: str | None) -> str | None:
    if kind == "iri":
        return _resolve(value[1:-1], base)
    prefix, _, local = value.partition(":")
    namespace = prefixes.get(prefix, PREFIXES.get(prefix))
    if namespace is None:
        return None
    return namespace + re.sub(r"\\(.)", r"\1", local)


def with_limit(text: str, limit: int, shape: QueryShape | None = None) -> str:
    """``text`` with its top-level LIMIT at most ``limit`` (added when there is none).

    The LIMIT goes before a trailing VALUES block, on a line of its own (so a trailing
    comment cannot swallow it). Only meaningful for SELECT queries.
    """
    shape = shape or scan(text)
    if shape.limit is not None and shape.limit_span is not None:
        if shape.limit <= limit:
            return text
        start, stop = shape.limit_span
        return f"{text[:start]}{limit}{text[stop:]}"
    at = shape.insert_at
    return f"{text[:at]}\nLIMIT {limit}\n{text[at:]}"


@dataclass(frozen=True)
class PreparedQuery:
    """A query that passed the guards, with the dataset it runs against."""

    #: The query to run: the client's text with its dataset clauses blanked out (the dataset
    #: travels beside it, as ``default_graphs`` and ``named_graphs``).
    text: str
    form: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    #: The text to run for SELECT: with a top-level LIMIT of max_rows + 1 (see with_limit).
    run_text: str = ""
    #: The text to run when the result had more rows than allowed (LIMIT max_rows).
    truncated_text: str | None = None
    #: Whether the rows of the result must be counted (the query's own LIMIT may be larger).
    count_rows: bool = False


_NOT_LINE_END = re.compile(r"[^\r\n]")


def prepare(
    text: str,
    *,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    max_length: int = 20_000,
    max_nesting: int = 64,
    max_rows: int = 10_000,
) -> PreparedQuery:
    """Check a query against the guards and fix the dataset it runs against.

    The protocol's ``default-graph-uri`` / ``named-graph-uri`` win over the query's
    ``FROM`` / ``FROM NAMED`` (SPARQL 1.1 Protocol §2.1.4); without either, the default
    graph is the union of all graphs and every named graph is available.

    :raises QueryTooLarge: the query is longer than ``max_length`` characters.
    :raises QueryRefused: an update, or a ``SERVICE`` call.
    :raises QueryError: an empty query, or one nested deeper than ``max_nesting``.
    """
    if len(text) > max_length:
        raise QueryTooLarge(
            f"the query is {len(text):,} characters long; the limit is {max_length:,}",
            hint="shorten the query (large VALUES blocks can often become FILTERs)",
        )
    if not text.strip():
        raise QueryError("the query is empty", hint="send a SPARQL query in the `query` "
                         "parameter or as an application/sparql-query body")
    shape = scan(text)
    if shape.is_update:
        found = ", ".join(shape.update_keywords) or "an update"
        raise QueryRefused(f"{READ_ONLY_MESSAGE} (found {found})",
                           hint="this service answers SELECT, ASK, CONSTRUCT and DESCRIBE "
                           "queries only")
    if shape.uses_service or service_anywhere(text):
        raise QueryRefused(
            "SERVICE (federated query) is refused: this endpoint never contacts other hosts",
            hint="query each endpoint yourself and join the results, or download the dumps",
        )
    if shape.max_depth > max_nesting:
        raise QueryError(
            f"the query nests groups, brackets or parentheses {shape.max_depth} levels deep; "
            f"the limit is {max_nesting}",
            hint="flatten the query: nested { } groups can usually be written side by side",
        )
    dg, ng = tuple(default_graphs), tuple(named_graphs)
    if not dg and not ng and shape.has_dataset_clause:
        dg, ng = shape.from_graphs, shape.from_named_graphs
    if ng and not dg:
        dg = (NO_GRAPH,)  # a dataset with named graphs only has an empty default graph
    if dg and not ng and (default_graphs or shape.has_dataset_clause):
        ng = (NO_GRAPH,)  # ...and one with default graphs only has no named graphs
    # The dataset is given to the store beside the query, never as FROM in its text: a
    # remote store then cannot be asked to fetch a FROM <http://…> itself (no side
    # doors). Blanked with spaces, so every line and column stays where it was.
    for start, end in shape.dataset_spans:
        text = text[:start] + _NOT_LINE_END.sub(" ", text[start:end]) + text[end:]
    if shape.form == "SELECT":
        run_text = with_limit(text, max_rows + 1, shape)
        count = shape.limit is None or shape.limit > max_rows
        truncated_text = with_limit(text, max_rows, shape) if count else None
    else:
        run_text, count, truncated_text = text, False, None
    return PreparedQuery(text=text, form=shape.form, default_graphs=dg, named_graphs=ng,
                         run_text=run_text, truncated_text=truncated_text, count_rows=count)


def syntax_message(error: BaseException, text: str, *, line_offset: int = 0) -> tuple[str, str]:
    """A readable message for a pyoxigraph syntax error, and a pointer at the spot.

    pyoxigraph says ``error at 2:7: expected one of HAVING, …``; the message becomes
    ``syntax error at line 2, column 7: expected one of HAVING, …`` and the pointer shows that
    line with a caret under the column.

    >>> syntax_message(SyntaxError("error at 2:5: expected ?"), "ASK {", line_offset=1)
    ('syntax error at line 1, column 5: expected ?', '   1 | ASK {\\n     |     ^')
    """
    raw = str(error)
    m = re.match(r"(?:Parser )?error at (\d+):(\d+)(?:-\d+:\d+)?: ?(.*)", raw, re.DOTALL)
    if not m:
        return f"syntax error: {_shorten(raw)}", ""
    # line_offset: lines the endpoint put before the client's text (its BASE line).
    line, column, what = int(m.group(1)) - line_offset, int(m.group(2)), _shorten(m.group(3))
    lines = text.splitlines() or [""]
    pointer = ""
    if 1 <= line <= len(lines):
        source = lines[line - 1]
        pointer = f"{line:>4} | {source}\n     | {' ' * max(0, column - 1)}^"
    return f"syntax error at line {line}, column {column}: {what}", pointer


def _shorten(text: str, limit: int = 300) -> str:
    # pyoxigraph lists Unicode ranges of name characters among what it expected: noise.
    text = re.sub(r", \[[^\]]*(?:\][^,\]]*)*\]", "", text.replace("\n", " "))
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
