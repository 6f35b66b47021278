"""The stored documents: the list, the corpus in numbers, and one document with its claims.

Plain dicts of plain values (offsets as ints), the same for `GET /documents` and the pages.
Every document or actor IRI comes from `service.rdf.iris` and is bound by the engine.
"""

from __future__ import annotations

from typing import Any

from service.rdf import iris
from service.read.appearances import appearances_by_document, near_copies_by_document
from service.read.rows import Row, first_per, integer, local_name
from service.sparql import load
from service.store import Store, iri_term

__all__ = [
    "corpus_counts",
    "document_detail",
    "list_documents",
    "recent_documents",
]


def list_documents(store: Store) -> list[dict[str, Any]]:
    """Every stored document with its headline, publisher, date, URL and claim counts (its
    first appearance's), every appearance of its text, and its near-copies."""
    appearances = appearances_by_document(store)
    copies = near_copies_by_document(store)
    return [
        {
            "iri": row["document"],
            "headline": row["headline"],
            "publisher": row["publisher"],
            "date_published": row["datePublished"],
            "url": row["url"],
            "statements": integer(row["statements"], 0),
            "quantities": integer(row["quantities"], 0),
            "appearances": appearances.get(row["document"] or "", []),
            "near_copies": copies.get(row["document"] or "", []),
        }
        for row in store.select(load("read/documents.rq"))
    ]


def corpus_counts(store: Store, base: str) -> dict[str, int]:
    """Documents, statements, quantity and date claims, actors named, comparisons."""
    rows = store.select(load("read/corpus_counts.rq"))
    totals = {key: integer(value, 0) or 0 for key, value in (rows[0] if rows else {}).items()}
    analysis = {"analysis": iri_term(iris.analysis_graph(base))}
    compared = store.select(load("read/comparison_count.rq"), analysis)
    totals["comparisons"] = sum(integer(row["comparisons"], 0) or 0 for row in compared)
    return totals


def recent_documents(store: Store) -> list[Row]:
    """The 50 most recently published documents: headline, publisher, date, an excerpt."""
    return first_per(store.select(load("read/recent_documents.rq")), "document")


def _actor(iri: str | None, name: str | None) -> dict[str, Any] | None:
    if not iri:
        return None
    return {"iri": iri, "name": name or local_name(iri), "slug": iris.slug_of(iri)}


def _sentence(row: Row) -> dict[str, Any]:
    return {
        "iri": row["sentence"],
        "begin": integer(row["sentenceBegin"], 0),
        "end": integer(row["sentenceEnd"], 0),
        "text": row["sentenceText"] or "",
    }


def _claim(row: Row, kind: str) -> dict[str, Any]:
    """What every claim has: its kind, number, IRI, offsets, sentence and run."""
    ref = iris.claim_ref(row["claim"])
    return {
        "kind": kind,
        "n": ref.n if ref and ref.n is not None else 0,
        "iri": row["claim"],
        "begin": integer(row["begin"], 0),
        "end": integer(row["end"], 0),
        "sentence": _sentence(row),
        "run": row["run"],
    }


def _statements(rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            **_claim(row, "statement"),
            "content": row["content"] or "",
            "cue": row["cue"] or "",
            "type": local_name(row["type"]),
            "speaker": _actor(row["speaker"], row["speakerName"]),
            "speaker_text": row["speakerText"],
            "nested_in": row["nestedIn"],
            "reported_by": _actor(row["reportedBy"], row["reportedByName"]),
        }
        for row in first_per(rows, "claim")
    ]


def _quantities(rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            **_claim(row, "quantity"),
            "text": row["mentionText"] or "",
            "value": row["value"],
            "comparator": local_name(row["comparator"]),
            "hedge": row["hedge"],
            "min": row["min"],
            "max": row["max"],
            "unit": row["unit"],
            "counted": row["counted"],
            "location": _actor(row["location"], row["locationName"]),
            "time": row["time"],
            "time_start": row["timeStart"],
            "time_end": row["timeEnd"],
            "claimed_by": _actor(row["claimedBy"], row["claimedByName"]),
            "statement": row["statement"],
        }
        for row in first_per(rows, "claim")
    ]


def _dates(rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            **_claim(row, "date"),
            "text": row["mentionText"] or "",
            "event": row["event"],
            "date_text": row["dateText"],
            "earliest": row["earliest"],
            "latest": row["latest"],
            "claimed_by": _actor(row["claimedBy"], row["claimedByName"]),
            "statement": row["statement"],
        }
        for row in first_per(rows, "claim")
    ]


def _mentions(rows: list[Row]) -> list[dict[str, Any]]:
    """Each span that names an actor, once, with the actor's name and type."""
    seen: set[tuple[int, int, str]] = set()
    mentions = []
    for row in rows:
        begin, end, actor = integer(row["begin"], 0) or 0, integer(row["end"], 0) or 0, row["actor"]
        if actor is None or (begin, end, actor) in seen:
            continue
        seen.add((begin, end, actor))
        found = _actor(actor, row["name"]) or {}
        mentions.append({**found, "begin": begin, "end": end, "type": local_name(row["type"])})
    return mentions


def document_detail(store: Store, base: str, doc_id: str) -> dict[str, Any] | None:
    """One document with its text, extraction run, claims and actor mentions; None when no
    such document is stored (or `doc_id` cannot be a document's id)."""
    if not iris.DOC_ID.fullmatch(doc_id):
        return None
    bound = {"document": iri_term(iris.document(base, doc_id))}
    found = store.select(load("read/document.rq"), bound)
    if not found:
        return None
    document = iris.document(base, doc_id)
    return {
        "id": doc_id,
        "meta": found[0],
        "publisher": _actor(found[0]["publisher"], found[0]["publisherName"]),
        "appearances": appearances_by_document(store, document).get(document, []),
        "near_copies": near_copies_by_document(store, document).get(document, []),
        "statements": _statements(store.select(load("read/document_statements.rq"), bound)),
        "quantities": _quantities(store.select(load("read/document_quantities.rq"), bound)),
        "dates": _dates(store.select(load("read/document_dates.rq"), bound)),
        "mentions": _mentions(store.select(load("read/document_mentions.rq"), bound)),
    }
