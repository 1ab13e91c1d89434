"""The page language and the links of pages: for every template, whichever blueprint
renders it (the application registers :func:`chrome` as a context processor)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import g, request

from .. import describe, pages
from .caching import cached
from .site import site


def page_language() -> tuple[str, bool]:
    """(language, chosen explicitly with ``?lang=``)."""
    if "ngo_ld_lang" not in g:
        explicit = pages.normalize_language(request.args.get("lang"))
        g.ngo_ld_lang = (explicit or pages.choose_language(None, request.accept_languages),
                         explicit is not None)
    return g.ngo_ld_lang  # type: ignore[no-any-return]


def here(path: str) -> str:
    """``path`` keeping an explicit ``?lang=`` choice, so links stay in that language."""
    lang, explicit = page_language()
    if not explicit:
        return path
    return path + ("&" if "?" in path else "?") + urlencode({"lang": lang})


def lang_url(code: str) -> str:
    """This page in another language (the visible language switch)."""
    args = request.args.to_dict()
    args["lang"] = code
    return request.path + "?" + urlencode(args)


def chrome() -> dict[str, Any]:
    try:
        lang, explicit = page_language()
    except RuntimeError:  # no request (rendering outside a request)
        lang, explicit = pages.DEFAULT_LANGUAGE, False
    from .suggestions import nearest

    return {"lang": lang, "lang_explicit": explicit, "ui": pages.ui_strings(lang),
            "lang_url": lang_url, "here": here,
            "nearest_names": lambda: nearest(request.path, lang, here),
            "number": lambda n: pages.format_number(n, lang)}


def latin_names() -> pages.LatinPhrases:
    """The dataset's foreign names and acronyms, kept in Latin by Serbian Cyrillic pages
    (computed once per data version)."""
    s = site()
    return cached(("latin-names",),
                  lambda: pages.foreign_names(describe.label_literals(s.store)))


def local_href(iri: str) -> str:
    """The server's own path for an IRI under the base; other http(s) IRIs unchanged; any
    other scheme (``javascript:``, ``data:`` — an IRI in a query result can be anything)
    gives no link target at all."""
    if not iri.startswith(("http://", "https://")):
        return ""
    base = site().settings.base_iri
    if iri.startswith(base):
        rest = iri[len(base):]
        if rest.startswith("ontology#"):
            return here("/ontology.html") + "#" + rest[len("ontology#"):]
        return here("/" + rest)
    return iri
