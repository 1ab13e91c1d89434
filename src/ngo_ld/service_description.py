"""The SPARQL 1.1 Service Description of ``/sparql`` (https://www.w3.org/TR/sparql11-service-description/).

What a client may rely on, in RDF: the endpoint, the language (SPARQL 1.1 Query only — the
endpoint is read-only), every result format (IRIs of https://www.w3.org/ns/formats/), the
union default graph, and the default dataset: the project's dataset IRI, linked to its VoID
description, with its default graph and one named graph per source file, each with its size.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from .formats import GRAPH_FORMATS, RESULT_FORMATS, Format
from .namespaces import DATASET_IRI, RDF, RDFS, SD, VOID
from .store import GraphStore

#: W3C's IRIs for media types (https://www.w3.org/ns/formats/), by format token.
FORMAT_IRIS: dict[str, str] = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
    "ntriples": "http://www.w3.org/ns/formats/N-Triples",
}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def graph_sizes(store: GraphStore) -> dict[str, int]:
    """Triples per named graph."""
    answer = store.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in answer}  # type: ignore[union-attr,index]


def service_description(store: GraphStore, endpoint: str, *, void_url: str,
                        sizes: dict[str, int] | None = None,
                        formats: Iterable[Format] = (*RESULT_FORMATS, *GRAPH_FORMATS)
                        ) -> list[ox.Triple]:
    """The description of the endpoint at ``endpoint`` (an absolute URL), as triples."""
    sizes = graph_sizes(store) if sizes is None else sizes
    t = ox.Triple
    service, endpoint_node = _n(f"{endpoint}#service"), _n(endpoint)
    dataset = _n(str(DATASET_IRI))
    a = _n(str(RDF.type))
    triples = [
        t(service, a, _n(SD.Service)),
        t(service, _n(SD.endpoint), endpoint_node),
        t(service, _n(SD.supportedLanguage), _n(SD.SPARQL11Query)),
        t(service, _n(SD.feature), _n(SD.UnionDefaultGraph)),
        t(service, _n(RDFS.label), ox.Literal("ngo_ld SPARQL endpoint (read-only)", language="en")),
        t(service, _n(RDFS.comment), ox.Literal(
            "SPARQL 1.1 Query over ASTRA's international collaborations. The default graph is "
            "the union of the named graphs (one per source file). Read-only: updates, SERVICE "
            "and LOAD are refused.", language="en")),
        t(service, _n(SD.defaultDataset), dataset),
        t(dataset, a, _n(SD.Dataset)),
        t(dataset, a, _n(VOID.Dataset)),
        t(dataset, _n(RDFS.seeAlso), _n(void_url)),
        t(dataset, _n(VOID.sparqlEndpoint), endpoint_node),
    ]
    for fmt in formats:
        iri = FORMAT_IRIS.get(fmt.token)
        if iri:
            triples.append(t(service, _n(SD.resultFormat), _n(iri)))
    default_graph = ox.BlankNode("defaultGraph")
    triples += [
        t(dataset, _n(SD.defaultGraph), default_graph),
        t(default_graph, a, _n(SD.Graph)),
        t(default_graph, _n(VOID.triples), ox.Literal(str(len(store)), datatype=_XSD_INTEGER)),
    ]
    for name in sorted(sizes):
        named, graph = ox.BlankNode(), ox.BlankNode()
        triples += [
            t(dataset, _n(SD.namedGraph), named),
            t(named, a, _n(SD.NamedGraph)),
            t(named, _n(SD.name), _n(name)),
            t(named, _n(SD.graph), graph),
            t(graph, a, _n(SD.Graph)),
            t(graph, _n(VOID.triples), ox.Literal(str(sizes[name]), datatype=_XSD_INTEGER)),
        ]
    return triples


_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
