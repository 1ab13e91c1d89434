"""``SELECT *`` lists its columns in the order the variables first appear in the query.

SPARQL leaves the order of ``SELECT *`` columns to the engine, and Oxigraph sorts them
(``?o ?p ?s`` for ``{ ?s ?p ?o }``), which reads backwards. :func:`ordered_projection`
rewrites such a query to name the very variables the engine chose, in the order a reader
wrote them; the answer is otherwise the same, in every results format.

Its own module because it is one small rule on the query text, used where queries run
(:mod:`ngo_ld.executor`); the engine says which variables are in scope, so this never
has to know SPARQL's scoping rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .sparql import _TOKEN as SPARQL_TOKEN


def _tokens(text: str) -> Iterator[tuple[str, str, int, int]]:
    """(kind, text, start, end) of each token of ``text``, comments and strings skipped
    as the guards' scanner skips them; lazily, so a caller may stop early."""
    position = 0
    while position < len(text):
        m = SPARQL_TOKEN.match(text, position)
        if m is None or m.lastgroup in (None, "end"):
            return
        kind = m.lastgroup
        yield kind, m.group(kind), m.start(kind), m.end(kind)
        position = m.end()


def star_position(text: str) -> tuple[int, int] | None:
    """Where the ``*`` of a top-level ``SELECT [DISTINCT|REDUCED] *`` stands, if it does.

    >>> star_position("SELECT * WHERE { ?s ?p ?o }")
    (7, 8)
    >>> star_position("SELECT ?s WHERE { ?s ?p ?o }") is None
    True
    """
    if "*" not in text:
        return None  # (most queries: no scan at all)
    tokens = _tokens(text)
    for kind, word, _, _ in tokens:
        if kind == "word" and word.upper() in ("ASK", "CONSTRUCT", "DESCRIBE"):
            return None
        if kind == "word" and word.upper() == "SELECT":
            following = next(tokens, None)
            if following and following[0] == "word" and following[1].upper() in (
                    "DISTINCT", "REDUCED"):
                following = next(tokens, None)
            if following and following[1] == "*":
                return following[2], following[3]
            return None
    return None


def variables_in_order(text: str) -> list[str]:
    """The names of the variables of ``text`` (without ``?``/``$``), each once, in the order
    they first appear.

    >>> variables_in_order("SELECT * { ?s ?p ?o . ?o ?q $s }")
    ['s', 'p', 'o', 'q']
    """
    seen: dict[str, None] = {}
    for kind, word, _, _ in _tokens(text):
        if kind == "var" and len(word) > 1:
            seen.setdefault(word[1:], None)
    return list(seen)


def ordered_projection(text: str, chosen: Sequence[str]) -> str | None:
    """``text`` with its ``SELECT *`` replaced by the engine's ``chosen`` variables in the
    order they first appear in ``text``; None when there is nothing to change (not a
    ``SELECT *``, or the engine's order is that order already).

    >>> ordered_projection("SELECT * WHERE { ?s ?p ?o }", ["o", "p", "s"])
    'SELECT ?s ?p ?o WHERE { ?s ?p ?o }'
    """
    span = star_position(text)
    if span is None or not chosen:
        return None
    order = {name: i for i, name in enumerate(variables_in_order(text))}
    wanted = sorted(chosen, key=lambda v: (order.get(v, len(order)), v))
    if list(wanted) == list(chosen):
        return None
    return text[:span[0]] + " ".join(f"?{v}" for v in wanted) + text[span[1]:]
