"""Who sits in more than one collaboration: the read behind the pictures of how the
collaborations connect (:mod:`ngo_ld.pages.network`).

Its own module because it is one question with one query, asked through the store's
small interface, so any backend answers it.
"""

from __future__ import annotations

import pyoxigraph as ox

from .store import GraphStore

ORG = "http://www.w3.org/ns/org#"


def shared_memberships(store: GraphStore, collaborations: list[str]) -> dict[str, list[str]]:
    """Organisation IRI → the IRIs of ``collaborations`` it is a member of, for every
    organisation that is a member of at least two of them (sorted, so pages are stable)."""
    if not collaborations:
        return {}
    values = " ".join(str(ox.NamedNode(c)) for c in sorted(set(collaborations)))
    rows = store.query(f"""
        SELECT DISTINCT ?org ?c WHERE {{
          VALUES ?c {{ {values} }}
          ?m <{ORG}organization> ?c ; <{ORG}member> ?org .
        }}""")
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["org"].value, set()).add(row["c"].value)
    return {org: sorted(cs) for org, cs in sorted(found.items()) if len(cs) > 1}
