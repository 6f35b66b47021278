"""Extraction in worker processes, each document within a time budget.

Each worker loads the spaCy pipeline once and extracts batches of documents with `nlp.pipe`;
the caller gets one result per document, in order. A batch that runs past the sum of its
documents' budgets, or whose worker raises or dies, is taken apart: the worker is killed (a
Python thread could not be stopped), a fresh one starts, and the documents are tried one by
one, so a pathological text fails alone, with a reason, while the others are extracted. The
server and the CLI never wait on a text longer than its budget.

Workers are started with "spawn" (never fork a process that runs threads) and the documents
and records go through pipes as pickles; the extractor itself knows nothing of processes.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import psutil

from service.lifeline import exit_with_parent
from service.pipeline.records import Extraction

if TYPE_CHECKING:
    from service.pipeline.prepare import Prepared

__all__ = [
    "ExtractionFailure",
    "ExtractionWorkers",
    "ExtractorConfig",
    "GraphChecks",
    "budget_seconds",
    "serve_extraction",
]

log = logging.getLogger("factgraph.extraction")

# Texts up to this many characters get the whole budget; longer ones get it in proportion.
BUDGET_CHARACTERS = 50_000
_START_SECONDS = 180.0  # loading spaCy in a new worker on a loaded machine
_TOO_LONG = (
    "the text could not be read within its extraction budget of {seconds:.0f} s "
    "(FACTGRAPH_EXTRACTION_BUDGET); it was stopped, and nothing of it stored"
)
_CHUNKS_PER_WORKER = 2  # an idle worker takes this share of what is left: 1 / (workers * 2)
# A chunk is at most this many nlp.pipe batches: a worker answers each document as soon as its
# batch is through the pipeline, so the writer starts on the first batch's documents while the
# worker reads the rest of its chunk.
_BATCHES_PER_CHUNK = 4
# The last documents of a call, this many a worker, go one at a time, the longest first
# (longest processing time first): a long text started last would keep one worker busy alone.
# A bounded window: their results wait for those before them to be committed in order.
_LAST_ROUND_PER_WORKER = 4
# The workers run below the parent's priority. The parent's single writer is the serial part
# of an ingest: when it gets no more than its share of a busy machine it falls behind, and its
# backlog is committed alone at the end while the other cores sit idle (0.4 s of a 4.7 s run
# of 40 documents on two cores: bench/README.md). The server's queries, in the same process,
# stay quick too.
WORKER_NICENESS = 5
_CRASHED = "the extractor's process stopped while reading this text; nothing of it stored"


class Text(Protocol):
    """What the pool reads of an item it sends: a Document, or a Job holding one."""

    @property
    def text(self) -> str: ...

    @property
    def source(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class GraphChecks:
    """What a worker needs to build and validate graphs too (`service.pipeline.prepare`)."""

    base_iri: str
    shapes_dir: Path
    ontology_dir: Path


@dataclass(frozen=True, slots=True)
class ExtractorConfig:
    """What a worker needs to build the pipeline (picklable: it crosses into the worker)."""

    model: str
    registry: tuple[Path, ...]  # the default registry and the user's file
    batch_size: int = 32
    budget: float = 20.0  # seconds for a text of up to BUDGET_CHARACTERS characters
    # With checks, a worker is sent `Job`s and answers each with a `Prepared`: extracted,
    # graph built and validated (SHACL on every worker's core); without, documents and
    # Extractions.
    checks: GraphChecks | None = None


@dataclass(frozen=True, slots=True)
class ExtractionFailure:
    """A document the extractor could not read; `reason` is one sentence for a person."""

    reason: str


def budget_seconds(document: Text, budget: float) -> float:
    """The seconds a document may take: the budget, more in proportion for long texts."""
    return budget * max(1.0, len(document.text) / BUDGET_CHARACTERS)


def serve_extraction(connection: Connection, config: ExtractorConfig) -> None:
    """A worker's life: build the pipeline, then extract each batch it is sent.

    The protocol, for another `serve` (tests use one): send ("ready",) once; then for each
    (batch, items) received, ("done", batch, n, result) per item in order, or
    ("error", batch, message); return on None. An item is a Document and its result an
    Extraction, or with `config.checks` a Job and a Prepared.
    """
    from service.pipeline.prepare import Preparer

    preparer = Preparer(config)
    connection.send(("ready",))
    while True:
        try:
            message = connection.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if message is None:
            return
        batch, documents = message
        try:
            for n, result in enumerate(preparer.extract(documents)):
                connection.send(("done", batch, n, result))
        except Exception as exc:  # reported, so the parent can try the documents one by one
            connection.send(("error", batch, f"{type(exc).__name__}: {exc}"))


def _run_worker(
    serve: Callable[[Connection, ExtractorConfig], None],
    connection: Connection,
    config: ExtractorConfig,
) -> None:
    """A worker process's entry point: it ends with its parent, yields the cores to it, then
    it serves."""
    exit_with_parent()
    with contextlib.suppress(AttributeError, OSError):  # not a Unix: the same priority
        os.nice(WORKER_NICENESS)
    serve(connection, config)


@dataclass
class _Batch:
    number: int
    indexes: list[int]  # positions in the caller's sequence, in the order sent
    deadline: float = 0.0
    done: int = 0  # results received so far (they come in order)
    alone: bool = False  # a retry of one document: its failure is final


@dataclass
class _Worker:
    process: Any
    connection: Connection
    ready: bool = False
    started: float = field(default_factory=time.monotonic)
    batch: _Batch | None = None
    memory: int | None = None  # bytes resident once the pipeline was loaded

    def resident(self) -> int | None:
        """Bytes of memory the process holds now (None if it cannot be read)."""
        with contextlib.suppress(psutil.Error):
            return psutil.Process(self.process.pid).memory_info().rss
        return None

    def grown(self) -> int:
        """Bytes resident beyond those it held once ready (0 when unknown)."""
        now = self.resident()
        return 0 if now is None or self.memory is None else now - self.memory


# A worker's growth in memory after which a fresh process takes its place (between batches:
# nothing is lost). spaCy's vocabulary and string store and the SHACL engine's caches grow with
# the texts read, so a long ingest (a WARC archive, a feed watched for days) would grow without
# end. Measured on PolNeAR articles: 0.15 MB a document over 200 in one process (235 -> 264
# MB), 0.6 to 0.9 MB a document over a worker's first 40. A fresh one costs its start (imports
# and the model: 2-3 s of a core), so the limit is on memory, not a count of documents: texts
# that grow it fast (pages full of unseen tokens) recycle it sooner, ordinary news seldom.
RECYCLE_GROWTH = 512 * 2**20


def _chunk(left: int, workers: int, batch_size: int) -> int:
    """An idle worker's share of the `left` documents, halved, at most a few nlp.pipe
    batches."""
    share = -(-left // (workers * _CHUNKS_PER_WORKER))
    return max(1, min(batch_size * _BATCHES_PER_CHUNK, share))


class _Waiting:
    """The documents of one `extract` call not yet sent, in order, and retries before them.

    Chunks shrink as the call goes on (guided scheduling): an idle worker takes its share of
    what is left, halved, at most a few nlp.pipe batches. Early chunks are large enough to
    batch well; the last round goes one document at a time, the longest first, so no worker
    is left finishing a long text alone while the others sit idle.
    """

    def __init__(self, documents: Sequence[Text], workers: int, batch_size: int) -> None:
        self.documents = documents
        self.workers = workers
        self.batch_size = batch_size
        self.cursor = 0  # the first document of the in-order part never sent
        self.last_round: deque[int] = deque()  # the last documents, longest first
        self.retries: deque[int] = deque()  # documents to try one by one, first

    def __bool__(self) -> bool:
        return bool(self.retries or self.last_round) or self.cursor < len(self.documents)

    def next(self) -> tuple[list[int], bool]:
        """The next chunk's documents, and whether it is one document tried alone."""
        if self.retries:
            return [self.retries.popleft()], True
        left = range(self.cursor, len(self.documents))
        if 0 < len(left) <= self.workers * _LAST_ROUND_PER_WORKER:
            self.last_round.extend(sorted(left, key=lambda i: -len(self.documents[i].text)))
            self.cursor = len(self.documents)
        if self.last_round:
            return [self.last_round.popleft()], False
        size = _chunk(len(left), self.workers, self.batch_size)
        start, self.cursor = self.cursor, self.cursor + size
        return list(range(start, self.cursor)), False

    def retry_alone(self, indexes: Sequence[int]) -> None:
        """These documents (of a failed chunk) go first, each in a chunk of its own."""
        self.retries.extendleft(reversed(indexes))


class ExtractionWorkers:
    """A pool of extraction processes, started on first use and kept until `close()`."""

    def __init__(
        self,
        config: ExtractorConfig,
        workers: int = 1,
        serve: Callable[[Connection, ExtractorConfig], None] | None = None,
    ) -> None:
        self.config = config
        self.size = max(1, workers)
        self._serve = serve or serve_extraction  # what a worker runs (a module-level function)
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        self._batches = 0

    # --- workers ------------------------------------------------------------------------------

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_run_worker,
            args=(self._serve, theirs, self.config),
            name="factgraph-extract",
            daemon=True,
        )
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def _replace(self, worker: _Worker) -> _Worker:
        self._stop(worker)
        fresh = self._start()
        self._workers[self._workers.index(worker)] = fresh
        return fresh

    @staticmethod
    def _stop(worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(5)
        worker.connection.close()

    def close(self) -> None:
        """Stop every worker (each is asked first, then killed if it does not end)."""
        for worker in self._workers:
            with contextlib.suppress(OSError, ValueError):  # a worker that already died
                worker.connection.send(None)
        for worker in self._workers:
            worker.process.join(5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(5)
            worker.connection.close()
        self._workers = []

    # --- extraction ---------------------------------------------------------------------------

    def extract(
        self, documents: Sequence[Text]
    ) -> Iterator[Extraction | Prepared | ExtractionFailure]:
        """One result per document (or job), in order, each as soon as it and those before it
        are in."""
        while len(self._workers) < self.size:
            self._workers.append(self._start())
        results: dict[int, Extraction | Prepared | ExtractionFailure] = {}
        waiting = _Waiting(documents, self.size, self.config.batch_size)
        next_out = 0
        while next_out < len(documents):
            while next_out in results:
                yield results.pop(next_out)
                next_out += 1
            if next_out >= len(documents):
                break
            self._dispatch(documents, waiting)
            self._collect(documents, results, waiting)

    def chunk_size(self, documents: int) -> int:
        """Documents sent to an idle worker when `documents` are still to be sent."""
        return _chunk(documents, self.size, self.config.batch_size)

    def _dispatch(self, documents: Sequence[Text], waiting: _Waiting) -> None:
        for worker in self._workers:
            if not waiting or not worker.ready or worker.batch is not None:
                continue
            indexes, alone = waiting.next()
            self._batches += 1
            batch = _Batch(self._batches, indexes, alone=alone)
            batch.deadline = time.monotonic() + sum(
                budget_seconds(documents[i], self.config.budget) for i in indexes
            )
            worker.batch = batch
            worker.connection.send((batch.number, [documents[i] for i in indexes]))

    def _collect(self, documents: Sequence[Text], results: dict, waiting: _Waiting) -> None:
        """Wait for the next message or deadline, and act on it."""
        now = time.monotonic()
        deadlines = [
            w.batch.deadline if w.batch else w.started + _START_SECONDS
            for w in self._workers
            if w.batch is not None or not w.ready
        ]
        timeout = max(0.0, min(deadlines) - now) if deadlines else None
        ready = wait([w.connection for w in self._workers], timeout)
        for worker in list(self._workers):
            if worker.connection in ready:
                self._read(worker, documents, results, waiting)
        now = time.monotonic()
        for worker in list(self._workers):
            if worker.batch is not None and now > worker.batch.deadline:
                self._give_up(worker, documents, results, waiting, _TOO_LONG)
            elif not worker.ready and now > worker.started + _START_SECONDS:
                raise RuntimeError("the extraction worker did not start in time")

    def _read(self, worker: _Worker, documents: Sequence[Text], results: dict,
              waiting: _Waiting) -> None:
        try:
            message = worker.connection.recv()
        except (EOFError, OSError):
            if not worker.ready:
                raise RuntimeError(
                    f"the extraction worker stopped while starting (exit code "
                    f"{worker.process.exitcode}); is the spaCy model installed?"
                ) from None
            self._give_up(worker, documents, results, waiting, _CRASHED)
            return
        if message[0] == "ready":
            worker.ready = True
            worker.memory = worker.resident()
            return
        batch = worker.batch
        if batch is None or message[1] != batch.number:
            return  # a late message of a batch already given up
        if message[0] == "done":
            results[batch.indexes[message[2]]] = message[3]
            batch.done += 1
            if batch.done == len(batch.indexes):
                worker.batch = None
                if worker.grown() > RECYCLE_GROWTH:  # idle now: nothing is lost
                    self._replace(worker)
        else:
            why = f"the extractor failed on this text ({message[2][:300]})"
            self._retry_or_fail(batch, documents, results, waiting, why)
            worker.batch = None

    def _give_up(
        self, worker: _Worker, documents: Sequence[Text], results: dict, waiting: _Waiting,
        why: str,
    ) -> None:
        batch = worker.batch
        fresh = self._replace(worker)
        if batch is not None:
            self._retry_or_fail(batch, documents, results, waiting, why)
        fresh.batch = None

    def _retry_or_fail(
        self, batch: _Batch, documents: Sequence[Text], results: dict, waiting: _Waiting,
        why: str,
    ) -> None:
        """The documents of a failed batch still without a result: each tried alone, or, if
        it was tried alone, failed with the reason."""
        left = batch.indexes[batch.done :]
        if not batch.alone:
            waiting.retry_alone(left)
            return
        for index in left:
            seconds = budget_seconds(documents[index], self.config.budget)
            reason = why.format(seconds=seconds) if why == _TOO_LONG else why
            log.warning("%s: %s", documents[index].source or f"document {index}", reason)
            results[index] = ExtractionFailure(reason)
