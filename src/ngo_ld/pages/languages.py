"""The page languages (``en``, ``sr-Latn``, ``sr-Cyrl``): which one a request asks for,
and language tags in their conventional case.

Its own module because the web layer chooses each request's language with it and labels
show their tags with :func:`display_tag`, while it needs nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable

LANGUAGES: tuple[str, ...] = ("en", "sr-Latn", "sr-Cyrl")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "sr-Latn": "Srpski", "sr-Cyrl": "Српски"}


def display_tag(tag: str | None) -> str:
    """A language tag in its conventional case (``sr-latn`` → ``sr-Latn``, ``EN`` → ``en``).

    BCP 47 tags are case-insensitive; the convention is lower-case language, title-case
    script (4 letters), upper-case region (2 letters or 3 digits).
    """
    if not tag:
        return ""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def _language_for_tag(tag: str) -> str | None:
    """One of :data:`LANGUAGES` for a BCP 47 tag, by its primary language subtag and script,
    or None: any Serbian tag with the Cyrillic script (``sr-Cyrl``, ``sr-Cyrl-RS``) is
    ``sr-Cyrl``, any other Serbian tag (``sr``, ``sr-RS``, ``sr-Latn-BA``, ``sr-ME``)
    ``sr-Latn``, any English one (``en-GB``) ``en``. Other languages, Croatian, Bosnian,
    Serbo-Croatian and Montenegrin included (``hr``, ``bs``, ``sh``, ``cnr``), match none.
    """
    parts = tag.strip().replace("_", "-").lower().split("-")
    if parts[0] == "sr":
        return "sr-Cyrl" if "cyrl" in parts[1:] else "sr-Latn"
    if parts[0] == "en":
        return "en"
    return None


def normalize_language(value: str | None) -> str | None:
    """One of :data:`LANGUAGES` for a ``?lang=`` value (any case; ``sr`` and ``sr-RS`` →
    ``sr-Latn``, ``sr-Cyrl-RS`` → ``sr-Cyrl``), or None when it names none of them.

    >>> normalize_language("SR-cyrl"), normalize_language("sr"), normalize_language("de")
    ('sr-Cyrl', 'sr-Latn', None)
    """
    if not value:
        return None
    return _language_for_tag(value)


def choose_language(explicit: str | None,
                    accept_languages: Iterable[tuple[str, float]] | None) -> str:
    """The page language: ``?lang=`` first, then ``Accept-Language``, then English.

    ``accept_languages`` is Werkzeug's ``request.accept_languages`` (a ``LanguageAccept``).
    Its tags are taken in the client's order of preference (quality, highest first; ``q=0``
    refuses a tag) and each is matched by its primary subtag and script
    (:func:`_language_for_tag`): ``sr-RS`` → ``sr-Latn``, ``sr-Cyrl-RS`` → ``sr-Cyrl``,
    ``en-GB`` → ``en``; the first tag that matches decides, ``*`` meaning English. Werkzeug's
    ``best_match`` is not used: it does not shorten ``sr-RS`` to ``sr``.

    >>> from werkzeug.datastructures import LanguageAccept
    >>> choose_language(None, LanguageAccept([("sr-RS", 1), ("en", 0.5)]))
    'sr-Latn'
    """
    chosen = normalize_language(explicit)
    if chosen:
        return chosen
    if accept_languages is not None:
        requested = [(str(value), quality) for value, quality in accept_languages
                     if quality > 0]
        # Werkzeug orders by specificity first; the client's preference is the quality
        # (a stable sort keeps Werkzeug's order among tags of the same quality).
        requested.sort(key=lambda pair: -pair[1])
        for value, _ in requested:
            if value == "*":
                return DEFAULT_LANGUAGE
            code = _language_for_tag(value)
            if code:
                return code
    return DEFAULT_LANGUAGE
