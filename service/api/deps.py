"""What routes depend on, from the app's state: the store, the settings, the ingestor."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from service.analysis import AnalysisWriter
from service.settings import Settings
from service.store import Store
from service.textindex.sync import TextIndexer

if TYPE_CHECKING:  # importing the ingest flow loads spaCy; the app must start without it
    from service.pipeline.ingest import Ingestor

__all__ = [
    "AnalysisDep",
    "IngestQueueFullError",
    "IngestUnavailableError",
    "IngestorHolder",
    "IngestorsDep",
    "SettingsDep",
    "StoreDep",
    "TextIndexDep",
    "get_analysis",
    "get_ingestors",
    "get_settings",
    "get_store",
]


class IngestUnavailableError(RuntimeError):
    """The app was built without an ingest pipeline."""


class IngestQueueFullError(RuntimeError):
    """As many documents wait to be ingested as the queue holds (503, try again later)."""


class IngestorHolder:
    """Builds the Ingestor on first use (loading spaCy is slow), once, and runs one at a time.

    The spaCy pipeline is not made for concurrent calls, and pySHACL changes rdflib globals
    while it works, so ingestion is serialised; SPARQL queries are not held back by it. At most
    `queue` documents wait behind the one being ingested: each waiting request holds a server
    thread, so an unbounded queue would let a burst of posts take every thread.
    """

    def __init__(self, factory: Callable[[], Ingestor] | None, queue: int = 4) -> None:
        self._factory = factory
        self._ingestor: Ingestor | None = None
        self._build_lock = threading.Lock()
        self._run_lock = threading.Lock()
        self._queue = queue
        self._admitted = 0  # the document being ingested and those waiting
        self._admit_lock = threading.Lock()

    @contextmanager
    def admitted(self) -> Iterator[None]:
        """A place in the queue for one document while it waits and is ingested;
        IngestQueueFullError when every place is taken."""
        with self._admit_lock:
            if self._admitted > self._queue:
                raise IngestQueueFullError(
                    f"the ingest queue is full (one document being read, {self._queue} "
                    "waiting: FACTGRAPH_INGEST_QUEUE); post this one again later"
                )
            self._admitted += 1
        try:
            yield
        finally:
            with self._admit_lock:
                self._admitted -= 1

    @property
    def loaded(self) -> bool:
        return self._ingestor is not None

    def get(self) -> Ingestor:
        if self._factory is None:
            raise IngestUnavailableError(
                "this server was started without the ingest pipeline; it serves what is stored"
            )
        if self._ingestor is None:
            with self._build_lock:
                if self._ingestor is None:
                    self._ingestor = self._factory()
        return self._ingestor

    def close(self) -> None:
        """Release the ingestor's worker process, if one was ever built."""
        with self._build_lock:
            if self._ingestor is not None:
                self._ingestor.close()
                self._ingestor = None

    @contextmanager
    def using(self) -> Iterator[Ingestor]:
        """The ingestor, held exclusively for one batch (blocking: call from a worker thread)."""
        ingestor = self.get()
        with self._run_lock:
            yield ingestor


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_ingestors(request: Request) -> IngestorHolder:
    return request.app.state.ingestors


def get_analysis(request: Request) -> AnalysisWriter:
    return request.app.state.analysis


def get_text(request: Request) -> TextIndexer | None:
    return request.app.state.text


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
IngestorsDep = Annotated[IngestorHolder, Depends(get_ingestors)]
AnalysisDep = Annotated[AnalysisWriter, Depends(get_analysis)]
TextIndexDep = Annotated[TextIndexer | None, Depends(get_text)]
