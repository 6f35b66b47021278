"""Amounts as written in a sentence: the tokens of one number with its sign, currency, scale and
unit, read into a value; fractions ("two-thirds of", "one out of three"), vague plurals
("thousands of": a range from 1,000 to 10,000) and ranges ("between 5% and 6%", "$89 to
$93 billion", "14-18 mpg": one amount, its value the first bound).

One pass over the tokens, a few tokens of look-ahead at each: no search over the sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from spacy.tokens import Doc

from service.pipeline.extract.lexicon import Numbers
from service.pipeline.extract.numerals import Reading, fraction, read_token, read_words
from service.pipeline.extract.quantity_lexicon import QuantityLexicon

__all__ = ["Amount", "AmountReader", "Words", "join_ranges"]

_RANGE_DASHES = frozenset({"-", "–", "—", "to"})
_SCORE_DASHES = frozenset({"-", "–"})
_HALF_BEFORE = frozenset({"of", "the", "its", "their", "his", "her", "our", "your",
                          "all", "this", "that", "these", "those"})


@dataclass(slots=True)
class Amount:
    """Tokens [start, end) are the amount as written; [first, last) its number."""

    start: int
    end: int
    first: int
    last: int
    value: Decimal
    raw: Decimal  # before a scale written after it, to share with a range's first bound
    scale: Decimal | None = None
    unit: str | None = None  # "percent", a currency code, a unit
    comparator: str | None = None
    hedge: str | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    plain: bool = False  # a bare integer: no separator, decimal, sign, unit or scale
    lead: str | None = None  # "to" of "to-260,000"
    kind: str = "number"  # number, fraction, vague, range

    @property
    def is_time(self) -> bool:
        return self.unit is not None and self.unit.startswith("time:")


class Words:
    """The text of a doc's tokens, read once: making a Token for each look is slow."""

    __slots__ = ("digit", "lower", "text")

    def __init__(self, doc: Doc) -> None:
        self.text = [t.text for t in doc]
        self.lower = [t.lower_ for t in doc]
        self.digit = [any(ch.isdigit() for ch in text) for text in self.text]


class AmountReader:
    """Reads the amounts of one sentence; holds the lexicons."""

    def __init__(self, numbers: Numbers, lex: QuantityLexicon) -> None:
        self.numbers = numbers
        self.lex = lex
        self.percent = sorted(((tuple(p.split()) if p != "%" else ("%",)) for p in numbers.percent),
                              key=len, reverse=True)
        self.percent_first = frozenset(p[0] for p in self.percent)
        self.after_first = frozenset(p.split()[0] for p in lex.after)
        self.starts = frozenset({*numbers.words, *lex.vague_plurals, "half", "a", "an",
                                 *lex.negative_words, *(k.lower() for k in lex.currency_prefixes),
                                 *(k.lower() for k in lex.codes_after_dollar)})

    def find(self, w: Words, start: int, end: int) -> list[Amount]:
        found: list[Amount] = []
        i = start
        while i < end:
            starts = w.digit[i] or w.lower[i] in self.starts or w.lower[i][:-1] in self.starts
            amount = self._read(w, i, end) if starts else None
            if amount is None:
                i += 1
                continue
            found.append(amount)
            i = max(amount.end, i + 1)
        return found

    # --- one amount -------------------------------------------------------------------------

    def _read(self, w: Words, i: int, end: int) -> Amount | None:
        start = i
        lex = self.lex
        negative = False
        currency = None
        if w.lower[i] in lex.negative_words and i + 1 < end and w.digit[i + 1]:
            negative, i = True, i + 1
        if w.text[i] in lex.codes_after_dollar and i + 2 < end and w.text[i + 1] == "$":
            currency, i = lex.codes_after_dollar[w.text[i]], i + 1
        after_dollar = False
        if w.text[i] in lex.currency_prefixes and i + 1 < end and w.digit[i + 1]:
            currency = currency or lex.currency_prefixes[w.text[i]]
            after_dollar, i = w.text[i] == "$", i + 1
        amount = self._number(w, i, end, after_dollar, currency)
        if amount is None:
            return None
        if negative:
            amount.value, amount.raw, amount.plain = -amount.value, -amount.raw, False
        if currency is not None and amount.unit is None:
            amount.unit, amount.plain = currency, False
        if start < amount.start:
            amount.start = start
        if amount.kind == "number":
            self._after(w, amount, end)
        return amount

    def _number(self, w: Words, i: int, end: int, after_dollar: bool, currency: str | None
                ) -> Amount | None:
        text, lower = w.text[i], w.lower[i]
        reading = read_token(text, self.numbers, self.lex, after_dollar) if w.digit[i] else None
        if reading is not None:
            return self._digits(w, i, end, reading, currency)
        if lower in self.lex.vague_plurals:
            return self._vague(w, i, end)
        if lower == "half":
            return self._half(w, i, end)
        if lower in ("a", "an") and i + 1 < end:
            nxt = w.lower[i + 1]
            if nxt in self.lex.fractions and i + 2 < end and w.lower[i + 2] == "of" \
                    and nxt not in ("half", "halves"):
                return Amount(i, i + 2, i, i + 2, fraction(Decimal(1), self.lex.fractions[nxt]),
                              Decimal(1), kind="fraction")
            if nxt in self.numbers.scales and len(nxt) > 2:
                got = read_words(["one", *w.text[i + 1:min(end, i + 12)]],
                                 self.numbers)
                if got is not None:
                    return Amount(i, i + got[0], i, i + got[0], got[1], got[1])
            return None
        if lower == "dozen" or lower.rstrip("-") not in self.numbers.words:
            return None
        got = read_words(w.text[i:min(end, i + 12)], self.numbers)
        if got is None:
            return None
        count, value = got
        amount = Amount(i, i + count, i, i + count, value, value,
                        plain=count == 1 and not text.endswith("-"))
        return self._fraction(w, amount, end) or self._ratio(w, amount, end) or amount

    def _digits(self, w: Words, i: int, end: int, reading: Reading, currency: str | None
                ) -> Amount:
        amount = Amount(i, i + 1, i, i + 1, reading.value, reading.raw,
                        unit=reading.unit, comparator=reading.comparator, hedge=reading.hedge,
                        plain=reading.plain, lead=reading.lead)
        if reading.currency is not None or currency is not None:
            amount.unit, amount.plain = reading.currency or currency, False
        if reading.scaled:
            amount.scale = reading.value / reading.raw if reading.raw else None
        j = i + 1
        while j < end and amount.scale is None and reading.unit is None:
            word = w.lower[j]
            word = word[:-1] if word.endswith(".") and len(word) > 1 else word
            scale = self.numbers.scales.get(word)
            short = len(word) <= 2 and word not in ("bn", "mn", "tn") and w.text[j] != "M"
            if scale is None or (short and amount.unit is None) or (word == "dozen" and j > i + 1):
                break  # "5 m" is five metres, "$5 m" five million
            amount.value, amount.scale, amount.plain = amount.value * scale, scale, False
            j += 1
        amount.end = amount.last = j
        if amount.plain:
            return self._fraction(w, amount, end) or self._ratio(w, amount, end) or amount
        return amount

    def _vague(self, w: Words, i: int, end: int) -> Amount | None:
        """"thousands of", "tens of thousands", "dozens": from the scale to ten times it."""
        base = self.lex.vague_plurals[w.lower[i]]
        j = i + 1
        if j + 1 < end and w.lower[j] == "of" and w.lower[j + 1] in self.lex.vague_plurals \
                and self.lex.vague_plurals[w.lower[j + 1]] > base:
            base *= self.lex.vague_plurals[w.lower[j + 1]]
            j += 2
        elif w.lower[i] in self.lex.vague_need_of and not (j < end and w.lower[j] == "of"):
            return None  # "tens", "scores" only before "of"
        if i > 0 and (w.digit[i - 1] or w.lower[i - 1] in self.numbers.words):
            return None
        return Amount(i, j, i, j, base, base, comparator="range", min_value=base,
                      max_value=base * 10, kind="vague")

    def _half(self, w: Words, i: int, end: int) -> Amount | None:
        """"half of", "half the", "half a million"; not "first half", "the other half"."""
        previous = w.lower[i - 1] if i > 0 else ""
        if previous in self.lex.ranks or previous in ("the", "a", "an", "second", "one"):
            return None
        nxt = w.lower[i + 1] if i + 1 < end else ""
        if nxt in ("a", "an"):  # "half a million", not "half an hour"
            scale = self.numbers.scales.get(w.lower[i + 2]) if i + 2 < end else None
            if scale is None or len(w.lower[i + 2]) <= 2:
                return None
            return Amount(i, i + 3, i, i + 3, scale / 2, scale / 2)
        if nxt not in _HALF_BEFORE:
            return None
        return Amount(i, i + 1, i, i + 1, Decimal("0.5"), Decimal("0.5"), kind="fraction")

    def _fraction(self, w: Words, amount: Amount, end: int) -> Amount | None:
        """"two-thirds", "one third of", "three quarters of"."""
        j = amount.last
        hyphen = j < end and w.text[j] in ("-", "–")
        if hyphen:
            j += 1
        if j >= end or w.lower[j] not in self.lex.fractions or amount.value <= 0 \
                or amount.value > 20 or amount.value != amount.value.to_integral_value():
            return None
        if not hyphen and not (j + 1 < end and w.lower[j + 1] == "of"):
            return None
        value = fraction(amount.value, self.lex.fractions[w.lower[j]])
        return Amount(amount.start, j + 1, amount.first, j + 1, value, value, kind="fraction")

    def _ratio(self, w: Words, amount: Amount, end: int) -> Amount | None:
        """"one out of three", "one in five": a proportion."""
        j = amount.last
        if j + 1 < end and w.lower[j] == "out" and w.lower[j + 1] == "of":
            j += 2
        elif j < end and w.lower[j] == "in" and amount.value <= 10:
            j += 1
        else:
            return None
        if j >= end:
            return None
        text = w.text[j]
        got = read_words([text], self.numbers) if not text.isdigit() else (1, Decimal(text))
        if got is None or not amount.value < got[1] <= 1000 or (j + 1 < end and (
                w.lower[j + 1] in self.lex.time_units or w.text[j + 1] in ("-", "%")
                or w.lower[j + 1] in self.lex.units)):
            return None
        value = fraction(amount.value, got[1])
        return Amount(amount.start, j + 1, amount.first, j + 1, value, value, kind="fraction")

    def _after(self, w: Words, amount: Amount, end: int) -> None:
        """A percent sign, currency word or unit after the number ("6.1-inch" too), a time unit
        (marked, not taken in), and a bound written after it ("or more")."""
        j = amount.last
        if j >= end:
            return
        if amount.unit is None and w.lower[j] in self.percent_first:
            for phrase in self.percent:
                if tuple(w.lower[j:min(end, j + len(phrase))]) == phrase:
                    amount.unit, j = "percent", j + len(phrase)
                    break
        if amount.unit is None and j < end:
            k = j + 1 if w.text[j] in ("-", "–") and j + 1 < end else j
            text, word = w.text[k], w.lower[k]
            unit = self._unit(text)
            if word in self.lex.time_units:
                amount.unit = "time:" + word
            elif word in self.numbers.currency_words and k == j:
                amount.unit, j = self.numbers.currency_words[word], j + 1
            elif k == j and len(text) == 3 and text.isupper() and \
                    text in self.lex.currency_prefixes:
                amount.unit, j = self.lex.currency_prefixes[text], j + 1  # "110 JPY"
            elif unit is not None:
                amount.unit, j = unit, k + 1
        for size in range(self.lex.longest_after, 0, -1):
            if j >= end or w.lower[j] not in self.after_first:
                break
            words = " ".join(w.lower[j:j + size])
            if j + size <= end and words in self.lex.after:
                amount.comparator = self.lex.after[words]
                amount.hedge = " ".join(w.text[j:j + size])  # "or more", as written
                j += size
                break
        amount.end = max(amount.end, j)


    def _unit(self, text: str) -> str | None:
        """A unit written apart from its number: "5.2 litre", "450 Nm"; not "5 g" or "10 a"."""
        units, attached = self.lex.units, self.lex.attached_only_units
        if text in units and text not in attached:
            return units[text]
        lower = text.lower()
        if lower in units and lower not in attached:
            return units[lower]
        return None


def join_ranges(doc: Doc, w: Words, amounts: list[Amount]) -> list[Amount]:
    """Two amounts joined by "to", a dash or "between ... and" become one range; a score
    ("2-0", "5-4") is no quantity. The first bound takes the second's unit, and its scale when
    the numbers as written rise ("$89 to $93 billion"; but "$200 to $4 million")."""
    out: list[Amount] = []
    k = 0
    while k < len(amounts):
        a = amounts[k]
        b = amounts[k + 1] if k + 1 < len(amounts) else None
        joined = _joined(doc, w, a, b) if b is not None else None
        if joined == "score":
            k += 2
            continue
        if joined is None or b is None:
            out.append(a)
            k += 1
            continue
        out.append(_range(w, a, b))
        k += 2
    return out


def _joined(doc: Doc, w: Words, a: Amount, b: Amount) -> str | None:
    if a.kind != "number" or b.kind != "number" or b.start - a.end > 2:
        return None
    between = w.lower[a.end:b.start]
    before = w.lower[a.start - 1] if a.start > 0 else ""
    if before == "by":
        return None  # "rose by $43.6 billion to $419.2 billion": a change, then a level
    opened = "from" in w.lower[max(0, a.start - 3):a.start]
    if not between and b.lead == "to":
        between = ["to"]
    if between == ["and"]:
        return "range" if before == "between" else None
    if opened and len(between) == 2 and between[1] == "to" and doc[a.end].pos_ == "NOUN" \
            and b.unit is None:
        return "range"  # "from 208 pounds to 193"
    if len(between) != 1 or between[0] not in _RANGE_DASHES:
        return None
    if a.unit is not None and b.unit is not None and a.unit != b.unit:
        return None
    if between[0] in _SCORE_DASHES and a.plain and b.plain and a.value >= b.value:
        return "score"
    if a.unit is not None and b.unit is None and not opened:
        return None  # "rose 5% to 120"
    if a.value > b.value and not opened:
        return None  # "voted 52 to 48", "won 46 to 40 percent": two numbers, not a range
    return "range"


def _range(w: Words, a: Amount, b: Amount) -> Amount:
    value = a.value
    if b.scale is not None and a.scale is None and a.raw < b.raw:
        value = a.value * b.scale
    unit = a.unit or b.unit
    low, high = sorted((value, b.value))
    before = w.lower[a.start - 1] if a.start > 0 else ""
    start = a.start - 1 if before == "between" else a.start
    return Amount(start, b.end, a.first, b.last, value, value, unit=unit, comparator="range",
                  hedge=None, min_value=low, max_value=high, kind="range")
