"""The pictures of how ASTRA's collaborations connect, in the page language: on the landing
page (and ASTRA's page) all of them, on a collaboration's page the ones it reaches through
its members.

The reads are remembered per data version (:func:`~ngo_ld.web.caching.cached`); the
drawing is :mod:`ngo_ld.pages.network`.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from .. import describe, pages
from ..connections import shared_memberships
from ..namespaces import thing_iri
from ..pages.network import Network, collaboration_network, landing_network
from ..pages.svg import Box
from .caching import cached
from .site import site


def _collaborations() -> list[describe.Collaboration]:
    s = site()
    return cached(("collaborations",),
                  lambda: describe.collaborations(s.store, s.settings.base_iri))


def _shared() -> dict[str, dict[str, list[str]]]:
    s = site()
    return cached(("shared-memberships",),
                  lambda: shared_memberships(s.store, [c.iri for c in _collaborations()]))


def _boxes(lang: str, keep: pages.LatinPhrases | None, href_of: Callable[[str], str]
           ) -> tuple[dict[str, Box], dict[str, Box]]:
    """(collaboration IRI → box, shared organisation IRI → box), labelled in ``lang``."""
    s = site()
    ui = pages.ui_strings(lang)
    focus = thing_iri(describe.FOCUS_SLUG, s.settings.base_iri)
    shared = _shared()
    label_triples = cached(("shared-labels",),
                           lambda: describe.labels_of(s.store, [*shared, focus]))
    view = pages.GraphView(label_triples, keep=keep)
    focus_name = view.label(ox.NamedNode(focus), lang).text
    collabs: dict[str, Box] = {}
    for c in _collaborations():
        label = pages.pick_literal(c.labels, lang, keep=keep)
        role = pages.pick_literal(c.roles[0], lang, keep=keep) if c.roles else None
        since = pages.dates_text(c.since[0], "", lang) if c.since else ""
        notes = [f"{ui['members_listed_n']}: {c.members}"]
        if role is not None:
            notes.append(f"{focus_name}: {role.text}" + (f", {since}" if since else ""))
        collabs[c.iri] = Box(label.text if label else c.slug, href_of(c.iri),
                             tuple(notes))
    orgs = {o: Box(view.label(ox.NamedNode(o), lang).text, href_of(o),
                   (ui["in_collaborations"].format(len(cs)),), highlight=o == focus)
            for o, cs in shared.items()}
    return collabs, orgs


def _role_phrases(lang: str, keep: pages.LatinPhrases | None
                  ) -> Callable[[str, str], list[str]]:
    """What an organisation does in a collaboration, in ``lang``, from the ``org:role`` of
    its membership ("leads", "takes part in"; a role without words of its own by its
    label; "is a member of" when the membership states no role)."""
    s = site()
    ui = pages.ui_strings(lang)
    shared = _shared()
    roles = sorted({r for cs in shared.values() for rs in cs.values() for r in rs})
    view = pages.GraphView(cached(("role-labels",), lambda: describe.labels_of(s.store, roles)),
                           keep=keep)

    def phrase(role: str) -> str:
        words = ui.get(f"does_{pages.local_name(role)}")
        return words or ui["does_role"].format(view.label(ox.NamedNode(role), lang).text)

    return lambda org, collab: ([phrase(r) for r in shared[org][collab]]
                                or [ui["does_role-member"]])


def overview(lang: str, keep: pages.LatinPhrases | None, href_of: Callable[[str], str]) -> Network:
    """Every collaboration and the organisations that sit in several of them."""
    collabs, orgs = _boxes(lang, keep, href_of)
    return landing_network(pages.ui_strings(lang)["network_title"], collabs, orgs, _shared(),
                           described_by="network-words", says=_role_phrases(lang, keep))


def reach_of(collaboration: str, lang: str, keep: pages.LatinPhrases | None,
             href_of: Callable[[str], str]) -> Network | None:
    """The collaborations that ``collaboration`` reaches through its members (None: it is
    not one of ASTRA's collaborations, or none of its members sits elsewhere)."""
    collabs, orgs = _boxes(lang, keep, href_of)
    if collaboration not in collabs:
        return None
    title = pages.ui_strings(lang)["reach_title"].format(name=collabs[collaboration].label)
    return collaboration_network(title, collaboration, collabs, orgs, _shared(),
                                 described_by="network-words",
                                 says=_role_phrases(lang, keep))
