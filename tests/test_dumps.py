"""Whole-dataset dumps: stable URLs, every graph format, built once per data version,
strong ETags, Last-Modified, Cache-Control, 304 on conditional requests, gzip on request."""

from __future__ import annotations

import gzip
import time

import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient
from rdflib.compare import isomorphic

from ngo_ld.formats import DUMP_FORMATS
from ngo_ld.loading import to_rdflib
from ngo_ld.store import GraphStore

PARSERS = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}


def lower_tags(graph: rdflib.Graph) -> rdflib.Graph:
    out = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.language:
            o = rdflib.Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


@pytest.fixture(scope="module")
def store_graph(store: GraphStore) -> rdflib.Graph:
    return lower_tags(to_rdflib(store.triples()))


@pytest.mark.parametrize("fmt", DUMP_FORMATS, ids=lambda f: f.token)
def test_each_dump_holds_every_triple_of_the_dataset(client: FlaskClient, store: GraphStore,
                                                     store_graph: rdflib.Graph, fmt) -> None:
    response = client.get(f"/dumps/ngo-ld.{fmt.extension}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type
    graph = lower_tags(rdflib.Graph().parse(data=response.data, format=PARSERS[fmt.token]))
    assert len(graph) == len(store)
    assert isomorphic(graph, store_graph)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert 'rel="describedby"' in response.headers["Link"]


@pytest.mark.parametrize("fmt", DUMP_FORMATS, ids=lambda f: f.token)
def test_dumps_carry_validators_and_answer_304(client: FlaskClient, fmt) -> None:
    url = f"/dumps/ngo-ld.{fmt.extension}"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Last-Modified"]
    assert "public" in first.headers["Cache-Control"]
    assert "max-age=3600" in first.headers["Cache-Control"]
    assert client.get(url).headers["ETag"] == etag  # stable for one data version
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}
                      ).status_code == 304
    head = client.head(url)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == etag


@pytest.mark.parametrize("fmt", DUMP_FORMATS, ids=lambda f: f.token)
def test_dumps_are_gzipped_when_the_client_asks(client: FlaskClient, fmt) -> None:
    url = f"/dumps/ngo-ld.{fmt.extension}"
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data)
    assert client.get(url, headers={"Accept-Encoding": "gzip",
                                    "If-None-Match": zipped.headers["ETag"]}).status_code == 304
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers


def test_an_unknown_dump_is_404(client: FlaskClient) -> None:
    assert client.get("/dumps/ngo-ld.csv").status_code == 404


def test_a_dump_is_built_once_per_data_version(app: Flask, client: FlaskClient) -> None:
    client.get("/dumps/ngo-ld.nt")
    started = time.perf_counter()
    for _ in range(20):
        client.get("/dumps/ngo-ld.nt")
    per_request = (time.perf_counter() - started) / 20
    assert per_request < 0.05
    from ngo_ld.web import Site

    site: Site = app.extensions["ngo_ld"]
    assert (site.store.version, "rep", "dump", "ntriples") in site.answers.cache


@pytest.mark.server
def test_the_real_server_serves_gzipped_dumps_with_304(ld_server) -> None:
    response = ld_server.get("/dumps/ngo-ld.ttl", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"  # requests decodes the body
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    assert len(graph) > 100
    again = ld_server.get("/dumps/ngo-ld.ttl", headers={
        "Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


# --- when the data last changed: a stated fact, not a file's time --------------------------


def _served(home, cache) -> dict[str, object]:
    """Last-Modified and ETag of a dump, dcterms:modified of the VoID and the dataset
    page's "Last changed", from a fresh server of ``home``."""
    from ngo_ld.config import Settings
    from ngo_ld.web import create_app

    client = create_app(Settings(home=home, cache_dir=cache)).test_client()
    dump = client.get("/dumps/ngo-ld.nt")
    void = rdflib.Graph().parse(data=client.get("/void.ttl").data, format="turtle")
    page = client.get("/dumps/", headers={"Accept": "text/html"}).get_data(as_text=True)
    dataset = rdflib.URIRef("https://w3id.org/ngo-ld/id/dataset")
    return {"last_modified": dump.headers["Last-Modified"], "etag": dump.headers["ETag"],
            "void": void.value(dataset, rdflib.namespace.DCTERMS.modified),
            "void_etag": client.get("/void.ttl").headers["ETag"], "page": page,
            "void_body": client.get("/void.nt").data}


def test_last_modified_is_the_date_the_maintainers_state_not_the_files_time(tmp_path) -> None:
    import os
    import shutil

    from test_void import ROOT

    home = tmp_path / "home"
    for folder in ("data", "ontology", "shapes", "metadata"):
        shutil.copytree(ROOT / folder, home / folder)
    stated = rdflib.Graph().parse(home / "metadata" / "dataset.ttl").value(
        rdflib.URIRef("https://w3id.org/ngo-ld/id/dataset"), rdflib.namespace.DCTERMS.modified)
    assert stated is not None and stated.datatype == rdflib.namespace.XSD.date
    day = time.strptime(str(stated), "%Y-%m-%d")
    first = _served(home, tmp_path / "cache")
    assert first["last_modified"] == time.strftime("%a, %d %b %Y 00:00:00 GMT", day)
    assert first["void"] == stated
    assert f'<time datetime="{stated}">' in first["page"]

    # A fresh copy of the same files (a clone made later): nothing changes.
    later = time.time() + 86400 * 400
    for path in home.rglob("*.ttl"):
        os.utime(path, (later, later))
    again = _served(home, tmp_path / "cache")
    assert {k: again[k] for k in ("last_modified", "etag", "void", "void_etag")} == \
        {k: first[k] for k in ("last_modified", "etag", "void", "void_etag")}

    # The maintainers state a new day (a date-time, written loosely): every validator and
    # every statement follows, in the canonical form.
    metadata = home / "metadata" / "dataset.ttl"
    text = metadata.read_text(encoding="utf-8")
    metadata.write_text(text.replace(f'dcterms:modified "{stated}"^^xsd:date',
                                     'dcterms:modified "2027-01-15 10:30:00Z"^^xsd:dateTime'),
                        encoding="utf-8")
    changed = _served(home, tmp_path / "cache")
    assert changed["last_modified"] == "Fri, 15 Jan 2027 10:30:00 GMT"
    assert changed["void"] == rdflib.Literal("2027-01-15T10:30:00Z",
                                             datatype=rdflib.namespace.XSD.dateTime)
    assert b'"2027-01-15T10:30:00Z"^^' in changed["void_body"]
    assert '<time datetime="2027-01-15">' in changed["page"]
    assert changed["etag"] != first["etag"] and changed["void_etag"] != first["void_etag"]
