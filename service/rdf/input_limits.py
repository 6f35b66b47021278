"""Caps on hostile input, applied before a parser sees it: how deeply brackets nest.

Oxigraph's SPARQL and JSON-LD parsers recurse once per level: a few kilobytes of `{{{{` or
nested JSON objects overflow the stack of the thread that parses them and bring down the
whole process. No real query, document or graph nests anywhere near `MAX_NESTING` deep, so
the depth is measured on the text (strings, IRIs and comments skipped) and anything deeper
is refused with a sentence instead.
"""

from __future__ import annotations

import re

__all__ = ["MAX_NESTING", "NestingTooDeepError", "nesting_depth", "refuse_deep"]

MAX_NESTING = 100

_OPEN = "{(["
_CLOSE = "})]"
# JSON: strings (with escapes) are skipped, brackets counted.
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_BRACKETS = re.compile(r"[\[\](){}]")


class NestingTooDeepError(ValueError):
    """The input nests brackets deeper than the service parses."""


def nesting_depth(text: str, *, json: bool = False, limit: int = MAX_NESTING) -> int:
    """The deepest bracket nesting of `text`, counted up to `limit` + 1 (then it stops).

    For JSON, strings are skipped here; for SPARQL and Turtle the caller blanks strings, IRIs
    and comments first (service.sparql.text.blank_non_keywords).
    """
    depth = deepest = 0
    for match in (_JSON_TOKENS if json else _BRACKETS).finditer(text):
        token = match.group(0)
        if token in _OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif token in _CLOSE:
            depth = max(0, depth - 1)
    return deepest


def refuse_deep(text: str, what: str, *, json: bool = False, limit: int = MAX_NESTING) -> None:
    """NestingTooDeepError naming `what` when `text` nests deeper than `limit`."""
    if nesting_depth(text, json=json, limit=limit) > limit:
        raise NestingTooDeepError(
            f"{what} nests brackets more than {limit} levels deep; this service parses no "
            "deeper input"
        )
