"""The forward flow for a batch of documents: extract -> graph -> validate -> store.

Each document is stored whole or not at all: a text the extractor cannot read within its
budget, or a graph that fails validation, is rejected with the reason and the store is not
touched for it; the other documents go on.

`plan_jobs` and `commit_prepared` are the two ends every ingest shares, on one machine
(`Ingestor`) or on a Dask cluster (`service.pipeline.distributed`); between them a
`Preparer` extracts, builds and validates each document wherever it runs.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, overload

from service.pipeline.documents import Document
from service.pipeline.extraction import ExtractionFailure
from service.pipeline.graph import document_iri
from service.pipeline.prepare import Job, Prepared
from service.pipeline.syndication import (
    BatchIndex,
    find_near_copies,
    merge_appearances,
    merge_raw_pages,
    stored_appearances,
    stored_raw_pages,
)
from service.pipeline.validate import ValidationReport
from service.store import Store

__all__ = ["IngestResult", "Ingestor", "JobRunner", "commit_prepared", "plan_jobs"]


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
    failed: str | None = None  # set when the worker running it failed on every try (Dask)

    @property
    def reason(self) -> str | None:
        """Why the document was not stored, in one sentence."""
        if self.unreadable:
            return self.unreadable
        if self.failed:
            return self.failed
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


class JobRunner(Protocol):
    """Prepares jobs, one result per job in order: `ExtractionWorkers` (a process per core)
    or a `Preparer` (this process)."""

    def extract(self, jobs: Sequence[Job]) -> Iterator[Prepared | ExtractionFailure]: ...

    def close(self) -> None: ...


def plan_jobs(
    store: Store, base_iri: str, documents: Iterable[Document], started: dt.datetime
) -> Iterator[Job]:
    """Each document as a job, one after the other: with every known appearance of its text
    and every page it was extracted from (those stored, and those of the same text earlier in
    this batch) and its near-copies (stored, or earlier in this batch), so that a worker needs
    no store to build its graph, which replaces the stored one whole."""
    latest: dict[str, Document] = {}
    batch = BatchIndex()
    for document in documents:
        iri = document_iri(base_iri, document)
        earlier = latest.get(iri)
        if earlier is not None:
            known, pages = earlier.all_appearances, earlier.raw_pages
        else:
            known = tuple(stored_appearances(store, iri))
            pages = tuple(stored_raw_pages(store, iri))
        merged = merge_raw_pages(merge_appearances(document, known, started), pages)
        latest[iri] = merged
        copies = tuple(find_near_copies(store, merged, iri, batch))
        yield Job(merged, iri, started, copies)


def commit_prepared(
    store: Store,
    job: Job,
    prepared: Prepared | ExtractionFailure,
    after_commit: Callable[[str], None] | None = None,
) -> IngestResult:
    """Store a prepared document's graph in one request (replacing any earlier one), or say
    why it is not stored; `after_commit` hears of it once stored."""
    if isinstance(prepared, ExtractionFailure):
        return IngestResult(job.document, job.iri, stored=False, unreadable=prepared.reason)
    if prepared.ntriples is None:
        return IngestResult(
            job.document, job.iri, stored=False, report=prepared.report, fault=prepared.fault,
            **prepared.counts,
        )
    store.replace_graph(job.iri, prepared.ntriples)
    if after_commit is not None:
        after_commit(job.iri)
    return IngestResult(
        job.document, job.iri, stored=True, triples=prepared.triples, **prepared.counts
    )


class Ingestor:
    """Holds the workers (the model and the shapes loaded in each), so each batch pays only
    for its own documents."""

    def __init__(
        self,
        store: Store,
        workers: JobRunner,
        *,
        base_iri: str,
        after_commit: Callable[[str], None] | None = None,
        overlap: bool = True,
    ) -> None:
        self.store = store
        self.workers = workers
        self.base_iri = base_iri
        # Called on the writer thread with the document's IRI once its graph is stored (the
        # cross-document claim comparisons hang here).
        self.after_commit = after_commit
        # False: each commit runs in this thread, before the next document is read: one step
        # after the other, with a `Preparer`, the yardstick bench/workers.py uses.
        self.overlap = overlap

    def ingest(self, documents: Iterable[Document]) -> Iterator[IngestResult]:
        """Ingest in chunks spread over the workers; yields one result per document, in order.

        Each job is planned (its text's known appearances and near-copies looked up) as it is
        sent, and each worker extracts, builds and validates its documents (spaCy and SHACL
        on every core), while this thread hands the results, in input order, to a writer
        thread that commits them (Oxigraph releases the GIL while it writes) and compares
        their claims. Planning while earlier documents are committed finds what planning
        them all first would: a document's IRI is its text's hash, and one earlier in the
        batch is known by its job whether or not the writer has stored it yet.
        A document is committed only if its graph conforms, and its result is yielded only
        once it is committed.
        """
        documents = list(documents)
        jobs = _Planned(
            plan_jobs(self.store, self.base_iri, documents, dt.datetime.now(dt.UTC)),
            len(documents),
        )
        pending: deque[Future[IngestResult]] = deque()
        writer: Executor = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="factgraph-store")
            if self.overlap
            else _InThisThread()
        )
        with writer:
            for job, prepared in zip(jobs, self.workers.extract(jobs), strict=True):
                pending.append(
                    writer.submit(commit_prepared, self.store, job, prepared, self.after_commit)
                )
                while pending and (len(pending) > _MAX_PENDING or pending[0].done()):
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    def close(self) -> None:
        """Stop the worker processes."""
        self.workers.close()


class _Planned(Sequence[Job]):
    """A batch's jobs, each planned when first asked for: the workers start on the first
    chunk while this thread plans the rest (planning reads the store: a few milliseconds a
    document, the cores idle if every job of a large batch had to be planned first)."""

    def __init__(self, jobs: Iterator[Job], count: int) -> None:
        self._plans = jobs
        self._jobs: list[Job] = []
        self._count = count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Job: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Job]: ...

    def __getitem__(self, index: int | slice) -> Job | Sequence[Job]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError(index)
        index %= self._count
        while len(self._jobs) <= index:
            self._jobs.append(next(self._plans))
        return self._jobs[index]


class _InThisThread(Executor):
    """Runs each call at once, in the caller's thread: the writer of an ingest without overlap."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        done: Future[Any] = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # the caller sees it from result(), as from a thread
            done.set_exception(exc)
        return done


# Prepared documents waiting for the writer (about 180 KB of N-Triples each). While the writer
# is this far behind, this thread waits for it and sends the workers nothing: a window of a few
# chunks lets the workers run on through a slow commit (a large graph, a comparison with many
# candidates) or a burst (a chunk finished early is released all at once, in order, when the
# one before it is in) instead of idling, and still bounds the memory held (~12 MB).
_MAX_PENDING = 64
