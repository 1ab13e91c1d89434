"""SHACL shapes (shapes/*.ttl) against the real data and against minimal Turtle snippets.

The real data (every .ttl under data/, ontology/ and metadata/, parsed into ONE graph)
must conform.
Every shape that carries a constraint has one snippet it rejects — the test checks the
focus node, the result path and the severity sh:Violation of the result that shape
produces — and one snippet it accepts (no result from that shape). A coverage test makes
sure no shape is added to shapes/ without such a pair.

pySHACL runs as ``ngo-ld validate`` runs it: no inference, SHACL-AF (SPARQL targets and
constraints) enabled.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF, SH, SKOS

from ngo_ld.namespaces import PREFIXES as NAMESPACES
from ngo_ld.namespaces import turtle_prologue

ROOT = Path(__file__).resolve().parents[1]
NGOSH = Namespace("https://w3id.org/ngo-ld/shapes#")

PREFIXES = turtle_prologue()


def _load(paths) -> Graph:
    """Parse Turtle files into one graph."""
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def _data_files() -> list[Path]:
    return sorted((ROOT / "data").rglob("*.ttl")) + sorted((ROOT / "ontology").rglob("*.ttl"))


@cache
def _shapes() -> Graph:
    return _load(sorted((ROOT / "shapes").glob("*.ttl")))


def _validate(data: Graph) -> Graph:
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=_shapes(), inference="none", advanced=True, allow_warnings=True
    )
    return report


def _snippet(turtle: str) -> Graph:
    return Graph().parse(data=PREFIXES + turtle, format="turtle")


def _expand(name: str | None, graph: Graph) -> URIRef | None:
    if name is None:
        return None
    if name.startswith("<"):
        return URIRef(name[1:-1])
    prefix, _, local = name.partition(":")
    if prefix in NAMESPACES:  # the project's prefixes (rdflib binds schema: to https:)
        return URIRef(NAMESPACES[prefix] + local)
    return graph.namespace_manager.expand_curie(name)


def _results_of(report: Graph, shape: URIRef) -> list[dict]:
    rows = []
    for result in report.subjects(SH.sourceShape, shape):
        rows.append(
            {
                "focus": report.value(result, SH.focusNode),
                "path": report.value(result, SH.resultPath),
                "severity": report.value(result, SH.resultSeverity),
                "message": report.value(result, SH.resultMessage),
            }
        )
    return rows


# ---------------------------------------------------------------------------------------
# Cases: shape local name -> (focus, path, rejected Turtle, accepted Turtle).
# focus "_:" means "a blank node"; path None means a node-level result (no sh:resultPath).
# ---------------------------------------------------------------------------------------

ORG_A = "ngo:a a org:Organization , org:FormalOrganization .\n"
MEMBERSHIP_OK = (
    ORG_A + "ngo:c a org:Organization , org:OrganizationalCollaboration .\n"
    "ngo:m a org:Membership ; org:member ngo:a ; org:organization ngo:c .\n"
)
TERM_OK = (
    'ngold:foo a owl:DatatypeProperty ; rdfs:label "foo"@en , "fu"@sr-Latn ;'
    ' rdfs:comment "Foo."@en , "Fu."@sr-Latn ;'
    " rdfs:isDefinedBy <https://w3id.org/ngo-ld/ontology> .\n"
)

CASES: dict[str, tuple[str | None, str | None, str, str]] = {
    # things, names, references
    "ThingShape": (
        "<https://w3id.org/ngo-ld/id/Bad_Slug>",
        None,
        '<https://w3id.org/ngo-ld/id/Bad_Slug> skos:prefLabel "x"@en .',
        'ngo:good-slug-2 skos:prefLabel "x"@en .',
    ),
    "PrefLabelPerLanguage": (
        "ngo:x",
        "skos:prefLabel",
        'ngo:x skos:prefLabel "a"@en , "b"@en .',
        'ngo:x skos:prefLabel "a"@en , "b"@sr-Latn .',
    ),
    "PrefLabelEnglish": (
        "ngo:x",
        "skos:prefLabel",
        'ngo:x skos:prefLabel "a"@sr-Latn .',
        'ngo:x skos:prefLabel "a"@sr-Latn , "a"@en .',
    ),
    "ReferencedThingType": (
        "ngo:missing",
        "rdf:type",
        "ngo:a skos:related ngo:missing .",
        "ngo:a skos:related ngo:b . ngo:b a skos:Concept .",
    ),
    "LinkableThingShape": ("_:", None, "[] a org:Membership .", "ngo:m a org:Membership ."),
    # organisations
    "OrganizationShape": ("_:", None, "[] a org:Organization , org:FormalOrganization .", ORG_A),
    "OrganizationSpecificClass": ("ngo:a", "rdf:type", "ngo:a a org:Organization .", ORG_A),
    "OrganizationExplicitType": ("ngo:a", "rdf:type", "ngo:a a org:FormalOrganization .", ORG_A),
    "CollaborationKind": (
        "ngo:c",
        "org:classification",
        "ngo:c a org:Organization , org:OrganizationalCollaboration .",
        "ngo:c a org:OrganizationalCollaboration ; org:classification ngo:kind-network .",
    ),
    "CollaborationSerbianLabel": (
        "ngo:c",
        "skos:prefLabel",
        'ngo:c a org:OrganizationalCollaboration ; skos:prefLabel "C"@en .',
        'ngo:c a org:OrganizationalCollaboration ; skos:prefLabel "C"@en , "C"@sr-Latn .',
    ),
    "CollaborationProvenance": (
        "ngo:c",
        "prov:wasDerivedFrom",
        "ngo:c a org:OrganizationalCollaboration .",
        "ngo:c a org:OrganizationalCollaboration ; prov:wasDerivedFrom ngo:source-page .",
    ),
    "ClassificationInKinds": (
        "ngo:c",
        "org:classification",
        "ngo:c org:classification ngo:region-asia . ngo:region-asia skos:inScheme ngo:regions .",
        "ngo:c org:classification ngo:kind-network ."
        " ngo:kind-network skos:inScheme ngo:collaboration-kinds .",
    ),
    "UnitOf": (
        "ngo:u",
        "org:unitOf",
        "ngo:u a org:Organization , org:OrganizationalUnit .",
        "ngo:u a org:OrganizationalUnit ; org:unitOf ngo:a . " + ORG_A,
    ),
    # memberships
    "MembershipMember": (
        "ngo:m",
        "org:member",
        "ngo:m a org:Membership .",
        "ngo:m a org:Membership ; org:member ngo:a . " + ORG_A,
    ),
    "MembershipOrganization": (
        "ngo:m",
        "org:organization",
        "ngo:m a org:Membership .",
        "ngo:m a org:Membership ; org:organization ngo:a . " + ORG_A,
    ),
    "MembershipRole": (
        "ngo:m",
        "org:role",
        "ngo:m a org:Membership ; org:role ngo:r . ngo:r a org:Role .",
        "ngo:m a org:Membership ; org:role ngo:r . ngo:r a org:Role ; skos:inScheme ngo:roles .",
    ),
    "MembershipMemberOfShortcut": (
        "ngo:m",
        "org:member",
        MEMBERSHIP_OK,
        MEMBERSHIP_OK + "ngo:a org:memberOf ngo:c .",
    ),
    "MembershipHasMemberShortcut": (
        "ngo:m",
        "org:organization",
        MEMBERSHIP_OK,
        MEMBERSHIP_OK + "ngo:c org:hasMember ngo:a .",
    ),
    "MembershipImplied": (
        "ngo:m",
        "ngold:impliedBySource",
        'ngo:m a org:Membership ; ngold:impliedBySource "yes" .',
        "ngo:m a org:Membership ; ngold:impliedBySource true .",
    ),
    "MembershipImpliedNote": (
        "ngo:m",
        "skos:editorialNote",
        "ngo:m a org:Membership ; ngold:impliedBySource true ;"
        ' skos:editorialNote "Implied."@en ; skos:note "Podrazumeva se."@sr-Latn .',
        "ngo:m a org:Membership ; ngold:impliedBySource true ;"
        ' skos:editorialNote "Implied."@en , "Podrazumeva se."@sr-Latn .',
    ),
    "MembershipDuring": (
        "ngo:m",
        "org:memberDuring",
        "ngo:m a org:Membership ; org:memberDuring [ a time:Interval ] .",
        "ngo:m a org:Membership ; org:memberDuring ngo:i . ngo:i a time:Interval .",
    ),
    "MembershipProvenance": (
        "ngo:m",
        "prov:wasDerivedFrom",
        "ngo:m a org:Membership .",
        "ngo:m a org:Membership ; prov:wasDerivedFrom ngo:source-page .",
    ),
    "MemberOfHasMembership": (
        "ngo:a",
        "org:memberOf",
        MEMBERSHIP_OK + "ngo:m ngold:impliedBySource true . ngo:a org:memberOf ngo:c .",
        MEMBERSHIP_OK + "ngo:a org:memberOf ngo:c .",
    ),
    "HasMemberHasMembership": (
        "ngo:c",
        "org:hasMember",
        MEMBERSHIP_OK + "ngo:m ngold:impliedBySource true . ngo:c org:hasMember ngo:a .",
        MEMBERSHIP_OK + "ngo:c org:hasMember ngo:a .",
    ),
    "ImpliedMemberOfHasMembership": (
        "ngo:a",
        "ngold:impliedMemberOf",
        MEMBERSHIP_OK + "ngo:a ngold:impliedMemberOf ngo:c .",
        MEMBERSHIP_OK + "ngo:m ngold:impliedBySource true . ngo:a ngold:impliedMemberOf ngo:c .",
    ),
    "HasImpliedMemberHasMembership": (
        "ngo:c",
        "ngold:hasImpliedMember",
        "ngo:c ngold:hasImpliedMember ngo:a .",
        MEMBERSHIP_OK + "ngo:m ngold:impliedBySource true . ngo:c ngold:hasImpliedMember ngo:a .",
    ),
    # roles and concepts
    "RoleIsConcept": (
        "ngo:r",
        "rdf:type",
        "ngo:r a org:Role ; skos:inScheme ngo:roles .",
        "ngo:r a org:Role , skos:Concept ; skos:inScheme ngo:roles .",
    ),
    "RoleInScheme": (
        "ngo:r",
        "skos:inScheme",
        "ngo:r a org:Role , skos:Concept .",
        "ngo:r a org:Role , skos:Concept ; skos:inScheme ngo:roles .",
    ),
    "ConceptInScheme": (
        "ngo:k",
        "skos:inScheme",
        "ngo:k a skos:Concept .",
        "ngo:k a skos:Concept ; skos:inScheme ngo:s . ngo:s a skos:ConceptScheme .",
    ),
    "ConceptSerbianLabel": (
        "ngo:k",
        "skos:prefLabel",
        'ngo:k a skos:Concept ; skos:prefLabel "k"@en .',
        'ngo:k a skos:Concept ; skos:prefLabel "k"@en , "k"@sr-Latn .',
    ),
    "PurposeValue": (
        "ngo:o",
        "org:purpose",
        'ngo:o org:purpose "no language tag" .',
        'ngo:o org:purpose "Short purpose"@en , ngo:k . ngo:k a skos:Concept .',
    ),
    # countries
    "CountryValue": (
        "ngo:o",
        "schema:addressCountry",
        "ngo:o schema:addressCountry"
        " <http://publications.europa.eu/resource/authority/country/srb> .",
        "ngo:o schema:addressCountry euc:SRB .",
    ),
    "SpatialValue": (
        "ngo:o",
        "dcterms:spatial",
        "ngo:o dcterms:spatial ngo:kind-network , euc:SRB ."
        " ngo:kind-network skos:inScheme ngo:collaboration-kinds .",
        "ngo:o dcterms:spatial euc:SRB , euc:MKD , ngo:region-asia ."
        " ngo:region-asia skos:inScheme ngo:regions .",
    ),
    # time
    "InXSDgYearMonth": (
        "ngo:t",
        "time:inXSDgYearMonth",
        'ngo:t time:inXSDgYearMonth "2014-04" .',
        'ngo:t time:inXSDgYearMonth "2014-04"^^xsd:gYearMonth .',
    ),
    "InXSDgYear": (
        "ngo:t",
        "time:inXSDgYear",
        'ngo:t time:inXSDgYear "2014"^^xsd:integer .',
        'ngo:t time:inXSDgYear "2014"^^xsd:gYear .',
    ),
    "InXSDDate": (
        "ngo:t",
        "time:inXSDDate",
        'ngo:t time:inXSDDate "2014-04-01" .',
        'ngo:t time:inXSDDate "2014-04-01"^^xsd:date .',
    ),
    "IntervalBeginning": (
        "ngo:i",
        "time:hasBeginning",
        "ngo:i a time:Interval ; time:hasBeginning ngo:s .",
        "ngo:i a time:Interval ; time:hasBeginning ngo:s . ngo:s a time:Instant .",
    ),
    "IntervalDuration": (
        "ngo:i",
        "time:hasXSDDuration",
        'ngo:i a time:Interval ; time:hasXSDDuration "two years" .',
        'ngo:i a time:Interval ; time:hasXSDDuration "P2Y"^^xsd:duration .',
    ),
    # counts and years
    "MemberCount": (
        "ngo:o",
        "ngold:memberCount",
        "ngo:o ngold:memberCount 30 .",
        "ngo:o ngold:memberCount ngo:n . ngo:n a schema:QuantitativeValue .",
    ),
    "MemberCountryCount": (
        "ngo:o",
        "ngold:memberCountryCount",
        "ngo:o ngold:memberCountryCount [ a schema:QuantitativeValue ] .",
        "ngo:o ngold:memberCountryCount ngo:n . ngo:n a schema:QuantitativeValue .",
    ),
    "CorrespondentCount": (
        "ngo:o",
        "ngold:correspondentCount",
        'ngo:o ngold:correspondentCount "many"@en .',
        "ngo:o ngold:correspondentCount ngo:n . ngo:n a schema:QuantitativeValue .",
    ),
    "CountValue": (
        "ngo:n",
        "schema:value",
        "ngo:n a schema:QuantitativeValue ; schema:value -30 .",
        "ngo:n a schema:QuantitativeValue ; schema:value 30 .",
    ),
    "CountMinValue": (
        "ngo:n",
        "schema:minValue",
        'ngo:n a schema:QuantitativeValue ; schema:minValue "100" .',
        "ngo:n a schema:QuantitativeValue ; schema:minValue 101 .",
    ),
    "CountWords": (
        "ngo:n",
        "dcterms:description",
        'ngo:n a schema:QuantitativeValue ; dcterms:description "many" .',
        'ngo:n a schema:QuantitativeValue ; dcterms:description "many"@en , "mnogo"@sr-Latn .',
    ),
    "CountRole": (
        "ngo:n",
        "schema:valueReference",
        "ngo:n a schema:QuantitativeValue ; schema:value 7 ; schema:valueReference ngo:x .",
        "ngo:n a schema:QuantitativeValue ; schema:value 7 ; schema:valueReference ngo:r ."
        " ngo:r a org:Role .",
    ),
    "CountSomething": (
        "ngo:n",
        "schema:value",
        "ngo:n a schema:QuantitativeValue .",
        'ngo:n a schema:QuantitativeValue ; dcterms:description "many"@en .',
    ),
    "FoundingDate": (
        "ngo:o",
        "schema:foundingDate",
        'ngo:o schema:foundingDate "1986"^^xsd:integer .',
        'ngo:o schema:foundingDate "1986"^^xsd:gYear .',
    ),
    "DateCreated": (
        "ngo:o",
        "schema:dateCreated",
        'ngo:o schema:dateCreated "1998" .',
        'ngo:o schema:dateCreated "1998"^^xsd:gYear .',
    ),
    "OfficialFunction": (
        "ngo:o",
        "ngold:officialFunction",
        'ngo:o ngold:officialFunction "a"@en , "b"@en .',
        'ngo:o ngold:officialFunction "state coordinator"@en .',
    ),
    "Obstacle": (
        "ngo:o",
        "ngold:obstacle",
        'ngo:o ngold:obstacle "victims lack legal aid" .',
        'ngo:o ngold:obstacle "victims lack legal aid"@en , '
        '"žrtvama nedostaje pravna pomoć"@sr-Latn .',
    ),
    # relations between organisations, hotlines
    "Funder": (
        "ngo:o",
        "schema:funder",
        "ngo:o schema:funder ngo:x .",
        "ngo:o schema:funder ngo:a . " + ORG_A,
    ),
    "ConsultativeStatusWith": (
        "ngo:o",
        "ngold:consultativeStatusWith",
        "ngo:o ngold:consultativeStatusWith ngo:x .",
        "ngo:o ngold:consultativeStatusWith ngo:a . " + ORG_A,
    ),
    "UsesPlatform": (
        "ngo:o",
        "ngold:usesPlatform",
        "ngo:o ngold:usesPlatform ngo:x .",
        "ngo:o ngold:usesPlatform ngo:a . " + ORG_A,
    ),
    "ResultedFrom": (
        "ngo:o",
        "org:resultedFrom",
        "ngo:o org:resultedFrom ngo:e . ngo:e a org:ChangeEvent .",
        "ngo:o org:resultedFrom ngo:e . ngo:e a org:ChangeEvent ;"
        " org:resultingOrganization ngo:o .",
    ),
    "ChangeEventActivity": (
        "ngo:e",
        "rdf:type",
        "ngo:e a org:ChangeEvent .",
        "ngo:e a org:ChangeEvent , prov:Activity .",
    ),
    "ChangeEventResult": (
        "ngo:e",
        "org:resultingOrganization",
        "ngo:e a org:ChangeEvent ; org:resultingOrganization ngo:a . " + ORG_A,
        "ngo:e a org:ChangeEvent ; org:resultingOrganization ngo:a ."
        " ngo:a org:resultedFrom ngo:e . " + ORG_A,
    ),
    "ChangeEventProvenance": (
        "ngo:e",
        "prov:wasDerivedFrom",
        "ngo:e a org:ChangeEvent .",
        "ngo:e a org:ChangeEvent ; prov:wasDerivedFrom ngo:source-page .",
    ),
    "HotlineNumber": (
        "ngo:h",
        "schema:telephone",
        "ngo:h a ngold:Hotline .",
        'ngo:h a ngold:Hotline ; schema:telephone "116 000" .',
    ),
    "OperatesHotline": (
        "ngo:o",
        "ngold:operatesHotline",
        "ngo:o ngold:operatesHotline ngo:h .",
        "ngo:o ngold:operatesHotline ngo:h . ngo:h a ngold:Hotline .",
    ),
    "HotlineOperationOperator": (
        "ngo:op",
        "ngold:operator",
        "ngo:op a ngold:HotlineOperation .",
        "ngo:op a ngold:HotlineOperation ; ngold:operator ngo:a . " + ORG_A,
    ),
    "HotlineOperationHotline": (
        "ngo:op",
        "ngold:hotline",
        "ngo:op a ngold:HotlineOperation ; ngold:hotline ngo:a . " + ORG_A,
        "ngo:op a ngold:HotlineOperation ; ngold:hotline ngo:h . ngo:h a ngold:Hotline .",
    ),
    "HotlineOperationPeriod": (
        "ngo:op",
        "time:hasTime",
        "ngo:op a ngold:HotlineOperation ; time:hasTime ngo:x .",
        "ngo:op a ngold:HotlineOperation ; time:hasTime ngo:i . ngo:i a time:Interval .",
    ),
    # provenance
    "DerivedFromEntity": (
        "ngo:o",
        "prov:wasDerivedFrom",
        "ngo:o prov:wasDerivedFrom ngo:p .",
        "ngo:o prov:wasDerivedFrom ngo:p . ngo:p a prov:Entity .",
    ),
    "SourceTitle": (
        "ngo:d",
        "dcterms:title",
        'ngo:d a foaf:Document ; dcterms:title "Title" .',
        'ngo:d a foaf:Document ; dcterms:title "Naslov"@sr-Latn , "Title"@en .',
    ),
    "SourcePublisher": (
        "ngo:d",
        "dcterms:publisher",
        "ngo:d a foaf:Document .",
        "ngo:d a foaf:Document ; dcterms:publisher ngo:a . " + ORG_A,
    ),
    "SourceRights": (
        "ngo:d",
        "dcterms:rights",
        "ngo:d a foaf:Document .",
        'ngo:d a foaf:Document ; dcterms:rights "All rights reserved © ASTRA" .',
    ),
    "SourcePartText": (
        "ngo:s",
        "schema:text",
        'ngo:s dcterms:isPartOf ngo:d ; schema:text "Rečenica." . ngo:d a foaf:Document .',
        'ngo:s dcterms:isPartOf ngo:d ; schema:text "Rečenica."@sr-Latn . ngo:d a foaf:Document .',
    ),
    "SourcePartPosition": (
        "ngo:s",
        "schema:position",
        "ngo:s dcterms:isPartOf ngo:d ; schema:position 0 . ngo:d a foaf:Document .",
        "ngo:s dcterms:isPartOf ngo:d ; schema:position 4 . ngo:d a foaf:Document .",
    ),
    "DateOrCountProvenance": (
        "ngo:t",
        "prov:wasDerivedFrom",
        'ngo:t a time:Instant ; time:inXSDgYear "2014"^^xsd:gYear .',
        'ngo:t a time:Instant ; prov:wasDerivedFrom ngo:s . ngo:s a prov:Entity .',
    ),
    # the dataset description (metadata/)
    "DatasetModified": (
        "ngo:d",
        "dcterms:modified",
        'ngo:d a dcat:Dataset ; dcterms:modified "3 December 2026" .',
        'ngo:d a dcat:Dataset ; dcterms:modified "2026-12-03"^^xsd:date .',
    ),
    # the ontology
    "TermLabelEnglish": (
        "ngold:foo",
        "rdfs:label",
        'ngold:foo a owl:Class ; rdfs:label "fu"@sr-Latn .',
        TERM_OK,
    ),
    "TermLabelSerbian": (
        "ngold:foo",
        "rdfs:label",
        'ngold:foo a owl:Class ; rdfs:label "foo"@en .',
        TERM_OK,
    ),
    "TermCommentEnglish": (
        "ngold:foo",
        "rdfs:comment",
        'ngold:foo a owl:Class ; rdfs:comment "Fu."@sr-Latn .',
        TERM_OK,
    ),
    "TermCommentSerbian": (
        "ngold:foo",
        "rdfs:comment",
        'ngold:foo a owl:Class ; rdfs:comment "Foo."@en .',
        TERM_OK,
    ),
    "TermDefinedBy": (
        "ngold:foo",
        "rdfs:isDefinedBy",
        'ngold:foo a owl:Class ; rdfs:label "foo"@en .',
        TERM_OK,
    ),
    "OntologyVersion": (
        "<https://w3id.org/ngo-ld/ontology>",
        "owl:versionInfo",
        "<https://w3id.org/ngo-ld/ontology> a owl:Ontology .",
        '<https://w3id.org/ngo-ld/ontology> a owl:Ontology ; owl:versionInfo "0.1.0" .',
    ),
    "OntologyLicense": (
        "<https://w3id.org/ngo-ld/ontology>",
        "dcterms:license",
        '<https://w3id.org/ngo-ld/ontology> a owl:Ontology ; dcterms:license "CC BY" .',
        "<https://w3id.org/ngo-ld/ontology> a owl:Ontology ;"
        " dcterms:license <https://creativecommons.org/licenses/by/4.0/> .",
    ),
}

# One scheme-restricted, concept-valued property per shape: (shape, property, right scheme).
for _shape, _prop, _scheme, _ok in [
    ("FieldOfWorkValue", "ngold:fieldOfWork", "ngo:regions", "ngo:fields-of-work"),
    ("MemberTypeValue", "ngold:memberType", "ngo:regions", "ngo:member-types"),
    ("SectorValue", "ngold:sector", "ngo:regions", "ngo:sectors"),
    ("FundraisingPurposeValue", "ngold:fundraisingPurpose", "ngo:regions", "ngo:help-kinds"),
]:
    CASES[_shape] = (
        "ngo:o",
        _prop,
        f"ngo:o {_prop} ngo:k . ngo:k skos:inScheme {_scheme} .",
        f"ngo:o {_prop} ngo:k . ngo:k skos:inScheme {_ok} .",
    )

# Written forms of dates (shapes/ngo-ld-lexical.ttl), whatever property carries them.
CASES["GYearMonthLexicalShape"] = (
    "ngo:i", "time:inXSDgYearMonth",
    'ngo:i time:inXSDgYearMonth "April 2014"^^xsd:gYearMonth .',
    'ngo:i time:inXSDgYearMonth "2014-04"^^xsd:gYearMonth .',
)
CASES["GYearLexicalShape"] = (
    "ngo:o", "schema:foundingDate",
    'ngo:o schema:foundingDate "14"^^xsd:gYear .',
    'ngo:o schema:foundingDate "2014"^^xsd:gYear .',
)
CASES["DateLexicalShape"] = (
    "ngo:i", "time:inXSDDate",
    'ngo:i time:inXSDDate "2015-02-29"^^xsd:date .',
    'ngo:i time:inXSDDate "2016-02-29"^^xsd:date .',
)
# Names and labels: single spaces between words, none around (shapes/ngo-ld-lexical.ttl).
CASES["NameSpacingShape"] = (
    "ngo:x", "skos:prefLabel",
    'ngo:x skos:prefLabel "ASTRA "@en .',
    'ngo:x skos:prefLabel "ASTRA"@en ; skos:altLabel "Anti Trafficking Action"@en .',
)
#: (property, value as Turtle, accepted?) for the names shape, beyond its case above.
NAME_SPACING = [
    ("skos:prefLabel", '" ASTRA"@en', False),
    ("skos:prefLabel", '"Anti  Trafficking Action"@en', False),
    ("skos:altLabel", '"ASTRA "@sr-Latn', False),
    ("skos:hiddenLabel", '"ASTRA\\t"@en', False),
    ("rdfs:label", '"membership\\nrole"@en', False),
    ("schema:name", '"ASTRA "', False),
    ("schema:alternateName", '"  "@en', False),
    ("foaf:name", '"Ana "', False),
    ("dcterms:title", '"ngo_ld dataset "@en', False),
    ("skos:prefLabel", '"Anti Trafficking Action"@en', True),
    ("skos:altLabel", '"BAN mix A"@en', True),
    ("rdfs:label", '"„Svi za pravično suđenje“"@sr-Latn', True),
    ("schema:name", '"ASTRA"', True),
    ("dcterms:title", '"ngo_ld — ASTRA’s collaborations"@en', True),
    ("skos:note", '"a note may end with a space "@en', True),  # not a name
]

CONSTRAINT_PARAMETERS = {
    SH.pattern,
    SH.nodeKind,
    SH.datatype,
    SH["class"],
    SH.minCount,
    SH.maxCount,
    SH.hasValue,
    SH.sparql,
    SH["or"],
    SH.qualifiedValueShape,
    SH.uniqueLang,
    SH["in"],
    SH.languageIn,
}


def _constrained_shapes() -> set[str]:
    shapes = _shapes()
    names = set()
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    ):
        if isinstance(shape, URIRef) and any(
            p in CONSTRAINT_PARAMETERS for p in shapes.predicates(shape)
        ):
            names.add(str(shape).removeprefix(str(NGOSH)))
    return names


# ---------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------


def test_real_data_conforms():
    data = _load([*_data_files(), *sorted((ROOT / "metadata").glob("*.ttl"))])
    conforms, _report, text = pyshacl.validate(
        data, shacl_graph=_shapes(), inference="none", advanced=True, allow_warnings=True
    )
    assert conforms, text


def test_every_constrained_shape_has_a_case():
    assert _constrained_shapes() == set(CASES)


def test_every_shape_has_an_english_name_and_message():
    shapes = _shapes()
    named = [
        s
        for s in set(shapes.subjects(RDF.type, SH.NodeShape))
        | set(shapes.subjects(RDF.type, SH.PropertyShape))
        if isinstance(s, URIRef)
    ]
    assert len(named) >= len(CASES)
    for shape in named:
        name, message = shapes.value(shape, SH.name), shapes.value(shape, SH.message)
        assert name is not None, f"{shape} has no sh:name"
        assert message is not None, f"{shape} has no sh:message"
        assert message.language in (None, "en"), f"{shape}: sh:message is not English"
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.message) is not None


def test_a_message_that_lists_concepts_of_a_scheme_lists_all_of_them():
    """A message naming the allowed roles (or kinds ...) of the data's concept schemes
    names every one of them, so adding a concept to data/concepts.ttl without the shape
    message fails here."""
    import re

    data = _load(_data_files())
    ngo = NAMESPACES["ngo"]
    scheme_of = {str(c)[len(ngo):]: str(s)[len(ngo):]
                 for c, s in data.subject_objects(SKOS.inScheme) if str(c).startswith(ngo)}
    roles = {c for c, s in scheme_of.items() if s == "roles"}
    assert {"role-participant", "role-member", "role-partner"} <= roles
    checked = set()
    for message in _shapes().objects(None, SH.message):
        named = set(re.findall(r"ngo:([a-z0-9]+(?:-[a-z0-9]+)*)", str(message)))
        for scheme in {scheme_of[c] for c in named if c in scheme_of}:
            listed = {c for c in named if scheme_of.get(c) == scheme}
            if len(listed) > 1:  # a list of the scheme's concepts, not one example
                everything = {c for c, s in scheme_of.items() if s == scheme}
                assert listed == everything, (
                    f"the message {str(message)!r} leaves out "
                    + ", ".join(f"ngo:{c}" for c in sorted(everything - listed)))
                checked.add(scheme)
    assert "roles" in checked  # the membership role's message is one such list


@pytest.mark.parametrize("shape_name", sorted(CASES))
def test_shape_rejects(shape_name):
    focus_name, path_name, bad, _good = CASES[shape_name]
    data = _snippet(bad)
    results = _results_of(_validate(data), NGOSH[shape_name])
    assert results, f"{shape_name} did not reject:\n{bad}"
    focus = BNode() if focus_name == "_:" else _expand(focus_name, data)
    path = _expand(path_name, data)
    matching = [
        r
        for r in results
        if (isinstance(r["focus"], BNode) if focus_name == "_:" else r["focus"] == focus)
        and r["path"] == path
    ]
    assert matching, f"{shape_name}: expected focus {focus} / path {path}, got {results}"
    for row in matching:
        assert row["severity"] == SH.Violation
        assert row["message"], "a violation without a message"


@pytest.mark.parametrize("shape_name", sorted(CASES))
def test_shape_accepts(shape_name):
    _focus, _path, _bad, good = CASES[shape_name]
    results = _results_of(_validate(_snippet(good)), NGOSH[shape_name])
    assert results == [], f"{shape_name} rejected a good snippet:\n{good}\n{results}"


@pytest.mark.parametrize("prop,value,accepted", NAME_SPACING)
def test_names_have_single_spaces_between_words_and_none_around(prop, value, accepted):
    data = _snippet(f"ngo:x {prop} {value} .")
    results = _results_of(_validate(data), NGOSH.NameSpacingShape)
    if accepted:
        assert results == []
        return
    (result,) = results
    assert result["focus"] == _expand("ngo:x", data)
    assert result["path"] == _expand(prop, data)
    assert result["severity"] == SH.Violation
    (literal,) = data.objects(None, _expand(prop, data))
    assert f'"{literal}"' in str(result["message"])  # the message repeats the value


def test_each_file_parses_alone_and_points_at_the_maintainers_guide():
    for path in [
        *_data_files(),
        *sorted((ROOT / "shapes").glob("*.ttl")),
        *sorted((ROOT / "metadata").glob("*.ttl")),
    ]:
        Graph().parse(path, format="turtle")
        head = path.read_text(encoding="utf-8")[:1500]
        assert head.startswith("#"), f"{path} has no header comment"
        assert "docs/maintainers.md" in head, (
            f"{path}: header does not point at docs/maintainers.md"
        )


def test_the_maintainers_membership_template_conforms_once_filled_in():
    """docs/maintainers.md's copy-paste template, filled in, adds a valid membership."""
    import re

    guide = (ROOT / "docs" / "maintainers.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```turtle\n(.*?)```", guide, flags=re.S)
    template = "\n".join(blocks[:2])  # the membership and its shortcuts
    filled = (
        template.replace("COLLAB NAME", "GAATW")
        .replace("MEMBER NAME", "Zora")
        .replace("COLLAB", "gaatw")
        .replace("MEMBER", "zora")
        .replace('"YYYY-MM"', '"2016-05"')
    )
    data = _load(_data_files())
    data.parse(data=PREFIXES + filled, format="turtle")
    conforms, _report, text = pyshacl.validate(
        data, shacl_graph=_shapes(), inference="none", advanced=True, allow_warnings=True
    )
    assert conforms, text


@pytest.mark.parametrize(("shape_name", "shortcuts"), [
    ("MembershipMemberOfShortcut", "ngo:a org:memberOf ngo:c . ngo:c org:hasMember ngo:a ."),
    ("MembershipHasMemberShortcut", "ngo:a org:memberOf ngo:c . ngo:c org:hasMember ngo:a ."),
])
def test_an_implied_membership_takes_the_implied_shortcuts_not_the_stated_ones(
        shape_name, shortcuts):
    implied = MEMBERSHIP_OK + "ngo:m ngold:impliedBySource true .\n"
    results = _results_of(_validate(_snippet(implied + shortcuts)), NGOSH[shape_name])
    assert results, f"{shape_name} let an implied membership use org:memberOf/org:hasMember"
    right = "ngo:a ngold:impliedMemberOf ngo:c . ngo:c ngold:hasImpliedMember ngo:a ."
    assert _results_of(_validate(_snippet(implied + right)), NGOSH[shape_name]) == []
