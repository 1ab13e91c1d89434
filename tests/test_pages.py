"""HTML pages a person wants to read: the landing page, organisation and collaboration pages,
the ontology and validation pages; three languages; Cyrillic transliteration; escaping;
schema.org JSON-LD; sitemap and robots.txt."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from ngo_ld.config import Settings
from ngo_ld.pages import (
    choose_language,
    cyrillic,
    display_tag,
    foreign_names,
    normalize_language,
    to_cyrillic,
)

NINE = ["balkans-act-now", "comp-act", "enpates", "flare", "gaatw", "gmcn", "globalgiving",
        "missing-children-europe", "omct"]


def text(client: FlaskClient, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def json_ld_scripts(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(b) for b in blocks]


# --------------------------------------------------------------------------------------
# Transliteration and language choice (pure functions)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("Ljudska prava", "Људска права"),
    ("Njegoš", "Његош"),
    ("Džep", "Џеп"),
    ("đak", "ђак"),
    ("LJUBAV NJIVA DŽAK", "ЉУБАВ ЊИВА ЏАК"),
    ("LJubav", "Љубав"),
    ("čaša, ćup, šuma, žaba, Đorđe", "чаша, ћуп, шума, жаба, Ђорђе"),
    ("Udruženje tužilaca", "Удружење тужилаца"),
    ("Beograd 2014.", "Београд 2014."),
    ("quick wax yes", "qуицк wаx yес"),  # q w x y are not Serbian letters: left as is
    ("injekcija, konjunkcija, nadživeti", "инјекција, конјункција, надживети"),
])
def test_serbian_latin_is_transliterated_letter_for_letter(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_words_can_be_kept_in_latin() -> None:
    assert to_cyrillic("Upit SPARQL", keep=["SPARQL"]) == "Упит SPARQL"


def test_foreign_names_and_acronyms_stay_in_latin() -> None:
    keep = foreign_names([ox.Literal("La Strada International", language="en"),
                          ox.Literal("COMP.ACT", language="en"),
                          ox.Literal("partner", language="en"),
                          ox.Literal("Zora", language="en"), ox.Literal("Zora", language="hr"),
                          ox.Literal("GAATW")])
    assert cyrillic("Članstvo: La Strada International – COMP.ACT (vodeća organizacija)",
                    keep) == "Чланство: La Strada International – COMP.ACT (водећа организација)"
    assert cyrillic("COMP.ACT") == "COMP.ACT"  # acronyms, even without the data's names
    assert cyrillic("ASTRA i OMCT, ENPATES") == "ASTRA и OMCT, ENPATES"
    assert cyrillic("partner, Zora, GAATW", keep) == "партнер, Зора, GAATW"
    assert cyrillic("NVO platforma") == "НВО платформа"  # a Serbian acronym
    for latin, cyr in [("Ljudska prava", "Људска права"), ("Njegoš", "Његош"),
                       ("Džep", "Џеп"), ("đak", "ђак"), ("LJUBAV NJIVA DŽAK", "ЉУБАВ ЊИВА ЏАК")]:
        assert cyrillic(latin, keep) == cyr
    # the longest phrase wins, and phrases match whole words only
    assert to_cyrillic("La Strada International i La Stradana", keep=[
        "La Strada", "La Strada International"]) == "La Strada International и Ла Страдана"
    assert to_cyrillic("Lara", keep=["La"]) == "Лара"


@pytest.mark.parametrize(("header", "expected"), [
    ("sr", "sr-Latn"), ("sr-RS,sr;q=0.9", "sr-Latn"), ("sr-Cyrl", "sr-Cyrl"),
    ("sr-Latn;q=0.4, en;q=0.8", "en"), ("de-DE,de;q=0.9", "en"), ("", "en"),
    ("SR-CYRL", "sr-Cyrl"),
    # regional and scripted Serbian tags match by language and script (Werkzeug's
    # best_match does not shorten sr-RS to sr)
    ("sr-RS", "sr-Latn"), ("sr-Latn-RS", "sr-Latn"), ("sr-BA", "sr-Latn"),
    ("sr-ME", "sr-Latn"), ("sr-Cyrl-RS", "sr-Cyrl"), ("sr-cyrl-ba,en;q=0.5", "sr-Cyrl"),
    ("sr-RS,en;q=0.5", "sr-Latn"), ("en-GB,sr-RS;q=0.9", "en"),
    ("de,sr-RS;q=0.8,en;q=0.5", "sr-Latn"), ("sr-RS;q=0,en-US", "en"),
    ("*,sr;q=0.5", "en"), ("sr-RS,*;q=0.1", "sr-Latn"),
    # related languages are not Serbian
    ("hr-HR", "en"), ("bs", "en"), ("sh", "en"), ("cnr", "en"), ("hr,sr;q=0.5", "sr-Latn"),
])
def test_accept_language_chooses_the_page_language(header: str, expected: str) -> None:
    from werkzeug.datastructures import LanguageAccept
    from werkzeug.http import parse_accept_header

    assert choose_language(None, parse_accept_header(header, LanguageAccept)) == expected


def test_the_lang_parameter_wins_and_tags_display_in_conventional_case() -> None:
    assert choose_language("sr-cyrl", None) == "sr-Cyrl"
    assert normalize_language("sr-RS") == "sr-Latn"
    assert normalize_language("sr-Cyrl-RS") == "sr-Cyrl"
    assert normalize_language("hr") is None
    assert normalize_language("sr") == "sr-Latn"
    assert display_tag("sr-latn") == "sr-Latn" and display_tag("EN-gb") == "en-GB"


# --------------------------------------------------------------------------------------
# Pages on the real data
# --------------------------------------------------------------------------------------


def test_the_landing_page_lists_the_nine_collaborations_and_the_ways_in(
        client: FlaskClient) -> None:
    html = text(client, "/")
    for slug in NINE:
        assert f'href="/id/{slug}"' in html, slug
    assert "(9)" in html
    for link in ('href="/sparql"', 'href="/.well-known/void"', 'href="/validation"',
                 'href="/dumps/ngo-ld.ttl"', 'href="/dumps/ngo-ld.nt"'):
        assert link in html
    assert "All rights reserved © ASTRA" in html
    assert "<svg" in html and "<title>" in html
    [dataset] = [b for b in json_ld_scripts(html) if b["@type"] == "Dataset"]
    assert dataset["@id"] == "https://w3id.org/ngo-ld/id/dataset"
    assert any(d["contentUrl"].endswith("/dumps/ngo-ld.ttl") for d in dataset["distribution"])


def test_astras_page_shows_its_collaborations_and_its_place_among_them(
        client: FlaskClient) -> None:
    html = text(client, "/doc/astra.html")
    assert "<h1>" in html and "ASTRA" in html
    for slug in NINE:
        assert f'href="/id/{slug}"' in html, slug
    assert html.count("<svg") >= 1
    assert "April 2014" in html  # GAATW membership date
    [org] = [b for b in json_ld_scripts(html) if b["@type"] == "Organization"]
    assert org["name"] == "ASTRA"
    assert len(org["memberOf"]) == 9
    assert 'href="/sparql?query=' in html


def test_the_ban_page_groups_members_by_role_with_countries(client: FlaskClient) -> None:
    html = text(client, "/doc/balkans-act-now.html")
    members = html.split('id="members"', 1)[1]
    partner_at, associate_at = members.index("partner"), members.index("associate")
    assert partner_at < associate_at  # partners first
    partners = members[partner_at:associate_at]
    assert "(7)" in partners and "(13)" in members[associate_at:]
    for country in ("Serbia", "Bosnia and Herzegovina", "Croatia", "France", "Netherlands"):
        assert country in partners or country in members[associate_at:], country
    assert "Netherlands Helsinki Committee" in partners
    assert members.count("<svg") == 1  # the collaboration's picture
    assert "platform" in html
    assert "sparql?query=" in html


SOURCE_PAGE = Path(__file__).resolve().parents[2] / "shared" / "source-document.txt"


def quotes(html: str) -> list[str]:
    """The verbatim sentences a page quotes ("From the source: «…»")."""
    import html as html_lib

    found = re.findall(r"<blockquote cite=\"[^\"]*\"><p>«(.*?)» <a", html, re.S)
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", q)) for q in found]


@pytest.mark.parametrize(("path", "expected"), [
    ("/doc/gaatw.html", "U aprilu 2014. godine ASTRA se pridružila"),
    ("/doc/membership-gaatw-astra.html", "U aprilu 2014. godine ASTRA se pridružila"),
    ("/doc/omct-member-count.html", "Sa 297 organizacija"),
    ("/doc/astra.html", "U julu 2014. godine, ASTRA je postala članica"),
    ("/doc/balkans-act-now.html", "Balkans Act Now je NVO platforma"),
    ("/doc/flare-origin.html", "Nastao je iz saradnje dve italijanske organizacije"),
])
def test_facts_are_shown_beside_the_sentence_they_were_read_from(
        client: FlaskClient, path: str, expected: str) -> None:
    html = text(client, path)
    assert "From the source:" in html
    found = quotes(html)
    assert any(q.startswith(expected) for q in found), found
    if SOURCE_PAGE.exists():
        page = SOURCE_PAGE.read_text(encoding="utf-8")
        for q in found:
            assert q in page, q[:60]
    assert "Iz izvora:" in text(client, path + "?lang=sr-Latn")


def test_each_of_astras_memberships_has_its_quote_in_its_row(client: FlaskClient) -> None:
    html = text(client, "/doc/astra.html")
    table = html.split('id="memberships"', 1)[1].split("</table>", 1)[0]
    assert table.count('class="source-row"') == 9
    assert any(q.startswith("U aprilu 2014. godine ASTRA") for q in quotes(table))


def test_the_ban_page_names_the_ministry_with_its_department(client: FlaskClient) -> None:
    for lang, name in (("en", "Ministry of Security – Department for Combating Trafficking"),
                       ("sr-Latn", "Ministarstvo sigurnosti/Odsjek za borbu protiv trgovine")):
        members = text(client, f"/doc/balkans-act-now.html?lang={lang}").split(
            'id="members"', 1)[1]
        assert name in members, lang


def test_every_collaboration_page_renders(client: FlaskClient) -> None:
    for slug in NINE:
        html = text(client, f"/doc/{slug}.html")
        assert 'id="members"' in html, slug


def test_the_language_switch_and_accept_language(client: FlaskClient) -> None:
    english = text(client, "/doc/balkans-act-now.html")
    latin = text(client, "/doc/balkans-act-now.html", **{"Accept-Language": "sr"})
    cyrillic = text(client, "/doc/balkans-act-now.html?lang=sr-Cyrl")
    assert '<html lang="en">' in english and "Members" in english
    assert '<html lang="sr-Latn">' in latin and "Članovi" in latin
    assert '<html lang="sr-Cyrl">' in cyrillic and "Чланови" in cyrillic
    assert "Србија" in cyrillic and "Srbija" in latin and "Serbia" in english
    # links keep an explicit choice; the switch is visible on every page
    assert 'href="/id/astra?lang=sr-Cyrl"' in cyrillic
    for code in ("en", "sr-Latn", "sr-Cyrl"):
        assert f"lang={code}" in english
    # Serbian names in Cyrillic; names in other languages as written
    assert "Одбор за људска права Врање" in cyrillic
    assert "Netherlands Helsinki Committee" in cyrillic


def test_cyrillic_pages_keep_foreign_names_in_latin(client: FlaskClient) -> None:
    html = text(client, "/doc/comp-act.html?lang=sr-Cyrl")
    assert "COMP.ACT" in html and "ЦОМП" not in html
    assert "Европски COMP.ACT пројекат" in html
    astra = text(client, "/doc/astra.html?lang=sr-Cyrl")
    assert "ЦОМП" not in astra and "Ла Страда" not in astra


def test_pages_vary_on_accept_language_and_have_their_own_etags(client: FlaskClient) -> None:
    en = client.get("/doc/gaatw.html")
    sr = client.get("/doc/gaatw.html", headers={"Accept-Language": "sr"})
    assert "Accept-Language" in en.headers["Vary"]
    assert en.headers["ETag"] != sr.headers["ETag"]
    assert sr.headers["Content-Language"] == "sr-Latn"


@pytest.mark.parametrize(("header", "expected"), [
    ("sr-RS", "sr-Latn"), ("sr-Cyrl-RS", "sr-Cyrl"), ("sr-RS,en;q=0.5", "sr-Latn"),
    ("hr-HR", "en"),
])
def test_a_browser_asking_for_regional_serbian_gets_serbian(client: FlaskClient, header: str,
                                                              expected: str) -> None:
    response = client.get("/doc/gaatw.html", headers={"Accept-Language": header})
    assert response.headers["Content-Language"] == expected
    assert f'<html lang="{expected}">' in response.get_data(as_text=True)


def test_the_landing_page_in_cyrillic(client: FlaskClient) -> None:
    html = text(client, "/?lang=sr-Cyrl")
    assert "Сарадње" in html
    assert "SPARQL" in html  # names of standards stay in Latin letters


def test_the_ontology_page_documents_every_term_in_both_languages(client: FlaskClient,
                                                                   store) -> None:
    html = text(client, "/ontology.html")
    terms = [row["t"].value.split("#", 1)[1] for row in store.query(
        'SELECT DISTINCT ?t WHERE { ?t ?p ?o FILTER(STRSTARTS(STR(?t), '
        '"https://w3id.org/ngo-ld/ontology#")) }')]
    assert len(terms) > 10
    for term in terms:
        assert f'id="{term}"' in html, term
    assert 'lang="sr-Latn"' in html and 'lang="en"' in html
    assert "država" in html and "country" in html


def test_the_validation_report_in_three_formats(client: FlaskClient) -> None:
    html = text(client, "/validation")
    assert "conform" in html
    assert "shapes" in html.lower()
    report = client.get("/validation.json")
    assert report.status_code == 200
    body = json.loads(report.data)
    assert {"conforms", "results", "ran_at", "shape_files"} <= body.keys()
    turtle = client.get("/validation", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    import rdflib

    graph = rdflib.Graph().parse(data=turtle.data, format="turtle")
    from rdflib.namespace import RDF, SH

    assert (None, RDF.type, SH.ValidationReport) in graph


def test_sitemap_lists_every_html_page_and_robots_points_to_it(client: FlaskClient,
                                                               store) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {e.text for e in root.findall("s:url/s:loc", ns)}
    assert "http://localhost/" in locs
    assert "http://localhost/doc/astra.html" in locs
    assert "http://localhost/ontology.html" in locs
    assert "http://localhost/sparql" in locs
    assert len([u for u in locs if "/doc/" in u]) > 100
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in robots
    assert robots.endswith("sitemap.xml\n")  # a text file ends with a newline


def test_the_nav_link_to_the_query_page_keeps_an_explicit_language(client: FlaskClient
                                                                    ) -> None:
    assert 'href="/sparql?lang=sr-Cyrl"' in text(client, "/doc/astra.html?lang=sr-Cyrl")
    chosen_by_header = text(client, "/doc/astra.html", **{"Accept-Language": "sr-Cyrl"})
    assert 'href="/sparql"' in chosen_by_header and "/sparql?lang=" not in chosen_by_header


# --------------------------------------------------------------------------------------
# Everything from the data is escaped
# --------------------------------------------------------------------------------------

HOSTILE = """
@prefix ngo: <https://w3id.org/ngo-ld/id/> .
@prefix ngold: <https://w3id.org/ngo-ld/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix euc: <http://publications.europa.eu/resource/authority/country/> .
@prefix schema: <http://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .

ngo:astra a org:Organization , org:FormalOrganization ;
    skos:prefLabel "ASTRA"@en , "ASTRA"@sr-Latn ; schema:addressCountry euc:SRB ;
    prov:wasDerivedFrom ngo:evil-sentence .
ngo:evil-sentence dcterms:isPartOf ngo:page ; schema:position 1 ;
    schema:text "<script>alert(5)</script> «quoted»"@sr-Latn .
ngo:evil a org:Organization , org:OrganizationalCollaboration ;
    skos:prefLabel "<script>alert('x')</script> Evil & Co"@en ,
        "Zlo </script><b>Ljubav</b>"@sr-Latn ;
    skos:altLabel "]]><!--" ;
    dcterms:description "</script><script>alert(2)</script>"@en ;
    org:purpose "<iframe src=javascript:alert(4)>"@en .
ngo:membership-evil a org:Membership ; org:member ngo:astra ; org:organization ngo:evil ;
    org:role ngo:role-evil .
ngo:role-evil a org:Role ; skos:prefLabel "<img src=x onerror=alert(3)>"@en .
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from ngo_ld.web import create_app

    home = tmp_path_factory.mktemp("hostile")
    (home / "data").mkdir()
    (home / "data" / "evil.ttl").write_text(HOSTILE, encoding="utf-8")
    application = create_app(Settings(home=home, validate_on_start=False))
    application.config["TESTING"] = True
    return application


@pytest.mark.parametrize("path", ["/", "/doc/evil.html", "/doc/astra.html",
                                  "/doc/evil.html?lang=sr-Cyrl", "/doc/role-evil.html",
                                  "/doc/membership-evil.html"])
def test_hostile_labels_are_escaped_everywhere(hostile: Flask, path: str) -> None:
    html = text(hostile.test_client(), path)
    for raw in ("<script>alert", "</script><b>", "<img src=x", "<iframe", "alert(2)</script>",
                "alert(5)</script>"):
        assert raw not in html, raw
    if path.startswith("/doc/evil"):
        assert "&lt;script&gt;" in html or "&lt;/script&gt;" in html
    json_ld_scripts(html)  # still valid JSON
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    for body in scripts:
        assert "<" not in body


def test_hostile_json_ld_round_trips_the_label(hostile: Flask) -> None:
    html = text(hostile.test_client(), "/doc/evil.html")
    [org] = json_ld_scripts(html)
    assert org["name"] == "<script>alert('x')</script> Evil & Co"


def test_static_css_is_served(client: FlaskClient) -> None:
    response = client.get("/static/ngo-ld.css")
    assert response.status_code == 200
    response.close()  # the file stays open until the response is closed
    assert Path(__file__).resolve().parents[1].joinpath("src/ngo_ld/static/ngo-ld.css").is_file()


@pytest.mark.parametrize("how", ["accept", "format"])
def test_the_validation_report_is_negotiable_as_json(client: FlaskClient, how: str) -> None:
    """Regression: the report's own JSON format was missing from the format table, so
    ``Accept: application/json`` and ``?format=json`` got 406 while the 406 offered it."""
    if how == "accept":
        response = client.get("/validation", headers={"Accept": "application/json"})
    else:
        response = client.get("/validation?format=json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json()["conforms"] is True


def test_a_forged_host_header_does_not_reach_other_visitors(client: FlaskClient) -> None:
    """Regression (review): pages were cached without the host while their schema.org
    block used the request's host."""
    forged = client.get("/doc/astra.html", headers={"Host": "evil.example"})
    assert "evil.example" in forged.get_data(as_text=True)
    honest = client.get("/doc/astra.html", headers={"Host": "localhost"})
    assert "evil.example" not in honest.get_data(as_text=True)
