"""Every ```sparql block of docs/sparql.md runs against the real data and finds something."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient

from ngo_ld.config import Settings
from ngo_ld.store import GraphStore

DOC = Path(__file__).resolve().parents[1] / "docs" / "sparql.md"
BLOCKS = re.findall(r"^```sparql\n(.*?)^```", DOC.read_text(encoding="utf-8"),
                    re.MULTILINE | re.DOTALL) if DOC.is_file() else []


@pytest.fixture(scope="module")
def docs_app(settings: Settings, store: GraphStore) -> Iterator[Flask]:
    from ngo_ld.web import create_app
    from ngo_ld.web.sparql import shut_down

    application = create_app(settings.but(validate_on_start=False), store=store)
    yield application
    shut_down(application)


@pytest.fixture()
def docs_client(docs_app: Flask) -> FlaskClient:
    return docs_app.test_client()


def test_the_doc_has_the_required_examples() -> None:
    assert len(BLOCKS) >= 5
    text = DOC.read_text(encoding="utf-8")
    for needle in ("/sparql", "application/sparql-results+json", "text/turtle",
                   "X-SPARQL-Truncated", "langMatches", "ngo:astra", '"BAN"'):
        assert needle in text, needle


@pytest.mark.parametrize("query", BLOCKS, ids=[f"example-{i + 1}" for i in range(len(BLOCKS))])
def test_doc_example_runs_and_finds_something(docs_client: FlaskClient, store: GraphStore,
                                              query: str) -> None:
    assert "PREFIX" in query or "GRAPH" in query  # examples declare their prefixes
    response = docs_client.post("/sparql", data=query.encode("utf-8"),
                                content_type="application/sparql-query")
    assert response.status_code == 200, response.get_data(as_text=True)
    if response.mimetype == "application/sparql-results+json":
        body = json.loads(response.data)
        if "boolean" in body:
            assert body["boolean"] is True
        else:
            assert len(body["results"]["bindings"]) >= 1
            # ...and the in-process store agrees
            assert len(body["results"]["bindings"]) == len(list(store.query(query)))
    else:
        assert response.mimetype == "text/turtle"
        assert len(rdflib.Graph().parse(data=response.data, format="turtle")) >= 1


def test_ban_partners_example_finds_partners_in_several_countries(
    docs_client: FlaskClient,
) -> None:
    query = next(b for b in BLOCKS if '"BAN"' in b and "GROUP BY" not in b)
    body = json.loads(docs_client.post("/sparql", data={"query": query}).data)
    rows = body["results"]["bindings"]
    assert len({r["partner"]["value"] for r in rows}) >= 5
    assert len({r["country"]["value"] for r in rows if "country" in r}) >= 3
