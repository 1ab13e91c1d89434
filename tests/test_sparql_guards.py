"""The query guards (ngo_ld.sparql): a real lexical scan, never a substring search."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ngo_ld.errors import QueryError, QueryRefused, QueryTooLarge
from ngo_ld.sparql import NO_GRAPH, prepare, scan, syntax_message, with_limit
from ngo_ld.web.errors import status_for

# --- what the scanner must not be fooled by ------------------------------------------------

HIDDEN_SERVICE = [
    'SELECT * { ?s ?p "SERVICE <http://x/> { }" }',
    "SELECT * { ?s ?p 'service <http://x/> {}' }",
    'SELECT * { ?s ?p """multi\nline SERVICE <http://x/> {}""" }',
    "SELECT * { ?s ?p '''it's SERVICE''' }",
    "SELECT * { ?s ?p <http://example.org/SERVICE> }",
    "# SERVICE <http://x/> {}\nSELECT * { ?s ?p ?o }",
    "PREFIX service: <http://x/> SELECT * { ?s service:p ?o }",
    "SELECT * { ?s ?p ?service }",
    "SELECT * { ?s ?p $SERVICE }",
    "SELECT * { ?s ?p _:service }",
    'SELECT * { ?s ?p "x"@service }',
    "SELECT * { ?s <http://x/#SERVICE> ?o }",
    r'SELECT * { ?s ?p "a \" SERVICE <http://x/> {} \"" }',
]
HIDDEN_UPDATES = [
    'SELECT * { ?s ?p "INSERT DATA { <a> <b> <c> }" }',
    "PREFIX load: <http://x/> SELECT * { load:a ?p ?o }",
    "SELECT ?drop ?clear { ?drop ?clear ?create }",
    "SELECT * { <http://x/DELETE> ?p ?o }",
    "# DROP ALL\nASK {}",
    "PREFIX ex: <http://e/> SELECT * { ?s ex:insert ?o ; ex:copy.move ?x }",
]
SERVICE_CALLS = [
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "select * { service silent <http://x/> { ?s ?p ?o } }",
    "SELECT * { SeRvIcE ?endpoint { ?s ?p ?o } }",
    "SELECT * { ?a ?b ?c . { SERVICE <http://x/> {} } }",
    "SELECT * { FILTER(?a<?b) SERVICE <http://x/> {} }",
    "SELECT * {\n# comment\nSERVICE<http://x/>{}}",
    r"SELECT * { \u0053ERVICE <http://x/> {} }",
]
UPDATES = [
    ("INSERT DATA { <a> <b> <c> }", "INSERT"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("LOAD <http://127.0.0.1:9/x.ttl>", "LOAD"),
    ("CLEAR ALL", "CLEAR"),
    ("DROP GRAPH <http://x/>", "DROP"),
    ("CREATE GRAPH <http://x/>", "CREATE"),
    ("ADD DEFAULT TO <http://x/>", "ADD"),
    ("MOVE <http://a/> TO <http://b/>", "MOVE"),
    ("COPY <http://a/> TO <http://b/>", "COPY"),
    ("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ("PREFIX ex: <http://e/>\n insert data { ex:a ex:b ex:c }", "INSERT"),
    ("SELECT * {} ; CLEAR ALL", "CLEAR"),
]


@pytest.mark.parametrize("text", HIDDEN_SERVICE)
def test_service_inside_strings_iris_comments_and_names_is_not_a_keyword(text: str) -> None:
    assert scan(text).uses_service is False


@pytest.mark.parametrize("text", SERVICE_CALLS)
def test_service_keyword_is_found_in_any_case_and_spacing(text: str) -> None:
    assert scan(text).uses_service is True
    with pytest.raises(QueryRefused, match="SERVICE"):
        prepare(text)


@pytest.mark.parametrize("text", HIDDEN_UPDATES)
def test_update_words_inside_strings_and_names_are_not_updates(text: str) -> None:
    assert scan(text).is_update is False


@pytest.mark.parametrize(("text", "keyword"), UPDATES)
def test_updates_are_refused_with_the_read_only_message(text: str, keyword: str) -> None:
    shape = scan(text)
    assert shape.is_update and keyword in shape.update_keywords
    with pytest.raises(QueryRefused, match="read-only") as refused:
        prepare(text)
    assert status_for(refused.value) == 403


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * {}", "SELECT"),
        ("PREFIX ex: <http://e/>\nBASE <http://b/>\nask { ex:a ?p ?o }", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("describe <http://x/>", "DESCRIBE"),
        ("# a comment\n  SELECT ?x {}", "SELECT"),
        ("PREFIX select: <http://e/> ASK { select:a ?p ?o }", "ASK"),
        ("INSERT DATA {}", "UPDATE"),
        ("", None),
        ("hello", None),
    ],
)
def test_query_form_is_the_first_keyword_after_the_prologue(text: str, form: str | None) -> None:
    assert scan(text).form == form


def test_nesting_depth_counts_braces_parentheses_and_brackets() -> None:
    assert scan("SELECT * { { ?s ?p [ ?q ( 1 ) ] } }").max_depth == 4
    assert scan('SELECT * { ?s ?p "{{{{{{" }').max_depth == 1
    deep = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
    assert scan(deep).max_depth == 3000
    with pytest.raises(QueryError, match="3000 levels deep"):
        prepare(deep, max_nesting=64)


def test_long_queries_are_refused_before_scanning() -> None:
    with pytest.raises(QueryTooLarge) as too_large:
        prepare("SELECT * {}" + " " * 100, max_length=50)
    assert status_for(too_large.value) == 413


def test_empty_query_is_a_clear_400() -> None:
    with pytest.raises(QueryError, match="empty"):
        prepare("   \n")


# --- the dataset: protocol beats FROM; FROM is read, not fetched -----------------------------


def test_dataset_clauses_are_collected_with_prefixes_resolved() -> None:
    shape = scan("PREFIX g: <https://w3id.org/ngo-ld/graph/>\n"
                 "SELECT * FROM g:gaatw FROM NAMED <http://x/a> FROM ngo:b { ?s ?p ?o }")
    assert shape.from_graphs == ("https://w3id.org/ngo-ld/graph/gaatw",
                                 "https://w3id.org/ngo-ld/id/b")
    assert shape.from_named_graphs == ("http://x/a",)


def test_protocol_dataset_wins_over_from_clauses() -> None:
    prepared = prepare("SELECT * FROM <http://a/> { ?s ?p ?o }", default_graphs=["http://b/"])
    assert prepared.default_graphs == ("http://b/",)
    assert prepared.named_graphs == (NO_GRAPH,)


def test_from_clauses_define_the_dataset_when_the_protocol_does_not() -> None:
    prepared = prepare("SELECT * FROM <http://a/> { ?s ?p ?o }")
    assert prepared.default_graphs == ("http://a/",)
    assert prepared.named_graphs == (NO_GRAPH,)
    named_only = prepare("SELECT * FROM NAMED <http://a/> { GRAPH ?g { ?s ?p ?o } }")
    assert named_only.default_graphs == (NO_GRAPH,)
    assert named_only.named_graphs == ("http://a/",)


def test_dataset_clauses_never_reach_the_store_in_the_text() -> None:
    """The dataset goes beside the query: a store (a remote one) is never handed a FROM it
    might fetch. Blanked in place, so syntax errors keep their line and column."""
    text = ("SELECT *\nFROM # the first\n  <http://127.0.0.1:9/x>\n"
            "FROM NAMED ngo:b\nWHERE { ?s ?p ?o\n}")
    for protocol in ([], ["http://b/"]):
        prepared = prepare(text, default_graphs=protocol)
        assert "FROM" not in prepared.run_text and "127.0.0.1" not in prepared.run_text
        assert "first" not in prepared.text and "ngo:b" not in prepared.text
        assert len(prepared.text) == len(text)
        assert [i for i, c in enumerate(prepared.text) if c == "\n"] == [
            i for i, c in enumerate(text) if c == "\n"]
        assert prepared.text.endswith("WHERE { ?s ?p ?o\n}")
    assert prepare(text).default_graphs == ("http://127.0.0.1:9/x",)
    assert prepare(text).named_graphs == ("https://w3id.org/ngo-ld/id/b",)


def test_a_dataset_clause_that_cannot_be_read_is_left_for_the_engine_to_refuse() -> None:
    prepared = prepare("SELECT * FROM nope:x { ?s ?p ?o }")
    assert "FROM nope:x" in prepared.text


def test_without_dataset_the_default_graph_is_the_union() -> None:
    prepared = prepare("SELECT * { ?s ?p ?o }")
    assert prepared.default_graphs == () and prepared.named_graphs == ()


# --- the result-size limit -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o }\nLIMIT 11\n"),
        ("SELECT * { ?s ?p ?o } LIMIT 5", "SELECT * { ?s ?p ?o } LIMIT 5"),
        ("SELECT * { ?s ?p ?o } LIMIT 500 OFFSET 2", "SELECT * { ?s ?p ?o } LIMIT 11 OFFSET 2"),
        ("SELECT * { ?s ?p ?o } VALUES ?s { <x> }",
         "SELECT * { ?s ?p ?o } \nLIMIT 11\nVALUES ?s { <x> }"),
        ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 500 } }",
         "SELECT * { { SELECT * { ?s ?p ?o } LIMIT 500 } }\nLIMIT 11\n"),
        ("SELECT * { ?s ?p ?o } # LIMIT 3", "SELECT * { ?s ?p ?o } # LIMIT 3\nLIMIT 11\n"),
    ],
)
def test_with_limit_sets_the_top_level_limit(text: str, expected: str) -> None:
    assert with_limit(text, 11) == expected


def test_with_limit_keeps_queries_valid_and_bounds_rows() -> None:
    store = ox.Store()
    for i in range(30):
        store.add(ox.Quad(ox.NamedNode(f"http://s/{i}"), ox.NamedNode("http://p"),
                          ox.Literal(str(i))))
    for text in ["SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o } ORDER BY ?o LIMIT 20",
                 "SELECT ?s { ?s ?p ?o } VALUES ?o { '1' '2' }",
                 "SELECT (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p HAVING (COUNT(*) > 1)"]:
        rows = list(store.query(with_limit(text, 11)))
        assert len(rows) == min(11, len(list(store.query(text))))


def test_syntax_message_points_at_line_and_column() -> None:
    text = "SELECT * WHERE {\n  ?s ?p ?o .\n  ?s ?p \n}"
    with pytest.raises(SyntaxError) as error:
        ox.Store().query(text)
    message, pointer = syntax_message(error.value, text)
    found = re.match(r"syntax error at line (\d+), column (\d+): expected", message)
    assert found, message
    line, column = int(found.group(1)), int(found.group(2))
    shown, caret = pointer.splitlines()
    assert shown == f"{line:>4} | {text.splitlines()[line - 1]}"
    assert caret.index("^") == len("     | ") + column - 1


# --- properties ------------------------------------------------------------------------------

SPARQL_ALPHABET = st.sampled_from([*"{}()[]<>\"'#\\?$@_:;.,*\n\t -0123456789",
                                   "SERVICE", "service", "INSERT", "SELECT", "LIMIT", "FROM",
                                   "NAMED", "PREFIX", "VALUES", "'''", '"""', "<http://x/>",
                                   "\\u0053", "é", "\u2028", "\x00"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(SPARQL_ALPHABET).map("".join)))
def test_scan_never_raises_on_any_text(text: str) -> None:
    shape = scan(text)
    assert shape.max_depth >= 0
    assert 0 <= shape.insert_at <= len(text)
    limited = with_limit(text, 7, shape)
    assert isinstance(limited, str)


def _string_literal(body: str) -> str:
    escaped = body.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace(
        "\r", "\\r")
    return f'"{escaped}"'


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from(["SERVICE <http://127.0.0.1:1/> {}", "INSERT DATA {}",
                                   "DROP ALL", "{{{{ SERVICE"]))
def test_keywords_inside_string_literals_are_never_flagged(noise: str, hidden: str) -> None:
    text = f"SELECT * {{ ?s ?p {_string_literal(noise + hidden + noise)} }}"
    shape = scan(text)
    assert not shape.uses_service and not shape.is_update
    assert shape.max_depth == 1 and shape.form == "SELECT"


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters='<>"{}|^`\\',
                                      blacklist_categories=("Cc", "Zs", "Zl", "Zp", "Cs")),
               min_size=0, max_size=30))
def test_keywords_inside_iris_are_never_flagged(path: str) -> None:
    text = f"ASK {{ <http://x/SERVICE{path}INSERT> ?p ?o }}"
    shape = scan(text)
    assert not shape.uses_service and not shape.is_update


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=40))
def test_keywords_inside_comments_are_never_flagged(comment: str) -> None:
    text = f"# {comment} SERVICE <http://x/> {{}} DROP ALL\nASK {{ }}"
    shape = scan(text)
    assert not shape.uses_service and not shape.is_update and shape.form == "ASK"
