"""What every reader does with SELECT rows: one row per thing, plain values from lexical forms."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

__all__ = ["Row", "decimal", "first_per", "integer", "local_name"]

Row = dict[str, str | None]
R = TypeVar("R", bound=dict)


def first_per(rows: Iterable[R], key: str) -> list[R]:
    """The first row for each value of `key`, in order: an OPTIONAL join repeats a claim once
    per extra value (an actor with two names), and a reader wants the claim once."""
    seen: dict[object, R] = {}
    for row in rows:
        seen.setdefault(row[key], row)
    return list(seen.values())


def integer(value: str | None, default: int | None = None) -> int | None:
    """An xsd:integer's lexical form as an int (`default` when unbound or not a number)."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def decimal(value: str | None) -> Decimal | None:
    try:
        return None if value is None else Decimal(value)
    except InvalidOperation:
        return None


def local_name(iri: str | None) -> str:
    """The part after '#' or the last '/': `fg:approximately` -> "approximately"."""
    if not iri:
        return ""
    return iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
