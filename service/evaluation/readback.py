"""Read a stored document's claims back from the store with SPARQL, as a user would get them."""

from __future__ import annotations

from decimal import Decimal

from service.evaluation.score import PredictedQuantity, PredictedStatement
from service.rdf.vocab import FG, NIF, PROV, SDO
from service.store import Store, iri_term, literal_term

__all__ = ["find_document", "read_quantities", "read_statements", "read_text"]

# pyoxigraph substitutes only variables the query projects, so each query selects ?document.
_PREFIXES = f"""
PREFIX fg: <{FG._NS}>
PREFIX schema: <{SDO}>
PREFIX prov: <{PROV}>
PREFIX nif: <{NIF}>
"""

_FIND_DOCUMENT = (
    _PREFIXES
    + """
SELECT ?document ?hash WHERE { GRAPH ?document { ?document fg:contentHash ?hash } } LIMIT 1
"""
)

_TEXT = (
    _PREFIXES
    + """
SELECT ?document ?text WHERE { GRAPH ?document { ?document fg:text/nif:isString ?text } } LIMIT 1
"""
)

_STATEMENTS = (
    _PREFIXES
    + """
SELECT ?document ?statement ?begin ?end ?content ?cue ?type ?mention ?speakerName ?sentence WHERE {
  GRAPH ?document {
    ?statement a fg:Statement ; fg:content ?content ; fg:cue ?cue ; fg:statementType ?type ;
        fg:contentSpan ?span ; prov:wasDerivedFrom/nif:anchorOf ?sentence .
    ?span nif:beginIndex ?begin ; nif:endIndex ?end .
    OPTIONAL { ?statement fg:speakerMention/nif:anchorOf ?mention }
    OPTIONAL { ?statement fg:speaker/schema:name ?speakerName }
  }
}
"""
)

_QUANTITIES = (
    _PREFIXES
    + """
SELECT ?document ?claim ?begin ?end ?text ?value ?comparator ?counted ?locationName ?sentence
WHERE {
  GRAPH ?document {
    ?claim a fg:QuantityClaim ; schema:value ?value ; fg:comparator ?comparator ;
        fg:mention ?mention ; prov:wasDerivedFrom/nif:anchorOf ?sentence .
    ?mention nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?text .
    OPTIONAL { ?claim fg:counted ?counted }
    OPTIONAL { ?claim fg:location/schema:name ?locationName }
  }
}
"""
)

_TYPES = {str(FG.Direct): "direct", str(FG.Mixed): "mixed", str(FG.Indirect): "indirect"}


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def find_document(store: Store, text_sha256: str) -> str | None:
    rows = store.select(_FIND_DOCUMENT, {"hash": literal_term(text_sha256)})
    return rows[0]["document"] if rows else None


def read_text(store: Store, document: str) -> str:
    rows = store.select(_TEXT, {"document": iri_term(document)})
    return rows[0]["text"] or "" if rows else ""


def _distinct(rows: list[dict], key: str) -> list[dict]:
    """One row per claim: several names for one actor must not make two predictions."""
    seen: dict[str, dict] = {}
    for row in rows:
        seen.setdefault(row[key], row)
    return list(seen.values())


def read_statements(store: Store, document: str) -> list[PredictedStatement]:
    rows = _distinct(store.select(_STATEMENTS, {"document": iri_term(document)}), "statement")
    return [
        PredictedStatement(
            iri=row["statement"],
            content_span=(int(row["begin"]), int(row["end"])),
            content=row["content"],
            cue=row["cue"],
            type=_TYPES.get(row["type"], _local(row["type"])),
            speaker_mention=row.get("mention"),
            speaker_name=row.get("speakerName"),
            sentence=row["sentence"],
        )
        for row in rows
    ]


def read_quantities(store: Store, document: str) -> list[PredictedQuantity]:
    rows = _distinct(store.select(_QUANTITIES, {"document": iri_term(document)}), "claim")
    return [
        PredictedQuantity(
            iri=row["claim"],
            span=(int(row["begin"]), int(row["end"])),
            text=row["text"],
            value=Decimal(row["value"]),
            comparator=_local(row["comparator"]),
            counted=row.get("counted"),
            location=row.get("locationName"),
            sentence=row["sentence"],
        )
        for row in rows
    ]
