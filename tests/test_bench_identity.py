"""bench/identity.py: B-cubed over speaker mentions, within and across articles."""

from __future__ import annotations

import pytest

from bench.identity import GOLD, b_cubed, gold_clusters, within_articles


def test_identity_perfect_clustering_scores_one() -> None:
    gold = {("a", 0, 5): "x", ("a", 9, 11): "x", ("b", 0, 3): "y"}
    assert b_cubed(gold, gold).f1 == pytest.approx(1.0)


def test_identity_one_person_split_in_two_costs_recall_not_precision() -> None:
    gold = {("a", 0, 5): "sanders", ("a", 9, 11): "sanders"}
    predicted = {("a", 0, 5): "bernie-sanders", ("a", 9, 11): "the-senator"}
    score = b_cubed(gold, predicted)
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx(0.5)


def test_identity_two_articles_officials_merged_cost_precision_across_not_within() -> None:
    gold = {("a", 0, 9): "a#officials", ("b", 0, 9): "b#officials"}
    predicted = {("a", 0, 9): "officials", ("b", 0, 9): "officials"}  # one shared actor
    assert b_cubed(gold, predicted).precision == pytest.approx(0.5)
    assert b_cubed(within_articles(gold), within_articles(predicted)).precision == 1.0


def test_identity_mention_without_a_speaker_stands_alone() -> None:
    gold = {("a", 0, 2): "author", ("a", 5, 7): "author"}
    assert b_cubed(gold, {}).recall == pytest.approx(0.5)


def test_identity_gold_scopes_an_articles_own_sources_to_it() -> None:
    clusters = gold_clusters(GOLD)
    assert len({document for document, _, _ in clusters}) == 22
    nameless = [e for e in clusters.values() if "#" in e]
    assert nameless
    assert all(e.split("#")[0].endswith((".json", ".txt")) for e in nameless)
