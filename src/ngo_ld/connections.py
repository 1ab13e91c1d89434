"""Who sits in more than one collaboration: the read behind the pictures of how the
collaborations connect (:mod:`ngo_ld.pages.network`).

Its own module because it is one question with one query, asked through the store's
small interface, so any backend answers it.
"""

from __future__ import annotations

import pyoxigraph as ox

from .store import GraphStore

ORG = "http://www.w3.org/ns/org#"


def shared_memberships(store: GraphStore, collaborations: list[str]
                       ) -> dict[str, dict[str, list[str]]]:
    """Organisation IRI → {IRI of one of ``collaborations`` it is a member of → the IRIs
    of its roles there (``org:role`` of the membership; none when not stated)}, for every
    organisation that is a member of at least two of them (sorted, so pages are
    stable)."""
    if not collaborations:
        return {}
    values = " ".join(str(ox.NamedNode(c)) for c in sorted(set(collaborations)))
    rows = store.query(f"""
        SELECT DISTINCT ?org ?c ?role WHERE {{
          VALUES ?c {{ {values} }}
          ?m <{ORG}organization> ?c ; <{ORG}member> ?org .
          OPTIONAL {{ ?m <{ORG}role> ?role }}
        }}""")
    found: dict[str, dict[str, set[str]]] = {}
    for row in rows:
        roles = found.setdefault(row["org"].value, {}).setdefault(row["c"].value, set())
        if row["role"] is not None:
            roles.add(row["role"].value)
    return {org: {c: sorted(roles) for c, roles in sorted(cs.items())}
            for org, cs in sorted(found.items()) if len(cs) > 1}
