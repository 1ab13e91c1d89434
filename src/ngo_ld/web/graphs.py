"""The other IRIs the project mints under the base: named graphs and the shapes.

``{base}graph/{stem}`` names the graph of one source file (the service description lists
them as ``sd:name``); ``{base}shapes`` is the shapes' namespace. Contract §2: the server
answers for the path of every IRI under the base, so these dereference too — to their
content, as RDF (a browser asking for HTML is sent to a page that shows it).
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, redirect

from ..formats import GRAPH_FORMATS, HTML
from ..loading import content_hash, parse_file, shape_files
from ..namespaces import graph_iri, is_slug
from ..render import serialize_triples
from .caching import representation, send
from .negotiation import chosen_format, link_header, not_found_in
from .site import site

blueprint = Blueprint("graphs", __name__)

#: What these IRIs are offered as; HTML is answered with a redirect (see the module doc).
OFFERED = (*GRAPH_FORMATS, HTML)


@blueprint.route("/graph/<stem>", methods=["GET", "HEAD"])
@blueprint.route("/graph/<stem>.<ext>", methods=["GET", "HEAD"])
def named_graph(stem: str, ext: str | None = None) -> Response:
    """The triples of one named graph, negotiated like a document."""
    s = site()
    iri = graph_iri(stem, s.settings.base_iri)
    fmt = chosen_format(OFFERED, ext, stem=f"/graph/{stem}")
    if not is_slug(stem) or iri not in s.store.graph_names():
        return not_found_in(fmt, f"there is no graph /graph/{stem}")
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    if fmt is HTML:  # a person: the same triples as a table on the query page
        return redirect("/sparql?" + urlencode({"query": query, "format": "html"}), 303)
    rep = representation(("graph", stem, fmt.token), fmt.content_type,
                         lambda: serialize_triples(s.store.query(query), fmt))
    vary = ["Accept"] if ext is None else []
    return send(rep, vary=vary, headers={
        "Link": link_header(f"/graph/{stem}", GRAPH_FORMATS, served=fmt)})


@blueprint.route("/shapes", methods=["GET", "HEAD"])
@blueprint.route("/shapes.<ext>", methods=["GET", "HEAD"])
def shapes(ext: str | None = None) -> Response:
    """The SHACL shapes the data is validated against (a person: the validation report)."""
    s = site()
    fmt = chosen_format(OFFERED, ext, stem="/shapes")
    if fmt is HTML:
        return redirect("/validation", 303)

    def build() -> bytes:
        triples = [t for path in shape_files(s.settings) for t in parse_file(path)]
        return serialize_triples(triples, fmt)

    version = content_hash(shape_files(s.settings))  # shapes may change without the data
    rep = representation(("shapes", version, fmt.token), fmt.content_type, build)
    vary = ["Accept"] if ext is None else []
    return send(rep, vary=vary, headers={"Link": link_header("/shapes", GRAPH_FORMATS,
                                                             served=fmt)})
