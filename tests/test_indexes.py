"""The indexes of organisations: A–Z and by country, as pages and as JSON."""

from __future__ import annotations

import re
import unicodedata

import pytest
from flask.testing import FlaskClient

from ngo_ld.store import GraphStore
from ngo_ld.web.index import initial, sort_key

NGO = "https://w3id.org/ngo-ld/id/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"


@pytest.fixture(scope="module")
def organisations(store: GraphStore) -> set[str]:
    """Every organisation, asked of the store directly."""
    return {row["o"].value for row in store.query(
        "SELECT DISTINCT ?o WHERE { ?o a org:Organization }")}


def test_a_to_z_lists_every_organisation(client: FlaskClient, organisations: set[str]) -> None:
    assert len(organisations) == 50
    body = client.get("/organisations", headers={"Accept": "application/json"}).get_json()
    listed = [o["id"] for o in body["organisations"]]
    assert sorted(listed) == sorted(organisations)
    names = [o["name"] for o in body["organisations"]]
    assert names == sorted(names, key=sort_key)
    astra = next(o for o in body["organisations"] if o["slug"] == "astra")
    assert astra["countries"] == [{"id": f"{COUNTRY}SRB", "code": "SRB", "name": "Serbia"}]
    assert len(astra["networks"]) == 9


def test_a_to_z_page(client: FlaskClient, organisations: set[str]) -> None:
    response = client.get("/organisations", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for iri in organisations:
        assert f'href="/id/{iri.removeprefix(NGO)}"' in page
    headings = re.findall(r'<h2 id="letter-\d+">(.)</h2>', page)
    assert headings == sorted(headings) and {"A", "Z"} <= set(headings)
    row = page[page.index('href="/id/zenska-soba"'):]
    row = row[:row.index("</tr>")]
    assert "Croatia" in row and 'href="/id/balkans-act-now"' in row


def test_by_country(client: FlaskClient) -> None:
    body = client.get("/organisations/by-country?format=json").get_json()
    groups = {c["code"]: [o["slug"] for o in c["organisations"]] for c in body["countries"]}
    assert "astra" in groups["SRB"] and "zenska-soba" in groups["HRV"]
    assert "la-strada-international" in groups[None]  # the page gives it no country
    assert body["countries"][-1]["code"] is None
    named = [c["name"] for c in body["countries"] if c["code"]]
    assert named == sorted(named, key=sort_key)
    page = client.get("/organisations/by-country", headers={"Accept": "text/html"})
    text = page.get_data(as_text=True)
    assert '<h2 id="country-SRB"><span lang="en">Serbia</span></h2>' in text
    assert '<h2 id="country-none">country not given</h2>' in text


def test_indexes_in_serbian_cyrillic(client: FlaskClient) -> None:
    page = client.get("/organisations/by-country?lang=sr-Cyrl").get_data(as_text=True)
    assert "Организације по државама" in page
    assert "Србија" in page
    az = client.get("/organisations?lang=sr-Cyrl").get_data(as_text=True)
    assert 'href="/id/zenska-soba?lang=sr-Cyrl"' in az


def test_landing_links_to_the_indexes(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="/organisations"' in page
    assert 'href="/organisations/by-country"' in page


def test_cached_with_validators(client: FlaskClient) -> None:
    first = client.get("/organisations", headers={"Accept": "text/html"})
    again = client.get("/organisations", headers={"Accept": "text/html",
                                                  "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert "Accept-Language" in first.vary


@pytest.mark.parametrize(("name", "lang", "letter"), [
    ("Ženska soba", "en", "Z"), ("„Svi za pravično suđenje“", "sr-Latn", "S"),
    ("116 000", "en", "#"), ("Женска соба", "en", "Z"), ("Женска соба", "sr-Cyrl", "Ж"),
    ("ASTRA", "sr-Cyrl", "А"), ("Đakovica", "sr-Latn", "Đ"), ("Đakovica", "en", "D"),
    ("Njegoš", "sr-Latn", "Nj"), ("La Strada", "sr-Cyrl", "Л"), ("Ženska soba", "sr-Latn", "Ž"),
])
def test_initial(name: str, lang: str, letter: str) -> None:
    assert initial(name, lang) == letter


def test_cyrillic_headings_are_one_alphabet_in_order(client: FlaskClient) -> None:
    """Latin names kept in Latin and transliterated ones share one set of headings."""
    page = client.get("/organisations?lang=sr-Cyrl").get_data(as_text=True)
    headings = re.findall(r'<h2 id="letter-\d+">(.)</h2>', page)
    assert len(headings) == len(set(headings))
    assert all("CYRILLIC" in unicodedata.name(h) for h in headings)


SERBIAN_LATIN = ["A", "B", "C", "Č", "Ć", "D", "Dž", "Đ", "E", "F", "G", "H", "I", "J", "K",
                 "L", "Lj", "M", "N", "Nj", "O", "P", "R", "S", "Š", "T", "U", "V", "Z", "Ž"]
SERBIAN_CYRILLIC = list("АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ")


def letters_and_names(page: str) -> list[tuple[str, list[str]]]:
    """Each heading of an A–Z page with the names filed under it."""
    out = []
    for letter, body in re.findall(r'<h2 id="letter-\d+">([^<]+)</h2>(.*?)(?=<h2 |</main>)',
                                   page, re.S):
        out.append((letter, re.findall(
            r'<tr>\s*<td><a href="[^"]+">(?:<span[^>]*>)?([^<]+)', body)))
    return out


@pytest.mark.parametrize(("lang", "alphabet"), [("sr-Latn", SERBIAN_LATIN),
                                                 ("sr-Cyrl", SERBIAN_CYRILLIC)])
def test_serbian_indexes_follow_the_serbian_alphabet(client: FlaskClient, lang: str,
                                                     alphabet: list[str]) -> None:
    page = client.get(f"/organisations?lang={lang}").get_data(as_text=True)
    groups = letters_and_names(page)
    bar = re.findall(r'<li><a href="#letter-\d+">([^<]+)</a></li>', page)
    letters = [letter for letter, _ in groups]
    assert bar == letters and set(letters) <= set(alphabet)
    assert letters == sorted(letters, key=alphabet.index)
    names = [name for _, group in groups for name in group]
    assert names == sorted(names, key=lambda n: sort_key(n, lang))
    if lang == "sr-Latn":
        # The Serbian Latin alphabet puts Ž after Z: "Ženska soba" under Ž, after "Zora".
        assert names.index("Zora") < names.index("Ženska soba – Centar za seksualna prava")
        assert dict(groups)["Ž"][0].startswith("Ženska soba")
    else:
        # Azbuka order, not the Latin order spelled in Cyrillic (which puts Ц before Е).
        assert letters.index("Е") < letters.index("Ж") < letters.index("З") < letters.index("Ц")


def test_indexes_in_the_sitemap_search_not_crawled(client: FlaskClient) -> None:
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "<loc>http://localhost/organisations</loc>" in sitemap
    assert "<loc>http://localhost/organisations/by-country</loc>" in sitemap
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /search\n" in robots and "Disallow: /reconcile\n" in robots
