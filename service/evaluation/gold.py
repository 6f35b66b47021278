"""The gold format of EVALUATION.md, read into typed records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

__all__ = ["GoldDocument", "GoldError", "GoldQuantity", "GoldStatement", "load_gold"]

SCORED_KINDS = frozenset({"count", "proportion"})


class GoldError(ValueError):
    """A gold file that cannot be read; the message names the file and the field."""


@dataclass(frozen=True, slots=True)
class GoldStatement:
    speaker: str | None
    speaker_actor: str | None
    cue: str | None
    content: str
    content_span: tuple[int, int]
    type: str
    speaker_span: tuple[int, int] | None = None  # where the speaker is named, when annotated


@dataclass(frozen=True, slots=True)
class GoldQuantity:
    text: str
    span: tuple[int, int]
    kind: str
    value: Decimal | None
    comparator: str
    counted: str | None
    location: str | None


@dataclass(frozen=True, slots=True)
class GoldDocument:
    path: Path
    file: str  # the annotated text file's name
    text_sha256: str
    statements: tuple[GoldStatement, ...]
    quantities: tuple[GoldQuantity, ...]  # only the scored kinds (count, proportion)


def _span(value: Any, where: str) -> tuple[int, int]:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        raise GoldError(f"{where}: a span must be [begin, end]")
    return value[0], value[1]


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def load_gold(path: Path) -> GoldDocument:
    """Read one gold file; raise GoldError with the file and the field on bad input."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        document = data["document"]
        statements = tuple(
            GoldStatement(
                speaker=s.get("speaker"),
                speaker_actor=s.get("speaker_actor"),
                cue=s.get("cue"),
                content=s["content"],
                content_span=_span(s["content_span"], f"{path} statement {i}"),
                type=s["type"],
                speaker_span=_span(s["speaker_span"], f"{path} statement {i} speaker")
                if s.get("speaker_span")
                else None,
            )
            for i, s in enumerate(data.get("statements", []))
        )
        quantities = tuple(
            GoldQuantity(
                text=q["text"],
                span=_span(q["span"], f"{path} quantity {i}"),
                kind=q["kind"],
                value=_decimal(q.get("value")),
                comparator=q["comparator"],
                counted=q.get("counted"),
                location=q.get("location"),
            )
            for i, q in enumerate(data.get("quantities", []))
            if q.get("kind") in SCORED_KINDS
        )
        return GoldDocument(
            path=path,
            file=document["file"],
            text_sha256=document["text_sha256"],
            statements=statements,
            quantities=quantities,
        )
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except (KeyError, TypeError) as exc:
        raise GoldError(f"{path}: not in the gold format (missing or bad {exc})") from None
