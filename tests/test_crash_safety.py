"""Crash safety, proven by killing: `factgraph serve` while clients POST /documents and
`factgraph ingest` are each killed with SIGKILL at random points (bench/crash.py runs the
trials), and the store is reopened as a restart opens it. Every acknowledged document is there
whole, nothing is half there or doubled, the comparisons are in step once the store has been
opened again, and the killed program leaves no process running."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import crash

pytestmark = pytest.mark.e2e

TRIALS = 10  # of each program; the two run side by side, over a store each
DOCUMENTS = 10  # short paragraphs per trial


@pytest.mark.timeout(900)
def test_crash_safety_sigkill_at_random_points_loses_nothing_and_leaves_no_process(
    tmp_path: Path,
) -> None:
    results = crash.both(TRIALS, tmp_path, documents=DOCUMENTS, window=1.0, seed=6)
    for program, trials in results.items():
        summary = crash.totals(trials)
        assert summary["trials"] == TRIALS
        assert summary["acknowledged"] > 0, f"{program}: no kill fell after an acknowledgement"
        assert [o for t in trials for o in t.orphans] == [], f"{program} left processes running"
        assert [p for t in trials for p in t.problems] == [], f"{program}: the store is not sound"
        for count in ("lost", "partial", "doubled", "out of step after the restart"):
            assert summary[count] == 0, f"{program}: {count}"
