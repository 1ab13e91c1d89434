"""The sentences of the source page that a fact was read from, for showing the quote
beside the fact ("From the source: «…»").

Its own module because provenance is read the same way for every kind of thing: follow
``prov:wasDerivedFrom`` to the parts of the source page and show their verbatim
``schema:text`` as written (a quote is never transliterated or translated).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .labels import PageLabel
from .languages import display_tag
from .view import GraphView

_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
_TEXT = "http://schema.org/text"


@dataclass(frozen=True)
class Quote:
    """One sentence of the source page: its verbatim text, its name and the link to it."""

    text: PageLabel
    label: PageLabel
    href: str


def source_quotes(view: GraphView, things: Iterable[ox.NamedNode | ox.BlankNode], lang: str,
                  href: Callable[[str], str]) -> list[Quote]:
    """The verbatim sentences that ``things`` were read from, each once, in the order of
    their IRIs (the page's sentences are numbered with zero-padded positions, so this is
    page order). A source without a ``schema:text`` (the page as a whole) is not a quote."""
    found: dict[str, Quote] = {}
    for thing in things:
        for source in view.objects(thing, _DERIVED_FROM):
            if not isinstance(source, ox.NamedNode) or source.value in found:
                continue
            texts = view.literals(source, _TEXT)
            if texts:
                found[source.value] = Quote(
                    PageLabel(texts[0].value, display_tag(texts[0].language)),
                    view.label(source, lang), href(source.value))
    return [found[iri] for iri in sorted(found)]
