"""bench/comparisons.py: scoring stored comparisons against the labelled pairs, and the gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.comparisons import (
    GOLD,
    NOT_COMPARABLE,
    STATUSES,
    Claim,
    GoldPair,
    find_claim,
    load_gold,
    score,
)

CLAIMS = [Claim("x:1", ("a.json", 10, 20)), Claim("x:2", ("b.json", 5, 9)),
          Claim("x:3", ("b.json", 40, 52)), Claim("x:4", ("c.json", 0, 3))]


def row(table: object, status: str) -> dict:
    return next(r for r in table.rows() if r["status"] == status)  # type: ignore[attr-defined]


def test_bench_comparisons_a_side_is_the_claim_its_mention_overlaps() -> None:
    assert find_claim(("b.json", 41, 50), CLAIMS) == CLAIMS[2]
    assert find_claim(("b.json", 20, 30), CLAIMS) is None
    assert find_claim(("a.json", 5, 9), CLAIMS) is None


def test_bench_comparisons_scores_each_status_and_counts_what_is_unlabelled() -> None:
    gold = [
        GoldPair(("a.json", 10, 20), ("b.json", 5, 9), "conflict", ""),
        GoldPair(("a.json", 10, 20), ("b.json", 40, 52), "corroboration", ""),
        GoldPair(("b.json", 5, 9), ("b.json", 40, 52), NOT_COMPARABLE, ""),
    ]
    stored = {frozenset({"x:1", "x:2"}): "conflict", frozenset({"x:1", "x:3"}): "related",
              frozenset({"x:2", "x:4"}): "conflict"}
    table, judged = score(gold, CLAIMS, stored)
    conflict = row(table, "conflict")
    assert (conflict["predicted"], conflict["right"], conflict["precision"]) == (1, 1, 1.0)
    assert conflict["unlabelled"] == 1  # x:2 against x:4 is in no labelled pair
    assert row(table, "corroboration")["recall"] == 0.0
    assert row(table, "related")["precision"] == 0.0
    assert row(table, NOT_COMPARABLE)["right"] == 1  # nothing stored for it: right
    assert [j["predicted"] for j in judged] == ["conflict", "related", NOT_COMPARABLE]


def test_bench_comparisons_a_side_never_extracted_is_not_comparable() -> None:
    gold = [GoldPair(("a.json", 10, 20), ("z.json", 1, 2), "conflict", "")]
    table, judged = score(gold, CLAIMS, {})
    assert table.missing_sides == 1
    assert judged[0]["predicted"] == NOT_COMPARABLE


def test_bench_comparisons_gold_has_every_status_and_no_article_text() -> None:
    pairs = load_gold()
    assert len(pairs) >= 40
    assert {p.status for p in pairs} == set(STATUSES)
    for entry in json.loads(GOLD.read_text(encoding="utf-8"))["pairs"]:
        assert set(entry) == {"a", "b", "status", "reason"}
        for side in (entry["a"], entry["b"]):
            assert set(side) == {"document", "start", "end"}
            assert side["start"] < side["end"]
        assert len(entry["reason"]) < 120


def test_bench_comparisons_unknown_status_is_refused(tmp_path: Path) -> None:
    side = {"document": "a.json", "start": 0, "end": 1}
    bad = tmp_path / "gold.json"
    bad.write_text(json.dumps({"pairs": [{"a": side, "b": side, "status": "maybe"}]}))
    with pytest.raises(ValueError, match="maybe"):
        load_gold(bad)
