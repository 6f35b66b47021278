"""Clients' queries run in worker processes, so one that runs too long can really be stopped.

pyoxigraph cannot cancel a query from Python, and a thread cannot be killed; a process can.
Each worker opens a read-only checkpoint of the store (RocksDB hard links: about 10 ms, no
copy) and answers queries from it; when the store has changed since, the next query gets a
fresh checkpoint. A query past the time limit gets its worker killed (SIGKILL) and replaced:
its CPU and memory are given back at once, and the other workers keep answering. A worker may
allocate `memory_mb` and no more: a query that needs more aborts its worker, which is replaced,
and the client is told so (QueryMemoryError). The server's own process only waits on a pipe,
so `/healthz` and short queries never queue behind a long one while a worker is free.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

from service.sparql.outbound import OutboundRefusedError
from service.store.base import (
    Dataset,
    QueryError,
    QueryForm,
    QueryMemoryError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    SerializedResult,
    UnsupportedFormatError,
)

__all__ = ["Checkpoints", "QueryLimits", "QueryWorkers"]

log = logging.getLogger("factgraph.store")

_ERRORS: dict[str, type[Exception]] = {
    cls.__name__: cls
    for cls in (
        QueryError,
        QuerySyntaxError,
        UnsupportedFormatError,
        ResultTooLargeError,
        OutboundRefusedError,
    )
}
_OUT_OF_MEMORY = "MemoryError"  # Python's own allocation failed in the worker
_TRIAL = "update-"  # the checkpoints updates are tried on, one each, removed after
_TOO_LONG = {
    "query": "the query ran longer than the limit of {timeout:g} s and was stopped; "
    "narrow it (more selective patterns, LIMIT) and try again",
    "update": "the update ran longer than the limit of {timeout:g} s on a copy of the store "
    "and was stopped; nothing was changed. Narrow its WHERE patterns, or split it",
}


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """How long a client's query may run, how large its result may be, how many run at once,
    how much memory each worker may allocate (MB; 0: no limit), and which SPARQL endpoints its
    SERVICE may call (none: the workers have no network)."""

    timeout: float = 30.0
    max_result_bytes: int = 50_000_000
    workers: int = 3
    federation: tuple[str, ...] = ()
    memory_mb: int = 1024

    def memory_error(self) -> QueryMemoryError:
        return QueryMemoryError(
            f"the query needed more than the {self.memory_mb:,} MB of memory a query may use, "
            "and was stopped; narrow it (more selective patterns; ORDER BY, GROUP BY and "
            "DISTINCT hold every row they see) and try again"
        )


class Checkpoints(Protocol):
    """What the pool needs from the store it serves."""

    def generation(self) -> int:
        """A number that changes with every committed write."""

    def checkpoint(self, target: Path) -> int:
        """Write a consistent read-only copy to `target`; the generation it holds."""


class _Worker:
    """One worker process and the two ends of its pipes; `path` is the checkpoint it has open."""

    def __init__(
        self,
        base_iri: str | None,
        limits: QueryLimits,
        prefixes: Mapping[str, str],
        text: Sequence[str] = (),
    ) -> None:
        child_in, to_child = os.pipe()
        from_child, child_out = os.pipe()
        command = [sys.executable, "-m", "service.store.query_worker"]
        arguments = [
            base_iri or "",
            str(limits.max_result_bytes),
            json.dumps(limits.federation),
            str(limits.memory_mb << 20),
            json.dumps(dict(prefixes)),
            str(os.getpid()),  # the worker ends when this process does (service.lifeline)
            json.dumps(list(text)),  # fg:textScore's IRI and the text index's directory
        ]
        self.process = subprocess.Popen(
            [*command, str(child_in), str(child_out), *arguments],
            pass_fds=(child_in, child_out),
            stdin=subprocess.DEVNULL,
        )
        os.close(child_in)
        os.close(child_out)
        self.outbox = Connection(to_child, readable=False)
        self.inbox = Connection(from_child, writable=False)
        self.path: str | None = None

    def stop(self) -> int | None:
        """Kill the process (a no-op when it already died); how it ended (-N: signal N)."""
        self.process.kill()
        self.process.wait(timeout=5)
        self.outbox.close()
        self.inbox.close()
        return self.process.returncode


class QueryWorkers:
    """A fixed pool of query workers over checkpoints kept in `root`."""

    def __init__(
        self,
        source: Checkpoints,
        root: Path,
        limits: QueryLimits,
        base_iri: str | None,
        prefixes: Mapping[str, str] | None = None,
        text: Sequence[str] = (),
    ):
        """`text`: empty, or the IRI of `fg:textScore` and the directory of the index it reads."""
        self._source = source
        self._text = tuple(text)
        self._prefixes = dict(prefixes or {})
        self._root = root
        self._limits = limits
        self._base_iri = base_iri
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
        return _Worker(self._base_iri, self._limits, self._prefixes, self._text)

    def _checkpoint(self) -> Path:
        """The checkpoint of the store as it is now (made if the store changed). Under _lock."""
        generation = self._source.generation()
        if self._current is None or self._current[0] != generation:
            self._counter += 1
            target = self._root / f"{self._counter:06d}"
            self._current = (self._source.checkpoint(target), target)
            in_use = {self._current[1].name, *(Path(w.path).name for w in self._workers if w.path)}
            for old in self._root.iterdir():
                if old.name not in in_use and not old.name.startswith(_TRIAL):
                    shutil.rmtree(old, ignore_errors=True)
        return self._current[1]

    def _replace(self, worker: _Worker) -> int | None:
        """A fresh worker in place of this one; how the old one ended."""
        ended = worker.stop()
        with self._lock:
            if self._closed:  # the pool is closing: no new process may outlive it
                return ended
            fresh = self._spawn()
            self._workers[self._workers.index(worker)] = fresh
        self._idle.put(fresh)
        return ended

    def _take(self, deadline: float) -> _Worker:
        """A free worker, waited for until the deadline."""
        try:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeoutError(
                f"all {self._limits.workers} query workers stayed busy for "
                f"{self._limits.timeout:g} s; try again shortly"
            ) from None

    def _exchange(
        self, worker: _Worker, message: tuple, deadline: float, what: str, sparql: str
    ) -> tuple:
        """Send a worker one job and wait for its reply until the deadline; a worker past it,
        dead, or out of memory is replaced, and the client told why."""
        timeout = self._limits.timeout
        try:
            worker.outbox.send(message)
            if not worker.inbox.poll(max(0.0, deadline - time.monotonic())):
                log.info("%s stopped after %.1f s: %.200s", what, timeout, sparql)
                self._replace(worker)
                raise QueryTimeoutError(_TOO_LONG[what].format(timeout=timeout))
            reply = worker.inbox.recv()
        except (EOFError, OSError) as exc:
            ended = self._replace(worker)
            if self._closed:
                raise RuntimeError(f"the store was closed while the {what} ran") from None
            log.error("a query worker died (%s, exit status %s): %.200s", exc, ended, sparql)
            if ended == -signal.SIGABRT:  # Oxigraph's allocator aborts past RLIMIT_DATA
                raise self._limits.memory_error() from None
            raise QueryTimeoutError(
                f"the {what} stopped its worker process; narrow it and try again"
            ) from None
        if reply[0] == "ok":
            self._idle.put(worker)
            return reply
        _, kind, message_text = reply
        if kind == _OUT_OF_MEMORY:  # its heap may be left in pieces: start afresh
            self._replace(worker)
            raise self._limits.memory_error()
        self._idle.put(worker)
        error = _ERRORS.get(kind, QueryError)
        raise error(message_text, what) if issubclass(error, QueryError) else error(message_text)

    def query(
        self, sparql: str, accept: Sequence[str], dataset: Dataset | None
    ) -> SerializedResult:
        """Run a client's query in a worker, within the time limit (waiting for a free worker
        counts toward it)."""
        if self._closed:
            raise RuntimeError("the store is closed")
        deadline = time.monotonic() + self._limits.timeout
        worker = self._take(deadline)
        with self._lock:
            path = str(self._checkpoint())
            worker.path = path
        graphs = (
            (tuple(dataset.default_graphs), tuple(dataset.named_graphs)) if dataset else ((), ())
        )
        message = ("query", path, sparql, list(accept), *graphs)
        _, body, media_type, form = self._exchange(worker, message, deadline, "query", sparql)
        return SerializedResult(body=body, media_type=media_type, form=QueryForm(form))

    def try_update(self, sparql: str) -> None:
        """Run a client's update in a worker on a copy of the store (a checkpoint of its own,
        thrown away after), within the time and memory limits: pyoxigraph cannot stop an
        update either, so one that would hold the write lock past the limit is refused before
        it reaches the store. Raises as `query` does; returns when the update fits."""
        if self._closed:
            raise RuntimeError("the store is closed")
        deadline = time.monotonic() + self._limits.timeout
        worker = self._take(deadline)
        with self._lock:
            self._counter += 1
            target = self._root / f"{_TRIAL}{self._counter:06d}"
        try:
            self._source.checkpoint(target)
            self._exchange(worker, ("update", str(target), sparql), deadline, "update", sparql)
        finally:
            shutil.rmtree(target, ignore_errors=True)

    def close(self) -> None:
        """Stop every worker and remove the checkpoints."""
        with self._lock:
            self._closed = True
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.stop()
        shutil.rmtree(self._root, ignore_errors=True)
