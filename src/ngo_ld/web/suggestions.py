"""What a 404 page offers instead: the things whose names are nearest to the address asked
for (``/id/astar`` → ASTRA; ``/doc/la-strada`` → La Strada International).

Its own module because it is one small search: the address's last segment is compared with
every thing's slug and with the slugs made from its names (those that begin with it first,
then the most alike by :mod:`difflib`; no index to keep), and the best few are named in
the page language.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable

import pyoxigraph as ox

from .. import describe, pages
from .caching import cached
from .site import site

#: How many names a 404 page suggests, and how alike they must be (difflib's ratio).
MAX_SUGGESTIONS, CUTOFF = 5, 0.6


def _slugify(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _names() -> dict[str, str]:
    """A look-up key (slug, or a name made slug-like) → the slug of the thing."""
    s = site()

    def build() -> dict[str, str]:
        base = s.settings.base_iri
        slugs = describe.thing_slugs(s.store, base)
        keys = {slug: slug for slug in slugs}
        for t in describe.labels_of(s.store, [f"{base}id/{slug}" for slug in slugs]):
            slug = t.subject.value.rsplit("/", 1)[-1]
            if t.predicate.value in describe.LABEL_PREDICATES and isinstance(t.object, ox.Literal):
                keys.setdefault(_slugify(t.object.value), slug)
        return keys

    return cached(("suggestion-names",), build)


def nearest(path: str, lang: str, href: Callable[[str], str]) -> list[pages.Link]:
    """The things nearest to the last segment of ``path`` (its extension dropped), linked
    by ``href`` (a path → the link to it, keeping the page's language)."""
    wanted = _slugify(path.rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0])
    if not wanted:
        return []
    keys = _names()
    found: list[str] = []
    # Names that begin with what was asked ("la-strada" → "la-strada-international") first,
    # then the most alike.
    starting = sorted((k for k in keys if k.startswith(wanted) and len(wanted) >= 3), key=len)
    for key in [*starting, *difflib.get_close_matches(wanted, list(keys),
                                                      n=3 * MAX_SUGGESTIONS, cutoff=CUTOFF)]:
        if keys[key] not in found:
            found.append(keys[key])
    found = found[:MAX_SUGGESTIONS]
    if not found:
        return []
    base = site().settings.base_iri
    view = pages.GraphView(describe.labels_of(site().store, [f"{base}id/{s}" for s in found]))
    return [pages.Link(view.label(ox.NamedNode(f"{base}id/{slug}"), lang), href(f"/id/{slug}"))
            for slug in found]
