"""What HTML pages need besides templates: languages, labels, transliteration, pictures.

Everything here is pure (no Flask): the web layer picks the language, hands in a graph view
or rows from :mod:`ngo_ld.describe`, and gets back strings, :class:`PageLabel` records or
``Markup`` (SVG drawn server-side, every piece of text from the data escaped).

Languages: ``en``, ``sr-Latn`` and ``sr-Cyrl``. Serbian labels are stored in Latin script
(``@sr-Latn``; pyoxigraph hands tags back lower-cased, and BCP 47 tags are
case-insensitive, so every comparison here folds case); ``sr-Cyrl`` pages show them
transliterated with :func:`to_cyrillic`. Names in other languages are shown as written,
and Cyrillic text keeps them in Latin letters where Serbian labels quote them
(:func:`foreign_names`, computed once per data version by the web layer), as it keeps
acronyms (ASTRA, COMP.ACT).

>>> to_cyrillic("Ljudska prava")
'Људска права'
>>> to_cyrillic("NJEGOŠ i Džep")
'ЊЕГОШ и Џеп'
>>> display_tag("sr-latn")
'sr-Latn'

The parts, one job a module (import them from here, ``ngo_ld.pages``, as the web layer
does): :mod:`~ngo_ld.pages.languages` (language tags and choice),
:mod:`~ngo_ld.pages.cyrillic` (Serbian Latin → Cyrillic), :mod:`~ngo_ld.pages.labels`
(labels by language), :mod:`~ngo_ld.pages.countries` (country names),
:mod:`~ngo_ld.pages.strings` (the words around the data, dates), :mod:`~ngo_ld.pages.svg`
(pictures),
:mod:`~ngo_ld.pages.network` (how the collaborations connect),
:mod:`~ngo_ld.pages.collation` (sorting), :mod:`~ngo_ld.pages.vocabulary` (other
vocabularies' words) and :mod:`~ngo_ld.pages.view` (a document's graph and the page models built
from it).
"""

from __future__ import annotations

from .collation import initial, sort_key
from .countries import COUNTRIES, COUNTRY_AUTHORITY, COUNTRY_PROPERTY, country_code, country_name
from .cyrillic import TECHNICAL_TERMS, LatinPhrases, cyrillic, foreign_names, to_cyrillic
from .labels import PageLabel, local_name, other_names, pick_literal
from .languages import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    LANGUAGES,
    choose_language,
    display_tag,
    normalize_language,
)
from .quotes import Quote, source_quotes
from .strings import UI, format_date, format_number, ui_strings
from .svg import Box, columns_svg, group_counts, json_for_script
from .view import (
    ROLE_ORDER,
    WELL_KNOWN,
    Fact,
    GraphView,
    Link,
    MemberRow,
    Term,
    date_of,
    dates_text,
    facts,
    group_by_role,
    incoming,
    inverse_label,
    literals_for_language,
    membership_dates,
    memberships_of,
    names,
    role_sort_key,
)

__all__ = [
    "COUNTRIES", "COUNTRY_AUTHORITY", "COUNTRY_PROPERTY", "DEFAULT_LANGUAGE", "LANGUAGES",
    "LANGUAGE_NAMES", "ROLE_ORDER", "TECHNICAL_TERMS", "UI", "WELL_KNOWN", "Box", "Fact",
    "GraphView", "LatinPhrases", "Link", "MemberRow", "PageLabel", "Quote", "Term",
    "choose_language", "columns_svg", "country_code", "country_name", "cyrillic",
    "date_of", "dates_text", "display_tag", "facts", "foreign_names", "format_date",
    "format_number",
    "group_by_role", "group_counts", "incoming", "initial", "inverse_label", "json_for_script",
    "literals_for_language", "local_name", "membership_dates", "memberships_of", "names",
    "normalize_language", "other_names", "pick_literal", "role_sort_key", "sort_key",
    "source_quotes", "to_cyrillic", "ui_strings",
]
