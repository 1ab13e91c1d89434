"""Finding things by name: the label index behind search, reconciliation and the indexes.

One :class:`LabelIndex` is built per data version from the store, by four SPARQL queries
(so every backend works the same): the organisations, collaborations, units and concepts,
every label they have (``skos:prefLabel``, ``skos:altLabel``, ``rdfs:label``), their
countries (:func:`countries_query`, the one place that knows which property holds them)
and the collaborations they are members of. Nothing here knows about HTTP.

Matching ignores case, diacritics and punctuation, and reads Cyrillic as Serbian Latin
(:func:`normalise`), so "zenska soba", "ŽENSKA SOBA" and "Женска соба" all find the
organisation whose Croatian name is "Ženska soba". Candidates come from an inverted index
of name tokens (exact, prefix and near spellings), so a query costs the same whatever the
size of the data; each candidate name is then scored (:func:`score_name`) between 0 and 1.

>>> normalise("  Ženska SOBA – Centar ")
'zenska soba centar'
>>> normalise("Женска соба") == normalise("zenska soba")
True
>>> normalise("Women’s Room"), normalise("COMP.ACT")
('womens room', 'comp act')
"""

from __future__ import annotations

import bisect
import difflib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from .pages.countries import COUNTRY_PROPERTY
from .pages.cyrillic import to_latin

ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


#: Kinds of thing, most specific first: the first of an entry's types in this table names
#: its kind.
KINDS: tuple[tuple[str, str], ...] = (
    ("collaboration", f"{ORG}OrganizationalCollaboration"),
    ("unit", f"{ORG}OrganizationalUnit"),
    ("organisation", f"{ORG}FormalOrganization"),
    ("organisation", f"{ORG}Organization"),
    ("concept", f"{SKOS}Concept"),
)
INDEXED_TYPES: tuple[str, ...] = tuple(dict.fromkeys(iri for _, iri in KINDS))
#: Label properties, each with how much a match on it counts (a preferred name most).
LABEL_WEIGHTS: dict[str, float] = {
    f"{SKOS}prefLabel": 1.0,
    f"{SKOS}altLabel": 0.97,
    f"{RDFS}label": 0.95,
}
#: The highest score of a name that is not the query's words (:func:`score_name`): an
#: exact match scores at least 0.98 × the label's weight, always above this.
BEST_INEXACT = 0.9
#: Candidate names scored per query, at most (the best by shared tokens).
MAX_CANDIDATES = 200
#: Words of a query that are looked for (names are shorter; the rest only cost work).
MAX_QUERY_WORDS = 20
#: Vocabulary words a query word may stand for by prefix or near spelling, at most.
MAX_EXPANSIONS = 40
#: How alike two words must be (difflib's ratio) to count as one misspelt.
NEAR_SPELLING = 0.8
#: Contractions that spreadsheets write for whole words ("Anti-Slavery Intl"), after
#: :func:`normalise` ("Int'l" is "intl"); a prefix such as "Int." is matched as typed.
CONTRACTIONS: dict[str, str] = {"intl": "international", "natl": "national",
                                "assn": "association", "dept": "department",
                                "govt": "government"}
#: How well a contraction stands for its word: below the word itself, above a prefix.
CONTRACTION_SIMILARITY = 0.95

_APOSTROPHES = re.compile("['’ʼ‘`´]")
_NOT_WORD = re.compile(r"[\W_]+")
#: Letters that Unicode does not decompose into a base letter and a mark; đ as "dj", the
#: way Serbian is spelled without diacritics ("sudjenje", "Djordjevic").
_FOLD = str.maketrans({"đ": "dj", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i",
                       "þ": "th", "ð": "d", "ħ": "h"})


def normalise(text: str) -> str:
    """``text`` as matching sees it: Cyrillic read as Serbian Latin, case folded, accents
    and other marks removed (đ written dj), apostrophes dropped ("Women’s" = "Womens"), any other
    run of punctuation or space one space."""
    text = to_latin(unicodedata.normalize("NFKC", text)).casefold().translate(_FOLD)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text)
    return _NOT_WORD.sub(" ", text).strip()


def compact(normalised: str) -> str:
    """A normalised name without spaces ("comp act" = "compact")."""
    return normalised.replace(" ", "")


# ------------------------------------------------------------------------------------
# Scoring one name
# ------------------------------------------------------------------------------------


def word_similarity(query_word: str, word: str, last: bool) -> float:
    """How well ``word`` of a name stands for ``query_word``: 1 if it is the same, 0.95 if
    the query word is its contraction (:data:`CONTRACTIONS`), 0.9 if
    it begins with it and it is the query's last word (being typed), up to 0.9 for a near
    spelling of a word of four letters or more, else 0."""
    if query_word == word:
        return 1.0
    if CONTRACTIONS.get(query_word) == word:
        return CONTRACTION_SIMILARITY
    if last and len(query_word) >= 2 and word.startswith(query_word):
        return 0.9  # the word being typed
    if min(len(query_word), len(word)) < 4:
        return 0.0  # short words and acronyms must be spelled right
    ratio = difflib.SequenceMatcher(None, query_word, word, autojunk=False).ratio()
    return ratio * 0.9 if ratio >= NEAR_SPELLING else 0.0


def _string_similarity(query: str, name: str) -> float:
    matcher = difflib.SequenceMatcher(None, query, name, autojunk=False)
    if matcher.real_quick_ratio() <= 0.75 or matcher.quick_ratio() <= 0.75:
        return 0.0  # upper bounds of ratio(), much cheaper
    whole = matcher.ratio()
    return (whole - 0.5) * 1.8 if whole > 0.75 else 0.0  # 0.75 → 0.45, 1 → 0.9


def score_name(query: str, name: str,
               similar: Sequence[dict[str, float]] | None = None) -> float:
    """How well the normalised ``query`` matches the normalised ``name``, from 0 to 1.

    1 for the same words; 0.98 for the same letters spaced otherwise ("compact" for "COMP.
    ACT"); otherwise the share of the query's words found in the name (each word exactly,
    the last one also as a prefix, longer ones also misspelt: :func:`word_similarity`)
    times how much of the name they cover, or the similarity of the whole strings if that
    is higher. At most :data:`BEST_INEXACT` for names that are not the same words.
    ``similar`` gives, for each query word, the similarity of the name words it may stand
    for, worked out once per query (:meth:`LabelIndex.search`); without it, each pair of
    words is compared.

    >>> score_name("la strada", "la strada international") > score_name(
    ...     "la strada", "open gate la strada macedonia")
    True
    >>> score_name("anti slavery", "anti slavery"), score_name("antislavery", "anti slavery")
    (1.0, 0.98)
    """
    if not query or not name:
        return 0.0
    if query == name:
        return 1.0
    if compact(query) == compact(name):
        return 0.98
    q_words, n_words = query.split(), name.split()
    used: set[int] = set()
    found = 0.0
    for i, qw in enumerate(q_words):
        last = i == len(q_words) - 1
        best, best_j = 0.0, -1
        for j, nw in enumerate(n_words):
            if j in used:
                continue
            s = (similar[i].get(nw, 0.0) if similar is not None
                 else word_similarity(qw, nw, last))
            if s > best:
                best, best_j = s, j
        if best_j >= 0:
            used.add(best_j)
            found += best
    recall = found / len(q_words)
    coverage = len(used) / len(n_words)
    by_words = recall * (0.55 + 0.4 * coverage)
    by_string = _string_similarity(query, name) if by_words < BEST_INEXACT else 0.0
    return round(min(max(by_words, by_string), BEST_INEXACT), 4)


# ------------------------------------------------------------------------------------
# The index
# ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Entry:
    """One thing that can be found: an organisation, collaboration, unit or concept."""

    iri: str
    kind: str
    types: list[str] = field(default_factory=list)
    #: (label literal, label property) pairs
    labels: list[tuple[ox.Literal, str]] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # country authority IRIs
    networks: list[str] = field(default_factory=list)  # IRIs of collaborations it is in

    def pref_labels(self) -> list[ox.Literal]:
        """Its preferred names (else any of its labels), for showing it."""
        pref = [lit for lit, p in self.labels if p == f"{SKOS}prefLabel"]
        return pref or [lit for lit, _ in self.labels]

    def sort_name(self) -> str:
        """Its English (else first) preferred name: for ordering and for plain output."""
        labels = self.pref_labels()
        english = sorted(lit.value for lit in labels if (lit.language or "") == "en")
        return english[0] if english else (min(lit.value for lit in labels) if labels
                                           else self.iri)


@dataclass(frozen=True)
class Hit:
    """An entry found by a query, with its score (0–1) and the label that matched."""

    entry: Entry
    score: float
    matched: str  # the label as written in the data

    @property
    def exact(self) -> bool:
        """Whether one of its names is the query's words, whatever the case, accents,
        script, spacing and punctuation."""
        return self.score > BEST_INEXACT


@dataclass(slots=True)
class _Name:
    entry: int  # position in LabelIndex.entries
    label: int  # position in the entry's labels
    text: str  # normalised
    weight: float


class LabelIndex:
    """Every findable thing and its names, with an inverted index of their words."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = list(entries)
        self.by_iri = {e.iri: e for e in self.entries}
        self._names: list[_Name] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._by_compact: dict[str, list[int]] = defaultdict(list)
        for position, entry in enumerate(self.entries):
            seen: set[str] = set()
            for label_position, (literal, prop) in enumerate(entry.labels):
                text = normalise(literal.value)
                if not text or text in seen:
                    continue
                seen.add(text)
                name_id = len(self._names)
                self._names.append(_Name(position, label_position, text,
                                         LABEL_WEIGHTS.get(prop, 0.9)))
                for word in set(text.split()):
                    self._postings[word].append(name_id)
                self._by_compact[compact(text)].append(name_id)
        self._vocabulary = sorted(self._postings)
        #: Vocabulary by first letter: where near spellings are looked for.
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for word in self._vocabulary:
            self._by_initial[word[0]].append(word)

    def __len__(self) -> int:
        return len(self.entries)

    def _expand(self, word: str, last: bool) -> dict[str, float]:
        """The vocabulary words that ``word`` may stand for, with their
        :func:`word_similarity`: itself, the word it contracts, words it begins (for the
        last word of the query, being typed), and near spellings of words of four letters
        or more that begin with the same letter and are at most two letters longer or
        shorter."""
        out = {word: 1.0} if word in self._postings else {}
        full = CONTRACTIONS.get(word)
        if full in self._postings:
            out[full] = CONTRACTION_SIMILARITY
        if last and len(word) >= 2:
            start = bisect.bisect_left(self._vocabulary, word)
            for candidate in self._vocabulary[start:start + MAX_EXPANSIONS]:
                if not candidate.startswith(word):
                    break
                out.setdefault(candidate, 0.9)
        if len(word) >= 4:
            pool = [w for w in self._by_initial.get(word[0], ())
                    if abs(len(w) - len(word)) <= 2 and len(w) >= 4]
            for near in difflib.get_close_matches(word, pool, n=5, cutoff=NEAR_SPELLING):
                out.setdefault(near, word_similarity(word, near, last))
        return out

    def _candidates(self, query: str, similar: Sequence[dict[str, float]]) -> list[int]:
        """Names sharing words with the query, those sharing the rarest words first."""
        total = len(self._names) + 1
        weights: Counter[int] = Counter()
        for table in similar:
            hit_names: dict[int, float] = {}
            for vocab_word, similarity in table.items():
                postings = self._postings[vocab_word]
                weight = similarity * math.log(total / len(postings))
                for name_id in postings:
                    if weight > hit_names.get(name_id, 0.0):
                        hit_names[name_id] = weight
            weights.update(hit_names)
        for name_id in self._by_compact.get(compact(query), ()):
            weights[name_id] += 1000.0  # the same letters spaced otherwise
        if len(weights) <= MAX_CANDIDATES:
            return list(weights)
        return [name_id for name_id, _ in weights.most_common(MAX_CANDIDATES)]

    def search(self, text: str, *, kinds: Iterable[str] = (), types: Iterable[str] = (),
               limit: int = 20, min_score: float = 0.3) -> list[Hit]:
        """The entries whose names match ``text`` (its first :data:`MAX_QUERY_WORDS`
        words), best first (score, then name).

        ``kinds`` (``organisation``, ``collaboration``, ``unit``, ``concept``) or ``types``
        (class IRIs) keep only entries of those kinds or types; empty keeps all.
        """
        words = normalise(text).split()[:MAX_QUERY_WORDS]
        query = " ".join(words)
        if not query:
            return []
        wanted_kinds, wanted_types = set(kinds), set(types)
        similar = [self._expand(word, i == len(words) - 1) for i, word in enumerate(words)]
        best: dict[int, tuple[float, str]] = {}
        for name_id in self._candidates(query, similar):
            name = self._names[name_id]
            entry = self.entries[name.entry]
            if wanted_kinds and entry.kind not in wanted_kinds:
                continue
            if wanted_types and not wanted_types.intersection(entry.types):
                continue
            score = score_name(query, name.text, similar) * name.weight
            if score >= min_score and score > best.get(name.entry, (0.0, ""))[0]:
                best[name.entry] = (score, entry.labels[name.label][0].value)
        ranked = sorted(best.items(), key=lambda item: (
            -item[1][0], self.entries[item[0]].sort_name().casefold(), item[0]))
        return [Hit(self.entries[i], round(score, 4), label)
                for i, (score, label) in ranked[:max(limit, 0)]]

    def organisations(self) -> list[Entry]:
        """Every organisation (collaborations and units included), by English name."""
        return sorted((e for e in self.entries if e.kind != "concept"),
                      key=lambda e: (normalise(e.sort_name()), e.iri))


# ------------------------------------------------------------------------------------
# Reading the index from a store
# ------------------------------------------------------------------------------------


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def countries_query() -> str:
    """The SPARQL query for every (thing, country) pair: the one place that knows which
    property the data states countries with (:data:`COUNTRY_PROPERTY`)."""
    return (f"SELECT DISTINCT ?thing ?country WHERE {{ ?thing <{COUNTRY_PROPERTY}> ?country "
            "FILTER(isIRI(?country)) }")


def read_index(store: object) -> LabelIndex:
    """Build the index from a :class:`~ngo_ld.store.GraphStore` (four queries)."""
    entries: dict[str, Entry] = {}
    # One string object for each IRI that many rows repeat (types, properties, countries).
    strings: dict[str, str] = {}

    def canonical(value: str) -> str:
        return strings.setdefault(value, value)

    kind_of_type = {iri: kind for kind, iri in reversed(KINDS)}
    rank = {iri: i for i, (_, iri) in enumerate(KINDS)}
    for row in store.query(  # type: ignore[attr-defined]
            f"SELECT DISTINCT ?s ?t WHERE {{ VALUES ?t {{ {_values(INDEXED_TYPES)} }} "
            "?s a ?t FILTER(isIRI(?s)) }"):
        iri, type_iri = row["s"].value, canonical(row["t"].value)
        entry = entries.setdefault(iri, Entry(iri=iri, kind=kind_of_type[type_iri]))
        entry.types.append(type_iri)
    for entry in entries.values():
        entry.types.sort(key=rank.__getitem__)
        entry.kind = kind_of_type[entry.types[0]]
    for row in store.query(  # type: ignore[attr-defined]
            f"SELECT DISTINCT ?s ?p ?l WHERE {{ VALUES ?t {{ {_values(INDEXED_TYPES)} }} "
            f"VALUES ?p {{ {_values(LABEL_WEIGHTS)} }} ?s a ?t ; ?p ?l FILTER(isLiteral(?l)) }}"):
        entry = entries.get(row["s"].value)
        if entry is not None:
            entry.labels.append((row["l"], canonical(row["p"].value)))
    for row in store.query(countries_query()):  # type: ignore[attr-defined]
        entry = entries.get(row["thing"].value)
        country = canonical(row["country"].value)
        if entry is not None and country not in entry.countries:
            entry.countries.append(country)
    for row in store.query(  # type: ignore[attr-defined]
            f"SELECT DISTINCT ?x ?c WHERE {{ {{ ?m <{ORG}member> ?x ; <{ORG}organization> ?c }}"
            f" UNION {{ ?x <{ORG}memberOf> ?c }} FILTER(isIRI(?x) && isIRI(?c)) }}"):
        entry = entries.get(row["x"].value)
        network = entries.get(row["c"].value)
        if entry is not None and network is not None and network.iri not in entry.networks:
            entry.networks.append(network.iri)
    for entry in entries.values():
        entry.labels.sort(key=lambda pair: (pair[1] != f"{SKOS}prefLabel",
                                            pair[0].language or "", pair[0].value))
        entry.countries.sort()
    order = {iri: (normalise(entry.sort_name()), iri) for iri, entry in entries.items()
             if entry.kind != "concept"}
    for entry in entries.values():
        entry.networks.sort(key=order.__getitem__)
    return LabelIndex(sorted(entries.values(), key=lambda e: e.iri))
