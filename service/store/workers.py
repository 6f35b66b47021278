"""Clients' queries run in worker processes, so one that runs too long can really be stopped.

pyoxigraph cannot cancel a query from Python, and a thread cannot be killed; a process can.
Each worker opens a read-only checkpoint of the store (RocksDB hard links: about 10 ms, no
copy) and answers queries from it; when the store has changed since, the next query gets a
fresh checkpoint. A query past the time limit gets its worker killed (SIGKILL) and replaced:
its CPU and memory are given back at once, and the other workers keep answering. The
server's own process only waits on a pipe, so `/healthz` and short queries never queue
behind a long one while a worker is free.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import shutil
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from service.store.base import (
    Dataset,
    QueryError,
    QueryForm,
    QueryTimeoutError,
    ResultTooLargeError,
    SerializedResult,
    UnsupportedFormatError,
)

__all__ = ["Checkpoints", "QueryLimits", "QueryWorkers"]

log = logging.getLogger("factgraph.store")

_ERRORS: dict[str, type[Exception]] = {
    cls.__name__: cls for cls in (QueryError, UnsupportedFormatError, ResultTooLargeError)
}


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """How long a client's query may run, how large its result may be, and how many run at once."""

    timeout: float = 30.0
    max_result_bytes: int = 50_000_000
    workers: int = 2


class Checkpoints(Protocol):
    """What the pool needs from the store it serves."""

    def generation(self) -> int:
        """A number that changes with every committed write."""

    def checkpoint(self, target: Path) -> int:
        """Write a consistent read-only copy to `target`; the generation it holds."""


def _serve(conn: Connection, base_iri: str | None, max_bytes: int) -> None:
    """A worker's loop: open the checkpoint named by each request, run the query, reply."""
    import pyoxigraph as ox

    from service.store.evaluate import execute

    opened: tuple[str, Any] | None = None
    try:
        while True:
            path, sparql, accept, default_graphs, named_graphs = conn.recv()
            try:
                if opened is None or opened[0] != path:
                    opened = None  # close the old checkpoint before opening the new one
                    opened = (path, ox.Store.read_only(path))
                dataset = (
                    Dataset(default_graphs, named_graphs)
                    if default_graphs or named_graphs
                    else None
                )
                result = execute(opened[1], sparql, accept, dataset, base_iri, max_bytes)
                conn.send(("ok", result.body, result.media_type, result.form.value))
            except Exception as exc:  # sent back by name; unknown kinds become QueryError
                conn.send(("error", type(exc).__name__, str(exc)))
    except (EOFError, KeyboardInterrupt, BrokenPipeError):
        return  # the server closed the pipe or is shutting down


class _Worker:
    """One worker process and its end of the pipe; `path` is the checkpoint it has open."""

    def __init__(self, context: Any, base_iri: str | None, max_bytes: int) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve,
            args=(child, base_iri, max_bytes),
            name="factgraph-query",
            daemon=True,
        )
        self.process.start()
        child.close()
        self.path: str | None = None

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryWorkers:
    """A fixed pool of query workers over checkpoints kept in `root`."""

    def __init__(self, source: Checkpoints, root: Path, limits: QueryLimits, base_iri: str | None):
        self._source = source
        self._root = root
        self._limits = limits
        self._base_iri = base_iri
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._lock = threading.Lock()
        self._current: tuple[int, Path] | None = None
        self._counter = 0
        shutil.rmtree(root, ignore_errors=True)  # checkpoints of an earlier run
        root.mkdir(parents=True)
        self._workers = [self._spawn() for _ in range(limits.workers)]
        self._idle: queue.Queue[_Worker] = queue.Queue()
        for worker in self._workers:
            self._idle.put(worker)
        self._closed = False

    def _spawn(self) -> _Worker:
        return _Worker(self._context, self._base_iri, self._limits.max_result_bytes)

    def _checkpoint(self) -> Path:
        """The checkpoint of the store as it is now (made if the store changed). Under _lock."""
        generation = self._source.generation()
        if self._current is None or self._current[0] != generation:
            self._counter += 1
            target = self._root / f"{self._counter:06d}"
            self._current = (self._source.checkpoint(target), target)
            in_use = {self._current[1].name, *(Path(w.path).name for w in self._workers if w.path)}
            for old in self._root.iterdir():
                if old.name not in in_use:
                    shutil.rmtree(old, ignore_errors=True)
        return self._current[1]

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            fresh = self._spawn()
            self._workers[self._workers.index(worker)] = fresh
        self._idle.put(fresh)

    def query(
        self, sparql: str, accept: Sequence[str], dataset: Dataset | None
    ) -> SerializedResult:
        """Run a client's query in a worker, within the time limit (waiting for a free worker
        counts toward it)."""
        if self._closed:
            raise RuntimeError("the store is closed")
        timeout = self._limits.timeout
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeoutError(
                f"all {self._limits.workers} query workers stayed busy for {timeout:g} s; "
                "try again shortly"
            ) from None
        with self._lock:
            path = str(self._checkpoint())
            worker.path = path
        graphs = (
            (tuple(dataset.default_graphs), tuple(dataset.named_graphs)) if dataset else ((), ())
        )
        try:
            worker.conn.send((path, sparql, list(accept), *graphs))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                log.warning("query stopped after %.1f s: %.200s", timeout, sparql)
                self._replace(worker)
                raise QueryTimeoutError(
                    f"the query ran longer than the limit of {timeout:g} s and was stopped; "
                    "narrow it (more selective patterns, LIMIT) and try again"
                )
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            log.error("a query worker died: %s", exc)
            self._replace(worker)
            raise QueryTimeoutError(
                "the query stopped its worker process (it may have needed too much memory); "
                "narrow it and try again"
            ) from None
        self._idle.put(worker)
        if reply[0] == "ok":
            _, body, media_type, form = reply
            return SerializedResult(body=body, media_type=media_type, form=QueryForm(form))
        _, kind, message = reply
        raise _ERRORS.get(kind, QueryError)(message)

    def close(self) -> None:
        """Stop every worker and remove the checkpoints."""
        self._closed = True
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.stop()
        shutil.rmtree(self._root, ignore_errors=True)
