"""Syndication: the same text from two publishers is one text with two appearances, and a
near-copy (new headline, an added paragraph) is linked to its original, never corroborating it.

The texts are written for these tests; the real pipeline (spaCy) reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from service.bootstrap import build_ingestor, configured, store_registry
from service.pipeline.documents import Appearance, Document
from service.pipeline.ingest import Ingestor
from service.pipeline.syndication import (
    NEAR_COPY,
    band_keys,
    jaccard,
    merge_appearances,
    shingles,
)
from service.rdf.vocab import sparql_prologue
from service.read.appearances import near_copies_of
from service.read.documents import document_detail, list_documents
from service.store.oxigraph import OxigraphStore

settings = configured()
BASE = settings.base_iri

STORY = (
    "Dam operators opened two spillways on Monday after heavy rain filled the Vallora "
    "reservoir.\n\nThe regional water authority said the reservoir held roughly 2,500 "
    "million cubic metres, its highest level in a decade, and that more than 300 families "
    "downstream were told to leave their homes as a precaution.\n\n"
    "Engineers inspected the dam wall overnight and found no damage, according to the "
    "authority, which said releases would continue for at least three days while the river "
    "stays below its banks.\n\n"
    "Farmers along the lower valley said the water had already reached several orchards, and "
    "the agriculture ministry promised compensation for losses once the flood has passed.\n\n"
    "Elsewhere, the Pentagon said there are roughly 2,500 US troops in Iraq."
)
LOCAL_PARAGRAPH = (
    "\n\nIn Merrow, the town council opened the sports hall to families who left their homes, "
    "and volunteers handed out blankets and hot meals through the night."
)
UNRELATED = (
    "The city library will extend its opening hours from next month, the council said on "
    "Thursday. Readers will be able to borrow books until 9 pm on weekdays, and a new "
    "children's corner with 4,000 picture books opens in the east wing. The council said the "
    "change costs about 120,000 euros a year, paid from the culture budget, and that the "
    "library had 38,000 visitors last year, up from 31,000 the year before."
)
INDEPENDENT = (
    "The Vallora reservoir held roughly 2,500 million cubic metres on Monday, the regional "
    "water authority said, as officials in three villages prepared shelters. Residents told "
    "reporters they had not seen the river so high since they were children. There are "
    "roughly 2,500 US troops in Iraq, the Pentagon said."
)


def _doc(text: str, publisher: str, date: str, url: str | None = None) -> Document:
    return Document(
        text=text, publisher=publisher, date_published=dt.date.fromisoformat(date), url=url,
        title=text.split("\n", 1)[0][:60],
    )


# ---------------------------------------------------------------- pure functions


def test_syndication_merge_keeps_every_appearance_and_makes_the_earliest_first() -> None:
    stored = [Appearance("Example Wire", "https://wire.example/a", dt.date(2024, 3, 2),
                         "Dam opens spillways", dt.datetime(2024, 3, 2, 9, tzinfo=dt.UTC))]
    later_post = _doc(STORY, "Valley Herald", "2024-03-01", "https://herald.example/b")
    merged = merge_appearances(later_post, stored, dt.datetime(2024, 3, 5, tzinfo=dt.UTC))
    assert [a.publisher for a in merged.appearances] == ["Valley Herald", "Example Wire"]
    assert (merged.publisher, merged.url) == ("Valley Herald", "https://herald.example/b")
    assert merged.date_published == dt.date(2024, 3, 1)


def test_syndication_merge_same_url_again_updates_its_appearance_and_keeps_when_received() -> None:
    first_seen = dt.datetime(2024, 3, 2, 9, tzinfo=dt.UTC)
    stored = [Appearance("Example Wire", "https://wire.example/a", dt.date(2024, 3, 2),
                         "Old headline", first_seen)]
    again = _doc(STORY, "Example Wire", "2024-03-02", "https://wire.example/a")
    merged = merge_appearances(again, stored, dt.datetime(2024, 3, 9, tzinfo=dt.UTC))
    assert len(merged.appearances) == 1
    assert merged.appearances[0].recorded == first_seen
    assert merged.appearances[0].title == again.title


def test_syndication_near_copy_shares_shingles_and_band_keys_an_unrelated_text_does_not() -> None:
    copy = "Spillways opened at Vallora dam\n\n" + STORY.split("\n", 1)[1] + LOCAL_PARAGRAPH
    assert jaccard(shingles(STORY), shingles(copy)) >= NEAR_COPY
    assert jaccard(shingles(STORY), shingles(UNRELATED)) < 0.05
    assert set(band_keys(STORY)) & set(band_keys(copy))
    assert not set(band_keys(STORY)) & set(band_keys(UNRELATED))


# ---------------------------------------------------------------- through the ingest flow


@pytest.fixture(scope="module")
def ingestor() -> Iterator[Ingestor]:
    store = OxigraphStore(None)
    store_registry(store, settings)
    ingestor = build_ingestor(store, settings)
    yield ingestor
    ingestor.close()
    store.close()


def _listed(ingestor: Ingestor, iri: str) -> dict:
    return next(d for d in list_documents(ingestor.store) if d["iri"] == iri)


def test_syndication_one_text_posted_by_two_publishers_keeps_both(ingestor: Ingestor) -> None:
    wire = _doc(UNRELATED, "Example Wire", "2024-05-02", "https://wire.example/library")
    herald = _doc(UNRELATED, "Valley Herald", "2024-05-03", "https://herald.example/library")
    (first,) = ingestor.ingest([wire])
    (second,) = ingestor.ingest([herald])
    assert first.iri == second.iri
    assert second.stored
    listed = _listed(ingestor, second.iri)
    shown = [(a["publisher"], a["date_published"], a["first"]) for a in listed["appearances"]]
    assert shown == [("Example Wire", "2024-05-02", True), ("Valley Herald", "2024-05-03", False)]
    assert (listed["publisher"], listed["date_published"]) == ("Example Wire", "2024-05-02")
    (again,) = ingestor.ingest([wire])  # the same appearance again adds none
    assert len(_listed(ingestor, again.iri)["appearances"]) == 2
    doc_id = second.iri.rsplit("/", 1)[-1]
    detail = document_detail(ingestor.store, BASE, doc_id)
    assert detail is not None
    assert {a["publisher"] for a in detail["appearances"]} == {"Example Wire", "Valley Herald"}


def _comparisons_between(ingestor: Ingestor, a: str, b: str, status: str) -> int:
    query = sparql_prologue() + (
        "SELECT ?a ?b (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?c a fg:ClaimComparison ; "
        f"fg:status fg:{status} ; fg:comparedDocument ?a , ?b }} }} GROUP BY ?a ?b"
    )
    rows = ingestor.store.select(query, {"a": f"<{a}>", "b": f"<{b}>"})
    return int(rows[0]["n"] or 0) if rows else 0  # no group: none


def test_syndication_near_copy_is_linked_and_never_corroborates_its_original(
    ingestor: Ingestor,
) -> None:
    wire = _doc(STORY, "Example Wire", "2024-03-04", "https://wire.example/dam")
    copy_text = "Spillways opened at Vallora dam\n\n" + STORY.split("\n", 1)[1] + LOCAL_PARAGRAPH
    local = _doc(copy_text, "Merrow Gazette", "2024-03-05", "https://gazette.example/dam")
    other = _doc(INDEPENDENT, "Valley Herald", "2024-03-05", "https://herald.example/dam")
    original, copy, independent = ingestor.ingest([wire, local, other])
    assert [r.stored for r in (original, copy, independent)] == [True, True, True]
    (link,) = _listed(ingestor, copy.iri)["near_copies"]
    assert (link["document"], link["role"]) == (original.iri, "copy")
    assert NEAR_COPY <= link["score"] < 1
    assert "MinHash" in link["method"]
    assert _listed(ingestor, original.iri)["near_copies"][0]["role"] == "original"
    assert _listed(ingestor, independent.iri)["near_copies"] == []
    # the comparisons ask one document's near-copies by a query of their own: the same links
    for iri in (copy.iri, original.iri, independent.iri):
        listed = {link["document"] for link in _listed(ingestor, iri)["near_copies"]}
        assert near_copies_of(ingestor.store, iri) == listed
    based_on = ingestor.store.select(
        sparql_prologue()
        + "SELECT ?copy ?original (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?copy schema:isBasedOn "
        "?original } } GROUP BY ?copy ?original",
        {"copy": f"<{copy.iri}>", "original": f"<{original.iri}>"},
    )
    assert int(based_on[0]["n"]) == 1
    # the independent report corroborates both; the copy does not corroborate its original
    assert _comparisons_between(ingestor, independent.iri, original.iri, "Corroboration") >= 1
    assert _comparisons_between(ingestor, copy.iri, original.iri, "Corroboration") == 0

