"""The Linked Data blueprint: every IRI under the base dereferences; a thing's IRI answers
303 to a document that negotiates its format.

URI policy (docs/linked-data.md):

* ``/id/{slug}`` is the thing itself. ``GET``/``HEAD`` answer ``303 See Other`` to the
  *generic* document ``/doc/{slug}`` (the Pubby/DBpedia convention), which negotiates.
  ``/id/dataset`` and ``/id/catalog`` see-other to ``/.well-known/void``.
* ``/doc/{slug}`` negotiates HTML, Turtle, JSON-LD, RDF/XML and N-Triples on ``Accept``
  (``Vary: Accept``, ``Content-Location`` naming the specific URL); ``/doc/{slug}.{ext}``
  is one format, whatever the ``Accept`` header says. Every answer lists its siblings in
  ``Link: <…>; rel="alternate"; type="…"``.
* ``/ontology`` (the ontology IRI; terms are ``/ontology#term``) see-others by ``Accept``
  to ``/ontology.{html,ttl,jsonld,rdf,nt}`` (W3C vocabulary recipe 3).
* ``/``, ``/validation``, ``/sitemap.xml``, ``/robots.txt``.

Route functions decode the request and encode the response; the graphs come from
:mod:`ngo_ld.describe`, bytes from :mod:`ngo_ld.render`, page models from
:mod:`ngo_ld.pages`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request

from .. import describe, pages
from ..errors import UnknownResource
from ..formats import (
    DOCUMENT_EXTENSIONS,
    DOCUMENT_FORMATS,
    HTML,
    REPORT_JSON,
    TURTLE,
    Format,
    negotiate,
)
from ..namespaces import PREFIXES, slug_of
from ..pages.inverses import own_inverse_phrases
from ..pages.terms import SAID_IN_SENTENCES, prose, term_sentences
from ..validation import ValidationOutcome
from . import pictures
from .caching import cached, representation, send
from .language import here, latin_names, local_href, page_language
from .negotiation import chosen_format, link_header
from .site import site

blueprint = Blueprint("resources", __name__)

#: Things whose IRI is described by the dataset description rather than a document.
DESCRIPTION_SLUGS = ("dataset", "catalog")
VALIDATION_FORMATS: tuple[Format, ...] = (HTML, TURTLE, REPORT_JSON)


def _split(name: str) -> tuple[str, str | None]:
    stem, dot, ext = name.partition(".")
    return (stem, ext) if dot else (name, None)


# ------------------------------------------------------------------------------------
# Things: /id/{slug} → 303 → /doc/{slug}[.ext]
# ------------------------------------------------------------------------------------


def _told_in(extension: str | None) -> Format:
    """The format a 404 about a document is told in: that of a known extension, else the
    one ``?format=`` or ``Accept`` asks for, else HTML."""
    accept = request.accept_mimetypes
    fmt = (DOCUMENT_EXTENSIONS.get(extension) if extension is not None
           else negotiate(accept, DOCUMENT_FORMATS, override=request.args.get("format")))
    return fmt or negotiate(accept, DOCUMENT_FORMATS) or HTML


@blueprint.route("/id/<slug>", methods=["GET", "HEAD"])
def thing(slug: str) -> Response:
    """The thing itself: see other, at its document (never content itself)."""
    query = f"?{urlencode({'lang': request.args['lang']})}" if "lang" in request.args else ""
    if slug in DESCRIPTION_SLUGS:
        response = redirect("/.well-known/void" + query, 303)
        response.headers["Link"] = '</.well-known/void>; rel="describedby"'
        response.vary.add("Accept")
        return response
    try:
        site().answers.thing_document(slug)
    except UnknownResource as exc:
        raise exc.told_in(_told_in(None)) from None
    response = redirect(f"/doc/{slug}{query}", 303)
    response.headers["Link"] = f'</doc/{slug}>; rel="describedby"'
    response.vary.add("Accept")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@blueprint.route("/doc/<name>", methods=["GET", "HEAD"])
def document(name: str) -> Response:
    """The document about a thing, in the format asked for."""
    slug, extension = _split(name)
    stem = f"/doc/{slug}"
    answers = site().answers
    try:
        doc = answers.thing_document(slug)
    except UnknownResource as exc:
        raise exc.told_in(_told_in(extension)) from None
    if extension is not None and extension not in DOCUMENT_EXTENSIONS:
        # Like an unknown IRI, in the format asked for, with the documents there are.
        raise UnknownResource(f"no such representation: .{extension}").told_in(
            _told_in(extension), link_header(stem, DOCUMENT_FORMATS))
    fmt = chosen_format(DOCUMENT_FORMATS, extension, stem=stem)
    alternates = link_header(stem, DOCUMENT_FORMATS, served=fmt)
    headers = {"Link": alternates + f', <{describe_path(doc.topic)}>; rel="describes"'}
    vary = ["Accept"] if extension is None else []
    if extension is None:
        headers["Content-Location"] = f"{stem}.{fmt.extension}"
    if fmt.kind == "html":
        lang, explicit = page_language()
        vary.append("Accept-Language")
        headers["Content-Language"] = lang
        headers["Link"] += f', <{stem}.html>; rel="canonical"'
        # The page's schema.org block names this server's URLs: one rendering per host, so
        # a request with a forged Host header cannot put its URLs into anyone else's page.
        rep = representation(("doc-html", slug, lang, explicit, request.host_url),
                             HTML.content_type, lambda: render_resource(doc, slug, lang))
    else:
        rep = answers.document(slug, fmt)
    return send(rep, vary=vary, headers=headers)


def describe_path(iri: str) -> str:
    slug = slug_of(iri, site().settings.base_iri)
    return f"/id/{slug}" if slug else iri


def sparql_href(query: str) -> str:
    return "/sparql?" + urlencode({"query": query}, quote_via=quote)


def prepared_query(topic: str, is_collaboration: bool) -> str:
    """The query behind a page's "open in SPARQL" link."""
    if is_collaboration:
        return (f"# Members of <{topic}>, their roles and countries\n"
                "SELECT ?member ?name ?role ?country WHERE {\n"
                f"  ?m org:organization <{topic}> ; org:member ?member ; org:role ?role .\n"
                '  ?member skos:prefLabel ?name . FILTER(langMatches(lang(?name), "en"))\n'
                "  OPTIONAL { ?member schema:addressCountry ?country }\n"
                "} ORDER BY ?role ?country ?name\n")
    return (f"# Everything said about <{topic}>\n"
            f"SELECT ?property ?value WHERE {{ <{topic}> ?property ?value }}\n"
            "ORDER BY ?property\n")


def render_resource(doc: describe.Document, slug: str, lang: str) -> bytes:
    """The HTML page of a thing, from its document alone (plus, for ASTRA, the overview
    of its collaborations)."""
    s = site()
    base = s.settings.base_iri
    view = pages.GraphView([*doc.triples, *ontology_titles()], keep=latin_names())
    topic = ox.NamedNode(doc.topic)
    types = view.types(topic)
    focus = describe.FOCUS_SLUG
    focus_iri = f"{base}id/{focus}"
    members = pages.memberships_of(view, topic, as_="organization", lang=lang,
                                   href=local_href, focus=focus_iri)
    member_of = pages.memberships_of(view, topic, as_="member", lang=lang, href=local_href,
                                     focus=focus_iri)
    grouped = pages.group_by_role(members, lang)
    title = view.label(topic, lang)
    network = (pictures.overview(lang, latin_names(), local_href) if slug == focus
               else pictures.reach_of(doc.topic, lang, latin_names(), local_href))
    is_org = any(t.endswith(("#Organization", "#FormalOrganization",
                             "#OrganizationalCollaboration", "#OrganizationalUnit"))
                 for t in types)
    skip_in = {"http://www.w3.org/ns/org#member", "http://www.w3.org/ns/org#organization"}
    as_member = [m for m in view.subjects("http://www.w3.org/ns/org#member", topic)
                 if isinstance(m, ox.NamedNode)]
    as_organization = view.subjects("http://www.w3.org/ns/org#organization", topic)
    context = {
        "title": title,
        "iri": doc.topic,
        "slug": slug,
        "types": [pages.Link(view.label(ox.NamedNode(t), lang), local_href(t)) for t in types],
        "names": pages.names(view, topic, lang),
        "descriptions": pages.literals_for_language(
            view.literals(topic, "http://purl.org/dc/terms/description"), lang,
            keep=view.keep),
        "facts": pages.facts(view, topic, lang, local_href),
        "incoming": pages.incoming(view, topic, lang, local_href,
                                   skip=skip_in if (members or member_of) else (),
                                   inverses=declared_inverses(),
                                   phrases=own_inverse_phrases(site_prefixes()["ngold"])),
        "member_groups": grouped,
        "topic_quotes": pages.source_quotes(view, [topic], lang, local_href),
        "member_quotes": pages.source_quotes(view, as_organization, lang, local_href),
        "row_quotes": {local_href(m.value): pages.source_quotes(view, [m], lang, local_href)
                       for m in as_member},
        "member_of": sorted(member_of, key=lambda r: pages.sort_key(r.other.label.text, lang)),
        "network": network,
        "sparql_href": sparql_href(prepared_query(doc.topic, bool(grouped))),
        "alternates": [(f.label, f"/doc/{slug}.{f.extension}", f.media_type)
                       for f in DOCUMENT_FORMATS if f is not HTML],
        "schema_org": pages.json_for_script(json.dumps(
            organization_jsonld(view, topic, lang, members, member_of), ensure_ascii=False,
            indent=1)) if is_org else None,
    }
    return render_template("resource.html", **context).encode("utf-8")


def organization_jsonld(view: pages.GraphView, topic: ox.NamedNode, lang: str,
                        members: list[pages.MemberRow], member_of: list[pages.MemberRow]
                        ) -> dict[str, Any]:
    """schema.org ``Organization`` for search engines (English names: schema.org has no
    language map for ``name``; the page's own language is in ``inLanguage``)."""
    root = request.host_url.rstrip("/")
    body: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": topic.value,
        "name": view.label(topic, "en").text,
        "url": root + local_href(topic.value).split("?")[0],
    }
    alt = sorted({lit.value for lit in view.literals(
        topic, "http://www.w3.org/2004/02/skos/core#altLabel")})
    if alt:
        body["alternateName"] = alt
    desc = pages.pick_literal(view.literals(topic, "http://purl.org/dc/terms/description"),
                              "en")
    if desc:
        body["description"] = desc.text
    countries = [pages.country_name(c.value, "en").text
                 for c in view.objects(topic, pages.COUNTRY_PROPERTY)
                 if isinstance(c, ox.NamedNode)]
    if countries:
        body["address"] = [{"@type": "PostalAddress", "addressCountry": c} for c in countries]
    if member_of:
        body["memberOf"] = [{"@type": "Organization", "name": r.other.label.text,
                             "url": root + (r.other.href or "")} for r in member_of]
    if members:
        body["member"] = [{"@type": "Organization", "name": r.other.label.text,
                           "url": root + (r.other.href or "")} for r in members]
    return body


def ontology_titles() -> list[ox.Triple]:
    """The ontology's titles, so that a page naming the ontology (ASTRA publishes it) says
    its name in the page language."""
    def build() -> list[ox.Triple]:
        try:
            doc = site().answers.ontology_document()
        except UnknownResource:
            return []
        onto = describe.ontology_iri(site().settings.base_iri)
        return [t for t in doc.triples if t.subject.value == onto
                and t.predicate.value == "http://purl.org/dc/terms/title"]

    return cached(("ontology-titles",), build)


def declared_inverses() -> dict[str, str]:
    """Property → its inverse, both ways, as the dataset's ontology declares them
    (``owl:inverseOf``); other vocabularies' pairs are in
    :data:`ngo_ld.pages.vocabulary.INVERSES`."""
    def build() -> dict[str, str]:
        try:
            doc: describe.Document | None = site().answers.ontology_document()
        except UnknownResource:
            doc = None
        pairs: dict[str, str] = {}
        for t in doc.triples if doc is not None else ():
            if (t.predicate.value == "http://www.w3.org/2002/07/owl#inverseOf"
                    and isinstance(t.object, ox.NamedNode)):
                pairs[t.subject.value] = t.object.value
                pairs[t.object.value] = t.subject.value
        return pairs

    return cached(("declared-inverses",), build)


# ------------------------------------------------------------------------------------
# Landing page
# ------------------------------------------------------------------------------------


@blueprint.route("/", methods=["GET", "HEAD"])
def landing() -> Response:
    lang, explicit = page_language()
    rep = representation(("landing", lang, explicit, request.host_url), HTML.content_type,
                         lambda: render_landing(lang))
    return send(rep, vary=["Accept-Language"], headers={"Content-Language": lang})


def render_landing(lang: str) -> bytes:
    from .dumps import dump_listing

    s = site()
    base = s.settings.base_iri
    rows = cached(("collaborations",), lambda: describe.collaborations(s.store, base))
    description = s.answers.void_triples(request.host_url)
    titles = describe.dataset_titles(description, base)
    dct = "http://purl.org/dc/terms/"
    keep = latin_names()
    title = pages.pick_literal(titles.get(f"{dct}title", []), lang, keep=keep)
    collabs = []
    for c in rows:
        label = pages.pick_literal(c.labels, lang, keep=keep) or pages.PageLabel(c.slug, "")
        collabs.append({
            "label": label,
            "href": here(f"/id/{c.slug}"),
            "acronyms": [a for a in pages.other_names(c.alt_labels, lang, keep=keep)
                         if a.text != label.text],
            "kinds": [k for k in (pages.pick_literal(k, lang, keep=keep) for k in c.kinds) if k],
            "roles": [r for r in (pages.pick_literal(r, lang, keep=keep) for r in c.roles) if r],
            "since": pages.dates_text(c.since[0], "", lang) if c.since else "",
            "members": c.members,
            "declared": c.declared or (pages.pick_literal(c.declared_text, lang, keep=keep)
                                       or ""),
        })
    dumps = dump_listing()
    root = request.host_url
    schema = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": describe.dataset_iri(base),
        "name": pages.pick_literal(titles.get(f"{dct}title", []), "en").text  # type: ignore[union-attr]
        if titles.get(f"{dct}title") else pages.ui_strings("en")["site_full"],
        "description": (pages.pick_literal(titles.get(f"{dct}description", []), "en")
                        or pages.PageLabel(pages.ui_strings("en")["site_full"], "")).text,
        "url": root,
        "inLanguage": ["en", "sr-Latn"],
        "license": "All rights reserved © ASTRA",
        "creditText": "All rights reserved © ASTRA",
        "isBasedOn": describe_path(f"{base}id/source-page"),
        "creator": {"@type": "Organization", "name": "ASTRA", "url": root + "id/astra"},
        "distribution": [{"@type": "DataDownload", "encodingFormat": d["media_type"],
                          "contentUrl": root + d["href"].lstrip("/")} for d in dumps],
    }
    if schema["isBasedOn"].startswith("/"):
        schema["isBasedOn"] = root + schema["isBasedOn"].lstrip("/")
    source = f"{base}id/source-page"
    source_view = pages.GraphView(cached(("source-labels",),
                                         lambda: describe.labels_of(s.store, [source])), keep=keep)
    context = {
        "title": title or pages.PageLabel(pages.ui_strings(lang)["site_full"], lang),
        "collaborations": sorted(collabs, key=lambda c: pages.sort_key(c["label"].text, lang)),
        "network": pictures.overview(lang, keep, local_href),
        "dumps": dumps,
        "source_href": local_href(source),
        "source_label": source_view.label(ox.NamedNode(source), lang),
        "schema_org": pages.json_for_script(json.dumps(schema, ensure_ascii=False, indent=1)),
    }
    return render_template("landing.html", **context).encode("utf-8")


# ------------------------------------------------------------------------------------
# The ontology (hash namespace: terms resolve to the ontology document)
# ------------------------------------------------------------------------------------


@blueprint.route("/ontology", methods=["GET", "HEAD"])
def ontology() -> Response:
    """The ontology IRI: see other, at the representation ``Accept`` asks for."""
    fmt = chosen_format(DOCUMENT_FORMATS, None, stem="/ontology")
    query = f"?{urlencode({'lang': request.args['lang']})}" if "lang" in request.args else ""
    response = redirect(f"/ontology.{fmt.extension}{query}", 303)
    response.vary.add("Accept")
    response.headers["Link"] = link_header("/ontology", DOCUMENT_FORMATS)
    return response


@blueprint.route("/ontology/<version>", methods=["GET", "HEAD"])
def ontology_version(version: str) -> Response:
    """``owl:versionIRI`` ``{base}ontology/{version}``: the current version only."""
    if not site().answers.has_ontology_version(version):
        raise UnknownResource(f"no ontology version {version!r}")
    return redirect("/ontology", 303)


@blueprint.route("/ontology.<ext>", methods=["GET", "HEAD"])
def ontology_file(ext: str) -> Response:
    fmt = chosen_format(DOCUMENT_FORMATS, ext)
    alternates = link_header("/ontology", DOCUMENT_FORMATS, served=fmt)
    answers = site().answers
    try:
        doc = answers.ontology_document()
    except UnknownResource as exc:
        raise exc.told_in(fmt, alternates) from None
    headers = {"Link": alternates}
    if fmt.kind == "html":
        lang, explicit = page_language()
        headers["Content-Language"] = lang
        rep = representation(("ontology-html", lang, explicit), HTML.content_type,
                             lambda: render_ontology(doc, lang))
        return send(rep, vary=["Accept-Language"], headers=headers)
    return send(answers.ontology(fmt), headers=headers)


def site_prefixes() -> dict[str, str]:
    """The prefixes this site abbreviates IRIs with: the project's own ones under the
    configured base, and the well-known vocabularies'."""
    base = site().settings.base_iri
    return {**PREFIXES, "ngo": f"{base}id/", "ngold": f"{base}ontology#"}


def render_ontology(doc: describe.Document, lang: str) -> bytes:
    view = pages.GraphView(doc.triples, keep=latin_names())
    prefixes = site_prefixes()
    base = site().settings.base_iri
    onto = ox.NamedNode(describe.ontology_iri(base))
    owl = "http://www.w3.org/2002/07/owl#"
    rdfs = "http://www.w3.org/2000/01/rdf-schema#"
    classes, properties = [], []
    for subject in sorted((s for s in view.out if isinstance(s, ox.NamedNode)
                           and s.value.startswith(f"{onto.value}#")), key=lambda n: n.value):
        types = view.types(subject)
        term = subject.value.split("#", 1)[1]
        labels = view.literals(subject, f"{rdfs}label")
        comments = view.literals(subject, f"{rdfs}comment")
        is_class = f"{owl}Class" in types or f"{rdfs}Class" in types
        entry = {
            "term": term,
            "sentences": term_sentences(view, subject.value, lang, local_href, prefixes,
                                        is_class=is_class),
            "iri": subject.value,
            "label": view.label(subject, lang),
            "labels": pages.names(view, subject, lang) or [pages.PageLabel(lab.value, "")
                                                           for lab in labels],
            "comments": [(prose(pages.PageLabel(c.value, pages.display_tag(c.language)),
                                prefixes), pages.display_tag(c.language))
                         for c in sorted(comments, key=lambda c: (c.language or ""))],
            "types": [pages.Link(view.label(ox.NamedNode(t), lang), local_href(t))
                      for t in types],
            "facts": pages.facts(view, subject, lang, local_href,
                                 skip={f"{rdfs}label", f"{rdfs}comment", f"{rdfs}isDefinedBy",
                                       *SAID_IN_SENTENCES}),
        }
        if is_class:
            classes.append(entry)
        else:
            properties.append(entry)
    context = {
        "title": pages.pick_literal(view.literals(onto, "http://purl.org/dc/terms/title"), lang,
                                    keep=view.keep)
        or pages.PageLabel(pages.ui_strings(lang)["ontology"], lang),
        "iri": onto.value,
        "descriptions": pages.literals_for_language(
            view.literals(onto, "http://purl.org/dc/terms/description"), lang,
            keep=view.keep),
        "facts": pages.facts(view, onto, lang, local_href,
                             skip={"http://purl.org/dc/terms/title"}),
        "classes": classes,
        "properties": properties,
        "alternates": [(f.label, f"/ontology.{f.extension}", f.media_type)
                       for f in DOCUMENT_FORMATS if f is not HTML],
    }
    return render_template("ontology.html", **context).encode("utf-8")


# ------------------------------------------------------------------------------------
# The validation report of the data being served
# ------------------------------------------------------------------------------------


@blueprint.route("/validation", methods=["GET", "HEAD"])
@blueprint.route("/validation.<ext>", methods=["GET", "HEAD"])
def validation(ext: str | None = None) -> Response:
    """The SHACL report of the data being served, as HTML, Turtle or JSON."""
    fmt = chosen_format(VALIDATION_FORMATS, ext, stem="/validation")
    s = site()
    outcome, fresh = s.answers.validation_outcome(s.validation)
    headers = {"Link": link_header("/validation", VALIDATION_FORMATS, served=fmt)}
    vary = ["Accept"] if ext is None else []
    if ext is None:
        headers["Content-Location"] = f"/validation.{fmt.extension}"
    if fmt.kind == "html":
        lang, explicit = page_language()
        vary.append("Accept-Language")
        rep = representation(("validation", outcome.data_version, outcome.ran_at, fmt.token,
                              lang, explicit), fmt.content_type,
                             lambda: render_validation(outcome, fresh, lang))
    else:
        rep = s.answers.validation_report(outcome, fmt)
    return send(rep, vary=vary, headers=headers, max_age=300)


def render_validation(outcome: ValidationOutcome, fresh: bool, lang: str) -> bytes:
    base = site().settings.base_iri
    ngo_prefix = "ngo:"

    def focus_href(focus: str) -> str | None:
        if focus.startswith(ngo_prefix):
            return here(f"/id/{focus[len(ngo_prefix):]}")
        if focus.startswith(f"<{base}"):
            return local_href(focus[1:-1])
        return None

    results = [{"r": r, "focus_href": focus_href(r.focus)} for r in outcome.results]
    by_severity = pages.group_counts(r.severity for r in outcome.results)
    started = datetime.fromtimestamp(site().started_at, UTC).isoformat(timespec="seconds")
    return render_template("validation.html", outcome=outcome, fresh=fresh, results=results,
                           by_severity=by_severity, started=started,
                           remembered=not fresh and outcome.ran_at < started,
                           alternates=[("Turtle", "/validation.ttl", "text/turtle"),
                                       ("JSON", "/validation.json", "application/json")]
                           ).encode("utf-8")


# ------------------------------------------------------------------------------------
# For crawlers
# ------------------------------------------------------------------------------------


@blueprint.route("/sitemap.xml", methods=["GET", "HEAD"])
def sitemap() -> Response:
    """Every HTML page, with its other-language versions as ``hreflang`` alternates."""
    root = request.host_url.rstrip("/")

    def build() -> bytes:
        slugs = describe.thing_slugs(site().store, site().settings.base_iri)
        paths = ["/", "/ontology.html", "/sparql", "/validation", "/organisations",
                 "/organisations/by-country"]
        paths += [f"/doc/{slug}.html" for slug in slugs if slug not in DESCRIPTION_SLUGS]
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                 'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
        for path in paths:
            lines.append(f"  <url><loc>{root}{path}</loc>")
            if path != "/sparql":
                for code in pages.LANGUAGES:
                    lines.append(f'    <xhtml:link rel="alternate" hreflang="{code}" '
                                 f'href="{root}{path}?lang={code}"/>')
            lines.append("  </url>")
        lines.append("</urlset>")
        return ("\n".join(lines) + "\n").encode("utf-8")

    rep = representation(("sitemap", root), "application/xml; charset=utf-8", build)
    return send(rep)


@blueprint.route("/robots.txt", methods=["GET", "HEAD"])
def robots() -> Response:
    root = request.host_url.rstrip("/")
    body = ("User-agent: *\n"
            "Allow: /\n"
            "# Query results are endless; crawl the pages and dumps instead.\n"
            "Disallow: /sparql?\n"
            "Disallow: /search\n"
            "Disallow: /reconcile\n"
            f"Sitemap: {root}/sitemap.xml\n")
    response = Response(body, content_type="text/plain; charset=utf-8")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response

