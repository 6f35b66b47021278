"""Content negotiation: an Accept header against the media types a route can serve (RFC 9110)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["AcceptRange", "acceptable", "parse_accept"]


@dataclass(frozen=True, slots=True)
class AcceptRange:
    """One entry of an Accept header: `type/subtype` (either may be `*`) with its weight."""

    type: str
    subtype: str
    q: float
    position: int

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.split(";")[0].strip().lower().partition("/")
        return (self.type in ("*", kind)) and (self.subtype in ("*", sub))

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def _weight(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0  # an unreadable weight is not a wish
            return min(max(q, 0.0), 1.0)
    return 1.0


def parse_accept(header: str | None) -> list[AcceptRange]:
    """The ranges of an Accept header; an absent or empty header accepts anything."""
    if header is None or not header.strip():
        return [AcceptRange("*", "*", 1.0, 0)]
    ranges = []
    for position, item in enumerate(header.split(",")):
        media, *params = item.split(";")
        kind, slash, sub = media.strip().lower().partition("/")
        if not slash or not kind or not sub:
            if media.strip() == "*":  # seen in the wild for */*
                kind, sub = "*", "*"
            else:
                continue
        ranges.append(AcceptRange(kind, sub, _weight(params), position))
    return ranges


def acceptable(header: str | None, offered: Sequence[str]) -> list[str]:
    """The offered media types the client accepts, best first.

    Each offered type takes the weight of the most specific range that matches it (so
    `text/*;q=0` with `text/csv` still allows text/csv); q=0 excludes. Equal weights keep the
    order of the header, then the order of `offered` (the server's preference).
    """
    ranges = parse_accept(header)
    ranked: list[tuple[float, int, int, str]] = []
    for index, media_type in enumerate(offered):
        matching = [r for r in ranges if r.matches(media_type)]
        if not matching:
            continue
        best = max(matching, key=lambda r: (r.specificity, r.q))
        if best.q <= 0:
            continue
        ranked.append((-best.q, best.position, index, media_type))
    return [media_type for *_, media_type in sorted(ranked)]
