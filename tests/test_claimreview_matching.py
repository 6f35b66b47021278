"""service.claimreview.matching: text, claimant and number signals, and the ranking."""

from __future__ import annotations

from decimal import Decimal

import pytest

from service.claimreview.matching import (
    Candidate,
    ReviewSignals,
    match_review,
    name_similarity,
    numbers_in,
    text_similarity,
)

TROOPS = Candidate(
    iri="urn:q0", kind="quantity", texts=("roughly 2,500 troops", "The US has roughly 2,500 "
    "troops in Iraq and 900 in Syria."), value=Decimal("2500"), claimant_names=("eurasia.ro",),
)  # fmt: skip
SYRIA = Candidate(
    iri="urn:q1", kind="quantity", texts=("900 in Syria", TROOPS.texts[1]), value=Decimal("900"),
    claimant_names=("eurasia.ro",),
)  # fmt: skip
FORCE = Candidate(
    iri="urn:s0", kind="statement",
    texts=("the US only understands the language of force",),
    claimant_names=("Islamic Resistance in Iraq", "IRI"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("roughly 2,500 troops", {Decimal(2500)}),
        ("inflation rose to 3.2 percent", {Decimal("3.2")}),
        ("over 118 attacks since 2023", {Decimal(118), Decimal(2023)}),
        ("the F35 and COVID19 are not numbers", set()),
        ("no numbers here", set()),
    ],
)
def test_claimreview_matching_numbers_in(text: str, expected: set[Decimal]) -> None:
    assert numbers_in(text) == expected


def test_claimreview_matching_text_similarity_ranks_paraphrase_over_unrelated() -> None:
    claim = "the US only understands “the language of force”"
    close = text_similarity("The US only understands the language of force", claim)
    far = text_similarity("Inflation in Germany fell to two percent", claim)
    assert close > 0.9
    assert far < 0.3


def test_claimreview_matching_text_similarity_summary_of_a_longer_sentence() -> None:
    sentence = "The US has roughly 2,500 troops in Iraq and 900 in Syria, officials said."
    assert text_similarity("US has 2,500 troops in Iraq", sentence) >= 0.8


def test_claimreview_matching_name_similarity_aliases_and_partial_names() -> None:
    known = ("Islamic Resistance in Iraq", "IRI")
    assert name_similarity(["IRI"], known) == 1.0
    assert name_similarity(["islamic resistance in iraq"], known) == 1.0
    assert name_similarity(["Islamic Resistance"], known) >= 0.8
    assert name_similarity(["Joe Biden"], known) < 0.5


def test_claimreview_matching_the_stated_number_picks_the_quantity() -> None:
    review = ReviewSignals("The US has roughly 2,500 troops in Iraq", ("eurasia.ro",))
    matches = match_review(review, [SYRIA, TROOPS, FORCE])
    assert [m.claim for m in matches] == ["urn:q0"]
    assert matches[0].signals["number"] == 1.0
    assert matches[0].score > 0.9


def test_claimreview_matching_claimant_and_text_pick_the_statement() -> None:
    review = ReviewSignals("US only understands the language of force", ("IRI",))
    matches = match_review(review, [TROOPS, SYRIA, FORCE])
    assert matches[0].claim == "urn:s0"
    assert matches[0].signals["claimant"] == 1.0
    assert all(m.claim != "urn:q0" for m in matches)


def test_claimreview_matching_item_named_by_iri_matches_outright() -> None:
    review = ReviewSignals("something else entirely", item_ids=("urn:q1",))
    assert [(m.claim, m.score) for m in match_review(review, [TROOPS, SYRIA])] == [("urn:q1", 1.0)]


def test_claimreview_matching_unrelated_review_matches_nothing() -> None:
    review = ReviewSignals("Vaccines cause autism", ("Some Blogger",))
    assert match_review(review, [TROOPS, SYRIA, FORCE]) == []


def test_claimreview_matching_appearance_url_adds_to_the_score() -> None:
    located = Candidate(**{**{f: getattr(FORCE, f) for f in FORCE.__slots__},
                           "document_url": "https://a.example/1"})  # fmt: skip
    plain = match_review(ReviewSignals("US understands force"), [located])
    placed = match_review(
        ReviewSignals("US understands force", appearance_urls=("https://a.example/1",)), [located]
    )
    assert placed[0].score > plain[0].score
