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


def _read(nlp: Language, text: str) -> list[tuple]:
    return [(q.mention.text, q.value, q.comparator.value, q.unit) for q in quantities(nlp, text)]


def test_quantities_ranges_are_one_claim_with_both_bounds(nlp: Language) -> None:
    marched, share = quantities(
        nlp, "Between 750,000 and 800,000 people marched, and 10 to 15 percent were students."
    )
    assert (marched.min_value, marched.max_value, marched.comparator.value) == (
        750_000, 800_000, "range")
    assert marched.counted == "people"
    assert (share.min_value, share.max_value, share.unit) == (10, 15, "percent")


def test_quantities_abbreviated_scales_and_currencies(nlp: Language) -> None:
    text = "Sales rose 24pc to 25k units, worth $5.4m, and HK$5.4 billion was raised."
    assert _read(nlp, text) == [
        ("24pc", 24, "equal", "percent"),
        ("25k units", 25_000, "equal", None),
        ("$5.4m", 5_400_000, "equal", "USD"),
        ("HK$5.4 billion", 5_400_000_000, "equal", "HKD"),
    ]


def test_quantities_fractions_and_signs(nlp: Language) -> None:
    text = "Two-thirds of voters and one in three donors backed him."
    thirds, one_in_three = quantities(nlp, text)
    assert round(thirds.value, 4) == round(Decimal(2) / 3, 4)
    assert round(one_in_three.value, 4) == round(Decimal(1) / 3, 4)
    assert _read(nlp, "Temperatures fell to minus 387 degrees.") == [
        ("minus 387 degrees", -387, "equal", "degree")]


def test_quantities_bound_written_after_the_number_is_kept_as_its_hedge(nlp: Language) -> None:
    (claim,) = quantities(nlp, "Police arrested 20 or more people.")
    assert (claim.value, claim.comparator.value, claim.hedge) == (20, "greaterOrEqual", "or more")


def test_quantities_names_models_and_addresses_are_no_quantities(nlp: Language) -> None:
    text = "The Note 20 Ultra was shown at 22 Ave Foch near Planet 9 in 2019 on Feb. 21 at 5 am."
    assert quantities(nlp, text) == []


def test_quantities_adjacent_numbers_are_never_summed(nlp: Language) -> None:
    values = [q.value for q in quantities(nlp, "They built one 52,000-seat stadium.")]
    assert 52_000 in values
    assert 52_001 not in values
