"""Pictures: SVG drawn on the server, text escaped, a ``<title>`` on every shape; and
``<script>``-safe JSON.

Its own module because drawing needs no data model: the web layer hands in plain
:class:`Node`, :class:`RoleGroup` and :class:`Spoke` records and gets ``Markup`` back.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Node:
    """Something to draw: a label, a link and a tooltip."""

    label: str
    href: str
    title: str = ""
    highlight: bool = False


@dataclass
class RoleGroup:
    """Members of a collaboration in one role, grouped by country."""

    role: str
    countries: dict[str, list[Node]] = field(default_factory=dict)  # country name → members

    @property
    def size(self) -> int:
        return sum(len(v) for v in self.countries.values())


def _text(x: float, y: float, text: str, *, cls: str = "", anchor: str = "start",
          size: int | None = None) -> str:
    attrs = f'x="{x:.1f}" y="{y:.1f}"'
    if cls:
        attrs += f' class="{cls}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if size:
        attrs += f' font-size="{size}"'
    return f"<text {attrs}>{escape(text)}</text>"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def collaboration_svg(title: str, groups: Sequence[RoleGroup], *, width: int = 960) -> Markup:
    """Members of a collaboration as boxes: one band per role, one box per country.

    Each member is a line of text linked to its page; its full name is in a ``<title>``.
    """
    box_w, line_h, pad, gap = 226, 17, 8, 10
    columns = max(1, (width - gap) // (box_w + gap))
    parts: list[str] = []
    y = 28.0
    parts.append(_text(10, 20, title, cls="svg-title"))
    for group in groups:
        y += 12
        parts.append(_text(10, y + 12, f"{group.role} ({group.size})", cls="svg-role"))
        y += 22
        col, row_top, row_h = 0, y, 0.0
        for country, members in group.countries.items():
            h = pad * 2 + line_h * (len(members) + 1)
            x = gap + col * (box_w + gap)
            parts.append(
                f'<g class="svg-country"><title>{escape(country)}: {len(members)}</title>'
                f'<rect x="{x}" y="{row_top:.1f}" width="{box_w}" height="{h}" rx="6"/>'
                + _text(x + pad, row_top + pad + 12, _shorten(country, 30), cls="svg-cname")
                + "</g>"
            )
            for i, member in enumerate(members):
                ty = row_top + pad + 12 + line_h * (i + 1)
                cls = "svg-member svg-highlight" if member.highlight else "svg-member"
                parts.append(
                    f'<a href="{escape(member.href)}"><title>{escape(member.title or member.label)}'
                    f"</title>{_text(x + pad + 6, ty, _shorten(member.label, 31), cls=cls)}</a>"
                )
            row_h = max(row_h, h)
            col += 1
            if col == columns:
                col, row_top, row_h = 0, row_top + row_h + gap, 0.0
        y = row_top + row_h + (gap if col else 0)
    height = int(y + 10)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="picture" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        + "".join(parts) + "</svg>"
    )


@dataclass(frozen=True)
class Spoke:
    """One collaboration around the centre of :func:`place_svg`."""

    node: Node
    members: int  # how many members the data names (circle size)
    role: str  # the centre's role in it
    since: str = ""  # when the centre joined, as display text


def place_svg(title: str, centre: Node, spokes: Sequence[Spoke], *, width: int = 1000,
              height: int = 640) -> Markup:
    """ASTRA in the middle, its collaborations around it on an ellipse; circle area ∝ the
    members the data names; each spoke says ASTRA's role and since when."""
    cx, cy = width / 2, height / 2 + 8
    rx, ry = width / 2 - 280, height / 2 - 90
    biggest = max((s.members for s in spokes), default=1) or 1
    parts: list[str] = [_text(10, 22, title, cls="svg-title")]
    n = max(1, len(spokes))
    for i, spoke in enumerate(spokes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = cx + rx * cos, cy + ry * sin
        r = 14 + 30 * math.sqrt(max(spoke.members, 1) / biggest)
        edge = spoke.role + (f", {spoke.since}" if spoke.since else "")
        ex, ey = cx + 0.58 * rx * cos, cy + 0.58 * ry * sin
        # Edge labels run along their spoke (turned to read left to right), so that
        # neighbouring spokes' labels do not overlap.
        deg = math.degrees(math.atan2(y - cy, x - cx))
        if deg > 90:
            deg -= 180
        elif deg < -90:
            deg += 180
        parts.append(
            f'<g class="svg-edge"><title>{escape(centre.label)} → {escape(spoke.node.label)}: '
            f'{escape(edge)}</title><line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" '
            f'y2="{y:.1f}"/><g transform="rotate({deg:.1f} {ex:.1f} {ey:.1f})">'
            f'{_text(ex, ey - 5, edge, cls="svg-edge-label", anchor="middle")}</g></g>'
        )
        if cos > 0.25:
            lx, ly, anchor = x + r + 8, y + 5, "start"
        elif cos < -0.25:
            lx, ly, anchor = x - r - 8, y + 5, "end"
        else:
            lx, ly, anchor = x, (y + r + 17 if sin > 0 else y - r - 9), "middle"
        parts.append(
            f'<a href="{escape(spoke.node.href)}"><title>'
            f"{escape(spoke.node.title or spoke.node.label)} ({spoke.members})</title>"
            f'<circle class="svg-collab" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
            + _text(x, y + 5, str(spoke.members), cls="svg-count", anchor="middle")
            + _text(lx, ly, _shorten(spoke.node.label, 34 if anchor == "middle" else 33),
                    cls="svg-name", anchor=anchor)
            + "</a>"
        )
    parts.append(
        f'<a href="{escape(centre.href)}"><title>{escape(centre.title or centre.label)}</title>'
        f'<circle class="svg-centre" cx="{cx:.1f}" cy="{cy:.1f}" r="46"/>'
        + _text(cx, cy + 6, _shorten(centre.label, 12), cls="svg-centre-label", anchor="middle")
        + "</a>"
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="picture" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        + "".join(parts) + "</svg>"
    )


def json_for_script(text: str) -> Markup:
    """JSON made safe inside ``<script>``: no ``</script>``, ``<!--`` or ``]]>`` can appear.

    ``<``, ``>`` and ``&`` become ``\\u003c`` etc. — still the same JSON to a parser.
    """
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def group_counts(items: Iterable[str]) -> Mapping[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts
