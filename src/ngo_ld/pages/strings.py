"""The words around the data: the page chrome in each language (:func:`ui_strings`) and
dates written for readers (:func:`format_date`).

Its own module because these texts belong to the site, not to the data, and are kept
side by side so the languages stay in step.
"""

from __future__ import annotations

import re

from .cyrillic import to_cyrillic

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
    "from_source": "From the source:",
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
    "search": "Search",
    "search_label": "Search organisations, collaborations and concepts",
    "search_button": "Search",
    "search_results": "Search results",
    "search_intro": "Type a name, an acronym or part of one, in Latin or Cyrillic letters; "
                    "case and accents do not matter.",
    "search_none": "Nothing matches this name.",
    "search_found": "Found",
    "matched": "matched",
    "networks": "Networks",
    "kind_organisation": "organisation",
    "kind_collaboration": "collaboration",
    "kind_unit": "organisational unit",
    "kind_concept": "concept",
    "index_az": "Organisations A–Z",
    "index_az_intro": "Every organisation in the data, with its country and the "
                      "collaborations it belongs to.",
    "index_by_country": "Organisations by country",
    "index_letters": "Initial letters",
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
    "from_source": "Iz izvora:",
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
    "search": "Pretraga",
    "search_label": "Pretražite organizacije, saradnje i pojmove",
    "search_button": "Traži",
    "search_results": "Rezultati pretrage",
    "search_intro": "Upišite naziv, skraćenicu ili deo naziva, latinicom ili ćirilicom; "
                    "velika i mala slova i dijakritici nisu bitni.",
    "search_none": "Nijedan naziv ne odgovara.",
    "search_found": "Pronađeno",
    "matched": "pronađeno po",
    "networks": "Mreže",
    "kind_organisation": "organizacija",
    "kind_collaboration": "saradnja",
    "kind_unit": "organizaciona jedinica",
    "kind_concept": "pojam",
    "index_az": "Organizacije od A do Ž",
    "index_az_intro": "Sve organizacije iz podataka, sa državom i saradnjama čiji su "
                      "članovi.",
    "index_by_country": "Organizacije po državama",
    "index_letters": "Početna slova",
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
