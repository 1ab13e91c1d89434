"""Every thing IRI dereferences: 303 to its document, which negotiates five formats.

Each document is parsed back with rdflib and compared, as a graph, with what the source
files say about the thing — computed here independently of ngo_ld.describe, from an
rdflib parse of data/ and ontology/ (the rule of issue 4, "What a document holds").
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import rdflib
from flask.testing import FlaskClient
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import FOAF, ORG, RDF, RDFS, SKOS, TIME, VOID

from ngo_ld.config import Settings
from ngo_ld.formats import DOCUMENT_FORMATS, GRAPH_FORMATS, HTML
from ngo_ld.loading import source_files
from ngo_ld.namespaces import SCHEMA

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/ngo-ld/"
PARSERS = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}
NESTED = {ORG.memberDuring, TIME.hasBeginning, TIME.hasEnd, TIME.inside}
SLUGS = ["astra", "balkans-act-now", "gaatw", "role-partner", "kind-network", "source-page"]


def normalized(graph: rdflib.Graph) -> rdflib.Graph:
    """Language tags lower-cased (BCP 47 tags are case-insensitive; pyoxigraph lowers)."""
    out = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


@pytest.fixture(scope="module")
def source_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in source_files(Settings(home=ROOT)):
        graph.parse(path, format="turtle" if path.suffix == ".ttl" else None)
    return normalized(graph)


def expected_document(g: rdflib.Graph, slug: str) -> rdflib.Graph:
    """What the document about {BASE}id/{slug} must hold, straight from the rule."""
    x = URIRef(f"{BASE}id/{slug}")
    out = rdflib.Graph()
    for t in g.triples((x, None, None)):
        out.add(t)
    for t in g.triples((None, None, x)):
        out.add(t)
    memberships = {m for m in g.subjects(ORG.member, x) if isinstance(m, URIRef)}
    memberships |= {m for m in g.subjects(ORG.organization, x) if isinstance(m, URIRef)}
    for m in memberships:
        for t in g.triples((m, None, None)):
            out.add(t)
    frontier = {x, *memberships}
    for _ in range(2):
        nxt = set()
        for head in frontier:
            for p, o in g.predicate_objects(head):
                if isinstance(o, BNode) or p in NESTED:
                    nxt.add(o)
                    for t in g.triples((o, None, None)):
                        out.add(t)
        frontier = nxt
    mentioned = {n for t in out for n in t if isinstance(n, URIRef)} | {x}
    for r in mentioned:
        for p in (SKOS.prefLabel, RDFS.label, SCHEMA.addressCountry, SCHEMA.text):
            for o in g.objects(r, p):
                out.add((r, p, o))
    doc = URIRef(f"{BASE}doc/{slug}")
    out.add((doc, RDF.type, FOAF.Document))
    out.add((doc, FOAF.primaryTopic, x))
    out.add((doc, VOID.inDataset, URIRef(f"{BASE}id/dataset")))
    return out


def diff(a: rdflib.Graph, b: rdflib.Graph) -> str:
    ia, ib = to_isomorphic(a), to_isomorphic(b)
    only_a = sorted(str(t) for t in ia - ib)[:5]
    only_b = sorted(str(t) for t in ib - ia)[:5]
    return f"only served: {only_a}\nonly expected: {only_b}"


def links(header: str) -> dict[str, str]:
    """``Link`` alternates: media type → URL."""
    out = {}
    for part in header.split(", <"):
        url = part.strip().lstrip("<").split(">", 1)[0]
        if 'rel="alternate"' in part and 'type="' in part:
            out[part.split('type="', 1)[1].split('"', 1)[0]] = url
    return out


# --------------------------------------------------------------------------------------
# /id/ → 303
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("accept", ["text/html", "text/turtle", "*/*"])
def test_a_thing_iri_answers_303_see_other_to_its_generic_document(
        client: FlaskClient, method: str, accept: str) -> None:
    response = client.open("/id/astra", method=method, headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["Location"] == "/doc/astra"
    assert "Accept" in response.headers["Vary"]
    assert 'rel="describedby"' in response.headers["Link"]


def test_the_303_keeps_an_explicit_language(client: FlaskClient) -> None:
    response = client.get("/id/astra?lang=sr-Cyrl")
    assert response.headers["Location"] == "/doc/astra?lang=sr-Cyrl"


def test_the_dataset_iri_is_described_by_the_void(client: FlaskClient) -> None:
    response = client.get("/id/dataset")
    assert response.status_code == 303
    assert response.headers["Location"] == "/.well-known/void"


@pytest.mark.parametrize("fmt", DOCUMENT_FORMATS, ids=lambda f: f.token)
def test_an_unknown_iri_is_404_in_the_negotiated_format(client: FlaskClient, fmt) -> None:
    for path in ("/id/no-such-thing", "/doc/no-such-thing", f"/doc/no-such-thing.{fmt.extension}"):
        response = client.get(path, headers={"Accept": fmt.media_type})
        assert response.status_code == 404, path
        assert response.mimetype == fmt.media_type, path
        if fmt.kind == "graph":
            graph = rdflib.Graph().parse(data=response.data, format=PARSERS[fmt.token])
            assert len(graph) == 0
    assert client.get("/id/Not_A_Slug").status_code == 404


def test_unknown_extension_is_404(client: FlaskClient) -> None:
    assert client.get("/doc/astra.csv").status_code == 404


@pytest.mark.parametrize(("accept", "mimetype"), [
    (None, "application/json"), ("*/*", "application/json"), ("text/html", "text/html"),
    ("application/xhtml+xml", "text/html")])
def test_unknown_extension_404_is_negotiated_like_an_unknown_thing(
        client: FlaskClient, accept: str | None, mimetype: str) -> None:
    headers = {"Accept": accept} if accept else {}
    unknown_ext = client.get("/doc/astra.xyz", headers=headers)
    unknown_thing = client.get("/doc/nope", headers=headers)
    assert unknown_ext.status_code == unknown_thing.status_code == 404
    assert unknown_ext.mimetype == unknown_thing.mimetype == mimetype
    if mimetype == "text/html":
        assert "<h1>404 " in unknown_ext.get_data(as_text=True)
    else:
        assert unknown_ext.get_json()["error"]["status"] == 404
    turtle = client.get("/doc/astra.xyz", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 404 and turtle.mimetype == "text/turtle"
    # the thing exists: its real documents are named
    assert "</doc/astra.ttl>" in unknown_ext.headers["Link"]


NOT_FOUND_PATHS = ["/nope", "/id/ASTRA", "/id/nope", "/doc/nonexist", "/doc/astra.xyz",
                   "/graph/nope", "/ontology/v9", "/dumps/ngo-ld.csv"]


@pytest.mark.parametrize(("accept", "mimetype"), [
    (None, "application/json"), ("*/*", "application/json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html")])
def test_a_404_is_told_alike_on_every_route(client: FlaskClient, accept: str | None,
                                            mimetype: str) -> None:
    """One rule (web/errors.py): a client that names no format (``*/*``) gets its errors
    as JSON, a browser as the site's page, whichever route it asked."""
    headers = {"Accept": accept} if accept else {}
    for path in NOT_FOUND_PATHS:
        response = client.get(path, headers=headers)
        assert (response.status_code, response.mimetype) == (404, mimetype), path
        if mimetype == "application/json":
            assert response.get_json()["error"]["status"] == 404, path


def test_a_404_is_in_the_format_the_url_names(client: FlaskClient) -> None:
    for path, mimetype in [("/doc/nope.html", "text/html"), ("/doc/nope.ttl", "text/turtle"),
                           ("/doc/nope?format=nt", "application/n-triples"),
                           ("/graph/nope.jsonld", "application/ld+json")]:
        response = client.get(path, headers={"Accept": "*/*"})
        assert (response.status_code, response.mimetype) == (404, mimetype), path


@pytest.mark.parametrize("path", ["/doc/nope", "/doc/nope.ttl", "/doc/nope.xyz",
                                  "/id/nope"])
def test_a_404_names_no_alternates_for_an_unknown_thing(client: FlaskClient,
                                                        path: str) -> None:
    for accept in ("text/html", "text/turtle", "image/png"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 404, (path, accept)
        assert "/doc/nope" not in response.headers.get("Link", ""), (path, accept)


def test_nothing_acceptable_is_406_listing_what_is_offered(client: FlaskClient) -> None:
    response = client.get("/doc/astra", headers={"Accept": "image/png"})
    assert response.status_code == 406
    body = response.get_data(as_text=True)
    for fmt in DOCUMENT_FORMATS:
        assert fmt.media_type in body
        assert fmt.media_type in response.headers["Link"]
        # each type at its own URL, as a 200 lists them (not the generic URL again)
        assert (f'</doc/astra.{fmt.extension}>; rel="alternate"; type="{fmt.media_type}"'
                in response.headers["Link"])
    assert "</doc/astra>" not in response.headers["Link"]
    assert "Accept" in response.headers["Vary"]


# --------------------------------------------------------------------------------------
# /doc/ in every format, compared as graphs
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.token)
def test_every_format_of_a_document_holds_the_expected_graph(
        client: FlaskClient, source_graph: rdflib.Graph, slug: str, fmt) -> None:
    expected = expected_document(source_graph, slug)
    for response in (client.get(f"/doc/{slug}", headers={"Accept": fmt.media_type}),
                     client.get(f"/doc/{slug}.{fmt.extension}")):
        assert response.status_code == 200
        assert response.mimetype == fmt.media_type
        served = normalized(rdflib.Graph().parse(data=response.data,
                                                 format=PARSERS[fmt.token]))
        assert isomorphic(served, expected), diff(served, expected)


@pytest.mark.parametrize("fmt", DOCUMENT_FORMATS, ids=lambda f: f.token)
def test_document_headers_vary_link_and_content_location(client: FlaskClient, fmt) -> None:
    generic = client.get("/doc/astra", headers={"Accept": fmt.media_type})
    assert generic.status_code == 200
    assert generic.headers["Content-Type"] == fmt.content_type
    assert "Accept" in generic.headers["Vary"]
    assert generic.headers["Content-Location"] == f"/doc/astra.{fmt.extension}"
    alternates = links(generic.headers["Link"])
    for other in DOCUMENT_FORMATS:
        if other is not fmt:
            assert alternates[other.media_type] == f"/doc/astra.{other.extension}"
    specific = client.get(f"/doc/astra.{fmt.extension}", headers={"Accept": "image/png"})
    assert specific.status_code == 200  # the extension wins over Accept
    assert specific.data == generic.data
    assert generic.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("fmt", DOCUMENT_FORMATS, ids=lambda f: f.token)
def test_head_answers_like_get_without_a_body(client: FlaskClient, fmt) -> None:
    get = client.get(f"/doc/astra.{fmt.extension}")
    head = client.head(f"/doc/astra.{fmt.extension}")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Type"] == get.headers["Content-Type"]


def test_jsonld_has_a_compact_readable_context_and_round_trips(
        client: FlaskClient, source_graph: rdflib.Graph) -> None:
    response = client.get("/doc/astra.jsonld")
    body = json.loads(response.data)
    assert body["@context"]["skos"] == str(SKOS)
    text = response.get_data(as_text=True)
    assert "skos:prefLabel" in text and "org:memberOf" in text
    served = normalized(rdflib.Graph().parse(data=response.data, format="json-ld"))
    turtle = normalized(rdflib.Graph().parse(data=client.get("/doc/astra.ttl").data,
                                             format="turtle"))
    assert isomorphic(served, turtle)


def test_a_document_links_to_its_dataset(client: FlaskClient) -> None:
    graph = rdflib.Graph().parse(data=client.get("/doc/gaatw.ttl").data, format="turtle")
    doc = URIRef(f"{BASE}doc/gaatw")
    assert (doc, VOID.inDataset, URIRef(f"{BASE}id/dataset")) in graph
    assert (doc, FOAF.primaryTopic, URIRef(f"{BASE}id/gaatw")) in graph


def test_a_collaboration_document_is_enough_to_draw_its_page(client: FlaskClient) -> None:
    """Members, their roles, their countries and names all come in the one fetch."""
    graph = rdflib.Graph().parse(data=client.get("/doc/balkans-act-now.ttl").data,
                                 format="turtle")
    ban = URIRef(f"{BASE}id/balkans-act-now")
    members = {graph.value(m, ORG.member) for m in graph.subjects(ORG.organization, ban)}
    assert len(members) >= 20
    for member in members:
        assert graph.value(member, SKOS.prefLabel) is not None, member
    assert any(graph.value(m, SCHEMA.addressCountry) for m in members)


# --------------------------------------------------------------------------------------
# Caching: strong ETags, 304, gzip
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", DOCUMENT_FORMATS, ids=lambda f: f.token)
def test_documents_carry_a_strong_etag_and_answer_conditional_gets_with_304(
        client: FlaskClient, fmt) -> None:
    first = client.get(f"/doc/balkans-act-now.{fmt.extension}")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Last-Modified"]
    again = client.get(f"/doc/balkans-act-now.{fmt.extension}",
                       headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    since = client.get(f"/doc/balkans-act-now.{fmt.extension}",
                       headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_representations_have_different_etags(client: FlaskClient) -> None:
    tags = {client.get(f"/doc/astra.{f.extension}").headers["ETag"] for f in DOCUMENT_FORMATS}
    tags.add(client.get("/doc/astra.html?lang=sr-Cyrl").headers["ETag"])
    tags.add(client.get("/doc/gaatw.ttl").headers["ETag"])
    assert len(tags) == len(DOCUMENT_FORMATS) + 2


def test_documents_are_gzipped_on_request(client: FlaskClient) -> None:
    plain = client.get("/doc/balkans-act-now.ttl")
    zipped = client.get("/doc/balkans-act-now.ttl", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    assert "Content-Encoding" not in plain.headers


# --------------------------------------------------------------------------------------
# The ontology: hash namespace, 303 to the representation
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", DOCUMENT_FORMATS, ids=lambda f: f.token)
def test_the_ontology_iri_sees_other_to_its_representation(client: FlaskClient, fmt) -> None:
    response = client.get("/ontology", headers={"Accept": fmt.media_type})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/ontology.{fmt.extension}"
    assert "Accept" in response.headers["Vary"]
    served = client.get(response.headers["Location"])
    assert served.status_code == 200
    assert served.mimetype == fmt.media_type


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.token)
def test_the_ontology_document_defines_every_term(client: FlaskClient,
                                                  source_graph: rdflib.Graph, fmt) -> None:
    served = normalized(rdflib.Graph().parse(data=client.get(f"/ontology.{fmt.extension}").data,
                                             format=PARSERS[fmt.token]))
    terms = {s for s in source_graph.subjects() if str(s).startswith(f"{BASE}ontology#")}
    assert terms
    for term in terms:
        assert set(source_graph.triples((term, None, None))) <= set(served), term


def test_ontology_version_iri_sees_other(client: FlaskClient, source_graph) -> None:
    from rdflib.namespace import OWL

    version = source_graph.value(URIRef(f"{BASE}ontology"), OWL.versionIRI)
    if version is None:
        pytest.skip("the ontology states no owl:versionIRI")
    response = client.get(str(version)[len(BASE) - 1:])
    assert response.status_code == 303


# --------------------------------------------------------------------------------------
# Against the real server (ngo-ld serve)
# --------------------------------------------------------------------------------------


@pytest.mark.server
def test_a_linked_data_client_follows_an_iri_on_the_real_server(ld_server) -> None:
    response = ld_server.get("/id/astra", headers={"Accept": "text/turtle"},
                             allow_redirects=False)
    assert response.status_code == 303
    followed = ld_server.get("/id/astra", headers={"Accept": "text/turtle"})
    assert followed.url.endswith("/doc/astra")
    assert followed.headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=followed.content, format="turtle")
    assert (URIRef(f"{BASE}id/astra"), SKOS.prefLabel, None) in graph
    html = ld_server.get("/id/astra", headers={"Accept": "text/html"})
    assert html.headers["Content-Type"].startswith(HTML.media_type)
    etag = followed.headers["ETag"]
    assert ld_server.get("/doc/astra.ttl", headers={"If-None-Match": etag}).status_code in (
        200, 304)
    assert ld_server.get("/doc/astra.ttl", headers={
        "If-None-Match": ld_server.get("/doc/astra.ttl").headers["ETag"]}).status_code == 304


def test_a_flood_of_unknown_slugs_neither_fills_nor_empties_the_cache(app, client) -> None:
    """Regression (review): every unknown slug took a cache entry, and a full cache was
    emptied whole — dumps included."""
    documents = app.extensions["ngo_ld"].answers.cache
    client.get("/dumps/ngo-ld.ttl")
    before = len(documents)
    dump_keys = [k for k in documents.snapshot_keys() if "dump" in k]
    for n in range(300):
        assert client.get(f"/id/nope-{n}").status_code == 404
    assert len(documents) == before
    assert dump_keys and all(k in documents for k in dump_keys)


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    from ngo_ld.cache import BoundedCache

    cache: BoundedCache[str] = BoundedCache(3, 300_000)
    for key in ("a", "b", "c"):
        cache.get_or_build((key,), lambda k=key: k, size=len)
    assert cache.get_or_build(("a",), lambda: "rebuilt", size=len) == "a"  # now most recent
    cache.get_or_build(("d",), lambda: "d", size=len)  # pushes out "b", the least recent
    assert sorted(cache.snapshot_keys()) == [("a",), ("c",), ("d",)]
