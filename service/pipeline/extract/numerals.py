"""Reading numbers as written: pure functions over strings, so the quantity component stays small
and testable.

`read_token` reads one token written with digits ("2,500", "$5.4m", "RM23.50", "-7", "minus-5",
"~45", "640bhp", "24pc"); `read_words` reads number words from the start of a list of words
("twenty - five", "three thousand", "a million", "one hundred and five") and stops where two
numbers merely stand side by side ("one 52,000-seat stadium" is two numbers, not 52,001).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from service.pipeline.extract.lexicon import Numbers
from service.pipeline.extract.quantity_lexicon import QuantityLexicon

__all__ = ["Reading", "fraction", "is_year_like", "read_token", "read_words"]

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_TOKEN = re.compile(
    rf"^(?:(?P<lead>[a-z]+)-)?(?P<sign>[-−–+~≈])?(?P<prefix>[^\d\s]*?)(?P<sign2>[-−])?"
    rf"(?P<number>{_NUMBER})(?P<suffix>.*)$"
)
_ORDINAL = frozenset({"st", "nd", "rd", "th"})
_APPROXIMATE_SIGNS = frozenset({"~", "≈"})


@dataclass(frozen=True, slots=True)
class Reading:
    """One number token read: its value (signed and scaled) and what was written around it."""

    value: Decimal
    raw: Decimal  # the number before a scale ("5.4" of "$5.4m")
    currency: str | None = None
    unit: str | None = None  # "percent", or a unit ("km", "hp")
    scaled: bool = False  # a scale was attached ("25k", "$1.2bn")
    comparator: str | None = None  # from the sign or lead: "~45", "sub-7", "50+"
    hedge: str | None = None  # the sign or lead as written
    lead: str | None = None  # "to" of "to-260,000"
    suspended: bool = False  # "four-" in "four-, five- and six-cylinder"
    plain: bool = False  # an integer in bare digits, no separator, sign, unit or currency


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _prefix(prefix: str, after_dollar: bool, number: str, suffix: str, lex: QuantityLexicon
            ) -> tuple[bool, str | None]:
    """(readable, currency) for what stands before the digits."""
    if not prefix:
        return True, None
    if prefix in lex.currency_prefixes:
        return True, lex.currency_prefixes[prefix]
    if prefix.startswith("$") and prefix[1:] in lex.codes_after_dollar:
        return True, lex.codes_after_dollar[prefix[1:]]
    if after_dollar and prefix in lex.codes_after_dollar:
        return True, lex.codes_after_dollar[prefix]
    if prefix in lex.transliterated_prefixes and (
            "," in number or "." in number or suffix.lower().rstrip(".") in lex.scale_suffixes):
        return True, lex.transliterated_prefixes[prefix]
    return False, None


def read_token(text: str, numbers: Numbers, lex: QuantityLexicon, after_dollar: bool = False
               ) -> Reading | None:
    """A token written with digits, or None when it is no number or names a time, an ordinal
    or a decade ("10.45pm", "21st", "1990s", "F-16", "COVID-19")."""
    match = _TOKEN.match(text)
    if match is None:
        return None
    lead, sign, prefix, sign2, number, suffix = match.group(
        "lead", "sign", "prefix", "sign2", "number", "suffix")
    comparator = hedge = None
    if lead is not None:
        if lead not in lex.leads:
            return None
        comparator, hedge = lex.leads[lead] or None, lead + "-"
        if comparator == "negative":
            sign, comparator, hedge = "-", None, None
        elif comparator == "to":
            comparator, hedge = None, None
    readable, currency = _prefix(prefix, after_dollar, number, suffix, lex)
    raw = _decimal(number)
    if not readable or raw is None:
        return None
    if sign in _APPROXIMATE_SIGNS:
        comparator, hedge = "approximately", sign
    negative = sign in ("-", "−", "–") or sign2 is not None
    unit = None
    factor = None
    suspended = False
    rest = suffix
    if rest.endswith(".") and len(rest) > 1:
        rest = rest[:-1]  # "m." closing a sentence
    elif rest == ".":
        rest = ""
    lower = rest.lower()
    if rest == "":
        pass
    elif rest == "-":
        suspended = True
    elif rest == "+":
        comparator, hedge = "greaterOrEqual", "+"
    elif rest in numbers.percent or lower in numbers.percent:
        unit = "percent"
    elif lower in lex.scale_suffixes or (currency and lower in lex.money_scales):
        factor = lex.scale_suffixes.get(lower) or lex.money_scales[lower]
    elif lower in _ORDINAL or lower in lex.clock_words or lower in ("s", "'s", "’s", "′s"):
        return None
    elif lower in lex.time_units:
        unit = "time:" + lower
    elif rest in lex.units or lower in lex.units:
        unit = lex.units.get(rest) or lex.units[lower]
    else:
        return None
    value = raw * factor if factor is not None else raw
    if negative:
        value = -value
    plain = (not prefix and not sign and not sign2 and not suffix and lead is None
             and number.isdigit())
    return Reading(value, raw, currency, unit, factor is not None, comparator, hedge,
                   "to" if lead == "to" else None, suspended, plain)


def read_words(words: list[str], numbers: Numbers) -> tuple[int, Decimal] | None:
    """(how many words, value) of the number words at the start of `words`, or None."""
    total = Decimal(0)
    current: Decimal | None = None
    last: Decimal | None = None  # the last small number or scale read
    used = 0
    for i, raw in enumerate(words):
        word = raw.lower()
        if word.endswith("-") and len(word) > 1:
            word = word[:-1]
        if used < i:  # a joiner was passed: the next word must be a small number
            small = numbers.words.get(word)
            joiner = words[i - 1].lower()
            if small is None or small >= 100 or last is None or not (
                    (joiner == "-" and _tens(last) and 0 < small < 10)
                    or (joiner == "and" and last >= 100)):
                break
        if word in ("-", "and") and used == i and used > 0:
            continue
        if used and word in numbers.scales and len(word) > 2:
            scale = numbers.scales[word]
            if last is not None and last >= scale:
                break
            if current is None:
                break
            if scale >= 1000:
                total += current * scale
                current = None
            else:
                current *= scale
            last = scale
        elif word in numbers.words and " " not in word:
            small = numbers.words[word]
            if used and current is not None and not (
                    (last is not None and last >= 100 and small < last)
                    or (last is not None and _tens(last) and 0 < small < 10)):
                break
            current = (current or 0) + small
            last = small
        else:
            break
        used = i + 1
    if used == 0:
        return None
    return used, total + (current or 0)


def _tens(value: Decimal) -> bool:
    return 20 <= value <= 90 and value % 10 == 0


def fraction(numerator: Decimal, denominator: Decimal) -> Decimal:
    """A proportion as a double would print it: 2/3 -> 0.6666666666666666."""
    return Decimal(repr(float(numerator) / float(denominator)))


def is_year_like(reading: Reading) -> bool:
    """A bare integer of four digits a year could be (1600-2100)."""
    return reading.plain and reading.unit is None and 1600 <= reading.value <= 2100
