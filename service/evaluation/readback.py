"""Read a stored document's claims back from the store with SPARQL, as a user would get them."""

from __future__ import annotations

from decimal import Decimal

from service.evaluation.score import PredictedQuantity, PredictedStatement
from service.rdf.vocab import FG
from service.read.rows import first_per, local_name
from service.sparql import load
from service.store import Store, iri_term, literal_term

__all__ = ["find_document", "read_quantities", "read_statements", "read_text"]

_TYPES = {str(FG.Direct): "direct", str(FG.Mixed): "mixed", str(FG.Indirect): "indirect"}


def find_document(store: Store, text_sha256: str) -> str | None:
    rows = store.select(load("evaluation/find_document.rq"), {"hash": literal_term(text_sha256)})
    return rows[0]["document"] if rows else None


def _span(begin: str | None, end: str | None) -> tuple[int, int] | None:
    return None if begin is None or end is None else (int(begin), int(end))


def _of_document(store: Store, name: str, document: str) -> list[dict[str, str | None]]:
    return store.select(load(f"evaluation/{name}.rq"), {"document": iri_term(document)})


def read_text(store: Store, document: str) -> str:
    rows = _of_document(store, "text", document)
    return rows[0]["text"] or "" if rows else ""


def read_statements(store: Store, document: str) -> list[PredictedStatement]:
    rows = first_per(_of_document(store, "statements", document), "statement")
    return [
        PredictedStatement(
            iri=row["statement"],
            content_span=(int(row["begin"]), int(row["end"])),
            content=row["content"],
            cue=row["cue"],
            type=_TYPES.get(row["type"], local_name(row["type"])),
            speaker_mention=row.get("mention"),
            speaker_span=_span(row.get("mentionBegin"), row.get("mentionEnd")),
            speaker_name=row.get("speakerName"),
            sentence=row["sentence"],
        )
        for row in rows
    ]


def read_quantities(store: Store, document: str) -> list[PredictedQuantity]:
    rows = first_per(_of_document(store, "quantities", document), "claim")
    return [
        PredictedQuantity(
            iri=row["claim"],
            span=(int(row["begin"]), int(row["end"])),
            text=row["text"],
            value=Decimal(row["value"]),
            comparator=local_name(row["comparator"]),
            counted=row.get("counted"),
            location=row.get("locationName"),
            sentence=row["sentence"],
        )
        for row in rows
    ]
