"""Names for the IRIs of a query results page: the dataset's own IRIs get their labels (one
extra query, for at most :data:`MAX_LABELLED` IRIs), and IRIs in a known namespace are
shown by their prefixed name (``org:memberOf``).

Its own module because the results table is the only page that shows arbitrary IRIs; the
cells come from :func:`ngo_ld.web.sparql._cell` and gain ``label`` and ``short``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from .. import describe, pages
from ..pages.vocabulary import abbreviate
from .language import latin_names
from .resources import site_prefixes
from .site import site

#: The most IRIs whose labels one results page looks up (one query, a VALUES block).
MAX_LABELLED = 400


def _iri_cells(rows: Iterable[Iterable[dict[str, Any] | None]]) -> list[dict[str, Any]]:
    return [c for row in rows for c in row if c is not None and c.get("kind") == "iri"]


def annotate(results: dict[str, Any], lang: str) -> None:
    """Add ``label`` (the dataset's name for it, in ``lang``) and ``short`` (its prefixed
    name) to each IRI cell of ``results`` (the results page's context)."""
    cells = _iri_cells(results.get("rows", ()))
    if not cells:
        return
    s = site()
    base = s.settings.base_iri
    ours = list(dict.fromkeys(c["text"] for c in cells if c["text"].startswith(base)))
    ours = ours[:MAX_LABELLED]
    triples = describe.labels_of(s.store, ours) if ours else []
    view = pages.GraphView(triples, keep=latin_names())
    labelled = {t.subject.value for t in triples if t.predicate.value in describe.LABEL_PREDICATES}
    prefixes = site_prefixes()
    for cell in cells:
        iri = cell["text"]
        if iri in labelled:
            cell["label"] = view.label(ox.NamedNode(iri), lang)
        elif pages.country_code(iri):
            cell["label"] = pages.country_name(iri, lang)
        cell["short"] = abbreviate(iri, prefixes) or ""
