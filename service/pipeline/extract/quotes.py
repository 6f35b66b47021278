"""Quotations in a text: pairs of quotation marks, paragraph by paragraph.

Curly and straight double quotes, guillemets, and single quotes that open at a word start and
close at a word end. An apostrophe inside or after a word ("martyrs'", "Iraq's") is no quote
unless a single quote is open. A quote left open runs to the end of its paragraph (the news
convention for quotes over several paragraphs) and is marked unbalanced; nothing raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QUOTE_CHARS", "Quote", "find_quotes", "quote_type"]

_DOUBLE_OPEN = "“„«‟"
_DOUBLE_CLOSE = "”»"
_SINGLE_OPEN = "‘‹"
_SINGLE_CLOSE = "’›"
QUOTE_CHARS = frozenset(_DOUBLE_OPEN + _DOUBLE_CLOSE + '"' + "‘‹›")
_BEFORE_OPEN = set(" \t\n([{—–-/:;,") | set(_DOUBLE_OPEN) | set(_SINGLE_OPEN)
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # offset of the opening mark
    end: int  # offset after the closing mark (or the paragraph end when unbalanced)
    balanced: bool


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in _BEFORE_OPEN or not before.strip()) and bool(after.strip())


def _closes(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return bool(before.strip()) and not after.isalnum()


def _paragraph_quotes(text: str, start: int, end: int) -> list[Quote]:
    quotes: list[Quote] = []
    double_open: int | None = None
    single_open: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch in _DOUBLE_OPEN or (ch == '"' and double_open is None and _opens(text, i)):
            if double_open is not None:  # a new opening before a close: the old one is cut
                quotes.append(Quote(double_open, i, balanced=False))
            double_open, single_open = i, None
        elif ch in _DOUBLE_CLOSE or ch == '"':
            if double_open is not None:
                quotes.append(Quote(double_open, i + 1, balanced=True))
                double_open, single_open = None, None
            elif ch == "”" and _opens(text, i) and not _closes(text, i):
                double_open = i  # a closing mark used to open
        elif (ch in _SINGLE_OPEN or (ch == "'" and single_open is None and _opens(text, i))) and (
            ch in "‘‹" or not text[i - 1 : i].isalnum()
        ):
            single_open = i
        elif (ch in _SINGLE_CLOSE or ch == "'") and single_open is not None and _closes(text, i):
            quotes.append(Quote(single_open, i + 1, balanced=True))
            single_open = None
    if double_open is not None:
        quotes.append(Quote(double_open, end, balanced=False))
    return quotes


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in `text`, in order of their opening marks."""
    quotes: list[Quote] = []
    for paragraph in _PARAGRAPH.finditer(text):
        quotes.extend(_paragraph_quotes(text, paragraph.start(), paragraph.end()))
    return sorted(quotes, key=lambda q: q.start)


def quote_type(start: int, end: int, quotes: list[Quote]) -> str:
    """direct (one quotation, all of it), mixed (quoted fragments) or indirect (none)."""
    inside = [q for q in quotes if q.start < end and q.end > start]
    if not inside:
        return "indirect"
    first = inside[0]
    if len(inside) == 1 and first.start <= start and first.end >= end:
        return "direct"
    return "mixed"
