"""Reading numbers as written: digits with separators and decimals, number words, scales.

Pure functions over strings, so the quantity component stays small and testable.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from service.pipeline.extract.lexicon import Numbers

__all__ = ["is_year", "number_value"]

_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
_SUFFIXED = re.compile(r"^(\d+(?:\.\d+)?)(k|m|mn|bn|tn)$", re.IGNORECASE)


def number_value(words: list[str], lexicon: Numbers) -> Decimal | None:
    """The value of a number written as tokens ("2,500", "1.2 million", "twenty - five")."""
    total = Decimal(0)
    current: Decimal | None = None
    for raw in words:
        word = raw.lower()
        if word in ("-", "and"):
            continue
        if _DIGITS.match(word):
            try:
                value = Decimal(word.replace(",", ""))
            except InvalidOperation:
                return None
            current = value if current is None else current + value
        elif (match := _SUFFIXED.match(word)) is not None:
            current = Decimal(match.group(1)) * lexicon.scales[match.group(2).lower()]
        elif word in lexicon.words:
            current = (current or 0) + lexicon.words[word]
        elif word in lexicon.scales and current is not None:
            scale = lexicon.scales[word]
            if scale >= 1000:
                total += current * scale
                current = None
            else:
                current *= scale
        else:
            return None
    if current is not None:
        total += current
    return total if (current is not None or total) else None


def is_year(text: str) -> bool:
    return bool(re.fullmatch(r"1[89]\d\d|20\d\d|2100", text))
