"""Search: matching that ignores case, diacritics and script; /search as a page and as
JSON; the same answers from the memory, disk and remote stores."""

from __future__ import annotations

import unicodedata

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from ngo_ld.config import Settings
from ngo_ld.pages import to_cyrillic
from ngo_ld.search import LabelIndex, normalise, read_index, score_name
from ngo_ld.store import GraphStore
from ngo_ld.stores import open_store

# The remote store is a real Oxigraph server, started as the backend tests start it.
from test_backends import base_settings, oxigraph_server  # noqa: F401

NGO = "https://w3id.org/ngo-ld/id/"
SERBIAN_LATIN = "abcčćddžđefghijklljmnnjoprsštuvzž"


@pytest.fixture(scope="module")
def index(store: GraphStore) -> LabelIndex:
    return read_index(store)


def top(index: LabelIndex, text: str, **kwargs: object) -> str:
    hits = index.search(text, **kwargs)  # type: ignore[arg-type]
    assert hits, f"nothing found for {text!r}"
    return hits[0].entry.iri.removeprefix(NGO)


# --- normalisation --------------------------------------------------------------------


def strip_marks(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(ch))


@given(st.text(max_size=60))
def test_normalise_is_idempotent_and_clean(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.strip() and "  " not in once
    assert once == once.casefold()
    assert not any(unicodedata.combining(ch) for ch in once)


@given(st.text(alphabet=st.sampled_from([*SERBIAN_LATIN, " ", "-"]), max_size=40))
def test_case_diacritics_and_script_do_not_matter(word: str) -> None:
    expected = normalise(word)
    assert normalise(word.upper()) == expected
    assert normalise(word.title()) == expected
    assert normalise(to_cyrillic(word)) == expected
    assert normalise(to_cyrillic(word).upper()) == expected
    # Without diacritics (đ typed as dj, as Serbian is written in plain ASCII).
    assert normalise(strip_marks(word.replace("đ", "dj"))) == expected


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=30),
       st.sampled_from([".", "-", " – ", "  ", "/", ", "]))
def test_punctuation_is_a_space(word: str, mark: str) -> None:
    assert normalise(word.replace(" ", mark)) == normalise(word)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=30),
       st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=30))
def test_score_is_between_0_and_1_and_1_only_for_the_same_words(a: str, b: str) -> None:
    score = score_name(normalise(a), normalise(b))
    assert 0 <= score <= 1
    assert (score == 1) == (normalise(a) == normalise(b) != "")


# --- the index on the real data ---------------------------------------------------------


@pytest.mark.parametrize("text", ["zenska soba", "ŽENSKA SOBA", "Женска соба",
                                  "zenska  soba ", "ženska-soba"])
def test_zenska_soba_however_written(index: LabelIndex, text: str) -> None:
    hits = index.search(text)
    assert hits[0].entry.iri == f"{NGO}zenska-soba"
    assert hits[0].exact
    assert hits[0].matched == "Ženska soba"


@pytest.mark.parametrize(("text", "slug"), [
    ("la strada", "la-strada-international"),  # the whole name beats a longer one
    ("Anti Slavery International", "anti-slavery-international"),
    ("compact", "comp-act"),  # "COMP.ACT" spaced otherwise
    ("globalgivin", "globalgiving"),  # being typed
    ("Comitee against modern slavery", "ccem"),  # misspelt
    ("Svi za pravicno sudjenje", "svi-za-pravicno-sudjenje"),  # đ typed as dj
    ("Свет речи", "svet-reci"),  # Cyrillic
    ("mreža", "kind-network"),  # a concept, by its Serbian name
    ("women's room", "zenska-soba"),  # apostrophe
])
def test_ranked_first(index: LabelIndex, text: str, slug: str) -> None:
    assert top(index, text) == slug


def test_ranking_is_by_score_and_kinds_filter(index: LabelIndex) -> None:
    hits = index.search("missing children", limit=10)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    kinds = {h.entry.kind for h in hits}
    assert {"concept", "collaboration"} <= kinds
    only = index.search("missing children", kinds=["collaboration"])
    assert only and {h.entry.kind for h in only} == {"collaboration"}
    assert only[0].entry.iri == f"{NGO}missing-children-europe"


def test_entries_know_kind_country_and_networks(index: LabelIndex) -> None:
    entry = index.by_iri[f"{NGO}zenska-soba"]
    assert entry.kind == "organisation"
    assert entry.countries == ["http://publications.europa.eu/resource/authority/country/HRV"]
    assert entry.networks == [f"{NGO}balkans-act-now"]
    assert index.by_iri[f"{NGO}gaatw"].kind == "collaboration"
    astra = index.by_iri[f"{NGO}astra"]
    assert f"{NGO}gaatw" in astra.networks and len(astra.networks) == 9


def test_nothing_for_nonsense_or_empty(index: LabelIndex) -> None:
    assert index.search("xqzvw") == []
    assert index.search("  --  ") == []


# --- /search ----------------------------------------------------------------------------


def test_search_json(client: FlaskClient) -> None:
    response = client.get("/search?q=zenska+soba", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "Accept" in response.vary
    first = response.get_json()["results"][0]
    assert first["id"] == f"{NGO}zenska-soba"
    assert first["kind"] == "organisation"
    assert first["countries"][0]["code"] == "HRV"
    assert first["networks"][0]["id"] == f"{NGO}balkans-act-now"
    assert first["exact"] is True and first["score"] > 90


def test_search_page_shows_kind_country_networks(client: FlaskClient) -> None:
    response = client.get("/search?q=%D0%96%D0%B5%D0%BD%D1%81%D0%BA%D0%B0+%D1%81%D0%BE%D0%B1%D0%B0",
                          headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert 'href="/id/zenska-soba"' in page
    assert "Croatia" in page and 'href="/id/balkans-act-now"' in page
    assert "(organisation)" in page
    assert 'value="Женска соба"' in page  # the box keeps the query


def test_search_format_override_and_language(client: FlaskClient) -> None:
    response = client.get("/search?q=mreza&format=json&lang=sr-Latn")
    assert response.mimetype == "application/json"
    assert response.get_json()["results"][0]["name"] == "mreža"


def test_search_escapes_the_query(client: FlaskClient) -> None:
    page = client.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
                      headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_search_box_on_every_page(client: FlaskClient) -> None:
    for path in ("/", "/doc/astra", "/sparql", "/ontology.html", "/organisations"):
        page = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert '<form class="search-box" role="search" action="/search" method="get">' in page, path
        assert '<label class="visually-hidden" for="site-search">' in page, path


@pytest.mark.parametrize(("url", "message"), [
    ("/search?q=" + "a" * 201, "at most 200"),
    ("/search?q=x&limit=many", "whole number"),
    ("/search?q=x&kind=person", "unknown kind"),
    ("/search", "'q'"),
])
def test_search_bad_input_is_400(client: FlaskClient, url: str, message: str) -> None:
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]


def test_search_not_acceptable(client: FlaskClient) -> None:
    assert client.get("/search?q=x", headers={"Accept": "image/png"}).status_code == 406


# --- every backend ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def backend_indexes(base_settings: Settings, oxigraph_server: str,  # noqa: F811
                    tmp_path_factory: pytest.TempPathFactory) -> dict[str, LabelIndex]:
    disk = tmp_path_factory.mktemp("search-disk") / "store"
    return {
        "memory": read_index(open_store(base_settings)),
        "disk": read_index(open_store(base_settings.but(store="disk", store_path=disk))),
        "remote": read_index(open_store(base_settings.but(
            store="remote", remote_query_url=oxigraph_server))),
    }


@pytest.mark.parametrize("backend", ["disk", "remote"])
@pytest.mark.parametrize("text", ["zenska soba", "Женска соба", "la strada", "omct",
                                  "missing children"])
def test_same_results_on_every_backend(backend_indexes: dict[str, LabelIndex], backend: str,
                                       text: str) -> None:
    def results(index: LabelIndex) -> list[tuple[str, float, list[str], list[str]]]:
        return [(h.entry.iri, h.score, h.entry.countries, h.entry.networks)
                for h in index.search(text)]

    expected = results(backend_indexes["memory"])
    assert expected
    assert results(backend_indexes[backend]) == expected


# --- the index is built in the background -------------------------------------------------


def test_while_the_index_is_built_search_says_503_and_pages_answer(
        settings: Settings, store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow build (seconds at 10^6 triples) holds no request thread: a search waits
    ``search_index_wait``, then gets 503 + Retry-After; documents answer meanwhile."""
    import threading

    from ngo_ld.web import create_app
    from ngo_ld.web import search as web_search

    release = threading.Event()

    def slow_read_index(store: GraphStore) -> LabelIndex:
        assert release.wait(30)
        return read_index(store)

    monkeypatch.setattr(web_search, "read_index", slow_read_index)
    app = create_app(settings.but(validate_on_start=False, search_index_wait=0.05,
                                  answer_cache_entries=0), store=store)
    client = app.test_client()
    try:
        busy = client.get("/search?q=zora&format=json")
        assert busy.status_code == 503
        assert busy.headers["Retry-After"] == "5"
        assert busy.get_json()["error"]["limit"] == "search-index"
        reconcile = client.get("/reconcile?queries=" + '{"q0":{"query":"zora"}}')
        assert reconcile.status_code == 503 and reconcile.mimetype == "application/json"
        assert client.get("/doc/astra", headers={"Accept": "text/turtle"}).status_code == 200
    finally:
        release.set()
    for _ in range(100):  # the build finishes in well under a second once released
        done = client.get("/search?q=zora&format=json")
        if done.status_code == 200:
            break
    assert done.status_code == 200
    assert done.get_json()["results"][0]["slug"] == "zora"


def test_a_failed_build_is_reported_and_tried_again(
        settings: Settings, store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from ngo_ld.errors import UpstreamError
    from ngo_ld.web import create_app
    from ngo_ld.web import search as web_search

    calls: list[int] = []

    def failing_once(store: GraphStore) -> LabelIndex:
        calls.append(1)
        if len(calls) == 1:
            raise UpstreamError("the remote SPARQL endpoint did not answer")
        return read_index(store)

    monkeypatch.setattr(web_search, "read_index", failing_once)
    app = create_app(settings.but(validate_on_start=False, answer_cache_entries=0),
                     store=store)
    client = app.test_client()
    failed = client.get("/search?q=zora&format=json")
    assert failed.status_code == 502
    assert "data store" in failed.get_json()["error"]["message"]  # its details: the log
    assert client.get("/search?q=zora&format=json").status_code == 200
    assert len(calls) == 2
