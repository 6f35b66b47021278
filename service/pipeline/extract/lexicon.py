"""Lexicons as data: the JSON files beside the components, loaded once and shared.

Each lexicon is also a versioned registered function (`factgraph.cues.v1`, ...), so a pipeline
config can name it and a test can swap it, as spaCy's SpanRuler does with its patterns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from spacy.util import registry

__all__ = [
    "Cues",
    "Numbers",
    "Sources",
    "load_cues",
    "load_demonyms",
    "load_given_names",
    "load_hedges",
    "load_numbers",
    "load_sources",
]

DATA = Path(__file__).resolve().parent / "data"


def _read(name: str) -> dict[str, Any]:
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    data.pop("_comment", None)
    return data


@dataclass(frozen=True, slots=True)
class Cues:
    clause: frozenset[str]  # lemmas whose content is a clause, a quote or an infinitive
    objects: frozenset[str]  # lemmas whose content may be a noun or prepositional phrase
    issuing: frozenset[str]  # lemmas whose speaker thereby issues a document ("reported")
    misparsed: frozenset[str] = frozenset()  # "say X results ...": a noun object opens a clause
    artefact_objects: frozenset[str] = frozenset()  # "the poll found X": X when a document says
    about: frozenset[str] = frozenset()  # "talked about X": the about/on phrase is content
    speech: frozenset[str] = frozenset()  # unambiguous speech acts: any subject is a source
    quote_only: frozenset[str] = frozenset()  # '"...," he continued': a quotation only
    finite_only: frozenset[str] = frozenset()  # "he added", not "could add another title"
    refusal: frozenset[str] = frozenset()  # "declined to say whether": the refusal's statement
    needs_complement: frozenset[str] = frozenset()  # "called him a liar", not "called him"
    document_only: frozenset[str] = frozenset()  # "the sign read": a document's words only

    def __contains__(self, lemma: str) -> bool:
        return (
            lemma in self.clause
            or lemma in self.objects
            or lemma in self.artefact_objects
            or lemma in self.about
            or lemma in self.quote_only
            or lemma in self.document_only
        )


@dataclass(frozen=True, slots=True)
class Sources:
    group_heads: frozenset[str]
    document_heads: frozenset[str]
    organisation_heads: frozenset[str]
    pronouns: dict[str, str]  # "he", "his" -> "male"; "it" -> "thing"; "they" -> "group"...
    not_colon_sources: frozenset[str]  # "Related:", "UPDATE:": a line's label, not a source
    gendered: dict[str, str] = field(default_factory=dict)  # "Mrs.", "spokeswoman" -> female
    of_person_heads: frozenset[str] = frozenset()  # "the Obama administration": its own actor
    title_abbreviations: dict[str, str] = field(default_factory=dict)  # "Sen." -> "senator"


@dataclass(frozen=True, slots=True)
class Numbers:
    words: dict[str, Decimal]
    scales: dict[str, Decimal]
    percent: tuple[str, ...]
    currency_symbols: dict[str, str]
    currency_words: dict[str, str]


@registry.misc("factgraph.cues.v1")
@cache
def load_cues() -> Cues:
    data = _read("cues.json")
    return Cues(
        frozenset(data["clause"]),
        frozenset(data["object"]),
        frozenset(data["issuing"]),
        frozenset(data.get("misparsed_clause", ())),
        frozenset(data.get("artefact_object", ())),
        frozenset(data.get("about", ())),
        frozenset(data.get("speech", ())),
        frozenset(data.get("quote_only", ())),
        frozenset(data.get("finite_only", ())),
        frozenset(data.get("refusal", ())),
        frozenset(data.get("needs_complement", ())),
        frozenset(data.get("document_only", ())),
    )


@registry.misc("factgraph.sources.v1")
@cache
def load_sources() -> Sources:
    data = _read("sources.json")
    return Sources(
        frozenset(data["group_heads"]),
        frozenset(data["document_heads"]),
        frozenset(data["organisation_heads"]),
        dict(data["pronouns"]),
        frozenset(data["not_colon_sources"]),
        {word: gender for gender, words in data["gendered"].items() for word in words},
        frozenset(data["of_person_heads"]),
        dict(data["title_abbreviations"]),
    )


@registry.misc("factgraph.given_names.v1")
@cache
def load_given_names() -> dict[str, str]:
    """Given name -> "male", "female" or "either" (given_names.json, generated from Faker's
    name lists)."""
    return {name: gender for gender, names in _read("given_names.json").items()
            for name in names}


@registry.misc("factgraph.hedges.v1")
@cache
def load_hedges() -> tuple[dict[str, str], Decimal]:
    """Hedge phrase -> comparator, and the relative width read into "approximately"."""
    data = _read("hedges.json")
    return dict(data["hedges"]), Decimal(str(data["approximation"]))


@registry.misc("factgraph.numbers.v1")
@cache
def load_numbers() -> Numbers:
    data = _read("numbers.json")
    return Numbers(
        {k: Decimal(v) for k, v in data["words"].items()},
        {k: Decimal(v) for k, v in data["scales"].items()},
        tuple(data["percent"]),
        dict(data["currency_symbols"]),
        dict(data["currency_words"]),
    )


@registry.misc("factgraph.demonyms.v1")
@cache
def load_demonyms() -> dict[str, str]:
    return dict(_read("demonyms.json").items())
