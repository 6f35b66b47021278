"""/ask/who-said, /ask/source-of and /actors/{slug}/statements over the seeds, hostile input too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.json"))
TEXTS = {json.loads(p.read_text(encoding="utf-8"))["publisher"]: None for p in SEEDS}


def seed_text(outlet: str) -> str:
    for path in SEEDS:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("publisher") == outlet:
            return data["text"]
    raise AssertionError(outlet)


def run_shown(seeded_client: TestClient, sparql: str) -> list[dict]:
    """The SPARQL an answer shows runs as is on /sparql."""
    response = seeded_client.post(
        "/sparql", data={"query": sparql}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def test_api_ask_who_said_language_of_force(seeded_client: TestClient) -> None:
    body = seeded_client.get("/ask/who-said", params={"text": "Language Of FORCE"}).json()
    assert body["count"] >= 1
    for statement in body["statements"]:
        assert statement["speaker"]["name"] == "Islamic Resistance in Iraq"
        assert statement["outlet"] == "Press TV"
        assert "language of force" in statement["content"].lower()
        sentence = statement["sentence"]
        assert seed_text("Press TV")[sentence["begin"] : sentence["end"]] == sentence["text"]
        assert statement["cue"]
        assert statement["date"] == "2024-01-27"
    assert '"Language Of FORCE"' in body["sparql"]
    rows = run_shown(seeded_client, body["sparql"])
    assert {r["statement"]["value"] for r in rows} == {s["statement"] for s in body["statements"]}


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        "'",
        '") } UNION { ?s ?p ?o } #',
        "} UNION { ?s ?p ?o }",
        "{}",
        "force\n} DROP ALL",
        "\\u0022",
        'language of force"@en . ?x ?y ?z',
    ],
)
def test_api_ask_who_said_hostile_text_is_only_a_value(
    seeded_client: TestClient, hostile: str
) -> None:
    response = seeded_client.get("/ask/who-said", params={"text": hostile})
    assert response.status_code == 200, response.text
    body = response.json()
    for statement in body["statements"]:
        assert hostile.strip().lower() in statement["content"].lower()
    assert body["count"] == 0 or hostile in {'"', "'"}
    run_shown(
        seeded_client, body["sparql"]
    )  # the shown query is valid SPARQL with the value quoted
    assert seeded_client.get("/healthz").json()["quads"] > 0


def test_api_ask_who_said_refuses_empty_long_or_control_text(seeded_client: TestClient) -> None:
    for params in ({}, {"text": "  "}, {"text": "x" * 501}, {"text": "a\x00b"}):
        response = seeded_client.get("/ask/who-said", params=params)
        assert response.status_code == 400, params
        assert len(response.json()["error"].split()) >= 3


def test_api_ask_source_of_a_quantity_claim(seeded_client: TestClient) -> None:
    body = seeded_client.get("/ask/who-said", params={"text": "withdrawal"}).json()
    statement = body["statements"][0]["statement"]
    quantity = statement.rsplit("/statement/", 1)[0] + "/quantity/0"
    for claim in (statement, quantity):
        answer = seeded_client.get("/ask/source-of", params={"claim": claim}).json()
        (source,) = answer["sources"]
        assert source["claim"] == claim
        text = seed_text(source["outlet"])
        sentence = source["sentence"]
        assert text[sentence["begin"] : sentence["end"]] == sentence["text"]
        assert source["extraction"]["software_version"]
        assert source["extraction"]["spacy_model"]
        assert source["extraction"]["started"] <= source["extraction"]["ended"]
        assert source["claimant"]["name"]
        assert f"<{claim}>" in answer["sparql"]
        assert run_shown(seeded_client, answer["sparql"])


@pytest.mark.parametrize(
    "bad",
    [
        "http://example.org/a b",
        "http://example.org/<x>",
        'http://example.org/"',
        "http://example.org/{x}",
        "http://example.org/a|b",
        "http://example.org/a\\b",
        "http://example.org/a^b",
        "http://example.org/a`b",
        "ftp://example.org/a",
        "urn:x:y",
        "not an iri",
        "http://x/> } UNION { ?s ?p ?o } #",
        "http://x/a\nb",
        "",
        "http://x/" + "a" * 3000,
    ],
)
def test_api_ask_source_of_refuses_bad_iris(seeded_client: TestClient, bad: str) -> None:
    response = seeded_client.get("/ask/source-of", params={"claim": bad})
    assert response.status_code == 400, response.text
    assert "IRI" in response.json()["error"]


def test_api_ask_source_of_an_unknown_claim_is_404(seeded_client: TestClient) -> None:
    response = seeded_client.get("/ask/source-of", params={"claim": "http://example.org/nothing"})
    assert response.status_code == 404
    assert "sparql" in response.json()


def test_api_ask_actor_statements_across_outlets(seeded_client: TestClient) -> None:
    body = seeded_client.get("/actors/islamic-resistance-in-iraq/statements").json()
    assert body["actor"]["name"] == "Islamic Resistance in Iraq"
    assert {s["outlet"] for s in body["statements"]} == {"Press TV", "eurasia.ro"}
    assert len({s["statement"] for s in body["statements"]}) == body["count"]
    for statement in body["statements"]:
        sentence = statement["sentence"]
        assert (
            seed_text(statement["outlet"])[sentence["begin"] : sentence["end"]] == sentence["text"]
        )
    assert len(run_shown(seeded_client, body["sparql"])) >= body["count"]


def test_api_ask_nameless_source_is_its_documents_own_and_came_through_politico(
    seeded_client: TestClient,
) -> None:
    rows = run_shown(seeded_client, """
        PREFIX fg: <https://w3id.org/factgraph/ns#>
        PREFIX schema: <http://schema.org/>
        SELECT ?source ?doc WHERE {
            ?statement fg:speaker ?source ; schema:appearance ?doc ;
                fg:nestedIn [ fg:speaker [ schema:name "Politico" ] ] .
            ?source a fg:NamelessSource ; schema:name "five US officials" .
        }""")
    assert rows
    for row in rows:
        assert row["source"]["value"].startswith(row["doc"]["value"] + "/actor/")
    path = rows[0]["source"]["value"].split("/id/", 1)[1]
    page = seeded_client.get(f"/id/{path}", headers={"Accept": "text/turtle"})
    assert page.status_code == 200
    assert "five US officials" in page.text
    assert seeded_client.get("/actors/five-us-officials/statements").status_code == 404


def test_api_ask_unknown_or_malformed_actor(seeded_client: TestClient) -> None:
    response = seeded_client.get("/actors/nobody-at-all/statements")
    assert response.status_code == 404
    assert "nobody-at-all" in response.json()["error"]
    for bad in ("Bad Slug", "a%22b", "x" * 300, "-x-"):
        response = seeded_client.get(f"/actors/{bad}/statements")
        assert response.status_code == 400, bad
