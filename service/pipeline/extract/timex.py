"""Time expressions resolved against the publication date: pure functions, no spaCy.

"since mid-October" (published 2024-01-27) -> 2023-10-15 .. 2024-01-27; "since 7 October" ->
2023-10-07 ..; "so far" -> .. publication date; "late 2017" -> 2017-09-01 .. 2017-12-31;
"four years ago" -> 2020-01-01 .. 2020-12-31; "on Sunday" -> 2024-01-21 .. 2024-01-21.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

__all__ = ["MONTHS", "resolve_period", "resolve_relative", "resolve_since", "year_span"]

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_PART_DAY = {"early": 1, "mid": 15, "late": 21, "end": 25}
# months of a year a qualifier covers
_PART_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "end": (10, 12),
                "start": (1, 3), "beginning": (1, 3), "first half": (1, 6),
                "second half": (7, 12), "spring": (3, 5), "summer": (6, 8),
                "autumn": (9, 11), "fall": (9, 11), "winter": (12, 12)}
_SINCE = re.compile(
    r"^(?:(early|mid|late|the end of|the start of)[-\s]*)?(?:(\d{1,2})\s+)?([A-Za-z]+)"
    r"(?:\s+(\d{1,2}))?(?:,?\s+(\d{4}))?$"
)
_LEAD = re.compile(r"^(?:in|on|during|by|through|throughout|for|since)\s+")
_SMALL = {word: n for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split()) if n}
_SMALL.update({"a": 1, "an": 1})
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_YEAR = re.compile(
    r"^(?:(?:in|by|during|since|until)\s+)?(?:the\s+)?"
    r"(?:(early|mid|late|the end of|the start of|the beginning of|the first half of|"
    r"the second half of|spring|summer|autumn|fall|winter)(?:\s+of)?[-\s]*)?"
    r"(?:([A-Za-z]+)\s+)?(\d{4})$",
    re.IGNORECASE,
)


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def year_span(text: str) -> tuple[dt.date, dt.date] | None:
    """An explicit year or month of a year ("in 2019", "late 2017", "August 2023")."""
    match = _YEAR.match(text.strip())
    if not match:
        return None
    part, month_word, year_text = match.groups()
    year = int(year_text)
    if not 1800 <= year <= 2200:
        return None
    if month_word:
        month = MONTHS.get(month_word.lower())
        if month is None:
            return None
        return dt.date(year, month, 1), _last_day(year, month)
    if part:
        key = part.lower().replace("the ", "").replace(" of", "").strip()
        first, last = _PART_MONTHS.get(key, (1, 12))
        return dt.date(year, first, 1), _last_day(year, last)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def resolve_since(text: str, published: dt.date | None) -> dt.date | None:
    """The start a "since ..." date names, in the latest year not after publication."""
    match = _SINCE.match(text.strip())
    if not match:
        return None
    part, day_before, month_word, day_after, year_text = match.groups()
    month = MONTHS.get(month_word.lower())
    if month is None:
        return None
    day = int(day_before or day_after or _PART_DAY.get((part or "").split()[-1:][0]
                                                        if part else "", 1))
    if year_text:
        year = int(year_text)
    elif published is not None:
        year = published.year
    else:
        return None
    try:
        start = dt.date(year, month, day)
    except ValueError:
        return None
    if not year_text and published is not None and start > published:
        try:  # a month named without a year is the latest one not after publication
            start = start.replace(year=year - 1)
        except ValueError:  # 29 February
            return None
    return start


def resolve_period(text: str, published: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """(start, end) of a time qualifier such as "since mid-October" or "so far"."""
    lowered = text.lower().strip()
    if lowered.startswith("since "):
        start = resolve_since(text.strip()[6:], published)
        if start is not None and published is not None and start > published:
            return start, None  # an explicit date after publication: no period to close
        return start, published
    if lowered in ("so far", "to date", "thus far", "as of now", "so far this year"):
        return None, published
    if lowered == "this year" and published is not None:
        return dt.date(published.year, 1, 1), published
    span = year_span(text)
    if span:
        return span
    relative = resolve_relative(text, published) if published is not None else None
    return relative if relative else (None, None)


def _ago(amount: int, unit: str, published: dt.date) -> tuple[dt.date, dt.date] | None:
    if unit.startswith("year"):
        year = published.year - amount
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if unit.startswith("month"):
        month = published.year * 12 + published.month - 1 - amount
        year, month = divmod(month, 12)
        return dt.date(year, month + 1, 1), _last_day(year, month + 1)
    days = {"week": 7, "day": 1}.get(unit.rstrip("s"))
    if days is None:
        return None
    day = published - dt.timedelta(days=amount * days)
    return (day - dt.timedelta(days=days - 1), day) if days > 1 else (day, day)


def resolve_relative(text: str, published: dt.date) -> tuple[dt.date, dt.date] | None:
    """A date said relative to publication: "four years ago", "last year", "last month",
    "this week", "yesterday", "(on) Tuesday" and "June 12" (the latest not after
    publication), "(in) March" (the latest March not after publication)."""
    words = _LEAD.sub("", text.lower().strip()).split()
    if not words:
        return None
    if words[-1] == "ago" and len(words) == 3:
        amount = _SMALL.get(words[0]) or (int(words[0]) if words[0].isdigit() else None)
        return _ago(amount, words[1], published) if amount else None
    phrase = " ".join(words)
    if phrase in ("today", "this week", "this month"):
        start = {"today": published, "this week": published - dt.timedelta(published.weekday()),
                 "this month": published.replace(day=1)}[phrase]
        return start, published
    if phrase == "yesterday":
        return _ago(1, "day", published)
    if phrase in ("last year", "last month", "last week"):
        return _ago(1, words[1], published)
    if len(words) == 2 and (words[0] in MONTHS or words[1] in MONTHS):
        day = resolve_since(" ".join(words), published)  # "June 12": the latest not after
        return (day, day) if day is not None else None
    name = words[-1] if words[0] in ("last", "this", "past") or len(words) == 1 else None
    if name in _WEEKDAYS:
        back = (published.weekday() - _WEEKDAYS[name]) % 7
        day = published - dt.timedelta(days=back or (7 if words[0] == "last" else 0))
        return day, day
    if name in MONTHS and len(name) > 3:
        year = published.year if MONTHS[name] <= published.month else published.year - 1
        if words[0] == "last" and MONTHS[name] == published.month:
            year -= 1
        return dt.date(year, MONTHS[name], 1), _last_day(year, MONTHS[name])
    return None
