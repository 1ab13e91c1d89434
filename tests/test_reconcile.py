"""/reconcile against the Reconciliation Service API 0.2: its own JSON schemas and examples
(../shared/reconciliation-api-0.2, validated with jsonschema), and an OpenRefine-style
batch of names from the source page spelled as a spreadsheet would spell them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from conftest import SHARED
from ngo_ld.pages import ui_strings

SPEC = SHARED / "reconciliation-api-0.2"
NGO = "https://w3id.org/ngo-ld/id/"
ORG = "http://www.w3.org/ns/org#"

if not SPEC.is_dir():  # pragma: no cover - the suite runs beside ../shared
    pytest.skip(f"{SPEC} is not there", allow_module_level=True)


def _registry() -> Registry:
    registry: Registry = Registry()
    for path in sorted((SPEC / "schemas").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource(contents=contents, specification=DRAFT7)
        registry = registry.with_resource(contents.get("$id", path.name), resource)
        # Also under its file name (one schema's $id does not say its file's name).
        base = contents["$id"].rsplit("/", 1)[0] if "$id" in contents else ""
        registry = registry.with_resource(f"{base}/{path.name}", resource)
    return registry


REGISTRY = _registry()
SCHEMAS = {path.stem: json.loads(path.read_text(encoding="utf-8"))
           for path in (SPEC / "schemas").glob("*.json")}


def validator(name: str, pointer: str = "") -> Draft7Validator:
    schema: Any = SCHEMAS[name]
    for part in filter(None, pointer.split("/")):
        schema = schema[part]
    if pointer:  # a subschema keeps its document's base for relative references
        schema = {**schema, "$id": SCHEMAS[name]["$id"]}
    return Draft7Validator(schema, registry=REGISTRY)


def assert_valid(name: str, instance: object, pointer: str = "") -> None:
    errors = sorted(validator(name, pointer).iter_errors(instance), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


# --- the specification's own examples against its schemas --------------------------------

#: Example folder → (schema, JSON pointer into it); folders without a schema of their own
#: are checked against the part of a schema that describes them.
EXAMPLE_SCHEMAS = {
    "manifest": ("manifest", ""),
    "reconciliation-query-batch": ("reconciliation-query-batch", ""),
    "reconciliation-result-batch": ("reconciliation-result-batch", ""),
    "reconciliation-candidate": ("reconciliation-result-batch",
                                 "patternProperties/^.*$/properties/result/items"),
    "suggest-entities-response": ("suggest-entities-response", ""),
    "suggest-types-response": ("suggest-types-response", ""),
    "suggest-properties-response": ("suggest-properties-response", ""),
    "suggest-metadata": ("manifest", "properties/suggest/definitions/service_definition"),
    "preview-metadata": ("manifest", "properties/preview"),
    "data-extension-query": ("data-extension-query", ""),
    "data-extension-response": ("data-extension-response", ""),
    "data-extension-property-proposal": ("data-extension-property-proposal", ""),
}
#: Examples whose schema refers to the Swagger 2.0 schema, which is not in ../shared.
NEEDS_SWAGGER = {"authentication.json", "bad-authentication.json"}
EXAMPLES = sorted(p for p in (SPEC / "examples").glob("*/*/*.json")
                  if p.parent.parent.name in EXAMPLE_SCHEMAS and p.name not in NEEDS_SWAGGER)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: "/".join(p.parts[-3:]))
def test_spec_examples_against_spec_schemas(path: Path) -> None:
    name, pointer = EXAMPLE_SCHEMAS[path.parent.parent.name]
    instance = json.loads(path.read_text(encoding="utf-8"))
    errors = list(validator(name, pointer).iter_errors(instance))
    assert (not errors) == (path.parent.name == "valid"), errors


def test_examples_are_there() -> None:
    assert len(EXAMPLES) >= 40


# --- our answers against the schemas --------------------------------------------------------


def reconcile(client: FlaskClient, queries: dict[str, Any], *, post: bool = True
              ) -> dict[str, Any]:
    text = json.dumps(queries, ensure_ascii=False)
    if post:
        response = client.post("/reconcile", data={"queries": text})
    else:
        response = client.get(f"/reconcile?queries={quote(text)}")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert_valid("reconciliation-result-batch", body)
    assert set(body) == set(queries)
    return body  # type: ignore[no-any-return]


def test_manifest(client: FlaskClient) -> None:
    response = client.get("/reconcile")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    manifest = response.get_json()
    assert_valid("manifest", manifest)
    assert manifest["versions"] == ["0.2"]
    # Named as the pages name the site, not as the package is named.
    assert manifest["name"].startswith(ui_strings("en")["site"] + ":")
    assert "ngo_ld" not in manifest["name"]
    assert manifest["identifierSpace"] == NGO
    assert manifest["schemaSpace"] == ORG
    assert manifest["defaultTypes"] == [{"id": f"{ORG}Organization", "name": "Organisation"}]
    # The view and preview URLs are on this server: an ID in them is a working link.
    assert manifest["view"]["url"] == "http://localhost/id/{{id}}"
    view = manifest["view"]["url"].replace("{{id}}", "astra").removeprefix("http://localhost")
    assert client.get(view).status_code == 303
    preview = manifest["preview"]["url"].replace("{{id}}", "astra")
    assert client.get(preview.removeprefix("http://localhost")).status_code == 200
    for service in ("entity", "type", "property"):
        settings = manifest["suggest"][service]
        assert_valid("manifest", settings, "properties/suggest/definitions/service_definition")
        path = settings["service_path"]
        assert client.get(f"{path}?prefix=a").status_code == 200


def test_spec_query_examples_get_valid_answers(client: FlaskClient) -> None:
    """The specification's valid query batches are answered (its types and properties are
    not ours: no candidates for them), and its invalid ones refused with 400."""
    for path in sorted((SPEC / "examples/reconciliation-query-batch").glob("*/*.json")):
        text = path.read_text(encoding="utf-8")
        response = client.post("/reconcile", data={"queries": text})
        if path.parent.name == "valid":
            assert response.status_code == 200, (path, response.get_data(as_text=True))
            assert_valid("reconciliation-result-batch", response.get_json())
        else:
            assert response.status_code == 400, path
            assert response.get_json()["error"]["message"]


#: Names from the source page, spelled as a spreadsheet column would spell them: other
#: case, no diacritics (đ as dj), extra spaces, acronyms, other punctuation.
SPREADSHEET = {
    "balkans act now": "balkans-act-now",
    "MFS EMMAUS": "mfs-emmaus",
    "Partnerstvo za drustveni razvoj": "partnerstvo-za-drustveni-razvoj",
    "Otvorena porta - La Strada Makedonija": "otvorena-porta-la-strada-makedonija",
    "  Netherlands Helsinki Committee ": "netherlands-helsinki-committee",
    "ALC": "alc",
    "CCEM": "ccem",
    "Udruzenje tuzilaca Federacije Bosne i Hercegovine": "udruzenje-tuzilaca-fbih",
    "crpc": "crpc",
    "UDRUGA ZENA VUKOVAR": "udruga-zena-vukovar",
    "Zenska soba": "zenska-soba",
    "AHRPR": "ahrpr",
    "Odbor za ljudska  prava Vranje": "odbor-za-ljudska-prava-vranje",
    "svet reci": "svet-reci",
    "Svi za pravicno sudjenje": "svi-za-pravicno-sudjenje",
    "La Strada International": "la-strada-international",
    "Anti Slavery International (UK)": "anti-slavery-international",
    "Pag Asa": "pag-asa",
    "global giving": "globalgiving",
    "Comp.Act": "comp-act",
}


@pytest.mark.parametrize("post", [True, False], ids=["POST", "GET"])
def test_openrefine_batch_of_twenty(client: FlaskClient, post: bool) -> None:
    assert len(SPREADSHEET) == 20
    names = list(SPREADSHEET)
    body = reconcile(client, {f"q{i}": {"query": name, "type": f"{ORG}Organization",
                                        "type_strict": "should"}
                              for i, name in enumerate(names)}, post=post)
    space = client.get("/reconcile").get_json()["identifierSpace"]
    wrong = {}
    for i, name in enumerate(names):
        result = body[f"q{i}"]["result"]
        # An ID under the identifierSpace spells the thing's IRI.
        matches = [space + c["id"] for c in result if c["match"]]
        expected = NGO + SPREADSHEET[name]
        if matches != [expected] or space + result[0]["id"] != expected:
            wrong[name] = [(c["id"], c["score"], c["match"]) for c in result]
    assert not wrong


#: More spreadsheet spellings: abbreviations ("Int.", "Intl", "Org."), the other language's
#: name, no diacritics. Those marked True are clear enough to be matches
#: (:data:`~ngo_ld.web.reconcile.MATCH_SCORE`); the others must be the first candidate,
#: left for the wrangler to confirm.
ABBREVIATED = {
    "La Strada Int.": ("la-strada-international", True),
    "Ministarstvo pravde Francuske": ("ministarstvo-pravde-francuske", True),
    "Anti-Slavery Intl": ("anti-slavery-international", True),
    "Anti-Slavery Int'l": ("anti-slavery-international", True),
    "Intl Labour Organisation": ("ilo", True),
    "Netherlands Helsinki Comm.": ("netherlands-helsinki-committee", True),
    "Partnership for Social Dev.": ("partnerstvo-za-drustveni-razvoj", True),
    "Medjunarodna organizacija rada": ("ilo", True),
    "Savet Evrope": ("council-of-europe", True),
    "Evropska Unija": ("european-union", True),
    "Comite contre l'esclavage moderne": ("ccem", True),
    "Open Gate La Strada Macedonia": ("otvorena-porta-la-strada-makedonija", True),
    "Asocijacija za zastitu ljudskih prava Roma i Albanaca": ("ahrpr", True),
    "Zenska soba - Centar za seksualna prava": ("zenska-soba", True),
    "Judicial Academy": ("pravosudna-akademija", False),
    "Global Alliance against Trafficking in Women": ("gaatw", False),
    "Council of Europe (CoE)": ("council-of-europe", False),
    "World Org. Against Torture": ("omct", False),
    "Int. Labour Org.": ("ilo", False),
    "Ministry of Justice France": ("ministarstvo-pravde-francuske", False),
    "Womens Room Zagreb": ("zenska-soba", False),
    "Udruzenje tuzilaca FBiH": ("udruzenje-tuzilaca-fbih", False),
}
#: Names that fit two of the dataset's entities about equally, or none of them: never a match.
AMBIGUOUS_OR_ABSENT = [
    "La Strada", "La Strada Ukraine", "Ministarstvo", "Ministry of Security",
    "Ministry of Interior", "Women's Association", "Global Network", "Human Rights Watch",
    "Amnesty International", "International Organization for Migration",
    "European Commission", "United Nations Development Programme",
    "Helsinki Committee for Human Rights in Serbia", "Red Cross Serbia", "Caritas",
    "Ministere de la Justice", "Terre des hommes", "Atina",
]


def test_clear_single_candidates_match_and_ambiguous_names_do_not(
        client: FlaskClient) -> None:
    """The match rule on a labelled batch: every clear spelling is matched to the right
    entity, the rest keep it as first candidate unmatched, and no ambiguous or absent name
    is matched to anything."""
    names = [*ABBREVIATED, *AMBIGUOUS_OR_ABSENT]
    assert len(names) <= 50
    body = reconcile(client, {f"q{i}": {"query": name, "type": f"{ORG}Organization"}
                              for i, name in enumerate(names)})
    wrong = {}
    for i, name in enumerate(names):
        result = body[f"q{i}"]["result"]
        matched = [c["id"] for c in result if c["match"]]
        if name in ABBREVIATED:
            slug, clear = ABBREVIATED[name]
            ok = result[0]["id"] == slug and matched == ([slug] if clear else [])
        else:
            ok = matched == []
        if not ok:
            wrong[name] = [(c["id"], c["score"], c["match"]) for c in result]
    assert not wrong


def test_match_rule_reads_true_on_the_scores(client: FlaskClient) -> None:
    """A match is the first candidate, scores at least MATCH_SCORE and MATCH_MARGIN more
    than the next one, or is the only candidate whose name is the query's words."""
    from ngo_ld.web.reconcile import MATCH_MARGIN, MATCH_SCORE

    names = [*SPREADSHEET, *ABBREVIATED, *AMBIGUOUS_OR_ABSENT][:50]
    body = reconcile(client, {f"q{i}": {"query": name, "limit": 3}
                              for i, name in enumerate(names)})
    for answer in body.values():
        result = answer["result"]
        for position, candidate in enumerate(result):
            if not candidate["match"]:
                continue
            assert position == 0
            following = result[1]["score"] if len(result) > 1 else 0.0
            assert candidate["features"][0]["value"] == 100.0 or (
                candidate["score"] >= MATCH_SCORE * 100
                and candidate["score"] - following >= MATCH_MARGIN * 100 - 0.05)


def test_candidates_are_scored_and_typed(client: FlaskClient) -> None:
    body = reconcile(client, {"q0": {"query": "la strada", "limit": 3}})
    result = body["q0"]["result"]
    assert 1 < len(result) <= 3
    assert [c["score"] for c in result] == sorted((c["score"] for c in result), reverse=True)
    assert result[0]["id"] == "la-strada-international"
    assert not any(c["match"] for c in result)  # "la strada" is not a whole name
    assert {"id": f"{ORG}FormalOrganization", "name": "Formal organisation"} in result[0]["type"]
    assert result[0]["description"].startswith("organisation")


def test_type_filter(client: FlaskClient) -> None:
    body = reconcile(client, {
        "all": {"query": "missing children"},
        "collab": {"query": "missing children", "type": "collaboration"},
        "concept": {"query": "missing children", "type": ["skos:Concept"]},
        "unknown": {"query": "missing children", "type": "Person"},
    })
    assert {c["id"] for c in body["all"]["result"]} >= {"missing-children-europe",
                                                       "field-missing-children"}
    collab = body["collab"]["result"]
    assert collab and all(f"{ORG}OrganizationalCollaboration" in {t["id"] for t in c["type"]}
                          for c in collab)
    assert body["concept"]["result"][0]["id"] == "field-missing-children"
    assert body["unknown"]["result"] == []


def test_country_property(client: FlaskClient) -> None:
    body = reconcile(client, {
        "right": {"query": "Zora", "properties": [{"pid": "country", "v": "Hrvatska"}]},
        "wrong": {"query": "Zora", "properties": [{"pid": "country", "v": "FRA"}]},
    })
    assert body["right"]["result"][0]["match"] is True
    assert body["wrong"]["result"][0]["id"] == "zora"
    assert body["wrong"]["result"][0]["match"] is False
    assert body["wrong"]["result"][0]["score"] < body["right"]["result"][0]["score"]


@pytest.mark.parametrize(("data", "message"), [
    ({"queries": "{not json"}, "not valid JSON"),
    ({"queries": "[1, 2]"}, "must be a JSON object"),
    ({"queries": json.dumps({"q0": "ASTRA"})}, 'queries["q0"] must be an object'),
    ({"queries": json.dumps({"q0": {"query": 5}})}, "query must be a string"),
    ({"queries": json.dumps({"q0": {"query": "a" * 201}})}, "at most 200"),
    ({"queries": json.dumps({"q0": {"query": "a", "limit": "x"}})}, "whole number"),
    ({"queries": json.dumps({"q0": {"query": "a", "typo": 1}})}, "unknown field 'typo'"),
    ({"queries": json.dumps({f"q{i}": {"query": "a"} for i in range(51)})}, "at most 50"),
    ({"queries": json.dumps({"q0": {"query": "a"}}), "callback": "alert(1)//"},
     "JavaScript name"),
])
def test_bad_input_is_a_clear_400(client: FlaskClient, data: dict[str, str],
                                  message: str) -> None:
    for response in (client.post("/reconcile", data=data, headers={"Accept": "text/html"}),
                     client.get("/reconcile", query_string=data)):
        assert response.status_code == 400
        assert response.mimetype == "application/json"  # whatever Accept says
        assert message in response.get_json()["error"]["message"]
        assert "Traceback" not in response.get_data(as_text=True)


def test_bytes_that_are_not_utf8_are_refused_and_junk_matches_nothing(
        client: FlaskClient) -> None:
    junk = quote(json.dumps({"q0": {"query": "x"}})).replace("x", "%FF%FE")
    for response in (client.get(f"/reconcile?queries={junk}"),
                     client.post("/reconcile", data=f"queries={junk}",
                                 content_type="application/x-www-form-urlencoded"),
                     client.get("/reconcile/suggest/entity?prefix=%FF%FE")):
        assert response.status_code == 400
        assert "not UTF-8" in response.get_json()["error"]["message"]
    body = reconcile(client, {"q0": {"query": "\ufffd\ufffd"}, "q1": {"query": "%FF%FE ?!"},
                              "q2": {"query": "—"}})
    assert body["q0"]["result"] == [] and body["q2"]["result"] == []
    assert not any(c["match"] for c in body["q1"]["result"])


def test_oversized_body_is_refused(client: FlaskClient) -> None:
    big = json.dumps({"q0": {"query": "a" * 100_000}})
    response = client.post("/reconcile", data={"queries": big})
    assert response.status_code == 413
    assert response.mimetype == "application/json"
    assert "fewer queries in one batch" in response.get_json()["error"]["message"]


def test_jsonp(client: FlaskClient) -> None:
    response = client.get("/reconcile?callback=jsonp123")
    assert response.mimetype == "application/javascript"
    text = response.get_data(as_text=True)
    assert text.startswith("/**/jsonp123(") and text.endswith(");")
    assert_valid("manifest", json.loads(text[len("/**/jsonp123("):-2]))


def test_cors_preflight(client: FlaskClient) -> None:
    response = client.options("/reconcile", headers={
        "Origin": "http://127.0.0.1:3333", "Access-Control-Request-Method": "POST"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_suggest_entity(client: FlaskClient) -> None:
    response = client.get("/reconcile/suggest/entity?prefix=la%20str")
    body = response.get_json()
    assert_valid("suggest-entities-response", body)
    assert body["result"][0]["id"] == "la-strada-international"
    more = client.get("/reconcile/suggest/entity?prefix=la%20str&cursor=1").get_json()
    assert more["result"][0] == body["result"][1]
    typed = client.get("/reconcile/suggest/entity?prefix=mis&type=concept").get_json()
    assert typed["result"] and all(t["id"].endswith("#Concept")
                                   for r in typed["result"] for t in r["notable"])
    assert client.get("/reconcile/suggest/entity?prefix=a&cursor=-1").status_code == 400


def test_suggest_type(client: FlaskClient) -> None:
    body = client.get("/reconcile/suggest/type?prefix=coll").get_json()
    assert_valid("suggest-types-response", body)
    assert body["result"] == [{"id": f"{ORG}OrganizationalCollaboration",
                               "name": "Collaboration"}]


def test_suggest_property(client: FlaskClient) -> None:
    body = client.get("/reconcile/suggest/property?prefix=coun").get_json()
    assert_valid("suggest-properties-response", body)
    assert [p["id"] for p in body["result"]] == ["country"]
    assert client.get("/reconcile/suggest/property?prefix=zzz").get_json() == {"result": []}


def test_preview(client: FlaskClient) -> None:
    response = client.get("/reconcile/preview?id=zenska-soba")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Women&#39;s Room" in page  # escaped
    assert "Croatia" in page and "Balkans Act Now" in page
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    by_iri = client.get(f"/reconcile/preview?id={quote(NGO + 'zenska-soba')}")
    assert by_iri.get_data(as_text=True) == page
    missing = client.get("/reconcile/preview?id=%3Cb%3Enothing")
    assert missing.status_code == 404 and missing.mimetype == "application/json"
    assert "<b>nothing" in missing.get_json()["error"]["message"]


@pytest.mark.server
def test_openrefine_against_a_real_server(ld_server: Any) -> None:
    """What OpenRefine 3 does, against ``ngo-ld serve``: read the manifest, then POST the
    column's names in batches (with the Accept header Java's HTTP client sends)."""
    java_accept = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"
    manifest = ld_server.get("/reconcile", headers={"Accept": java_accept})
    assert manifest.status_code == 200
    assert manifest.headers["Access-Control-Allow-Origin"] == "*"
    assert_valid("manifest", manifest.json())
    names = list(SPREADSHEET)
    for start in range(0, len(names), 10):  # OpenRefine's default batch size
        batch = {f"q{i}": {"query": names[i], "type": f"{ORG}Organization",
                           "type_strict": "should"}
                 for i in range(start, min(start + 10, len(names)))}
        response = ld_server.post("/reconcile", data={"queries": json.dumps(batch)},
                                  headers={"Accept": java_accept})
        assert response.status_code == 200, response.text
        body = response.json()
        assert_valid("reconciliation-result-batch", body)
        for key, query in batch.items():
            matched = [c["id"] for c in body[key]["result"] if c["match"]]
            assert matched == [SPREADSHEET[query["query"]]], (query, body[key])
    bad = ld_server.post("/reconcile", data={"queries": "{"}, headers={"Accept": java_accept})
    assert bad.status_code == 400 and bad.headers["Content-Type"].startswith("application/json")
    found = ld_server.get("/search?q=%D0%96%D0%B5%D0%BD%D1%81%D0%BA%D0%B0+%D1%81%D0%BE%D0%B1%D0%B0",
                          headers={"Accept": "application/json"})
    assert found.json()["results"][0]["slug"] == "zenska-soba"
