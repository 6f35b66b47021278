"""What a quantity measures: the predicate it is the count of, the other party, the event, stock
or flow or change, and a date or place of its clause (service/pipeline/extract/measures.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from service.pipeline.documents import Document
from service.pipeline.extract import extract_documents, load_pipeline
from service.pipeline.records import Actor, ActorType, Nature, QuantityClaim

ACTORS = [Actor("jordan", "Jordan", ActorType.PLACE), Actor("france", "France", ActorType.PLACE),
          Actor("united-states", "United States", ActorType.PLACE, aliases=("US", "U.S."))]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(actors=ACTORS)


def quantities(nlp: Language, text: str, published: dt.date | None = None) -> list[QuantityClaim]:
    (extraction,) = extract_documents(nlp, [Document(text=text, date_published=published)])
    return extraction.quantities


def by_value(claims: list[QuantityClaim]) -> dict[int, QuantityClaim]:
    return {int(c.value): c for c in claims}


def test_measures_killed_and_stationed_are_other_predicates(nlp: Language) -> None:
    killed, stationed = quantities(
        nlp, "Three soldiers were killed near the border. France keeps 900 soldiers "
             "stationed in Jordan.")
    assert killed.predicate == "killed"
    assert killed.predicate_key == "die"
    assert stationed.predicate_key == "present"
    assert stationed.counted_key == "france-soldier"  # the nation that keeps them


def test_measures_died_and_were_killed_are_one_class(nlp: Language) -> None:
    died, killed = quantities(nlp, "Twelve miners died on Friday. Officials said 12 miners "
                                   "were killed.")
    assert died.predicate_key == killed.predicate_key == "die"


def test_measures_event_named_in_the_clause_and_its_place_and_date(nlp: Language) -> None:
    killed, wounded = quantities(
        nlp, "Four guards were killed and 20 wounded in a rocket attack on Camp Bravo in "
             "Jordan on Sunday.", published=dt.date(2024, 3, 6))
    assert killed.event is not None
    assert killed.event.startswith("a rocket attack on Camp Bravo")
    assert killed.event_key == "camp-bravo/attack"
    assert killed.location == "jordan"
    assert (killed.time, killed.time_start) == ("Sunday", dt.date(2024, 3, 3))
    assert wounded.predicate_key == "wound"
    assert wounded.event_key == killed.event_key


def test_measures_the_poll_is_the_last_poll_named(nlp: Language) -> None:
    claims = by_value(quantities(
        nlp, "A Gallup poll released Monday shows Smith with 47 percent. "
             "The poll also found that 40 percent of voters chose Jones."))
    assert claims[47].event_key == claims[40].event_key == "gallup/poll"
    assert claims[47].predicate_key.endswith("/present")
    assert claims[40].predicate_key.endswith("/choose")
    assert claims[40].counted_key == "voter"


def test_measures_the_other_party_tells_two_candidates_apart(nlp: Language) -> None:
    claims = by_value(quantities(nlp, "Mary Smith won 52 percent of the vote, while John Jones "
                                      "won 46 percent."))
    assert claims[52].predicate_key.endswith("/win")
    assert claims[46].predicate_key.endswith("/win")
    assert claims[52].predicate_key != claims[46].predicate_key


def test_measures_a_pronoun_party_is_unknown(nlp: Language) -> None:
    (claim,) = quantities(nlp, "He won 45 delegates in the primary.")
    assert claim.predicate_key == "?/win"


def test_measures_a_rate_is_a_flow_and_a_rise_a_change(nlp: Language) -> None:
    plant, reservoir = quantities(nlp, "The plant will produce 300 megawatts a year, while the "
                                       "reservoir holds 2 billion cubic meters.")
    assert plant.nature is Nature.FLOW
    assert reservoir.nature is Nature.STOCK
    (rise,) = quantities(nlp, "Unemployment rose by 0.3 percent in March.")
    assert rise.nature is Nature.CHANGE


def test_measures_a_date_of_the_clause_is_its_period(nlp: Language) -> None:
    (claim,) = quantities(nlp, "Romney won the state by 12 points four years ago.",
                          published=dt.date(2016, 9, 7))
    assert claim.time == "four years ago"
    assert (claim.time_start, claim.time_end) == (dt.date(2012, 1, 1), dt.date(2012, 12, 31))


def test_measures_a_value_stated_at_a_number_is_the_value_of_the_object(nlp: Language) -> None:
    (claim,) = quantities(nlp, "Forbes puts Mr. Smith's fortune at $4 billion.")
    assert claim.predicate_key is not None
    assert claim.predicate_key.endswith("fortune/present")


def test_measures_a_hypothetical_asserts_no_measure(nlp: Language) -> None:
    claims = quantities(nlp, "Whether there are 2,400 billionaires or 1,800 hardly matters.")
    assert claims
    assert all(c.predicate_key is None for c in claims)


def test_measures_an_elided_count_takes_its_parallel_s_noun(nlp: Language) -> None:
    claims = by_value(quantities(nlp, "One firm says there are 2,400 billionaires, and another "
                                      "says there are about 1,800."))
    first, second = claims[2400], claims[1800]
    assert first.counted_key == second.counted_key == "billionaire"
    assert first.predicate_key == second.predicate_key == "present"
