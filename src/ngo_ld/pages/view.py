"""A view over a document's triples (:class:`GraphView`), and the page models built from
it: memberships, facts, incoming statements, names.

Its own module because it is where the other parts meet: it reads a graph and uses the
languages, labels, countries, words and pictures to hand templates ready rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from .collation import sort_key
from .countries import COUNTRY_PROPERTY, country_code, country_name
from .cyrillic import LatinPhrases, _tag, cyrillic, to_cyrillic
from .inverses import fallback_phrase, table_phrase
from .labels import _SERBIAN_TAGS, PageLabel, _same_elsewhere, local_name, pick_literal
from .languages import display_tag
from .strings import format_date, ui_strings
from .vocabulary import (
    _DCT,
    _ORG,
    _RDF_TYPE,
    _RDFS,
    _SKOS,
    _TIME,
    INVERSES,
    WELL_KNOWN,
    fallback_text,
)

_DATE_PREDICATES = (f"{_TIME}inXSDDate", f"{_TIME}inXSDgYearMonth", f"{_TIME}inXSDgYear",
                    f"{_TIME}inXSDDateTimeStamp", f"{_TIME}inXSDDateTime")
#: Roles listed first on a collaboration's page (others follow by label).
ROLE_ORDER = ("role-lead-organisation", "role-founder", "role-partner", "role-associate",
              "role-member")

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class GraphView:
    """Subject and object indexes over a list of pyoxigraph triples, and the phrases that
    its Serbian Cyrillic labels keep in Latin (``keep``, see :func:`foreign_names`)."""

    def __init__(self, triples: Iterable[ox.Triple], *, keep: LatinPhrases | None = None
                 ) -> None:
        self.keep = keep
        self.out: dict[Term, dict[str, list[Term]]] = {}
        self.inc: dict[Term, dict[str, list[Term]]] = {}
        for t in triples:
            self.out.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
            self.inc.setdefault(t.object, {}).setdefault(t.predicate.value, []).append(t.subject)

    def objects(self, s: Term, p: str) -> list[Term]:
        return self.out.get(s, {}).get(p, [])

    def subjects(self, p: str, o: Term) -> list[Term]:
        return self.inc.get(o, {}).get(p, [])

    def value(self, s: Term, p: str) -> Term | None:
        found = self.objects(s, p)
        return found[0] if found else None

    def literals(self, s: Term, p: str) -> list[ox.Literal]:
        return [o for o in self.objects(s, p) if isinstance(o, ox.Literal)]

    def label(self, node: Term, lang: str) -> PageLabel:
        """The best label of ``node`` for ``lang`` (a document by its ``dcterms:title``); a
        country name; or its local name."""
        if isinstance(node, ox.Literal):
            return PageLabel(node.value, display_tag(node.language))
        labels = (self.literals(node, f"{_SKOS}prefLabel") or self.literals(node, f"{_RDFS}label")
                  or self.literals(node, f"{_DCT}title"))
        picked = pick_literal(labels, lang, keep=self.keep)
        if picked is not None:
            return picked
        if isinstance(node, ox.NamedNode) and country_code(node.value):
            return country_name(node.value, lang)
        if isinstance(node, ox.NamedNode) and node.value in WELL_KNOWN:
            en, sr = WELL_KNOWN[node.value]
            if lang == "en":
                return PageLabel(en, "en")
            return PageLabel(to_cyrillic(sr) if lang == "sr-Cyrl" else sr, lang)
        return PageLabel(fallback_text(node.value) if isinstance(node, ox.NamedNode) else "…", "")

    def types(self, node: Term) -> list[str]:
        return [o.value for o in self.objects(node, _RDF_TYPE) if isinstance(o, ox.NamedNode)]


def literals_for_language(literals: Sequence[ox.Literal], lang: str, *,
                          keep: LatinPhrases | None = None) -> list[PageLabel]:
    """All values of a multi-valued text property in the best available language
    (e.g. the five purposes of a platform, in Serbian), plus untagged values."""
    tagged = [lit for lit in literals if lit.language]
    plain = [PageLabel(lit.value, "") for lit in literals if not lit.language]
    best = pick_literal(tagged, lang, keep=keep)
    if best is None:
        return plain
    chosen_tag = "sr-latn" if best.lang == "sr-Cyrl" and not any(
        _tag(t) == "sr-cyrl" for t in tagged) else best.lang.lower()
    out = []
    for lit in sorted(tagged, key=lambda v: v.value):
        if _tag(lit) == chosen_tag or (chosen_tag == "sr-latn" and _tag(lit) == "sr"):
            out.append(PageLabel(cyrillic(lit.value, keep), "sr-Cyrl") if lang == "sr-Cyrl"
                       and chosen_tag != "sr-cyrl" else PageLabel(lit.value,
                                                                  display_tag(lit.language)))
    return out + plain


@dataclass(frozen=True)
class Link:
    """A value on a page: a link to a local path (or an external IRI), or plain text."""

    label: PageLabel
    href: str | None = None
    note: str = ""


def date_of(view: GraphView, node: Term | None) -> str:
    """The lexical date of an OWL-Time instant (or "")."""
    if node is None:
        return ""
    for p in _DATE_PREDICATES:
        value = view.value(node, p)
        if isinstance(value, ox.Literal):
            return value.value
    return ""


def membership_dates(view: GraphView, membership: Term) -> tuple[str, str]:
    """(start, end) of a membership, lexical; "" when unknown."""
    start = end = ""
    for interval in view.objects(membership, f"{_ORG}memberDuring"):
        start = start or date_of(view, view.value(interval, f"{_TIME}hasBeginning"))
        end = end or date_of(view, view.value(interval, f"{_TIME}hasEnd"))
    return start, end


def dates_text(start: str, end: str, lang: str) -> str:
    """"since April 2014, until May 2016" in ``lang`` (Serbian: "od aprila 2014.")."""
    ui = ui_strings(lang)
    parts = []
    if start:
        parts.append(f"{ui['since']} {format_date(start, lang, genitive=True)}")
    if end:
        parts.append(f"{ui['until']} {format_date(end, lang, genitive=True)}")
    return ", ".join(parts)


@dataclass
class MemberRow:
    """A member of a collaboration (or a collaboration of a member) on a page."""

    other: Link  # the organisation at the other end
    role: PageLabel
    role_key: str
    countries: list[PageLabel]
    dates: str
    membership_href: str
    highlight: bool = False


def memberships_of(view: GraphView, topic: ox.NamedNode, *, as_: str, lang: str,
                   href: Callable[[str], str], focus: str) -> list[MemberRow]:
    """Memberships where ``topic`` is the ``org:organization`` (``as_="organization"``,
    rows name the members) or the ``org:member`` (rows name the collaborations)."""
    this, other_p = ((f"{_ORG}organization", f"{_ORG}member") if as_ == "organization"
                     else (f"{_ORG}member", f"{_ORG}organization"))
    rows: list[MemberRow] = []
    for m in view.subjects(this, topic):
        if f"{_ORG}Membership" not in view.types(m) and not view.objects(m, other_p):
            continue
        other = view.value(m, other_p)
        role = view.value(m, f"{_ORG}role")
        if other is None:
            continue
        countries = [country_name(c.value, lang) for c in
                     view.objects(other, COUNTRY_PROPERTY)
                     if isinstance(c, ox.NamedNode)]
        start, end = membership_dates(view, m)
        rows.append(MemberRow(
            other=Link(view.label(other, lang), href(other.value)),
            role=view.label(role, lang) if role is not None else PageLabel("—", ""),
            role_key=local_name(role.value) if isinstance(role, ox.NamedNode) else "",
            countries=countries,
            dates=dates_text(start, end, lang),
            membership_href=href(m.value) if isinstance(m, ox.NamedNode) else "",
            highlight=isinstance(other, ox.NamedNode) and other.value == focus,
        ))
    return rows


def role_sort_key(key: str, label: str) -> tuple[int, str]:
    return (ROLE_ORDER.index(key) if key in ROLE_ORDER else len(ROLE_ORDER), label.casefold())


def group_by_role(rows: Sequence[MemberRow], lang: str) -> list[tuple[PageLabel, list[MemberRow]]]:
    """Rows grouped by role (lead, founder, partner, associate, member, others), each group
    sorted by country then name."""
    groups: dict[str, tuple[PageLabel, list[MemberRow]]] = {}
    for row in rows:
        groups.setdefault(row.role_key or row.role.text, (row.role, []))[1].append(row)
    unknown = ui_strings(lang)["unknown_country"]
    ordered = sorted(groups.items(), key=lambda kv: role_sort_key(kv[0], kv[1][0].text))
    out = []
    for _, (label, members) in ordered:
        members.sort(key=lambda r: (r.countries == [], sort_key(
            r.countries[0].text if r.countries else unknown, lang),
            sort_key(r.other.label.text, lang)))
        out.append((label, members))
    return out


# Predicates shown in their own place on a page, not in the generic table.
_SHOWN_APART = {_RDF_TYPE, f"{_SKOS}prefLabel", f"{_SKOS}altLabel", f"{_DCT}description"}


@dataclass
class Fact:
    """One row of the "about" table: a property and its values."""

    prop: Link
    values: list[Link]


def facts(view: GraphView, topic: Term, lang: str, href: Callable[[str], str],
          skip: Iterable[str] = ()) -> list[Fact]:
    """Every outgoing statement of ``topic``, grouped by property, text values in the page
    language, IRIs as links with labels, countries by name."""
    skipped = _SHOWN_APART | set(skip)
    rows: list[Fact] = []
    for p, objects in view.out.get(topic, {}).items():
        if p in skipped:
            continue
        values: list[Link] = []
        literals = [o for o in objects if isinstance(o, ox.Literal)]
        for text in literals_for_language(literals, lang, keep=view.keep):
            values.append(Link(text))
        for o in objects:
            if isinstance(o, ox.NamedNode):
                values.append(Link(view.label(o, lang), href(o.value)))
            elif isinstance(o, ox.BlankNode):
                inner = [f"{view.label(ox.NamedNode(q), lang).text}: "
                         + ", ".join(view.label(v, lang).text for v in vs)
                         for q, vs in view.out.get(o, {}).items()]
                values.append(Link(PageLabel("; ".join(inner) or "…", "")))
        values.sort(key=lambda v: sort_key(v.label.text, lang))
        rows.append(Fact(Link(view.label(ox.NamedNode(p), lang), href(p)), values))
    rows.sort(key=lambda f: sort_key(f.prop.label.text, lang))
    return rows


def inverse_label(view: GraphView, predicate: str, lang: str,
                  inverses: Mapping[str, str] | None = None,
                  phrases: Mapping[str, tuple[str, str]] | None = None) -> PageLabel:
    """How "``topic`` ← predicate — subject" reads from the topic's side
    (:mod:`ngo_ld.pages.inverses`): the inverse property's label where a vocabulary
    declares one (``org:hasMember`` → "member of"; ``inverses``: the dataset's own
    ``owl:inverseOf``), else the table's phrase (``phrases``: the project's terms), else
    a fallback that reads for any label."""
    inverse = (inverses or {}).get(predicate) or INVERSES.get(predicate)
    if inverse is not None:
        return view.label(ox.NamedNode(inverse), lang)
    return (table_phrase(predicate, lang, phrases)
            or fallback_phrase(view.label(ox.NamedNode(predicate), lang), lang))


#: Incoming statements that a page shows elsewhere (the document itself names its topic).
_INCOMING_APART = {"http://xmlns.com/foaf/0.1/primaryTopic"}


def incoming(view: GraphView, topic: Term, lang: str, href: Callable[[str], str],
             skip: Iterable[str] = (), inverses: Mapping[str, str] | None = None,
             phrases: Mapping[str, tuple[str, str]] | None = None) -> list[Fact]:
    """Statements whose object is ``topic``, read from its side: "``topic`` <inverse> of
    <subjects>" (:func:`inverse_label`)."""
    skipped = _INCOMING_APART | set(skip)
    rows = []
    for p, subjects in view.inc.get(topic, {}).items():
        if p in skipped:
            continue
        values = sorted(
            (Link(view.label(s, lang), href(s.value) if isinstance(s, ox.NamedNode) else None)
             for s in subjects), key=lambda v: sort_key(v.label.text, lang))
        rows.append(Fact(Link(inverse_label(view, p, lang, inverses, phrases), href(p)),
                         values))
    rows.sort(key=lambda f: sort_key(f.prop.label.text, lang))
    return rows


def names(view: GraphView, topic: Term, lang: str) -> list[PageLabel]:
    """Every name: preferred labels in each language, then other names; for ``sr-Cyrl``
    the Serbian ones are shown in Cyrillic (and the Latin original stays listed)."""
    out: list[PageLabel] = []
    for p in (f"{_SKOS}prefLabel", f"{_RDFS}label", f"{_SKOS}altLabel"):
        for lit in sorted(view.literals(topic, p), key=lambda v: (_tag(v), v.value)):
            label = PageLabel(lit.value, display_tag(lit.language))
            if label not in out:
                out.append(label)
            if (lang == "sr-Cyrl" and _tag(lit) in _SERBIAN_TAGS
                    and not _same_elsewhere(lit, view.literals(topic, p))):
                cyr = PageLabel(cyrillic(lit.value, view.keep), "sr-Cyrl")
                if cyr not in out:
                    out.append(cyr)
    return out
