"""What Google's fact-check (ClaimReview) markup asks of a review, and what one lacks.

Google Search's documentation of ClaimReview structured data names as required: the review's
`claimReviewed`, `reviewRating` (whose `alternateName`, the verdict in words, is required) and
`url`; as recommended: its `author`, `datePublished` and `itemReviewed`, and the reviewed
Claim's `author`, `datePublished` and `appearance` (or `firstAppearance`). A review without
some of them is still imported (a fact-checker's feed is rarely complete); the answer lists
what is missing so the sender can fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["RECOMMENDED", "REQUIRED", "missing_fields", "warning"]

Check = Callable[[dict[str, Any]], bool]


def _present(value: Any) -> bool:
    if isinstance(value, list):
        return any(_present(v) for v in value)
    if isinstance(value, dict):
        return bool(value)
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None


def _objects(value: Any) -> list[dict[str, Any]]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, dict)]


def _field(name: str) -> Check:
    return lambda review: _present(review.get(name))


def _nested(outer: str, *names: str) -> Check:
    """Some object under `outer` has one of `names` (no object there: missing too)."""
    return lambda review: any(
        _present(item.get(name)) for item in _objects(review.get(outer)) for name in names
    )


REQUIRED: dict[str, Check] = {
    "claimReviewed": _field("claimReviewed"),
    "reviewRating": _field("reviewRating"),
    "reviewRating.alternateName": _nested("reviewRating", "alternateName"),
    "url": _field("url"),
}
RECOMMENDED: dict[str, Check] = {
    "author": _field("author"),
    "datePublished": _field("datePublished"),
    "itemReviewed": _field("itemReviewed"),
    "itemReviewed.author": _nested("itemReviewed", "author"),
    "itemReviewed.datePublished": _nested("itemReviewed", "datePublished"),
    "itemReviewed.appearance": _nested("itemReviewed", "appearance", "firstAppearance"),
}


def missing_fields(review: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(required, recommended) fields of Google's markup this review lacks."""
    required = [name for name, present in REQUIRED.items() if not present(review)]
    recommended = [name for name, present in RECOMMENDED.items() if not present(review)]
    return required, recommended


def warning(where: str, review: dict[str, Any]) -> str | None:
    """One sentence naming what the review lacks, or None when it has everything."""
    required, recommended = missing_fields(review)
    parts = []
    if required:
        parts.append(f"lacks what Google's ClaimReview markup requires: {', '.join(required)}")
    if recommended:
        parts.append(f"lacks what it recommends: {', '.join(recommended)}")
    return f"{where} was imported but {'; and '.join(parts)}" if parts else None
