"""A reviewer confirms or rejects a ClaimReview's link to a claim, or a comparison, through the
API: behind the update token, stored with who and when, and winning over the matcher."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from claimreview_data import BASE, fill
from fastapi.testclient import TestClient

from service.analysis import AnalysisWriter
from service.bootstrap import build_app
from service.rdf import iris
from service.rdf.vocab import FG, PROV, RDF, sparql_prologue
from service.settings import Settings
from service.store.oxigraph import OxigraphStore

TOKEN = "judgements-test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ELSEWHERE = ("203.0.113.9", 50000)
REVIEWS_KEY = "https://w3id.org/factgraph/ns#reviews"
REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/2024/02/us-troops-in-iraq",
    "claimReviewed": "The US has roughly 2,500 troops in Iraq",
    "author": {"@type": "Organization", "name": "Example Fact Check"},
    "datePublished": "2024-02-02",
    "reviewRating": {"@type": "Rating", "ratingValue": 5, "alternateName": "True"},
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Organization", "name": "eurasia.ro"},
                     "datePublished": "2024-01-31",
                     "appearance": {"@type": "CreativeWork", "url": "https://eurasia.ro/x"}},
}  # fmt: skip


@pytest.fixture
def stored() -> Iterator[tuple[TestClient, OxigraphStore, dict[str, str]]]:
    store = OxigraphStore(None)
    docs = fill(store)
    AnalysisWriter(store, BASE).compare_document(docs["wire"])
    app = build_app(Settings(update_token=TOKEN), store)
    with TestClient(app, client=ELSEWHERE) as client:
        yield client, store, docs


def _post(client: TestClient, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    return client.post(path, content=json.dumps(body).encode(),
                       headers={"Content-Type": "application/json",
                                **(AUTH if headers is None else headers)})


def _imported(client: TestClient) -> dict[str, Any]:
    response = _post(client, "/claimreviews", REVIEW)
    assert response.status_code == 201, response.text
    return response.json()["reviews"][0]


def _feed_links(client: TestClient) -> list[str]:
    feed = client.get("/claimreviews").json()
    (item,) = [i for e in feed["dataFeedElement"] for i in e["item"]]
    return [link["@id"] for link in item.get(REVIEWS_KEY, [])]


def test_api_judgements_judging_a_link_needs_the_token(stored: Any) -> None:
    client, _, _ = stored
    review = _imported(client)
    body = {"review": review["iri"], "claim": review["matches"][0]["claim"],
            "verdict": "rejected", "reviewer": "Ana Pop"}
    assert _post(client, "/judgements", body, headers={}).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token-at-all-0000"}
    assert _post(client, "/judgements", body, headers=wrong).status_code == 403
    assert client.get("/judgements").json() == []


def test_api_judgements_a_rejected_link_is_stored_with_who_and_when_and_wins(stored: Any) -> None:
    client, store, _ = stored
    review = _imported(client)
    claim = review["matches"][0]["claim"]
    assert _feed_links(client) == [claim]
    response = _post(client, "/judgements", {"review": review["iri"], "claim": claim,
                                             "verdict": "rejected", "reviewer": "Ana Pop",
                                             "note": "the review is about all of Iraq"})
    assert response.status_code == 201, response.text
    judged = response.json()
    assert (judged["verdict"], judged["reviewer"]) == ("rejected", "Ana Pop")
    assert judged["reviewer_iri"] == iris.reviewer(BASE, "ana-pop")
    rows = store.select(sparql_prologue() + (
        "SELECT ?j ?who ?when ?verdict WHERE { GRAPH ?g { ?j a fg:Judgement ; fg:verdict "
        "?verdict ; prov:wasAttributedTo ?who ; prov:generatedAtTime ?when } }"
    ), {"j": f"<{judged['iri']}>"})
    assert [(r["who"], r["when"], r["verdict"]) for r in rows] == [
        (judged["reviewer_iri"], judged["at"], "https://w3id.org/factgraph/ns#Rejected")
    ]
    assert _feed_links(client) == []  # the reviewer's judgement wins over the matcher's
    (link,) = client.get("/claimreviews/links").json()
    assert (link["status"], link["judgement"]["reviewer"]) == ("rejected", "Ana Pop")
    assert link["score"] == review["matches"][0]["score"]
    # another reviewer confirms it later: the latest judgement wins
    again = _post(client, "/judgements", {"review": review["iri"], "claim": claim,
                                          "verdict": "confirmed", "reviewer": "Bo Li"})
    assert again.status_code == 201
    assert _feed_links(client) == [claim]
    assert [j["reviewer"] for j in client.get("/judgements").json()] == ["Bo Li"]


def test_api_judgements_a_link_the_matcher_never_made_can_be_confirmed(stored: Any) -> None:
    client, _, docs = stored
    review = _imported(client)
    other = f"{docs['wire']}/quantity/0"
    assert other not in _feed_links(client)
    response = _post(client, "/judgements", {"review": review["iri"], "claim": other,
                                             "verdict": "confirmed", "reviewer": "Ana Pop"})
    assert response.status_code == 201
    assert other in _feed_links(client)
    statuses = {link["claim"]: link["status"] for link in client.get("/claimreviews/links").json()}
    assert statuses[other] == "confirmed"


def test_api_judgements_a_comparison_can_be_judged(stored: Any) -> None:
    client, store, _ = stored
    query = "SELECT ?c WHERE { GRAPH ?g { ?c a fg:ClaimComparison } }"
    rows = store.select(sparql_prologue() + query)
    assert rows, "the seed and the wire story compare their troop counts"
    comparison = rows[0]["c"]
    response = _post(client, "/judgements", {"comparison": comparison, "verdict": "rejected",
                                             "reviewer": "Ana Pop"})
    assert response.status_code == 201, response.text
    assert client.get("/judgements").json()[0]["judged"] == comparison


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"verdict": "maybe", "reviewer": "A"}, 400, "verdict"),
        ({"verdict": "confirmed", "reviewer": " "}, 400, "reviewer"),
        ({"verdict": "confirmed", "reviewer": "A"}, 400, "name what is judged"),
        ({"comparison": f"{BASE}id/comparison/0000000000000000", "verdict": "rejected",
          "reviewer": "A"}, 404, "no stored claim comparison"),
        ({"review": f"{BASE}id/claimreview/0000000000000000", "claim": f"{BASE}id/document/x",
          "verdict": "rejected", "reviewer": "A"}, 404, "no stored ClaimReview"),
        (["not", "an", "object"], 400, "JSON object"),
    ],
)
def test_api_judgements_mistakes_are_4xx_with_a_message(
    stored: Any, body: Any, status: int, words: str
) -> None:
    client, _, _ = stored
    response = _post(client, "/judgements", body)
    assert response.status_code == status, response.text
    assert words in response.json()["error"]


def test_api_judgements_what_the_importer_and_the_api_write_conforms_to_the_shapes(
    stored: Any,
) -> None:
    from rdflib import Graph

    from service.bootstrap import configured
    from service.pipeline.validate import Validator

    client, store, _ = stored
    review = _imported(client)
    _post(client, "/judgements", {"review": review["iri"], "claim": review["matches"][0]["claim"],
                                  "verdict": "confirmed", "reviewer": "Ana Pop"})
    graph = Graph()
    for name in (review["iri"], iris.judgements_graph(BASE)):
        chunks = store.graph_triples(name, "application/n-triples")
        assert chunks is not None
        graph.parse(data=b"".join(chunks).decode("utf-8"), format="nt")
    # the links, the judgement and the reviewer (a review's own schema: triples are the
    # fact-checker's, with blank-node authors the document shapes do not allow for actors)
    kinds = (FG.ReviewLink, FG.Judgement, PROV.Person)
    ours = Graph()
    for subject in {s for kind in kinds for s in graph.subjects(RDF.type, kind)}:
        for triple in graph.triples((subject, None, None)):
            ours.add(triple)
    assert set(ours.objects(None, RDF.type)) >= set(kinds)
    settings = configured()
    report = Validator(settings.shapes_dir, settings.ontology_dir).validate(ours)
    assert report.conforms, [r.message for r in report.results]
