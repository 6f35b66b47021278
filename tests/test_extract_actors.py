"""Actors: registry names as whole entities, aliases linked, unknown names and groups minted."""

from __future__ import annotations

import pytest
from spacy.language import Language

from service.pipeline.documents import Document
from service.pipeline.extract import extract_documents, load_pipeline
from service.pipeline.records import Actor, ActorType, Extraction

ACTORS = [
    Actor("islamic-resistance-in-iraq", "Islamic Resistance in Iraq", ActorType.ORGANIZATION,
          ("IRI", "Iraqi resistance")),
    Actor("united-states", "United States", ActorType.PLACE, ("US", "Washington")),
    Actor("press-tv", "Press TV", ActorType.ORGANIZATION, ("PressTV",)),
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(actors=ACTORS)


def extract(nlp: Language, text: str, publisher: str | None = None) -> Extraction:
    (extraction,) = extract_documents(nlp, [Document(text=text, publisher=publisher)])
    return extraction


def test_actors_registry_name_is_one_entity_linked_to_the_registry(nlp: Language) -> None:
    out = extract(nlp, "The Islamic Resistance in Iraq said Washington must leave.")
    linked = {m.span.text: m.actor for m in out.mentions}
    assert linked["Islamic Resistance in Iraq"] == "islamic-resistance-in-iraq"
    assert linked["Washington"] == "united-states"


def test_actors_unknown_person_gets_own_actor_and_surname_links(nlp: Language) -> None:
    text = "Defense Secretary Lloyd Austin met troops. Austin said the visit went well."
    out = extract(nlp, text)
    assert out.actors["lloyd-austin"].type is ActorType.PERSON
    assert {m.actor for m in out.mentions if m.span.text == "Austin"} == {"lloyd-austin"}


def test_actors_unnamed_source_becomes_group_named_as_written(nlp: Language) -> None:
    out = extract(nlp, "Two senior diplomats said the ceasefire was holding.")
    (statement,) = out.statements
    group = out.actors[statement.speaker]
    assert group.type is ActorType.GROUP
    assert group.name == "Two senior diplomats"
    assert group.description


def test_actors_publisher_linked_by_alias_or_minted(nlp: Language) -> None:
    assert extract(nlp, "Prices rose.", publisher="PressTV").publisher == "press-tv"
    out = extract(nlp, "Prices rose.", publisher="Daily Example")
    assert out.publisher == "daily-example"
    assert out.actors["daily-example"].type is ActorType.ORGANIZATION
