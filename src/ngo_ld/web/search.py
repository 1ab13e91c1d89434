"""``/search``: find organisations, collaborations and concepts by name, from any page.

``GET /search?q=…`` answers a browser with a page of ranked results and a program with
JSON (``Accept: application/json`` or ``?format=json``), by the same negotiation as every
other page. The matching is :mod:`ngo_ld.search`; this module reads the request, checks
its bounds and shows each hit with its kind, country and networks.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import BadRequest

from .. import pages
from ..errors import IndexNotReady
from ..formats import HTML, REPORT_JSON, Format
from ..namespaces import slug_of
from ..search import KINDS as search_kinds
from ..search import Entry, Hit, LabelIndex, read_index
from ..store import GraphStore
from .language import latin_names, local_href, page_language
from .negotiation import chosen_format
from .site import site

blueprint = Blueprint("search", __name__)

#: What search and the indexes answer in: a page for people, JSON for programs.
OFFERED: tuple[Format, ...] = (HTML, REPORT_JSON)
KINDS: tuple[str, ...] = tuple(dict.fromkeys(kind for kind, _ in search_kinds))
DEFAULT_LIMIT = 20
_build_lock = threading.Lock()
_EXTENSION = "ngo_ld.label_index"


@dataclass
class _IndexBuild:
    """One build of the label index, in a thread of its own."""

    version: str
    index: LabelIndex | None = None
    error: Exception | None = None
    done: threading.Event = field(default_factory=threading.Event)


def _start_build(store: GraphStore) -> _IndexBuild:
    build = _IndexBuild(store.version)

    def run() -> None:
        try:
            build.index = read_index(store)
        except Exception as exc:  # handed to the requests waiting for it
            build.error = exc
        finally:
            build.done.set()

    threading.Thread(target=run, name="label-index", daemon=True).start()
    return build


def label_index() -> LabelIndex:
    """The label index of the data being served: built once per data version, in the
    background, and kept as the application's own state (as its store is), outside the
    bounded caches, so that a flood of documents cannot evict it.

    At 10^6 triples a build takes seconds (docs/search.md): a request waits for it at most
    ``search_index_wait`` seconds, so that searches do not hold the threads that documents
    and pages need.

    :raises IndexNotReady: the build is still running (503 + ``Retry-After``).
    """
    s = site()
    extensions = current_app.extensions
    with _build_lock:
        build: _IndexBuild | None = extensions.get(_EXTENSION)
        if build is None or build.version != s.store.version or build.error is not None:
            build = extensions[_EXTENSION] = _start_build(s.store)
    build.done.wait(s.settings.search_index_wait)
    if build.index is not None:
        return build.index
    if build.error is not None:
        raise build.error
    raise IndexNotReady("the search index of the data is being built; it takes a few "
                        "seconds once after the server starts", limit="search-index",
                        retry_after=5)


def query_text(value: str | None, parameter: str) -> str:
    """A query text from the request, within the configured length.

    :raises BadRequest: it is longer than ``search_max_chars``.
    """
    text = (value or "").strip()
    limit = site().settings.search_max_chars
    if len(text) > limit:
        raise BadRequest(f"the {parameter!r} parameter is {len(text)} characters long; "
                         f"a name to look for may have at most {limit}: shorten it")
    return text


def result_limit(value: object, parameter: str = "limit",
                 default: int = DEFAULT_LIMIT) -> int:
    """A number of results asked for, within 1 and ``search_max_results``.

    :raises BadRequest: it is not a whole number.
    """
    if value is None or value == "":
        return default
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise BadRequest(f"the {parameter!r} parameter must be a whole number, "
                         f"not {value!r}") from None
    if isinstance(value, float) and value != number:
        raise BadRequest(f"the {parameter!r} parameter must be a whole number, not {value}")
    return max(1, min(number, site().settings.search_max_results))


def kind_name(kind: str, lang: str) -> str:
    return pages.ui_strings(lang).get(f"kind_{kind}", kind)


def display_name(entry: Entry, lang: str) -> pages.PageLabel:
    """The entry's name as a page in ``lang`` shows it."""
    return (pages.pick_literal(entry.pref_labels(), lang, keep=latin_names())
            or pages.PageLabel(pages.local_name(entry.iri), ""))


def entry_view(entry: Entry, lang: str, index: LabelIndex) -> dict[str, Any]:
    """What a page or a JSON answer shows of one entry: its name, kind, countries and
    networks (the collaborations it is a member of), each with a link."""
    countries = [{"iri": iri, "code": pages.country_code(iri) or pages.local_name(iri),
                  "name": pages.country_name(iri, lang)} for iri in entry.countries]
    networks = []
    for iri in entry.networks:
        network = index.by_iri.get(iri)
        if network is not None:
            networks.append({"iri": iri, "name": display_name(network, lang),
                             "href": local_href(iri)})
    return {
        "iri": entry.iri,
        "slug": slug_of(entry.iri, site().settings.base_iri),
        "name": display_name(entry, lang),
        "href": local_href(entry.iri),
        "kind": entry.kind,
        "kind_name": kind_name(entry.kind, lang),
        "countries": countries,
        "networks": networks,
    }


def entry_json(view: dict[str, Any]) -> dict[str, Any]:
    """:func:`entry_view` as plain JSON values."""
    return {
        "id": view["iri"],
        "slug": view["slug"],
        "name": view["name"].text,
        "url": view["href"],
        "kind": view["kind"],
        "countries": [{"id": c["iri"], "code": c["code"], "name": c["name"].text}
                      for c in view["countries"]],
        "networks": [{"id": n["iri"], "name": n["name"].text, "url": n["href"]}
                     for n in view["networks"]],
    }


def json_response(body: object, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, indent=1), status,
                    content_type=REPORT_JSON.content_type)


def matched_label(hit: Hit, lang: str) -> pages.PageLabel:
    """The label that matched as a page in ``lang`` shows names (a Serbian one in Cyrillic
    on a Cyrillic page)."""
    same = [literal for literal, _ in hit.entry.labels if literal.value == hit.matched]
    return (pages.pick_literal(same, lang, keep=latin_names())
            or pages.PageLabel(hit.matched, ""))


def hit_view(hit: Hit, lang: str, index: LabelIndex) -> dict[str, Any]:
    view = entry_view(hit.entry, lang, index)
    view["score"] = round(hit.score * 100, 1)
    view["matched"] = hit.matched
    view["matched_label"] = matched_label(hit, lang)
    view["exact"] = hit.exact
    return view


@blueprint.route("/search", methods=["GET", "HEAD"])
def search() -> Response:
    """Ranked matches for ``q`` (optionally only of ``kind``), as a page or as JSON."""
    fmt = chosen_format(OFFERED, None)
    text = query_text(request.args.get("q"), "q")
    kinds = request.args.getlist("kind")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise BadRequest(f"unknown kind {unknown[0]!r}: use one of {', '.join(KINDS)}")
    limit = result_limit(request.args.get("limit"))
    if fmt is not HTML and not text:
        raise BadRequest("give a name to look for in the 'q' parameter, "
                         "e.g. /search?q=la+strada")
    lang, _ = page_language()
    hits = []
    if text:
        index = label_index()
        hits = [hit_view(h, lang, index)
                for h in index.search(text, kinds=kinds, limit=limit)]
    if fmt is HTML:
        body = render_template("search.html", search_query=text, hits=hits)
        response = Response(body, content_type=HTML.content_type)
        response.headers["Content-Language"] = lang
    else:
        response = json_response({"query": text, "results": [
            {**entry_json(h), "score": h["score"], "matched": h["matched"],
             "exact": h["exact"]} for h in hits]})
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
