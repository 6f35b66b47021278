"""What the words around a quantity say it measures, as data (`data/measures.json`): classes
of predicates, verbs that only report or carry out what is counted, verbs that state a value
"at" a number, event nouns, rates and changes. Loaded once, registered as
`factgraph.measures.v1`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.util import registry

__all__ = ["MeasureLexicon", "load_measure_lexicon"]

DATA = Path(__file__).resolve().parent / "data" / "measures.json"


@dataclass(frozen=True, slots=True)
class MeasureLexicon:
    predicates: dict[str, str]  # lemma -> class
    transparent: frozenset[str]
    estimates: frozenset[str]
    transparent_nouns: frozenset[str]
    events: frozenset[str]
    flow_after: frozenset[tuple[str, ...]]
    flow_modifiers: frozenset[str]
    change: frozenset[str]


@registry.misc("factgraph.measures.v1")
@cache
def load_measure_lexicon() -> MeasureLexicon:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    classes = {lemma: name for name, lemmas in data["predicates"].items() for lemma in lemmas}
    return MeasureLexicon(
        predicates=classes,
        transparent=frozenset(data["transparent"]),
        estimates=frozenset(data["estimates"]),
        transparent_nouns=frozenset(data["transparent_nouns"]),
        events=frozenset(data["events"]),
        flow_after=frozenset(tuple(p.split()) for p in data["flow_after"]),
        flow_modifiers=frozenset(data["flow_modifiers"]),
        change=frozenset(data["change"]),
    )
