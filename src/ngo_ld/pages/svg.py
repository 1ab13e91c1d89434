"""Pictures: SVG drawn on the server, every piece of text escaped; and ``<script>``-safe JSON.

Its own module because drawing needs no data model: the page layer hands in plain
:class:`Box` records and the links between them, and gets ``Markup`` back.

Rules every picture keeps (the browser tests check them on the real pages):

* names are shown whole, wrapped onto as many lines as they need, never cut;
* the picture is at most :data:`WIDTH` user units wide and its smallest text is
  :data:`MIN_FONT` units tall, so on a 390 px phone (about 350 px for the picture) no
  text is drawn smaller than 9 px;
* an SVG that holds links is a ``group`` of links, not an ``img`` (an image's children are
  presentational, so its links would be hidden from assistive technology); each link is
  named by ``aria-label``, and the page gives the same facts in words beside the picture.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Width of every picture in user units (and its natural width in CSS px).
WIDTH = 520
#: Smallest font size used in a picture, in user units: 14 × 350 / 520 ≈ 9.4 px on a phone.
MIN_FONT = 14
_NAME_FONT, _NOTE_FONT = 15, MIN_FONT
_LINE_NAME, _LINE_NOTE = 19, 17
_PAD, _GAP = 8, 10
#: Average advance of a character as a share of the font size, on the generous side for
#: the sans-serif faces browsers pick (bold names are wider than notes), so that wrapped
#: lines fit their boxes; the browser tests measure that they do.
_NAME_EM, _NOTE_EM = 0.7, 0.6


@dataclass(frozen=True)
class Box:
    """A thing in a picture: its name, a link, and short notes under the name."""

    label: str
    href: str
    notes: tuple[str, ...] = ()
    highlight: bool = False


def wrap(text: str, width_units: float, font: float, char_em: float = _NOTE_EM) -> list[str]:
    """``text`` broken at spaces into lines that fit ``width_units`` at ``font`` size;
    a word longer than a line stays whole (it is never cut).

    >>> wrap("Global Alliance Against Traffic in Women", 200, 15)
    ['Global Alliance', 'Against Traffic in', 'Women']
    """
    chars = max(4, int(width_units / (font * char_em)))
    return textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False) or [""]


@dataclass
class _Placed:
    box: Box
    x: float
    y: float
    w: float
    name_lines: list[str]
    note_lines: list[str]

    @property
    def h(self) -> float:
        return (2 * _PAD + _LINE_NAME * len(self.name_lines)
                + _LINE_NOTE * len(self.note_lines))

    @property
    def mid(self) -> float:
        return self.y + self.h / 2


def _placed(box: Box, x: float, w: float) -> _Placed:
    inner = w - 2 * _PAD
    notes = [line for note in box.notes for line in wrap(note, inner, _NOTE_FONT)]
    return _Placed(box, x, 0.0, w, wrap(box.label, inner, _NAME_FONT, _NAME_EM), notes)


def _draw_box(p: _Placed) -> str:
    cls = "svg-box svg-highlight" if p.box.highlight else "svg-box"
    spoken = ". ".join([p.box.label, *p.box.notes])
    out = [f'<a href="{escape(p.box.href)}" aria-label="{escape(spoken)}" class="{cls}">',
           f'<rect x="{p.x:.1f}" y="{p.y:.1f}" width="{p.w:.1f}" height="{p.h:.1f}" rx="6"/>']
    ty = p.y + _PAD + _LINE_NAME - 5
    for line in p.name_lines:
        out.append(f'<text x="{p.x + _PAD:.1f}" y="{ty:.1f}" class="svg-name">'
                   f"{escape(line)}</text>")
        ty += _LINE_NAME
    ty -= 2
    for line in p.note_lines:
        out.append(f'<text x="{p.x + _PAD:.1f}" y="{ty:.1f}" class="svg-note">'
                   f"{escape(line)}</text>")
        ty += _LINE_NOTE
    out.append("</a>")
    return "".join(out)


def columns_svg(title: str, columns: Sequence[Sequence[Box]],
                links: Iterable[tuple[tuple[int, int], tuple[int, int]]], *,
                described_by: str = "") -> Markup:
    """Boxes in columns, with lines between linked boxes of neighbouring columns.

    The tallest column is stacked top to bottom in the order given; each box of another
    column sits level with the middle of the boxes it is linked to (boxes that would
    overlap are pushed down), so a box shared by two neighbours sits between them.
    ``links`` join (column, index) to (column, index). ``described_by`` is the id of the
    text on the page that says the same in words.
    """
    n = max(1, len(columns))
    lane = (90 if n == 2 else 48) if n > 1 else 0
    col_w = (WIDTH - lane * (n - 1)) / n
    placed = [[_placed(b, i * (col_w + lane), col_w) for b in col] for i, col in enumerate(columns)]
    top = 2.0
    link_list = list(links)
    heights = [sum(p.h + _GAP for p in col) for col in placed]
    primary = max(range(len(placed)), key=lambda i: heights[i]) if placed else 0
    y = top
    for p in placed[primary] if placed else []:
        p.y = y
        y += p.h + _GAP
    done = {primary}
    # Place the other columns outward from the primary one, each after a placed neighbour.
    order = sorted((i for i in range(len(placed)) if i != primary), key=lambda i: abs(i - primary))
    for i in order:
        partners: dict[int, list[float]] = {}
        for a, b in link_list:
            for (ca, ia), (cb, ib) in ((a, b), (b, a)):
                if ca == i and cb in done:
                    partners.setdefault(ia, []).append(placed[cb][ib].mid)
        wanted = {k: (sum(v) / len(v) if v else top) for k, v in partners.items()}
        floor = top
        for k in sorted(range(len(placed[i])), key=lambda k: (wanted.get(k, 1e9), k)):
            p = placed[i][k]
            p.y = max(wanted.get(k, floor) - p.h / 2, floor)
            floor = p.y + p.h + _GAP
        done.add(i)
    lines = []
    for (ca, ia), (cb, ib) in link_list:
        a, b = placed[ca][ia], placed[cb][ib]
        if a.x > b.x:
            a, b = b, a
        cls = "svg-link svg-link-focus" if (a.box.highlight or b.box.highlight) else "svg-link"
        lines.append(f'<path class="{cls}" d="M{a.x + a.w:.1f},{a.mid:.1f} '
                     f'C{a.x + a.w + lane / 2:.1f},{a.mid:.1f} {b.x - lane / 2:.1f},{b.mid:.1f} '
                     f'{b.x:.1f},{b.mid:.1f}"/>')
    bottom = max((p.y + p.h for col in placed for p in col), default=top)
    height = int(bottom + 2)
    boxes = [_draw_box(p) for col in placed for p in col]
    describe = f' aria-describedby="{escape(described_by)}"' if described_by else ""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="picture" role="group" '
        f'aria-label="{escape(title)}"{describe} viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}"><title>{escape(title)}</title>'
        + "".join(lines) + "".join(boxes) + "</svg>"
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
