"""Actors: registry names as whole entities, aliases linked, unknown names and groups minted;
the registry as the ruler's and the linker's data (initialize, to_disk, to_bytes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

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


def test_actors_unnamed_source_becomes_a_nameless_group_named_as_written(nlp: Language) -> None:
    out = extract(nlp, "Two senior diplomats said the ceasefire was holding.")
    (statement,) = out.statements
    group = out.actors[statement.speaker]
    assert group.type is ActorType.GROUP
    assert group.name == "Two senior diplomats"
    assert group.description
    assert group.nameless  # its document's own: never the same actor as another's diplomats


def test_actors_publisher_linked_by_alias_or_minted(nlp: Language) -> None:
    assert extract(nlp, "Prices rose.", publisher="PressTV").publisher == "press-tv"
    out = extract(nlp, "Prices rose.", publisher="Daily Example")
    assert out.publisher == "daily-example"
    assert out.actors["daily-example"].type is ActorType.ORGANIZATION


def test_actors_registry_saved_with_the_pipeline_and_loaded_by_spacy_load(
    nlp: Language, tmp_path: Path
) -> None:
    nlp.to_disk(tmp_path)
    for name in ("factgraph_actor_ruler", "factgraph_actors"):
        lines = (tmp_path / name / "actors.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(line)["key"] for line in lines] == [a.key for a in ACTORS]
    loaded = spacy.load(tmp_path)
    text = "The IRI said the United States must leave, PressTV reported."
    assert extract(loaded, text, publisher="PressTV") == extract(nlp, text, publisher="PressTV")
    out = extract(loaded, text, publisher="PressTV")
    assert {m.span.text: m.actor for m in out.mentions}["IRI"] == "islamic-resistance-in-iraq"
    assert out.actors["islamic-resistance-in-iraq"] == ACTORS[0]


def test_actors_registry_round_trips_through_bytes() -> None:
    blank = spacy.blank("en")
    ruler = blank.add_pipe("factgraph_actor_ruler")
    linker = blank.add_pipe("factgraph_actors")
    ruler.initialize(nlp=blank, actors=ACTORS)
    linker.initialize(nlp=blank, actors=ACTORS)
    other = spacy.blank("en")
    other.add_pipe("factgraph_actor_ruler").from_bytes(ruler.to_bytes())
    other.add_pipe("factgraph_actors").from_bytes(linker.to_bytes())
    doc = other("Washington and the IRI met.")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [
        ("Washington", "united-states"), ("IRI", "islamic-resistance-in-iraq")]
    assert [s._.factgraph_actor for s in doc.spans["factgraph_mentions"]] == ACTORS[1::-1]


def test_actors_registry_from_the_config_through_nlp_initialize() -> None:
    blank = spacy.blank("en")
    blank.add_pipe("factgraph_actor_ruler")
    blank.add_pipe("factgraph_actors")
    rows = [{"key": "iraq", "name": "Iraq", "type": "Place", "aliases": ["Republic of Iraq"]}]
    for name in ("factgraph_actor_ruler", "factgraph_actors"):
        blank.config["initialize"]["components"][name] = {"actors": rows}
    blank.initialize()
    doc = blank("Troops left the Republic of Iraq.")
    (mention,) = doc.spans["factgraph_mentions"]
    assert mention.text == "Republic of Iraq"
    assert mention._.factgraph_actor == Actor(
        "iraq", "Iraq", ActorType.PLACE, ("Republic of Iraq",))


def test_actors_alias_matches_only_a_whole_name_never_the_start_of_a_longer_one(
    nlp: Language,
) -> None:
    text = ("An expert at the Washington Institute for Near East Policy said the strikes would "
            "go on. Washington said it would respond.")
    out = extract(nlp, text)
    linked = {m.span.text: m.actor for m in out.mentions}
    assert linked["Washington"] == "united-states"
    institute = out.actors[linked["the Washington Institute for Near East Policy"]]
    assert institute.type is ActorType.ORGANIZATION
    expert, washington = (out.actors[s.speaker] for s in out.statements)
    assert expert.nameless
    assert expert.member_of == institute.key
    assert washington.key == "united-states"


def test_actors_name_found_by_ner_gets_the_same_key_in_every_article(nlp: Language) -> None:
    first = extract(nlp, "The Norwegian Refugee Council said aid was blocked.")
    second = extract(nlp, "Aid groups, among them the Norwegian Refugee Council, protested.")
    keys = {m.actor for out in (first, second) for m in out.mentions}
    assert keys == {"norwegian-refugee-council"}


def test_actors_registry_name_inside_a_longer_name_is_not_linked() -> None:
    nlp = load_pipeline(actors=[Actor("jordan", "Jordan", ActorType.PLACE)])
    out = extract(nlp, "Michael Jordan said he would play.")
    assert {m.span.text: m.actor for m in out.mentions} == {"Michael Jordan": "michael-jordan"}
    out = extract(nlp, "The troops left Jordan on Monday.")
    assert {m.span.text: m.actor for m in out.mentions} == {"Jordan": "jordan"}


def test_actors_name_the_registry_gives_another_type_is_keyed_with_its_type() -> None:
    blank = spacy.blank("en")
    linker = blank.add_pipe("factgraph_actors")
    linker.initialize(actors=[Actor("jordan", "Jordan", ActorType.PLACE)])
    doc = blank.make_doc("Jordan scored.")
    doc.ents = [Span(doc, 0, 1, label="PERSON")]
    (mention,) = linker(doc).spans["factgraph_mentions"]
    assert mention._.factgraph_actor == Actor("jordan-person", "Jordan", ActorType.PERSON)


def test_actors_surname_after_the_full_name_is_the_same_person(nlp: Language) -> None:
    text = "Demetre Daskalakis, the director, said cases fell. Daskalakis said vaccines worked."
    out = extract(nlp, text)
    assert [m.actor for m in out.mentions] == ["demetre-daskalakis", "demetre-daskalakis"]
    assert [s.speaker for s in out.statements] == ["demetre-daskalakis"] * 2


def test_actors_acronym_defined_in_the_text_is_the_organisation(nlp: Language) -> None:
    text = "The European Central Bank (ECB) said rates would hold. The ECB added that prices fell."
    out = extract(nlp, text)
    assert {m.span.text: m.actor for m in out.mentions} == {
        "The European Central Bank": "european-central-bank", "ECB": "european-central-bank"}
    assert {s.speaker for s in out.statements} == {"european-central-bank"}
    assert "ecb" not in out.actors


def test_actors_surname_in_a_headline_before_the_full_name_is_the_same_person(
    nlp: Language,
) -> None:
    out = extract(nlp, "Cruz wins\nSenator Ted Cruz said he won. Cruz added that it was close.")
    assert {m.actor for m in out.mentions if "Cruz" in m.span.text} == {"ted-cruz"}
    assert [s.speaker for s in out.statements] == ["ted-cruz", "ted-cruz"]


def test_actors_title_after_a_named_person_is_that_person(nlp: Language) -> None:
    text = ("Bernie Sanders said the system was rigged. The Vermont senator said he would "
            "fight on. A senior official said talks failed. The official said more would come.")
    out = extract(nlp, text)
    speakers = [s.speaker for s in out.statements]
    assert speakers[:2] == ["bernie-sanders", "bernie-sanders"]
    assert speakers[2] == speakers[3]
    assert out.actors[speakers[3]].nameless
