"""Serbian Latin → Cyrillic transliteration, for ``sr-Cyrl`` pages.

Serbian labels are stored in Latin script and shown transliterated on Cyrillic pages,
while names of standards, acronyms and the dataset's foreign names stay in Latin letters
(:class:`LatinPhrases`, :func:`foreign_names`). Its own module because the transliteration
rules are a job of their own, used by labels, countries and the words around the data.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

_LOWER = {
    "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ", "e": "е", "f": "ф",
    "g": "г", "h": "х", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о",
    "p": "п", "r": "р", "s": "с", "š": "ш", "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
}
_SINGLE = {**_LOWER, **{k.upper(): v.upper() for k, v in _LOWER.items()}}
_DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ"}
# Words in which the letter pairs are two letters, not one (a prefix ends where the root
# starts): "nad-živeti", "pod-žanr", "in-jekcija", "kon-junkcija", "kon-jugacija".
_NOT_DIGRAPH = re.compile(r"(?i)^(?:(?:nad|pod)(?=ž(?:iv|anr|upan))|(?:in|kon)(?=j(?:ekc|unk|ug)))")
_DIGRAPH_RE = re.compile(r"(?i)lj|nj|dž")
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)  # letters and digits: "W3C" is one word


def _digraph(match: re.Match[str]) -> str:
    pair = match.group(0)
    cyr = _DIGRAPHS[pair.lower()]
    return cyr.upper() if pair[0].isupper() else cyr


def _word_to_cyrillic(word: str) -> str:
    # Mark the exceptional pairs with a zero-width joiner so the digraph pass skips them.
    marked = _NOT_DIGRAPH.sub(lambda m: m.group(0) + "\u200d", word)
    converted = _DIGRAPH_RE.sub(_digraph, marked).replace("\u200d", "")
    return "".join(_SINGLE.get(ch, ch) for ch in converted)


@dataclass(frozen=True)
class LatinPhrases:
    """Phrases that Serbian Cyrillic text keeps in Latin letters, as one compiled regex.

    Build one with :meth:`of` (once per data version for the names in the data: see
    :func:`foreign_names`); a phrase matches only as whole words, the longest first.

    >>> LatinPhrases.of(["La Strada", "La Strada International"]).pattern.findall(
    ...     "La Strada International, La Stradax")
    ['La Strada International']
    """

    phrases: frozenset[str]
    pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    #: Serbian case forms of Serbian acronyms (ASTRE, ASTRI of ASTRA): Serbian words,
    #: written in Cyrillic like the rest of the sentence, as the site's own texts do.
    declined: frozenset[str] = frozenset()

    @classmethod
    def of(cls, phrases: Iterable[str], declined: Iterable[str] = ()) -> LatinPhrases:
        return _latin_phrases(frozenset(unicodedata.normalize("NFC", p) for p in phrases if p),
                              frozenset(declined))


@functools.lru_cache(maxsize=64)
def _latin_phrases(phrases: frozenset[str], declined: frozenset[str] = frozenset()
                   ) -> LatinPhrases:
    if not phrases:
        return LatinPhrases(phrases, declined=declined)
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=lambda p: (-len(p), p)))
    # Whole words only: no letter or digit right before or after the phrase.
    return LatinPhrases(phrases, re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])"),
                        declined)


#: Serbian acronyms, written in Cyrillic in Cyrillic text (nevladina organizacija, …).
_SERBIAN_ACRONYMS = frozenset({"NVO", "OCD", "SAD", "SFRJ", "SRJ", "RS", "AP", "JKP"})


def _is_acronym(word: str) -> bool:
    """An all-caps word of (unaccented) Latin letters, at least two of them (ASTRA, OMCT),
    that is not a Serbian acronym (NVO) nor a word with a digraph (LJUBAV)."""
    return (word.isascii() and word.isupper() and sum(ch.isalpha() for ch in word) >= 2
            and word not in _SERBIAN_ACRONYMS and not _DIGRAPH_RE.search(word))


def to_cyrillic(text: str, *, keep: Iterable[str] | LatinPhrases = (),
                acronyms: bool = False) -> str:
    """Serbian Latin script → Serbian Cyrillic, letter for letter (Vuk's alphabet).

    The digraphs lj, nj and dž are one letter each (љ, њ, џ; ``Lj``/``LJ`` → ``Љ``);
    č ć š ž đ → ч ћ ш ж ђ; letters outside the Serbian alphabet (q w x y, accented foreign
    letters), digits and punctuation are left as they are. ``keep`` lists phrases (acronyms
    such as SPARQL, foreign names such as "La Strada International") to leave in Latin
    wherever they occur as whole words, the longest first; with ``acronyms``, all-caps words
    of Latin letters (ASTRA, COMP, ACT) stay in Latin too.

    >>> to_cyrillic("Udruženje tužilaca, đak, ćup, čaj, šuma")
    'Удружење тужилаца, ђак, ћуп, чај, шума'
    >>> to_cyrillic("injekcija i konjunkcija; nadživeti")
    'инјекција и конјункција; надживети'
    >>> to_cyrillic("Upit (SPARQL)", keep=["SPARQL"])
    'Упит (SPARQL)'
    >>> to_cyrillic("Članstvo: La Strada International – COMP.ACT (vodeća organizacija)",
    ...             keep=["La Strada International"], acronyms=True)
    'Чланство: La Strada International – COMP.ACT (водећа организација)'
    >>> to_cyrillic("COMP.ACT", acronyms=True), to_cyrillic("LJUBAV", acronyms=True)
    ('COMP.ACT', 'ЉУБАВ')
    """
    text = unicodedata.normalize("NFC", text)
    protected = keep if isinstance(keep, LatinPhrases) else LatinPhrases.of(keep)

    def word(match: re.Match[str]) -> str:
        w = match.group(0)
        if acronyms and _is_acronym(w) and w not in protected.declined:
            return w
        return _word_to_cyrillic(w)

    if protected.pattern is None:
        return _WORD_RE.sub(word, text)
    out, pos = [], 0
    for match in protected.pattern.finditer(text):
        out += [_WORD_RE.sub(word, text[pos:match.start()]), match.group(0)]
        pos = match.end()
    out.append(_WORD_RE.sub(word, text[pos:]))
    return "".join(out)


#: Names of standards and vocabularies that Serbian Cyrillic text keeps in Latin letters.
TECHNICAL_TERMS = ("W3C", "ORG", "SKOS", "OWL", "Time", "PROV", "SPARQL", "SHACL", "VoID",
                   "DCAT", "RDF", "XML", "JSON", "LD", "HTML", "IRI", "URI", "URL", "Turtle",
                   "DCTERMS", "FOAF", "ISO", "ngo", "ld", "ngold", "PROV-O")
_TECHNICAL = LatinPhrases.of(TECHNICAL_TERMS)


def cyrillic(text: str, keep: LatinPhrases | None = None) -> str:
    """:func:`to_cyrillic` for text from the data: names of standards, acronyms and the
    phrases of ``keep`` (the dataset's foreign names, :func:`foreign_names`) stay in Latin.

    >>> cyrillic("Ljudska prava"), cyrillic("Njegoš"), cyrillic("Džep"), cyrillic("đak")
    ('Људска права', 'Његош', 'Џеп', 'ђак')
    >>> cyrillic("Evropski COMP.ACT projekat (SPARQL)")
    'Европски COMP.ACT пројекат (SPARQL)'
    """
    return to_cyrillic(text, keep=_TECHNICAL if keep is None else keep, acronyms=True)


def _tag(lit: ox.Literal) -> str:
    return (lit.language or "").lower()


#: Primary language subtags of South Slavic languages written in Latin letters: their names
#: transliterate into Serbian Cyrillic like Serbian ones (Zora → Зора), so they are not kept.
_SOUTH_SLAVIC = ("sr", "hr", "bs", "sh", "cnr", "mk", "sl")
_SOUTH_SLAVIC_LETTERS = re.compile("[čćđšžČĆĐŠŽ]")
#: Letters outside the South Slavic Latin alphabets: a word with one is not Serbian.
_NON_SLAVIC_LETTERS = re.compile("[qwxyQWXY]")


def foreign_names(labels: Iterable[ox.Literal], *, extra: Iterable[str] = TECHNICAL_TERMS
                  ) -> LatinPhrases:
    """The names that Serbian Cyrillic text keeps in Latin, from the dataset's labels.

    ``labels`` are the ``skos:prefLabel`` / ``rdfs:label`` / ``skos:altLabel`` literals of
    the dataset (untagged ones: ``skos:altLabel`` only, acronyms such as "GAATW"). Kept are
    the names in languages that are not South Slavic (en, fr, it, …) and untagged ones,
    except common nouns (no capital letter: "partner", "region" are Serbian words too),
    names spelled with South Slavic letters ("Svet reči"), and names that a South Slavic
    label spells the same way ("Zora"@en and "Zora"@hr) unless they hold a letter no South
    Slavic alphabet has ("Balkans Act Now"@sr-Latn is English all the same). A Serbian
    label equal to a kept name is kept by the same phrase.

    >>> L = ox.Literal
    >>> sorted(foreign_names([L("La Strada International", language="en"),
    ...     L("partner", language="en"), L("Zora", language="en"), L("Zora", language="hr"),
    ...     L("Svet reči", language="en"), L("GAATW"), L("Ljudska prava", language="sr-latn"),
    ...     L("Balkans Act Now", language="en"), L("Balkans Act Now", language="sr-latn")],
    ...     extra=()).phrases)
    ['Balkans Act Now', 'GAATW', 'La Strada International']
    """
    labels = list(labels)
    slavic = {unicodedata.normalize("NFC", lit.value) for lit in labels
              if _tag(lit).split("-")[0] in _SOUTH_SLAVIC}
    declined = {form for name in slavic if _is_acronym(name) and name.endswith("A")
                for form in case_forms(name)}
    names = set()
    for lit in labels:
        value = unicodedata.normalize("NFC", lit.value.strip())
        if (_tag(lit).split("-")[0] in _SOUTH_SLAVIC or value == value.lower()
                or _SOUTH_SLAVIC_LETTERS.search(value)):
            continue
        if value in slavic and not _NON_SLAVIC_LETTERS.search(value):
            continue
        names.add(value)
    return LatinPhrases.of([*extra, *names], declined)


def case_forms(acronym: str) -> list[str]:
    """The Serbian case forms of an acronym read as a feminine word in -A (ASTRA: "ASTRE",
    "ASTRI", "ASTRU", "ASTROM"), the nominative aside.

    >>> case_forms("ASTRA")
    ['ASTRE', 'ASTRI', 'ASTRU', 'ASTROM']
    """
    stem = acronym[:-1]
    return [stem + ending for ending in ("E", "I", "U", "OM")]


_TO_LATIN = {cyr: lat for lat, cyr in _SINGLE.items()}
_TO_LATIN.update({cyr: lat for lat, cyr in _DIGRAPHS.items()})
_TO_LATIN.update({cyr.upper(): lat.title() for lat, cyr in _DIGRAPHS.items()})
#: Letters of the other Cyrillic alphabets a visitor may type (Macedonian, Russian), by the
#: Serbian Latin letter closest in sound.
_TO_LATIN.update({"ѓ": "đ", "ќ": "ć", "ѕ": "dz", "й": "j", "я": "ja", "ю": "ju", "ё": "jo",
                  "щ": "šč", "ы": "y", "э": "e", "ъ": "", "ь": "", "є": "je", "і": "i",
                  "ї": "ji", "ґ": "g"})
_TO_LATIN.update({k.upper(): v.title() for k, v in list(_TO_LATIN.items())
                  if k.islower() and k.upper() not in _TO_LATIN})

_TO_LATIN_TABLE = str.maketrans(_TO_LATIN)


def to_latin(text: str) -> str:
    """Serbian Cyrillic → Serbian Latin (the inverse of :func:`to_cyrillic`'s letter table,
    so the two agree), for search input typed in Cyrillic; the letters of Macedonian and
    Russian are spelled as in Serbian Latin. Other characters are left as they are.

    >>> to_latin("Женска соба"), to_latin("Љубав и ЊЕГОШ"), to_latin("џеп")
    ('Ženska soba', 'Ljubav i NjEGOŠ', 'džep')
    """
    return text.translate(_TO_LATIN_TABLE)
