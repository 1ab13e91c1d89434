"""Synthetic ORG data for the scale sweep (bench/run.py --sweep).

:func:`write_home` writes a complete home folder — the project's own data/, ontology/,
shapes/ and metadata/, plus ``data/synthetic/`` — that ``ngo-ld --home DIR serve`` serves
and ``ngo-ld --home DIR validate`` checks. The synthetic part follows the model of the real
data (data/collaborations/*.ttl): organisations with English and Serbian (sr-Latn) names
that use č ć š ž đ, a country from the EU authority table, fields of work; collaborations
with a kind, purposes and regions; memberships with a role, and a start date as precise as
a page would give it (year, year-month or date), plus the ``org:memberOf`` /
``org:hasMember`` shortcuts.

The output depends only on ``triples`` and ``seed``: the same arguments give the same bytes
(a seeded :class:`random.Random`, no clock, no set iteration). The size is a target, met to
within about one collaboration's worth of triples.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .config import SOURCE_FOLDERS, Settings
from .loading import content_hash, source_files
from .namespaces import turtle_prologue

PREFIXES_TTL = turtle_prologue()

# Words for names, each as (Serbian, English). Serbian words carry the diacritics the
# generator must exercise (č ć š ž đ).
_KINDS_OF_BODY = [
    ("Udruženje", "Association"), ("Centar", "Centre"), ("Fondacija", "Foundation"),
    ("Savez", "Union"), ("Društvo", "Society"), ("Inicijativa", "Initiative"),
    ("Kuća", "House"), ("Mreža", "Network"), ("Služba", "Service"),
]
_ADJECTIVES = [
    ("ženski", "Women's"), ("građanski", "Civic"), ("dečji", "Children's"),
    ("južni", "Southern"), ("severni", "Northern"), ("međunarodni", "International"),
    ("omladinski", "Youth"), ("ljudskopravni", "Human Rights"), ("pravni", "Legal"),
    ("zdravstveni", "Health"), ("socijalni", "Social"), ("čovekoljubivi", "Humanitarian"),
]
_TOPICS = [
    ("za pomoć žrtvama", "for Victim Support"), ("za zaštitu dece", "for Child Protection"),
    ("za prava migranata", "for Migrant Rights"), ("protiv trgovine ljudima",
                                                     "against Human Trafficking"),
    ("za rodnu ravnopravnost", "for Gender Equality"), ("za mir i pomirenje",
                                                         "for Peace and Reconciliation"),
    ("za pravnu pomoć", "for Legal Aid"), ("za bezbednost žena", "for Women's Safety"),
    ("za osnaživanje mladih", "for Youth Empowerment"), ("za podršku porodici",
                                                          "for Family Support"),
]
_PLACES = [
    "Beograd", "Niš", "Novi Sad", "Kragujevac", "Čačak", "Šabac", "Užice", "Požarevac",
    "Subotica", "Zaječar", "Kruševac", "Smederevo", "Vršac", "Đakovica", "Pančevo", "Sombor",
    "Leskovac", "Šid", "Bečej", "Ćuprija", "Žagubica", "Kovačica",
]
_COLLAB_WORDS = [
    ("Mreža", "Network", "kind-network"), ("Koalicija", "Coalition", "kind-coalition"),
    ("Platforma", "Platform", "kind-platform"), ("Inicijativa", "Initiative",
                                                  "kind-initiative"),
    ("Alijansa", "Alliance", "kind-alliance"), ("Federacija", "Federation", "kind-federation"),
    ("Program", "Programme", "kind-programme"), ("Projekat", "Project", "kind-project"),
]
_COUNTRIES = ["SRB", "BIH", "HRV", "MNE", "MKD", "ALB", "SVN", "BGR", "ROU", "HUN", "AUT",
              "DEU", "FRA", "ITA", "GRC", "NLD", "BEL", "ESP", "POL", "CZE", "SWE", "GBR"]
_ROLES = ["role-member", "role-member", "role-member", "role-partner", "role-associate",
          "role-founder", "role-lead-organisation"]
_FIELDS = ["field-trafficking-in-human-beings", "field-victim-assistance",
           "field-missing-children", "field-human-rights", "field-migrant-rights"]
_REGIONS = ["region-europe", "region-western-balkans", "region-mediterranean-basin",
            "region-worldwide"]
_ROLE_LABELS = {
    "role-member": ("member", "član"), "role-partner": ("partner", "partner"),
    "role-associate": ("associate", "saradnička organizacija"),
    "role-founder": ("founder", "osnivač"),
    "role-lead-organisation": ("lead organisation", "vodeća organizacija"),
}
_TRANSLIT = str.maketrans({"č": "c", "ć": "c", "š": "s", "ž": "z", "đ": "dj", "Č": "c",
                           "Ć": "c", "Š": "s", "Ž": "z", "Đ": "dj"})

#: Average triples per organisation once its share of memberships and collaborations is
#: counted (measured on the generator's own output); used only to size the first guess.
_TRIPLES_PER_ORGANISATION = 51


def slugify(text: str) -> str:
    """Lower-case ASCII slug of a Serbian name.

    >>> slugify("Udruženje za pomoć žrtvama – Đakovica")
    'udruzenje-za-pomoc-zrtvama-djakovica'
    """
    ascii_text = text.lower().translate(_TRANSLIT)
    out, dash = [], False
    for ch in ascii_text:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def _lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


@dataclass(frozen=True)
class Organisation:
    slug: str
    name_sr: str
    name_en: str
    acronym: str
    country: str
    field: str


def _organisations(rng: random.Random, count: int) -> list[Organisation]:
    orgs = []
    for i in range(count):
        body_sr, body_en = rng.choice(_KINDS_OF_BODY)
        adj_sr, adj_en = rng.choice(_ADJECTIVES)
        topic_sr, topic_en = rng.choice(_TOPICS)
        place = rng.choice(_PLACES)
        # Serbian adjectives agree with the noun's gender: good enough for test data.
        name_sr = f"{adj_sr.capitalize()} {body_sr.lower()} {topic_sr} {place} {i + 1}"
        name_en = f"{adj_en} {body_en} {topic_en}, {place} {i + 1}"
        acronym = "".join(w[0] for w in name_sr.split()[:3]).upper() + str(i + 1)
        orgs.append(Organisation(
            slug=f"syn-org-{i + 1:06d}-{slugify(place)}",
            name_sr=name_sr, name_en=name_en, acronym=acronym,
            country=rng.choice(_COUNTRIES), field=rng.choice(_FIELDS)))
    return orgs


def _organisation_ttl(o: Organisation) -> str:
    return (
        f"ngo:{o.slug} a org:Organization , org:FormalOrganization ;\n"
        f"    skos:prefLabel {_lit(o.name_en, 'en')} , {_lit(o.name_sr, 'sr-Latn')} ;\n"
        f"    skos:altLabel {_lit(o.acronym)} ;\n"
        f"    schema:addressCountry euc:{o.country} ;\n"
        f"    ngold:fieldOfWork ngo:{o.field} ;\n"
        f"    prov:wasDerivedFrom ngo:source-page .\n\n"
    )


def _start_date(rng: random.Random) -> tuple[str, str]:
    year = rng.randint(1995, 2024)
    precision = rng.random()
    if precision < 0.4:
        return "time:inXSDgYear", f'"{year}"^^xsd:gYear'
    month = rng.randint(1, 12)
    if precision < 0.8:
        return "time:inXSDgYearMonth", f'"{year}-{month:02d}"^^xsd:gYearMonth'
    return "time:inXSDDate", f'"{year}-{month:02d}-{rng.randint(1, 28):02d}"^^xsd:date'


def _collaboration_ttl(rng: random.Random, number: int, members: list[Organisation]
                       ) -> str:
    word_sr, word_en, kind = rng.choice(_COLLAB_WORDS)
    topic_sr, topic_en = rng.choice(_TOPICS)
    place = rng.choice(_PLACES)
    name_sr = f"{word_sr} {topic_sr} {place} {number}"
    name_en = f"{word_en} {topic_en}, {place} {number}"
    slug = f"syn-collab-{number:05d}-{slugify(word_sr)}"
    acronym = "".join(w[0] for w in name_en.split()[:3]).upper() + str(number)
    region = rng.choice(_REGIONS)
    parts = [
        f"ngo:{slug} a org:Organization , org:OrganizationalCollaboration ;\n"
        f"    skos:prefLabel {_lit(name_en, 'en')} , {_lit(name_sr, 'sr-Latn')} ;\n"
        f"    skos:altLabel {_lit(acronym)} ;\n"
        f"    org:classification ngo:{kind} ;\n"
        f"    dcterms:description {_lit(f'A synthetic {word_en.lower()} of {len(members)} organisations working {topic_en}.', 'en')} ,\n"  # noqa: E501
        f"        {_lit(f'Sintetička {word_sr.lower()} sa {len(members)} organizacija koja radi {topic_sr}.', 'sr-Latn')} ;\n"  # noqa: E501
        f"    org:purpose {_lit(f'Working together {topic_en}', 'en')} ,\n"
        f"        {_lit(f'Zajednički rad {topic_sr}', 'sr-Latn')} ;\n"
        f"    ngold:memberCount ngo:{slug}-member-count ;\n"
        f"    dcterms:spatial ngo:{region} ;\n"
        f"    prov:wasDerivedFrom ngo:source-page .\n\n"
        f"ngo:{slug}-member-count a schema:QuantitativeValue ;\n"
        f"    skos:prefLabel {_lit(f'{name_en}: number of members', 'en')} ,\n"
        f"        {_lit(f'{name_sr}: broj članova', 'sr-Latn')} ;\n"
        f"    schema:value {len(members)} ;\n"
        f"    prov:wasDerivedFrom ngo:source-page .\n\n"
    ]
    for org in members:
        role = rng.choice(_ROLES)
        role_en, role_sr = _ROLE_LABELS[role]
        m = f"membership-{slug}-{org.slug}"
        pair_en = f"{org.name_sr} – {name_en}"
        pair_sr = f"{org.name_sr} – {name_sr}"
        prop, value = _start_date(rng)
        parts.append(
            f"ngo:{m} a org:Membership ;\n"
            f"    skos:prefLabel {_lit(f'Membership: {pair_en} ({role_en})', 'en')} ,\n"
            f"        {_lit(f'Članstvo: {pair_sr} ({role_sr})', 'sr-Latn')} ;\n"
            f"    org:member ngo:{org.slug} ;\n"
            f"    org:organization ngo:{slug} ;\n"
            f"    org:role ngo:{role} ;\n"
            f"    org:memberDuring ngo:{m}-interval ;\n"
            f"    ngold:impliedBySource false ;\n"
            f"    prov:wasDerivedFrom ngo:source-page .\n\n"
            f"ngo:{m}-interval a time:Interval ;\n"
            f"    skos:prefLabel {_lit(f'Membership period: {pair_en}', 'en')} ,\n"
            f"        {_lit(f'Trajanje članstva: {pair_sr}', 'sr-Latn')} ;\n"
            f"    time:hasBeginning ngo:{m}-start ;\n"
            f"    prov:wasDerivedFrom ngo:source-page .\n\n"
            f"ngo:{m}-start a time:Instant ;\n"
            f"    skos:prefLabel {_lit(f'Start of membership: {pair_en}', 'en')} ,\n"
            f"        {_lit(f'Početak članstva: {pair_sr}', 'sr-Latn')} ;\n"
            f"    {prop} {value} ;\n"
            f"    prov:wasDerivedFrom ngo:source-page .\n\n"
            f"ngo:{slug} org:hasMember ngo:{org.slug} .\n"
            f"ngo:{org.slug} org:memberOf ngo:{slug} .\n\n"
        )
    return "".join(parts)


def generate(triples: int, *, seed: int = 5) -> Iterator[tuple[str, str]]:
    """(file stem, Turtle text) pairs holding about ``triples`` synthetic triples."""
    rng = random.Random(seed)
    n_orgs = max(4, triples // _TRIPLES_PER_ORGANISATION)
    orgs = _organisations(rng, n_orgs)
    yield "synthetic-organisations", PREFIXES_TTL + "\n" + "".join(
        _organisation_ttl(o) for o in orgs)
    # Collaborations of 4–40 members drawn from all organisations: on average each
    # organisation belongs to two collaborations.
    budget = 2 * n_orgs
    chunks, number = [PREFIXES_TTL, "\n"], 0
    while budget > 0:
        number += 1
        size = min(budget, rng.randint(4, 40), len(orgs))
        members = sorted(rng.sample(orgs, size), key=lambda o: o.slug)
        chunks.append(_collaboration_ttl(rng, number, members))
        budget -= size
    yield "synthetic-collaborations", "".join(chunks)


def write_home(target: Path, triples: int, *, source: Settings | None = None,
               seed: int = 5) -> Path:
    """Write a home folder of about ``triples`` triples at ``target``: the project's own
    data/, ontology/, shapes/ and metadata/ (from ``source``), plus data/synthetic/.

    The real data stays in, so every IRI the project's own pages and queries use exists;
    the synthetic part is sized so the total is close to ``triples``.
    """
    source = source or Settings()
    target.mkdir(parents=True, exist_ok=True)
    for folder in SOURCE_FOLDERS:
        src = source.home / folder
        dst = target / folder
        if dst.exists():
            shutil.rmtree(dst)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("synthetic"))
        else:
            dst.mkdir()
    real = _count_triples(source_files(source.but(home=target)))
    out = target / "data" / "synthetic"
    out.mkdir(parents=True, exist_ok=True)
    for stem, text in generate(max(0, triples - real), seed=seed):
        (out / f"{stem}.ttl").write_text(text, encoding="utf-8")
    version = content_hash(source_files(source.but(home=target)))
    (target / "SYNTHETIC.txt").write_text(
        f"Synthetic ngo_ld home: about {triples} triples (seed {seed}), written by "
        f"`ngo-ld synth`. data/synthetic/ is made up; everything else is a copy of the "
        f"project's own files.\nData version: {version}\n", encoding="utf-8")
    return target


def _count_triples(files: list[Path]) -> int:
    import pyoxigraph as ox

    from .loading import RDF_SUFFIXES

    return sum(sum(1 for _ in ox.parse(path=str(p), format=RDF_SUFFIXES[p.suffix]))
               for p in files)
