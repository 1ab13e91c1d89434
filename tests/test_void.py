"""Discovery: /.well-known/void (and /void.*) is a VoID + DCAT-AP 3 description whose numbers
are true (void:triples, dcat:byteSize) and which conforms to the official DCAT-AP shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from flask.testing import FlaskClient
from pyshacl import validate
from rdflib import URIRef
from rdflib.namespace import DCAT, RDF, VOID, XSD

from ngo_ld.formats import GRAPH_FORMATS
from ngo_ld.store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/ngo-ld/"
DATASET = URIRef(f"{BASE}id/dataset")
PARSERS = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}
SHAPES = next(p for p in (ROOT.parent / "shared" / "dcat-ap" / "dcat-ap-SHACL.ttl",
                          ROOT / "tests" / "dcat-ap" / "dcat-ap-SHACL.ttl") if p.is_file())


@pytest.fixture(scope="module")
def void(client: FlaskClient) -> rdflib.Graph:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.data, format="turtle")


@pytest.fixture(scope="module")
def client(app) -> FlaskClient:  # module scope: the description is fetched once
    return app.test_client()


def test_the_static_metadata_file_exists() -> None:
    assert (ROOT / "metadata" / "dataset.ttl").is_file()


def test_void_triples_is_the_real_count(void: rdflib.Graph, store: GraphStore,
                                        client: FlaskClient) -> None:
    stated = int(void.value(DATASET, VOID.triples))
    dump = rdflib.Graph().parse(data=client.get("/dumps/ngo-ld.ttl").data, format="turtle")
    assert stated == len(store) == len(dump)


def test_byte_sizes_are_the_real_sizes_of_the_dumps(void: rdflib.Graph,
                                                    client: FlaskClient) -> None:
    distributions = list(void.objects(DATASET, DCAT.distribution))
    assert len(distributions) == 4
    for dist in distributions:
        url = str(void.value(dist, DCAT.downloadURL))
        size = void.value(dist, DCAT.byteSize)
        assert size.datatype == XSD.nonNegativeInteger
        body = client.get(url.replace("http://localhost", "")).data
        assert int(size) == len(body), url
        media = str(void.value(dist, DCAT.mediaType))
        assert media.startswith("http://www.iana.org/assignments/media-types/")
        assert void.value(dist, DCAT.accessURL) is not None


def test_the_description_names_endpoint_dumps_uri_space_and_vocabularies(
        void: rdflib.Graph) -> None:
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://localhost/sparql")
    dumps = {str(o) for o in void.objects(DATASET, VOID.dataDump)}
    assert "http://localhost/dumps/ngo-ld.ttl" in dumps
    assert "http://localhost/dumps/ngo-ld.nt" in dumps
    assert str(void.value(DATASET, VOID.uriSpace)) == f"{BASE}id/"
    vocabularies = set(void.objects(DATASET, VOID.vocabulary))
    assert URIRef("http://www.w3.org/ns/org#") in vocabularies
    assert URIRef(f"{BASE}ontology#") in vocabularies
    assert (DATASET, VOID.exampleResource, URIRef(f"{BASE}id/astra")) in void
    assert (None, RDF.type, DCAT.Catalog) in void


def test_the_description_conforms_to_dcat_ap_3(void: rdflib.Graph) -> None:
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, _, text = validate(void, shacl_graph=shapes, inference="none",
                                 allow_warnings=True)
    assert conforms, text


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.token)
def test_the_description_is_served_in_every_graph_format(client: FlaskClient,
                                                         void: rdflib.Graph, fmt) -> None:
    negotiated = client.get("/.well-known/void", headers={"Accept": fmt.media_type})
    fixed = client.get(f"/void.{fmt.extension}")
    for response in (negotiated, fixed):
        assert response.status_code == 200
        assert response.mimetype == fmt.media_type
        graph = rdflib.Graph().parse(data=response.data, format=PARSERS[fmt.token])
        assert len(graph) == len(void)
    assert "Accept" in negotiated.headers["Vary"]
    assert negotiated.headers["ETag"] == fixed.headers["ETag"]


def test_nothing_acceptable_is_406_naming_the_fixed_format_urls(client: FlaskClient) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "image/png"})
    assert response.status_code == 406
    link = response.headers["Link"]
    for fmt in GRAPH_FORMATS:
        assert f'</void.{fmt.extension}>; rel="alternate"; type="{fmt.media_type}"' in link
    assert "</.well-known/void>" not in link
