"""The verdict on two claims: what they measure, intervals, places, events, periods, units,
sources (pure functions)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from service.analysis.compare import (
    DateSide,
    QuantitySide,
    Status,
    Verdict,
    compare_dates,
    compare_quantities,
    keys_compatible,
)

PUBLISHED = date(2024, 1, 27)


def q(claim: str, document: str, low: int | None = 2500, high: int | None = 2500,
      **fields: object) -> QuantitySide:
    """A claim like "2,500 troops are in Iraq", published on PUBLISHED, unless told."""
    values: dict[str, object] = {
        "key": "troop", "value": Decimal(low if low is not None else high or 0),
        "comparator": "equal" if low == high else "approximately",
        "minimum": None if low is None else Decimal(low),
        "maximum": None if high is None else Decimal(high),
        "predicate": "are", "predicate_key": "present", "nature": "Stock",
        "location": "x:iraq", "location_name": "Iraq", "published": PUBLISHED,
        "claimant": f"x:publisher-of-{document}", "sentence": f"{document}#{claim}",
    }
    values.update(fields)
    return QuantitySide(claim=claim, document=document, **values)  # type: ignore[arg-type]


def status(a: QuantitySide, b: QuantitySide) -> Status | None:
    verdict = compare_quantities(a, b)
    return None if verdict is None else verdict.status


def verdict(a: QuantitySide, b: QuantitySide) -> Verdict:
    found = compare_quantities(a, b)
    assert found is not None
    return found


def test_analysis_compare_overlapping_intervals_corroborate() -> None:
    found = verdict(q("a", "A", 2250, 2750), q("b", "B"))
    assert found.status is Status.CORROBORATION
    assert "overlap" in found.reason


def test_analysis_compare_disjoint_intervals_conflict() -> None:
    found = verdict(q("a", "A", 2250, 2750), q("b", "B", 900, 900))
    assert found.status is Status.CONFLICT
    assert "do not overlap" in found.reason


def test_analysis_compare_a_missing_bound_is_open_and_over_excludes_its_number() -> None:
    over = q("a", "A", 118, None, comparator="greaterThan")
    assert status(over, q("b", "B", 5000, 5000)) is Status.CORROBORATION
    assert status(over, q("c", "C", 100, 100)) is Status.CONFLICT
    at_most = q("d", "D", None, 118, comparator="lessThan")
    assert status(over, at_most) is Status.CONFLICT


def test_analysis_compare_an_exact_number_means_what_it_is_rounded_to() -> None:
    assert status(q("a", "A", 3, 3), q("b", "B", 4, 4)) is Status.CONFLICT
    low, high = Decimal("49.8"), Decimal("49.9")
    assert status(q("g", "G", low, low), q("h", "H", high, high)) is Status.CONFLICT  # type: ignore[arg-type]
    eleven = q("c", "C", 11_000_000, 11_000_000)
    more = q("d", "D", 11_000_000, None, comparator="greaterThan")
    assert status(eleven, more) is Status.CORROBORATION
    assert status(q("e", "E", 2500, 2500), q("f", "F", 2450, 2450)) is Status.CONFLICT


def test_analysis_compare_different_places_are_related_with_the_reason() -> None:
    found = verdict(q("a", "A", 1, 1), q("b", "B", 9, 9, location="x:syria",
                                         location_name="Syria"))
    assert found.status is Status.RELATED
    assert "Iraq" in found.reason
    assert "Syria" in found.reason
    assert "places" in found.reason


def test_analysis_compare_an_unknown_place_is_not_the_same_place() -> None:
    """ "12 people were rescued" (a fire) and "6 million people" (a drought): no conflict."""
    found = verdict(q("a", "A", 1, 3), q("b", "B", 9, 9, location=None, location_name=None))
    assert found.status is Status.RELATED
    assert "not stated" in found.reason
    unnamed = q("c", "C", location=None, location_name=None)
    assert status(unnamed, q("d", "D", 9, 9, location=None)) is Status.RELATED


def test_analysis_compare_one_named_event_fixes_the_place_and_time() -> None:
    attack = {"location": None, "event": "a drone attack on Tower 22",
              "event_key": "tower-22/attack", "predicate_key": "die"}
    a = q("a", "A", 3, 3, **attack)
    b = q("b", "B", 3, 3, **{**attack, "published": date(2024, 3, 1)})
    assert status(a, b) is Status.CORROBORATION
    assert status(a, q("c", "C", 4, 4, **attack)) is Status.CONFLICT


def test_analysis_compare_two_different_polls_are_related() -> None:
    poll = {"key": "share", "unit": "percent", "predicate_key": "hillary-clinton/present",
            "location": None}
    fox = q("a", "A", 44, 44, event="A Fox News poll", event_key="fox-news/poll", **poll)
    cnn = q("b", "B", 49, 49, event="a CNN/ORC poll", event_key="cnn-orc/poll", **poll)
    found = verdict(fox, cnn)
    assert found.status is Status.RELATED
    assert "different events" in found.reason.lower()
    assert status(fox, q("c", "C", 47, 47, event="the Fox News poll",
                         event_key="fox-news/poll", **poll)) is Status.CONFLICT


def test_analysis_compare_other_predicates_measure_other_things() -> None:
    """ "three US troops" killed and "900 U.S. troops" stationed: not compared at all."""
    killed = q("a", "A", 3, 3, predicate="killed", predicate_key="die")
    assert status(killed, q("b", "B", 900, 900)) is None
    assert status(q("c", "C", 3, 3, predicate_key=None), q("d", "D", 900, 900)) is None


def test_analysis_compare_other_parties_measure_other_things() -> None:
    clinton = q("a", "A", 44, 44, predicate_key="hillary-clinton/win")
    sanders = q("b", "B", 47, 47, predicate_key="bernie-sanders/win")
    assert status(clinton, sanders) is None
    someone = q("c", "C", 47, 47, predicate="won", predicate_key="?/win")
    found = verdict(clinton, someone)
    assert found.status is Status.RELATED
    assert "pronoun" in found.reason


def test_analysis_compare_a_measure_needs_whose_it_is() -> None:
    """ "The 40-year-old" and "the 56-year-old": ages of nobody named are not compared."""
    age = {"key": "year", "unit": "year", "predicate_key": "old"}
    assert status(q("a", "A", 40, 40, **age), q("b", "B", 56, 56, **age)) is None
    named = {**age, "predicate_key": "bernie-sanders/old"}
    assert status(q("c", "C", 74, 74, **named), q("d", "D", 75, 75, **named)) is Status.CONFLICT


def test_analysis_compare_stock_flow_and_change_are_not_compared() -> None:
    output = q("a", "A", 300, 300, nature="Flow")
    assert status(output, q("b", "B", 2000, 2000)) is None
    assert status(q("c", "C", 5, 5, nature="Change"), q("d", "D", 40, 40)) is None


def test_analysis_compare_a_percentage_is_no_count_and_units_must_match() -> None:
    assert status(q("a", "A", 40, 40, unit="percent"), q("b", "B", 40, 40)) is None
    usd = q("c", "C", 5, 5, unit="USD", predicate_key="pentagon/cost")
    eur = q("d", "D", 5, 5, unit="EUR", predicate_key="pentagon/cost")
    assert status(usd, eur) is Status.RELATED


def test_analysis_compare_periods_more_than_a_few_days_apart_are_related() -> None:
    a = q("a", "A", 118, None, comparator="greaterThan", time="since mid-October",
          time_start=date(2023, 10, 15), time_end=PUBLISHED)
    b = q("b", "B", None, 10, comparator="lessThan", time="since 7 October",
          time_start=date(2023, 10, 7), time_end=PUBLISHED)
    found = verdict(a, b)
    assert found.status is Status.RELATED
    assert "periods" in found.reason
    assert "8 days" in found.reason
    close = q("c", "C", None, 10, comparator="lessThan", time="since 13 October",
              time_start=date(2023, 10, 13), time_end=PUBLISHED)
    assert status(a, close) is Status.CONFLICT


def test_analysis_compare_a_count_without_a_period_is_as_of_its_publication() -> None:
    later = q("b", "B", 900, 900, published=date(2024, 6, 1))
    found = verdict(q("a", "A"), later)
    assert found.status is Status.RELATED
    assert "2024-06-01" in found.reason
    unresolved = q("c", "C", 900, 900, time="at the time")
    assert status(q("a", "A"), unresolved) is Status.RELATED


def test_analysis_compare_keys_that_only_refine_each_other_are_related() -> None:
    found = verdict(q("a", "A", key="us-troop"), q("b", "B", 900, 900))
    assert found.status is Status.RELATED
    assert "us-troop" in found.reason
    assert status(q("c", "C", key="attack"), q("d", "D")) is None


def test_analysis_compare_one_source_never_compares_with_itself() -> None:
    assert status(q("a", "A"), q("a", "A")) is None
    assert status(q("a", "A", 3, 3), q("b", "A", 9, 9)) is None  # the same claimant


def test_analysis_compare_two_sources_in_one_article_can_disagree() -> None:
    """A union says "over 300 million euros", the government "closer to 200 million"."""
    cost = {"key": "amount", "unit": "EUR", "predicate_key": "present", "location": None,
            "event": "the strike", "event_key": None}
    union = q("a", "A", 300, None, comparator="greaterThan", claimant="x:union",
              statement="A/statement/1", **cost)
    government = q("b", "A", 200, 200, claimant="x:government", statement="A/statement/2",
                   sentence="A#2", **cost)
    assert status(union, government) is Status.CONFLICT
    one_sentence = q("c", "A", 200, 200, claimant="x:government", sentence=union.sentence,
                     **cost)
    assert status(union, one_sentence) is None  # one sentence listing numbers is one voice
    own = q("d", "A", 200, 200, claimant="x:government", sentence=union.sentence,
            statement="A/statement/3", **cost)
    assert status(union, own) is Status.CONFLICT  # "one says ..., another says ..."
    named = q("e", "A", 200, 200, claimant="x:government", sentence="A#5",
              **{**cost, "location": "x:paris"})
    assert status(union, named) is Status.RELATED


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


def test_analysis_compare_dates_of_two_sources_in_one_article() -> None:
    ours = DateSide("a", "A", "islamic-state/defeat", date(2017, 9, 1), date(2017, 12, 31),
                    claimant="x:iraq")
    theirs = DateSide("b", "A", "islamic-state/defeat", date(2019, 1, 1), date(2019, 12, 31),
                      claimant="x:us")
    assert compare_dates(ours, theirs).status is Status.CONFLICT  # type: ignore[union-attr]
    mine_again = DateSide("c", "A", "islamic-state/defeat", date(2019, 1, 1),
                          date(2019, 12, 31), claimant="x:iraq")
    assert compare_dates(ours, mine_again) is None
