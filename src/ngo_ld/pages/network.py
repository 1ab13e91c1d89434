"""How the collaborations connect through the organisations they share: the pictures of
the landing page and of each collaboration's page, and the same facts in words.

Its own module because it is the one place that decides what those pictures show; the
web layer hands in boxes already labelled in the page language, and
:func:`ngo_ld.connections.shared_memberships` says who sits where.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from .svg import Box, columns_svg

#: What the words say an organisation does in a collaboration ("leads", "takes part in"),
#: in the page language: given the organisation's and the collaboration's IRIs, one
#: phrase for each of its roles there.
RolePhrases = Callable[[str, str], Sequence[str]]


@dataclass(frozen=True)
class Connection:
    """One shared organisation and the collaborations it sits in (the words beside a
    picture, and what its links show), grouped by what it does in them."""

    organisation: Box
    collaborations: tuple[Box, ...]
    roles: tuple[tuple[str, tuple[Box, ...]], ...] = ()


def _connection(org: str, box: Box, collabs: Sequence[str], boxes: Mapping[str, Box],
                says: RolePhrases) -> Connection:
    by_phrase: dict[str, list[Box]] = {}
    for c in collabs:
        for phrase in says(org, c):
            by_phrase.setdefault(phrase, []).append(boxes[c])
    return Connection(box, tuple(boxes[c] for c in collabs),
                      tuple((phrase, tuple(bs)) for phrase, bs in by_phrase.items()))


@dataclass(frozen=True)
class Network:
    """A picture and its text alternative."""

    svg: Markup
    connections: tuple[Connection, ...]


def _ordered(collabs: Sequence[str], shared: Mapping[str, Collection[str]],
             labels: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """(collaborations, shared organisations) in drawing order: collaborations that share
    someone other than an organisation present everywhere come first, next to each other,
    so their links stay short; an organisation present everywhere goes last."""
    everywhere = [o for o, cs in shared.items() if set(collabs) <= set(cs)]
    linking = sorted((o for o in shared if o not in everywhere),
                     key=lambda o: (-len(shared[o]), labels.get(o, o).casefold()))
    order: list[str] = []
    for org in linking:
        for c in sorted(shared[org], key=lambda c: labels.get(c, c).casefold()):
            if c in collabs and c not in order:
                order.append(c)
    order += [c for c in collabs if c not in order]
    return order, [*linking, *sorted(everywhere, key=lambda o: labels.get(o, o).casefold())]


def landing_network(title: str, collabs: Mapping[str, Box], orgs: Mapping[str, Box],
                    shared: Mapping[str, Collection[str]], *, described_by: str,
                    says: RolePhrases) -> Network:
    """Every collaboration (left) and every organisation that sits in more than one of them
    (right), linked where it is a member; the words say its role in each."""
    labels = {**{k: b.label for k, b in collabs.items()}, **{k: b.label for k, b in orgs.items()}}
    order, sharers = _ordered(list(collabs), shared, labels)
    sharers = [o for o in sharers if o in orgs]
    links = [((0, order.index(c)), (1, j)) for j, o in enumerate(sharers)
             for c in shared[o] if c in order]
    svg = columns_svg(title, [[collabs[c] for c in order], [orgs[o] for o in sharers]],
                      links, described_by=described_by)
    return Network(svg, tuple(
        _connection(o, orgs[o], [c for c in order if c in shared[o]], collabs, says)
        for o in sharers))


def collaboration_network(title: str, focus: str, collabs: Mapping[str, Box],
                          orgs: Mapping[str, Box], shared: Mapping[str, Collection[str]], *,
                          described_by: str, says: RolePhrases) -> Network | None:
    """Those members of one collaboration (the page's topic) that sit in other
    collaborations too (left), and those other collaborations (right): what its member
    table cannot show. None when no member of it sits anywhere else."""
    sharers = sorted((o for o, cs in shared.items() if focus in cs and o in orgs
                      and any(c != focus and c in collabs for c in cs)),
                     key=lambda o: (-len(shared[o]), orgs[o].label.casefold()))
    if focus not in collabs or not sharers:
        return None
    labels = {k: b.label for k, b in collabs.items()}
    others = [c for c in _ordered([c for c in collabs if c != focus],
                                  {o: [c for c in shared[o] if c != focus] for o in sharers},
                                  labels)[0]
              if any(c in shared[o] for o in sharers)]
    links = [((0, j), (1, others.index(c))) for j, o in enumerate(sharers)
             for c in shared[o] if c in others]
    svg = columns_svg(title, [[orgs[o] for o in sharers], [collabs[c] for c in others]],
                      links, described_by=described_by)
    return Network(svg, tuple(
        _connection(o, orgs[o], [c for c in others if c in shared[o]], collabs, says)
        for o in sharers))
