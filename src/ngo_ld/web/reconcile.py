"""``/reconcile``: the Reconciliation Service API 0.2, the protocol OpenRefine 3 speaks.

* ``GET /reconcile`` — the service manifest (``identifierSpace`` is ``{base}id/``: an
  entity's ID is its slug, and the two together spell its IRI).
* ``GET`` or ``POST /reconcile`` with ``queries={"q0": {"query": "…", "type": "…",
  "limit": 5, "properties": [{"pid": "country", "v": "SRB"}]}, …}`` — scored candidates
  for each query, ``match: true`` on a candidate clear enough to accept unseen
  (:func:`is_match`).
* ``/reconcile/suggest/entity?prefix=…``, ``…/suggest/type?prefix=…``,
  ``…/suggest/property?prefix=…`` — the suggest services; ``/reconcile/preview?id=…`` —
  a small HTML preview (for an iframe).

Every answer may be read cross-origin (CORS); JSON answers are wrapped for JSONP when a
``callback`` is given. Bad input gets a 400 with a JSON body that says what is wrong;
batches, query texts and limits are bounded (``Settings.reconcile_max_queries``,
``search_max_chars``, ``search_max_results``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import BadRequest, NotFound

from .. import pages
from ..namespaces import PREFIXES, slug_of, thing_iri
from ..search import Entry, Hit, LabelIndex, normalise
from ..version import __version__
from .search import (
    display_name,
    entry_view,
    label_index,
    query_text,
    require_utf8,
    result_limit,
)
from .site import CONTENT_SECURITY_POLICY, site

blueprint = Blueprint("reconcile", __name__, url_prefix="/reconcile")

ORG = PREFIXES["org"]
SKOS = PREFIXES["skos"]
#: The types a query may ask for, the first being the default; named as the pages name them.
TYPES: tuple[str, ...] = (f"{ORG}Organization", f"{ORG}FormalOrganization",
                          f"{ORG}OrganizationalCollaboration", f"{ORG}OrganizationalUnit",
                          f"{SKOS}Concept")
#: Short names a query may use for a type.
TYPE_ALIASES = {"organisation": TYPES[0], "organization": TYPES[0],
                "formal-organisation": TYPES[1], "collaboration": TYPES[2],
                "unit": TYPES[3], "concept": TYPES[4]}
DEFAULT_LIMIT = 5
#: A candidate is a match when it scores at least this (0–1) and at least
#: :data:`MATCH_MARGIN` more than the next one: measured on a labelled batch of
#: spreadsheet spellings and absent or ambiguous names (docs/search.md).
MATCH_SCORE = 0.85
MATCH_MARGIN = 0.15
COUNTRY_PROPERTY_ID = "country"
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$")
_QUERY_KEYS = {"query", "type", "limit", "properties", "type_strict"}


def type_name(iri: str) -> str:
    return pages.WELL_KNOWN.get(iri, (pages.local_name(iri),))[0]


def type_json(iri: str) -> dict[str, str]:
    return {"id": iri, "name": type_name(iri)}


# ------------------------------------------------------------------------------------
# Answers: JSON or JSONP (errors: JSON whatever Accept says, by web/errors.py)
# ------------------------------------------------------------------------------------


def reply(body: object, status: int = 200) -> Response:
    """``body`` as JSON, or as a JSONP call when the request names a ``callback``.

    :raises BadRequest: the callback is not a JavaScript name.
    """
    text = json.dumps(body, ensure_ascii=False)
    callback = request.values.get("callback")
    if callback is None:
        return Response(text, status, content_type="application/json; charset=utf-8")
    if len(callback) > 100 or not _CALLBACK.match(callback):
        raise BadRequest("the 'callback' parameter must be a JavaScript name such as "
                         "jsonp123 or a.b (letters, digits, _ and $, at most 100)")
    # The comment keeps a callback name from being read as the start of something else.
    return Response(f"/**/{callback}({text});", status,
                    content_type="application/javascript; charset=utf-8")


# ------------------------------------------------------------------------------------
# The manifest
# ------------------------------------------------------------------------------------


def manifest() -> dict[str, Any]:
    """The service manifest, with URLs on the host the request came to."""
    root = request.host_url.rstrip("/")
    return {
        "versions": ["0.2"],
        "name": f"{pages.ui_strings('en')['site']}: organisations and collaborations of "
                "ASTRA's international networks",
        "identifierSpace": thing_iri("", site().settings.base_iri),
        "schemaSpace": ORG,
        "documentation": f"{root}/",
        "serviceVersion": __version__,
        "defaultTypes": [type_json(TYPES[0])],
        "view": {"url": f"{root}/id/{{{{id}}}}"},
        "preview": {"url": f"{root}/reconcile/preview?id={{{{id}}}}", "width": 420,
                    "height": 160},
        "suggest": {
            "entity": {"service_url": root, "service_path": "/reconcile/suggest/entity"},
            "type": {"service_url": root, "service_path": "/reconcile/suggest/type"},
            "property": {"service_url": root,
                         "service_path": "/reconcile/suggest/property"},
        },
    }


# ------------------------------------------------------------------------------------
# Queries
# ------------------------------------------------------------------------------------


def resolve_type(value: object, where: str) -> str | None:
    """A type IRI from a query's ``type`` (an IRI, ``org:…``/``skos:…``, or a short name
    such as ``collaboration``); None for a type this service does not have (no entity is
    of that type, so a query for it has no candidates).

    :raises BadRequest: the type is not a string.
    """
    if not isinstance(value, str):
        raise BadRequest(f"{where} must be a type ID (a string) or a list of them")
    text = value.strip()
    if text in TYPES:
        return text
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and PREFIXES[prefix] + local in TYPES:
        return PREFIXES[prefix] + local
    return TYPE_ALIASES.get(text.lower())


def resolve_types(values: list[object], where: str) -> list[str] | None:
    """The type IRIs of a query; None when it asks only for types this service lacks."""
    types = [resolve_type(v, where) for v in values]
    known = [t for t in types if t is not None]
    if types and not known:
        return None
    return known


def _countries_wanted(properties: object, where: str) -> set[str]:
    """Country codes asked for by ``properties`` (pid ``country``: codes, IRIs or names);
    other properties are not used for matching."""
    if properties is None:
        return set()
    if not isinstance(properties, list):
        raise BadRequest(f"{where}.properties must be a list of {{\"pid\": …, \"v\": …}}")
    wanted: set[str] = set()
    for i, prop in enumerate(properties):
        if not isinstance(prop, dict) or "pid" not in prop or "v" not in prop:
            raise BadRequest(f"{where}.properties[{i}] must be an object with 'pid' and 'v'")
        if prop["pid"] != COUNTRY_PROPERTY_ID:
            continue
        values = prop["v"] if isinstance(prop["v"], list) else [prop["v"]]
        for value in values:
            if isinstance(value, dict):
                value = value.get("id", "")
            wanted.update(country_codes(str(value)))
    return wanted


def country_codes(text: str) -> set[str]:
    """ISO 3166-1 alpha-3 codes that ``text`` may name: a code, an authority IRI, or a
    country's English or Serbian name (any case, accents or script)."""
    text = text.strip()
    code = pages.country_code(text)
    if code:
        return {code}
    if text.upper() in pages.COUNTRIES:
        return {text.upper()}
    key = normalise(text)
    return {c for c, names in pages.COUNTRIES.items()
            if key and key in (normalise(names[0]), normalise(names[1]))}


def parse_batch(raw: str) -> dict[str, dict[str, Any]]:
    """The queries of a batch, checked.

    :raises BadRequest: not JSON, not an object of queries, too many queries, or a query
        with a wrong field (the message names the query and the field).
    """
    try:
        batch = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"'queries' is not valid JSON: {exc.msg} at line {exc.lineno}, "
                         f"column {exc.colno}") from None
    if not isinstance(batch, dict):
        raise BadRequest("'queries' must be a JSON object of queries, e.g. "
                         '{"q0": {"query": "ASTRA"}}')
    most = site().settings.reconcile_max_queries
    if len(batch) > most:
        raise BadRequest(f"'queries' holds {len(batch)} queries; send at most {most} in "
                         "one batch (OpenRefine: lower the batch size)")
    checked: dict[str, dict[str, Any]] = {}
    for key, query in batch.items():
        where = f"queries[{json.dumps(key, ensure_ascii=False)[:60]}]"
        if not isinstance(query, dict):
            raise BadRequest(f"{where} must be an object such as {{\"query\": \"ASTRA\"}}")
        extra = sorted(set(query) - _QUERY_KEYS)
        if extra:
            raise BadRequest(f"{where} has unknown field {extra[0]!r}; a query may have "
                             + ", ".join(sorted(_QUERY_KEYS)))
        text = query.get("query", "")
        if not isinstance(text, str):
            raise BadRequest(f"{where}.query must be a string")
        if "query" not in query and not query.get("properties"):
            raise BadRequest(f"{where} needs a 'query' (or 'properties')")
        types = query.get("type")
        type_list = types if isinstance(types, list) else ([] if types is None else [types])
        if isinstance(query.get("limit"), bool):
            raise BadRequest(f"{where}.limit must be a number")
        checked[key] = {
            "text": query_text(text, f"{where}.query"),
            "types": resolve_types(type_list, f"{where}.type"),
            "limit": result_limit(query.get("limit"), f"{where}.limit", DEFAULT_LIMIT),
            "countries": _countries_wanted(query.get("properties"), where),
        }
    return checked


def describe_entry(entry: Entry, lang: str, index: LabelIndex) -> str:
    """One line that tells namesakes apart: kind, countries, networks."""
    ui = pages.ui_strings(lang)
    parts = [ui.get(f"kind_{entry.kind}", entry.kind)]
    parts += [pages.country_name(c, lang).text for c in entry.countries]
    networks = [display_name(index.by_iri[n], lang).text for n in entry.networks
                if n in index.by_iri]
    if networks:
        parts.append(f"{ui['networks']}: {', '.join(networks)}")
    return " · ".join(parts)


def entity_id(entry: Entry) -> str:
    return slug_of(entry.iri, site().settings.base_iri) or entry.iri


def is_match(scored: list[tuple[float, Hit]], agrees: Callable[[Hit], bool]) -> Hit | None:
    """The candidate of ``scored`` (best first) that may be accepted without a look, if any:
    the only one whose name is the query's words, or the first if it scores at least
    :data:`MATCH_SCORE` and :data:`MATCH_MARGIN` more than the next. Either way its country
    agrees with the query's. A name that fits two entities about equally ("La Strada") is
    never a match: the wrangler chooses."""
    exact = [hit for _, hit in scored if hit.exact and agrees(hit)]
    if exact:
        return exact[0] if len(exact) == 1 else None
    if not scored or not agrees(scored[0][1]):
        return None
    (first, hit), following = scored[0], (scored[1][0] if len(scored) > 1 else 0.0)
    # Compared as shown (percent, one decimal), so that the rule reads true on the answer.
    clear = (round(first * 100, 1) >= MATCH_SCORE * 100
             and round((first - following) * 100, 1) >= MATCH_MARGIN * 100)
    return hit if clear else None


def candidates(query: dict[str, Any], index: LabelIndex, lang: str) -> list[dict[str, Any]]:
    """The scored candidates of one checked query (see :func:`parse_batch`), best first.

    A candidate whose country differs from the one the query's ``country`` property
    names scores a fifth less, and is never a match."""
    if query["types"] is None:
        return []  # only types that no entity has
    hits: list[Hit] = index.search(query["text"], types=query["types"],
                                   limit=query["limit"] + 1)
    wanted = query["countries"]

    def agrees(hit: Hit) -> bool:
        codes = {pages.country_code(c) for c in hit.entry.countries}
        return not wanted or bool(wanted & codes)

    scored = sorted(((hit.score * (1.0 if agrees(hit) else 0.8), hit) for hit in hits),
                    key=lambda pair: -pair[0])
    match = is_match(scored, agrees)
    out = []
    for score, hit in scored[:query["limit"]]:
        features = [{"id": "name", "value": round(hit.score * 100, 1)}]
        if wanted:
            features.append({"id": "country", "value": agrees(hit)})
        out.append({
            "id": entity_id(hit.entry),
            "name": display_name(hit.entry, lang).text,
            "description": describe_entry(hit.entry, lang, index),
            "score": round(score * 100, 1),
            "match": hit is match,
            "type": [type_json(t) for t in hit.entry.types if t in TYPES],
            "features": features,
        })
    return out


@blueprint.route("", methods=["GET", "POST"])
def service() -> Response:
    """The manifest, or the answers to a batch of queries."""
    require_utf8()
    raw = request.values.get("queries")
    if raw is None:
        if "extend" in request.values:
            raise BadRequest("this service does not offer data extension ('extend')")
        return reply(manifest())
    batch = parse_batch(raw)
    lang = answer_language()
    index = label_index()
    return reply({key: {"result": candidates(query, index, lang)}
                  for key, query in batch.items()})


def answer_language() -> str:
    """The language of names and descriptions: ``?lang=``, else English (a program's
    Accept-Language is rarely a choice of its user)."""
    return pages.normalize_language(request.values.get("lang")) or "en"


# ------------------------------------------------------------------------------------
# Suggest and preview
# ------------------------------------------------------------------------------------


def _cursor() -> int:
    raw = request.args.get("cursor", "0")
    if not raw.isdigit():
        raise BadRequest(f"the 'cursor' parameter must be a whole number ≥ 0, not {raw!r}")
    return min(int(raw), site().settings.search_max_results)


@blueprint.route("/suggest/entity", methods=["GET"])
def suggest_entity() -> Response:
    """Entities whose names begin with or resemble ``prefix`` (auto-completion)."""
    require_utf8()
    prefix = query_text(request.args.get("prefix"), "prefix")
    cursor = _cursor()
    types = resolve_types(request.args.getlist("type"), "type")
    lang = answer_language()
    index = label_index()
    hits = ([] if types is None else
            index.search(prefix, types=types, limit=cursor + 10)[cursor:])
    return reply({"result": [{
        "id": entity_id(hit.entry),
        "name": display_name(hit.entry, lang).text,
        "description": describe_entry(hit.entry, lang, index),
        "notable": [type_json(t) for t in hit.entry.types if t in TYPES],
    } for hit in hits]})


@blueprint.route("/suggest/type", methods=["GET"])
def suggest_type() -> Response:
    """The service's types whose names or IRIs contain ``prefix``."""
    key = normalise(query_text(request.args.get("prefix"), "prefix"))
    return reply({"result": [type_json(t) for t in TYPES
                             if key in normalise(type_name(t)) or key in normalise(t)]})


#: The properties a query may use to tell namesakes apart: (id, name, description).
PROPERTIES = ((COUNTRY_PROPERTY_ID, "Country",
               "ISO 3166-1 alpha-3 code (HRV), English or Serbian name, or EU authority IRI"),)


@blueprint.route("/suggest/property", methods=["GET"])
def suggest_property() -> Response:
    """The query properties whose names or IDs contain ``prefix``."""
    key = normalise(query_text(request.args.get("prefix"), "prefix"))
    return reply({"result": [{"id": pid, "name": name, "description": description}
                             for pid, name, description in PROPERTIES
                             if key in normalise(name) or key in normalise(pid)]})


def entry_for_id(value: str) -> Entry:
    """The entry an ID names (a slug under ``identifierSpace``, or a full IRI).

    :raises NotFound: no organisation, collaboration or concept has that ID.
    """
    index = label_index()
    value = value.strip()
    iri = value if "://" in value else thing_iri(value, site().settings.base_iri)
    entry = index.by_iri.get(iri)
    if entry is None:
        raise NotFound(f"no organisation, collaboration or concept has the ID {value[:200]!r}")
    return entry


@blueprint.route("/preview", methods=["GET"])
def preview() -> Response:
    """A small HTML page about one entity, for OpenRefine's preview iframe."""
    if not request.args.get("id"):
        raise BadRequest("give the entity's ID in the 'id' parameter, e.g. ?id=astra")
    entry = entry_for_id(request.args["id"])
    lang = answer_language()
    body = render_template("reconcile_preview.html",
                           entry=entry_view(entry, lang, label_index()),
                           root=request.host_url.rstrip("/"), lang=lang,
                           ui=pages.ui_strings(lang))
    response = Response(body, content_type="text/html; charset=utf-8")
    # Shown inside another application's page: framing allowed, nothing else loosened.
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors *")
    return response
