"""Statements from varied news styles: wire copy, quote first or last, according to, nesting."""

from __future__ import annotations

import pytest
from spacy.language import Language

from service.pipeline.documents import Document
from service.pipeline.extract import extract_documents, load_pipeline
from service.pipeline.records import Actor, ActorType, Extraction

ACTORS = [
    Actor("islamic-resistance-in-iraq", "Islamic Resistance in Iraq", ActorType.ORGANIZATION,
          ("IRI",)),
    Actor("reuters", "Reuters", ActorType.ORGANIZATION),
    Actor("world-health-organization", "World Health Organization", ActorType.ORGANIZATION,
          ("WHO",)),
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(actors=ACTORS)


def extract(nlp: Language, text: str) -> Extraction:
    (extraction,) = extract_documents(nlp, [Document(text=text, publisher="Example News")])
    return extraction


def test_attribution_wire_copy_said_on_tuesday_is_indirect(nlp: Language) -> None:
    text = "The central bank said on Tuesday that inflation had eased to 3.1 percent in March."
    (statement,) = extract(nlp, text).statements
    assert statement.cue.text == "said"
    assert statement.content.text == "inflation had eased to 3.1 percent in March"
    assert statement.type.value == "indirect"
    assert statement.speaker_mention is not None
    assert statement.speaker_mention.text == "The central bank"


def test_attribution_quote_first_then_pronoun_resolves_to_last_speaker(nlp: Language) -> None:
    text = (
        "The World Health Organization issued a statement on Monday.\n"
        "“Vaccination rates have fallen in every region,” the statement said.\n"
        "“We are worried,” it added."
    )
    statements = extract(nlp, text).statements
    assert [s.content.text for s in statements] == [
        "“Vaccination rates have fallen in every region,”",
        "“We are worried,”",
    ]
    assert all(s.type.value == "direct" for s in statements)
    assert all(s.speaker == "world-health-organization" for s in statements)


def test_attribution_quote_last_after_cue_and_comma(nlp: Language) -> None:
    text = "Finance minister Anna Berg told reporters, “The budget will balance next year.”"
    (statement,) = extract(nlp, text).statements
    assert statement.cue.text == "told"
    assert statement.content.text == "“The budget will balance next year.”"
    assert statement.type.value == "direct"


def test_attribution_according_to_names_the_source(nlp: Language) -> None:
    text = "According to hospital officials, at least 40 people were injured in the blast."
    (statement,) = extract(nlp, text).statements
    assert statement.cue.text == "According to"
    assert statement.content.text.startswith("at least 40 people were injured")
    assert statement.speaker == "hospital-officials"


def test_attribution_nested_source_inside_a_report(nlp: Language) -> None:
    text = (
        "Reuters reported, “The talks will resume.”\n"
        "But the report stressed that “No deal is close,” according to three diplomats."
    )
    statements = extract(nlp, text).statements
    outer = next(s for s in statements if s.cue.text == "stressed")
    inner = next(s for s in statements if s.cue.text == "according to")
    assert outer.speaker == "reuters"
    assert inner.speaker == "three-diplomats"
    assert inner.nested_in == statements.index(outer)
    assert inner.content == outer.content


def test_attribution_bare_quote_continues_previous_speaker(nlp: Language) -> None:
    text = (
        "“We will not stop,” the IRI said.\n"
        "“The occupation must end.”\n"
        "Markets rose on Friday."
    )
    statements = extract(nlp, text).statements
    assert len(statements) == 2
    assert statements[1].content.text == "“The occupation must end.”"
    assert statements[1].speaker == "islamic-resistance-in-iraq"
    assert statements[1].cue == statements[0].cue


def test_attribution_several_speakers_in_one_paragraph(nlp: Language) -> None:
    text = (
        "The mayor said the bridge would reopen in May. Opposition councillors warned that "
        "costs could double, and the contractor insisted that the schedule was realistic."
    )
    statements = extract(nlp, text).statements
    cues = [s.cue.text for s in statements]
    assert cues == ["said", "warned", "insisted"]
    assert statements[1].speaker_mention is not None
    assert statements[1].speaker_mention.text == "Opposition councillors"


def test_attribution_mixed_quote_fragment_and_apostrophe(nlp: Language) -> None:
    text = "The union said the offer was “an insult to the workers' families” on Monday."
    statements = extract(nlp, text).statements
    assert statements[0].type.value == "mixed"
    assert "families”" in statements[0].content.text
    assert statements[0].speaker == "the-union"


def test_attribution_unbalanced_quote_does_not_crash(nlp: Language) -> None:
    text = "The minister said “the reforms are working and that growth will follow.\nNext line."
    statements = extract(nlp, text).statements
    assert statements
    assert statements[0].content.text.startswith("“the reforms")


def test_attribution_no_cue_no_statement(nlp: Language) -> None:
    assert extract(nlp, "Troops maintained their positions near the border.").statements == []
