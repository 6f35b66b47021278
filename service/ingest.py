"""The forward flow for a batch of documents: extract -> graph -> validate -> store.

Each document is stored whole or not at all: a graph that fails validation is rejected with
its report and the store is not touched for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language

from service import __version__
from service.documents import Document
from service.extract import extract_documents
from service.graph import RunInfo, build_document_graph, document_iri, graph_counts, to_ntriples
from service.store import Store
from service.validate import ValidationReport, Validator

__all__ = ["IngestResult", "Ingestor"]


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What happened to one document."""

    document: Document
    iri: str
    stored: bool
    statements: int = 0
    quantities: int = 0
    dates: int = 0
    actors: int = 0
    triples: int = 0
    report: ValidationReport | None = None  # set when the graph did not conform
    fault: str | None = None  # set when no graph could be built: a fault of the extractor

    @property
    def reason(self) -> str | None:
        """Why the document was not stored, in one sentence."""
        if self.fault:
            return f"no graph could be built from the extraction: {self.fault}"
        if self.report is not None and not self.report.conforms:
            first = self.report.results[0].message if self.report.results else None
            more = len(self.report.results) - 1
            extra = f" (and {more} more violations)" if more > 0 else ""
            return f"rejected by validation: {first or 'the graph does not conform'}{extra}"
        return None

    def counts(self) -> dict[str, int]:
        return {
            "statements": self.statements,
            "quantities": self.quantities,
            "dates": self.dates,
            "actors": self.actors,
            "triples": self.triples,
        }


class Ingestor:
    """Holds the loaded pipeline and shapes, so each batch pays only for its own documents."""

    def __init__(
        self, store: Store, nlp: Language, validator: Validator, *, base_iri: str, batch_size: int
    ) -> None:
        self.store = store
        self.nlp = nlp
        self.validator = validator
        self.base_iri = base_iri
        self.batch_size = batch_size

    def ingest(self, documents: Iterable[Document]) -> Iterator[IngestResult]:
        """Ingest in nlp.pipe batches; yields one result per document, in order."""
        docs = list(documents)
        started = dt.datetime.now(dt.UTC)
        for document, extraction in zip(
            docs, extract_documents(self.nlp, docs, batch_size=self.batch_size), strict=True
        ):
            run = RunInfo(
                software_version=__version__,
                started=started,
                ended=dt.datetime.now(dt.UTC),
            )
            iri = document_iri(self.base_iri, document)
            counts = graph_counts(extraction)
            try:
                graph = build_document_graph(
                    document, extraction, base_iri=self.base_iri, run=run
                )
            except ValueError as exc:  # one bad record loses its document, not the batch
                yield IngestResult(document, iri, stored=False, fault=str(exc), **counts)
                continue
            report = self.validator.validate(graph)
            if not report.conforms:
                yield IngestResult(document, iri, stored=False, report=report, **counts)
                continue
            data = to_ntriples(graph)
            self.store.replace_graph(iri, data)
            yield IngestResult(document, iri, stored=True, triples=len(graph), **counts)
