"""Scoring rules of EVALUATION.md, on small hand-made gold and predictions."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from service.evaluation.gold import GoldDocument, GoldQuantity, GoldStatement
from service.evaluation.score import (
    PredictedQuantity,
    PredictedStatement,
    cue_key,
    score_document,
)

LEMMAS = {"said": "say", "says": "say", "asserts": "assert", "have": "have", "troops": "troop",
          "attacks": "attack", "according": "accord", "to": "to"}


def lemmatize(text: str) -> list[str]:
    return [LEMMAS.get(word.lower(), word.lower()) for word in text.split()]


TEXT = "“We will go,” the statement said. Officials said over 118 attacks hit 2,500 troops."


def gold(statements=(), quantities=()) -> GoldDocument:
    return GoldDocument(Path("g.json"), "t.txt", "0" * 64, tuple(statements), tuple(quantities))


QUOTE = GoldStatement("the statement", "Islamic Resistance in Iraq", "said", "“We will go,”",
                      (0, 13), "direct")


def predicted(span=(0, 13), cue="said", mention="the statement", name=None, kind="direct"):
    return PredictedStatement("s1", span, TEXT[span[0]:span[1]], cue, kind, mention, name, TEXT)


def test_evaluation_statement_with_content_speaker_and_cue_right_is_correct() -> None:
    result = score_document(gold([QUOTE]), TEXT, [predicted()], [], lemmatize)
    assert result.scores.statements.correct == 1
    assert result.scores.statements.f1 == 1.0
    assert result.misses == []


def test_evaluation_content_overlapping_half_of_the_shorter_span_is_found() -> None:
    result = score_document(gold([QUOTE]), TEXT, [predicted(span=(6, 30))], [], lemmatize)
    assert result.scores.statement_content.correct == 1
    far = score_document(gold([QUOTE]), TEXT, [predicted(span=(11, 40))], [], lemmatize)
    assert far.scores.statement_content.correct == 0
    assert len(far.false_finds) == 1


def test_evaluation_speaker_may_match_through_the_resolved_actor() -> None:
    by_actor = predicted(mention="it", name="Islamic Resistance in Iraq")
    assert score_document(gold([QUOTE]), TEXT, [by_actor], [], lemmatize).scores.speaker_right == 1
    wrong = predicted(mention="he", name="Lloyd Austin")
    result = score_document(gold([QUOTE]), TEXT, [wrong], [], lemmatize)
    assert result.scores.speaker_right == 0
    assert result.scores.statements.correct == 0
    assert "speaker" in result.misses[0]


def test_evaluation_cue_compares_lemmas_and_skips_auxiliaries() -> None:
    assert cue_key("have said", lemmatize) == cue_key("says", lemmatize) == "say"
    assert cue_key("According to", lemmatize) == "accord"
    result = score_document(gold([QUOTE]), TEXT, [predicted(cue="asserts")], [], lemmatize)
    assert result.scores.cue_right == 0


def test_evaluation_each_prediction_matches_one_gold_statement_only() -> None:
    twice = [QUOTE, GoldStatement("five officials", None, "according to", QUOTE.content,
                                  QUOTE.content_span, "direct")]
    result = score_document(gold(twice), TEXT, [predicted()], [], lemmatize)
    assert result.scores.statement_content.correct == 1
    assert result.scores.statements.recall == 0.5


def test_evaluation_quantity_needs_the_same_value_and_comparator() -> None:
    attacks = GoldQuantity("over 118 attacks", (48, 64), "count", Decimal(118), "greaterThan",
                           "attacks against American troops", "Iraq and Syria")
    right = PredictedQuantity("q1", (48, 64), "over 118 attacks", Decimal(118), "greaterThan",
                              "attacks", "Iraq", TEXT)
    wrong = PredictedQuantity("q1", (53, 64), "118 attacks", Decimal(118), "equal", "attacks",
                              None, TEXT)
    good = score_document(gold(quantities=[attacks]), TEXT, [], [right], lemmatize).scores
    assert (good.quantities.correct, good.counted_head_right, good.location_right) == (1, 1, 1)
    bad = score_document(gold(quantities=[attacks]), TEXT, [], [wrong], lemmatize)
    assert bad.scores.quantity_found.correct == 1
    assert bad.scores.quantities.correct == 0
    assert "equal" in bad.misses[0]


def test_evaluation_a_pronoun_source_is_right_when_the_same_mention_is_predicted() -> None:
    """PolNeAR names many sources by a pronoun alone and resolves none: no content word can
    be shared, so the same span counts (and the words-only score keeps the strict reading)."""
    text = "He said the war was over. She said so too."
    he = GoldStatement("He", None, "said", "the war was over", (8, 24), "indirect", (0, 2))
    said = PredictedStatement("s1", (8, 24), "the war was over", "said", "indirect", "He",
                              "Lloyd Austin", text, speaker_span=(0, 2))
    elsewhere = PredictedStatement("s2", (8, 24), "the war was over", "said", "indirect", "She",
                                   None, text, speaker_span=(26, 29))
    right = score_document(gold([he]), text, [said], [], lemmatize).scores
    assert right.statements.correct == 1
    assert right.statements_words_only.correct == 0
    wrong = score_document(gold([he]), text, [elsewhere], [], lemmatize).scores
    assert wrong.statements.correct == 0
