"""Which literal a page shows in a language (:func:`pick_literal`), as a
:class:`PageLabel` that knows its ``lang`` attribute.

Its own module because every page model needs labels picked the same way, and the rules
(Serbian first on Serbian pages, transliterated for ``sr-Cyrl``, foreign names as written)
live in one place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from markupsafe import escape

from .cyrillic import LatinPhrases, _tag, cyrillic
from .languages import display_tag

_SERBIAN_TAGS = ("sr-latn", "sr")
_SERBIAN_LETTERS = re.compile("[čćđšžČĆĐŠŽ]")


@dataclass(frozen=True)
class PageLabel:
    """A text to show, and the language it is in (for the ``lang`` attribute)."""

    text: str
    lang: str  # display form, e.g. "sr-Cyrl"; "" when unknown

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        if self.lang:
            return f'<span lang="{escape(self.lang)}">{escape(self.text)}</span>'
        return str(escape(self.text))


def pick_literal(literals: Sequence[ox.Literal], lang: str, *,
                 keep: LatinPhrases | None = None) -> PageLabel | None:
    """The literal to show on a page in ``lang``, transliterated for ``sr-Cyrl`` (the
    phrases of ``keep``, the dataset's foreign names, stay in Latin: :func:`cyrillic`).

    English pages prefer ``@en``; Serbian pages prefer Serbian, then names in their own
    language (a French NGO's French name), then English. Untagged literals come last.
    """
    if not literals:
        return None
    by_tag: dict[str, list[ox.Literal]] = {}
    for lit in literals:
        by_tag.setdefault(_tag(lit), []).append(lit)
    for values in by_tag.values():
        values.sort(key=lambda v: v.value)

    def first(tag: str) -> ox.Literal | None:
        return by_tag[tag][0] if tag in by_tag else None

    others = sorted(t for t in by_tag if t and t not in ("en", *_SERBIAN_TAGS, "sr-cyrl"))
    if lang == "en":
        order = ["en", *_SERBIAN_TAGS, *others, "sr-cyrl", ""]
    elif lang == "sr-Cyrl":
        order = ["sr-cyrl", *_SERBIAN_TAGS, *others, "en", ""]
    else:
        order = [*_SERBIAN_TAGS, *others, "en", "sr-cyrl", ""]
    for tag in order:
        lit = first(tag)
        if lit is None:
            continue
        if lang == "sr-Cyrl" and tag in _SERBIAN_TAGS:
            if _same_elsewhere(lit, literals):
                # The "Serbian" name is spelled exactly as in another language (a foreign
                # proper name such as "Balkans Act Now"): Serbian Cyrillic texts keep
                # such names in Latin letters.
                return PageLabel(lit.value, display_tag(tag))
            return PageLabel(cyrillic(lit.value, keep), "sr-Cyrl")
        return PageLabel(lit.value, display_tag(tag))
    return None


def other_names(literals: Sequence[ox.Literal], lang: str, *,
                keep: LatinPhrases | None = None) -> list[PageLabel]:
    """The other names (``skos:altLabel``) a page in ``lang`` shows beside a name: the
    untagged ones (acronyms) and those in its language (Serbian pages: Serbian in either
    script, in Cyrillic on ``sr-Cyrl`` pages), never another language's, sorted and
    without repeats.

    >>> L = ox.Literal
    >>> alt = [L("COMP.ACT"), L("Evropski COMP.ACT projekat", language="sr-Latn")]
    >>> [n.text for n in other_names(alt, "en")], [n.text for n in other_names(alt, "sr-Cyrl")]
    (['COMP.ACT'], ['COMP.ACT', 'Европски COMP.ACT пројекат'])
    """
    wanted = ("en",) if lang == "en" else (*_SERBIAN_TAGS, "sr-cyrl")
    out: list[PageLabel] = []
    for lit in sorted(literals, key=lambda v: (_tag(v) != "", v.value)):
        tag = _tag(lit)
        if tag == "":
            label = PageLabel(lit.value, "")
        elif (tag.split("-")[0] == "en" and lang == "en") or (tag in wanted and lang != "en"):
            label = (PageLabel(cyrillic(lit.value, keep), "sr-Cyrl")
                     if lang == "sr-Cyrl" and tag in _SERBIAN_TAGS
                     and not _same_elsewhere(lit, literals)
                     else PageLabel(lit.value, display_tag(lit.language)))
        else:
            continue
        if label.text not in (o.text for o in out):
            out.append(label)
    return out


def _same_elsewhere(lit: ox.Literal, literals: Sequence[ox.Literal]) -> bool:
    """Whether a Serbian literal is a name with the very same text in a non-Serbian
    language (a word without capitals, like "partner"@sr-Latn = "partner"@en, is a common
    noun of both languages, and a name spelled with Serbian letters, like "Svet reči", is
    Serbian whatever other labels say: both are transliterated)."""
    if _SERBIAN_LETTERS.search(lit.value):
        return False
    return lit.value != lit.value.lower() and any(
        other.value == lit.value and _tag(other) not in (*_SERBIAN_TAGS, "sr-cyrl")
        for other in literals)


def local_name(iri: str) -> str:
    """The last segment of an IRI, for things without a label."""
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            return iri.rstrip(sep).rsplit(sep, 1)[-1]
    return iri
