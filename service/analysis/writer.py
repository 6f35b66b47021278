"""Keeps `<{base}graph/analysis>` in step with the documents, one document at a time.

When a document is committed, only its claims are compared, against claims of other
documents that share their key (found by key, so the cost follows the related claims, not
the store), and the comparisons touching the document are replaced in one UPDATE. When a
document is deleted, its graph, its comparisons and its run go in one UPDATE. The whole store
is never recomputed. One lock serialises these read-compare-write cycles, so two of them can
never interleave and leave a comparison to a claim that is gone.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import TypeVar
from urllib.parse import quote

import pyoxigraph as ox

from service import __version__
from service.analysis import sparql
from service.analysis.compare import (
    DateSide,
    QuantitySide,
    Status,
    Verdict,
    compare_dates,
    compare_quantities,
    comparison_id,
    key_generalisations,
)
from service.pipeline.graph import analysis_graph_iri
from service.rdf.vocab import FG, PROV, RDF, SDO, XSD
from service.store import Store, iri_term, literal_term

__all__ = ["ClaimComparer", "comparison_iri", "drop_document", "run_iri"]

log = logging.getLogger("factgraph.analysis")

# One writer of the analysis graph per process: ingest's writer thread and DELETE requests
# both come through here.
_WRITE_LOCK = threading.Lock()

# Comparisons kept per claim and status: every status still shows (a conflict is never crowded
# out by corroborations), while the writes per document stay bounded however many articles
# count the same thing.
MAX_PER_STATUS = 3

Row = dict[str, str | None]
Side = TypeVar("Side", QuantitySide, DateSide)
# One verdict: the document's own claim, the other document's claim, and how they compare.
Found = tuple[QuantitySide | DateSide, QuantitySide | DateSide, Verdict]


def comparison_iri(base_iri: str, claim_a: str, claim_b: str) -> str:
    return f"{base_iri}id/comparison/{comparison_id(claim_a, claim_b)}"


def run_iri(base_iri: str, document_iri: str) -> str:
    """The comparison run made for one document: replaced whenever the document is."""
    return f"{base_iri}id/comparison-run/{document_iri.rstrip('/').rsplit('/', 1)[-1]}"


def _agent_iri(base_iri: str) -> str:
    return f"{base_iri}id/software/factgraph/{quote(__version__, safe='+.-_')}"


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _local(iri: str | None) -> str:
    return (iri or "").rsplit("#", 1)[-1]


def _quantity(row: Row) -> QuantitySide | None:
    value = _decimal(row["value"])
    if value is None or not row["key"] or not row["claim"] or not row["document"]:
        return None
    return QuantitySide(
        claim=row["claim"],
        document=row["document"],
        key=row["key"],
        value=value,
        comparator=_local(row["comparator"]),
        minimum=_decimal(row["min"]),
        maximum=_decimal(row["max"]),
        unit=row["unit"],
        location=row["location"],
        location_name=row["locationName"],
        time=row["time"],
        time_start=_date(row["timeStart"]),
        time_end=_date(row["timeEnd"]),
        mention=row["mention"],
    )


def _date_side(row: Row) -> DateSide | None:
    earliest, latest = _date(row["earliest"]), _date(row["latest"])
    if earliest is None or latest is None or not row["key"] or not row["claim"]:
        return None
    return DateSide(
        claim=row["claim"],
        document=row["document"] or "",
        key=row["key"],
        earliest=earliest,
        latest=latest,
        date_text=row["dateText"],
    )


def _first_per_claim(sides: Iterable[Side | None]) -> list[Side]:
    """One side per claim (OPTIONAL joins may repeat a claim, e.g. a place with two names)."""
    seen: dict[str, Side] = {}
    for side in sides:
        if side is not None:
            seen.setdefault(side.claim, side)
    return list(seen.values())


class ClaimComparer:
    """The `after_commit` hook of the Ingestor: compare one committed document's claims."""

    def __init__(self, store: Store, base_iri: str) -> None:
        self.store = store
        self.base_iri = base_iri
        self.analysis_iri = analysis_graph_iri(base_iri)

    def __call__(self, document_iri: str) -> None:
        """Never lets a comparison failure undo or hide an ingest: it is logged instead."""
        try:
            self.compare_document(document_iri)
        except Exception:
            log.exception("comparing the claims of %s failed", document_iri)

    def compare_document(self, document_iri: str) -> int:
        """Replace the comparisons touching this document; returns how many it now has."""
        with _WRITE_LOCK:
            started = dt.datetime.now(dt.UTC)
            found = list(self._verdicts(document_iri))
            triples = list(self._triples(document_iri, found, started))
            run = run_iri(self.base_iri, document_iri)
            update = sparql.replace_comparisons_update(
                self.analysis_iri, document_iri, run, triples
            )
            scope = sparql.comparisons_scope(
                self.analysis_iri, document_iri, run, _agent_iri(self.base_iri)
            )
            self.store.update(update, scope)
        return len(found)

    # --- reading ------------------------------------------------------------------------------

    def _select(self, query: str, **bindings: str) -> list[Row]:
        return self.store.select(query, bindings)

    def _verdicts(self, document_iri: str) -> Iterator[Found]:
        """Each claim of the document against the other documents' claims about the same thing,
        at most `MAX_PER_STATUS` of each status per claim (in claim IRI order), so the cost of
        a document stays flat when hundreds of articles count the same thing."""
        kept: Counter[tuple[str, Status]] = Counter()
        for own, other, verdict in self._all_verdicts(document_iri):
            if kept[own.claim, verdict.status] < MAX_PER_STATUS:
                kept[own.claim, verdict.status] += 1
                yield own, other, verdict

    def _all_verdicts(self, document_iri: str) -> Iterator[Found]:
        doc = {"document": iri_term(document_iri)}
        quantities = _first_per_claim(
            _quantity(r) for r in self._select(sparql.DOCUMENT_QUANTITIES, **doc)
        )
        for key in sorted({q.key for q in quantities}):
            others = self._quantities_for(key)
            for own in (q for q in quantities if q.key == key):
                for other in others:
                    verdict = compare_quantities(own, other)
                    if verdict is not None:
                        yield own, other, verdict
        dates = _first_per_claim(_date_side(r) for r in self._select(sparql.DOCUMENT_DATES, **doc))
        for key in sorted({d.key for d in dates}):
            rows = self._select(sparql.CANDIDATE_DATES, key=literal_term(key))
            others = sorted(_first_per_claim(_date_side(r) for r in rows), key=lambda d: d.claim)
            for own in (d for d in dates if d.key == key):
                for other in others:
                    verdict = compare_dates(own, other)
                    if verdict is not None:
                        yield own, other, verdict

    def _quantities_for(self, key: str) -> list[QuantitySide]:
        """Claims with this key, a key it refines, or a key that refines it (any document)."""
        rows: list[Row] = []
        for general in key_generalisations(key):
            rows += self._select(sparql.CANDIDATE_QUANTITIES, key=literal_term(general))
        rows += self._select(sparql.REFINING_QUANTITIES, suffix=literal_term(f"-{key}"))
        return sorted(_first_per_claim(_quantity(r) for r in rows), key=lambda side: side.claim)

    # --- writing ------------------------------------------------------------------------------

    def _triples(
        self, document_iri: str, found: list[Found], started: dt.datetime
    ) -> Iterator[ox.Triple]:
        run = ox.NamedNode(run_iri(self.base_iri, document_iri))
        agent = ox.NamedNode(_agent_iri(self.base_iri))

        def node(term: object) -> ox.NamedNode:
            return ox.NamedNode(str(term))

        def when(moment: dt.datetime) -> ox.Literal:
            return ox.Literal(moment.isoformat(), datatype=node(XSD.dateTime))

        yield ox.Triple(run, node(RDF.type), node(PROV.Activity))
        yield ox.Triple(run, node(PROV.used), ox.NamedNode(document_iri))
        yield ox.Triple(run, node(PROV.wasAssociatedWith), agent)
        yield ox.Triple(run, node(PROV.startedAtTime), when(started))
        yield ox.Triple(run, node(PROV.endedAtTime), when(dt.datetime.now(dt.UTC)))
        yield ox.Triple(agent, node(RDF.type), node(PROV.SoftwareAgent))
        yield ox.Triple(agent, node(SDO.name), ox.Literal("factgraph"))
        yield ox.Triple(agent, node(SDO.softwareVersion), ox.Literal(__version__))
        for own, other, verdict in found:
            comparison = ox.NamedNode(comparison_iri(self.base_iri, own.claim, other.claim))
            yield ox.Triple(comparison, node(RDF.type), node(FG.ClaimComparison))
            yield ox.Triple(comparison, node(FG.status), node(FG[verdict.status.value]))
            yield ox.Triple(comparison, node(FG.reason), ox.Literal(verdict.reason))
            yield ox.Triple(comparison, node(PROV.wasGeneratedBy), run)
            for side in (own, other):
                yield ox.Triple(comparison, node(FG.comparedClaim), ox.NamedNode(side.claim))
                yield ox.Triple(comparison, node(PROV.wasDerivedFrom), ox.NamedNode(side.claim))
                yield ox.Triple(comparison, node(FG.comparedDocument), ox.NamedNode(side.document))


def drop_document(store: Store, base_iri: str, document_iri: str) -> bool:
    """Remove a document's graph and every comparison touching it, in one UPDATE.

    False (and nothing changed) when no such document is stored.
    """
    analysis = analysis_graph_iri(base_iri)
    with _WRITE_LOCK:
        if not store.has_graph(document_iri):
            return False
        run = run_iri(base_iri, document_iri)
        update = sparql.delete_document_update(analysis, document_iri, run)
        agent = _agent_iri(base_iri)
        store.update(
            update, sparql.comparisons_scope(analysis, document_iri, run, agent, graph=True)
        )
    return True
