"""What the words around a number make of it, as data (`data/quantities.json`): currencies,
units, fractions, vague plurals, bounds written after a number, and the words that make a number
a name, a date or a duration. Loaded once, and registered as `factgraph.quantity_lexicon.v1`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from spacy.util import registry

__all__ = ["QuantityLexicon", "load_quantity_lexicon"]

DATA = Path(__file__).resolve().parent / "data" / "quantities.json"


@dataclass(frozen=True, slots=True)
class QuantityLexicon:
    currency_prefixes: dict[str, str]  # "$", "HK$", "RM" -> currency code
    codes_after_dollar: dict[str, str]  # "US" of "$US17m" -> USD
    transliterated_prefixes: dict[str, str]  # "PS" (for £) before money-like digits
    scale_suffixes: dict[str, Decimal]  # "k", "m", "bn" attached to digits
    money_scales: dict[str, Decimal]  # "b" of "$5b": a scale only after a currency
    units: dict[str, str]  # unit as written -> unit name
    attached_only_units: frozenset[str]  # units only when attached: "10x", "5g" (not "5 g")
    fractions: dict[str, Decimal]  # "thirds" -> 3
    vague_plurals: dict[str, Decimal]  # "thousands" -> 1000
    vague_need_of: frozenset[str]  # "tens", "scores": vague plurals only before "of"
    after: dict[str, str]  # "or more" -> greaterOrEqual
    negative_words: frozenset[str]
    leads: dict[str, str]  # "sub" of "sub-7" -> lessThan
    time_units: frozenset[str]
    clock_words: frozenset[str]
    street_types: frozenset[str]
    labels: frozenset[str]  # nouns that label with a number: "category 4", "Unit 3"
    capitalised_labels: frozenset[str]  # labels only when capitalised: "No. 1"
    ranks: frozenset[str]  # "the top three", "the bottom three"
    longest_after: int = 2


@registry.misc("factgraph.quantity_lexicon.v1")
@cache
def load_quantity_lexicon() -> QuantityLexicon:
    data = json.loads(DATA.read_text(encoding="utf-8"))

    def lower(key: str) -> frozenset[str]:
        return frozenset(word.lower() for word in data[key])

    return QuantityLexicon(
        currency_prefixes=dict(data["currency_prefixes"]),
        codes_after_dollar=dict(data["codes_after_dollar"]),
        transliterated_prefixes=dict(data["transliterated_prefixes"]),
        scale_suffixes={k: Decimal(v) for k, v in data["scale_suffixes"].items()},
        money_scales={k: Decimal(v) for k, v in data["money_scales"].items()},
        units=dict(data["units"]),
        attached_only_units=frozenset(data["attached_only_units"]),
        fractions={k: Decimal(v) for k, v in data["fractions"].items()},
        vague_plurals={k: Decimal(v) for k, v in data["vague_plurals"].items()},
        vague_need_of=lower("vague_need_of"),
        after=dict(data["after"]),
        negative_words=lower("negative_words"),
        leads=dict(data["leads"]),
        time_units=lower("time_units"),
        clock_words=lower("clock_words"),
        street_types=lower("street_types"),
        labels=lower("labels"),
        capitalised_labels=lower("capitalised_labels"),
        ranks=lower("ranks"),
        longest_after=max(len(k.split()) for k in data["after"]),
    )
