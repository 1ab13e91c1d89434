"""Content negotiation as a pure function (formats.negotiate), with the Accept headers real
clients send, and property tests: any header never raises and yields an offered format or
None (which the routes turn into 406)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ngo_ld.formats import DOCUMENT_FORMATS, GRAPH_FORMATS, negotiate

CHROME = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
          "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
SAFARI = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RAPPER = ("application/rdf+xml,text/rdf+n3;q=0.6,application/x-turtle;q=0.6,text/turtle;q=0.6,"
          "application/n-triples;q=0.3,text/plain;q=0.1,*/*;q=0.1")
# rdflib 7 Graph.parse(url) without format: every parser's media type, all q=1.
RDFLIB = ("application/rdf+xml, text/n3, text/turtle, application/n-triples, "
          "application/ld+json, application/n-quads, application/trix, application/trig")
RDFLIB_TURTLE = "text/turtle, application/x-turtle, */*;q=0.1"  # Graph.parse(format="turtle")
RDFLIB_JSONLD = "application/ld+json, application/json;q=0.9, */*;q=0.1"
COMUNICA = ("application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,"
            "application/n-triples;q=0.8,text/turtle;q=0.6,application/rdf+xml;q=0.5,"
            "text/n3;q=0.35,application/xml;q=0.3,image/svg+xml;q=0.3,text/xml;q=0.3,"
            "text/html;q=0.2,application/xhtml+xml;q=0.18,application/json;q=0.135,"
            "text/shaclc;q=0.1,text/shaclc-ext;q=0.05")

CASES = [
    ("chrome", CHROME, "html"),
    ("firefox", FIREFOX, "html"),
    ("safari", SAFARI, "html"),
    ("curl", "*/*", "html"),
    ("python-requests", "*/*", "html"),
    ("rapper", RAPPER, "rdfxml"),
    ("rdflib-default", RDFLIB, "turtle"),
    ("rdflib-turtle", RDFLIB_TURTLE, "turtle"),
    ("rdflib-jsonld", RDFLIB_JSONLD, "jsonld"),
    ("comunica", COMUNICA, "jsonld"),
    ("turtle", "text/turtle", "turtle"),
    ("turtle-q-beats-html", "text/turtle;q=0.9, text/html;q=0.5", "turtle"),
    ("specific-beats-wildcard", "*/*;q=0.9, application/n-triples;q=0.9", "ntriples"),
    ("jsonld-with-profile", 'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"',
     "jsonld"),
    ("case-insensitive", "TEXT/TURTLE", "turtle"),
    ("old-turtle-name", "application/x-turtle", "turtle"),
    ("json-means-jsonld", "application/json", "jsonld"),
    ("xml-means-rdfxml", "application/xml", "rdfxml"),
    ("html-refused", "text/html;q=0, */*;q=0.5", "turtle"),
    ("turtle-refused-only", "text/turtle;q=0", None),
    ("unmatched", "image/png", None),
    ("empty", "", "html"),
]


@pytest.mark.parametrize(("client", "header", "expected"), CASES, ids=[c[0] for c in CASES])
def test_real_world_accept_headers_get_the_expected_format(client: str, header: str,
                                                           expected: str | None) -> None:
    chosen = negotiate(parse_accept_header(header, MIMEAccept), DOCUMENT_FORMATS)
    assert (chosen.token if chosen else None) == expected


def test_the_extension_overrides_accept() -> None:
    accept = parse_accept_header(CHROME, MIMEAccept)
    assert negotiate(accept, DOCUMENT_FORMATS, override="ttl").token == "turtle"  # type: ignore[union-attr]
    assert negotiate(accept, DOCUMENT_FORMATS, override="csv") is None


def test_graph_only_offers_never_pick_html_for_browsers() -> None:
    chosen = negotiate(parse_accept_header(CHROME, MIMEAccept), GRAPH_FORMATS)
    assert chosen is not None and chosen.kind == "graph"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_accept_string_never_raises_and_yields_an_offered_format(header: str) -> None:
    chosen = negotiate(parse_accept_header(header, MIMEAccept), DOCUMENT_FORMATS)
    assert chosen is None or chosen in DOCUMENT_FORMATS


_media = st.sampled_from(["text/html", "text/turtle", "application/ld+json", "*/*", "text/*",
                          "application/*", "application/rdf+xml", "application/n-triples",
                          "image/png", "application/json", "text/plain", "foo/bar"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_media, st.sampled_from([0, 0.1, 0.5, 0.9, 1])), max_size=6))
def test_the_chosen_format_has_the_highest_quality_on_offer(items: list[tuple[str, float]]
                                                            ) -> None:
    accept = MIMEAccept(items)
    chosen = negotiate(accept, DOCUMENT_FORMATS, aliases=False)
    best = max((accept.quality(f.media_type) for f in DOCUMENT_FORMATS), default=0)
    if best <= 0:
        assert chosen is None or not items
    else:
        assert chosen is not None
        assert accept.quality(chosen.media_type) == best


def test_a_route_may_offer_a_format_of_its_own_and_get_it() -> None:
    """The validation report offers plain JSON; Accept and ?format= both reach it."""
    from ngo_ld.formats import HTML, TURTLE, by_token

    report_json = by_token("report-json")
    offered = (HTML, TURTLE, report_json)
    accept = parse_accept_header("application/json", MIMEAccept)
    assert negotiate(accept, offered) is report_json
    assert negotiate(MIMEAccept(), offered, override="json") is report_json
    assert negotiate(MIMEAccept(), offered, override="jsonld") is None
