"""The Linked Data blueprint: every IRI under the base dereferences (CONTRACT §2, §4).

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
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request

from .. import describe, pages
from ..errors import UnknownResource
from ..formats import (
    DOCUMENT_FORMATS,
    DUMP_FORMATS,
    HTML,
    REPORT_JSON,
    TURTLE,
    Format,
    negotiate,
)
from ..namespaces import slug_of
from ..validation import ValidationOutcome
from .caching import Representation, cached, representation, send
from .language import here, latin_names, local_href, page_language
from .negotiation import chosen_format, link_header
from .site import site

blueprint = Blueprint("resources", __name__)

DOC_EXTENSIONS = {f.extension: f for f in DOCUMENT_FORMATS}
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
    fmt = (DOC_EXTENSIONS.get(extension) if extension is not None
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
    if extension is not None and extension not in DOC_EXTENSIONS:
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
    view = pages.GraphView(doc.triples, keep=latin_names())
    topic = ox.NamedNode(doc.topic)
    types = view.types(topic)
    ui = pages.ui_strings(lang)
    focus = describe.FOCUS_SLUG
    focus_iri = f"{base}id/{focus}"
    members = pages.memberships_of(view, topic, as_="organization", lang=lang,
                                   href=local_href, focus=focus_iri)
    member_of = pages.memberships_of(view, topic, as_="member", lang=lang, href=local_href,
                                     focus=focus_iri)
    grouped = pages.group_by_role(members, lang)
    title = view.label(topic, lang)
    picture = None
    if grouped:
        picture = pages.collaboration_svg(
            f"{title.text}: {ui['members_by_role']}", pages.role_groups_for_svg(grouped, lang))
    place = place_picture(lang) if slug == focus else None
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
                                   skip=skip_in if (members or member_of) else ()),
        "member_groups": grouped,
        "topic_quotes": pages.source_quotes(view, [topic], lang, local_href),
        "member_quotes": pages.source_quotes(view, as_organization, lang, local_href),
        "row_quotes": {local_href(m.value): pages.source_quotes(view, [m], lang, local_href)
                       for m in as_member},
        "member_of": sorted(member_of, key=lambda r: r.other.label.text.casefold()),
        "picture": picture,
        "place": place,
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


def place_picture(lang: str) -> Any:
    """ASTRA among its collaborations (SVG), for ASTRA's page and the landing page."""
    s = site()
    base = s.settings.base_iri
    ui = pages.ui_strings(lang)
    rows = cached(("collaborations",), lambda: describe.collaborations(s.store, base))
    try:
        focus_doc: describe.Document | None = s.answers.thing_document(describe.FOCUS_SLUG)
    except UnknownResource:
        focus_doc = None
    keep = latin_names()
    centre_label = "ASTRA"
    if focus_doc is not None:
        centre_label = pages.GraphView(focus_doc.triples, keep=keep).label(
            ox.NamedNode(focus_doc.topic), lang).text
    spokes = []
    for c in rows:
        label = pages.pick_literal(c.labels, lang, keep=keep)
        role = pages.pick_literal(c.roles[0], lang, keep=keep) if c.roles else None
        spokes.append(pages.Spoke(
            node=pages.Node(label.text if label else c.slug, here(f"/id/{c.slug}")),
            members=c.members, role=role.text if role else "",
            since=pages.format_date(c.since[0], lang) if c.since else ""))
    centre = pages.Node(centre_label, here(f"/id/{describe.FOCUS_SLUG}"))
    return pages.place_svg(ui["astra_place"], centre, spokes)


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
        label = pages.pick_literal(c.labels, lang, keep=keep)
        collabs.append({
            "label": label or pages.PageLabel(c.slug, ""),
            "href": here(f"/id/{c.slug}"),
            "acronyms": sorted({a.value for a in c.alt_labels}),
            "kinds": [k for k in (pages.pick_literal(k, lang, keep=keep) for k in c.kinds) if k],
            "roles": [r for r in (pages.pick_literal(r, lang, keep=keep) for r in c.roles) if r],
            "since": ", ".join(pages.format_date(d, lang) for d in c.since),
            "members": c.members,
            "declared": c.declared or (pages.pick_literal(c.declared_text, lang, keep=keep)
                                       or ""),
        })
    dumps = []
    for fmt in DUMP_FORMATS:
        rep: Representation = s.answers.dump_in(fmt)
        dumps.append({"label": fmt.label, "href": f"/dumps/ngo-ld.{fmt.extension}",
                      "media_type": fmt.media_type, "size": len(rep.body),
                      "gzip_size": len(rep.gzipped())})
    root = request.host_url
    schema = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": describe.dataset_iri(base),
        "name": pages.pick_literal(titles.get(f"{dct}title", []), "en").text  # type: ignore[union-attr]
        if titles.get(f"{dct}title") else "ngo_ld",
        "description": (pages.pick_literal(titles.get(f"{dct}description", []), "en")
                        or pages.PageLabel("ngo_ld", "")).text,
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
    context = {
        "title": title or pages.PageLabel("ngo_ld", ""),
        "descriptions": pages.literals_for_language(titles.get(f"{dct}description", []), lang,
                                                    keep=keep),
        "collaborations": collabs,
        "place": place_picture(lang),
        "dumps": dumps,
        "source_href": here("/id/source-page"),
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


def render_ontology(doc: describe.Document, lang: str) -> bytes:
    view = pages.GraphView(doc.triples, keep=latin_names())
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
        entry = {
            "term": term,
            "iri": subject.value,
            "label": view.label(subject, lang),
            "labels": pages.names(view, subject, lang) or [pages.PageLabel(lab.value, "")
                                                           for lab in labels],
            "comment": pages.pick_literal(comments, lang, keep=view.keep),
            "comments": [pages.PageLabel(c.value, pages.display_tag(c.language))
                         for c in sorted(comments, key=lambda c: (c.language or ""))],
            "types": [pages.Link(view.label(ox.NamedNode(t), lang), local_href(t))
                      for t in types],
            "facts": pages.facts(view, subject, lang, local_href,
                                 skip={f"{rdfs}label", f"{rdfs}comment",
                                       f"{rdfs}isDefinedBy"}),
        }
        if f"{owl}Class" in types or f"{rdfs}Class" in types:
            classes.append(entry)
        else:
            properties.append(entry)
    context = {
        "title": pages.pick_literal(view.literals(onto, "http://purl.org/dc/terms/title"), lang,
                                    keep=view.keep)
        or pages.PageLabel("ngo_ld ontology", "en"),
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
    return render_template("validation.html", outcome=outcome, fresh=fresh, results=results,
                           by_severity=by_severity,
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

