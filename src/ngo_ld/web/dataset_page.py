"""The dataset for people: the HTML page that ``/.well-known/void`` and ``/dumps/``
(:mod:`ngo_ld.web.dumps`, which negotiates) give a browser: what the dataset is, its
counts, the dumps with sizes and formats, rights and source, the SPARQL endpoint, how to
cite it. Machines still get the VoID/DCAT description as RDF from the same URLs. Also the
favicon's old address.

Its own module because it is one view: it is handed the same description the RDF is made
of (:func:`~ngo_ld.web.dumps.dataset_description_triples`), so the page and the RDF never
disagree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request, url_for

from .. import describe, pages
from ..formats import GRAPH_FORMATS, HTML
from .caching import cached, representation, send
from .language import here, latin_names, local_href, page_language
from .site import site

blueprint = Blueprint("dataset_page", __name__)

_VOID = "http://rdfs.org/ns/void#"
_DCT = "http://purl.org/dc/terms/"
_PROV = "http://www.w3.org/ns/prov#"
#: The counts the page shows, in this order (VoID properties → interface string).
COUNTS = ((f"{_VOID}triples", "triples"), (f"{_VOID}entities", "things"))


def dataset_page(triples: list[ox.Triple], dumps: list[dict[str, object]]) -> Response:
    """The dataset page in the reader's language (``Vary: Accept, Accept-Language``), from
    the dataset's description (``triples``) and its dumps as pages list them."""
    lang, explicit = page_language()
    rep = representation(("dataset-page", lang, explicit, request.host_url), HTML.content_type,
                         lambda: _render(lang, triples, dumps))
    return send(rep, vary=["Accept", "Accept-Language"], headers={"Content-Language": lang})


def _render(lang: str, triples: list[ox.Triple], dumps: list[dict[str, object]]) -> bytes:
    s = site()
    base = s.settings.base_iri
    keep = latin_names()
    ds = ox.NamedNode(describe.dataset_iri(base))
    extra = cached(("dataset-page-labels",), lambda: describe.labels_of(
        s.store, {t.object.value for t in triples if t.subject == ds
                  and isinstance(t.object, ox.NamedNode)}))
    view = pages.GraphView([*triples, *extra], keep=keep)
    titles = describe.dataset_titles(triples, base)
    ui = pages.ui_strings(lang)
    title = pages.pick_literal(titles.get(f"{_DCT}title", []), lang, keep=keep)
    counts = []
    for predicate, key in COUNTS:
        value = view.value(ds, predicate)
        if isinstance(value, ox.Literal):
            counts.append((ui[key], int(value.value)))
    collaborations = cached(("collaborations",), lambda: describe.collaborations(s.store, base))
    counts.append((ui["collaborations_n"], len(collaborations)))

    def linked(predicate: str) -> list[pages.Link]:
        return [pages.Link(view.label(o, lang), local_href(o.value) or None)
                if isinstance(o, ox.NamedNode) else pages.Link(view.label(o, lang))
                for o in view.objects(ds, predicate)]

    root = request.host_url
    name = (title.text if title else ui["site_full"])
    modified = view.value(ds, f"{_DCT}modified")
    year = (modified.value[:4] if isinstance(modified, ox.Literal)
            else str(datetime.now(UTC).year))
    context: dict[str, Any] = {
        "title": title or pages.PageLabel(ui["site_full"], lang),
        "descriptions": pages.literals_for_language(titles.get(f"{_DCT}description", []),
                                                    lang, keep=keep),
        "counts": counts,
        "dumps": dumps,
        "rights": linked(f"{_DCT}rights"),
        "licences": linked(f"{_DCT}license"),
        "sources": linked(f"{_PROV}wasDerivedFrom"),
        "publishers": linked(f"{_DCT}publisher"),
        "modified": modified.value[:10] if isinstance(modified, ox.Literal) else "",
        "endpoint": here("/sparql"),
        "endpoint_url": root + "sparql",
        "dataset_iri": ds.value,
        "citation": f"ASTRA; {ui['site_full']}. {name} [{ui['dataset']}]. {year}. "
                    f"{root.rstrip('/')}/ ({ds.value})",
        "machine": [(f.label, f"/void.{f.extension}", f.media_type) for f in GRAPH_FORMATS],
    }
    return render_template("dataset.html", **context).encode("utf-8")


@blueprint.route("/favicon.ico", methods=["GET", "HEAD"])
def favicon() -> Response:
    """Browsers ask for ``/favicon.ico`` when a page names no icon (a JSON or Turtle view):
    the site's icon is an SVG."""
    response = redirect(url_for("static", filename="favicon.svg"), 301)
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
