"""Where each stored text appeared, and which texts are near-copies of which, as plain dicts
for `GET /documents` and the document page."""

from __future__ import annotations

from typing import Any

from service.read.rows import Row
from service.sparql import load
from service.store import Store, iri_term

__all__ = ["appearances_by_document", "near_copies_by_document", "near_copies_of"]


def _bound(document: str | None) -> dict[str, str] | None:
    return None if document is None else {"document": iri_term(document)}


def _appearance(row: Row) -> dict[str, Any]:
    return {
        "publisher": row["publisherName"],
        "publisher_iri": row["publisher"],
        "date_published": row["date"],
        "url": row["url"],
        "headline": row["title"],
        "received": row["recorded"],
        "first": row["first"] == "true",
    }


def appearances_by_document(
    store: Store, document: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Each text's appearances (of every document, or of one), the first one first."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for row in store.select(load("syndication/appearances.rq"), _bound(document)):
        if row["document"] and row["appearance"]:
            found.setdefault(row["document"], {}).setdefault(row["appearance"], _appearance(row))
    return {doc: list(rows.values()) for doc, rows in found.items()}


def near_copies_by_document(
    store: Store, document: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Each document's near-copy links, from its side: the other document, whether this one
    is the copy or the original, the similarity and the method."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for row in store.select(load("syndication/text_reuse.rq"), _bound(document)):
        if not (row["document"] and row["other"]):
            continue
        found.setdefault(row["document"], {}).setdefault(row["other"], {
            "document": row["other"],
            "role": row["role"],
            "score": float(row["score"] or 0),
            "method": row["method"],
            "headline": row["otherHeadline"],
            "publisher": row["otherPublisher"],
            "date_published": row["otherDate"],
        })
    return {doc: list(rows.values()) for doc, rows in found.items()}


def near_copies_of(store: Store, document: str) -> set[str]:
    """The stored documents that are near-copies of this one, or that it is a near-copy of:
    their claims are not independent of this one's."""
    rows = store.select(load("syndication/text_reuse_of.rq"), _bound(document))
    return {row["other"] for row in rows if row["other"]}
