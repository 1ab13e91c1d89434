"""Words for the terms of well-known vocabularies (:data:`WELL_KNOWN`), their inverses
(:data:`INVERSES`), a readable text for an IRI that has no label (:func:`fallback_text`),
and prefixed names for IRIs (:func:`abbreviate`).

Its own module because these are facts about other people's vocabularies, kept in one
table: the labels follow those vocabularies' own ``rdfs:label`` (ORG, SKOS, OWL-Time,
DCTERMS, PROV-O, FOAF, schema.org, VoID, DCAT), in English and in Serbian.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..namespaces import PREFIXES

# The namespaces, from the project's one table of prefixes; the other page modules take
# them from here.
_RDF_TYPE = f"{PREFIXES['rdf']}type"
_SKOS, _RDFS, _ORG, _TIME, _DCT, _OWL, _FOAF, _PROV, _SCHEMA, _VOID, _DCAT = (
    PREFIXES[p] for p in ("skos", "rdfs", "org", "time", "dcterms", "owl", "foaf", "prov",
                          "schema", "void", "dcat"))

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
    f"{_TIME}hasTime": ("time", "vreme"),
    f"{_TIME}hasXSDDuration": ("duration", "trajanje"),
    f"{_TIME}before": ("before", "pre"),
    f"{_TIME}after": ("after", "posle"),
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


_XSD = PREFIXES["xsd"]
WELL_KNOWN.update({
    f"{_XSD}integer": ("whole number", "ceo broj"),
    f"{_XSD}nonNegativeInteger": ("whole number", "ceo broj"),
    f"{_XSD}string": ("text", "tekst"),
    f"{_XSD}boolean": ("yes or no", "da ili ne"),
    f"{_XSD}gYear": ("year", "godina"),
    f"{_XSD}gYearMonth": ("month of a year", "mesec i godina"),
    f"{_XSD}date": ("date", "datum"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString": ("text in a language",
                                                               "tekst na nekom jeziku"),
    f"{_PROV}used": ("used", "koristilo"),
    f"{_PROV}wasAssociatedWith": ("was associated with", "povezano sa"),
    f"{_SCHEMA}knowsAbout": ("knows about", "zna o"),
    f"{_SCHEMA}ContactPoint": ("Contact point", "Kontakt"),
    f"{_SCHEMA}QuantitativeValue": ("quantity", "količina"),
    f"{_SCHEMA}value": ("value", "vrednost"),
    f"{_SCHEMA}minValue": ("at least", "najmanje"),
    f"{_SCHEMA}maxValue": ("at most", "najviše"),
    f"{_SCHEMA}description": ("description", "opis"),
    f"{_SCHEMA}text": ("text", "tekst"),
    f"{_SCHEMA}subjectOf": ("subject of", "tema"),
    f"{_SCHEMA}sponsor": ("sponsor", "sponzor"),
    "http://xmlns.com/foaf/0.1/phone": ("phone", "telefon"),
    f"{_OWL}inverseOf": ("inverse of", "obrnuto od"),
    f"{_FOAF}primaryTopic": ("primary topic", "glavna tema"),
    f"{_FOAF}isPrimaryTopicOf": ("is primary topic of", "glavna je tema dokumenta"),
    f"{_ORG}hasMembership": ("has membership", "ima članstvo"),
    f"{_ORG}headOf": ("head of", "na čelu"),
    f"{_ORG}linkedTo": ("linked to", "povezano sa"),
    f"{_ORG}identifier": ("identifier", "identifikator"),
    f"{_SKOS}prefLabel": ("preferred label", "glavni naziv"),
    f"{_SKOS}altLabel": ("alternative label", "drugi naziv"),
    f"{_SKOS}related": ("related", "srodno"),
    f"{_PROV}hadPrimarySource": ("had primary source", "primarni izvor"),
    f"{_PROV}wasAttributedTo": ("was attributed to", "pripisano"),
    f"{_PROV}wasGeneratedBy": ("was generated by", "nastalo u"),
    f"{_PROV}value": ("value", "vrednost"),
    f"{_PROV}qualifiedDerivation": ("qualified derivation", "opis izvođenja"),
    f"{_PROV}entity": ("entity", "entitet"),
    f"{_SCHEMA}addressCountry": ("country", "država"),
    f"{_SCHEMA}foundingDate": ("founding date", "datum osnivanja"),
    f"{_SCHEMA}funder": ("funder", "finansijer"),
    f"{_SCHEMA}name": ("name", "naziv"),
    f"{_SCHEMA}url": ("URL", "URL"),
    f"{_SCHEMA}telephone": ("telephone", "telefon"),
    f"{_SCHEMA}areaServed": ("area served", "područje rada"),
    f"{_SCHEMA}memberOf": ("member of", "član"),
    f"{_SCHEMA}member": ("member", "član"),
    f"{_SCHEMA}Organization": ("Organisation", "Organizacija"),
    f"{_VOID}inDataset": ("in dataset", "u skupu podataka"),
    f"{_VOID}Dataset": ("Dataset", "Skup podataka"),
    f"{_DCAT}Dataset": ("Dataset", "Skup podataka"),
    f"{_DCAT}Distribution": ("Distribution", "Distribucija"),
    f"{_DCAT}landingPage": ("landing page", "početna stranica"),
    f"{_DCT}isPartOf": ("is part of", "deo je"),
    f"{_DCT}hasPart": ("has part", "ima deo"),
    f"{_DCT}subject": ("subject", "tema"),
    f"{_DCT}identifier": ("identifier", "identifikator"),
    f"{_DCT}issued": ("issued", "objavljeno"),
    f"{_DCT}spatial": ("place", "mesto"),
    f"{_DCT}temporal": ("period", "period"),
    f"{_DCT}bibliographicCitation": ("citation", "citat"),
    f"{_DCT}conformsTo": ("conforms to", "u skladu sa"),
    f"{_SKOS}editorialNote": ("editorial note", "urednička napomena"),
    f"{_ORG}resultedFrom": ("resulted from", "nastalo iz"),
    f"{_ORG}resultingOrganization": ("resulting organisation", "nastala organizacija"),
    f"{_ORG}ChangeEvent": ("Change event", "Promena"),
    f"{_SCHEMA}Dataset": ("Dataset", "Skup podataka"),
    f"{_SCHEMA}Project": ("Project", "Projekat"),
    f"{_SCHEMA}dateCreated": ("date created", "datum nastanka"),
    f"{_SCHEMA}position": ("position", "redni broj"),
    f"{_SCHEMA}valueReference": ("what is counted", "šta se broji"),
    f"{_FOAF}Agent": ("Agent", "Akter"),
    f"{_FOAF}name": ("name", "naziv"),
    f"{_VOID}uriSpace": ("IRI space", "prostor IRI-ja"),
    f"{_VOID}vocabulary": ("vocabulary", "rečnik"),
    f"{_DCAT}keyword": ("keyword", "ključna reč"),
    f"{_DCAT}theme": ("theme", "tema"),
})

#: Pairs of properties that their vocabularies declare inverse (``owl:inverseOf``), both
#: ways: "A has member B" is "B member of A" read from the other end.
INVERSES: dict[str, str] = {}
for _a, _b in ((f"{_ORG}hasMember", f"{_ORG}memberOf"),
               (f"{_ORG}hasUnit", f"{_ORG}unitOf"),
               (f"{_ORG}hasSubOrganization", f"{_ORG}subOrganizationOf"),
               (f"{_ORG}member", f"{_ORG}hasMembership"),
               (f"{_SKOS}broader", f"{_SKOS}narrower"),
               (f"{_SKOS}hasTopConcept", f"{_SKOS}topConceptOf"),
               (f"{_FOAF}primaryTopic", f"{_FOAF}isPrimaryTopicOf"),
               (f"{_DCT}hasPart", f"{_DCT}isPartOf"),
               (f"{_SCHEMA}member", f"{_SCHEMA}memberOf"),
               (f"{_TIME}before", f"{_TIME}after")):
    INVERSES[_a], INVERSES[_b] = _b, _a

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def humanise(name: str) -> str:
    """``memberCountDescription`` → ``member count description``; ``foo-bar`` → ``foo bar``.

    >>> humanise("memberCountDescription"), humanise("hasXSDDuration")
    ('member count description', 'has XSD duration')
    """
    words = _CAMEL.sub(" ", name).replace("_", " ").replace("-", " ")
    return " ".join(w if w.isupper() else w.lower() for w in words.split())


def fallback_text(iri: str) -> str:
    """What a page shows for an IRI nobody labelled: its last segment in words when that is
    a name (``…#foundingYear`` → "founding year"), else the whole IRI (a namespace such as
    ``http://www.w3.org/ns/org#``, or ``…/licenses/by/4.0/``): never a bare fragment."""
    if iri.endswith(("#", "/")):
        return iri
    last = re.split(r"[#/]", iri)[-1]
    return humanise(last) if _IDENTIFIER.fullmatch(last) else iri


def abbreviate(iri: str, prefixes: Mapping[str, str]) -> str | None:
    """``prefix:local`` for an IRI in one of ``prefixes`` (the longest namespace wins) when
    the rest is a plain local name; else None.

    >>> abbreviate("http://www.w3.org/ns/org#memberOf", {"org": "http://www.w3.org/ns/org#"})
    'org:memberOf'
    >>> abbreviate("http://www.w3.org/ns/org#", {"org": "http://www.w3.org/ns/org#"}) is None
    True
    """
    best: tuple[str, str] | None = None
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(best[1])):
            best = (prefix, ns)
    if best is None:
        return None
    local = iri[len(best[1]):]
    if not re.fullmatch(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?", local):
        return None
    return f"{best[0]}:{local}"
