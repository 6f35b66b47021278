"""The growth benchmark's code runs end to end at a toy size (no timings are checked)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("psutil", reason="the bench extra is not installed")
pytest.importorskip("rdflib_endpoint", reason="the bench extra is not installed")

from bench import corpus, growth, scale


def test_news_cycle_varies_every_seed_phrase() -> None:
    """Every phrase the generator swaps is found in its seed (it raises otherwise), and the
    first articles already count different things."""
    articles = corpus.generate(24, news_cycle=True)
    texts = " ".join(a["text"] for a in articles)
    for phrase in ("American troops in Iraq", "against Daesh", "fight ISIS", "five US officials"):
        assert phrase not in texts
    assert corpus.generate(4) == corpus.generate(4, news_cycle=False)
    assert articles[0]["date_published"] < articles[-1]["date_published"]  # a timeline


@pytest.mark.e2e
def test_growth_runs_at_a_toy_size(tmp_path: Path) -> None:
    state = scale.build([2000], tmp_path)
    assert state["snapshots"]["2000"]["quads"] >= 2000
    flags = "--runs 2 --min-runs 1 --budget 5 --rdflib-runs 1 --clients 2 --load-seconds 1"
    queries = "--queries cq1_language_of_force cq4_politico"
    args = growth.parse_args(f"--out {tmp_path} {flags} {queries}".split())
    result = growth.measure_size("2000", args)
    for key, floor in result["inprocess"].items():
        assert result["http"][key]["digest"] == floor["digest"]
        assert result["rdflib"][key]["digest"] == floor["digest"]
    assert result["load"]["errors"] == 0
    assert result["factgraph_memory"]["after_load"]["peak_tree_mib"] > 0
    saved = json.loads((tmp_path / "growth-2000.json").read_text("utf-8"))
    assert saved["quads"] == state["snapshots"]["2000"]["quads"]
    assert "| 2000 | cq1 |" in growth.report(tmp_path)
