"""Review matching, one claim's ClaimReview form and the claims feed read the store through
its indexes: a review's candidates are at most 25 whatever the store holds, every query they
send is keyed (none reads every claim), and the answers are those a read of every claim gives.
(How long they take as the store grows is measured in bench/claims.py, not here.)"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from claimreview_data import WIRE_URL, add_wire_copies, fill
from test_claimreview_importer import review

from service.claimreview.claims import (
    find_candidates,
    load_claim,
    load_claim_data,
    to_candidates,
)
from service.claimreview.export import claim_json, claims_feed, export_chunks
from service.claimreview.importer import signals
from service.claimreview.matching import ReviewSignals, match_review
from service.store.oxigraph import OxigraphStore

CANDIDATES = 25  # the LIMIT of claimreview/candidates.rq


class CountingStore(OxigraphStore):
    """An in-memory store that notes each `select`: its bindings and how many rows came."""

    def __init__(self) -> None:
        super().__init__(None)
        self.asked: list[tuple[dict[str, str], int]] = []

    def select(
        self, sparql: str, bindings: Mapping[str, str] | None = None
    ) -> list[dict[str, str | None]]:
        rows = super().select(sparql, bindings)
        self.asked.append((dict(bindings or {}), len(rows)))
        return rows


def stores(copies: int) -> tuple[CountingStore, dict[str, str]]:
    store = CountingStore()
    docs = fill(store)
    add_wire_copies(store, copies)
    store.asked.clear()
    return store, docs


@pytest.fixture(scope="module")
def few() -> tuple[CountingStore, dict[str, str]]:
    return stores(2)


@pytest.fixture(scope="module")
def many() -> tuple[CountingStore, dict[str, str]]:
    return stores(40)  # 80 more claims stating the troop number in the review's words


REVIEWS = {
    "number, words and claimant": signals(review()),
    "statement words": ReviewSignals("Reuters reported that the US and Iraq will begin talks"),
    "claimant only": ReviewSignals("Attacks will continue", author_names=("Pentagon",)),
    "nothing stored": ReviewSignals("Penguins prefer the colder water of the Antarctic"),
}


@pytest.mark.parametrize("name", list(REVIEWS))
def test_review_matching_asks_a_bounded_number_of_keyed_queries_whatever_the_store_holds(
    few: tuple[CountingStore, dict[str, str]],
    many: tuple[CountingStore, dict[str, str]],
    name: str,
) -> None:
    """One query for the candidates (at most 25), then one for each of their details, their
    documents (every URL their text appeared at) and their claimants."""
    for store, _ in (few, many):
        store.asked.clear()
        found = find_candidates(store, REVIEWS[name])
        assert len(found) <= CANDIDATES
        (slots, _), *lookups = store.asked
        assert {"w1", "n1", "c1"} <= slots.keys()  # the review's words, numbers, claimant
        assert len(lookups) <= 3 * CANDIDATES
        keyed = ({"claim"}, {"actor"}, {"document"})
        assert all(bindings.keys() in keyed for bindings, _ in lookups)


def test_review_candidates_stop_at_25_when_more_claims_hold_its_words(
    many: tuple[CountingStore, dict[str, str]],
) -> None:
    store, docs = many
    every = load_claim_data(store)
    holding = [c for c in every.claims.values() if "2,500" in (c.sentence or "")]
    assert len(holding) > CANDIDATES
    found = find_candidates(store, signals(review()))
    assert len(found) == CANDIDATES
    best = match_review(signals(review()), found)[0]
    assert best.claim == f"{docs['seed']}/quantity/0"  # the claim the review's url names


@pytest.mark.parametrize("name", list(REVIEWS))
def test_review_matches_are_those_a_read_of_every_claim_gives(
    few: tuple[CountingStore, dict[str, str]], name: str
) -> None:
    store, _ = few
    every = to_candidates(load_claim_data(store))
    wanted = REVIEWS[name]
    assert match_review(wanted, find_candidates(store, wanted)) == match_review(wanted, every)


def test_review_naming_a_stored_claim_by_iri_matches_it_outright(
    many: tuple[CountingStore, dict[str, str]],
) -> None:
    store, docs = many
    claim = f"{docs['wire']}/statement/0"
    wanted = ReviewSignals("anything at all", item_ids=("not an iri", claim))
    assert [m.claim for m in match_review(wanted, find_candidates(store, wanted))] == [claim]


def test_one_claim_is_read_with_its_key_and_answers_as_the_whole_feed_does(
    many: tuple[CountingStore, dict[str, str]],
) -> None:
    store, docs = many
    every = load_claim_data(store)
    feed = {item["@id"]: item for item in _items(claims_feed(every))}
    for iri in every.claims:
        store.asked.clear()
        one = load_claim(store, iri)
        assert one is not None
        assert all(bindings for bindings, _ in store.asked)
        assert claim_json(one.claims[iri], one, context=False) == feed[iri]
    assert load_claim(store, f"{docs['seed']}/statement/99") is None
    assert load_claim(store, "not an iri") is None


def test_claims_feed_first_appearance_is_the_earliest_copy(
    many: tuple[CountingStore, dict[str, str]],
) -> None:
    store, docs = many
    items = {item["@id"]: item for item in _items(claims_feed(load_claim_data(store)))}
    copies = [iri for iri in items if iri.rsplit("/", 2)[0] not in docs.values()]
    assert len(copies) == 80
    for iri in [*copies, f"{docs['seed']}/quantity/0"]:
        assert items[iri]["firstAppearance"]["url"] == WIRE_URL, iri
    assert items[f"{docs['wire']}/quantity/0"]["firstAppearance"]["@id"] == docs["wire"]


def test_claims_export_is_written_in_chunks_that_make_the_whole_feed(
    many: tuple[CountingStore, dict[str, str]],
) -> None:
    store, _ = many
    chunks = list(export_chunks(store, "claims"))
    assert len(chunks) > 1
    streamed = json.loads(b"".join(chunks))
    whole = claims_feed(load_claim_data(store))
    assert streamed.keys() == whole.keys()
    assert _items(streamed) == _items(whole)


def _items(feed: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for element in feed["dataFeedElement"] for item in element["item"]]
