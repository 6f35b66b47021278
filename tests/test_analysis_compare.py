"""The verdict on two claims: intervals, places, periods, units, keys (pure functions)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from service.analysis.compare import (
    DateSide,
    QuantitySide,
    Status,
    compare_dates,
    compare_quantities,
    keys_compatible,
)


def q(claim: str, document: str, **fields: object) -> QuantitySide:
    values = {"key": "troop", "value": Decimal(2500), "comparator": "approximately"}
    values.update(fields)
    return QuantitySide(claim=claim, document=document, **values)  # type: ignore[arg-type]


def test_analysis_compare_overlapping_intervals_corroborate() -> None:
    a = q("a", "A", minimum=Decimal(2250), maximum=Decimal(2750))
    b = q("b", "B", minimum=Decimal(2500), maximum=Decimal(2500), comparator="equal")
    verdict = compare_quantities(a, b)
    assert verdict is not None
    assert verdict.status is Status.CORROBORATION
    assert "overlap" in verdict.reason


def test_analysis_compare_disjoint_intervals_conflict() -> None:
    a = q("a", "A", minimum=Decimal(2250), maximum=Decimal(2750))
    b = q("b", "B", value=Decimal(900), minimum=Decimal(900), maximum=Decimal(900))
    verdict = compare_quantities(a, b)
    assert verdict is not None
    assert verdict.status is Status.CONFLICT
    assert "do not overlap" in verdict.reason


def test_analysis_compare_a_missing_bound_is_open_and_over_excludes_its_number() -> None:
    over = q("a", "A", value=Decimal(118), comparator="greaterThan", minimum=Decimal(118))
    many = q("b", "B", value=Decimal(5000), minimum=Decimal(5000), maximum=Decimal(5000))
    exactly = q("c", "C", value=Decimal(118), minimum=Decimal(118), maximum=Decimal(118))
    assert compare_quantities(over, many).status is Status.CORROBORATION  # type: ignore[union-attr]
    assert compare_quantities(over, exactly).status is Status.CONFLICT  # type: ignore[union-attr]


def test_analysis_compare_different_places_are_related_with_the_reason() -> None:
    a = q("a", "A", location="x:iraq", location_name="Iraq", minimum=Decimal(1), maximum=Decimal(1))
    b = q("b", "B", location="x:syria", location_name="Syria", minimum=Decimal(9))
    verdict = compare_quantities(a, b)
    assert verdict is not None
    assert verdict.status is Status.RELATED
    assert "Iraq" in verdict.reason
    assert "Syria" in verdict.reason
    assert "places" in verdict.reason


def test_analysis_compare_a_missing_place_matches_any() -> None:
    a = q("a", "A", location="x:iraq", minimum=Decimal(1), maximum=Decimal(3))
    b = q("b", "B", minimum=Decimal(2), maximum=Decimal(2))
    assert compare_quantities(a, b).status is Status.CORROBORATION  # type: ignore[union-attr]


def test_analysis_compare_periods_more_than_a_few_days_apart_are_related() -> None:
    a = q("a", "A", time="since mid-October", time_start=date(2023, 10, 15), minimum=Decimal(118))
    b = q("b", "B", time="since 7 October", time_start=date(2023, 10, 7), maximum=Decimal(10))
    verdict = compare_quantities(a, b)
    assert verdict is not None
    assert verdict.status is Status.RELATED
    assert "periods" in verdict.reason
    assert "8 days" in verdict.reason
    close = q("c", "C", time_start=date(2023, 10, 13), maximum=Decimal(10))
    assert compare_quantities(a, close).status is Status.CONFLICT  # type: ignore[union-attr]


def test_analysis_compare_different_units_are_related() -> None:
    a = q("a", "A", unit="percent", minimum=Decimal(1), maximum=Decimal(1))
    b = q("b", "B", minimum=Decimal(1), maximum=Decimal(1))
    assert compare_quantities(a, b).status is Status.RELATED  # type: ignore[union-attr]


def test_analysis_compare_same_document_or_other_things_are_not_compared() -> None:
    assert compare_quantities(q("a", "A"), q("b", "A")) is None
    assert compare_quantities(q("a", "A"), q("b", "B", key="attack")) is None


def test_analysis_compare_keys_match_when_one_qualifies_the_other() -> None:
    assert keys_compatible("troop", "us-troop")
    assert keys_compatible("us-troop", "troop")
    assert keys_compatible("troop", "troop")
    assert not keys_compatible("us-troop", "uk-troop")
    assert not keys_compatible("troop", "troopship")


def test_analysis_compare_dates_by_their_intervals() -> None:
    late_2017 = DateSide("a", "A", "islamic-state/defeat", date(2017, 9, 1), date(2017, 12, 31))
    in_2019 = DateSide("b", "B", "islamic-state/defeat", date(2019, 1, 1), date(2019, 12, 31))
    in_dec = DateSide("c", "C", "islamic-state/defeat", date(2017, 12, 9), date(2017, 12, 9))
    assert compare_dates(late_2017, in_2019).status is Status.CONFLICT  # type: ignore[union-attr]
    assert compare_dates(late_2017, in_dec).status is Status.CORROBORATION  # type: ignore[union-attr]
    other = DateSide("d", "D", "other-event", date(2019, 1, 1), date(2019, 1, 1))
    assert compare_dates(late_2017, other) is None

