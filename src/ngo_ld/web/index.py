"""The indexes of organisations: ``/organisations`` (A–Z) and ``/organisations/by-country``.

Every organisation of the data (collaborations and units included), with its country and
the collaborations it belongs to, read from the same label index as search; a page for
people, JSON for programs (the same negotiation as search).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template

from .. import pages
from ..formats import HTML
from .caching import representation, send
from .language import page_language
from .negotiation import chosen_format
from .search import OFFERED, entry_json, entry_view, label_index

blueprint = Blueprint("index", __name__)


def sort_key(name: str, lang: str = "en") -> tuple[tuple[int, ...], str]:
    """How the indexes order names: in the reader's alphabet and script
    (:func:`ngo_ld.pages.sort_key`: "Ženska soba" after "Zora" in Serbian)."""
    return pages.sort_key(name, lang)


def initial(name: str, lang: str = "en") -> str:
    """The letter an index files ``name`` under, in the reader's alphabet and script
    (:func:`ngo_ld.pages.initial`: "Ženska soba" → "Z" in English, "Ž" in Serbian Latin,
    "Ж" in Serbian Cyrillic; "La Strada" → "Л" there); "#" for a name that starts with a
    digit or has no letter."""
    return pages.initial(name, lang)


def organisation_rows(lang: str) -> list[dict[str, Any]]:
    """Every organisation as :func:`~ngo_ld.web.search.entry_view` shows it, by name."""
    index = label_index()
    rows = [entry_view(entry, lang, index) for entry in index.organisations()]
    rows.sort(key=lambda row: sort_key(row["name"].text, lang))
    return rows


def by_letter(rows: list[dict[str, Any]], lang: str
              ) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(initial(row["name"].text, lang), []).append(row)
    return list(groups.items())


def by_country(rows: list[dict[str, Any]], lang: str
               ) -> list[tuple[dict[str, Any] | None, list[dict[str, Any]]]]:
    """Rows grouped by country, countries by name; those without a country last (a row
    with two countries is under each)."""
    groups: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    without: list[dict[str, Any]] = []
    for row in rows:
        for country in row["countries"]:
            groups.setdefault(country["iri"], (country, []))[1].append(row)
        if not row["countries"]:
            without.append(row)
    ordered: list[tuple[dict[str, Any] | None, list[dict[str, Any]]]] = sorted(
        groups.values(), key=lambda pair: sort_key(pair[0]["name"].text, lang))
    if without:
        ordered.append((None, without))
    return ordered


def _answer(kind: str) -> Response:
    fmt = chosen_format(OFFERED, None)
    lang, explicit = page_language()

    def build() -> bytes:
        rows = organisation_rows(lang)
        if fmt is not HTML:
            if kind == "az":
                body: object = {"organisations": [entry_json(r) for r in rows]}
            else:
                body = {"countries": [
                    {"id": c["iri"] if c else None, "code": c["code"] if c else None,
                     "name": c["name"].text if c else None,
                     "organisations": [entry_json(r) for r in group]}
                    for c, group in by_country(rows, lang)]}
            return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")
        if kind == "az":
            return render_template("index_az.html", groups=by_letter(rows, lang),
                                   total=len(rows)).encode("utf-8")
        return render_template("index_countries.html", groups=by_country(rows, lang),
                               total=len(rows)).encode("utf-8")

    rep = representation(("index", kind, fmt.token, lang, explicit), fmt.content_type, build)
    return send(rep, vary=["Accept", "Accept-Language"], headers={"Content-Language": lang},
                max_age=600)


@blueprint.route("/organisations", methods=["GET", "HEAD"])
def organisations_az() -> Response:
    """Every organisation, A to Z."""
    return _answer("az")


@blueprint.route("/organisations/by-country", methods=["GET", "HEAD"])
def organisations_by_country() -> Response:
    """Every organisation, by country."""
    return _answer("countries")
