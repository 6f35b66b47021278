"""Whether two claims from different documents agree: pure functions, no store, no I/O.

Two quantity claims are about the same thing when their counted keys match (equal, or one the
other with leading qualifiers: "us-troop" refines "troop"). They are then compared only when
the same place and the same period are meant (a missing place or period matches any); their
intervals [minValue, maxValue] (a missing bound is open) overlap -> corroboration, else
conflict. Claims about the same thing that are not comparable are *related*, with the reason.
Date claims about the same event compare [earliest, latest] the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "END_TOLERANCE_DAYS",
    "START_TOLERANCE_DAYS",
    "DateSide",
    "QuantitySide",
    "Status",
    "Verdict",
    "compare_dates",
    "compare_quantities",
    "key_generalisations",
    "keys_compatible",
]

# "Since mid-October" resolves to 15 October: a few days either way is the same period.
START_TOLERANCE_DAYS = 3
# Running counts "so far" / "since X" end at publication: reports a week or two apart still
# describe the same period.
END_TOLERANCE_DAYS = 14


class Status(StrEnum):
    """The outcome of a comparison; the value is the fg: local name of the status."""

    CONFLICT = "Conflict"
    CORROBORATION = "Corroboration"
    RELATED = "Related"

    @property
    def query_name(self) -> str:
        """How a client names it (`?status=conflict`)."""
        return self.value.lower()


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Status
    reason: str  # one sentence a reader understands


@dataclass(frozen=True, slots=True)
class QuantitySide:
    """One quantity claim as the comparison needs it."""

    claim: str
    document: str
    key: str
    value: Decimal
    comparator: str  # fg: local name ("approximately")
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    unit: str | None = None
    location: str | None = None
    location_name: str | None = None
    time: str | None = None
    time_start: date | None = None
    time_end: date | None = None
    mention: str | None = None

    def label(self) -> str:
        return f'"{self.mention or self.value}"'


@dataclass(frozen=True, slots=True)
class DateSide:
    """One date claim as the comparison needs it."""

    claim: str
    document: str
    key: str
    earliest: date
    latest: date
    date_text: str | None = None


def key_generalisations(key: str) -> list[str]:
    """The key and what it refines by dropping leading qualifiers: us-troop -> [us-troop, troop]."""
    parts = key.split("-")
    return ["-".join(parts[i:]) for i in range(len(parts)) if parts[i]]


def keys_compatible(key_a: str, key_b: str) -> bool:
    """Equal keys, or one the other with qualifiers in front ("us-troop" and "troop")."""
    return key_a in key_generalisations(key_b) or key_b in key_generalisations(key_a)


def _bounds(side: QuantitySide) -> tuple[Decimal | None, bool, Decimal | None, bool]:
    """Low, low excluded?, high, high excluded?: "over 118" excludes 118 itself."""
    return (
        side.minimum,
        side.comparator == "greaterThan",
        side.maximum,
        side.comparator == "lessThan",
    )


def _below(low: Decimal | None, high: Decimal | None, strict: bool) -> bool:
    """Whether an interval starting at `low` can meet one ending at `high` (None is open)."""
    if low is None or high is None:
        return True
    return low < high if strict else low <= high


def _overlap(a: QuantitySide, b: QuantitySide) -> bool:
    low_a, low_a_strict, high_a, high_a_strict = _bounds(a)
    low_b, low_b_strict, high_b, high_b_strict = _bounds(b)
    return _below(low_a, high_b, low_a_strict or high_b_strict) and _below(
        low_b, high_a, low_b_strict or high_a_strict
    )


def _interval(side: QuantitySide) -> str:
    low = "" if side.minimum is None else format(side.minimum, "f")
    high = "" if side.maximum is None else format(side.maximum, "f")
    if low and high and low == high:
        return low
    if low and not high:
        return f"at least {low}"
    if high and not low:
        return f"at most {high}"
    return f"{low} to {high}"


def _days(a: date | None, b: date | None) -> int | None:
    return None if a is None or b is None else abs((a - b).days)


def _different_period(a: QuantitySide, b: QuantitySide) -> str | None:
    start = _days(a.time_start, b.time_start)
    if start is not None and start > START_TOLERANCE_DAYS:
        return (
            f"different periods: {a.label()} counts {a.time or 'from'} ({a.time_start}) and "
            f"{b.label()} {b.time or 'from'} ({b.time_start}), {start} days apart, so the "
            "numbers measure different spans and are not compared"
        )
    end = _days(a.time_end, b.time_end)
    if end is not None and end > END_TOLERANCE_DAYS:
        return (
            f"different periods: {a.label()} runs to {a.time_end} and {b.label()} to "
            f"{b.time_end}, {end} days apart, so the numbers are not compared"
        )
    return None


def compare_quantities(a: QuantitySide, b: QuantitySide) -> Verdict | None:
    """The verdict on two quantity claims; None when they are not about the same thing."""
    if a.document == b.document or not keys_compatible(a.key, b.key):
        return None
    if (a.unit or "") != (b.unit or ""):
        units = f"{a.unit or 'a count'} against {b.unit or 'a count'}"
        return Verdict(Status.RELATED, f"Different units ({units}): {a.label()} and {b.label()}.")
    if a.location and b.location and a.location != b.location:
        places = f"{a.location_name or a.location} against {b.location_name or b.location}"
        return Verdict(
            Status.RELATED,
            f"Different places ({places}): {a.label()} and {b.label()} count the same kind "
            "of thing in different places, so the numbers are not compared.",
        )
    period = _different_period(a, b)
    if period is not None:
        return Verdict(Status.RELATED, period[0].upper() + period[1:] + ".")
    about = f"{a.key}" if a.key == b.key else f"{a.key} / {b.key}"
    sides = f"{a.label()} ({_interval(a)}) and {b.label()} ({_interval(b)})"
    if _overlap(a, b):
        return Verdict(
            Status.CORROBORATION,
            f"Same count ({about}), no different place or period: {sides} overlap.",
        )
    return Verdict(
        Status.CONFLICT,
        f"Same count ({about}), no different place or period: {sides} do not overlap.",
    )


def compare_dates(a: DateSide, b: DateSide) -> Verdict | None:
    """The verdict on two date claims; None when they are not about the same event."""
    if a.document == b.document or a.key != b.key:
        return None
    sides = (
        f'"{a.date_text or a.earliest}" ({a.earliest} to {a.latest}) and '
        f'"{b.date_text or b.earliest}" ({b.earliest} to {b.latest})'
    )
    if a.earliest <= b.latest and b.earliest <= a.latest:
        return Verdict(Status.CORROBORATION, f"Same event ({a.key}): {sides} overlap.")
    return Verdict(Status.CONFLICT, f"Same event ({a.key}): {sides} do not overlap.")
