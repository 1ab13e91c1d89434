"""The answer layer without HTTP (ngo_ld.answers): each kind of resource from the request's
facts to bytes, or one of the project's errors; no Flask involved."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest

from ngo_ld.answers import Answers, choose
from ngo_ld.config import Settings
from ngo_ld.errors import NotAcceptable, UnknownResource
from ngo_ld.formats import DOCUMENT_FORMATS, GRAPH_FORMATS, by_token
from ngo_ld.store import GraphStore

TURTLE = by_token("turtle")


@pytest.fixture(scope="module")
def answers(settings: Settings, store: GraphStore) -> Answers:
    return Answers(store, settings)


def test_a_document_is_bytes_in_the_format_with_a_strong_etag(answers: Answers) -> None:
    rep = answers.document("astra", TURTLE)
    triples = list(ox.parse(rep.body, format=ox.RdfFormat.TURTLE))
    assert any(t.subject.value.endswith("/id/astra") for t in triples)
    assert rep.content_type.startswith("text/turtle") and len(rep.etag) == 24
    assert answers.document("astra", TURTLE) is rep  # built once per data version
    assert answers.document("astra", by_token("ntriples")).etag != rep.etag


@pytest.mark.parametrize("slug", ["no-such-thing", "../etc", ""])
def test_an_unknown_thing_is_the_projects_error(answers: Answers, slug: str) -> None:
    with pytest.raises(UnknownResource, match="nothing in this dataset"):
        answers.document(slug, TURTLE)


def test_every_kind_of_resource_answers_without_flask(answers: Answers) -> None:
    assert answers.dump("nt").body.count(b"\n") > 100
    assert b"void" in answers.void(TURTLE, "http://example.test/").body
    assert b"owl" in answers.ontology(TURTLE).body
    stem = answers.store.graph_names()[0].rsplit("/", 1)[1]
    assert answers.named_graph(stem, TURTLE).body
    assert b"sh:" in answers.shapes(TURTLE).body or b"shacl" in answers.shapes(TURTLE).body
    with pytest.raises(UnknownResource):
        answers.dump("exe")
    with pytest.raises(UnknownResource):
        answers.named_graph("no-such-graph", TURTLE)


def test_the_answer_layers_do_not_need_flask() -> None:
    code = ("import sys, ngo_ld.answers, ngo_ld.queries, ngo_ld.admission; "
            "assert 'flask' not in sys.modules, 'flask imported'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_choosing_a_representation() -> None:
    assert choose(DOCUMENT_FORMATS, extension="ttl", override=None, accept=None) is TURTLE
    assert choose(DOCUMENT_FORMATS, extension=None, override="json", accept=None).token == (
        "jsonld")  # an alias name in ?format=
    assert choose(GRAPH_FORMATS, extension=None, override=None,
                  accept="text/plain").token == "ntriples"
    with pytest.raises(UnknownResource, match=r"\.exe"):
        choose(DOCUMENT_FORMATS, extension="exe", override=None, accept=None)
    with pytest.raises(NotAcceptable):
        choose(GRAPH_FORMATS, extension=None, override=None, accept="image/png")
