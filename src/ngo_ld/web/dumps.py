"""Whole-dataset dumps and the dataset description (VoID + DCAT-AP 3): the HTTP side of
:meth:`ngo_ld.answers.Answers.dump` and :meth:`~ngo_ld.answers.Answers.void`.

* ``/dumps/ngo-ld.{ttl,nt,jsonld,rdf}`` — every triple of the dataset (the union of
  data/ and ontology/), built once per data version; strong ``ETag`` (data version and
  format), ``Last-Modified`` (the day stated in metadata/), ``Cache-Control: public, max-age=3600``,
  304 on ``If-None-Match`` / ``If-Modified-Since``, gzip when the client accepts it.
* ``/.well-known/void`` (RFC 8615 registration of VoID) and ``/dumps/`` negotiate every
  graph format, and give a browser the dataset page (:mod:`ngo_ld.web.dataset_page`);
  ``/void.{ttl,nt,jsonld,rdf,html}`` are the fixed-format URLs. Download URLs in it are this
  server's own URLs (``request.host_url``): that is where the bytes are, whatever host
  the base IRI names.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from ..answers import DUMP_STEM
from ..formats import DUMP_FORMATS, GRAPH_FORMATS, HTML, Format
from .caching import send
from .dataset_page import dataset_page
from .negotiation import chosen_format
from .site import site

blueprint = Blueprint("dumps", __name__)


@blueprint.route(f"/dumps/{DUMP_STEM}.<ext>", methods=["GET", "HEAD"])
def dump(ext: str) -> Response:
    rep = site().answers.dump(ext)
    links = [f'</dumps/{DUMP_STEM}.{f.extension}>; rel="alternate"; type="{f.media_type}"'
             for f in DUMP_FORMATS if f.extension != ext]
    links.append('</.well-known/void>; rel="describedby"; type="text/turtle"')
    headers = {"Link": ", ".join(links),
               "Content-Disposition": f'inline; filename="{DUMP_STEM}.{ext}"'}
    return send(rep, headers=headers)


def dump_listing() -> list[dict[str, object]]:
    """Each dump as pages list it: label, media type, path, size and gzipped size."""
    listing = []
    for fmt in DUMP_FORMATS:
        rep = site().answers.dump_in(fmt)
        listing.append({"label": fmt.label, "media_type": fmt.media_type,
                        "href": f"/dumps/{DUMP_STEM}.{fmt.extension}", "size": len(rep.body),
                        "gzip_size": len(rep.gzipped())})
    return listing


def _void(fmt: Format, fixed: bool) -> Response:
    rep = site().answers.void(fmt, request.host_url)
    links = [f'</void.{f.extension}>; rel="alternate"; type="{f.media_type}"'
             for f in GRAPH_FORMATS if f is not fmt or not fixed]
    headers = {"Link": ", ".join(links)}
    if not fixed:
        headers["Content-Location"] = f"/void.{fmt.extension}"
    return send(rep, vary=[] if fixed else ["Accept"], headers=headers)


#: The description as RDF, or (to a browser) the dataset page.
DESCRIPTION_FORMATS = (*GRAPH_FORMATS, HTML)


def _page() -> Response:
    return dataset_page(site().answers.void_triples(request.host_url), dump_listing())


@blueprint.route("/.well-known/void", methods=["GET", "HEAD"])
@blueprint.route("/dumps/", methods=["GET", "HEAD"])
def well_known_void() -> Response:
    fmt = chosen_format(DESCRIPTION_FORMATS, None, stem="/void")
    return _page() if fmt is HTML else _void(fmt, fixed=False)


@blueprint.route("/void.<ext>", methods=["GET", "HEAD"])
def void_file(ext: str) -> Response:
    fmt = chosen_format(DESCRIPTION_FORMATS, ext)
    return _page() if fmt is HTML else _void(fmt, fixed=True)
