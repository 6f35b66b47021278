"""End to end, as a user does it: start the server, post the seeds, ask the six questions.

The server is the real `factgraph serve` on a free loopback port with a fresh store; the
questions go over HTTP through SPARQLWrapper, the client fact-checkers' scripts use.
"""

from __future__ import annotations

import httpx
import pytest
from competency_checks import (
    SEEDS,
    ask,
    check_posted_seeds,
    check_q1_language_of_force,
    check_q2_us_troops_in_iraq,
    check_q3_disagreements,
    check_q4_politico,
    check_q5_islamic_resistance,
    check_q6_triple_provenance,
    conflict_pairs,
    document_of,
)

pytestmark = pytest.mark.e2e


def test_e2e_posting_a_seed_answers_201_with_counts(ingested: dict[str, dict]) -> None:
    check_posted_seeds(ingested)


def test_e2e_posting_again_changes_nothing(server: str, ingested: dict[str, dict]) -> None:
    before = httpx.get(f"{server}/healthz").json()["quads"]
    response = httpx.post(
        f"{server}/documents",
        content=SEEDS[0].read_bytes(),
        headers={"Content-Type": "application/json"},
        timeout=120,
    )
    assert response.status_code == 201
    assert response.json()["iri"] == document_of(ingested, "000")
    assert httpx.get(f"{server}/healthz").json()["quads"] == before


def test_e2e_q1_language_of_force_is_said_by_the_iri_reported_by_press_tv(
    server: str, ingested: dict[str, dict]
) -> None:
    check_q1_language_of_force(ask(server, "cq1_language_of_force"), ingested)


def test_e2e_q2_both_documents_count_about_2500_us_troops_in_iraq(
    server: str, ingested: dict[str, dict]
) -> None:
    check_q2_us_troops_in_iraq(ask(server, "cq2_us_troops_in_iraq"), ingested)


@pytest.mark.usefixtures("ingested")
def test_e2e_q3_finds_the_defeat_date_disagreement_and_not_the_attack_counts(server: str) -> None:
    check_q3_disagreements(ask(server, "cq3_disagreements"))


@pytest.mark.usefixtures("ingested")
def test_e2e_q3_and_the_comparisons_api_give_one_answer(server: str) -> None:
    """Where the sources disagree is one set of claim pairs, asked in SPARQL or of the API."""
    rows = ask(server, "cq3_disagreements")
    listed = httpx.get(f"{server}/claims/comparisons", params={"status": "conflict"}, timeout=30)
    assert {frozenset((row["claimA"], row["claimB"])) for row in rows} == conflict_pairs(
        listed.json()["comparisons"]
    )
    assert rows


def test_e2e_q4_politico_reported_and_cited_five_us_officials(
    server: str, ingested: dict[str, dict]
) -> None:
    check_q4_politico(ask(server, "cq4_politico"), ingested)


def test_e2e_q5_what_the_iri_said_spans_both_outlets(
    server: str, ingested: dict[str, dict]
) -> None:
    check_q5_islamic_resistance(ask(server, "cq5_islamic_resistance_in_iraq"), ingested)


@pytest.mark.usefixtures("ingested")
def test_e2e_q6_every_claim_triple_has_sentence_offsets_version_and_time(server: str) -> None:
    check_q6_triple_provenance(ask(server, "cq6_triple_provenance"))


@pytest.mark.usefixtures("ingested")
def test_e2e_claim_comparisons_show_the_seeds_conflict_corroboration_and_related(
    server: str,
) -> None:
    found = httpx.get(f"{server}/claims/comparisons", timeout=30).json()["comparisons"]

    def texts(comparison: dict) -> set[str]:
        return {s.get("date_text") or s.get("mention") or "" for s in comparison["claims"]}

    by_text = {frozenset(texts(c)): c for c in found}
    assert by_text[frozenset({"late 2017", "2019"})]["status"] == "conflict"
    troops = [c for c in found if all("2,500" in t for t in texts(c))]
    assert troops, found
    assert {c["status"] for c in troops} == {"corroboration"}
    attacks = [c for c in found if {"118", "150"} <= {w for t in texts(c) for w in t.split()}]
    assert attacks, found
    assert attacks[0]["status"] == "related"
    assert "periods" in attacks[0]["reason"]
    assert "who" in attacks[0]["reason"]  # only one side names who carried the attacks out
    for comparison in found:
        assert len({side["claim"] for side in comparison["claims"]}) == 2
