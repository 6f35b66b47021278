"""Plain records that flow from the extractor to the graph builder.

The extractor produces these from spaCy docs; the graph builder turns them into RDF. Neither
side knows the other's library. Offsets are Python `str` indexes into the document text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "AMOUNT_KEY",
    "SHARE_KEY",
    "UNKNOWN_PARTY",
    "Actor",
    "ActorType",
    "Comparator",
    "DateClaim",
    "Extraction",
    "Mention",
    "Nature",
    "QuantityClaim",
    "Sentence",
    "Span",
    "Statement",
    "StatementType",
    "actor_key",
    "normalise_name",
    "strip_name",
]


# Values QuantityClaim fields take (the analysis reads UNKNOWN_PARTY too).
UNKNOWN_PARTY = "?"  # in a predicate key: a party the text names only by a pronoun ("he won")
SHARE_KEY = "share"  # the counted key of a percentage of no named whole ("Clinton has 44%")
AMOUNT_KEY = "amount"  # the counted key of an amount in a unit with nothing counted ("$5m")

_LEADING = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\s*['’]s?$")


def normalise_name(text: str) -> str:
    """The form names are compared in: no article, no possessive, one space, lower case."""
    text = _POSSESSIVE.sub("", _LEADING.sub("", " ".join(text.split())))
    return text.replace("’", "'").lower()


def strip_name(text: str) -> str:
    """A name as an actor's name: no leading article, no possessive."""
    return _POSSESSIVE.sub("", _LEADING.sub("", text.strip()))


def actor_key(name: str) -> str:
    """The slug of an actor's canonical name: ASCII, lower case, words joined by '-'."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower().replace("'", "")).strip("-")
    return slug or "unnamed"


class ActorType(StrEnum):
    PERSON = "Person"
    ORGANIZATION = "Organization"
    PLACE = "Place"
    GROUP = "Group"  # an unnamed collective source: "five US officials"


class StatementType(StrEnum):
    DIRECT = "direct"  # the whole content in quotation marks
    MIXED = "mixed"  # paraphrase with quoted fragments
    INDIRECT = "indirect"  # no quotation marks


class Nature(StrEnum):
    """What kind of number a quantity is: a stock at a time, a flow per period, a change."""

    STOCK = "stock"  # "2,500 troops in Iraq", "three troops were killed"
    FLOW = "flow"  # "300 megawatts a year", "annual output"
    CHANGE = "change"  # "rose by 5 percent", "a 5 percent increase"


class Comparator(StrEnum):
    EQUAL = "equal"
    APPROXIMATELY = "approximately"
    GREATER_THAN = "greaterThan"
    GREATER_OR_EQUAL = "greaterOrEqual"
    LESS_THAN = "lessThan"
    LESS_OR_EQUAL = "lessOrEqual"
    RANGE = "range"


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the document text: `text == document_text[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor: from the registry, minted for a name found by NER, or a nameless
    source of one document ("five US officials"), which is never shared with another."""

    key: str  # slug of the canonical name; the actor IRI is {base}id/actor/{key}
    name: str
    type: ActorType
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None  # e.g. "Q123"; only where certain
    description: str | None = None  # what is known of an unnamed group ("US officials")
    demonyms: tuple[str, ...] = ()  # "Iraqi": what its people are called, never a mention of it
    nameless: bool = False  # the text does not name it: its IRI is its document's
    member_of: str | None = None  # Actor.key of what a nameless source belongs to ("US")


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int  # 0-based position in the document
    span: Span


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names an actor."""

    span: Span
    actor: str  # Actor.key
    sentence: int


@dataclass(slots=True)
class Statement:
    sentence: int  # index of the sentence that holds the cue (its provenance)
    cue: Span
    content: Span
    type: StatementType
    speaker: str | None = None  # Actor.key, resolved ("the statement" -> who issued it)
    speaker_mention: Span | None = None  # the speaker as written, where the sentence has one
    nested_in: int | None = None  # index (in Extraction.statements) of the outer statement


@dataclass(slots=True)
class QuantityClaim:
    sentence: int
    mention: Span  # the quantity as written ("roughly 2,500 American troops")
    value: Decimal
    comparator: Comparator
    hedge: str | None = None  # "roughly", "upwards of"
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    unit: str | None = None  # "percent", "USD"
    counted: str | None = None  # "American troops"
    counted_key: str | None = None  # normalised: "us-troop"
    location: str | None = None  # Actor.key of a place
    time: str | None = None  # "since mid-October"
    time_start: dt.date | None = None
    time_end: dt.date | None = None
    statement: int | None = None  # index of the statement it stands in
    claimed_by: str | None = None  # Actor.key; None means the publisher
    predicate: str | None = None  # what it is the count of, as written: "killed", "has"
    predicate_key: str | None = None  # "[participant/]class": "die", "hillary-clinton/win"
    nature: Nature = Nature.STOCK
    event: str | None = None  # the occasion as written: "a drone attack on Tower 22"
    event_key: str | None = None  # "tower-22/attack": only for an event the text names


@dataclass(slots=True)
class DateClaim:
    sentence: int
    mention: Span  # the date as written ("late 2017")
    event: str  # "the Takfiri terrorist group was defeated"
    earliest: dt.date
    latest: dt.date
    event_key: str | None = None  # normalised subject and event lemma: "islamic-state/defeat"
    statement: int | None = None
    claimed_by: str | None = None


@dataclass(slots=True)
class Extraction:
    """Everything the extractor found in one document."""

    sentences: list[Sentence] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)  # by key: every actor referenced
    mentions: list[Mention] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    quantities: list[QuantityClaim] = field(default_factory=list)
    dates: list[DateClaim] = field(default_factory=list)
    publisher: str | None = None  # Actor.key of the publisher (in `actors`), where known
    # Actor.key of each appearance's publisher, by the name the appearance gives (syndication)
    publishers: dict[str, str] = field(default_factory=dict)
    model_name: str = ""
    model_version: str = ""
    approximation_policy: str = ""  # how "roughly N" became [min, max], stated on the run
