"""Domain reads: the document about a thing, the collaborations, the dataset description.

Every read goes through :class:`~ngo_ld.store.GraphStore` with SPARQL, so any backend
works. The results are pyoxigraph triples (for :func:`ngo_ld.render.serialize_triples`)
or plain rows (for pages); nothing here knows about HTTP or HTML.

What a document about X holds:

1. every triple with X as subject, and every triple with X as object;
2. the memberships X takes part in, from both ends (X as ``org:member`` or as
   ``org:organization``): all their triples;
3. what hangs from X and from those memberships: blank nodes, and the time intervals and
   instants of ``org:memberDuring`` (two levels deep: interval → instant);
4. for every IRI mentioned in 1–3 (subjects, predicates, objects): its ``skos:prefLabel``,
   ``rdfs:label``, ``schema:addressCountry`` and ``schema:text`` (a sentence of the source
   page) — so that one fetch is enough to draw its page, quotes included;
5. ``<doc> a foaf:Document; foaf:primaryTopic X; void:inDataset <dataset>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pyoxigraph as ox

from .config import Settings
from .formats import Format
from .loading import RDF_SUFFIXES, metadata_files, parse_file
from .namespaces import PREFIXES, is_slug, slug_of, thing_iri

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
TIME = "http://www.w3.org/2006/time#"
FOAF = "http://xmlns.com/foaf/0.1/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"

#: The organisation whose collaborations the dataset is about.
FOCUS_SLUG = "astra"
#: Predicates whose objects belong to the document even when they are IRIs (OWL-Time).
NESTED_PREDICATES = (
    f"{ORG}memberDuring", f"{TIME}hasBeginning", f"{TIME}hasEnd", f"{TIME}inside",
)
LABEL_PREDICATES = (f"{SKOS}prefLabel", f"{RDFS}label")

#: EU file-type authority names for ``dcterms:format`` of each dump.
FILE_TYPES = {"turtle": "RDF_TURTLE", "ntriples": "RDF_N_TRIPLES", "jsonld": "JSON_LD",
              "rdfxml": "RDF_XML"}


def _nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _iri_sparql(iri: str) -> str:
    """``<iri>`` for a SPARQL query; refuses characters that could end the IRI early."""
    if any(c in iri for c in '<>"{}|^`\\ \n\t'):
        raise ValueError(f"not a safe IRI for a query: {iri!r}")
    return f"<{iri}>"


def _construct(store: object, query: str) -> list[ox.Triple]:
    return list(store.query(query))  # type: ignore[attr-defined]


def _select(store: object, query: str) -> list[ox.QuerySolution]:
    return list(store.query(query))  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------
# Documents
# ------------------------------------------------------------------------------------


def doc_iri(slug: str, base: str) -> str:
    """The IRI of the (generic) document about ``{base}id/{slug}``."""
    return f"{base}doc/{slug}"


def dataset_iri(base: str) -> str:
    return thing_iri("dataset", base)


def catalog_iri(base: str) -> str:
    return thing_iri("catalog", base)


def ontology_iri(base: str) -> str:
    return f"{base}ontology"


@dataclass(frozen=True)
class Document:
    """What a fetch of a thing's document returns."""

    topic: str  # the thing's IRI
    iri: str  # the document's IRI
    triples: tuple[ox.Triple, ...]

    def __len__(self) -> int:
        return len(self.triples)


def _nested(store: object, heads: Sequence[str], depth: int = 2) -> list[ox.Triple]:
    """Triples of blank nodes and OWL-Time nodes hanging from ``heads``, ``depth`` levels."""
    if not heads:
        return []
    values = " ".join(_iri_sparql(h) for h in heads)
    nested = ", ".join(_iri_sparql(p) for p in NESTED_PREDICATES)
    out: list[ox.Triple] = []
    chain = ""
    previous = "?h"
    for level in range(1, depth + 1):
        node = f"?n{level}"
        chain += (f" {previous} ?p{level} {node} . "
                  f"FILTER(isBlank({node}) || ?p{level} IN ({nested})) ")
        out += _construct(store, f"CONSTRUCT {{ {node} ?p ?o }} WHERE {{ VALUES ?h {{ {values} }}"
                                 f" {chain} {node} ?p ?o }}")
        previous = node
    return out


def labels_of(store: object, iris: Iterable[str]) -> list[ox.Triple]:
    """``skos:prefLabel``, ``rdfs:label``, ``schema:addressCountry`` and ``schema:text`` (the
    verbatim text of a sentence of the source page, quoted beside the facts read from it)
    of each IRI."""
    wanted = sorted(set(iris))
    out: list[ox.Triple] = []
    base_country = PREFIXES["schema"] + "addressCountry"
    quote = PREFIXES["schema"] + "text"
    for start in range(0, len(wanted), 400):  # keep VALUES blocks of a sane size
        values = " ".join(_iri_sparql(i) for i in wanted[start:start + 400])
        # FILTER, not a second VALUES block: with two VALUES blocks pyoxigraph 0.5 scans
        # every triple (181 ms per document at 10^5 triples, 0.2 ms this way).
        out += _construct(
            store,
            f"CONSTRUCT {{ ?r ?p ?o }} WHERE {{ VALUES ?r {{ {values} }} ?r ?p ?o "
            f"FILTER(?p IN (<{SKOS}prefLabel>, <{RDFS}label>, <{base_country}>, <{quote}>)) }}",
        )
    return out


def label_literals(store: object) -> list[ox.Literal]:
    """Every distinct ``skos:prefLabel`` / ``rdfs:label`` / ``skos:altLabel`` literal with a
    language tag, and the untagged ``skos:altLabel`` ones (acronyms): what
    :func:`ngo_ld.pages.foreign_names` picks the names to keep in Latin from."""
    rows = _select(store, f"""
        SELECT DISTINCT ?l WHERE {{
          {{ ?s <{SKOS}prefLabel>|<{RDFS}label>|<{SKOS}altLabel> ?l FILTER(lang(?l) != "") }}
          UNION {{ ?s <{SKOS}altLabel> ?l FILTER(isLiteral(?l) && lang(?l) = "") }}
        }}""")
    return [row["l"] for row in rows if isinstance(row["l"], ox.Literal)]


def _mentioned(triples: Iterable[ox.Triple]) -> set[str]:
    seen: set[str] = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                seen.add(term.value)
    return seen


def _unique(triples: Iterable[ox.Triple]) -> tuple[ox.Triple, ...]:
    seen: dict[ox.Triple, None] = {}
    for t in triples:
        seen.setdefault(t, None)
    return tuple(seen)


def _core_query(iri: str) -> str:
    """ONE CONSTRUCT for parts 1–3 of a document (see the module docstring): on a remote
    store every query is a network round trip (a document used to take eight), and blank
    nodes keep their identity only within one answer. One flat UNION, a branch per path
    (Virtuoso drops the VALUES of a branch nested inside another UNION)."""
    i = _iri_sparql(iri)
    nested = ", ".join(_iri_sparql(p) for p in NESTED_PREDICATES)

    def hangs(node: str, predicate: str) -> str:
        return f"FILTER(isBlank({node}) || {predicate} IN ({nested}))"

    def membership(node: str) -> str:
        return (f"{{ {{ {node} <{ORG}member> {i} }} UNION {{ {node} <{ORG}organization> {i} }}"
                f" FILTER(isIRI({node})) }}")

    level1 = f"?p1 ?s {hangs('?s', '?p1')}"
    level2 = f"?p1 ?n1 {hangs('?n1', '?p1')} ?n1 ?p2 ?s {hangs('?s', '?p2')}"
    branches = [
        f"VALUES ?s {{ {i} }} ?s ?p ?o",  # 1. X as subject …
        f"VALUES ?o {{ {i} }} ?s ?p ?o",  # … and as object
        f"{membership('?s')} ?s ?p ?o",  # 2. its memberships
        f"{i} {level1} ?s ?p ?o",  # 3. what hangs from X …
        f"{membership('?h')} ?h {level1} ?s ?p ?o",  # … and from its memberships,
        f"{i} {level2} ?s ?p ?o",  # two levels deep
        f"{membership('?h')} ?h {level2} ?s ?p ?o",
    ]
    return ("CONSTRUCT { ?s ?p ?o } WHERE {\n  "
            + "\n  UNION ".join(f"{{ {b} }}" for b in branches) + "\n}")


def document_for(store: object, iri: str, *, base: str, doc: str | None = None
                 ) -> Document | None:
    """The document about ``iri`` (see the module docstring), or None if it is unknown.

    Two queries: the triples of parts 1–3 (:func:`_core_query`), then the labels of what
    they mention. An IRI the dataset says nothing about has no part 1.
    """
    core = _construct(store, _core_query(iri))
    if not core:
        return None
    core += labels_of(store, _mentioned(core) | {iri})
    doc_node = _nn(doc or iri)
    if doc is not None:
        core += [
            ox.Triple(doc_node, _nn(f"{RDF}type"), _nn(f"{FOAF}Document")),
            ox.Triple(doc_node, _nn(f"{FOAF}primaryTopic"), _nn(iri)),
            ox.Triple(doc_node, _nn(f"{VOID}inDataset"), _nn(dataset_iri(base))),
        ]
    return Document(topic=iri, iri=doc or iri, triples=_unique(core))


def thing_document(store: object, slug: str, base: str) -> Document | None:
    """The document about ``{base}id/{slug}``; None for an unknown or malformed slug."""
    if not is_slug(slug):
        return None
    return document_for(store, thing_iri(slug, base), base=base, doc=doc_iri(slug, base))


def ontology_document(store: object, base: str) -> Document | None:
    """The ontology: every triple about ``{base}ontology`` or a ``{base}ontology#`` term,
    their blank nodes, and the labels of everything they mention (W3C "Best Practice
    Recipes for Publishing RDF Vocabularies", recipe 3: hash namespace, one document)."""
    onto = ontology_iri(base)
    core = _construct(
        store,
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o "
        f'FILTER(?s = <{onto}> || STRSTARTS(STR(?s), "{onto}#")) }}',
    )
    if not core:
        return None
    subjects = sorted({t.subject.value for t in core if isinstance(t.subject, ox.NamedNode)})
    core += _nested(store, subjects)
    core += labels_of(store, _mentioned(core))
    return Document(topic=onto, iri=onto, triples=_unique(core))


def thing_slugs(store: object, base: str) -> list[str]:
    """Slugs of every thing the dataset describes (subjects under ``{base}id/``)."""
    prefix = f"{base}id/"
    rows = _select(store, f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && '
                          f'STRSTARTS(STR(?s), "{prefix}")) }}')
    slugs = {slug_of(row["s"].value, base) for row in rows}
    return sorted(s for s in slugs if s)


# ------------------------------------------------------------------------------------
# Collaborations (landing page, ASTRA's picture)
# ------------------------------------------------------------------------------------


@dataclass
class Collaboration:
    """One of ASTRA's collaborations, as the landing page lists it."""

    iri: str
    slug: str
    labels: list[ox.Literal] = field(default_factory=list)
    alt_labels: list[ox.Literal] = field(default_factory=list)
    kinds: list[list[ox.Literal]] = field(default_factory=list)
    roles: list[list[ox.Literal]] = field(default_factory=list)  # ASTRA's role(s)
    since: list[str] = field(default_factory=list)  # lexical start dates of ASTRA's membership
    members: int = 0  # distinct members the data names
    declared: str | None = None  # a count the source states ("30", "> 100", "7 + 13")
    declared_text: list[ox.Literal] = field(default_factory=list)  # "many members" etc.
    role_iris: list[str] = field(default_factory=list)
    kind_iris: list[str] = field(default_factory=list)


def collaborations(store: object, base: str, focus: str = FOCUS_SLUG) -> list[Collaboration]:
    """The collaborations ``focus`` (ASTRA) is a member of, with what the landing page shows."""
    who = _iri_sparql(thing_iri(focus, base))
    rows = _select(store, f"""
        SELECT ?c ?role ?date (COUNT(DISTINCT ?x) AS ?n) WHERE {{
          ?m <{ORG}member> {who} ; <{ORG}organization> ?c .
          OPTIONAL {{ ?m <{ORG}role> ?role }}
          OPTIONAL {{ ?m <{ORG}memberDuring>/<{TIME}hasBeginning> ?b .
                     ?b <{TIME}inXSDgYearMonth>|<{TIME}inXSDgYear>|<{TIME}inXSDDate>
                        |<{TIME}inXSDDateTimeStamp> ?date }}
          OPTIONAL {{ ?mm <{ORG}organization> ?c ; <{ORG}member> ?x }}
        }} GROUP BY ?c ?role ?date""")
    found: dict[str, Collaboration] = {}
    for row in rows:
        iri = row["c"].value
        item = found.get(iri)
        if item is None:
            item = found[iri] = Collaboration(iri=iri, slug=slug_of(iri, base) or "")
        item.members = max(item.members, int(row["n"].value))
        if row["role"] is not None and row["role"].value not in item.role_iris:
            item.role_iris.append(row["role"].value)
        if row["date"] is not None and row["date"].value not in item.since:
            item.since.append(row["date"].value)
    if not found:
        return []
    values = " ".join(_iri_sparql(i) for i in found)
    for row in _select(store, f"""
        SELECT ?c ?p ?o WHERE {{ VALUES ?c {{ {values} }}
          {{ ?c ?p ?o VALUES ?p {{ <{SKOS}prefLabel> <{SKOS}altLabel>
                                   <{ORG}classification> }} }} }}"""):
        item = found[row["c"].value]
        p, o = row["p"].value, row["o"]
        if p == f"{SKOS}prefLabel":
            item.labels.append(o)
        elif p == f"{SKOS}altLabel":
            item.alt_labels.append(o)
        elif p == f"{ORG}classification":
            item.kind_iris.append(o.value)
    _add_declared_counts(store, found, values)
    concept_labels = _labels_by_iri(
        store, {k for c in found.values() for k in (*c.kind_iris, *c.role_iris)})
    for item in found.values():
        item.kinds = [concept_labels.get(k, []) for k in item.kind_iris]
        item.roles = [concept_labels.get(r, []) for r in item.role_iris]
        item.since.sort()
    return sorted(found.values(), key=lambda c: _sort_key(c.labels, c.slug))


def _add_declared_counts(store: object, found: Mapping[str, Collaboration], values: str
                         ) -> None:
    """The member counts the source states (``ngold:memberCount``, each a
    ``schema:QuantitativeValue``): an exact ``schema:value``, a lower bound
    ``schema:minValue`` (shown as "> n-1": counts are whole, so at least 101 is over 100),
    counts of one role each (shown as their sum's parts, "7 + 13"), or words."""
    schema, dct = PREFIXES["schema"], PREFIXES["dcterms"]
    exact: dict[str, list[int]] = {}
    for row in _select(store, f"""
        SELECT ?c ?n ?value ?min ?role ?words WHERE {{ VALUES ?c {{ {values} }}
          ?c <{PREFIXES["ngold"]}memberCount> ?n .
          OPTIONAL {{ ?n <{schema}value> ?value }} OPTIONAL {{ ?n <{schema}minValue> ?min }}
          OPTIONAL {{ ?n <{schema}valueReference> ?role }}
          OPTIONAL {{ ?n <{dct}description> ?words }} }} ORDER BY ?c ?role ?n"""):
        item = found[row["c"].value]
        if row["value"] is not None:
            number = int(row["value"].value)
            if number not in exact.setdefault(item.iri, []):
                exact[item.iri].append(number)
        elif row["min"] is not None:
            item.declared = f"> {int(row['min'].value) - 1}"
        elif row["words"] is not None and row["words"] not in item.declared_text:
            item.declared_text.append(row["words"])
    for iri, numbers in exact.items():
        found[iri].declared = " + ".join(str(n) for n in numbers)


def _sort_key(labels: Sequence[ox.Literal], fallback: str) -> str:
    en = [lit.value for lit in labels if (lit.language or "").lower() == "en"]
    return (en[0] if en else (labels[0].value if labels else fallback)).casefold()


def _labels_by_iri(store: object, iris: Iterable[str]) -> dict[str, list[ox.Literal]]:
    out: dict[str, list[ox.Literal]] = {}
    for t in labels_of(store, iris):
        if t.predicate.value == f"{SKOS}prefLabel" or (
            t.predicate.value == f"{RDFS}label" and t.subject.value not in out
        ):
            out.setdefault(t.subject.value, []).append(t.object)  # type: ignore[arg-type]
    return out


# ------------------------------------------------------------------------------------
# The dataset description (VoID + DCAT-AP 3)
# ------------------------------------------------------------------------------------

#: Static metadata statements on the dataset that the computed description replaces
#: (``dcterms:modified`` by the stated one, written canonically).
COMPUTED_ON_DATASET = {
    f"{VOID}triples", f"{VOID}entities", f"{VOID}classes", f"{VOID}properties",
    f"{VOID}distinctSubjects", f"{VOID}distinctObjects", f"{VOID}sparqlEndpoint",
    f"{VOID}dataDump", f"{VOID}uriSpace", f"{DCAT}distribution", f"{DCAT}landingPage",
    f"{DCT}modified",
}


#: DCAT-AP 3 ranges: the class a value of each property must have.
RANGE_CLASSES = {
    f"{DCT}language": f"{DCT}LinguisticSystem",
    f"{DCAT}theme": f"{SKOS}Concept",
    f"{DCT}conformsTo": f"{DCT}Standard",
    f"{DCT}license": f"{DCT}LicenseDocument",
    f"{DCT}rights": f"{DCT}RightsStatement",
    f"{DCT}accessRights": f"{DCT}RightsStatement",
    f"{DCT}publisher": f"{FOAF}Agent",
    f"{DCAT}landingPage": f"{FOAF}Document",
    f"{DCT}format": f"{DCT}MediaTypeOrExtent",
    f"{DCAT}mediaType": f"{DCT}MediaType",
}


#: English names of the EU data themes (publications.europa.eu/resource/authority/data-theme).
THEME_LABELS = {
    "AGRI": "Agriculture, fisheries, forestry and food", "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport", "ENER": "Energy", "ENVI": "Environment",
    "GOVE": "Government and public sector", "HEAL": "Health",
    "INTR": "International issues", "JUST": "Justice, legal system and public safety",
    "OP_DATPRO": "Provisional data", "REGI": "Regions and cities",
    "SOCI": "Population and society", "TECH": "Science and technology", "TRAN": "Transport",
}


@dataclass(frozen=True)
class Dump:
    """One dump as the description needs it: its format, URL and size in bytes."""

    fmt: Format
    url: str
    size: int


def _lit(value: object, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    if datatype:
        return ox.Literal(str(value), datatype=_nn(datatype))
    return ox.Literal(str(value))


def static_metadata(settings: Settings) -> list[ox.Triple]:
    """metadata/*.ttl (the hand-written part of the description); empty when missing."""
    out: list[ox.Triple] = []
    for path in metadata_files(settings):
        if path.suffix in RDF_SUFFIXES:
            out += parse_file(path)
    return out


def _count(store: object, query: str) -> int:
    rows = _select(store, query)
    return int(rows[0]["n"].value) if rows else 0


def _namespace(iri: str) -> str:
    if "#" in iri:
        return iri.rsplit("#", 1)[0] + "#"
    return iri.rsplit("/", 1)[0] + "/"


def vocabularies(store: object) -> list[str]:
    """Namespaces of every predicate and class the data uses."""
    rows = _select(store, "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } }")
    return sorted({_namespace(r["t"].value) for r in rows if isinstance(r["t"], ox.NamedNode)})


def dataset_description(store: object, settings: Settings, dumps: Sequence[Dump], *,
                        service_root: str,
                        example_slugs: Sequence[str] = (FOCUS_SLUG,)) -> list[ox.Triple]:
    """The VoID and DCAT-AP 3 description of the dataset being served.

    ``metadata/`` gives what people write (title, description, publisher, rights, source,
    and ``dcterms:modified``, the day the data last changed: a fact, so that every server
    of one data version states the same day, not the time its files were copied); the
    rest is computed from the store and the dumps: ``void:triples`` is ``len(store)``,
    ``dcat:byteSize`` the length of each dump's bytes. Resource IRIs (dataset, catalogue,
    distributions) are under the base IRI; URLs to fetch (``dcat:downloadURL``,
    ``void:sparqlEndpoint``) are under ``service_root``, the server's own URL, because
    that is where the bytes are.
    """
    base = settings.base_iri
    ds = _nn(dataset_iri(base))
    cat = _nn(catalog_iri(base))
    metadata = static_metadata(settings)
    static = [t for t in metadata
              if not (t.subject == ds and t.predicate.value in COMPUTED_ON_DATASET)]
    ds_s = _iri_sparql(ds.value)
    stored = _construct(store, f"CONSTRUCT {{ {ds_s} ?p ?o }} WHERE {{ {ds_s} ?p ?o }}")
    out: list[ox.Triple] = [*static, *stored]

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, _nn(p), o))

    def has(s: ox.NamedNode, p: str) -> bool:
        return any(t.subject == s and t.predicate.value == p for t in out)

    nni = f"{XSD}nonNegativeInteger"
    add(ds, f"{RDF}type", _nn(f"{VOID}Dataset"))
    add(ds, f"{RDF}type", _nn(f"{DCAT}Dataset"))
    add(ds, f"{VOID}triples", _lit(len(store), nni))  # type: ignore[arg-type]
    prefix = f"{base}id/"
    add(ds, f"{VOID}entities", _lit(_count(store, (
        f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && '
        f'STRSTARTS(STR(?s), "{prefix}")) }}')), nni))
    add(ds, f"{VOID}classes", _lit(_count(
        store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"), nni))
    add(ds, f"{VOID}properties", _lit(_count(
        store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"), nni))
    add(ds, f"{VOID}distinctSubjects", _lit(_count(
        store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"), nni))
    add(ds, f"{VOID}distinctObjects", _lit(_count(
        store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"), nni))
    add(ds, f"{VOID}uriSpace", _lit(prefix))
    for vocab in vocabularies(store):
        add(ds, f"{VOID}vocabulary", _nn(vocab))
    for slug in example_slugs:
        add(ds, f"{VOID}exampleResource", _nn(thing_iri(slug, base)))
    sparql = _nn(f"{service_root}sparql")
    add(ds, f"{VOID}sparqlEndpoint", sparql)
    landing = _nn(service_root)
    add(ds, f"{DCAT}landingPage", landing)
    add(landing, f"{RDF}type", _nn(f"{FOAF}Document"))
    add(ds, f"{VOID}rootResource", _nn(ontology_iri(base)))
    for t in metadata:
        if t.subject == ds and t.predicate.value == f"{DCT}modified":
            modified = _modified_literal(t.object)
            if modified is not None:
                add(ds, f"{DCT}modified", modified)
                break
    rights = [t.object for t in out if t.subject == ds and t.predicate.value == f"{DCT}rights"]
    licences = [t.object for t in out if t.subject == ds and t.predicate.value == f"{DCT}license"]
    for dump in dumps:
        dist = _nn(f"{dataset_iri(base)}#dump-{dump.fmt.token}")
        url = _nn(dump.url)
        add(ds, f"{VOID}dataDump", url)
        add(ds, f"{DCAT}distribution", dist)
        add(dist, f"{RDF}type", _nn(f"{DCAT}Distribution"))
        add(dist, f"{DCT}title", _lit(f"Whole dataset as {dump.fmt.label}", lang="en"))
        add(dist, f"{DCAT}downloadURL", url)
        add(dist, f"{DCAT}accessURL", url)
        media = _nn(f"{IANA}{dump.fmt.media_type}")
        add(dist, f"{DCAT}mediaType", media)
        add(media, f"{RDF}type", _nn(f"{DCT}MediaType"))
        file_type = FILE_TYPES.get(dump.fmt.token)
        if file_type:
            ft = _nn(f"{FILE_TYPE}{file_type}")
            add(dist, f"{DCT}format", ft)
            add(ft, f"{RDF}type", _nn(f"{DCT}MediaTypeOrExtent"))
        add(dist, f"{DCAT}byteSize", _lit(dump.size, nni))
        for r in rights:
            add(dist, f"{DCT}rights", r)  # type: ignore[arg-type]
        for lic in licences:
            add(dist, f"{DCT}license", lic)  # type: ignore[arg-type]

    # The classes DCAT-AP expects of the things the description points to, as the EU
    # vocabularies (languages, data themes) and standards would state them.
    for t in list(out):
        expected = RANGE_CLASSES.get(t.predicate.value)
        if expected and isinstance(t.object, ox.NamedNode):
            add(t.object, f"{RDF}type", _nn(expected))
            if expected == f"{SKOS}Concept" and not has(t.object, f"{SKOS}prefLabel"):
                name = t.object.value.rstrip("/").rsplit("/", 1)[-1]
                add(t.object, f"{SKOS}prefLabel", _lit(THEME_LABELS.get(name, name), lang="en"))

    # No dcat:DataService for the SPARQL endpoint: the DCAT-AP 3.0.1 shapes reference a
    # property shape they do not define for it (…#dcat:DataServiceShape/dc08f4dc…), so any
    # DataService makes the official validation fail; void:sparqlEndpoint says it instead.

    # A catalogue so that DCAT-AP harvesters find the dataset and the service.
    add(cat, f"{RDF}type", _nn(f"{DCAT}Catalog"))
    for t in list(out):
        if t.subject == ds and t.predicate.value in (f"{DCT}title", f"{DCT}description",
                                                     f"{DCT}publisher", f"{DCT}rights",
                                                     f"{DCT}language"):
            add(cat, t.predicate.value, t.object)  # type: ignore[arg-type]
    if not has(cat, f"{DCT}title"):
        add(cat, f"{DCT}title", _lit("ngo_ld", lang="en"))
    add(cat, f"{DCAT}dataset", ds)
    add(cat, f"{FOAF}homepage", landing)
    return list(_unique(out))


def stated_modified(settings: Settings) -> datetime | None:
    """When the data last changed, as the maintainers state it: the ``dcterms:modified``
    of the dataset in metadata/ (an ``xsd:date`` is its midnight, UTC; a date-time
    without a time zone is UTC). None when it is not stated or not readable — then
    nothing claims a date (the shapes make a served dataset state one)."""
    ds = dataset_iri(settings.base_iri)
    for t in static_metadata(settings):
        if t.subject.value == ds and t.predicate.value == f"{DCT}modified":
            stated = _read_modified(t.object)
            if stated is not None:
                return stated
    return None


def _read_modified(term: object) -> datetime | None:
    if not isinstance(term, ox.Literal):
        return None
    try:
        if term.datatype.value == f"{XSD}date":
            stated = datetime.combine(date.fromisoformat(term.value[:10]), datetime.min.time())
        elif term.datatype.value == f"{XSD}dateTime":
            stated = datetime.fromisoformat(term.value)
        else:
            return None
    except ValueError:
        return None
    return stated if stated.tzinfo else stated.replace(tzinfo=UTC)


def _modified_literal(term: object) -> ox.Literal | None:
    """The stated ``dcterms:modified`` written canonically (the shapes read date-times as
    leniently as rdflib does, "2026-12-03 10:00" included; harvesters need the XML Schema
    form), or None when it cannot be read."""
    stated = _read_modified(term)
    if stated is None:
        return None
    if term.datatype.value == f"{XSD}date":  # type: ignore[attr-defined]
        return _lit(stated.date().isoformat(), f"{XSD}date")
    return _lit(stated.isoformat().replace("+00:00", "Z"), f"{XSD}dateTime")


def dataset_titles(description: Sequence[ox.Triple], base: str) -> Mapping[str, list[ox.Literal]]:
    """Titles and descriptions of the dataset, from its description, by predicate."""
    ds = dataset_iri(base)
    out: dict[str, list[ox.Literal]] = {}
    for t in description:
        if t.subject.value == ds and isinstance(t.object, ox.Literal):
            out.setdefault(t.predicate.value, []).append(t.object)
    return out
