"""Quotations in a text: pairs of quotation marks, paragraph by paragraph.

Curly and straight double quotes, guillemets, two apostrophes standing for a double quote
(`''as the New York Times writes''`), and single quotes that open at a word start and close at
a word end. An apostrophe inside or after a word ("martyrs'", "Iraq's") is no quote
unless a single quote is open. A quote left open runs to the end of its paragraph (the news
convention for quotes over several paragraphs) and is marked unbalanced; nothing raises.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["QUOTE_CHARS", "Quote", "Quotes", "find_quotes", "quote_type"]

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


_PAIR = "\x00"  # stands for the second apostrophe of a '' pair (same length, same offsets)


def _after(text: str, i: int) -> str:
    j = i + 2 if i + 1 < len(text) and text[i + 1] == _PAIR else i + 1
    return text[j] if j < len(text) else " "


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    return (before in _BEFORE_OPEN or not before.strip()) and bool(_after(text, i).strip())


def _closes(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    return bool(before.strip()) and not _after(text, i).isalnum()


def _close_end(text: str, i: int) -> int:
    return i + 2 if i + 1 < len(text) and text[i + 1] == _PAIR else i + 1


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
                quotes.append(Quote(double_open, _close_end(text, i), balanced=True))
                double_open, single_open = None, None
            elif ch == "”" and _opens(text, i) and not _closes(text, i):
                double_open = i  # a closing mark used to open
            elif ch in _DOUBLE_CLOSE and not quotes and text[start:i].strip():
                # a close with no open: the last paragraph of a quote opened paragraphs before
                quotes.append(Quote(start, i + 1, balanced=False))
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
    marks = text.replace("''", '"' + _PAIR)
    quotes: list[Quote] = []
    for paragraph in _PARAGRAPH.finditer(marks):
        quotes.extend(_paragraph_quotes(marks, paragraph.start(), paragraph.end()))
    return sorted(quotes, key=lambda q: q.start)


def quote_type(start: int, end: int, quotes: list[Quote]) -> str:
    """direct (one quotation, all of it), mixed (quoted fragments) or indirect (none);
    `quotes` are the outermost ones (a quote within a quote is part of it)."""
    inside = [q for q in quotes if q.start < end and q.end > start]
    if not inside:
        return "indirect"
    first = inside[0]
    if len(inside) == 1 and first.start <= start and first.end >= end:
        return "direct"
    return "mixed"


class Quotes:
    """The outermost quotations of a text (a quote within a quote is part of it), looked up
    by offset with bisection: a text of thousands of quotes costs no more per lookup."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.quotes: list[Quote] = []
        for quote in find_quotes(text):
            if self.quotes and quote.start < self.quotes[-1].end:
                continue  # inside the previous outermost quote
            self.quotes.append(quote)
        self._starts = [q.start for q in self.quotes]

    def __iter__(self) -> Iterator[Quote]:
        return iter(self.quotes)

    def around(self, offset: int) -> Quote | None:
        """The balanced quote strictly around `offset`, if any."""
        at = bisect.bisect_left(self._starts, offset) - 1
        if at >= 0:
            quote = self.quotes[at]
            if quote.balanced and quote.start < offset < quote.end:
                return quote
        return None

    def overlapping(self, start: int, end: int) -> list[Quote]:
        """The quotes that share a character with [start, end)."""
        at = max(0, bisect.bisect_right(self._starts, start) - 1)
        found = []
        for quote in self.quotes[at:]:
            if quote.start >= end:
                break
            if quote.end > start:
                found.append(quote)
        return found

    def ending_by(self, offset: int) -> Quote | None:
        """The last quote that ends at or before `offset`."""
        at = bisect.bisect_right(self._starts, offset) - 1
        while at >= 0 and self.quotes[at].end > offset:
            at -= 1
        return self.quotes[at] if at >= 0 else None

    def starting_from(self, offset: int) -> Quote | None:
        """The first quote that starts at or after `offset`."""
        at = bisect.bisect_left(self._starts, offset)
        return self.quotes[at] if at < len(self.quotes) else None

    def type_of(self, start: int, end: int) -> str:
        return quote_type(start, end, self.overlapping(start, end))
