"""Named-graph IRIs and the shapes namespace dereference (contract §2: every IRI under
the base is answered)."""

from __future__ import annotations

import pytest
import rdflib
from flask.testing import FlaskClient

from ngo_ld.loading import parse_rdflib, shape_files, source_files


def test_a_named_graph_is_its_file(client: FlaskClient, settings) -> None:
    response = client.get("/graph/gaatw", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    assert "Accept" in response.headers["Vary"]
    got = rdflib.Graph().parse(data=response.data, format="turtle")
    (path,) = [p for p in source_files(settings) if p.stem == "gaatw"]
    assert len(got) == len(parse_rdflib([path]))


@pytest.mark.parametrize("ext,parser", [("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")])
def test_a_named_graph_has_a_url_per_format(client: FlaskClient, ext: str, parser: str) -> None:
    response = client.get(f"/graph/ngo-ld.{ext}")
    assert response.status_code == 200
    assert len(rdflib.Graph().parse(data=response.data, format=parser)) > 100


def test_a_browser_is_sent_to_the_triples_as_a_table(client: FlaskClient) -> None:
    response = client.get("/graph/gaatw", headers={"Accept": "text/html"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/sparql?query=CONSTRUCT")


def test_unknown_graphs_are_404(client: FlaskClient) -> None:
    assert client.get("/graph/nope", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/graph/../etc", headers={"Accept": "text/turtle"}).status_code == 404


def test_the_shapes_namespace_dereferences(client: FlaskClient, settings) -> None:
    response = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    got = rdflib.Graph().parse(data=response.data, format="turtle")
    assert len(got) == len(parse_rdflib(shape_files(settings)))
    assert client.get("/shapes", headers={"Accept": "text/html"}).headers["Location"] == (
        "/validation")


def test_every_graph_named_by_the_service_description_resolves(client: FlaskClient) -> None:
    sd = rdflib.Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"})
                              .data, format="turtle")
    names = {str(o) for o in sd.objects(None, rdflib.URIRef(
        "http://www.w3.org/ns/sparql-service-description#name"))}
    assert names
    for name in names:
        path = name.replace("https://w3id.org/ngo-ld", "")
        assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 200, name
