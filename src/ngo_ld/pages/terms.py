"""The ontology page's account of each term in sentences ("Founding year is a property.
It describes an Organisation. Its values are a year."), built from the term's
``rdfs:domain``, ``rdfs:range``, ``rdfs:subClassOf``, ``rdfs:subPropertyOf``,
``owl:inverseOf`` and SKOS mapping statements.

Its own module because turning statements into a reader's sentences is a job of its own.
Every term is named by its label and linked; a term of another vocabulary is followed by
its prefixed name in ``<code>`` (the only place prefixed names appear on a page).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

import pyoxigraph as ox
from markupsafe import Markup, escape

from .labels import PageLabel
from .strings import ui_strings
from .view import GraphView
from .vocabulary import abbreviate

_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_MATCHES = (f"{_SKOS}exactMatch", f"{_SKOS}closeMatch", f"{_SKOS}relatedMatch",
            f"{_SKOS}broadMatch", f"{_SKOS}narrowMatch", f"{_OWL}equivalentClass",
            f"{_OWL}equivalentProperty")
#: What :func:`term_sentences` says, so a page need not list it again.
SAID_IN_SENTENCES = frozenset({f"{_RDFS}subClassOf", f"{_RDFS}subPropertyOf", f"{_RDFS}domain",
                               f"{_RDFS}range", f"{_OWL}inverseOf", *_MATCHES})


def term_link(view: GraphView, iri: str, lang: str, href: Callable[[str], str],
              prefixes: Mapping[str, str], own: str, *, article: bool = False) -> Markup:
    """A term as a link named by its label (after "a"/"an" in English with ``article``);
    other vocabularies' terms add their prefixed name in ``<code>``."""
    label = view.label(ox.NamedNode(iri), lang)
    target = href(iri)
    text = Markup(label.__html__())
    out = Markup('<a href="{}">{}</a>').format(target, text) if target else text
    if article and lang == "en":
        out = Markup("an " if label.text[:1].lower() in "aeiou" else "a ") + out
    short = abbreviate(iri, prefixes)
    if short and not iri.startswith(own):
        out += Markup(" <code>{}</code>").format(short)
    return out


def prose(text: PageLabel, prefixes: Iterable[str]) -> Markup:
    """A text from the data (a term's comment) as a page shows it: in its language, with
    the prefixed names it mentions (``schema:ContactPoint``) in ``<code>``.

    >>> str(prose(PageLabel("A schema:ContactPoint; see ngold:memberCount.", "en"),
    ...           ["schema", "ngold"]))
    '<span lang="en">A <code>schema:ContactPoint</code>; see <code>ngold:memberCount</code>.</span>'
    """
    names = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w/#.:-])(?:{names}):[A-Za-z_][\w-]*(?:\.[\w-]+)*")
    out, pos = Markup(""), 0
    for match in pattern.finditer(text.text) if names else ():
        out += escape(text.text[pos:match.start()]) + Markup("<code>{}</code>").format(
            match.group(0))
        pos = match.end()
    out += escape(text.text[pos:])
    return Markup('<span lang="{}">{}</span>').format(text.lang, out) if text.lang else out


def _join(items: list[Markup], lang: str) -> Markup:
    if len(items) <= 1:
        return Markup("").join(items)
    word = f" {ui_strings(lang)['or']} "
    return Markup(", ").join(items[:-1]) + Markup(escape(word)) + items[-1]


def term_sentences(view: GraphView, term: str, lang: str, href: Callable[[str], str],
                   prefixes: Mapping[str, str], *, is_class: bool) -> list[Markup]:
    """What the ontology says about ``term``, in sentences of ``lang``."""
    ui = ui_strings(lang)
    own = term.split("#", 1)[0] + "#"

    def links(predicate: str, article: bool = True) -> list[Markup]:
        return [term_link(view, o.value, lang, href, prefixes, own, article=article)
                for o in view.objects(ox.NamedNode(term), predicate)
                if isinstance(o, ox.NamedNode)]

    def fill(key: str, **values: Markup) -> Markup:
        # The sentence is translated text; only the inserted terms are markup.
        return Markup(escape(ui[key])).format(**values)

    name = Markup("<strong>{}</strong>").format(
        Markup(view.label(ox.NamedNode(term), lang).__html__()))
    out = [fill("sentence_class" if is_class else "sentence_property", term=name)]
    parents = links(f"{_RDFS}subClassOf")
    if parents:
        out.append(fill("sentence_subclass", term=name, parents=_join(parents, lang)))
    for key, predicate in (("sentence_subproperty", f"{_RDFS}subPropertyOf"),
                           ("sentence_domain", f"{_RDFS}domain"),
                           ("sentence_range", f"{_RDFS}range"),
                           ("sentence_inverse", f"{_OWL}inverseOf")):
        found = links(predicate, article=key in ("sentence_domain", "sentence_range"))
        if found:
            slot = {"sentence_subproperty": "parents", "sentence_domain": "domain",
                    "sentence_range": "range", "sentence_inverse": "inverse"}[key]
            out.append(fill(key, **{slot: _join(found, lang)}))
    matches = [m for p in _MATCHES for m in links(p, article=False)]
    if matches:
        out.append(fill("sentence_match", matches=_join(matches, lang)))
    return out
