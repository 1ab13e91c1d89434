"""Whole-dataset dumps and the dataset description (VoID + DCAT-AP 3).

* ``/dumps/ngo-ld.{ttl,nt,jsonld,rdf}`` — every triple of the dataset (the union of
  data/ and ontology/), built once per data version; strong ``ETag`` (data version and
  format), ``Last-Modified`` (newest source file), ``Cache-Control: public, max-age=3600``,
  304 on ``If-None-Match`` / ``If-Modified-Since``, gzip when the client accepts it.
* ``/.well-known/void`` (RFC 8615 registration of VoID) negotiates every graph format;
  ``/void.{ttl,nt,jsonld,rdf}`` are the fixed-format URLs. Download URLs in it are this
  server's own URLs (``request.host_url``): that is where the bytes are, whatever host
  the base IRI names.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, request

from .. import describe
from ..formats import DUMP_FORMATS, GRAPH_FORMATS, Format
from ..render import serialize_triples
from .caching import Representation, cached, data_last_modified, representation, send
from .negotiation import chosen_format
from .site import site

blueprint = Blueprint("dumps", __name__)

DUMP_STEM = "ngo-ld"


def dump_representation(fmt: Format) -> Representation:
    """The whole dataset as ``fmt``, serialized once per data version."""
    store = site().store
    return representation(("dump", fmt.token), fmt.content_type,
                          lambda: serialize_triples(list(store.triples()), fmt))


@blueprint.route(f"/dumps/{DUMP_STEM}.<ext>", methods=["GET", "HEAD"])
def dump(ext: str) -> Response:
    fmt = next((f for f in DUMP_FORMATS if f.extension == ext), None)
    if fmt is None:
        from werkzeug.exceptions import NotFound

        raise NotFound(f"no dump as .{ext}; there are "
                       + ", ".join(f"/dumps/{DUMP_STEM}.{f.extension}" for f in DUMP_FORMATS))
    links = [f'</dumps/{DUMP_STEM}.{f.extension}>; rel="alternate"; type="{f.media_type}"'
             for f in DUMP_FORMATS if f is not fmt]
    links.append('</.well-known/void>; rel="describedby"; type="text/turtle"')
    headers = {"Link": ", ".join(links),
               "Content-Disposition": f'inline; filename="{DUMP_STEM}.{fmt.extension}"'}
    return send(dump_representation(fmt), headers=headers)


def dataset_description_triples() -> list[ox.Triple]:
    """The VoID/DCAT description for this server (its URLs depend on the host asked)."""
    s = site()
    root = request.host_url

    def build() -> list[ox.Triple]:
        dumps = [describe.Dump(fmt, f"{root}dumps/{DUMP_STEM}.{fmt.extension}",
                               len(dump_representation(fmt).body)) for fmt in DUMP_FORMATS]
        return describe.dataset_description(
            s.store, s.settings, dumps, service_root=root,
            modified=data_last_modified().timestamp())

    return cached(("void", root), build)


def _void(fmt: Format, fixed: bool) -> Response:
    root = request.host_url
    rep = representation(("void", root, fmt.token), fmt.content_type,
                         lambda: serialize_triples(dataset_description_triples(), fmt))
    links = [f'</void.{f.extension}>; rel="alternate"; type="{f.media_type}"'
             for f in GRAPH_FORMATS if f is not fmt or not fixed]
    headers = {"Link": ", ".join(links)}
    if not fixed:
        headers["Content-Location"] = f"/void.{fmt.extension}"
    return send(rep, vary=[] if fixed else ["Accept"], headers=headers)


@blueprint.route("/.well-known/void", methods=["GET", "HEAD"])
def well_known_void() -> Response:
    return _void(chosen_format(GRAPH_FORMATS, None, stem="/void"), fixed=False)


@blueprint.route("/void.<ext>", methods=["GET", "HEAD"])
def void_file(ext: str) -> Response:
    return _void(chosen_format(GRAPH_FORMATS, ext), fixed=True)

