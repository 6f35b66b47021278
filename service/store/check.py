"""Is a store whole, and is what is derived from its documents in step with them?

A document is stored in one transaction (its graph), and its claim comparisons in a second one
after it (`service.analysis.writer`), so a process killed between the two leaves a document
whose comparisons lag: none at all, or those of an earlier version of it. `check_store` finds
that and every other way a store can be out of step:

- documents: each graph named as a document holds its document node, passes the shapes (when
  a validator is given), and no document node sits in another graph (half moved or doubled);
- derived data: each document's comparisons were made after its extraction; no comparison
  touches a document or claim that is gone; each is one status, one run and two claims; no
  comparison run outlives its document.

`bring_up_to_date` repairs the derived part (documents are never changed: a broken one is
reported, and only its owner can send it again). The server and the CLI ingest call it when
they open a store, `factgraph check --repair` on demand.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox
from rdflib import Graph, URIRef

from service.rdf import iris
from service.rdf.vocab import new_graph
from service.sparql import fill, load
from service.store.base import Store, iri_term, literal_term

__all__ = [
    "Comparer",
    "Problem",
    "StoreCheck",
    "bring_up_to_date",
    "check_store",
    "document_graph",
    "lagging_derived",
]

log = logging.getLogger("factgraph.store")

if TYPE_CHECKING:  # the shapes' validator loads pySHACL; the server starts without it
    from service.pipeline.validate import Validator

_NTRIPLES = "application/n-triples"


class Comparer(Protocol):
    """What rebuilds one document's comparisons (`service.analysis.AnalysisWriter`)."""

    def compare_document(self, document_iri: str) -> int: ...


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong: what is wrong, with which node, and whether `--repair` mends it."""

    kind: str
    node: str
    detail: str
    repairable: bool


@dataclass(slots=True)
class StoreCheck:
    """What `check_store` found."""

    document_iris: list[str] = field(default_factory=list)  # every document stored
    validated: int = 0  # documents checked against the shapes
    problems: list[Problem] = field(default_factory=list)
    lagging: list[str] = field(default_factory=list)  # documents to compare again
    stale: list[str] = field(default_factory=list)  # derived nodes to remove

    @property
    def documents(self) -> int:
        return len(self.document_iris)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def repairable(self) -> bool:
        """True when every problem is in derived data, which `bring_up_to_date` rebuilds."""
        return all(problem.repairable for problem in self.problems)


Instant = dt.datetime | None


def _instant(text: str | None) -> Instant:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _documents_compared(store: Store, base_iri: str) -> dict[str, tuple[Instant, Instant]]:
    """Each stored document: when its extraction ended, when its claims were last compared."""
    rows = store.select(
        load("check/documents.rq"),
        {
            "prefix": literal_term(iris.documents_prefix(base_iri)),
            "analysis": iri_term(iris.analysis_graph(base_iri)),
        },
    )
    documents: dict[str, tuple[Instant, Instant]] = {}
    for row in rows:  # OPTIONAL joins may repeat a document: keep the latest of each
        extracted, compared = documents.get(row["document"] or "", (None, None))
        documents[row["document"] or ""] = (
            _latest(extracted, _instant(row["extracted"])),
            _latest(compared, _instant(row["compared"])),
        )
    return documents


def _derived(store: Store, base_iri: str, found: StoreCheck) -> None:
    """Every stored document; those whose comparisons lag; derived nodes no document backs."""
    documents = _documents_compared(store, base_iri)
    found.document_iris = list(documents)
    for iri, (extracted, compared) in documents.items():
        if compared is None:
            why = "its claims were never compared"
        elif extracted is not None and compared < extracted:
            why = "its comparisons are older than its graph"
        else:
            continue
        found.lagging.append(iri)
        found.problems.append(Problem("lagging", iri, why, True))
    analysis = {"analysis": iri_term(iris.analysis_graph(base_iri))}
    for row in store.select(load("check/stale_comparisons.rq"), analysis):
        node = row["node"] or ""
        if node not in found.stale:
            found.stale.append(node)
            found.problems.append(Problem("stale", node, f"it {row['why']}", True))
        document = row["document"]
        if document and document not in found.lagging:
            found.lagging.append(document)


def _latest(a: Instant, b: Instant) -> Instant:
    return max((x for x in (a, b) if x is not None), default=None)


def _documents(store: Store, base_iri: str, found: StoreCheck) -> None:
    """Document graphs without their document node, and document nodes outside their graph."""
    prefix = {"prefix": literal_term(iris.documents_prefix(base_iri))}
    for row in store.select(load("check/headless_graphs.rq"), prefix):
        found.problems.append(
            Problem("partial", row["graph"] or "", "a document graph without its document", False)
        )
    for row in store.select(load("check/misplaced_documents.rq")):
        found.problems.append(
            Problem(
                "doubled",
                row["document"] or "",
                f"the document is also stated in the graph {row['graph']}",
                False,
            )
        )


def document_graph(store: Store, iri: str) -> Graph | None:
    """A stored graph read back as rdflib reads it; None when it is not there."""
    chunks = store.graph_triples(iri, _NTRIPLES)
    if chunks is None:
        return None
    return new_graph(URIRef(iri)).parse(data=b"".join(chunks), format="nt")


def _shapes(store: Store, documents: list[str], validator: Validator, found: StoreCheck) -> None:
    """Each document graph against the shapes, as the ingest checked it before storing it."""
    for iri in documents:
        graph = document_graph(store, iri)
        if graph is None:
            continue
        report = validator.validate(graph)
        found.validated += 1
        if not report.conforms:
            first = report.results[0].message if report.results else None
            more = len(report.results) - 1
            extra = f" (and {more} more violations)" if more > 0 else ""
            detail = f"{first or 'the graph does not conform to the shapes'}{extra}"
            found.problems.append(Problem("invalid", iri, detail, False))


def check_store(store: Store, base_iri: str, validator: Validator | None = None) -> StoreCheck:
    """Everything found wrong with the store; with a `validator`, every document graph is
    also checked against the shapes (a few tens of ms a document)."""
    found = StoreCheck()
    _derived(store, base_iri, found)
    _documents(store, base_iri, found)
    if validator is not None:
        _shapes(store, found.document_iris, validator, found)
    return found


def lagging_derived(store: Store, base_iri: str) -> StoreCheck:
    """Only the derived part of `check_store`: what opening a store has time for."""
    found = StoreCheck()
    _derived(store, base_iri, found)
    return found


def bring_up_to_date(
    store: Store, base_iri: str, comparer: Comparer, found: StoreCheck | None = None
) -> StoreCheck:
    """Rebuild the derived data that lags the documents (found anew unless `found` is given):
    stale comparisons and runs removed, each lagging document's comparisons made again.
    Returns what was found (and is now mended)."""
    found = found if found is not None else lagging_derived(store, base_iri)
    analysis = ox.NamedNode(iris.analysis_graph(base_iri))
    for node in found.stale:
        removal = fill(load("check/delete_derived.ru"), analysis=analysis, node=ox.NamedNode(node))
        store.update(removal, trial=False)
    for document in found.lagging:
        comparisons = comparer.compare_document(document)
        log.info("compared %s again: %d comparisons", document, comparisons)
    if found.stale or found.lagging:
        log.warning(
            "derived data was out of step with the documents (a process stopped mid-write?): "
            "%d stale comparisons or runs removed, %d documents compared again",
            len(found.stale),
            len(found.lagging),
        )
    return found
