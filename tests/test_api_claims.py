"""GET /claims/comparisons and DELETE /documents/{id} over the two seeds, through the app."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from service.read.competency import QUESTIONS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.json"))


def texts(comparison: dict) -> set[str]:
    return {side.get("date_text") or side.get("mention") or "" for side in comparison["claims"]}


def test_api_claims_comparisons_show_the_seeds_conflict_corroboration_and_related(
    seeded_client: TestClient,
) -> None:
    body = seeded_client.get("/claims/comparisons").json()
    found = body["comparisons"]
    assert body["count"] == len(found) > 0
    statuses = [c["status"] for c in found]
    assert statuses == sorted(statuses, key=["conflict", "corroboration", "related"].index)
    conflict = next(c for c in found if texts(c) == {"late 2017", "2019"})
    assert conflict["status"] == "conflict"
    troops = next(
        c
        for c in found
        if any("2,500" in t for t in texts(c)) and len({s["location"] for s in c["claims"]}) == 1
    )
    assert troops["status"] == "corroboration"
    assert {s["location"] for s in troops["claims"]} == {"Iraq"}
    attacks = next(c for c in found if any("118" in t for t in texts(c)))
    assert attacks["status"] == "related"
    assert "periods" in attacks["reason"]
    assert any("150" in t for t in texts(attacks))


def test_api_claims_conflicts_are_what_the_disagreement_question_answers(
    seeded_client: TestClient,
) -> None:
    """CQ3 in SPARQL reads the stored comparisons: its pairs are the API's conflicts."""
    query = QUESTIONS["cq3_disagreements"].sparql
    rows = seeded_client.post("/sparql", data={"query": query}).json()["results"]["bindings"]
    conflicts = seeded_client.get("/claims/comparisons?status=conflict").json()["comparisons"]
    asked = {frozenset((r["claimA"]["value"], r["claimB"]["value"])) for r in rows}
    assert asked == {frozenset(side["claim"] for side in c["claims"]) for c in conflicts}
    assert any({"late 2017", "2019"} == texts(c) for c in conflicts)
    related = seeded_client.get("/claims/comparisons?status=related").json()["comparisons"]
    attacks = [c for c in related if any("118" in t for t in texts(c))]
    assert attacks  # related, so no disagreement in either answer
    assert not any(frozenset(side["claim"] for side in attacks[0]["claims"]) == pair
                   for pair in asked)


def test_api_claims_each_side_names_its_source(seeded_client: TestClient) -> None:
    for comparison in seeded_client.get("/claims/comparisons").json()["comparisons"]:
        assert comparison["reason"]
        assert comparison["run"]
        documents = {side["document"] for side in comparison["claims"]}
        assert len(documents) == 2  # never two claims of one document
        for side in comparison["claims"]:
            assert side["publisher"] in {"Press TV", "eurasia.ro"}
            sentence = side["sentence"]
            assert sentence["iri"].endswith(f"#char={sentence['begin']},{sentence['end']}")
            assert (side.get("mention") or side.get("date_text")) in sentence["text"]
            assert side["interval"]


def test_api_claims_comparisons_filter_by_status(seeded_client: TestClient) -> None:
    for status in ("conflict", "corroboration", "related", "CONFLICT"):
        body = seeded_client.get("/claims/comparisons", params={"status": status}).json()
        assert body["comparisons"]
        assert {c["status"] for c in body["comparisons"]} == {status.lower()}


def test_api_claims_unknown_status_is_400_naming_the_valid_ones(seeded_client: TestClient) -> None:
    for bad in ("agree", '"} UNION { ?s ?p ?o }', "x" * 5000):
        response = seeded_client.get("/claims/comparisons", params={"status": bad})
        assert response.status_code == 400
        message = response.json()["error"]
        assert all(name in message for name in ("conflict", "corroboration", "related"))


def test_api_claims_delete_unknown_document_is_404(seeded_client: TestClient) -> None:
    for doc_id in ("0000000000000000", "not-a-document", "%7B%7D"):
        response = seeded_client.delete(f"/documents/{doc_id}")
        assert response.status_code == 404
        assert "no document" in response.json()["error"]


def test_api_claims_delete_drops_the_document_and_its_comparisons(
    seeded_client: TestClient,
) -> None:
    """Runs last: it removes a seed (re-posted at the end, so comparisons come back)."""
    documents = seeded_client.get("/documents").json()
    victim = documents[0]["iri"]
    doc_id = victim.rsplit("/", 1)[-1]
    assert seeded_client.delete(f"/documents/{doc_id}").status_code == 204
    assert victim not in {d["iri"] for d in seeded_client.get("/documents").json()}
    assert seeded_client.get("/claims/comparisons").json()["comparisons"] == []
    quads = seeded_client.get("/healthz").json()["quads"]
    assert seeded_client.delete(f"/documents/{doc_id}").status_code == 404
    assert seeded_client.get("/healthz").json()["quads"] == quads
    for seed in SEEDS:
        seeded_client.post(
            "/documents", content=seed.read_bytes(), headers={"Content-Type": "application/json"}
        )
    assert (
        seeded_client.get("/claims/comparisons", params={"status": "conflict"}).json()["count"] >= 1
    )
