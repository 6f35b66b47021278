"""Ingest on a Dask cluster: each document prepared by a Dask worker and stored by it in a
store that many writers share (a SPARQL server, `sparql+http://...`).

The client plans the jobs as a local ingest does (`plan_jobs`: known appearances and
near-copies, read from the shared store), then submits one task per document. A worker runs the
same `Preparer` as a local worker process (spaCy and the shapes loaded once per worker, by
`PreparerPlugin`) and stores the graph with `commit_prepared`: one request that replaces the
document's graph. A task whose worker dies or that raises is run again by Dask (`retries`,
and the scheduler's own rescheduling of a lost worker's tasks); as the write replaces the
graph, a document written twice is still stored once, whole. The client hears the results in
input order and runs the claim comparisons (one writer of the analysis graph).

Why workers write: the client would otherwise carry every graph over the network and be the
one writer; with the workers writing, the store's own concurrency is the limit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from distributed import Client, Future, WorkerPlugin, get_worker

from service.pipeline.documents import Document
from service.pipeline.extraction import ExtractorConfig
from service.pipeline.ingest import IngestResult, commit_prepared, plan_jobs
from service.pipeline.prepare import Job, Preparer
from service.store import Store

__all__ = ["PLUGIN", "ClusterIngestor", "PreparerPlugin", "StoreAccess", "prepare_and_store"]

PLUGIN = "factgraph-preparer"


@dataclass(frozen=True, slots=True)
class StoreAccess:
    """How a worker opens the shared store (picklable: it travels to every worker)."""

    location: str
    base_iri: str
    username: str | None = None
    password: str | None = None

    def open(self) -> Store:
        from service.store.open import open_store

        return open_store(
            self.location, base_iri=self.base_iri, username=self.username,
            password=self.password,
        )


class PreparerPlugin(WorkerPlugin):
    """Gives each Dask worker, once, a `Preparer` and a connection to the shared store."""

    name = PLUGIN

    def __init__(self, config: ExtractorConfig, store: StoreAccess) -> None:
        self.config = config
        self.store_access = store
        self.preparer: Preparer | None = None
        self.store: Store | None = None

    def setup(self, worker: object) -> None:
        del worker
        self.preparer = Preparer(self.config)
        self.store = self.store_access.open()

    def teardown(self, worker: object) -> None:
        del worker
        if self.store is not None:
            self.store.close()


def prepare_and_store(job: Job) -> IngestResult:
    """A Dask task: prepare one document on this worker and store it in the shared store."""
    plugin = get_worker().plugins[PLUGIN]
    if not isinstance(plugin, PreparerPlugin) or plugin.preparer is None or plugin.store is None:
        raise RuntimeError("this Dask worker has no factgraph preparer (plugin not set up)")
    (prepared,) = plugin.preparer.extract([job])
    return commit_prepared(plugin.store, job, prepared)  # type: ignore[arg-type]


class ClusterIngestor:
    """The `Ingestor` of a Dask cluster: the same `ingest` and `close`."""

    def __init__(
        self,
        client: Client,
        store: Store,
        access: StoreAccess,
        config: ExtractorConfig,
        *,
        retries: int = 2,
        after_commit: Callable[[str], None] | None = None,
    ) -> None:
        if config.checks is None:
            raise ValueError("the workers must validate: give an ExtractorConfig with checks")
        self.client = client
        self.store = store
        self.access = access
        self.retries = retries
        self.after_commit = after_commit
        client.register_plugin(PreparerPlugin(config, access))

    def ingest(self, documents: Iterable[Document]) -> Iterator[IngestResult]:
        """One result per document, in order, each once its task has stored it (or failed
        on every try). Each job is submitted as soon as it is planned, so the workers start
        while the next ones are looked up."""
        run = uuid.uuid4().hex
        started = dt.datetime.now(dt.UTC)
        pending: deque[tuple[Job, Future]] = deque()
        for n, job in enumerate(plan_jobs(self.store, self.access.base_iri, documents, started)):
            future = self.client.submit(
                prepare_and_store, job, key=f"factgraph-{run}-{n}", retries=self.retries,
                pure=False,
            )
            pending.append((job, future))
            while pending and pending[0][1].done():
                yield self._finish(*pending.popleft())
        while pending:
            yield self._finish(*pending.popleft())

    def _finish(self, job: Job, future: Future) -> IngestResult:
        """The task's result (waiting for it), its claims compared once stored."""
        try:
            result: IngestResult = future.result()
        except Exception as exc:  # every try failed: the document is not stored
            result = IngestResult(
                job.document, job.iri, stored=False,
                failed=f"the cluster failed on it {self.retries + 1} times: "
                f"{type(exc).__name__}: {exc}",
            )
        finally:
            future.release()
        if result.stored and self.after_commit is not None:
            self.after_commit(result.iri)
        return result

    def close(self) -> None:
        """Leave the cluster (its workers keep their models for the next client)."""
        self.client.close()
