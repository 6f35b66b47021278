"""Results on the Doc: one span group per kind, the payload on each span, links as spans."""

from __future__ import annotations

import gc
import weakref

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from service.pipeline.extract import load_pipeline
from service.pipeline.extract.extensions import (
    DATES,
    MENTIONS,
    QUANTITIES,
    STATEMENTS,
    content_chars,
)
from service.pipeline.records import Actor, ActorType

ACTORS = [Actor("iraq", "Iraq", ActorType.PLACE),
          Actor("islamic-state", "Islamic State", ActorType.ORGANIZATION, ("ISIS",))]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(actors=ACTORS)


def test_extensions_statements_over_one_content_keep_their_own_cue_and_speaker(
    nlp: Language,
) -> None:
    doc = nlp("The Pentagon stressed that the talks had failed, according to two senior diplomats.")
    outer, inner = doc.spans[STATEMENTS]
    assert (outer.start_char, outer.end_char) == (inner.start_char, inner.end_char)
    assert outer._.factgraph_cue.text == "stressed"
    assert outer._.factgraph_speaker == "pentagon"
    assert outer._.factgraph_nested_in is None
    assert inner._.factgraph_cue.text == "according to"
    assert inner._.factgraph_speaker == "two-senior-diplomats"
    assert inner._.factgraph_speaker_mention.text == "two senior diplomats"
    assert inner._.factgraph_nested_in == outer


def test_extensions_links_between_results_are_spans(nlp: Language) -> None:
    doc = nlp("Officials said roughly 2,500 US troops remain in Iraq. "
              "They said ISIS was defeated in late 2017.")
    first, second = doc.spans[STATEMENTS]
    (quantity,) = doc.spans[QUANTITIES]
    assert quantity.text == "roughly 2,500 US troops"
    assert quantity.label_ == "approximately"
    assert quantity._.factgraph_statement == first
    assert quantity._.factgraph_counted.text == "US troops"
    location = quantity._.factgraph_location
    assert location in list(doc.spans[MENTIONS])
    assert location._.factgraph_actor == ACTORS[0]
    (date,) = doc.spans[DATES]
    assert date.text == "late 2017"
    assert date._.factgraph_event.text == "ISIS was defeated"
    assert date._.factgraph_event_key == "islamic-state/defeat"
    assert date._.factgraph_statement == second


def test_extensions_exact_content_offsets_where_a_token_is_cut(nlp: Language) -> None:
    doc = nlp("The minister said the troops would stay in the U.S.")
    (statement,) = doc.spans[STATEMENTS]
    assert statement.text == "the troops would stay in the U.S."
    assert doc.text[slice(*content_chars(statement))] == "the troops would stay in the U.S"


def test_extensions_no_factgraph_state_on_the_doc(nlp: Language) -> None:
    doc = nlp("The Islamic State said 40 people left Iraq in 2019.")
    assert not [name for name in ("factgraph_index", "factgraph_actors", "factgraph_statements",
                                  "factgraph_quantities", "factgraph_dates")
                if Doc.has_extension(name)]
    assert set(doc.spans) == {MENTIONS, STATEMENTS, QUANTITIES, DATES}


def test_extensions_a_processed_doc_is_freed_when_dropped(nlp: Language) -> None:
    doc = nlp("Officials said roughly 2,500 US troops remain in Iraq, according to ISIS.")
    assert doc.spans[QUANTITIES][0]._.factgraph_statement is not None
    dropped = weakref.ref(doc)
    gc.disable()  # spans kept as values must not make the Doc refer to itself
    try:
        del doc
        assert dropped() is None
    finally:
        gc.enable()
