"""Keeps `<{base}graph/analysis>` in step with the documents, one document at a time.

When a document is committed, only its claims are compared: with each other (two sources in
one article can disagree) and with claims of other documents that share their key (found by
key, so the cost follows the related claims, not the store), and the comparisons touching the
document are replaced in one UPDATE. When a document is deleted, its graph, its comparisons
and its run go in one UPDATE. The whole store is never recomputed. One `AnalysisWriter` per
store serialises these read-compare-write cycles with its lock, so two of them can never
interleave and leave a comparison to a claim that is gone; the composition root builds it
once and hands it to the ingest flow and the API.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import pyoxigraph as ox

from service import __version__
from service.analysis.compare import (
    DateSide,
    QuantitySide,
    Status,
    Verdict,
    compare_dates,
    compare_quantities,
    key_generalisations,
    keys_compatible,
)
from service.rdf import iris
from service.rdf.vocab import FG, PROV, RDF, SDO, XSD
from service.read.appearances import near_copies_of
from service.read.rows import Row, decimal, first_per, local_name
from service.sparql import DataBlock, fill, load, with_rows
from service.store import QueryError, Store, iri_term, literal_term

__all__ = ["AnalysisWriter"]

log = logging.getLogger("factgraph.analysis")

# Comparisons kept per claim and status: every status still shows (a conflict is never crowded
# out by corroborations), while the writes per document stay bounded however many articles
# count the same thing.
MAX_PER_STATUS = 3

Side = TypeVar("Side", QuantitySide, DateSide)
# One verdict: the document's own claim, the other document's claim, and how they compare.
Found = tuple[QuantitySide | DateSide, QuantitySide | DateSide, Verdict]


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _quantity(row: Row) -> QuantitySide | None:
    value = decimal(row["value"])
    if value is None or not row["key"] or not row["claim"] or not row["document"]:
        return None
    return QuantitySide(
        claim=row["claim"],
        document=row["document"],
        key=row["key"],
        value=value,
        comparator=local_name(row["comparator"]),
        minimum=decimal(row["min"]),
        maximum=decimal(row["max"]),
        unit=row["unit"],
        location=row["location"],
        location_name=row["locationName"],
        time=row["time"],
        time_start=_date(row["timeStart"]),
        time_end=_date(row["timeEnd"]),
        mention=row["mention"],
        predicate=row["predicate"],
        predicate_key=row["predicateKey"],
        nature=local_name(row["nature"]) or None,
        event=row["event"],
        event_key=row["eventKey"],
        claimant=row["claimant"],
        published=_date(row["published"]),
        sentence=row["sentence"],
        statement=row["statement"],
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
        claimant=row["claimant"],
    )


def copy_corroborates_its_original(verdict: Verdict, other: str, copies: set[str]) -> bool:
    """A corroboration by a near-copy of the document (syndication) is no independent
    corroboration, so it is not stored; a copy that disagrees with its original still shows."""
    return verdict.status is Status.CORROBORATION and other in copies


def _sides(rows: Iterable[Row], side: Callable[[Row], Side | None]) -> list[Side]:
    """One side per claim (OPTIONAL joins may repeat a claim, e.g. a place with two names)."""
    return [found for row in first_per(rows, "claim") if (found := side(row)) is not None]


class AnalysisWriter:
    """The one writer of a store's analysis graph: compares a committed document's claims
    (it is the Ingestor's `after_commit` hook) and drops deleted documents, one at a time."""

    def __init__(self, store: Store, base_iri: str) -> None:
        self.store = store
        self.base_iri = base_iri
        self.analysis = ox.NamedNode(iris.analysis_graph(base_iri))
        self._lock = threading.Lock()
        self._lateral = True  # until the store refuses a LATERAL query

    def __call__(self, document_iri: str) -> None:
        """Never lets a comparison failure undo or hide an ingest: it is logged instead."""
        try:
            self.compare_document(document_iri)
        except Exception:
            log.exception("comparing the claims of %s failed", document_iri)

    def compare_document(self, document_iri: str) -> int:
        """Replace the comparisons touching this document; returns how many it now has."""
        with self._lock:
            started = dt.datetime.now(dt.UTC)
            found = list(self._verdicts(document_iri))
            run = ox.NamedNode(iris.comparison_run(self.base_iri, document_iri))
            data = DataBlock.of(self._triples(document_iri, run, found, started))
            self.store.update(
                fill(
                    load("analysis/replace_comparisons.ru"),
                    analysis=self.analysis,
                    document=ox.NamedNode(document_iri),
                    run=run,
                    data=data,
                ),
                trial=False,  # one document's comparisons: bounded, and on every ingest
            )
        return len(found)

    def drop_document(self, document_iri: str) -> bool:
        """Remove a document's graph and every comparison touching it, in one UPDATE.

        False (and nothing changed) when no such document is stored.
        """
        with self._lock:
            if not self.store.has_graph(document_iri):
                return False
            self.store.update(
                fill(
                    load("analysis/delete_document.ru"),
                    analysis=self.analysis,
                    document=ox.NamedNode(document_iri),
                    run=ox.NamedNode(iris.comparison_run(self.base_iri, document_iri)),
                ),
                trial=False,
            )
        return True

    # --- reading ------------------------------------------------------------------------------

    def _select(self, name: str, **bindings: str) -> list[Row]:
        return self.store.select(load(f"analysis/{name}.rq"), bindings)

    def _verdicts(self, document_iri: str) -> Iterator[Found]:
        """Each claim of the document against its other claims and the other documents' claims
        about the same thing, each pair once, at most `MAX_PER_STATUS` of each status per claim
        (in claim IRI order), so the cost of a document stays flat when hundreds of articles
        count the same thing."""
        kept: Counter[tuple[str, Status]] = Counter()
        pairs: set[frozenset[str]] = set()
        copies = near_copies_of(self.store, document_iri)
        for own, other, verdict in self._all_verdicts(document_iri):
            if copy_corroborates_its_original(verdict, other.document, copies):
                continue
            pair = frozenset((own.claim, other.claim))
            if pair not in pairs and kept[own.claim, verdict.status] < MAX_PER_STATUS:
                pairs.add(pair)
                kept[own.claim, verdict.status] += 1
                yield own, other, verdict

    def _all_verdicts(self, document_iri: str) -> Iterator[Found]:
        doc = {"document": iri_term(document_iri)}
        quantities = _sides(self._select("quantity_claims", **doc), _quantity)
        for key in sorted({q.key for q in quantities}):
            # the document's own claims from its own graph: a popular key's 60 newest
            # candidates need not include them
            others = [q for q in self._quantities_for(key) if q.document != document_iri]
            others += [q for q in quantities if keys_compatible(q.key, key)]
            for own in (q for q in quantities if q.key == key):
                for other in others:
                    verdict = compare_quantities(own, other)
                    if verdict is not None:
                        yield own, other, verdict
        dates = _sides(self._select("date_claims", **doc), _date_side)
        for key in sorted({d.key for d in dates}):
            found = self._candidates("candidate_dates", "date_claims", _date_side,
                                     key=literal_term(key))
            others = [d for d in found if d.document != document_iri]
            others += [d for d in dates if d.key == key]
            for own in (d for d in dates if d.key == key):
                for other in others:
                    verdict = compare_dates(own, other)
                    if verdict is not None:
                        yield own, other, verdict

    def _quantities_for(self, key: str) -> list[QuantitySide]:
        """Claims with this key, a key it refines, or a key that refines it (any document)."""
        found: list[QuantitySide] = []
        for general in key_generalisations(key):
            found += self._candidates("candidate_quantities", "quantity_claims", _quantity,
                                      key=literal_term(general))
        found += self._candidates("refining_quantities", "quantity_claims", _quantity,
                                  suffix=literal_term(f"-{key}"))
        return sorted({side.claim: side for side in found}.values(), key=lambda s: s.claim)

    def _candidates(self, name: str, details: str, side: Callable[[Row], Side | None],
                    **bindings: str) -> list[Side]:
        """The claims a candidate query picks, with what the comparison reads of them, in claim
        IRI order. Read in one query with LATERAL where the store has it (Oxigraph); a SPARQL
        1.1 server without it (Virtuoso) refuses that query once, and from then on gets the
        `_portable` query of the claims and `details` for those with a VALUES row each (on
        Oxigraph that way is about 5 times slower)."""
        if self._lateral:
            try:
                rows = self._select(name, **bindings)
                return sorted(_sides(rows, side), key=lambda found: found.claim)
            except QueryError:
                log.info("the store has no LATERAL: comparing with plain SPARQL 1.1 queries")
                self._lateral = False
        picked = self._select(f"{name}_portable", **bindings)
        pairs = {(r["document"], r["claim"]) for r in picked if r["document"] and r["claim"]}
        if not pairs:
            return []
        rows = [(iri_term(document), iri_term(claim)) for document, claim in sorted(pairs)]
        text = with_rows(load(f"analysis/{details}.rq"), ("document", "claim"), rows)
        return sorted(_sides(self.store.select(text), side), key=lambda found: found.claim)

    # --- writing ------------------------------------------------------------------------------

    def _triples(
        self, document_iri: str, run: ox.NamedNode, found: list[Found], started: dt.datetime
    ) -> Iterator[ox.Triple]:
        agent = ox.NamedNode(iris.software(self.base_iri, __version__))

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
            comparison = ox.NamedNode(iris.comparison(self.base_iri, own.claim, other.claim))
            yield ox.Triple(comparison, node(RDF.type), node(FG.ClaimComparison))
            yield ox.Triple(comparison, node(FG.status), node(FG[verdict.status.value]))
            yield ox.Triple(comparison, node(FG.reason), ox.Literal(verdict.reason))
            yield ox.Triple(comparison, node(PROV.wasGeneratedBy), run)
            for side in (own, other):
                yield ox.Triple(comparison, node(FG.comparedClaim), ox.NamedNode(side.claim))
                yield ox.Triple(comparison, node(PROV.wasDerivedFrom), ox.NamedNode(side.claim))
                yield ox.Triple(comparison, node(FG.comparedDocument), ox.NamedNode(side.document))
