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

SENTENCE = "The US has roughly 2,500 troops in Iraq and 900 in Syria, officials said."
TROOPS = Candidate(
    iri="urn:q0", kind="quantity", text="The US has roughly 2,500 troops in Iraq.",
    sentence=SENTENCE, value=Decimal("2500"), claimant_names=("eurasia.ro",),
)
SYRIA = Candidate(
    iri="urn:q1", kind="quantity", text="The US has 900 in Syria.", sentence=SENTENCE,
    value=Decimal("900"), claimant_names=("eurasia.ro",),
)
FORCE = Candidate(
    iri="urn:s0", kind="statement", text="The US only understands the language of force.",
    claimant_names=("Islamic Resistance in Iraq", "IRI"),
)
MEETINGS = Candidate(
    iri="urn:s1", kind="statement", text="Meetings \"in the coming days\".",
    sentence='Pentagon chief Lloyd Austin confirmed meetings "in the coming days" to discuss '
    'the "transition" of the coalition.', claimant_names=("Lloyd Austin",),
)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("roughly 2,500 troops", {Decimal(2500)}),
        ("inflation rose to 3.2 percent", {Decimal("3.2")}),
        ("over 118 attacks since 2023", {Decimal(118), Decimal(2023)}),
        ("the F35 and COVID19 are not numbers", set()),
        ("2.5 million people", {Decimal("2.5"), Decimal(2500000)}),
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


def test_claimreview_matching_the_stated_number_picks_the_one_quantity() -> None:
    review = ReviewSignals("The US has roughly 2,500 troops in Iraq", ("eurasia.ro",))
    matches = match_review(review, [SYRIA, TROOPS, FORCE])
    assert [m.claim for m in matches] == ["urn:q0"]
    assert matches[0].signals["number"] == 1.0
    assert matches[0].score > 0.9
    assert "proposition" in matches[0].method


def test_claimreview_matching_claims_of_one_sentence_score_apart() -> None:
    review = ReviewSignals("The US has 900 troops in Syria")
    troops, syria = (match_review(review, [c], threshold=0)[0] for c in (TROOPS, SYRIA))
    assert syria.score - troops.score > 0.2


def test_claimreview_matching_claimant_and_text_pick_the_statement() -> None:
    review = ReviewSignals("US only understands the language of force", ("IRI",))
    matches = match_review(review, [TROOPS, SYRIA, FORCE])
    assert [m.claim for m in matches] == ["urn:s0"]
    assert matches[0].signals["claimant"] == 1.0


def test_claimreview_matching_item_named_by_iri_matches_outright() -> None:
    review = ReviewSignals("something else entirely", item_ids=("urn:q1",))
    assert [(m.claim, m.score) for m in match_review(review, [TROOPS, SYRIA])] == [("urn:q1", 1.0)]


@pytest.mark.parametrize(
    "review",
    [
        ReviewSignals("Vaccines cause autism", ("Some Blogger",)),
        # the claimant and a few words in common are not enough without the claim
        ReviewSignals("Lloyd Austin confirmed US troops will leave Iraq in the coming days",
                      ("Lloyd Austin",)),
        # the same words about another number are another claim
        ReviewSignals("The US has 5,000 troops in Iraq", ("eurasia.ro",)),
    ],
    ids=["unrelated", "same-claimant-other-claim", "other-number"],
)
def test_claimreview_matching_a_review_of_another_claim_links_to_nothing(
    review: ReviewSignals,
) -> None:
    assert match_review(review, [TROOPS, SYRIA, FORCE, MEETINGS]) == []


def test_claimreview_matching_two_claims_that_tie_are_both_linked() -> None:
    twin = Candidate(**{**{f: getattr(FORCE, f) for f in FORCE.__slots__}, "iri": "urn:s9"})
    matches = match_review(ReviewSignals("US only understands the language of force"),
                           [FORCE, twin, TROOPS])
    assert [m.claim for m in matches] == ["urn:s0", "urn:s9"]


def test_claimreview_matching_appearance_url_adds_to_the_score() -> None:
    located = Candidate(**{**{f: getattr(FORCE, f) for f in FORCE.__slots__},
                           "document_urls": ("https://a.example/1",)})  # fmt: skip
    plain = match_review(ReviewSignals("US understands force"), [located], threshold=0)
    placed = match_review(
        ReviewSignals("US understands force", appearance_urls=("https://a.example/1",)),
        [located], threshold=0,
    )
    assert placed[0].score > plain[0].score
