"""Sorting names the way a reader of each page language expects (:func:`sort_key`), and
the letter an index files a name under (:func:`initial`).

Its own module because the order of the alphabets is a rule of its own. A documented key,
not PyICU: ICU would need a C++ build against libicu on every machine that installs the
site, for names in three alphabets that a table of letters orders correctly:

* English pages: letters without their accents (``Ženska`` with ``Z``), case ignored;
* Serbian Latin pages: the Serbian Latin alphabet (abeceda) A B C Č Ć D Dž Đ E F G H I J
  K L Lj M N Nj O P R S Š T U V Z Ž; other accented letters (``é``, ``ü``) sort with
  their base letter, and q w x y where the English alphabet has them;
* Serbian Cyrillic pages: the Serbian Cyrillic alphabet (azbuka) А Б В Г Д Ђ Е Ж З И Ј К
  Л Љ М Н Њ О П Р С Т Ћ У Ф Х Ц Ч Џ Ш. Names these pages keep in Latin letters (foreign
  names, acronyms) are filed as a Cyrillic reader finds them, by their letters in
  Cyrillic (``La Strada`` with ``Л``); the letters that have no Cyrillic form (q w x y)
  come after ``Ш``.

Punctuation before the first letter (``„Svi za…“``) is not sorted on.

>>> sorted(["Zagreb", "Čačak", "Ćuprija", "Cetinje", "Ženska soba"],
...        key=lambda t: sort_key(t, "sr-Latn"))
['Cetinje', 'Čačak', 'Ćuprija', 'Zagreb', 'Ženska soba']
>>> sorted(["Београд", "ASTRA", "Атина", "Ženska"], key=lambda t: sort_key(t, "sr-Cyrl"))
['ASTRA', 'Атина', 'Београд', 'Ženska']
>>> sorted(["Ženska soba", "Zagreb", "Atina"], key=lambda t: sort_key(t, "en"))
['Atina', 'Zagreb', 'Ženska soba']
>>> initial("Ženska soba", "sr-Latn"), initial("Ženska soba", "en"), initial("La Strada", "sr-Cyrl")
('Ž', 'Z', 'Л')
"""

from __future__ import annotations

import re
import unicodedata

from .cyrillic import to_cyrillic, to_latin

_LATIN = ["a", "b", "c", "č", "ć", "d", "dž", "đ", "e", "f", "g", "h", "i", "j", "k", "l",
          "lj", "m", "n", "nj", "o", "p", "q", "r", "s", "š", "t", "u", "v", "w", "x", "y",
          "z", "ž"]
_CYRILLIC = list("абвгдђежзијклљмнњопрстћуфхцчџш")
_SERBIAN_LATIN = {letter: i for i, letter in enumerate(_LATIN)}
_SERBIAN_CYRILLIC = {letter: i for i, letter in enumerate(_CYRILLIC)}
_TOKEN = re.compile(r"dž|lj|nj|.", re.DOTALL)
_LEADING = re.compile(r"^[\W_]+")
#: Offsets that put digits first, then Cyrillic, then Latin letters, then anything else.
_DIGIT, _CYR, _LAT, _OTHER = 0, 100, 200, 300


#: Letters with a stroke, which Unicode does not decompose into a base letter and an accent.
_STROKED = {"đ": "d", "ł": "l", "ø": "o", "ħ": "h"}


def _base(ch: str) -> str:
    """A letter without its accents (``é`` → ``e``, ``đ`` → ``d``); Serbian letters are kept
    by callers."""
    return _STROKED.get(ch) or unicodedata.normalize("NFKD", ch)[0]


def _letters(text: str, lang: str) -> list[str]:
    """The letters ``text`` is sorted by for ``lang``: folded, leading punctuation dropped,
    accents of other alphabets removed (Serbian ones kept on Serbian pages), in Cyrillic
    on ``sr-Cyrl`` pages and in Latin on the others."""
    folded = _LEADING.sub("", unicodedata.normalize("NFC", text.casefold()))
    if lang != "sr-Cyrl":
        folded = to_latin(folded)
    if lang == "en":
        return [_base(ch) for ch in folded]
    plain = "".join(ch if ch in _SERBIAN_LATIN or ch in _SERBIAN_CYRILLIC else _base(ch)
                    for ch in folded)
    if lang == "sr-Cyrl":
        plain = to_cyrillic(plain)
    return _TOKEN.findall(plain)


def sort_key(text: str, lang: str) -> tuple[tuple[int, ...], str]:
    """A key that orders ``text`` for readers of ``lang`` (see the module's rules); ties are
    broken by the text itself, so the order is total and stable."""
    return tuple(_code(tok, latin_order=lang != "en") for tok in _letters(text, lang)), text


def initial(text: str, lang: str) -> str:
    """The letter an index files ``text`` under, in the reader's alphabet and script: the
    first letter of its :func:`sort_key`, upper-case (``Nj`` and ``Dž`` are letters on
    Serbian Latin pages, ``Đ`` is not ``D``); ``#`` when it starts with a digit or has no
    letter."""
    for token in _letters(text, lang):
        if token[0].isdigit():
            return "#"
        if token[0].isalpha():
            return token[0].upper() + token[1:]
    return "#"


def _code(token: str, *, latin_order: bool) -> int:
    if token.isdigit():
        return _DIGIT + int(token)
    if token in _SERBIAN_CYRILLIC:
        return _CYR + _SERBIAN_CYRILLIC[token]
    if latin_order:
        if token in _SERBIAN_LATIN:
            return _LAT + _SERBIAN_LATIN[token]
        if len(token) > 1:  # a pair that is not a Serbian letter here: its first letter
            token = token[0]
        base = _base(token)
        if base in _SERBIAN_LATIN:
            return _LAT + _SERBIAN_LATIN[base]
    elif "a" <= token <= "z":
        return _LAT + ord(token) - ord("a")
    if not token.isalnum():
        return -1  # spaces and punctuation before letters: "La Strada" before "Lab"
    return _OTHER + ord(token)
