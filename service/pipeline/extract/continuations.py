"""Quotations that continue a speaker: in `"X," said Y. "Z."` and in the paragraphs after it,
every later quotation belongs to Y until someone else is quoted or the text moves on.

A quotation is a continuation when nothing but punctuation and space, or the rest of the
cue's sentence, lies between it and the end of the statement before it (its content, cue or
speaker, whichever comes last), within the next paragraph at most; that statement is then
continued, speaker and cue, and a chain of quoted paragraphs continues it on. A quotation
inside another statement, or after narrative text, is not one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from service.pipeline.extract.quotes import Quotes
from service.pipeline.extract.reporting import Candidate

__all__ = ["continuations"]

_GAP = re.compile(r"[\s.,;:!?”\"’»'—–-]*")
# The rest of the cue's sentence, then the quotation: `..." Reid said in a statement. "It's`;
# the rest may name a show or a paper in quotation marks: `he told NBC's "Today." "I could`
_TITLE = r"“[^“”\n]{1,80}”|\"[^\"\n]{1,80}\""
_TITLE_ENDING = r"“[^“”\n]{0,80}[.!?]”|\"[^\"\n]{0,80}[.!?]\""
_REST = re.compile(
    rf"(?:[^\n\"“”«»]|{_TITLE}){{0,250}}?(?:[.!?]|{_TITLE_ENDING})[\s”\"’»']*"
)
_WORD = re.compile(r"\w")
_MOST_PARAGRAPH_BREAKS = 2  # "\n\n": the next paragraph, not one further


def _covered(contents: Iterable[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The stretches of text inside some statement's content, merged: starts and ends."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(contents):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _inside(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    at = bisect.bisect_left(starts, end) - 1
    return at >= 0 and ends[at] > start


def continuations(text: str, statements: list[Candidate], quotes: Quotes) -> list[Candidate]:
    """The statements found, and one more for each quotation that continues one (a quotation
    of several sentences is one statement, as news annotation mostly counts it), in order."""
    starts, ends = _covered(s.content for s in statements)
    by_end = sorted(statements, key=lambda s: s.end)
    end_keys = [s.end for s in by_end]
    added: list[Candidate] = []
    for quote in quotes:
        if _inside(starts, ends, quote.start, quote.end):
            continue
        at = bisect.bisect_right(end_keys, quote.start) - 1
        if at < 0:
            continue
        last = by_end[at]
        gap = text[last.end : quote.start]
        if last.phrase is None or not (_GAP.fullmatch(gap) or _REST.fullmatch(gap)):
            continue
        if gap.count("\n") > _MOST_PARAGRAPH_BREAKS:
            continue
        if not _WORD.search(text, quote.start, quote.end):
            continue
        origin = last.continues or last
        continued = Candidate(
            cue=origin.cue,
            content=(quote.start, quote.end),
            phrase=origin.phrase,
            lemma=origin.lemma,
            anchor=quote.start,
            type="direct",
            speaker=origin.speaker,
            continues=origin,
            refers_to=origin.refers_to,
            unresolvable=origin.unresolvable,
        )
        added.append(continued)
        index = bisect.bisect_right(end_keys, continued.end)
        end_keys.insert(index, continued.end)
        by_end.insert(index, continued)
    return sorted([*statements, *added], key=lambda s: s.content[0])
