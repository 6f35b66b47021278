"""service.claimreview.importer: what it reads, what it refuses, and what it stores."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from claimreview_data import BASE, fill
from rdflib import BNode, URIRef

from service.claimreview.importer import (
    ClaimReviewError,
    import_claimreviews,
    parse_claimreviews,
    to_graph,
)
from service.pipeline.documents import EncodingError
from service.rdf import iris
from service.rdf.vocab import FG, PROV, RDF, SDO, sparql_prologue
from service.store.oxigraph import OxigraphStore


def review(**changes: Any) -> dict[str, Any]:
    """A ClaimReview as Google's fact-check markup documents it."""
    body: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://factcheck.example.org/2024/02/us-troops-in-iraq",
        "claimReviewed": "The US has roughly 2,500 troops in Iraq",
        "datePublished": "2024-02-02",
        "author": {"@type": "Organization", "name": "Example Fact Check",
                   "url": "https://factcheck.example.org/"},
        "reviewRating": {"@type": "Rating", "ratingValue": 5, "bestRating": 5,
                         "worstRating": 1, "alternateName": "True"},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": "eurasia.ro"},
            "datePublished": "2024-01-31",
            "appearance": {"@type": "CreativeWork",
                           "url": "https://eurasia.ro/2024/01/31/iraqi-resistance"},
        },
    }  # fmt: skip
    body.update(changes)
    return body


def feed(*reviews: dict[str, Any]) -> dict[str, Any]:
    """The Data Commons fact-check feed shape: a DataFeed of DataFeedItems with item lists."""
    return {
        "@context": "http://schema.org",
        "@type": "DataFeed",
        "dateModified": "2024-02-03T10:00:00Z",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "dateCreated": "2024-02-03T10:00:00Z", "item": [r]}
            for r in reviews
        ],
    }


def raw(data: Any) -> bytes:
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    "body",
    [
        review(),
        [review(), review(claimReviewed="Another claim")],
        feed(review(), review(claimReviewed="Another claim")),
        {"@context": "https://schema.org", "@graph": [review()]},
        review(**{"@type": ["schema:ClaimReview"]}),
    ],
    ids=["one", "list", "datafeed", "graph", "prefixed-type"],
)
def test_claimreview_importer_reads_each_shape(body: Any) -> None:
    found = parse_claimreviews(raw(body))
    assert found
    assert all(r["url"].startswith("https://factcheck.example.org/") for _, r in found)


def _read_and_convert(body: bytes) -> None:
    for where, one in parse_claimreviews(body):
        to_graph(one, f"{BASE}id/claimreview/0", where, [], datetime.now(UTC))


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"\xff\xfe{}", 400, "not UTF-8"),
        (b"{not json", 422, "not JSON"),
        (raw({"@type": "NewsArticle", "headline": "x"}), 422, "not a ClaimReview"),
        (raw(42), 422, "not a ClaimReview"),
        (raw([]), 422, "no ClaimReview"),
        (raw(review(claimReviewed=42)), 422, "claimReviewed is not text"),
        (raw(review(url="not a url")), 422, "url"),
        (raw({"@type": "ClaimReview"}), 422, "says nothing of what it reviews"),
        (raw(review(**{"@context": "https://evil.example/ctx.jsonld"})), 422, "@context"),
        (raw(review(itemReviewed={"@reverse": {"author": {"@id": BASE}}})), 422, "@reverse"),
        (raw({"@type": "DataFeed"}), 422, "dataFeedElement"),
        (raw(feed(review(), {"@type": "Recipe"})), 422, "dataFeedElement[1].item[0]"),
    ],
)
def test_claimreview_importer_refuses_with_a_clear_message(
    body: bytes, status: int, words: str
) -> None:
    """400 for bytes that are not text (EncodingError), 422 for text that is no ClaimReview."""
    expected = EncodingError if status == 400 else ClaimReviewError
    with pytest.raises(expected) as caught:
        _read_and_convert(body)
    assert words in caught.value.message


def test_claimreview_importer_graph_keeps_schema_terms_and_never_our_nodes() -> None:
    claim = f"{BASE}id/document/0123456789abcdef/statement/0"
    extra = {
        "@id": "https://factcheck.example.org/#review",
        "https://evil.example/p": "dropped",
        "fg:reviews": {"@id": claim},
    }
    body = review(itemReviewed={"@type": "Claim", "@id": claim, "text": "x"}, **extra)
    iri = iris.claimreview(BASE, body["url"], body["claimReviewed"])
    graph = to_graph(body, iri, "the body", [], datetime(2024, 2, 3, tzinfo=UTC))
    node = URIRef(iri)
    assert {s for s in graph.subjects() if not isinstance(s, BNode)} == {node}
    assert (node, RDF.type, SDO.ClaimReview) in graph
    assert (node, PROV.wasDerivedFrom, URIRef(body["url"])) in graph
    assert graph.value(node, PROV.generatedAtTime) is not None
    assert (node, SDO.sameAs, URIRef("https://factcheck.example.org/#review")) in graph
    item = graph.value(node, SDO.itemReviewed)
    assert isinstance(item, BNode)
    assert (item, SDO.sameAs, URIRef(claim)) in graph  # the item's @id, kept as sameAs
    assert not list(graph.triples((None, FG.reviews, None)))  # links come from matching only
    assert not any("evil" in str(p) for p in graph.predicates())
    rating = graph.value(node, SDO.reviewRating)
    assert str(graph.value(rating, SDO.alternateName)) == "True"


@pytest.fixture
def store() -> OxigraphStore:
    opened = OxigraphStore(None)
    fill(opened)
    return opened


def test_claimreview_importer_stores_links_and_replaces_on_reimport(store: OxigraphStore) -> None:
    first = import_claimreviews(store, raw(feed(review())), BASE)
    assert len(first) == 1
    imported = first[0]
    assert imported.rating == "True"
    assert imported.iri.startswith(f"{BASE}id/claimreview/")
    assert imported.matches[0].claim.endswith("/quantity/0")
    assert store.has_graph(imported.iri)
    links = store.select(
        "SELECT ?g ?claim WHERE { GRAPH ?g { ?g <https://w3id.org/factgraph/ns#reviews> ?claim } }",
        {"g": f"<{imported.iri}>"},
    )
    assert {row["claim"] for row in links} == {m.claim for m in imported.matches}
    size = store.quad_count()
    again = import_claimreviews(store, raw(review()), BASE)
    assert again[0].iri == imported.iri
    assert store.quad_count() == size


def _links(store: OxigraphStore, review_iri: str) -> list[dict[str, str | None]]:
    query = sparql_prologue() + (
        "SELECT ?g ?claim ?score ?method WHERE { GRAPH ?g { ?link a fg:ReviewLink ; "
        "fg:linkedReview ?g ; fg:linkedClaim ?claim ; fg:score ?score ; fg:method ?method } }"
    )
    return store.select(query, {"g": f"<{review_iri}>"})


def test_claimreview_importer_a_review_of_a_seed_claim_links_that_one_claim_with_its_score(
    store: OxigraphStore,
) -> None:
    (imported,) = import_claimreviews(store, raw(review()), BASE)
    assert [m.claim.rsplit("/", 2)[-2:] for m in imported.matches] == [["quantity", "0"]]
    (link,) = _links(store, imported.iri)
    assert link["claim"] == imported.matches[0].claim
    assert float(link["score"] or 0) == imported.matches[0].score >= 0.9
    assert "proposition" in (link["method"] or "")


@pytest.mark.parametrize(
    "claim",
    [
        "Lloyd Austin says all US troops will leave Iraq by 2025",
        "Inflation in Germany fell to 2 percent in March",
        "There are 5,000 US troops in Iraq",
    ],
)
def test_claimreview_importer_a_review_of_an_unrelated_claim_links_to_nothing(
    store: OxigraphStore, claim: str
) -> None:
    body = review(url="https://factcheck.example.org/other", claimReviewed=claim,
                  itemReviewed={"@type": "Claim", "author": {"@type": "Person",
                                                             "name": "Lloyd Austin"}})
    (imported,) = import_claimreviews(store, raw(body), BASE)
    assert imported.matches == ()
    assert _links(store, imported.iri) == []
    assert store.has_graph(imported.iri)  # the review itself is kept


def test_claimreview_importer_a_review_lacking_google_fields_is_kept_with_a_warning(
    store: OxigraphStore,
) -> None:
    lacking = review(claimReviewed="  ", reviewRating={"@type": "Rating", "ratingValue": 2})
    del lacking["itemReviewed"]
    (imported,) = import_claimreviews(store, raw(lacking), BASE)
    assert store.has_graph(imported.iri)
    warning = imported.warning or ""
    assert "requires: claimReviewed, reviewRating.alternateName" in warning
    assert "recommends: itemReviewed, itemReviewed.author" in warning
    (complete,) = import_claimreviews(store, raw(review()), BASE)
    assert complete.warning is None
