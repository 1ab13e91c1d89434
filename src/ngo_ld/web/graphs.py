"""The other IRIs the project mints under the base: named graphs and the shapes.

``{base}graph/{stem}`` names the graph of one source file (the service description lists
them as ``sd:name``); ``{base}shapes`` is the shapes' namespace. The server
answers for the path of every IRI under the base, so these dereference too — to their
content, as RDF (a browser asking for HTML is sent to a page that shows it).
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, redirect

from ..errors import UnknownResource
from ..formats import GRAPH_FORMATS, HTML
from .caching import send
from .negotiation import chosen_format, link_header
from .site import site

blueprint = Blueprint("graphs", __name__)

#: What these IRIs are offered as; HTML is answered with a redirect (see the module doc).
OFFERED = (*GRAPH_FORMATS, HTML)


@blueprint.route("/graph/<stem>", methods=["GET", "HEAD"])
@blueprint.route("/graph/<stem>.<ext>", methods=["GET", "HEAD"])
def named_graph(stem: str, ext: str | None = None) -> Response:
    """The triples of one named graph, negotiated like a document."""
    fmt = chosen_format(OFFERED, ext, stem=f"/graph/{stem}")
    answers = site().answers
    try:
        query = answers.graph_query(stem)
    except UnknownResource as exc:
        raise exc.told_in(fmt) from None
    if fmt is HTML:  # a person: the same triples as a table on the query page
        return redirect("/sparql?" + urlencode({"query": query, "format": "html"}), 303)
    vary = ["Accept"] if ext is None else []
    return send(answers.named_graph(stem, fmt), vary=vary, headers={
        "Link": link_header(f"/graph/{stem}", GRAPH_FORMATS, served=fmt)})


@blueprint.route("/shapes", methods=["GET", "HEAD"])
@blueprint.route("/shapes.<ext>", methods=["GET", "HEAD"])
def shapes(ext: str | None = None) -> Response:
    """The SHACL shapes the data is validated against (a person: the validation report)."""
    fmt = chosen_format(OFFERED, ext, stem="/shapes")
    if fmt is HTML:
        return redirect("/validation", 303)
    vary = ["Accept"] if ext is None else []
    return send(site().answers.shapes(fmt), vary=vary, headers={
        "Link": link_header("/shapes", GRAPH_FORMATS, served=fmt)})
