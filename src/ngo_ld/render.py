"""Bytes for a graph in a chosen :class:`~ngo_ld.formats.Format`.

The one place that calls RDF serializers: pyoxigraph for Turtle, N-Triples and RDF/XML
(fast, streaming), rdflib for JSON-LD (it compacts against a readable ``@context``) and for
graphs that are rdflib's already (the SHACL report). SPARQL results are serialized by the
engine itself, in the query process (``Format.oxigraph_name``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from .formats import Format
from .loading import to_rdflib
from .namespaces import PREFIXES

#: The JSON-LD context: the project's prefixes, so keys read ``skos:prefLabel``.
JSONLD_CONTEXT: dict[str, str] = dict(PREFIXES)


def serialize_triples(triples: Iterable[ox.Triple], fmt: Format) -> bytes:
    """Serialize RDF triples as ``fmt`` (a graph format)."""
    if fmt.kind != "graph":
        raise ValueError(f"{fmt.label} is not an RDF graph format")
    if fmt.token == "jsonld":
        graph = to_rdflib(triples)
        text = graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True)
        # rdflib writes the context inline; keep it compact and stable.
        return json.dumps(json.loads(text), ensure_ascii=False, indent=1).encode("utf-8")
    used = PREFIXES if fmt.token in ("turtle", "rdfxml") else None
    return ox.serialize(triples, format=getattr(ox.RdfFormat, fmt.oxigraph_name or ""),
                        prefixes=used)


def serialize_rdflib_graph(graph: Any, fmt: Format) -> bytes:
    """Serialize an rdflib graph (the SHACL report) as ``fmt`` (a graph format)."""
    if fmt.kind != "graph" or fmt.rdflib_name is None:
        raise ValueError(f"{fmt.label} is not an RDF graph format")
    return graph.serialize(format=fmt.rdflib_name).encode("utf-8")  # type: ignore[no-any-return]
