"""Date claims: explicit years and months, and the event keyed by who it happened to."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from service.pipeline.documents import Document
from service.pipeline.extract import extract_documents, load_pipeline
from service.pipeline.extract.timex import resolve_period, year_span
from service.pipeline.records import Actor, ActorType, DateClaim

ACTORS = [Actor("islamic-state", "Islamic State", ActorType.ORGANIZATION, ("ISIS", "Daesh"))]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(actors=ACTORS)


def dates(nlp: Language, text: str) -> list[DateClaim]:
    (extraction,) = extract_documents(nlp, [Document(text=text)])
    return extraction.dates


def test_dates_definite_group_refers_back_to_last_organisation(nlp: Language) -> None:
    text = "Troops were sent to fight ISIS. The extremist group was defeated in 2019."
    (claim,) = dates(nlp, text)
    assert claim.event == "The extremist group was defeated"
    assert (claim.earliest, claim.latest) == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert claim.event_key == "islamic-state/defeat"


def test_dates_late_year_and_object_of_active_verb(nlp: Language) -> None:
    text = "Forces fought Daesh for years, and the allies defeated the militant group in late 2017."
    (claim,) = dates(nlp, text)
    assert claim.mention.text == "late 2017"
    assert (claim.earliest, claim.latest) == (dt.date(2017, 9, 1), dt.date(2017, 12, 31))
    assert claim.event_key == "islamic-state/defeat"


def test_dates_month_and_year_span_the_month() -> None:
    assert year_span("August 2023") == (dt.date(2023, 8, 1), dt.date(2023, 8, 31))
    assert year_span("early 2020") == (dt.date(2020, 1, 1), dt.date(2020, 4, 30))
    assert year_span("last week") is None


def test_dates_since_month_resolves_to_the_previous_year() -> None:
    published = dt.date(2024, 1, 31)
    assert resolve_period("since 7 October", published) == (dt.date(2023, 10, 7), published)
    assert resolve_period("so far", published) == (None, published)


def test_dates_relative_days_are_no_date_claims(nlp: Language) -> None:
    assert dates(nlp, "The minister resigned on Friday after talks last week.") == []


def test_dates_since_a_month_later_in_the_publication_month_is_last_year() -> None:
    published = dt.date(2024, 10, 10)
    assert resolve_period("since mid-October", published) == (dt.date(2023, 10, 15), published)
    assert resolve_period("since 7 October", published) == (dt.date(2024, 10, 7), published)


def test_dates_since_an_explicit_date_after_publication_leaves_the_period_open() -> None:
    published = dt.date(2024, 1, 27)
    assert resolve_period("since 7 October 2025", published) == (dt.date(2025, 10, 7), None)


def test_dates_a_period_said_relative_to_publication_resolves_against_it() -> None:
    published = dt.date(2024, 1, 29)  # a Monday
    assert resolve_period("four years ago", published) == (dt.date(2020, 1, 1),
                                                           dt.date(2020, 12, 31))
    assert resolve_period("last year", published) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert resolve_period("last month", published) == (dt.date(2023, 12, 1),
                                                       dt.date(2023, 12, 31))
    assert resolve_period("on Sunday", published) == (dt.date(2024, 1, 28), dt.date(2024, 1, 28))
    assert resolve_period("last Monday", published) == (dt.date(2024, 1, 22),
                                                        dt.date(2024, 1, 22))
    assert resolve_period("in March", published) == (dt.date(2023, 3, 1), dt.date(2023, 3, 31))
    assert resolve_period("June 12", published) == (dt.date(2023, 6, 12), dt.date(2023, 6, 12))
    assert resolve_period("yesterday", published) == (dt.date(2024, 1, 28), dt.date(2024, 1, 28))


def test_dates_a_relative_period_without_a_publication_date_or_unknown_stays_open() -> None:
    assert resolve_period("four years ago", None) == (None, None)
    assert resolve_period("at the time", dt.date(2024, 1, 29)) == (None, None)
    assert resolve_period("that year", dt.date(2024, 1, 29)) == (None, None)
