"""How a statement reads from its object's side ("Mentioned by" on a page): the words for
"``subject`` —property→ this page's topic" said from the topic (:func:`incoming_phrase`).

Its own module because a property's inverse is a phrase of its own that no label
mechanically yields ("derived from" is not turned into "is derived from of"). In order:

1. the inverse property a vocabulary declares (``owl:inverseOf``: ``org:hasMember`` ↔
   ``org:memberOf``), by that property's label;
2. :data:`INVERSE_PHRASES`: inverse phrases for the well-known vocabularies' terms (ORG,
   PROV-O, OWL-Time, DCTERMS, schema.org, SKOS, FOAF, RDFS), in English and Serbian, and
   :data:`OWN_INVERSE_PHRASES` for the project's ontology;
3. a fallback that is grammatical for any label: "is <label> of" in English only where the
   label reads as a noun ("is sponsor of"), else the arrow "— <label> → this".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .cyrillic import to_cyrillic
from .labels import PageLabel
from .vocabulary import (
    _DCT,
    _FOAF,
    _ORG,
    _OWL,
    _PROV,
    _RDF_TYPE,
    _RDFS,
    _SCHEMA,
    _SKOS,
    _TIME,
    _VOID,
)

#: Property → (English, Serbian Latin) words for "this is <phrase> <subjects>", for the
#: terms of other vocabularies that declare no inverse. The Serbian phrases need no
#: declension of the names listed after them.
INVERSE_PHRASES: dict[str, tuple[str, str]] = {
    f"{_ORG}classification": ("organisations of this kind", "organizacije ove vrste"),
    f"{_ORG}role": ("memberships in this role", "članstva u ovoj ulozi"),
    f"{_ORG}memberDuring": ("period of membership", "period članstva"),
    f"{_ORG}organization": ("memberships in this organisation",
                            "članstva u ovoj organizaciji"),
    f"{_ORG}resultedFrom": ("resulted in", "ishod"),
    f"{_ORG}resultingOrganization": ("resulted from", "poreklo"),
    f"{_ORG}linkedTo": ("linked with", "povezano sa"),
    f"{_ORG}headOf": ("headed by", "rukovodilac"),
    f"{_ORG}purpose": ("purpose of", "cilj organizacije"),
    f"{_PROV}wasDerivedFrom": ("source of", "izvor za"),
    f"{_PROV}hadPrimarySource": ("primary source of", "primarni izvor za"),
    f"{_PROV}used": ("used by", "koristi se u"),
    f"{_PROV}wasAssociatedWith": ("involved in", "učestvuje u"),
    f"{_PROV}wasGeneratedBy": ("generated", "rezultat"),
    f"{_PROV}wasAttributedTo": ("contributed to", "doprinos"),
    f"{_TIME}hasBeginning": ("beginning of", "početak perioda"),
    f"{_TIME}hasEnd": ("end of", "kraj perioda"),
    f"{_TIME}hasTime": ("time of", "vreme odvijanja"),
    f"{_TIME}inside": ("contains", "sadrži"),
    f"{_DCT}creator": ("creator of", "autor dela"),
    f"{_DCT}publisher": ("publisher of", "objavljuje"),
    f"{_DCT}spatial": ("place covered by", "područje koje obuhvata"),
    f"{_DCT}subject": ("subject of", "tema u"),
    f"{_DCT}source": ("source of", "izvor za"),
    f"{_DCT}license": ("licence of", "licenca za"),
    f"{_DCT}rights": ("rights statement of", "izjava o pravima za"),
    f"{_DCT}conformsTo": ("standard followed by", "standard koji poštuje"),
    f"{_DCT}language": ("language of", "jezik dela"),
    f"{_SCHEMA}funder": ("funds", "finansira"),
    f"{_SCHEMA}sponsor": ("sponsors", "sponzoriše"),
    f"{_SCHEMA}valueReference": ("counted in", "broji se u"),
    f"{_SCHEMA}areaServed": ("served by", "područje rada za"),
    f"{_SCHEMA}knowsAbout": ("known to", "oblast znanja za"),
    f"{_SCHEMA}addressCountry": ("country of", "država u kojoj je"),
    f"{_SKOS}inScheme": ("contains", "sadrži"),
    f"{_SKOS}related": ("related", "srodno"),
    f"{_SKOS}closeMatch": ("close match", "blisko odgovara"),
    f"{_SKOS}exactMatch": ("exact match", "tačno odgovara"),
    f"{_FOAF}homepage": ("home page of", "početna stranica za"),
    _RDF_TYPE: ("things of this type", "stvari ovog tipa"),
    f"{_RDFS}subClassOf": ("has subclass", "ima potklasu"),
    f"{_RDFS}subPropertyOf": ("has subproperty", "ima potsvojstvo"),
    f"{_RDFS}domain": ("domain of", "domen za"),
    f"{_RDFS}range": ("range of", "opseg za"),
    f"{_RDFS}isDefinedBy": ("defines", "definiše"),
    f"{_OWL}sameAs": ("same as", "isto što i"),
    f"{_VOID}inDataset": ("contains", "sadrži"),
}

#: The same for the project's own ontology, by local name (its namespace follows the
#: configured base IRI: :func:`own_inverse_phrases`).
OWN_INVERSE_PHRASES: dict[str, tuple[str, str]] = {
    "consultativeStatusWith": ("grants consultative status to",
                               "daje konsultativni status"),
    "usesPlatform": ("platform used by", "platforma koju koristi"),
    "operatesHotline": ("operated by", "linija kojom rukovodi"),
    "operator": ("operator in", "rukovodilac u"),
    "hotline": ("hotline in", "linija u"),
    "fieldOfWork": ("field of work of", "oblast rada za"),
    "memberType": ("kind of member in", "vrsta članica u"),
    "sector": ("sector of", "sektor za"),
    "fundraisingPurpose": ("fundraising purpose in", "namena prikupljanja u"),
    "memberCount": ("member count of", "broj članova u"),
    "memberCountryCount": ("member country count of", "broj država članica u"),
    "correspondentCount": ("correspondent count of", "broj dopisnika u"),
}

#: The fallbacks: English "is <noun> of"; in every language the arrow, which reads for
#: any label ("— derived from → this").
IS_OF = "is {} of"
ARROW = {"en": "— {} → this", "sr-Latn": "— {} → ovo", "sr-Cyrl": "— {} → ово"}

_AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "has", "have", "had",
                          "does", "do", "did", "can", "may", "will"})
PREPOSITIONS = frozenset({
    "of", "to", "from", "with", "by", "in", "on", "at", "for", "during", "before", "after",
    "about", "into", "onto", "over", "under", "within", "without", "through", "between",
    "among", "since", "until", "as", "per", "via", "against", "toward", "towards", "upon",
    "behind", "beyond", "near", "off", "out", "up"})


def own_inverse_phrases(namespace: str) -> dict[str, tuple[str, str]]:
    """:data:`OWN_INVERSE_PHRASES` under the ontology's ``namespace`` (``…/ontology#``)."""
    return {namespace + name: words for name, words in OWN_INVERSE_PHRASES.items()}


def reads_as_noun(label: str) -> bool:
    """Whether "is <label> of" is English: the label is a noun phrase ("member count",
    "sponsor"), not a verb phrase ("uses platform", "was associated with", "used",
    "derived from") nor one that ends with a preposition ("member during"). A label in
    doubt is not a noun: the arrow fallback reads for it anyway.

    >>> [reads_as_noun(w) for w in ("member count", "sponsor", "uses platform", "used",
    ...                             "has time", "member during", "status")]
    [True, True, False, False, False, False, True]
    """
    words = re.findall(r"[A-Za-z]+", label.lower())
    if not words or words[0] in _AUXILIARIES or words[0] in PREPOSITIONS:
        return False
    if words[-1] in PREPOSITIONS or words[0].endswith(("ed", "ing")):
        return False
    # A first word in -s is a verb ("uses", "operates") unless it is a noun's ending.
    return not (words[0].endswith("s") and not words[0].endswith(("ss", "us", "is")))


def in_language(words: tuple[str, str], lang: str) -> PageLabel:
    """A phrase of the tables in ``lang`` (Serbian Cyrillic transliterated)."""
    en, sr = words
    if lang == "en":
        return PageLabel(en, "en")
    return PageLabel(to_cyrillic(sr) if lang == "sr-Cyrl" else sr, lang)


def fallback_phrase(label: PageLabel, lang: str) -> PageLabel:
    """The phrase for a property with neither a declared inverse nor a table entry."""
    if lang == "en" and label.lang in ("en", "") and reads_as_noun(label.text):
        return PageLabel(IS_OF.format(label.text), "en")
    arrow = ARROW.get(lang, ARROW["en"]).format(label.text)
    return PageLabel(arrow, label.lang if label.lang == lang else "")


def table_phrase(predicate: str, lang: str,
                 extra: Mapping[str, tuple[str, str]] | None = None) -> PageLabel | None:
    """The table's phrase for ``predicate`` (``extra`` first: the project's own terms)."""
    words = (extra or {}).get(predicate) or INVERSE_PHRASES.get(predicate)
    return in_language(words, lang) if words else None
