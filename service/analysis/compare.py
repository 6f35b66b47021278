"""Whether two claims agree: pure functions, no store, no I/O.

Two quantity claims measure the same thing only when everything they measure matches: the
counted key (equal, or one the other with leading qualifiers: "us-troop" refines "troop"), the
predicate they are the count of (its class: killed and died are one; and the other party,
"hillary-clinton/win" is not "bernie-sanders/win"), the nature (stock, flow, change) and the
kind of unit (a percentage is no count). Claims that differ in any of these are not compared
(None), and so are claims whose predicate is not known, or a share or an amount of no one
named. Claims that do match are compared by their intervals [minValue, maxValue] (a missing
bound is open; an exact number covers what it is rounded to: overlap -> corroboration, else
conflict) only when their place, event and period are known to be the same; otherwise they
are *related*, with every reason:

- place: both name it and it is the same, or both count at the same named event ("the Fox News
  poll"), or both are in one article (whose unnamed place is the same for both). An unknown
  place is unknown, never equal. Two different places or two different named events: related.
- period: the resolved periods start within `START_TOLERANCE_DAYS` and end within
  `END_TOLERANCE_DAYS` of each other; a claim with no period is as of its publication date
  (unless both count at one named event); a period written but not resolved is unknown.
- the other party: a pronoun ("he won") or named on one side only; one counted key refining
  the other ("troop" and "us-troop"); different units: related.

Within one article, only claims of different claimants are compared (a union and a government
can disagree; an outlet repeating its own number does not corroborate itself). Date claims about
the same event compare [earliest, latest] the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from service.pipeline.records import UNKNOWN_PARTY

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
    predicate: str | None = None  # as written: "killed"
    predicate_key: str | None = None  # "[party/]class": "die", "hillary-clinton/win"
    nature: str | None = None  # fg: local name: Stock, Flow, Change
    event: str | None = None  # as written: "a drone attack on Tower 22"
    event_key: str | None = None  # "tower-22/attack"
    claimant: str | None = None  # who claims it (an actor IRI)
    published: date | None = None  # its document's publication date
    sentence: str | None = None  # the sentence it is derived from (an IRI)
    statement: str | None = None  # the statement it stands in, where there is one

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
    claimant: str | None = None


def key_generalisations(key: str) -> list[str]:
    """The key and what it refines by dropping leading qualifiers: us-troop -> [us-troop, troop]."""
    parts = key.split("-")
    return ["-".join(parts[i:]) for i in range(len(parts)) if parts[i]]


def keys_compatible(key_a: str, key_b: str) -> bool:
    """Equal keys, or one the other with qualifiers in front ("us-troop" and "troop")."""
    return key_a in key_generalisations(key_b) or key_b in key_generalisations(key_a)


def _same_source(a: QuantitySide | DateSide, b: QuantitySide | DateSide) -> bool:
    """One claim, or two claims one source makes in one article: never compared."""
    return a.claim == b.claim or (a.document == b.document and a.claimant == b.claimant)


def _one_voice(a: QuantitySide, b: QuantitySide) -> bool:
    """Two numbers of one sentence are two sources only when each is in a statement of its
    own ("one company says ..., another says ..."); else the sentence is one voice listing
    its numbers, whoever the extractor credits each to."""
    if a.document != b.document or a.sentence is None or a.sentence != b.sentence:
        return False
    return a.statement is None or b.statement is None or a.statement == b.statement


# --- what is measured ----------------------------------------------------------------------------


def _party_and_class(key: str) -> tuple[str | None, str]:
    party, _, kind = key.rpartition("/")
    return party or None, kind


def _measures_differ(a: QuantitySide, b: QuantitySide) -> bool:
    """Not known to measure the same thing: another (or no known) predicate, another party,
    nature or kind of unit."""
    if a.nature and b.nature and a.nature != b.nature:
        return True
    if (a.unit == "percent") != (b.unit == "percent"):
        return True
    if a.predicate_key is None or b.predicate_key is None:
        return True  # what either is the count of is not known: nothing says they match
    if _of_nobody(a) or _of_nobody(b):
        return True  # "a margin of error of 4.9 percent", "the 40-year-old": whose?
    (party_a, class_a), (party_b, class_b) = map(_party_and_class, (a.predicate_key,
                                                                     b.predicate_key))
    known = {party_a, party_b} - {None, UNKNOWN_PARTY}
    return class_a != class_b or (len(known) == 2 and party_a != party_b)


def _of_nobody(side: QuantitySide) -> bool:
    """A measure (a share, an amount, an age: a number with a unit) of no one and no event."""
    party = _party_and_class(side.predicate_key or "")[0]
    return side.unit is not None and party is None and side.event is None


def _unknown_measure(a: QuantitySide, b: QuantitySide) -> str | None:
    if a.key != b.key:
        general, specific = (a, b) if len(a.key) < len(b.key) else (b, a)
        return (f"{specific.label()} counts {specific.key} and {general.label()} only "
                f"{general.key}, so they are not known to count the same")
    parties = [_party_and_class(side.predicate_key or "")[0] for side in (a, b)]
    for side, party in zip((a, b), parties, strict=True):
        if party == UNKNOWN_PARTY:
            return f'who "{side.predicate}" {side.label()} is not known (a pronoun)'
    if parties[0] != parties[1]:
        named = a if parties[0] else b
        return f'only {named.label()} says who "{named.predicate}" it'
    return None


# --- where and when ------------------------------------------------------------------------------


def _place(a: QuantitySide) -> str:
    return a.location_name or a.location or "an unnamed place"


def _different_place(a: QuantitySide, b: QuantitySide) -> str | None:
    if a.location and b.location and a.location != b.location:
        return (f"different places ({_place(a)} against {_place(b)}): {a.label()} and "
                f"{b.label()} count the same kind of thing in different places")
    if a.event_key and b.event_key and a.event_key != b.event_key:
        return (f'different events ("{a.event}" against "{b.event}"): {a.label()} and '
                f"{b.label()} count the same kind of thing at different occasions")
    same_place = a.location is not None and a.location == b.location
    if same_place or _same_event(a, b):
        return None
    if a.document == b.document:  # one article: its unstated place and occasion are one
        if a.location == b.location and a.event_key == b.event_key and \
                (a.event is None) == (b.event is None):
            return None
        return (f"only one of {a.label()} and {b.label()} names its place or occasion, so "
                "they are not known to be the same")
    unnamed = a if a.location is None else b
    return (f"the place of {unnamed.label()} is not stated, and an unknown place is not "
            "the same place")


def _same_event(a: QuantitySide, b: QuantitySide) -> bool:
    return a.event_key is not None and a.event_key == b.event_key


def _days(a: date | None, b: date | None) -> int | None:
    return None if a is None or b is None else abs((a - b).days)


def _as_of(side: QuantitySide) -> date | None:
    """When a claim counts to: its period's end, else (written without one) its publication."""
    return side.time_end if side.time else side.published


def _different_period(a: QuantitySide, b: QuantitySide) -> str | None:
    for side, other in ((a, b), (b, a)):
        unresolved = side.time and side.time_start is None and side.time_end is None
        if unresolved and not (side.document == other.document and side.time == other.time):
            return (f'the period of {side.label()} ("{side.time}") could not be resolved, '
                    "so it is not known to be the same")
    start = _days(a.time_start, b.time_start)
    if start is not None and start > START_TOLERANCE_DAYS:
        return (
            f"different periods: {a.label()} counts {a.time or 'from'} ({a.time_start}) and "
            f"{b.label()} {b.time or 'from'} ({b.time_start}), {start} days apart, so the "
            "numbers measure different spans and are not compared"
        )
    if _same_event(a, b) and not (a.time or b.time):
        return None  # one named event: the same time, however late each report
    end = _days(_as_of(a), _as_of(b))
    if end is not None and end > END_TOLERANCE_DAYS:
        return (
            f"different periods: {a.label()} counts to {_as_of(a)} and {b.label()} to "
            f"{_as_of(b)}, {end} days apart, so the numbers are not compared"
        )
    return None


# --- the numbers ---------------------------------------------------------------------------------


def _written_precision(value: Decimal) -> Decimal:
    """How far an exact-looking number may be from what it rounds: half a unit of its last
    digit ("49.8" is 49.75 to 49.85), and at most 1 % of it, since the zeros of "100" may be
    exact ("11 million" is 10.89 to 11.11 million, "2,500" 2,475 to 2,525)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        exponent = value.normalize().as_tuple().exponent
    if not isinstance(exponent, int):
        return Decimal(0)
    return min(Decimal(5).scaleb(exponent - 1), abs(value) / 100)


def _bounds(side: QuantitySide) -> tuple[Decimal | None, bool, Decimal | None, bool]:
    """Low, low excluded?, high, high excluded?: "over 118" excludes 118 itself. A number
    stated as exact still means what it is rounded to, so "more than 11 million" and "11
    million" agree, and "three" and "four" do not."""
    low, high = side.minimum, side.maximum
    if side.comparator == "equal" and low is not None and low == high:
        slack = _written_precision(low)  # open ends: "3" and "4" meet at 3.5 but disagree
        return low - slack, True, high + slack, True
    return (low, side.comparator == "greaterThan", high, side.comparator == "lessThan")


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


def _related(reason: str) -> Verdict:
    return Verdict(Status.RELATED, reason[0].upper() + reason[1:] + ".")


def compare_quantities(a: QuantitySide, b: QuantitySide) -> Verdict | None:
    """The verdict on two quantity claims; None when they do not measure the same thing."""
    if _same_source(a, b) or _one_voice(a, b) or not keys_compatible(a.key, b.key) or \
            _measures_differ(a, b):
        return None
    if (a.unit or "") != (b.unit or ""):
        units = f"{a.unit or 'a count'} against {b.unit or 'a count'}"
        return _related(f"different units ({units}): {a.label()} and {b.label()}")
    unknown = [r for r in (_unknown_measure(a, b), _different_place(a, b),
                           _different_period(a, b)) if r is not None]
    if unknown:
        return _related("; ".join(unknown))
    about = f"{a.key}" if a.key == b.key else f"{a.key} / {b.key}"
    if a.predicate:
        about += f', "{a.predicate}"' + (f' / "{b.predicate}"' if b.predicate != a.predicate
                                          else "")
    sides = f"{a.label()} ({_interval(a)}) and {b.label()} ({_interval(b)})"
    if _overlap(a, b):
        return Verdict(Status.CORROBORATION,
                       f"Same count ({about}), place and period: {sides} overlap.")
    return Verdict(Status.CONFLICT,
                   f"Same count ({about}), place and period: {sides} do not overlap.")


def compare_dates(a: DateSide, b: DateSide) -> Verdict | None:
    """The verdict on two date claims; None when they are not about the same event."""
    if _same_source(a, b) or a.key != b.key:
        return None
    sides = (
        f'"{a.date_text or a.earliest}" ({a.earliest} to {a.latest}) and '
        f'"{b.date_text or b.earliest}" ({b.earliest} to {b.latest})'
    )
    if a.earliest <= b.latest and b.earliest <= a.latest:
        return Verdict(Status.CORROBORATION, f"Same event ({a.key}): {sides} overlap.")
    return Verdict(Status.CONFLICT, f"Same event ({a.key}): {sides} do not overlap.")
