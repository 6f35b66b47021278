"""Which stored claim a ClaimReview is about: text, claimant and number, scored 0..1.

A review links to the claim it reviews or to nothing. Text similarity to the claim's own
proposition carries most of the score (its sentence counts less, so the claims of one sentence
score apart); a number the review states and the claim does not, or a claimant who is someone
else, scale it down; nothing can make up for text that does not match. Only the best claim is
linked, or those that tie with it, and only from `THRESHOLD` up. Pure functions over plain
records (no store, no I/O), so the scoring can be tested on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher

__all__ = [
    "METHOD",
    "THRESHOLD",
    "Candidate",
    "Match",
    "ReviewSignals",
    "match_review",
    "name_similarity",
    "numbers_in",
    "text_similarity",
]

THRESHOLD = 0.5  # a review is linked to its best claim only when the score reaches this
TIE = 0.01  # claims scoring within this of the best are linked too (the same words twice)
_OWN_TEXT, _SENTENCE = 0.7, 0.3  # the claim's proposition, and the sentence it is in
_WRONG_NUMBER = 0.6  # a number claim whose number the review does not state
_NUMBER_MISSING = 0.85  # a claim without the number the review states
_NUMBER_IN_TEXT = 0.95  # a claim that states the number, but not as its own value: the
# number claim itself, when there is one, is the more exact match
_CLAIMANT_FLOOR = 0.7  # a claimant who is someone else (0 similarity) keeps this much
_APPEARANCE = 0.1  # added when the review names the document the claim appears in
METHOD = (
    f"factgraph review matcher 2: text similarity to the claim's proposition ({_OWN_TEXT}) "
    f"and its sentence ({_SENTENCE}), times number agreement (1; {_WRONG_NUMBER} for a number "
    f"claim whose number the review does not state, {_NUMBER_IN_TEXT} for another claim that "
    f"states it, {_NUMBER_MISSING} for one without it) and claimant agreement "
    f"({_CLAIMANT_FLOOR} + {1 - _CLAIMANT_FLOOR:.1f} x name similarity), plus {_APPEARANCE} "
    f"when the review names the claim's document; the best "
    f"claim from {THRESHOLD} up, two only when they tie"
)

_STOPWORDS = frozenset(
    "a an the of to in on at for and or but is are was were be been has have had it its "
    "that this these those with by from as than there their they them he she his her we our "
    "you your i not no said says say".split()
)
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])\d+(?:\.\d+)?)"
    r"(?:\s+(thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored claim as the matcher sees it."""

    iri: str
    kind: str  # "statement", "quantity" or "date"
    text: str  # the claim's proposition ("There are roughly 2,500 American troops in Iraq.")
    sentence: str | None = None  # the sentence it is in
    value: Decimal | None = None  # a quantity claim's number
    claimant_names: tuple[str, ...] = ()  # the speaker's (or claimant's) name and aliases
    document_urls: tuple[str, ...] = ()  # every URL the claim's text appeared at


@dataclass(frozen=True, slots=True)
class ReviewSignals:
    """What a ClaimReview offers for matching."""

    claim_reviewed: str
    author_names: tuple[str, ...] = ()  # itemReviewed.author.name
    item_ids: tuple[str, ...] = ()  # itemReviewed's @id and sameAs
    appearance_urls: tuple[str, ...] = ()  # itemReviewed.appearance / firstAppearance urls


@dataclass(frozen=True, slots=True)
class Match:
    claim: str
    score: float
    signals: dict[str, float] = field(default_factory=dict)
    method: str = METHOD

    def to_json(self) -> dict[str, object]:
        return {"claim": self.claim, "score": self.score, "signals": self.signals,
                "method": self.method}


def _fold(text: str) -> str:
    """Lower case, accents and typographic quotes removed, numbers without thousands commas."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"(?<=\d),(?=\d{3}\b)", "", folded.lower())
    return " ".join(_WORD.findall(folded))


def _tokens(text: str) -> set[str]:
    return {t for t in _fold(text).split() if t not in _STOPWORDS}


def numbers_in(text: str) -> set[Decimal]:
    """The numbers written in digits ("2,500", "3.2", "118"), as Decimals; with a scale word
    ("2.5 million") both as written and scaled."""
    found: set[Decimal] = set()
    for match in _NUMBER.finditer(text):
        try:
            number = Decimal(match.group(1).replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern only yields numbers
            continue
        found.add(number.normalize())
        if match.group(2):
            found.add((number * _SCALE[match.group(2).lower()]).normalize())
    return found


def text_similarity(reviewed: str, claim_text: str) -> float:
    """0..1: the best of character similarity, word overlap (Dice), and how much of the
    review's words the claim holds (a claimReviewed is often a summary of a longer sentence)."""
    a, b = _fold(reviewed), _fold(claim_text)
    if not a or not b:
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    ta, tb = _tokens(reviewed), _tokens(claim_text)
    if not ta or not tb:
        return round(ratio, 3)
    common = len(ta & tb)
    dice = 2 * common / (len(ta) + len(tb))
    containment = 0.9 * common / len(ta) if len(ta) >= 3 else 0.0
    return round(max(ratio, dice, containment), 3)


def name_similarity(names: Iterable[str], known: Iterable[str]) -> float:
    """0..1: 1 for the same name (folded), else the closest character similarity; a name that
    is all the words of a known one (or the reverse: "Islamic Resistance") counts 0.8."""
    best = 0.0
    known_folded = [_fold(k) for k in known if k]
    for name in names:
        folded = _fold(name)
        if not folded:
            continue
        for other in known_folded:
            if folded == other:
                return 1.0
            score = SequenceMatcher(None, folded, other, autojunk=False).ratio()
            words, other_words = set(folded.split()), set(other.split())
            if words <= other_words or other_words <= words:
                score = max(score, 0.8)
            best = max(best, score)
    return round(best, 3)


def _number_factor(numbers: set[Decimal], candidate: Candidate) -> tuple[float, float | None]:
    """(factor, signal): does the claim hold the number the review states?"""
    if not numbers:
        return 1.0, None
    if candidate.value is not None:
        hit = Decimal(candidate.value).normalize() in numbers
        return (1.0, 1.0) if hit else (_WRONG_NUMBER, 0.0)
    hit = bool(numbers & numbers_in(candidate.text))
    return (_NUMBER_IN_TEXT, 1.0) if hit else (_NUMBER_MISSING, 0.0)


def _score(review: ReviewSignals, numbers: set[Decimal], candidate: Candidate) -> Match:
    own = text_similarity(review.claim_reviewed, candidate.text)
    sentence = text_similarity(review.claim_reviewed, candidate.sentence or candidate.text)
    signals: dict[str, float] = {"text": own, "sentence": sentence}
    score = _OWN_TEXT * own + _SENTENCE * sentence
    factor, number = _number_factor(numbers, candidate)
    score *= factor
    if number is not None:
        signals["number"] = number
    if review.author_names:
        claimant = name_similarity(review.author_names, candidate.claimant_names)
        signals["claimant"] = claimant
        score *= _CLAIMANT_FLOOR + (1 - _CLAIMANT_FLOOR) * claimant
    if set(candidate.document_urls) & set(review.appearance_urls):
        signals["appearance"] = 1.0
        score = min(1.0, score + _APPEARANCE)
    return Match(candidate.iri, round(score, 3), signals)


def match_review(
    review: ReviewSignals,
    candidates: Sequence[Candidate],
    *,
    threshold: float = THRESHOLD,
) -> list[Match]:
    """The claim this review is about (two or more only when they tie), or none: an
    itemReviewed that names a stored claim by IRI links to it outright (score 1); otherwise
    the best-scoring claim, when its score reaches `threshold`."""
    by_iri = {c.iri: c for c in candidates}
    named = [
        Match(i, 1.0, {"id": 1.0}, "named by the review's itemReviewed")
        for i in dict.fromkeys(review.item_ids) if i in by_iri
    ]
    if named:
        return named
    numbers = numbers_in(review.claim_reviewed)
    scored = sorted(
        (_score(review, numbers, c) for c in candidates), key=lambda m: (-m.score, m.claim)
    )
    if not scored or scored[0].score < threshold:
        return []
    best = scored[0].score
    return [m for m in scored if m.score >= best - TIE]
