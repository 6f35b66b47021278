"""The article text as HTML with its spans marked, from the offsets the graph holds.

Spans nest and overlap (a quantity inside a statement's content, an actor inside both), so
the text is cut at every span boundary into segments; each segment is wrapped in one element
per span covering it, outermost first. A span's first segment carries its `id`, so
`#statement-3` lands on where it starts. Every piece of text and every attribute goes through
`markupsafe.escape`: the text is a user's and may hold `<script>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

__all__ = ["Highlight", "render_text"]


@dataclass(frozen=True, slots=True)
class Highlight:
    """One span to mark: `[begin, end)` in code points, as Python `str` indexes count."""

    begin: int
    end: int
    kind: str  # "statement", "quantity", "date" or "actor": the CSS class
    ref: str  # the detail it opens, e.g. "statement-3" or "actor-united-states"
    anchor: str | None = None  # the id its first segment carries, e.g. "statement-3"
    title: str = ""  # a tooltip


def _open(span: Highlight, first: bool) -> Markup:
    tag = "span" if span.kind == "actor" else "mark"
    attributes = [
        ("class", f"hl hl-{span.kind}"),
        ("data-ref", span.ref),
        ("data-kind", span.kind),
        ("tabindex", "0"),
    ]
    if first and span.anchor:
        attributes.insert(0, ("id", span.anchor))
    if span.title:
        attributes.append(("title", span.title))
    inner = Markup(" ").join(Markup('{}="{}"').format(name, value) for name, value in attributes)
    return Markup("<{} {}>").format(Markup(tag), inner)


def _close(span: Highlight) -> Markup:
    return Markup("</span>") if span.kind == "actor" else Markup("</mark>")


def render_text(text: str, spans: list[Highlight]) -> Markup:
    """`text` as escaped HTML with `spans` marked; spans outside the text are dropped."""
    valid = [s for s in spans if 0 <= s.begin < s.end <= len(text)]
    # Outer (earlier start, longer) spans wrap inner ones; actors innermost at a tie.
    order = {
        id(s): i
        for i, s in enumerate(
            sorted(valid, key=lambda s: (s.begin, -s.end, s.kind == "actor", s.ref))
        )
    }
    cuts = sorted({0, len(text)} | {s.begin for s in valid} | {s.end for s in valid})
    started: set[int] = set()
    parts: list[Markup] = []
    for left, right in pairwise(cuts):
        covering = sorted(
            (s for s in valid if s.begin <= left and right <= s.end), key=lambda s: order[id(s)]
        )
        piece = escape(text[left:right])
        if not covering:
            parts.append(piece)
            continue
        opened = []
        for span in covering:
            first = id(span) not in started
            started.add(id(span))
            opened.append(_open(span, first))
        closed = [_close(span) for span in reversed(covering)]
        parts.append(Markup("").join([*opened, piece, *closed]))
    return Markup("").join(parts)
