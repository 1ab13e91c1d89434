"""The IRIs the project mints under its base (things, graphs), built and read back here.

The web layer spells the matching URL paths (``/id/…``, ``/graph/…``) in its routes.

>>> thing_iri("astra")
'https://w3id.org/ngo-ld/id/astra'
>>> slug_of("https://w3id.org/ngo-ld/id/astra")
'astra'
>>> slug_of("https://example.org/astra") is None
True
>>> graph_iri("gaatw")
'https://w3id.org/ngo-ld/graph/gaatw'
"""

from __future__ import annotations

import re

from rdflib import Namespace
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    TIME,
    VOID,
    XSD,
)

from .config import DEFAULT_BASE_IRI

BASE = DEFAULT_BASE_IRI
NGO = Namespace(BASE + "id/")
NGOLD = Namespace(BASE + "ontology#")
ONTOLOGY_IRI = BASE + "ontology"
GRAPH = Namespace(BASE + "graph/")
DATASET_IRI = NGO["dataset"]
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
SCHEMA = Namespace("http://schema.org/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Prefixes bound in every serialization and offered to every SPARQL query.
PREFIXES: dict[str, str] = {
    "ngo": str(NGO),
    "ngold": str(NGOLD),
    "org": str(ORG),
    "skos": str(SKOS),
    "time": str(TIME),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "euc": str(COUNTRY),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "void": str(VOID),
    "dcat": str(DCAT),
    "sh": str(SH),
    "sd": str(SD),
}


def thing_iri(slug: str, base: str = BASE) -> str:
    """The IRI of the thing named by ``slug``."""
    return f"{base}id/{slug}"


def graph_iri(stem: str, base: str = BASE) -> str:
    """The named graph that holds one source file (by file stem)."""
    return f"{base}graph/{stem}"


def slug_of(iri: str, base: str = BASE) -> str | None:
    """The slug of a thing IRI under ``base``, or None for any other IRI."""
    prefix = f"{base}id/"
    if not iri.startswith(prefix):
        return None
    slug = iri[len(prefix) :]
    return slug if SLUG_PATTERN.match(slug) else None


def is_slug(text: str) -> bool:
    """Whether ``text`` is a valid slug (lower-case ASCII letters, digits and '-')."""
    return bool(SLUG_PATTERN.match(text))


def turtle_prologue() -> str:
    """``@prefix`` lines for every project prefix (Turtle written by code and tests).

    >>> turtle_prologue().splitlines()[0]
    '@prefix ngo: <https://w3id.org/ngo-ld/id/> .'
    """
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())


def sparql_prologue() -> str:
    """PREFIX lines for the project's own queries."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
