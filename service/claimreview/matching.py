"""Which stored claims a ClaimReview is about: text, claimant and number, scored 0..1.

Pure functions over plain records (no store, no I/O), so the scoring can be tested on its own
and tuned without touching the importer. Only the standard library (difflib) is used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher

__all__ = [
    "THRESHOLD",
    "Candidate",
    "Match",
    "ReviewSignals",
    "match_review",
    "name_similarity",
    "numbers_in",
    "text_similarity",
]

THRESHOLD = 0.5  # a review is linked to a claim whose score reaches this
_LIMIT = 5  # at most this many claims linked per review, best first
# How much each signal counts when the review offers it (text always does).
_WEIGHTS = {"text": 0.5, "number": 0.3, "claimant": 0.2}
_WRONG_NUMBER = 0.5

_STOPWORDS = frozenset(
    "a an the of to in on at for and or but is are was were be been has have had it its "
    "that this these those with by from as than there their they them he she his her we our "
    "you your i not no said says say".split()
)
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])\d+(?:\.\d+)?")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored claim as the matcher sees it."""

    iri: str
    kind: str  # "statement", "quantity" or "date"
    texts: tuple[str, ...]  # content or mention as written, and its sentence
    value: Decimal | None = None  # a quantity claim's number
    claimant_names: tuple[str, ...] = ()  # the speaker's (or claimant's) name and aliases
    document_url: str | None = None


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

    def to_json(self) -> dict[str, object]:
        return {"claim": self.claim, "score": self.score, "signals": self.signals}


def _fold(text: str) -> str:
    """Lower case, accents and typographic quotes removed, numbers without thousands commas."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"(?<=\d),(?=\d{3}\b)", "", folded.lower())
    return " ".join(_WORD.findall(folded))


def _tokens(text: str) -> set[str]:
    return {t for t in _fold(text).split() if t not in _STOPWORDS}


def numbers_in(text: str) -> set[Decimal]:
    """The numbers written in digits ("2,500", "3.2", "118"), as Decimals."""
    found: set[Decimal] = set()
    for match in _NUMBER.finditer(text):
        try:
            found.add(Decimal(match.group().replace(",", "")).normalize())
        except InvalidOperation:  # pragma: no cover - the pattern only yields numbers
            continue
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


def _score(review: ReviewSignals, numbers: set[Decimal], candidate: Candidate) -> Match:
    signals: dict[str, float] = {
        "text": max((text_similarity(review.claim_reviewed, t) for t in candidate.texts), default=0)
    }
    if numbers:
        if candidate.value is not None:
            hit = Decimal(candidate.value).normalize() in numbers
        else:
            hit = any(numbers & numbers_in(t) for t in candidate.texts)
        signals["number"] = 1.0 if hit else 0.0
    if review.author_names:
        signals["claimant"] = name_similarity(review.author_names, candidate.claimant_names)
    weight = sum(_WEIGHTS[name] for name in signals)
    score = sum(_WEIGHTS[name] * value for name, value in signals.items()) / weight
    if candidate.value is not None and signals.get("number") == 0.0:
        score *= _WRONG_NUMBER  # a number claim whose number the review does not state
    if candidate.document_url and candidate.document_url in review.appearance_urls:
        signals["appearance"] = 1.0
        score = min(1.0, score + 0.1)
    return Match(candidate.iri, round(score, 3), signals)


def match_review(
    review: ReviewSignals,
    candidates: Sequence[Candidate],
    *,
    threshold: float = THRESHOLD,
    limit: int = _LIMIT,
) -> list[Match]:
    """The claims this review is about, best first: an itemReviewed that names a stored claim
    by IRI matches it outright (score 1); otherwise each claim is scored on the signals."""
    by_iri = {c.iri: c for c in candidates}
    named = [Match(i, 1.0, {"id": 1.0}) for i in dict.fromkeys(review.item_ids) if i in by_iri]
    if named:
        return named[:limit]
    numbers = numbers_in(review.claim_reviewed)
    scored = [_score(review, numbers, c) for c in candidates]
    kept = [m for m in scored if m.score >= threshold]
    kept.sort(key=lambda m: (-m.score, m.claim))
    return kept[:limit]
