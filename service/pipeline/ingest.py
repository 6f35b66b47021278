"""The forward flow for a batch of documents: extract -> graph -> validate -> store.

Each document is stored whole or not at all: a text the extractor cannot read within its
budget, or a graph that fails validation, is rejected with the reason and the store is not
touched for it; the other documents go on.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

from service import __version__
from service.pipeline.documents import Document
from service.pipeline.extraction import ExtractionFailure, ExtractionWorkers
from service.pipeline.graph import (
    RunInfo,
    build_document_graph,
    document_iri,
    graph_counts,
    to_ntriples,
)
from service.pipeline.records import Extraction
from service.pipeline.syndication import (
    BatchIndex,
    find_near_copies,
    merge_appearances,
    stored_appearances,
)
from service.pipeline.validate import (
    DocumentGraph,
    ValidationReport,
    Validator,
    ValidatorProcess,
)
from service.store import Store

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
    unreadable: str | None = None  # set when the extractor could not read the text
    fault: str | None = None  # set when no graph could be built: a fault of the extractor

    @property
    def reason(self) -> str | None:
        """Why the document was not stored, in one sentence."""
        if self.unreadable:
            return self.unreadable
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
    """Holds the extraction workers and the shapes, so each batch pays only for its own
    documents."""

    def __init__(
        self,
        store: Store,
        extractor: ExtractionWorkers,
        validator: Validator | ValidatorProcess,
        *,
        base_iri: str,
        after_commit: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.extractor = extractor
        self.validator = validator
        self.base_iri = base_iri
        # Called on the writer thread with the document's IRI once its graph is stored (the
        # cross-document claim comparisons hang here).
        self.after_commit = after_commit

    def ingest(self, documents: Iterable[Document]) -> Iterator[IngestResult]:
        """Ingest in nlp.pipe batches; yields one result per document, in order.

        Four things overlap: the extraction workers read the next documents while this thread
        builds document n's graph, SHACL checks it (in the validator's process, when it has
        one) and the store commits document n-1 on a writer thread (Oxigraph releases the GIL
        while it writes). A document is committed only after its report conforms, and its
        result is yielded only once it is committed.
        """
        started = dt.datetime.now(dt.UTC)
        docs = self._with_appearances(documents, started)
        pending: deque[Future[IngestResult]] = deque()
        batch = BatchIndex()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="factgraph-store") as writer:
            for document, extraction in zip(docs, self._extractions(docs), strict=True):
                if isinstance(extraction, ExtractionFailure):
                    pending.append(self._unreadable(document, extraction))
                    continue
                run = RunInfo(__version__, started, dt.datetime.now(dt.UTC))
                pending.append(self._start(document, extraction, run, writer, batch))
                while pending and (len(pending) > _MAX_PENDING or pending[0].done()):
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    def _extractions(
        self, documents: list[Document]
    ) -> Iterator[Extraction | ExtractionFailure]:
        """One extraction per document, in order; a document whose claims are withheld (a
        language the pipeline does not read) is not read at all and gets an empty one."""
        read = self.extractor.extract([d for d in documents if d.claims_withheld is None])
        for document in documents:
            yield Extraction() if document.claims_withheld is not None else next(read)

    def _with_appearances(
        self, documents: Iterable[Document], now: dt.datetime
    ) -> list[Document]:
        """Each document with every known appearance of its text: those stored, and those of
        the same text earlier in this batch (not stored yet when this one is read)."""
        merged: list[Document] = []
        latest: dict[str, Document] = {}
        for document in documents:
            iri = document_iri(self.base_iri, document)
            if iri in latest:
                known = latest[iri].all_appearances
            else:
                known = tuple(stored_appearances(self.store, iri))
            latest[iri] = merge_appearances(document, known, now)
            merged.append(latest[iri])
        return merged

    def close(self) -> None:
        """Stop the extraction workers and the validator's worker process."""
        self.extractor.close()
        self.validator.close()

    def _unreadable(self, document: Document, failure: ExtractionFailure) -> Future[IngestResult]:
        done: Future[IngestResult] = Future()
        iri = document_iri(self.base_iri, document)
        done.set_result(IngestResult(document, iri, stored=False, unreadable=failure.reason))
        return done

    def _start(
        self,
        document: Document,
        extraction: Extraction,
        run: RunInfo,
        writer: Executor,
        batch: BatchIndex,
    ) -> Future[IngestResult]:
        """Build the graph here; validate and commit it behind the caller's back."""
        iri = document_iri(self.base_iri, document)
        counts = graph_counts(extraction)
        try:
            copies = find_near_copies(self.store, document, iri, batch)
            graph = build_document_graph(
                document, extraction, base_iri=self.base_iri, run=run, near_copies=copies
            )
        except ValueError as exc:  # one bad record loses its document, not the batch
            failed: Future[IngestResult] = Future()
            failed.set_result(IngestResult(document, iri, stored=False, fault=str(exc), **counts))
            return failed
        data = to_ntriples(graph)
        stored = IngestResult(document, iri, stored=True, triples=len(graph), **counts)
        validation = self.validator.submit(DocumentGraph(graph, data))
        return writer.submit(self._commit_if_valid, stored, data, validation)

    def _commit_if_valid(
        self, result: IngestResult, data: bytes, validation: Future[ValidationReport]
    ) -> IngestResult:
        """On the writer thread: store the graph only when its report conforms."""
        report = validation.result()
        if not report.conforms:
            return replace(result, stored=False, triples=0, report=report)
        self.store.replace_graph(result.iri, data)
        if self.after_commit is not None:
            self.after_commit(result.iri)
        return result


_MAX_PENDING = 3  # documents in flight behind extraction: enough to overlap, little memory held
