"""The words around the data: the page chrome in each language (:func:`ui_strings`) and
dates written for readers (:func:`format_date`).

Its own module because these texts belong to the site, not to the data, and are kept
side by side so the languages stay in step.
"""

from __future__ import annotations

import re

from .cyrillic import to_cyrillic

_UI_EN: dict[str, str] = {
    "site": "ASTRA's Networks",
    "site_full": "ASTRA's Networks — Linked Data",
    "menu": "Menu",
    "or": "or",
    "column_subject": "subject",
    "column_predicate": "predicate",
    "column_object": "object",
    "members_listed_n": "members named",
    "in_collaborations": "in {} of these collaborations",
    "network_title": "How ASTRA's collaborations connect through the organisations they share",
    "network_words": "The same in words",
    "reach_title": "the other collaborations its members belong to",
    "does_role-member": "is a member of",
    "does_role-lead-organisation": "leads",
    "does_role-participant": "takes part in",
    "does_role-partner": "is a partner in",
    "does_role-founder": "is a founder of",
    "does_role-associate": "is an associate of",
    "does_role": "has the role “{}” in",
    "sentence_class": "{term} is a class.",
    "sentence_subclass": "Every {term} is also {parents}.",
    "sentence_property": "{term} is a property.",
    "sentence_domain": "It describes {domain}.",
    "sentence_range": "Its value is {range}.",
    "sentence_inverse": "Its inverse is {inverse}.",
    "sentence_subproperty": "It is a narrower form of the property {parents}.",
    "sentence_match": "Close terms elsewhere: {matches}.",
    "in_prefix": "prefixed name",
    "source_page": "ASTRA's page of networks",
    "dataset": "Dataset",
    "dataset_intro": "What this dataset is, how big it is, where to get it and how to cite it.",
    "counts": "Counts",
    "licence": "Licence",
    "publisher": "Publisher",
    "modified": "Last changed",
    "triples": "triples",
    "things": "things with a page",
    "organisations": "organisations",
    "collaborations_n": "collaborations",
    "file": "File",
    "format": "Format",
    "size": "Size",
    "gzip": "gzip",
    "bytes": "bytes",
    "endpoint": "SPARQL endpoint",
    "cite": "How to cite",
    "machine_readable": "For machines: the same description as",
    "did_you_mean": "Did you mean",
    "go_home": "Go to the home page",
    "not_found_path": "Nothing is published at this address.",
    "nothing_called": "Nothing in this dataset is called “{}”.",
    "sparql_title": "SPARQL endpoint",
    "sparql_results": "Results",
    "sparql_error": "Error",
    "error_limit": "Limit reached: {}. Try again in {} s.",
    "sparql_intro": "Ask the dataset anything with SPARQL 1.1.",
    "sparql_protocol": "The endpoint is read-only; the default graph is the union of all graphs, "
                       "and these prefixes are predefined:",
    "query_label": "Your query",
    "results_as": "Results as",
    "html_table": "HTML table (this page)",
    "run_query": "Run query",
    "run": "Run this example",
    "example_query": "Example query",
    "examples": "Examples",
    "limits": "Limits",
    "limit_time": "A query runs for at most {} s; longer ones are stopped (503).",
    "limit_length": "Queries may be up to {} characters (use POST for long ones), nested at most "
                    "{} levels deep.",
    "limit_rows": "Results are cut at {} rows (or triples); a cut result says so in the "
                  "X-SPARQL-Truncated: true header.",
    "limit_fair": "Fair use: each client address may run {} queries at a time and {} s of "
                  "query time per minute; beyond that a query is refused at once (429, with "
                  "Retry-After). When all {} query slots are busy, the answer is 503 with "
                  "Retry-After. Repeated queries are answered from memory and count against "
                  "nothing.",
    "limit_refused": "Updates, SERVICE and LOAD are refused; FROM and FROM NAMED name graphs of "
                     "this dataset only.",
    "truncated": "The result was cut at the first {} rows. Add a LIMIT (and OFFSET) to page "
                 "through it.",
    "rows_n": "rows",
    "same_results_as": "The same results as",
    "service_description": "service description",
    "true": "true",
    "false": "false",
    "labels_note": "Names in grey are the labels of the dataset's IRIs.",
    "Networks ASTRA belongs to": "Networks ASTRA belongs to",
    "Kinds of collaboration, with counts": "Kinds of collaboration, with counts",
    "Names in Serbian (note langMatches: tags are stored lower-case)": "Names in Serbian (note "
                                                                       "langMatches: tags are "
                                                                       "stored lower-case)",
    "Everything about ASTRA (CONSTRUCT)": "Everything about ASTRA (CONSTRUCT)",
    "verdict_remembered": "This is the verdict remembered for this version of the data; it was "
                          "reached before the server started.",
    "server_started": "Server started",
    "severity_Violation": "Violation",
    "severity_Warning": "Warning",
    "severity_Info": "Info",
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
    "site": "Mreže ASTRE",
    "site_full": "Mreže ASTRE — povezani podaci",
    "menu": "Meni",
    "or": "ili",
    "column_subject": "subjekat",
    "column_predicate": "predikat",
    "column_object": "objekat",
    "members_listed_n": "navedenih članova",
    "in_collaborations": "u {} od ovih saradnji",
    "network_title": "Kako su saradnje ASTRE povezane preko zajedničkih organizacija",
    "network_words": "Isto to rečima",
    "reach_title": "druge saradnje čiji su članovi i njeni članovi",
    "does_role-member": "je član",
    "does_role-lead-organisation": "vodi",
    "does_role-participant": "učestvuje u",
    "does_role-partner": "je partner u",
    "does_role-founder": "je među osnivačima",
    "does_role-associate": "je saradnička organizacija u",
    "does_role": "ima ulogu „{}“ u",
    "sentence_class": "{term} je klasa.",
    "sentence_subclass": "Svaki primerak klase {term} je i: {parents}.",
    "sentence_property": "{term} je svojstvo.",
    "sentence_domain": "Opisuje: {domain}.",
    "sentence_range": "Vrednost je: {range}.",
    "sentence_inverse": "Obrnuto svojstvo: {inverse}.",
    "sentence_subproperty": "To je uži oblik svojstva: {parents}.",
    "sentence_match": "Bliski termini drugde: {matches}.",
    "in_prefix": "skraćeni naziv",
    "source_page": "stranica ASTRE o mrežama",
    "dataset": "Skup podataka",
    "dataset_intro": "Šta je ovaj skup podataka, koliki je, gde se preuzima i kako se citira.",
    "counts": "Brojevi",
    "licence": "Licenca",
    "publisher": "Izdavač",
    "modified": "Poslednja izmena",
    "triples": "trojki",
    "things": "stvari sa stranicom",
    "organisations": "organizacija",
    "collaborations_n": "saradnji",
    "file": "Fajl",
    "format": "Format",
    "size": "Veličina",
    "gzip": "gzip",
    "bytes": "bajtova",
    "endpoint": "SPARQL pristupna tačka",
    "cite": "Kako citirati",
    "machine_readable": "Za mašine: isti opis kao",
    "did_you_mean": "Da li ste mislili na",
    "go_home": "Idite na početnu stranicu",
    "not_found_path": "Na ovoj adresi ništa nije objavljeno.",
    "nothing_called": "U ovom skupu podataka ništa se ne zove „{}“.",
    "sparql_title": "SPARQL pristupna tačka",
    "sparql_results": "Rezultati",
    "sparql_error": "Greška",
    "error_limit": "Dostignuto ograničenje: {}. Pokušajte ponovo za {} s.",
    "sparql_intro": "Postavite skupu podataka bilo koje pitanje jezikom SPARQL 1.1.",
    "sparql_protocol": "Pristupna tačka služi samo za čitanje; podrazumevani graf je unija svih "
                       "grafova, a ovi prefiksi su već definisani:",
    "query_label": "Vaš upit",
    "results_as": "Rezultati kao",
    "html_table": "HTML tabela (ova stranica)",
    "run_query": "Pokreni upit",
    "run": "Pokreni ovaj primer",
    "example_query": "Primer upita",
    "examples": "Primeri",
    "limits": "Ograničenja",
    "limit_time": "Upit traje najviše {} s; duži se prekidaju (503).",
    "limit_length": "Upit može imati do {} znakova (za duže koristite POST), sa najviše {} nivoa "
                    "ugnežđavanja.",
    "limit_rows": "Rezultati se seku na {} redova (ili trojki); presečen rezultat to kaže "
                  "zaglavljem X-SPARQL-Truncated: true.",
    "limit_fair": "Fer korišćenje: svaka adresa klijenta može da izvršava {} upita istovremeno "
                  "i {} s vremena upita u minutu; preko toga se upit odmah odbija (429, sa "
                  "Retry-After). Kada su svih {} mesta za upite zauzeta, odgovor je 503 sa "
                  "Retry-After. Ponovljeni upiti se odgovaraju iz memorije i ne troše ništa.",
    "limit_refused": "Izmene, SERVICE i LOAD se odbijaju; FROM i FROM NAMED mogu da imenuju samo "
                     "grafove ovog skupa podataka.",
    "truncated": "Rezultat je presečen na prvih {} redova. Dodajte LIMIT (i OFFSET) da ga "
                 "pregledate deo po deo.",
    "rows_n": "redova",
    "same_results_as": "Isti rezultati kao",
    "service_description": "opis servisa",
    "true": "tačno",
    "false": "netačno",
    "labels_note": "Sivim slovima su nazivi IRI-ja iz ovog skupa podataka.",
    "Networks ASTRA belongs to": "Mreže čiji je ASTRA član",
    "Kinds of collaboration, with counts": "Vrste saradnje, sa brojem saradnji",
    "Names in Serbian (note langMatches: tags are stored lower-case)": "Nazivi na srpskom "
                                                                       "(langMatches: oznake "
                                                                       "jezika su sačuvane malim "
                                                                       "slovima)",
    "Everything about ASTRA (CONSTRUCT)": "Sve o ASTRI (CONSTRUCT)",
    "verdict_remembered": "Ovo je zapamćena ocena za ovu verziju podataka; doneta je pre "
                          "pokretanja servera.",
    "server_started": "Server pokrenut",
    "severity_Violation": "Kršenje",
    "severity_Warning": "Upozorenje",
    "severity_Info": "Informacija",
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
               "ngo", "ld", "All", "rights", "reserved", "ASTRA", "X", "Truncated", "true",
               "langMatches", "gzip", "POST", "SERVICE", "LOAD", "FROM", "NAMED", "LIMIT",
               "OFFSET", "CONSTRUCT", "OWL", "SKOS", "PROV", "VoID", "Retry", "After")
_PLACEHOLDER = re.compile(r"(\{[a-z_]*\})")


def _cyrillic_ui(text: str) -> str:
    """A Serbian interface string in Cyrillic; ``{placeholders}`` stay as they are."""
    return "".join(part if _PLACEHOLDER.fullmatch(part) else to_cyrillic(part, keep=_KEEP_LATIN)
                   for part in _PLACEHOLDER.split(text))


_UI_CYRL = {key: _cyrillic_ui(value) for key, value in _UI_SR.items()}

UI: dict[str, dict[str, str]] = {"en": _UI_EN, "sr-Latn": _UI_SR, "sr-Cyrl": _UI_CYRL}


def ui_strings(lang: str) -> dict[str, str]:
    """The page chrome in ``lang`` (English for an unknown language)."""
    return UI.get(lang, _UI_EN)


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
_MONTHS_SR = ("januar", "februar", "mart", "april", "maj", "jun", "jul", "avgust",
              "septembar", "oktobar", "novembar", "decembar")
#: After "od" (since) and "do" (until), and with a day, Serbian names the month in the
#: genitive: "od aprila 2014.", "5. aprila 2014.".
_MONTHS_SR_GENITIVE = ("januara", "februara", "marta", "aprila", "maja", "juna", "jula",
                       "avgusta", "septembra", "oktobra", "novembra", "decembra")


def format_date(lexical: str, lang: str, *, genitive: bool = False) -> str:
    """``2014-04`` → ``April 2014`` / ``april 2014.`` / ``април 2014.``; with ``genitive``
    (after a preposition) ``aprila 2014.`` / ``априла 2014.``; other values as given.

    >>> format_date("2014-04", "sr-Latn", genitive=True)
    'aprila 2014.'
    >>> format_date("2016-03-05", "sr-Cyrl")
    '5. марта 2016.'
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", lexical)
    if not match:
        return lexical
    year, month, day = match.groups()
    if month is None:
        return year if lang == "en" else f"{year}."
    m = int(month) - 1
    if not 0 <= m < 12:
        return lexical
    if lang == "en":
        return f"{int(day)} {_MONTHS_EN[m]} {year}" if day else f"{_MONTHS_EN[m]} {year}"
    months = _MONTHS_SR_GENITIVE if genitive or day else _MONTHS_SR
    text = f"{int(day)}. {months[m]} {year}." if day else f"{months[m]} {year}."
    return to_cyrillic(text) if lang == "sr-Cyrl" else text


def format_number(n: int | float, lang: str) -> str:
    """``20000`` → ``20,000`` in English, ``20.000`` in Serbian (either script); a whole
    float without its ``.0`` (a limit of ``30.0`` seconds reads "30", as in the docs).

    >>> format_number(20000, "en"), format_number(1762, "sr-Cyrl")
    ('20,000', '1.762')
    >>> format_number(30.0, "en"), format_number(2.5, "en"), format_number(2.5, "sr-Latn")
    ('30', '2.5', '2,5')
    """
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    text = f"{n:,}"
    return text if lang == "en" else text.replace(",", "\u2009").replace(".", ",").replace(
        "\u2009", ".")
