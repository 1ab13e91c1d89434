"""Sorting names the way a reader of each page language expects (:func:`sort_key`).

Its own module because the order of the alphabets is a rule of its own. A documented key,
not PyICU: ICU would need a C++ build against libicu on every machine that installs the
site, for names in three alphabets that a table of letters orders correctly:

* English pages: letters without their accents (``Ženska`` with ``Z``), case ignored;
* Serbian Latin pages: the Serbian Latin alphabet, where ``č ć`` follow ``c``, ``dž đ``
  follow ``d``, ``lj`` follows ``l``, ``nj`` follows ``n``, ``š`` follows ``s`` and ``ž``
  follows ``z``; other accented letters (``é``, ``ü``) sort with their base letter;
* Serbian Cyrillic pages: the Serbian Cyrillic alphabet (а б в г д ђ е ж з и ј к л љ м н
  њ о п р с т ћ у ф х ц ч џ ш) first, then names kept in Latin letters, in the Serbian
  Latin order (Cyrillic before Latin, as CLDR's Serbian collation puts its own script
  first).

>>> sorted(["Zagreb", "Čačak", "Ćuprija", "Cetinje"], key=lambda t: sort_key(t, "sr-Latn"))
['Cetinje', 'Čačak', 'Ćuprija', 'Zagreb']
>>> sorted(["ASTRA", "Атина", "Београд"], key=lambda t: sort_key(t, "sr-Cyrl"))
['Атина', 'Београд', 'ASTRA']
>>> sorted(["Ženska soba", "Zagreb", "Atina"], key=lambda t: sort_key(t, "en"))
['Atina', 'Zagreb', 'Ženska soba']
"""

from __future__ import annotations

import re
import unicodedata

_LATIN = ["a", "b", "c", "č", "ć", "d", "dž", "đ", "e", "f", "g", "h", "i", "j", "k", "l",
          "lj", "m", "n", "nj", "o", "p", "q", "r", "s", "š", "t", "u", "v", "w", "x", "y",
          "z", "ž"]
_CYRILLIC = list("абвгдђежзијклљмнњопрстћуфхцчџш")
_SERBIAN_LATIN = {letter: i for i, letter in enumerate(_LATIN)}
_SERBIAN_CYRILLIC = {letter: i for i, letter in enumerate(_CYRILLIC)}
_TOKEN = re.compile(r"dž|lj|nj|.", re.DOTALL)
#: Offsets that put digits first, then Cyrillic, then Latin letters, then anything else.
_DIGIT, _CYR, _LAT, _OTHER = 0, 100, 200, 300


def _base(ch: str) -> str:
    """A letter without its accents (``é`` → ``e``); Serbian letters are kept by callers."""
    return unicodedata.normalize("NFKD", ch)[0]


def sort_key(text: str, lang: str) -> tuple[tuple[int, ...], str]:
    """A key that orders ``text`` for readers of ``lang`` (see the module's rules); ties are
    broken by the text itself, so the order is total and stable."""
    folded = unicodedata.normalize("NFC", text.casefold())
    if lang == "en":
        plain = "".join(_base(ch) for ch in folded)
        return tuple(_code(ch, latin_order=False) for ch in plain), text
    return tuple(_code(tok, latin_order=True) for tok in _TOKEN.findall(folded)), text


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
