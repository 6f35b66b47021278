"""A reviewer's judgement of a comparison wins in every answer: a rejected conflict leaves
`/claims/comparisons?status=conflict` and the disagreement question (cq3) alike, and a
confirmation brings it back with the reviewer's name."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from service.read.competency import QUESTIONS


def _texts(comparison: dict[str, Any]) -> set[str]:
    return {side.get("date_text") or side.get("mention") or "" for side in comparison["claims"]}


def _pair(comparison: dict[str, Any]) -> frozenset[str]:
    return frozenset(side["claim"] for side in comparison["claims"])


def _conflicts(client: TestClient) -> set[frozenset[str]]:
    found = client.get("/claims/comparisons", params={"status": "conflict"}).json()
    return {_pair(c) for c in found["comparisons"]}


def _disagreements(client: TestClient) -> set[frozenset[str]]:
    query = QUESTIONS["cq3_disagreements"].sparql
    rows = client.post("/sparql", data={"query": query}).json()["results"]["bindings"]
    return {frozenset((r["claimA"]["value"], r["claimB"]["value"])) for r in rows}


def _judge(client: TestClient, comparison: str, verdict: str) -> None:
    body = {"comparison": comparison, "verdict": verdict, "reviewer": "Ana Pop"}
    response = client.post("/judgements", json=body)
    assert response.status_code == 201, response.text


def test_api_claims_a_rejected_conflict_leaves_the_comparisons_and_cq3_alike(
    seeded_client: TestClient,
) -> None:
    everything = seeded_client.get("/claims/comparisons").json()["comparisons"]
    dates = next(c for c in everything if _texts(c) == {"late 2017", "2019"})
    assert (dates["status"], dates["judgement"]) == ("conflict", None)
    assert _pair(dates) in _conflicts(seeded_client) == _disagreements(seeded_client)

    _judge(seeded_client, dates["iri"], "rejected")
    assert _pair(dates) not in _conflicts(seeded_client)
    assert _conflicts(seeded_client) == _disagreements(seeded_client)
    listed = seeded_client.get("/claims/comparisons").json()["comparisons"]
    rejected = next(c for c in listed if c["iri"] == dates["iri"])
    assert (rejected["status"], rejected["machine_status"]) == ("rejected", "conflict")
    assert rejected["judgement"]["reviewer"] == "Ana Pop"
    assert listed[-1]["status"] == "rejected"  # after every comparison still standing

    _judge(seeded_client, dates["iri"], "confirmed")  # the same reviewer changes their mind
    assert _pair(dates) in _conflicts(seeded_client) == _disagreements(seeded_client)
    confirmed = next(
        c
        for c in seeded_client.get("/claims/comparisons").json()["comparisons"]
        if c["iri"] == dates["iri"]
    )
    assert (confirmed["status"], confirmed["judgement"]["verdict"]) == ("conflict", "confirmed")


def test_api_claims_a_rejected_corroboration_is_not_listed_as_one(
    seeded_client: TestClient,
) -> None:
    found = seeded_client.get("/claims/comparisons", params={"status": "corroboration"}).json()
    first = found["comparisons"][0]
    _judge(seeded_client, first["iri"], "rejected")
    after = seeded_client.get("/claims/comparisons", params={"status": "corroboration"}).json()
    assert first["iri"] not in {c["iri"] for c in after["comparisons"]}
    assert after["count"] == found["count"] - 1
