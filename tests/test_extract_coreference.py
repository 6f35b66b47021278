"""Who a speaker phrase refers to: pronouns by gender and kind, titles and descriptions by what
the text said before, families and organisations named after a person, and names ner misreads.
Every text here is written for the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from service.pipeline.documents import Document
from service.pipeline.extract import extract_documents, load_pipeline
from service.pipeline.extract.extensions import MENTIONS
from service.pipeline.records import Actor, ActorType, Extraction

LEXICON = Path(__file__).resolve().parent.parent / "service/pipeline/extract/data/given_names.json"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()  # the default registry: every name here is the text's own


def extract(nlp: Language, text: str) -> Extraction:
    return next(extract_documents(nlp, [Document(text=text)]))


def speakers(out: Extraction) -> dict[str, str | None]:
    """Each statement's speaker mention as written -> its actor key (the last one wins)."""
    return {s.speaker_mention.text: s.speaker for s in out.statements if s.speaker_mention}


def linked(nlp: Language, text: str, entities: list[tuple[str, str]]) -> dict[str, str]:
    """The linker's mentions for a text whose entities are set by hand, in text order (as ner
    might misread them): name -> actor key."""
    return {span: actor.key for span, actor in _link(nlp, text, entities)}


def linked_actors(nlp: Language, text: str, entities: list[tuple[str, str]]) -> list[Actor]:
    return [actor for _, actor in _link(nlp, text, entities)]


def _link(nlp: Language, text: str, entities: list[tuple[str, str]]) -> list[tuple[str, Actor]]:
    doc: Doc = nlp.make_doc(text)
    for name, pipe in nlp.pipeline:
        if name == "factgraph_actors":
            break
        doc = pipe(doc)
    spans, start = [], 0
    for words, label in entities:  # in text order
        start = text.index(words, start)
        spans.append(doc.char_span(start, start + len(words), label=label))
        start += len(words)
    doc.ents = spans
    doc = nlp.get_pipe("factgraph_actors")(doc)
    return [(span.text, span._.factgraph_actor) for span in doc.spans[MENTIONS]]


def test_she_is_the_woman_named_before_not_the_man_quoted_last(nlp: Language) -> None:
    out = extract(nlp, "Maria Lopez criticised the plan on Monday. Robert Klein said the plan "
                       "would pass. She said the vote had been rigged.")
    assert speakers(out)["She"] == "maria-lopez"


def test_a_title_says_the_gender_a_surname_cannot(nlp: Language) -> None:
    out = extract(nlp, "Mrs. Okafor spoke first at the hearing. Dale Reeves said costs would "
                       "rise. She said costs would fall.")
    assert speakers(out)["She"] == "okafor"


def test_the_texts_own_pronouns_give_the_gender_of_an_unknown_name(nlp: Language) -> None:
    out = extract(nlp, "Zorvath Quell inspected the bridge with his engineers on Monday. Lina "
                       "Marsh said it was not safe. He said inspectors had checked every cable.")
    assert speakers(out)["He"] == "zorvath-quell"


def test_he_with_no_man_in_the_text_is_no_one(nlp: Language) -> None:
    out = extract(nlp, "Senator Elena Ruiz visited the flooded town on Sunday. Residents said "
                       "the levee failed. He said the city should pay.")
    assert speakers(out)["He"] is None


def test_it_is_an_organisation_never_a_person(nlp: Language) -> None:
    out = extract(nlp, "Paul Hart praised the merger. Northwind Logistics announced layoffs on "
                       "Friday, and it said more cuts would follow.")
    assert speakers(out)["it"] == "northwind-logistics"


def test_they_is_the_group_quoted_not_the_person_named_since(nlp: Language) -> None:
    out = extract(nlp, "Local farmers said the drought was the worst in decades. The governor, "
                       "Ann Pierce, visited the farms on Tuesday. They said the aid came too late.")
    found = speakers(out)
    assert found["They"] == found["Local farmers"]
    assert out.actors[found["They"]].type is ActorType.GROUP


def test_i_outside_quotes_is_the_author_of_the_article(nlp: Language) -> None:
    out = extract(nlp, "I have covered the city council for ten years. The mayor said the "
                       "budget was balanced. I said it was not.")
    author = out.actors[speakers(out)["I"]]
    assert author.nameless
    assert author.name == "the author"


def test_i_in_an_interview_answer_is_who_answers(nlp: Language) -> None:
    text = ("Coach Dan Brady spoke to us after the final.\nQ: What happened in the final?\n"
            "A: I told the players to stay calm. My assistant said we had a chance.\n"
            "Q: And then?\nA: I said nothing more.")
    out = extract(nlp, text)
    answers = [s.speaker for s in out.statements if s.speaker_mention.text in ("I", "A")]
    assert answers[-2:] == ["dan-brady"] * 2  # "I told ...", then the next "A:" line


def test_i_after_a_speakers_label_is_that_speaker(nlp: Language) -> None:
    out = extract(nlp, "BRADY: I said we would win.\nKELLER: I said we would not.")
    by_label = [s.speaker for s in out.statements]
    assert by_label[0] == by_label[1] != by_label[2] == by_label[3]


def test_a_documents_possessive_says_whose_it_is(nlp: Language) -> None:
    out = extract(nlp, "Senator Dana Whitfield spoke in Ohio on Monday. Her statement said the "
                       "bill would pass.")
    assert speakers(out)["Her statement"] == "dana-whitfield"


def test_an_indefinite_document_is_a_source_of_its_own(nlp: Language) -> None:
    out = extract(nlp, "Governor Ed Marsh spoke on Monday. Polls show the race is tied.")
    polls = out.actors[speakers(out)["Polls"]]
    assert polls.nameless
    assert polls.name == "Polls"


def test_organisation_named_after_a_person_is_an_actor_of_its_own(nlp: Language) -> None:
    out = extract(nlp, "Barack Obama spoke on Monday. The Obama administration said the talks "
                       "would resume.")
    administration = out.actors[speakers(out)["The Obama administration"]]
    assert administration.key == "barack-obama-administration"
    assert administration.type is ActorType.ORGANIZATION
    assert not administration.nameless  # the same actor in every article that names it


def test_a_family_is_one_actor_apart_from_its_members(nlp: Language) -> None:
    out = extract(nlp, "Nadia and Omar Haddad, the owners of the bakery, said the rent had "
                       "doubled. Omar Haddad said they might close. The Haddads said they "
                       "would appeal.")
    found = [s.speaker for s in out.statements]
    assert found[0] == found[2] == "the-haddad-family"
    assert found[1] == "omar-haddad"
    assert out.actors["the-haddad-family"].type is ActorType.GROUP


def test_the_spokesman_is_the_person_the_text_called_spokesman(nlp: Language) -> None:
    out = extract(nlp, "Pentagon spokesman John Kirby briefed reporters. Senator Mary Cole said "
                       "the budget was too large. The spokesman said the request was modest.")
    assert speakers(out)["The spokesman"] == "john-kirby"


def test_the_governor_is_the_governor_quoted_last_of_two(nlp: Language) -> None:
    out = extract(nlp, "Governor Chris Dalton of Ohio took questions on Monday. Former governor "
                       "Rita Vance said the plan was reckless. Dalton said the plan would work. "
                       '"It is sound," the governor said.')
    assert speakers(out)["the governor"] == "chris-dalton"


def test_a_noun_heading_an_organisations_name_is_that_organisation(nlp: Language) -> None:
    out = extract(nlp, "The Coastal Liberation Front claimed the attack on Sunday. Officials "
                       "said two people were hurt. The front said more attacks would follow.")
    assert speakers(out)["The front"] == "coastal-liberation-front"


def test_a_surname_alone_in_a_headline_is_the_full_name_below(nlp: Language) -> None:
    out = extract(nlp, "Pryce: The budget is a disgrace\nSenator Wendell Pryce said the budget "
                       "was a disgrace. Pryce added that he would vote no.")
    assert {s.speaker for s in out.statements} == {"wendell-pryce"}


def test_a_name_ner_calls_an_organisation_is_a_person_with_a_given_name(
    nlp: Language,
) -> None:
    text = "Megan Thorne said the plan failed. Thorne added that costs rose."
    found = linked(nlp, text, [("Megan Thorne", "ORG"), ("Thorne", "ORG")])
    assert found == {"Megan Thorne": "megan-thorne", "Thorne": "megan-thorne"}


def test_a_newspaper_named_after_a_city_stays_an_organisation(nlp: Language) -> None:
    text = "the Orlando Sentinel reported the closure."
    doc_mentions = linked(nlp, text, [("Orlando Sentinel", "ORG")])
    assert doc_mentions == {"Orlando Sentinel": "orlando-sentinel"}
    out = extract(nlp, "The Orlando Sentinel reported that the park would close.")
    assert out.actors["orlando-sentinel"].type is ActorType.ORGANIZATION


def test_a_name_ner_runs_on_past_a_full_name_is_that_person(nlp: Language) -> None:
    text = "Tanya Gorsky Warns Voters\nTanya Gorsky said the bill would raise taxes."
    found = linked(nlp, text, [("Tanya Gorsky Warns", "PERSON"), ("Tanya Gorsky", "PERSON")])
    assert set(found.values()) == {"tanya-gorsky"}


def test_a_name_ner_tags_a_person_more_often_than_not_is_a_person_everywhere(
    nlp: Language,
) -> None:
    text = "Gorsky won the vote. Gorsky said the count was fair. Gorsky thanked the clerks."
    found = linked_actors(nlp, text, [("Gorsky", "ORG"), ("Gorsky", "PERSON"),
                                      ("Gorsky", "PERSON")])
    assert {actor.type for actor in found} == {ActorType.PERSON}


def test_given_names_lexicon_is_the_scripts_output() -> None:
    """given_names.json is generated: edit scripts/lexicon/, then regenerate it."""
    pytest.importorskip("faker")
    from scripts.lexicon.build_given_names import build, locale_lists

    assert build(locale_lists()) == LEXICON.read_text(encoding="utf-8")
    names = json.loads(LEXICON.read_text(encoding="utf-8"))
    assert "Carly" in names["female"]
    assert "Ted" in names["male"]
    assert "Taylor" in names["either"]
