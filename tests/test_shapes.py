"""SHACL shapes (shapes/*.ttl) against the real data and against minimal Turtle snippets.

The real data (every .ttl under data/ and ontology/, parsed into ONE graph) must conform.
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
from rdflib.namespace import RDF, SH

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
        "skos:note",
        'ngo:m a org:Membership ; ngold:impliedBySource true ; skos:note "Implied."@en .',
        "ngo:m a org:Membership ; ngold:impliedBySource true ;"
        ' skos:note "Implied."@en , "Podrazumeva se."@sr-Latn .',
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
        "ngo:a org:memberOf ngo:c .",
        MEMBERSHIP_OK + "ngo:a org:memberOf ngo:c .",
    ),
    "HasMemberHasMembership": (
        "ngo:c",
        "org:hasMember",
        "ngo:c org:hasMember ngo:a .",
        MEMBERSHIP_OK + "ngo:c org:hasMember ngo:a .",
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
        "ngold:country",
        "ngo:o ngold:country <http://publications.europa.eu/resource/authority/country/srb> .",
        "ngo:o ngold:country euc:SRB .",
    ),
    "OperatesInCountryValue": (
        "ngo:o",
        "ngold:operatesInCountry",
        'ngo:o ngold:operatesInCountry "SRB" .',
        "ngo:o ngold:operatesInCountry euc:SRB , euc:MKD .",
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
        'ngo:o ngold:memberCount -30 .',
        "ngo:o ngold:memberCount 30 .",
    ),
    "MemberCountMoreThan": (
        "ngo:o",
        "ngold:memberCountMoreThan",
        'ngo:o ngold:memberCountMoreThan "100" .',
        'ngo:o ngold:memberCountMoreThan 100 .',
    ),
    "MemberCountryCount": (
        "ngo:o",
        "ngold:memberCountryCount",
        'ngo:o ngold:memberCountryCount "25"^^xsd:decimal .',
        "ngo:o ngold:memberCountryCount 25 .",
    ),
    "PartnerCount": (
        "ngo:o",
        "ngold:partnerCount",
        'ngo:o ngold:partnerCount 7 , 8 .',
        'ngo:o ngold:partnerCount 7 .',
    ),
    "AssociateCount": (
        "ngo:o",
        "ngold:associateCount",
        'ngo:o ngold:associateCount "thirteen" .',
        'ngo:o ngold:associateCount 13 .',
    ),
    "FoundingYear": (
        "ngo:o",
        "ngold:foundingYear",
        'ngo:o ngold:foundingYear "1986"^^xsd:integer .',
        'ngo:o ngold:foundingYear "1986"^^xsd:gYear .',
    ),
    "CorrespondentCountDescription": (
        "ngo:o",
        "ngold:correspondentCountDescription",
        'ngo:o ngold:correspondentCountDescription "many" .',
        'ngo:o ngold:correspondentCountDescription "many"@en , "mnogo"@sr-Latn .',
    ),
    "MemberCountDescription": (
        "ngo:o",
        "ngold:memberCountDescription",
        'ngo:o ngold:memberCountDescription "many" .',
        'ngo:o ngold:memberCountDescription "many"@en .',
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
    "SupportedBy": (
        "ngo:o",
        "ngold:supportedBy",
        "ngo:o ngold:supportedBy ngo:x .",
        "ngo:o ngold:supportedBy ngo:a . " + ORG_A,
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
    "EstablishedWithin": (
        "ngo:o",
        "ngold:establishedWithin",
        "ngo:o ngold:establishedWithin ngo:x .",
        "ngo:o ngold:establishedWithin ngo:a . " + ORG_A,
    ),
    "HotlineNumber": (
        "ngo:h",
        "ngold:telephoneNumber",
        "ngo:h a ngold:Hotline .",
        'ngo:h a ngold:Hotline ; ngold:telephoneNumber "116 000" .',
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
        "ngold:operationPeriod",
        "ngo:op a ngold:HotlineOperation ; ngold:operationPeriod ngo:x .",
        "ngo:op a ngold:HotlineOperation ; ngold:operationPeriod ngo:i . ngo:i a time:Interval .",
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
    ("RegionValue", "ngold:region", "ngo:collaboration-kinds", "ngo:regions"),
    ("FieldOfWorkValue", "ngold:fieldOfWork", "ngo:regions", "ngo:fields-of-work"),
    ("MemberTypeValue", "ngold:memberType", "ngo:regions", "ngo:member-types"),
    ("SectorValue", "ngold:sector", "ngo:regions", "ngo:sectors"),
    ("ActivityStatusValue", "ngold:activityStatus", "ngo:regions", "ngo:activity-statuses"),
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
    "ngo:o", "ngold:foundingYear",
    'ngo:o ngold:foundingYear "14"^^xsd:gYear .',
    'ngo:o ngold:foundingYear "2014"^^xsd:gYear .',
)
CASES["DateLexicalShape"] = (
    "ngo:i", "time:inXSDDate",
    'ngo:i time:inXSDDate "2015-02-29"^^xsd:date .',
    'ngo:i time:inXSDDate "2016-02-29"^^xsd:date .',
)

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
    data = _load(_data_files())
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
