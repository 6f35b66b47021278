"""ClaimReview over HTTP: the claim as a schema:Claim, imports, exports, and the round trip."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from claimreview_data import BASE, fill
from fastapi.testclient import TestClient
from test_claimreview_importer import feed, review

from service.api.claimreview import MAX_CLAIMREVIEW_BYTES
from service.bootstrap import build_app
from service.settings import Settings
from service.store.oxigraph import OxigraphStore
from tests.conftest import ON_THIS_MACHINE

JSONLD = "application/ld+json"


@pytest.fixture
def store() -> OxigraphStore:
    return OxigraphStore(None)


@pytest.fixture
def docs(store: OxigraphStore) -> dict[str, str]:
    return fill(store)


@pytest.fixture
def client(store: OxigraphStore, docs: dict[str, str]) -> Iterator[TestClient]:
    assert docs
    with TestClient(
        build_app(Settings(), store), raise_server_exceptions=False, client=ON_THIS_MACHINE
    ) as test_client:
        yield test_client


def doc_id(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def post(client: TestClient, body: Any, content_type: str = JSONLD) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post("/claimreviews", content=data, headers={"Content-Type": content_type})


def test_api_claimreview_get_claim_by_path_and_by_iri(
    client: TestClient, docs: dict[str, str]
) -> None:
    path = f"/claims/{doc_id(docs['seed'])}/statement/0/claimreview"
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(JSONLD)
    claim = response.json()
    assert claim["@context"] == "https://schema.org"
    assert claim["@type"] == "Claim"
    assert claim["author"]["name"] == "Islamic Resistance in Iraq"
    assert claim["appearance"]["@id"] == docs["seed"]
    by_iri = client.get("/claims/claimreview", params={"claim": claim["@id"]})
    assert by_iri.status_code == 200
    assert by_iri.json() == claim


@pytest.mark.parametrize(
    "path",
    [
        "/claims/0000000000000000/statement/0/claimreview",
        "/claims/{seed}/statement/99/claimreview",
        "/claims/{seed}/opinion/0/claimreview",
        "/claims/{seed}/statement/01/claimreview",
        "/claims/NOT-A-HEX/statement/0/claimreview",
        "/claims/claimreview?claim=http://elsewhere.example/id/document/x/statement/0",
        "/claims/claimreview?claim=%3E%20%7D%20DROP%20ALL",
    ],
)
def test_api_claimreview_unknown_claim_is_404_with_a_message(
    client: TestClient, docs: dict[str, str], path: str
) -> None:
    response = client.get(path.format(seed=doc_id(docs["seed"])))
    assert response.status_code == 404
    assert "no stored claim" in response.json()["error"]


def test_api_claimreview_unacceptable_type_is_406(client: TestClient, docs: dict[str, str]) -> None:
    path = f"/claims/{doc_id(docs['seed'])}/statement/0/claimreview"
    assert client.get(path, headers={"Accept": "text/csv"}).status_code == 406


def test_api_claimreview_post_a_data_feed_is_201_with_matches(client: TestClient) -> None:
    response = post(client, feed(review(), review(
        url="https://factcheck.example.org/2024/02/language-of-force",
        claimReviewed="The US only understands the language of force",
        reviewRating={"@type": "Rating", "alternateName": "Mostly true"},
        itemReviewed={"@type": "Claim", "author": {"@type": "Organization", "name": "IRI"}},
    )))  # fmt: skip
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["imported"] == 2
    troops, force = body["reviews"]
    assert troops["rating"] == "True"
    assert troops["matches"][0]["claim"].endswith("/quantity/0")
    assert troops["matches"][0]["score"] >= 0.9
    assert force["rating"] == "Mostly true"
    assert force["matches"] == []  # no stored article makes that claim: linked to nothing
    listed = client.get("/claimreviews").json()
    assert len(listed["dataFeedElement"]) == 2


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        (b"\xff\xfe\x00", JSONLD, 400, "UTF-8"),
        (b"[1, 2", JSONLD, 422, "not JSON"),
        (json.dumps({"@type": "Recipe"}).encode(), "application/json", 422, "not a ClaimReview"),
        (b"{}", "text/plain", 415, "application/json"),
    ],
)
def test_api_claimreview_post_mistakes(
    client: TestClient, body: bytes, content_type: str, status: int, words: str
) -> None:
    response = post(client, body, content_type)
    assert response.status_code == status
    assert words in response.json()["error"]


def test_api_claimreview_post_over_the_cap_is_413(client: TestClient) -> None:
    response = client.post(
        "/claimreviews",
        content=b" " * (MAX_CLAIMREVIEW_BYTES + 1),
        headers={"Content-Type": JSONLD},
    )
    assert response.status_code == 413


@pytest.mark.parametrize("name", ["claimreview", "claims"])
def test_api_claimreview_export_feeds(client: TestClient, name: str) -> None:
    post(client, review())
    response = client.get("/export", params={"format": name})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(JSONLD)
    assert f"factgraph.{name}.jsonld" in response.headers["content-disposition"]
    items = [i for e in response.json()["dataFeedElement"] for i in e["item"]]
    assert items
    assert {i["@type"] for i in items} == {"ClaimReview" if name == "claimreview" else "Claim"}


def _wrap(claim: dict[str, Any], url: str) -> dict[str, Any]:
    """What a fact-checker does with the exported skeleton: a ClaimReview around the Claim."""
    item = {k: v for k, v in claim.items() if k != "@context"}
    return review(url=url, claimReviewed=claim["text"], itemReviewed=item,
                  reviewRating={"@type": "Rating", "ratingValue": 2, "bestRating": 5,
                                "worstRating": 1, "alternateName": "Mostly false"})  # fmt: skip


@pytest.mark.parametrize("kind_n", ["statement/1", "quantity/3", "date/0", "statement/4"])
def test_api_claimreview_round_trip_links_the_right_claim(
    client: TestClient, docs: dict[str, str], kind_n: str
) -> None:
    claim = client.get(f"/claims/{doc_id(docs['seed'])}/{kind_n}/claimreview").json()
    wrapped = _wrap(claim, f"https://factcheck.example.org/rt/{kind_n}")
    imported = post(client, wrapped).json()["reviews"][0]
    assert [(m["claim"], m["score"]) for m in imported["matches"]] == [(claim["@id"], 1.0)]
    # without the IRI, the text, the claimant and the number still find it first
    del wrapped["itemReviewed"]["@id"]
    wrapped["url"] += "/anonymous"
    again = post(client, wrapped).json()["reviews"][0]
    assert again["matches"][0]["claim"] == claim["@id"], again["matches"]
    assert again["matches"][0]["score"] >= 0.8
    linked = client.get(
        "/sparql",
        params={"query": "SELECT ?r WHERE { ?r <https://w3id.org/factgraph/ns#reviews> "
                         f"<{claim['@id']}> }}"},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]  # fmt: skip
    assert {b["r"]["value"] for b in linked} == {imported["iri"], again["iri"]}
    exported = client.get("/export", params={"format": "claimreview"}).json()
    items = [i for e in exported["dataFeedElement"] for i in e["item"]]
    reviews_key = "https://w3id.org/factgraph/ns#reviews"
    assert all({"@id": claim["@id"]} in i[reviews_key] for i in items)
    assert post(client, exported).status_code == 201  # the export imports back


def test_api_claimreview_base_iri_setting_is_respected(store: OxigraphStore) -> None:
    from service.settings import Settings

    base = "https://data.example.org/fg/"
    docs = fill(store, base)
    app = build_app(Settings(base_iri=base), store)
    with TestClient(app, raise_server_exceptions=False, client=ON_THIS_MACHINE) as client:
        claim = client.get(f"/claims/{doc_id(docs['seed'])}/statement/0/claimreview").json()
        assert claim["@id"].startswith(f"{base}id/document/")
        imported = post(client, _wrap(claim, "https://factcheck.example.org/b")).json()
        assert imported["reviews"][0]["iri"].startswith(f"{base}id/claimreview/")
    assert base != BASE


@pytest.mark.parametrize(
    "bad",
    [
        {"url": "https://factcheck.example.org/b\u0001x"},  # its own url
        {"author": {"@type": "Organization", "name": "A", "url": "https://a.example.org/\u0002"}},
        {"itemReviewed": {"@type": "Claim", "sameAs": "http://x.example.org/a\u0003"}},
    ],
)
def test_api_claimreview_a_batch_with_one_review_that_cannot_be_stored_stores_nothing(
    client: TestClient, store: OxigraphStore, bad: dict[str, Any]
) -> None:
    before = store.quad_count()
    second = {**review(claimReviewed="Another claim", url="https://factcheck.example.org/2"), **bad}
    response = client.post(
        "/claimreviews", content=json.dumps([review(), second]), headers={"Content-Type": JSONLD}
    )
    assert response.status_code == 422, response.text
    message = response.json()["error"]
    assert message.startswith("the body[1] cannot be stored, so nothing was")
    assert "IRI" in message
    assert store.quad_count() == before
    assert client.get("/claimreviews").json()["dataFeedElement"] == []
