"""A stored claim as a proposition a fact-checker can review: a sentence, not a bare number or
a quote with a trailing comma.

Read from what the graph stores (no parser at read time): a statement's content, cleaned; a
number's or a date's clause of its sentence (or the content of the statement it stands in),
with the attribution ("According to US officials, ...", "..., she said") taken off. Where two
numbers share one verb ("roughly 2,500 troops in Iraq and some 900 in Syria") the second
clause borrows the first one's opening ("There are some 900 in Syria ...").
"""

from __future__ import annotations

import re

__all__ = ["clause_around", "clean_proposition", "proposition"]

_QUOTES = "\"'“”‘’«»"
_MIN_WORDS = 4  # a content shorter than this ("more attacks", "them") is no proposition
# Where one clause ends and another begins, without a parser.
_CLAUSE_BREAK = re.compile(
    r"\s*;\s*|\s+[—–]\s+|\n+"
    # (not ", and": it joins the items of lists far more often than clauses)
    r"|,\s+(?=(?:but|while|whereas|although|though|yet)\b)"
    r"|\s+(?=(?:while|whereas)\b)"
    # "... in Iraq and some 900 in Syria": a second number coordinated with the first
    r"|\s+(?=and\s+(?:some|about|around|roughly|nearly|almost|over|more than|at least|"
    r"upwards of|up to|approximately)?\s*\d)"
)
_LEADING_CONJUNCTION = re.compile(
    r"^(?:and|but|while|whereas|although|though|yet|however)\b[\s,]+", re.IGNORECASE
)
_LEADING_ATTRIBUTION = re.compile(
    r"^(?:according to|as reported by|in the words of)\s+[^,]{1,80},\s*", re.IGNORECASE
)
_TRAILING_ATTRIBUTION = re.compile(
    r",?\s*(?:according to\s+[^,]{1,80}"
    r"|[^,]{1,60}\s(?:said|says|added|adds|told\s+[^,]{1,40}|reported|claimed|stated|"
    r"announced|noted|warned))\s*[.!?]?$",
    re.IGNORECASE,
)
_NUMBER_START = re.compile(
    r"\b(?:(?:some|about|around|roughly|nearly|almost|over|more than|at least|upwards of|"
    r"up to|approximately)\s+)?\d"
)
_TRAILING_PUNCTUATION = re.compile(r"[\s,;:]+$")


def clean_proposition(text: str) -> str:
    """Outer quotation marks, a leading "that", a trailing comma off; a capital first letter
    and a full stop."""
    cleaned = " ".join(text.split())
    cleaned = re.sub(r"^that\s+", "", cleaned, flags=re.IGNORECASE)
    cleaned = _TRAILING_PUNCTUATION.sub("", cleaned)
    while len(cleaned) > 1 and cleaned[0] in _QUOTES and cleaned[-1] in _QUOTES + ".,":
        cleaned = _TRAILING_PUNCTUATION.sub("", cleaned[1:].rstrip(_QUOTES))
    cleaned = cleaned.strip(_QUOTES + " ") if cleaned.count("“") != cleaned.count("”") else cleaned
    cleaned = _TRAILING_PUNCTUATION.sub("", cleaned)
    cleaned = re.sub(r"[\s,;:]+([”\"’'])$", r"\1", cleaned)  # “... his office,” -> “... office”
    if not cleaned:
        return ""
    cleaned = cleaned[0].upper() + cleaned[1:]
    return cleaned if cleaned[-1] in ".!?" else f"{cleaned}."


def _clauses(sentence: str) -> list[tuple[int, str]]:
    """The sentence's clauses with their start offsets."""
    found, start = [], 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        found.append((start, sentence[start : match.start()]))
        start = match.end()
    found.append((start, sentence[start:]))
    return [(at, text) for at, text in found if text.strip()]


def clause_around(sentence: str, part: str) -> str:
    """The clause of `sentence` that holds `part` (the whole sentence when `part` is not in
    it), without its attribution; a clause that starts with a number borrows the opening of
    the clause before it when that one also names a number."""
    at = sentence.find(part) if part else -1
    if at < 0:
        return _strip_attribution(sentence)
    clauses = _clauses(sentence)
    index = max(i for i, (start, _) in enumerate(clauses) if start <= at or i == 0)
    clause = _LEADING_CONJUNCTION.sub("", clauses[index][1].strip())
    if index > 0 and _NUMBER_START.match(clause):
        previous = _strip_attribution(clauses[index - 1][1].strip())
        number = _NUMBER_START.search(previous)
        if number and number.start() > 0:
            clause = previous[: number.start()] + clause
    return _strip_attribution(clause)


def _strip_attribution(text: str) -> str:
    stripped = _LEADING_ATTRIBUTION.sub("", text.strip())
    without_tail = _TRAILING_ATTRIBUTION.sub("", stripped)
    return without_tail if len(without_tail.split()) >= _MIN_WORDS else stripped


def _reads_as_proposition(text: str | None) -> bool:
    if not text:
        return False
    words = text.strip(_QUOTES + " ").split()
    return len(words) >= _MIN_WORDS and words[0].lower() not in {"to", "for", "against"}


def proposition(
    kind: str,
    *,
    sentence: str | None,
    content: str | None = None,
    mention: str | None = None,
    statement_content: str | None = None,
) -> str:
    """What a fact-checker would review: a statement's content, else (and for numbers and
    dates) the content of the statement it stands in, else its clause of the sentence."""
    if kind == "statement" and _reads_as_proposition(content):
        return clean_proposition(content or "")
    if (
        kind != "statement"
        and mention
        and statement_content
        and mention in statement_content
        and _reads_as_proposition(statement_content)
    ):
        return clean_proposition(statement_content)
    if sentence:
        return clean_proposition(clause_around(sentence, mention or content or ""))
    return clean_proposition(content or mention or "")
