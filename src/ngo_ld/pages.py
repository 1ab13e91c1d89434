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
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from markupsafe import Markup, escape

from .namespaces import NGOLD

NGOLD_COUNTRY = str(NGOLD["country"])

LANGUAGES: tuple[str, ...] = ("en", "sr-Latn", "sr-Cyrl")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "sr-Latn": "Srpski", "sr-Cyrl": "Српски"}

# ------------------------------------------------------------------------------------
# Language tags and choice
# ------------------------------------------------------------------------------------


def display_tag(tag: str | None) -> str:
    """A language tag in its conventional case (``sr-latn`` → ``sr-Latn``, ``EN`` → ``en``).

    BCP 47 tags are case-insensitive; the convention is lower-case language, title-case
    script (4 letters), upper-case region (2 letters or 3 digits).
    """
    if not tag:
        return ""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def _language_for_tag(tag: str) -> str | None:
    """One of :data:`LANGUAGES` for a BCP 47 tag, by its primary language subtag and script,
    or None: any Serbian tag with the Cyrillic script (``sr-Cyrl``, ``sr-Cyrl-RS``) is
    ``sr-Cyrl``, any other Serbian tag (``sr``, ``sr-RS``, ``sr-Latn-BA``, ``sr-ME``)
    ``sr-Latn``, any English one (``en-GB``) ``en``. Other languages, Croatian, Bosnian,
    Serbo-Croatian and Montenegrin included (``hr``, ``bs``, ``sh``, ``cnr``), match none.
    """
    parts = tag.strip().replace("_", "-").lower().split("-")
    if parts[0] == "sr":
        return "sr-Cyrl" if "cyrl" in parts[1:] else "sr-Latn"
    if parts[0] == "en":
        return "en"
    return None


def normalize_language(value: str | None) -> str | None:
    """One of :data:`LANGUAGES` for a ``?lang=`` value (any case; ``sr`` and ``sr-RS`` →
    ``sr-Latn``, ``sr-Cyrl-RS`` → ``sr-Cyrl``), or None when it names none of them.

    >>> normalize_language("SR-cyrl"), normalize_language("sr"), normalize_language("de")
    ('sr-Cyrl', 'sr-Latn', None)
    """
    if not value:
        return None
    return _language_for_tag(value)


def choose_language(explicit: str | None,
                    accept_languages: Iterable[tuple[str, float]] | None) -> str:
    """The page language: ``?lang=`` first, then ``Accept-Language``, then English.

    ``accept_languages`` is Werkzeug's ``request.accept_languages`` (a ``LanguageAccept``).
    Its tags are taken in the client's order of preference (quality, highest first; ``q=0``
    refuses a tag) and each is matched by its primary subtag and script
    (:func:`_language_for_tag`): ``sr-RS`` → ``sr-Latn``, ``sr-Cyrl-RS`` → ``sr-Cyrl``,
    ``en-GB`` → ``en``; the first tag that matches decides, ``*`` meaning English. Werkzeug's
    ``best_match`` is not used: it does not shorten ``sr-RS`` to ``sr``.

    >>> from werkzeug.datastructures import LanguageAccept
    >>> choose_language(None, LanguageAccept([("sr-RS", 1), ("en", 0.5)]))
    'sr-Latn'
    """
    chosen = normalize_language(explicit)
    if chosen:
        return chosen
    if accept_languages is not None:
        requested = [(str(value), quality) for value, quality in accept_languages
                     if quality > 0]
        # Werkzeug orders by specificity first; the client's preference is the quality
        # (a stable sort keeps Werkzeug's order among tags of the same quality).
        requested.sort(key=lambda pair: -pair[1])
        for value, _ in requested:
            if value == "*":
                return DEFAULT_LANGUAGE
            code = _language_for_tag(value)
            if code:
                return code
    return DEFAULT_LANGUAGE


# ------------------------------------------------------------------------------------
# Serbian Latin → Cyrillic
# ------------------------------------------------------------------------------------

_LOWER = {
    "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ", "e": "е", "f": "ф",
    "g": "г", "h": "х", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о",
    "p": "п", "r": "р", "s": "с", "š": "ш", "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
}
_SINGLE = {**_LOWER, **{k.upper(): v.upper() for k, v in _LOWER.items()}}
_DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ"}
# Words in which the letter pairs are two letters, not one (a prefix ends where the root
# starts): "nad-živeti", "pod-žanr", "in-jekcija", "kon-junkcija", "kon-jugacija".
_NOT_DIGRAPH = re.compile(r"(?i)^(?:(?:nad|pod)(?=ž(?:iv|anr|upan))|(?:in|kon)(?=j(?:ekc|unk|ug)))")
_DIGRAPH_RE = re.compile(r"(?i)lj|nj|dž")
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)  # letters and digits: "W3C" is one word


def _digraph(match: re.Match[str]) -> str:
    pair = match.group(0)
    cyr = _DIGRAPHS[pair.lower()]
    return cyr.upper() if pair[0].isupper() else cyr


def _word_to_cyrillic(word: str) -> str:
    # Mark the exceptional pairs with a zero-width joiner so the digraph pass skips them.
    marked = _NOT_DIGRAPH.sub(lambda m: m.group(0) + "\u200d", word)
    converted = _DIGRAPH_RE.sub(_digraph, marked).replace("\u200d", "")
    return "".join(_SINGLE.get(ch, ch) for ch in converted)


@dataclass(frozen=True)
class LatinPhrases:
    """Phrases that Serbian Cyrillic text keeps in Latin letters, as one compiled regex.

    Build one with :meth:`of` (once per data version for the names in the data: see
    :func:`foreign_names`); a phrase matches only as whole words, the longest first.

    >>> LatinPhrases.of(["La Strada", "La Strada International"]).pattern.findall(
    ...     "La Strada International, La Stradax")
    ['La Strada International']
    """

    phrases: frozenset[str]
    pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, phrases: Iterable[str]) -> LatinPhrases:
        return _latin_phrases(frozenset(unicodedata.normalize("NFC", p) for p in phrases if p))


@functools.lru_cache(maxsize=64)
def _latin_phrases(phrases: frozenset[str]) -> LatinPhrases:
    if not phrases:
        return LatinPhrases(phrases)
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=lambda p: (-len(p), p)))
    # Whole words only: no letter or digit right before or after the phrase.
    return LatinPhrases(phrases, re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])"))


#: Serbian acronyms, written in Cyrillic in Cyrillic text (nevladina organizacija, …).
_SERBIAN_ACRONYMS = frozenset({"NVO", "OCD", "SAD", "SFRJ", "SRJ", "RS", "AP", "JKP"})


def _is_acronym(word: str) -> bool:
    """An all-caps word of (unaccented) Latin letters, at least two of them (ASTRA, OMCT),
    that is not a Serbian acronym (NVO) nor a word with a digraph (LJUBAV)."""
    return (word.isascii() and word.isupper() and sum(ch.isalpha() for ch in word) >= 2
            and word not in _SERBIAN_ACRONYMS and not _DIGRAPH_RE.search(word))


def to_cyrillic(text: str, *, keep: Iterable[str] | LatinPhrases = (),
                acronyms: bool = False) -> str:
    """Serbian Latin script → Serbian Cyrillic, letter for letter (Vuk's alphabet).

    The digraphs lj, nj and dž are one letter each (љ, њ, џ; ``Lj``/``LJ`` → ``Љ``);
    č ć š ž đ → ч ћ ш ж ђ; letters outside the Serbian alphabet (q w x y, accented foreign
    letters), digits and punctuation are left as they are. ``keep`` lists phrases (acronyms
    such as SPARQL, foreign names such as "La Strada International") to leave in Latin
    wherever they occur as whole words, the longest first; with ``acronyms``, all-caps words
    of Latin letters (ASTRA, COMP, ACT) stay in Latin too.

    >>> to_cyrillic("Udruženje tužilaca, đak, ćup, čaj, šuma")
    'Удружење тужилаца, ђак, ћуп, чај, шума'
    >>> to_cyrillic("injekcija i konjunkcija; nadživeti")
    'инјекција и конјункција; надживети'
    >>> to_cyrillic("Upit (SPARQL)", keep=["SPARQL"])
    'Упит (SPARQL)'
    >>> to_cyrillic("Članstvo: La Strada International – COMP.ACT (vodeća organizacija)",
    ...             keep=["La Strada International"], acronyms=True)
    'Чланство: La Strada International – COMP.ACT (водећа организација)'
    >>> to_cyrillic("COMP.ACT", acronyms=True), to_cyrillic("LJUBAV", acronyms=True)
    ('COMP.ACT', 'ЉУБАВ')
    """
    text = unicodedata.normalize("NFC", text)
    protected = keep if isinstance(keep, LatinPhrases) else LatinPhrases.of(keep)

    def word(match: re.Match[str]) -> str:
        w = match.group(0)
        if acronyms and _is_acronym(w):
            return w
        return _word_to_cyrillic(w)

    if protected.pattern is None:
        return _WORD_RE.sub(word, text)
    out, pos = [], 0
    for match in protected.pattern.finditer(text):
        out += [_WORD_RE.sub(word, text[pos:match.start()]), match.group(0)]
        pos = match.end()
    out.append(_WORD_RE.sub(word, text[pos:]))
    return "".join(out)


#: Names of standards and vocabularies that Serbian Cyrillic text keeps in Latin letters.
TECHNICAL_TERMS = ("W3C", "ORG", "SKOS", "OWL", "Time", "PROV", "SPARQL", "SHACL", "VoID",
                   "DCAT", "RDF", "XML", "JSON", "LD", "HTML", "IRI", "URI", "URL", "Turtle",
                   "DCTERMS", "FOAF", "ISO", "ngo", "ld", "ngold", "PROV-O")
_TECHNICAL = LatinPhrases.of(TECHNICAL_TERMS)


def cyrillic(text: str, keep: LatinPhrases | None = None) -> str:
    """:func:`to_cyrillic` for text from the data: names of standards, acronyms and the
    phrases of ``keep`` (the dataset's foreign names, :func:`foreign_names`) stay in Latin.

    >>> cyrillic("Ljudska prava"), cyrillic("Njegoš"), cyrillic("Džep"), cyrillic("đak")
    ('Људска права', 'Његош', 'Џеп', 'ђак')
    >>> cyrillic("Evropski COMP.ACT projekat (SPARQL)")
    'Европски COMP.ACT пројекат (SPARQL)'
    """
    return to_cyrillic(text, keep=_TECHNICAL if keep is None else keep, acronyms=True)


#: Primary language subtags of South Slavic languages written in Latin letters: their names
#: transliterate into Serbian Cyrillic like Serbian ones (Zora → Зора), so they are not kept.
_SOUTH_SLAVIC = ("sr", "hr", "bs", "sh", "cnr", "mk", "sl")
_SOUTH_SLAVIC_LETTERS = re.compile("[čćđšžČĆĐŠŽ]")


def foreign_names(labels: Iterable[ox.Literal], *, extra: Iterable[str] = TECHNICAL_TERMS
                  ) -> LatinPhrases:
    """The names that Serbian Cyrillic text keeps in Latin, from the dataset's labels.

    ``labels`` are the ``skos:prefLabel`` / ``rdfs:label`` / ``skos:altLabel`` literals of
    the dataset (untagged ones: ``skos:altLabel`` only, acronyms such as "GAATW"). Kept are
    the names in languages that are not South Slavic (en, fr, it, …) and untagged ones,
    except common nouns (no capital letter: "partner", "region" are Serbian words too),
    names spelled with South Slavic letters ("Svet reči"), and names that a South Slavic
    label spells the same way ("Zora"@en and "Zora"@hr). A Serbian label equal to a kept
    name is kept by the same phrase.

    >>> L = ox.Literal
    >>> sorted(foreign_names([L("La Strada International", language="en"),
    ...     L("partner", language="en"), L("Zora", language="en"), L("Zora", language="hr"),
    ...     L("Svet reči", language="en"), L("GAATW"), L("Ljudska prava", language="sr-latn")],
    ...     extra=()).phrases)
    ['GAATW', 'La Strada International']
    """
    labels = list(labels)
    slavic = {unicodedata.normalize("NFC", lit.value) for lit in labels
              if _tag(lit).split("-")[0] in _SOUTH_SLAVIC}
    names = set()
    for lit in labels:
        value = unicodedata.normalize("NFC", lit.value.strip())
        if (_tag(lit).split("-")[0] in _SOUTH_SLAVIC or value in slavic
                or value == value.lower() or _SOUTH_SLAVIC_LETTERS.search(value)):
            continue
        names.add(value)
    return LatinPhrases.of([*extra, *names])


# ------------------------------------------------------------------------------------
# Labels by language
# ------------------------------------------------------------------------------------

_SERBIAN_TAGS = ("sr-latn", "sr")


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


def _tag(lit: ox.Literal) -> str:
    return (lit.language or "").lower()


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


def _same_elsewhere(lit: ox.Literal, literals: Sequence[ox.Literal]) -> bool:
    """Whether a Serbian literal is a name with the very same text in a non-Serbian
    language (a word without capitals, like "partner"@sr-Latn = "partner"@en, is a common
    noun of both languages, and is transliterated)."""
    return lit.value != lit.value.lower() and any(
        other.value == lit.value and _tag(other) not in (*_SERBIAN_TAGS, "sr-cyrl")
        for other in literals)


def local_name(iri: str) -> str:
    """The last segment of an IRI, for things without a label."""
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            return iri.rstrip(sep).rsplit(sep, 1)[-1]
    return iri


# ------------------------------------------------------------------------------------
# Countries (EU Publications Office authority, ISO 3166-1 alpha-3)
# ------------------------------------------------------------------------------------

#: Names of the countries the data uses (and neighbours likely to be added), en / sr-Latn.
COUNTRIES: dict[str, tuple[str, str]] = {
    "ALB": ("Albania", "Albanija"),
    "AUT": ("Austria", "Austrija"),
    "BEL": ("Belgium", "Belgija"),
    "BGR": ("Bulgaria", "Bugarska"),
    "BIH": ("Bosnia and Herzegovina", "Bosna i Hercegovina"),
    "CHE": ("Switzerland", "Švajcarska"),
    "CZE": ("Czechia", "Češka"),
    "DEU": ("Germany", "Nemačka"),
    "DNK": ("Denmark", "Danska"),
    "ESP": ("Spain", "Španija"),
    "FIN": ("Finland", "Finska"),
    "FRA": ("France", "Francuska"),
    "GBR": ("United Kingdom", "Ujedinjeno Kraljevstvo"),
    "GRC": ("Greece", "Grčka"),
    "HRV": ("Croatia", "Hrvatska"),
    "HUN": ("Hungary", "Mađarska"),
    "IRL": ("Ireland", "Irska"),
    "ITA": ("Italy", "Italija"),
    "MKD": ("North Macedonia", "Severna Makedonija"),
    "MNE": ("Montenegro", "Crna Gora"),
    "NLD": ("Netherlands", "Holandija"),
    "NOR": ("Norway", "Norveška"),
    "POL": ("Poland", "Poljska"),
    "PRT": ("Portugal", "Portugalija"),
    "ROU": ("Romania", "Rumunija"),
    "SRB": ("Serbia", "Srbija"),
    "SVK": ("Slovakia", "Slovačka"),
    "SVN": ("Slovenia", "Slovenija"),
    "SWE": ("Sweden", "Švedska"),
    "THA": ("Thailand", "Tajland"),
    "UKR": ("Ukraine", "Ukrajina"),
    "USA": ("United States", "Sjedinjene Američke Države"),
}
COUNTRY_AUTHORITY = "http://publications.europa.eu/resource/authority/country/"


def country_code(iri: str) -> str | None:
    """``…/country/SRB`` → ``SRB``; None for any other IRI."""
    if iri.startswith(COUNTRY_AUTHORITY):
        return iri[len(COUNTRY_AUTHORITY):] or None
    return None


def country_name(iri: str, lang: str) -> PageLabel:
    """The country's name in ``lang`` (its ISO code when the table does not know it)."""
    code = country_code(iri) or local_name(iri)
    names = COUNTRIES.get(code)
    if names is None:
        return PageLabel(code, "")
    if lang == "en":
        return PageLabel(names[0], "en")
    if lang == "sr-Cyrl":
        return PageLabel(to_cyrillic(names[1]), "sr-Cyrl")
    return PageLabel(names[1], "sr-Latn")


# ------------------------------------------------------------------------------------
# The words around the data
# ------------------------------------------------------------------------------------

_UI_EN: dict[str, str] = {
    "site": "ngo_ld",
    "nav": "Site",
    "home": "Home",
    "query": "Query (SPARQL)",
    "ontology": "Ontology",
    "validation": "Validation",
    "language": "Language",
    "dumps": "Dumps",
    "footer": "Data taken from a page of ASTRA (Serbia). All rights reserved © ASTRA.",
    "tagline": "ASTRA's international networks, coalitions, platforms and initiatives "
               "as Linked Data",
    "intro": "This site publishes, as Linked Data, the list of international networks, "
             "coalitions, platforms and initiatives that the Serbian anti-trafficking NGO "
             "ASTRA belongs to: who is a member of what, in which role, since when, from "
             "which country, and why the collaboration exists. It is modelled with the "
             "W3C Organization Ontology (ORG) and checked with SHACL.",
    "source": "Source",
    "rights": "Rights",
    "collaborations": "ASTRA's collaborations",
    "collaboration": "Collaboration",
    "kind": "Kind",
    "kinds": "Kind",
    "members_listed": "members named",
    "members_declared": "members stated",
    "astra_role": "ASTRA's role",
    "since": "since",
    "until": "until",
    "members": "Members",
    "memberships": "Memberships",
    "names": "Names",
    "other_names": "Other names",
    "purpose": "Purpose",
    "description": "Description",
    "country": "Country",
    "countries": "Countries",
    "role": "Role",
    "organisation": "Organisation",
    "member": "Member",
    "dates": "Dates",
    "statements": "All statements",
    "incoming": "Mentioned by",
    "property": "Property",
    "value": "Value",
    "formats": "This document in other formats",
    "open_sparql": "Open in the SPARQL query page",
    "picture": "Picture",
    "astra_place": "ASTRA's place among its collaborations",
    "members_by_role": "Members by role and country",
    "data": "The data",
    "data_intro": "Every thing has an IRI that works in a browser and for Linked Data "
                  "clients; the whole dataset can be downloaded or queried.",
    "query_page": "SPARQL query page",
    "void": "Dataset description (VoID, DCAT)",
    "validation_report": "Validation report (SHACL)",
    "download": "Download the whole dataset",
    "classes": "Classes",
    "properties": "Properties",
    "domain": "Domain",
    "range": "Range",
    "comment": "Comment",
    "label": "Label",
    "term": "Term",
    "conforms": "The data conforms to the shapes.",
    "not_conforms": "The data does not conform to the shapes.",
    "ran_at": "Validated at",
    "shapes_used": "Shapes used",
    "files_checked": "Files checked",
    "results": "Results",
    "no_results": "No results: nothing to report.",
    "severity": "Severity",
    "focus": "Focus node",
    "path": "Path",
    "message": "Message",
    "shape": "Shape",
    "where": "Where",
    "not_validated": "The data being served was not validated at start; this report was "
                     "made now.",
    "not_found": "Not found",
    "type": "Type",
    "count": "Count",
    "more": "more",
    "declared_count": "stated count",
    "unknown_country": "country not given",
    "none": "—",
}

_UI_SR: dict[str, str] = {
    "site": "ngo_ld",
    "nav": "Sajt",
    "home": "Početna",
    "query": "Upit (SPARQL)",
    "ontology": "Ontologija",
    "validation": "Validacija",
    "language": "Jezik",
    "dumps": "Preuzimanje",
    "footer": "Podaci preuzeti sa stranice ASTRE (Srbija). All rights reserved © ASTRA.",
    "tagline": "Međunarodne mreže, koalicije, platforme i inicijative ASTRE kao povezani "
               "podaci",
    "intro": "Ovaj sajt objavljuje, kao povezane podatke (Linked Data), spisak "
             "međunarodnih mreža, koalicija, platformi i inicijativa čiji je član srpska "
             "nevladina organizacija ASTRA, koja se bori protiv trgovine ljudima: ko je "
             "član čega, u kojoj ulozi, od kada, iz koje države i zašto saradnja postoji. "
             "Model je W3C ontologija organizacija (ORG), proveren pravilima SHACL.",
    "source": "Izvor",
    "rights": "Prava",
    "collaborations": "Saradnje ASTRE",
    "collaboration": "Saradnja",
    "kind": "Vrsta",
    "kinds": "Vrsta",
    "members_listed": "navedenih članova",
    "members_declared": "članova prema izvoru",
    "astra_role": "Uloga ASTRE",
    "since": "od",
    "until": "do",
    "members": "Članovi",
    "memberships": "Članstva",
    "names": "Nazivi",
    "other_names": "Drugi nazivi",
    "purpose": "Cilj",
    "description": "Opis",
    "country": "Država",
    "countries": "Države",
    "role": "Uloga",
    "organisation": "Organizacija",
    "member": "Član",
    "dates": "Datumi",
    "statements": "Svi iskazi",
    "incoming": "Pominje se u",
    "property": "Svojstvo",
    "value": "Vrednost",
    "formats": "Ovaj dokument u drugim formatima",
    "open_sparql": "Otvori na stranici za SPARQL upite",
    "picture": "Slika",
    "astra_place": "Mesto ASTRE među njenim saradnjama",
    "members_by_role": "Članovi po ulozi i državi",
    "data": "Podaci",
    "data_intro": "Svaka stvar ima IRI koji radi u pregledaču i za klijente povezanih "
                  "podataka; ceo skup podataka može da se preuzme ili pretražuje upitima.",
    "query_page": "Stranica za SPARQL upite",
    "void": "Opis skupa podataka (VoID, DCAT)",
    "validation_report": "Izveštaj o validaciji (SHACL)",
    "download": "Preuzmite ceo skup podataka",
    "classes": "Klase",
    "properties": "Svojstva",
    "domain": "Domen",
    "range": "Opseg",
    "comment": "Objašnjenje",
    "label": "Naziv",
    "term": "Termin",
    "conforms": "Podaci su u skladu sa pravilima.",
    "not_conforms": "Podaci nisu u skladu sa pravilima.",
    "ran_at": "Validirano",
    "shapes_used": "Korišćena pravila",
    "files_checked": "Provereni fajlovi",
    "results": "Rezultati",
    "no_results": "Nema rezultata: nema šta da se prijavi.",
    "severity": "Ozbiljnost",
    "focus": "Čvor",
    "path": "Putanja",
    "message": "Poruka",
    "shape": "Pravilo",
    "where": "Gde",
    "not_validated": "Podaci nisu validirani pri pokretanju; ovaj izveštaj je napravljen "
                     "sada.",
    "not_found": "Nije pronađeno",
    "type": "Tip",
    "count": "Broj",
    "more": "još",
    "declared_count": "broj prema izvoru",
    "unknown_country": "država nije navedena",
    "none": "—",
}

# Words that stay in Latin letters in Cyrillic text (names of standards and formats).
_KEEP_LATIN = ("SPARQL", "VoID", "DCAT", "SHACL", "ORG", "W3C", "Linked", "Data", "IRI",
               "HTML", "RDF", "XML", "JSON", "LD", "Turtle", "N", "Triples", "ngo_ld",
               "ngo", "ld", "All", "rights", "reserved", "ASTRA")
_UI_CYRL = {key: to_cyrillic(value, keep=_KEEP_LATIN) for key, value in _UI_SR.items()}

UI: dict[str, dict[str, str]] = {"en": _UI_EN, "sr-Latn": _UI_SR, "sr-Cyrl": _UI_CYRL}


def ui_strings(lang: str) -> dict[str, str]:
    """The page chrome in ``lang`` (English for an unknown language)."""
    return UI.get(lang, _UI_EN)


def format_date(lexical: str, lang: str) -> str:
    """``2014-04`` → ``April 2014`` / ``april 2014.`` / ``април 2014.``; other values as given."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", lexical)
    if not match:
        return lexical
    year, month, day = match.groups()
    if month is None:
        return year if lang == "en" else f"{year}."
    months_en = ["January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December"]
    months_sr = ["januar", "februar", "mart", "april", "maj", "jun", "jul", "avgust",
                 "septembar", "oktobar", "novembar", "decembar"]
    m = int(month) - 1
    if not 0 <= m < 12:
        return lexical
    if lang == "en":
        return f"{int(day)} {months_en[m]} {year}" if day else f"{months_en[m]} {year}"
    text = f"{int(day)}. {months_sr[m]} {year}." if day else f"{months_sr[m]} {year}."
    return to_cyrillic(text) if lang == "sr-Cyrl" else text


# ------------------------------------------------------------------------------------
# Pictures (SVG, drawn on the server, text escaped, a <title> on every shape)
# ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """Something to draw: a label, a link and a tooltip."""

    label: str
    href: str
    title: str = ""
    highlight: bool = False


@dataclass
class RoleGroup:
    """Members of a collaboration in one role, grouped by country."""

    role: str
    countries: dict[str, list[Node]] = field(default_factory=dict)  # country name → members

    @property
    def size(self) -> int:
        return sum(len(v) for v in self.countries.values())


def _text(x: float, y: float, text: str, *, cls: str = "", anchor: str = "start",
          size: int | None = None) -> str:
    attrs = f'x="{x:.1f}" y="{y:.1f}"'
    if cls:
        attrs += f' class="{cls}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if size:
        attrs += f' font-size="{size}"'
    return f"<text {attrs}>{escape(text)}</text>"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def collaboration_svg(title: str, groups: Sequence[RoleGroup], *, width: int = 960) -> Markup:
    """Members of a collaboration as boxes: one band per role, one box per country.

    Each member is a line of text linked to its page; its full name is in a ``<title>``.
    """
    box_w, line_h, pad, gap = 226, 17, 8, 10
    columns = max(1, (width - gap) // (box_w + gap))
    parts: list[str] = []
    y = 28.0
    parts.append(_text(10, 20, title, cls="svg-title"))
    for group in groups:
        y += 12
        parts.append(_text(10, y + 12, f"{group.role} ({group.size})", cls="svg-role"))
        y += 22
        col, row_top, row_h = 0, y, 0.0
        for country, members in group.countries.items():
            h = pad * 2 + line_h * (len(members) + 1)
            x = gap + col * (box_w + gap)
            parts.append(
                f'<g class="svg-country"><title>{escape(country)}: {len(members)}</title>'
                f'<rect x="{x}" y="{row_top:.1f}" width="{box_w}" height="{h}" rx="6"/>'
                + _text(x + pad, row_top + pad + 12, _shorten(country, 30), cls="svg-cname")
                + "</g>"
            )
            for i, member in enumerate(members):
                ty = row_top + pad + 12 + line_h * (i + 1)
                cls = "svg-member svg-highlight" if member.highlight else "svg-member"
                parts.append(
                    f'<a href="{escape(member.href)}"><title>{escape(member.title or member.label)}'
                    f"</title>{_text(x + pad + 6, ty, _shorten(member.label, 31), cls=cls)}</a>"
                )
            row_h = max(row_h, h)
            col += 1
            if col == columns:
                col, row_top, row_h = 0, row_top + row_h + gap, 0.0
        y = row_top + row_h + (gap if col else 0)
    height = int(y + 10)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="picture" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        + "".join(parts) + "</svg>"
    )


@dataclass(frozen=True)
class Spoke:
    """One collaboration around the centre of :func:`place_svg`."""

    node: Node
    members: int  # how many members the data names (circle size)
    role: str  # the centre's role in it
    since: str = ""  # when the centre joined, as display text


def place_svg(title: str, centre: Node, spokes: Sequence[Spoke], *, width: int = 1000,
              height: int = 640) -> Markup:
    """ASTRA in the middle, its collaborations around it on an ellipse; circle area ∝ the
    members the data names; each spoke says ASTRA's role and since when."""
    cx, cy = width / 2, height / 2 + 8
    rx, ry = width / 2 - 280, height / 2 - 90
    biggest = max((s.members for s in spokes), default=1) or 1
    parts: list[str] = [_text(10, 22, title, cls="svg-title")]
    n = max(1, len(spokes))
    for i, spoke in enumerate(spokes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = cx + rx * cos, cy + ry * sin
        r = 14 + 30 * math.sqrt(max(spoke.members, 1) / biggest)
        edge = spoke.role + (f", {spoke.since}" if spoke.since else "")
        ex, ey = cx + 0.58 * rx * cos, cy + 0.58 * ry * sin
        # Edge labels run along their spoke (turned to read left to right), so that
        # neighbouring spokes' labels do not overlap.
        deg = math.degrees(math.atan2(y - cy, x - cx))
        if deg > 90:
            deg -= 180
        elif deg < -90:
            deg += 180
        parts.append(
            f'<g class="svg-edge"><title>{escape(centre.label)} → {escape(spoke.node.label)}: '
            f'{escape(edge)}</title><line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" '
            f'y2="{y:.1f}"/><g transform="rotate({deg:.1f} {ex:.1f} {ey:.1f})">'
            f'{_text(ex, ey - 5, edge, cls="svg-edge-label", anchor="middle")}</g></g>'
        )
        if cos > 0.25:
            lx, ly, anchor = x + r + 8, y + 5, "start"
        elif cos < -0.25:
            lx, ly, anchor = x - r - 8, y + 5, "end"
        else:
            lx, ly, anchor = x, (y + r + 17 if sin > 0 else y - r - 9), "middle"
        parts.append(
            f'<a href="{escape(spoke.node.href)}"><title>'
            f"{escape(spoke.node.title or spoke.node.label)} ({spoke.members})</title>"
            f'<circle class="svg-collab" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
            + _text(x, y + 5, str(spoke.members), cls="svg-count", anchor="middle")
            + _text(lx, ly, _shorten(spoke.node.label, 34 if anchor == "middle" else 33),
                    cls="svg-name", anchor=anchor)
            + "</a>"
        )
    parts.append(
        f'<a href="{escape(centre.href)}"><title>{escape(centre.title or centre.label)}</title>'
        f'<circle class="svg-centre" cx="{cx:.1f}" cy="{cy:.1f}" r="46"/>'
        + _text(cx, cy + 6, _shorten(centre.label, 12), cls="svg-centre-label", anchor="middle")
        + "</a>"
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="picture" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        + "".join(parts) + "</svg>"
    )


def json_for_script(text: str) -> Markup:
    """JSON made safe inside ``<script>``: no ``</script>``, ``<!--`` or ``]]>`` can appear.

    ``<``, ``>`` and ``&`` become ``\\u003c`` etc. — still the same JSON to a parser.
    """
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def group_counts(items: Iterable[str]) -> Mapping[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


# ------------------------------------------------------------------------------------
# A view over a document's triples, and the page models built from it
# ------------------------------------------------------------------------------------

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_ORG = "http://www.w3.org/ns/org#"
_TIME = "http://www.w3.org/2006/time#"
_DCT = "http://purl.org/dc/terms/"
_OWL = "http://www.w3.org/2002/07/owl#"
_DATE_PREDICATES = (f"{_TIME}inXSDDate", f"{_TIME}inXSDgYearMonth", f"{_TIME}inXSDgYear",
                    f"{_TIME}inXSDDateTimeStamp", f"{_TIME}inXSDDateTime")
#: Roles listed first on a collaboration's page (others follow by label).
ROLE_ORDER = ("role-lead-organisation", "role-founder", "role-partner", "role-associate",
              "role-member")

Term = ox.NamedNode | ox.BlankNode | ox.Literal


#: Labels of terms from other vocabularies (their labels are not in the dataset).
WELL_KNOWN: dict[str, tuple[str, str]] = {
    _RDF_TYPE: ("type", "tip"),
    f"{_ORG}classification": ("kind", "vrsta"),
    f"{_ORG}purpose": ("purpose", "cilj"),
    f"{_ORG}memberOf": ("member of", "član"),
    f"{_ORG}hasMember": ("has member", "ima člana"),
    f"{_ORG}member": ("member", "član"),
    f"{_ORG}organization": ("organisation", "organizacija"),
    f"{_ORG}role": ("role", "uloga"),
    f"{_ORG}memberDuring": ("member during", "član tokom"),
    f"{_ORG}unitOf": ("unit of", "jedinica u okviru"),
    f"{_ORG}hasUnit": ("has unit", "ima jedinicu"),
    f"{_ORG}subOrganizationOf": ("part of", "deo"),
    f"{_ORG}hasSubOrganization": ("has part", "ima deo"),
    f"{_ORG}Organization": ("Organisation", "Organizacija"),
    f"{_ORG}FormalOrganization": ("Formal organisation", "Formalna organizacija"),
    f"{_ORG}OrganizationalCollaboration": ("Collaboration", "Saradnja"),
    f"{_ORG}OrganizationalUnit": ("Organisational unit", "Organizaciona jedinica"),
    f"{_ORG}Membership": ("Membership", "Članstvo"),
    f"{_ORG}Role": ("Role", "Uloga"),
    f"{_SKOS}Concept": ("Concept", "Pojam"),
    f"{_SKOS}ConceptScheme": ("Concept scheme", "Šema pojmova"),
    f"{_SKOS}inScheme": ("in scheme", "u šemi"),
    f"{_SKOS}topConceptOf": ("top concept of", "glavni pojam u"),
    f"{_SKOS}hasTopConcept": ("has top concept", "glavni pojmovi"),
    f"{_SKOS}definition": ("definition", "definicija"),
    f"{_SKOS}broader": ("broader", "širi pojam"),
    f"{_SKOS}narrower": ("narrower", "uži pojam"),
    f"{_SKOS}closeMatch": ("close match", "blisko odgovara"),
    f"{_SKOS}exactMatch": ("exact match", "tačno odgovara"),
    f"{_SKOS}note": ("note", "napomena"),
    f"{_SKOS}scopeNote": ("scope note", "napomena o upotrebi"),
    f"{_TIME}hasBeginning": ("beginning", "početak"),
    f"{_TIME}hasEnd": ("end", "kraj"),
    f"{_TIME}inXSDgYearMonth": ("year and month", "godina i mesec"),
    f"{_TIME}inXSDgYear": ("year", "godina"),
    f"{_TIME}inXSDDate": ("date", "datum"),
    f"{_TIME}Instant": ("Instant", "Trenutak"),
    f"{_TIME}Interval": ("Interval", "Interval"),
    f"{_TIME}ProperInterval": ("Interval", "Interval"),
    f"{_DCT}title": ("title", "naslov"),
    f"{_DCT}description": ("description", "opis"),
    f"{_DCT}source": ("source", "izvor"),
    f"{_DCT}rights": ("rights", "prava"),
    f"{_DCT}publisher": ("publisher", "izdavač"),
    f"{_DCT}creator": ("creator", "autor"),
    f"{_DCT}language": ("language", "jezik"),
    f"{_DCT}format": ("format", "format"),
    f"{_DCT}license": ("licence", "licenca"),
    f"{_DCT}created": ("created", "napravljeno"),
    f"{_DCT}modified": ("modified", "izmenjeno"),
    f"{_DCT}RightsStatement": ("Rights statement", "Izjava o pravima"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("derived from", "izvedeno iz"),
    "http://www.w3.org/ns/prov#Entity": ("Entity", "Entitet"),
    "http://www.w3.org/ns/prov#Activity": ("Activity", "Aktivnost"),
    "http://xmlns.com/foaf/0.1/Document": ("Document", "Dokument"),
    "http://xmlns.com/foaf/0.1/homepage": ("home page", "početna stranica"),
    "http://xmlns.com/foaf/0.1/page": ("page", "stranica"),
    f"{_RDFS}label": ("label", "naziv"),
    f"{_RDFS}comment": ("comment", "objašnjenje"),
    f"{_RDFS}seeAlso": ("see also", "vidi i"),
    f"{_RDFS}isDefinedBy": ("defined by", "definisano u"),
    f"{_RDFS}domain": ("domain", "domen"),
    f"{_RDFS}range": ("range", "opseg"),
    f"{_RDFS}subClassOf": ("subclass of", "potklasa od"),
    f"{_RDFS}subPropertyOf": ("subproperty of", "potsvojstvo od"),
    f"{_OWL}Class": ("Class", "Klasa"),
    f"{_OWL}ObjectProperty": ("Object property", "Objektno svojstvo"),
    f"{_OWL}DatatypeProperty": ("Datatype property", "Svojstvo sa vrednošću"),
    f"{_OWL}Ontology": ("Ontology", "Ontologija"),
    f"{_OWL}versionInfo": ("version", "verzija"),
    f"{_OWL}versionIRI": ("version IRI", "IRI verzije"),
    f"{_OWL}sameAs": ("same as", "isto što i"),
}


class GraphView:
    """Subject and object indexes over a list of pyoxigraph triples, and the phrases that
    its Serbian Cyrillic labels keep in Latin (``keep``, see :func:`foreign_names`)."""

    def __init__(self, triples: Iterable[ox.Triple], *, keep: LatinPhrases | None = None
                 ) -> None:
        self.keep = keep
        self.out: dict[Term, dict[str, list[Term]]] = {}
        self.inc: dict[Term, dict[str, list[Term]]] = {}
        for t in triples:
            self.out.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
            self.inc.setdefault(t.object, {}).setdefault(t.predicate.value, []).append(t.subject)

    def objects(self, s: Term, p: str) -> list[Term]:
        return self.out.get(s, {}).get(p, [])

    def subjects(self, p: str, o: Term) -> list[Term]:
        return self.inc.get(o, {}).get(p, [])

    def value(self, s: Term, p: str) -> Term | None:
        found = self.objects(s, p)
        return found[0] if found else None

    def literals(self, s: Term, p: str) -> list[ox.Literal]:
        return [o for o in self.objects(s, p) if isinstance(o, ox.Literal)]

    def label(self, node: Term, lang: str) -> PageLabel:
        """The best label of ``node`` for ``lang``; a country name; or its local name."""
        if isinstance(node, ox.Literal):
            return PageLabel(node.value, display_tag(node.language))
        labels = self.literals(node, f"{_SKOS}prefLabel") or self.literals(node, f"{_RDFS}label")
        picked = pick_literal(labels, lang, keep=self.keep)
        if picked is not None:
            return picked
        if isinstance(node, ox.NamedNode) and country_code(node.value):
            return country_name(node.value, lang)
        if isinstance(node, ox.NamedNode) and node.value in WELL_KNOWN:
            en, sr = WELL_KNOWN[node.value]
            if lang == "en":
                return PageLabel(en, "en")
            return PageLabel(to_cyrillic(sr) if lang == "sr-Cyrl" else sr, lang)
        return PageLabel(local_name(node.value) if isinstance(node, ox.NamedNode) else "…", "")

    def types(self, node: Term) -> list[str]:
        return [o.value for o in self.objects(node, _RDF_TYPE) if isinstance(o, ox.NamedNode)]


def literals_for_language(literals: Sequence[ox.Literal], lang: str, *,
                          keep: LatinPhrases | None = None) -> list[PageLabel]:
    """All values of a multi-valued text property in the best available language
    (e.g. the five purposes of a platform, in Serbian), plus untagged values."""
    tagged = [lit for lit in literals if lit.language]
    plain = [PageLabel(lit.value, "") for lit in literals if not lit.language]
    best = pick_literal(tagged, lang, keep=keep)
    if best is None:
        return plain
    chosen_tag = "sr-latn" if best.lang == "sr-Cyrl" and not any(
        _tag(t) == "sr-cyrl" for t in tagged) else best.lang.lower()
    out = []
    for lit in sorted(tagged, key=lambda v: v.value):
        if _tag(lit) == chosen_tag or (chosen_tag == "sr-latn" and _tag(lit) == "sr"):
            out.append(PageLabel(cyrillic(lit.value, keep), "sr-Cyrl") if lang == "sr-Cyrl"
                       and chosen_tag != "sr-cyrl" else PageLabel(lit.value,
                                                                  display_tag(lit.language)))
    return out + plain


@dataclass(frozen=True)
class Link:
    """A value on a page: a link to a local path (or an external IRI), or plain text."""

    label: PageLabel
    href: str | None = None
    note: str = ""


def date_of(view: GraphView, node: Term | None) -> str:
    """The lexical date of an OWL-Time instant (or "")."""
    if node is None:
        return ""
    for p in _DATE_PREDICATES:
        value = view.value(node, p)
        if isinstance(value, ox.Literal):
            return value.value
    return ""


def membership_dates(view: GraphView, membership: Term) -> tuple[str, str]:
    """(start, end) of a membership, lexical; "" when unknown."""
    start = end = ""
    for interval in view.objects(membership, f"{_ORG}memberDuring"):
        start = start or date_of(view, view.value(interval, f"{_TIME}hasBeginning"))
        end = end or date_of(view, view.value(interval, f"{_TIME}hasEnd"))
    return start, end


def dates_text(start: str, end: str, lang: str) -> str:
    ui = ui_strings(lang)
    parts = []
    if start:
        parts.append(f"{ui['since']} {format_date(start, lang)}")
    if end:
        parts.append(f"{ui['until']} {format_date(end, lang)}")
    return ", ".join(parts)


@dataclass
class MemberRow:
    """A member of a collaboration (or a collaboration of a member) on a page."""

    other: Link  # the organisation at the other end
    role: PageLabel
    role_key: str
    countries: list[PageLabel]
    dates: str
    membership_href: str
    highlight: bool = False


def memberships_of(view: GraphView, topic: ox.NamedNode, *, as_: str, lang: str,
                   href: Callable[[str], str], focus: str) -> list[MemberRow]:
    """Memberships where ``topic`` is the ``org:organization`` (``as_="organization"``,
    rows name the members) or the ``org:member`` (rows name the collaborations)."""
    this, other_p = ((f"{_ORG}organization", f"{_ORG}member") if as_ == "organization"
                     else (f"{_ORG}member", f"{_ORG}organization"))
    rows: list[MemberRow] = []
    for m in view.subjects(this, topic):
        if f"{_ORG}Membership" not in view.types(m) and not view.objects(m, other_p):
            continue
        other = view.value(m, other_p)
        role = view.value(m, f"{_ORG}role")
        if other is None:
            continue
        countries = [country_name(c.value, lang) for c in
                     view.objects(other, NGOLD_COUNTRY)
                     if isinstance(c, ox.NamedNode)]
        start, end = membership_dates(view, m)
        rows.append(MemberRow(
            other=Link(view.label(other, lang), href(other.value)),
            role=view.label(role, lang) if role is not None else PageLabel("—", ""),
            role_key=local_name(role.value) if isinstance(role, ox.NamedNode) else "",
            countries=countries,
            dates=dates_text(start, end, lang),
            membership_href=href(m.value) if isinstance(m, ox.NamedNode) else "",
            highlight=isinstance(other, ox.NamedNode) and other.value == focus,
        ))
    return rows


def role_sort_key(key: str, label: str) -> tuple[int, str]:
    return (ROLE_ORDER.index(key) if key in ROLE_ORDER else len(ROLE_ORDER), label.casefold())


def group_by_role(rows: Sequence[MemberRow], lang: str) -> list[tuple[PageLabel, list[MemberRow]]]:
    """Rows grouped by role (lead, founder, partner, associate, member, others), each group
    sorted by country then name."""
    groups: dict[str, tuple[PageLabel, list[MemberRow]]] = {}
    for row in rows:
        groups.setdefault(row.role_key or row.role.text, (row.role, []))[1].append(row)
    unknown = ui_strings(lang)["unknown_country"]
    ordered = sorted(groups.items(), key=lambda kv: role_sort_key(kv[0], kv[1][0].text))
    out = []
    for _, (label, members) in ordered:
        members.sort(key=lambda r: ((r.countries[0].text if r.countries else "\uffff" + unknown)
                                    .casefold(), r.other.label.text.casefold()))
        out.append((label, members))
    return out


def role_groups_for_svg(grouped: Sequence[tuple[PageLabel, list[MemberRow]]], lang: str
                        ) -> list[RoleGroup]:
    unknown = ui_strings(lang)["unknown_country"]
    out = []
    for label, rows in grouped:
        group = RoleGroup(role=label.text)
        for row in rows:
            country = ", ".join(c.text for c in row.countries) or unknown
            group.countries.setdefault(country, []).append(Node(
                row.other.label.text, row.other.href or "#", row.other.label.text,
                highlight=row.highlight))
        out.append(group)
    return out


# Predicates shown in their own place on a page, not in the generic table.
_SHOWN_APART = {_RDF_TYPE, f"{_SKOS}prefLabel", f"{_SKOS}altLabel", f"{_DCT}description"}


@dataclass
class Fact:
    """One row of the "about" table: a property and its values."""

    prop: Link
    values: list[Link]


def facts(view: GraphView, topic: Term, lang: str, href: Callable[[str], str],
          skip: Iterable[str] = ()) -> list[Fact]:
    """Every outgoing statement of ``topic``, grouped by property, text values in the page
    language, IRIs as links with labels, countries by name."""
    skipped = _SHOWN_APART | set(skip)
    rows: list[Fact] = []
    for p, objects in view.out.get(topic, {}).items():
        if p in skipped:
            continue
        values: list[Link] = []
        literals = [o for o in objects if isinstance(o, ox.Literal)]
        for text in literals_for_language(literals, lang, keep=view.keep):
            values.append(Link(text))
        for o in objects:
            if isinstance(o, ox.NamedNode):
                values.append(Link(view.label(o, lang), href(o.value)))
            elif isinstance(o, ox.BlankNode):
                inner = [f"{view.label(ox.NamedNode(q), lang).text}: "
                         + ", ".join(view.label(v, lang).text for v in vs)
                         for q, vs in view.out.get(o, {}).items()]
                values.append(Link(PageLabel("; ".join(inner) or "…", "")))
        values.sort(key=lambda v: v.label.text.casefold())
        rows.append(Fact(Link(view.label(ox.NamedNode(p), lang), href(p)), values))
    rows.sort(key=lambda f: f.prop.label.text.casefold())
    return rows


def incoming(view: GraphView, topic: Term, lang: str, href: Callable[[str], str],
             skip: Iterable[str] = ()) -> list[Fact]:
    """Statements whose object is ``topic``: "X is <property> of <subjects>"."""
    skipped = set(skip)
    rows = []
    for p, subjects in view.inc.get(topic, {}).items():
        if p in skipped:
            continue
        values = sorted(
            (Link(view.label(s, lang), href(s.value) if isinstance(s, ox.NamedNode) else None)
             for s in subjects), key=lambda v: v.label.text.casefold())
        rows.append(Fact(Link(view.label(ox.NamedNode(p), lang), href(p)), values))
    rows.sort(key=lambda f: f.prop.label.text.casefold())
    return rows


def names(view: GraphView, topic: Term, lang: str) -> list[PageLabel]:
    """Every name: preferred labels in each language, then other names; for ``sr-Cyrl``
    the Serbian ones are shown in Cyrillic (and the Latin original stays listed)."""
    out: list[PageLabel] = []
    for p in (f"{_SKOS}prefLabel", f"{_RDFS}label", f"{_SKOS}altLabel"):
        for lit in sorted(view.literals(topic, p), key=lambda v: (_tag(v), v.value)):
            label = PageLabel(lit.value, display_tag(lit.language))
            if label not in out:
                out.append(label)
            if (lang == "sr-Cyrl" and _tag(lit) in _SERBIAN_TAGS
                    and not _same_elsewhere(lit, view.literals(topic, p))):
                cyr = PageLabel(cyrillic(lit.value, view.keep), "sr-Cyrl")
                if cyr not in out:
                    out.append(cyr)
    return out
