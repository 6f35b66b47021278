"""Quantity claims: hedges, words, percentages, money, elided heads; and what is no quantity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from spacy.language import Language

from service.pipeline.documents import Document
from service.pipeline.extract import extract_documents, load_pipeline
from service.pipeline.records import Actor, ActorType, QuantityClaim

ACTORS = [Actor("iraq", "Iraq", ActorType.PLACE), Actor("syria", "Syria", ActorType.PLACE)]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(actors=ACTORS)


def quantities(nlp: Language, text: str, published: dt.date | None = None) -> list[QuantityClaim]:
    document = Document(text=text, date_published=published)
    (extraction,) = extract_documents(nlp, [document])
    return extraction.quantities


def test_quantities_hedge_distributes_over_elided_head(nlp: Language) -> None:
    first, second = quantities(nlp, "There are roughly 2,500 US troops in Iraq and 900 in Syria.")
    assert (first.value, first.comparator.value, first.hedge) == (2500, "approximately", "roughly")
    assert first.counted_key == "us-troop"
    assert first.location == "iraq"
    assert second.value == 900
    assert second.comparator.value == "approximately"
    assert second.counted == first.counted
    assert second.location == "syria"
    assert first.min_value == Decimal("2250")
    assert first.max_value == Decimal("2750")


def test_quantities_more_than_has_no_maximum(nlp: Language) -> None:
    (claim,) = quantities(nlp, "More than 1,200 nurses walked out of hospitals.")
    assert claim.comparator.value == "greaterThan"
    assert claim.min_value == 1200
    assert claim.max_value is None


def test_quantities_upwards_of_is_greater_or_equal(nlp: Language) -> None:
    (claim,) = quantities(nlp, "Upwards of 64,100 others have been injured.")
    assert claim.comparator.value == "greaterOrEqual"
    assert claim.value == 64100


def test_quantities_number_words_and_percent(nlp: Language) -> None:
    claims = quantities(nlp, "Five doctors said just under 12 percent of patients were infected.")
    assert [(c.value, c.comparator.value, c.unit) for c in claims] == [
        (5, "equal", None),
        (12, "lessThan", "percent"),
    ]


def test_quantities_money_and_scale(nlp: Language) -> None:
    (claim,) = quantities(nlp, "The company raised about $1.5 billion from investors.")
    assert claim.value == Decimal("1500000000")
    assert claim.unit == "USD"
    assert claim.comparator.value == "approximately"


def test_quantities_counted_phrase_and_time_since(nlp: Language) -> None:
    text = "Militants have carried out over 100 attacks against US forces since mid-October."
    (claim,) = quantities(nlp, text, dt.date(2024, 1, 27))
    assert claim.counted == "attacks against US forces"
    assert claim.counted_key == "attack"
    assert claim.time == "since mid-October"
    assert (claim.time_start, claim.time_end) == (dt.date(2023, 10, 15), dt.date(2024, 1, 27))


def test_quantities_years_dates_ordinals_and_names_are_not_claims(nlp: Language) -> None:
    text = (
        "In 2019, one of the F-16 jets landed at Tower 22 on 7 October at 10:30, "
        "the second time this week."
    )
    assert quantities(nlp, text) == []


def test_quantities_inside_a_statement_are_claimed_by_its_speaker(nlp: Language) -> None:
    text = "According to the health ministry, some 300 people have died."
    (claim,) = quantities(nlp, text)
    assert claim.statement == 0
    assert claim.claimed_by == "health-ministry"
