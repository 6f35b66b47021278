"""The embedded store: pyoxigraph (RocksDB on disk), queried and serialised by Oxigraph itself.

Oxigraph is the engine (fast SPARQL, W3C-conformant serialisers, GIL released while it works);
this module only maps the service's `Store` interface onto it.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import queue
import threading
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from service.rdf.vocab import prefixes
from service.sparql import DataBlock, fill, load
from service.sparql.outbound import refuse_outbound
from service.sparql.text import matches_patterns, refuse_deep_nesting
from service.store.base import (
    Dataset,
    QueryError,
    QuerySyntaxError,
    SerializedResult,
    UnsupportedFormatError,
)
from service.store.evaluate import Functions, evaluate, execute, graph_node, parse_term
from service.store.formats import EXPORT_FORMATS, GRAPH_STORE_MEDIA_TYPES
from service.store.jsonld import compact_jsonld_graphs
from service.store.offline import close_network
from service.store.workers import QueryLimits, QueryWorkers
from service.textindex.function import TextFunction
from service.textindex.index import TextIndex

__all__ = ["OxigraphStore", "QueryLimits", "StoreInUseError"]

_EXPORT_FORMATS: tuple[ox.RdfFormat, ...] = tuple(
    ox.RdfFormat.from_media_type(media_type) for media_type in EXPORT_FORMATS.values()
)

_GRAPH_FORMATS: tuple[ox.RdfFormat, ...] = tuple(
    ox.RdfFormat.from_media_type(media_type) for media_type in GRAPH_STORE_MEDIA_TYPES
)
_CHUNK_QUEUE = 16  # chunks (about 8 KiB each) buffered between Oxigraph's writer and the reader
FLUSH_BYTES = 16 * 2**20  # bytes of writes (N-Triples, update text) between flushes


class StoreInUseError(OSError):
    """Another process holds the store directory (RocksDB's LOCK): one process at a time."""


def _plain(term: Any) -> str | None:
    """An IRI's string, a literal's lexical form, a blank node's label (`_:id`); None if unbound."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


class _ChunkWriter:
    """A file-like sink for Oxigraph's serialisers that hands chunks to a bounded queue."""

    def __init__(self, chunks: queue.Queue[bytes | BaseException | None]) -> None:
        self._chunks = chunks
        self.cancelled = threading.Event()

    def write(self, data: bytes) -> int:
        while True:
            if self.cancelled.is_set():
                raise OSError("the reader stopped reading the export")
            try:
                self._chunks.put(bytes(data), timeout=0.5)
                return len(data)
            except queue.Full:
                continue

    def flush(self) -> None:
        """Nothing buffered here."""


class _ChunkReader(io.RawIOBase):
    """The chunks of `_stream` as a file, for a parser that reads one."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._rest:
            self._rest = next(self._chunks, b"")
            if not self._rest:
                return 0
        size = min(len(buffer), len(self._rest))
        buffer[:size] = self._rest[:size]
        self._rest = self._rest[size:]
        return size


def _stream(produce: Any) -> Iterator[bytes]:
    """Run `produce(sink)` in a thread and yield what it writes, with bounded memory."""
    chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=_CHUNK_QUEUE)
    sink = _ChunkWriter(chunks)

    def run() -> None:
        try:
            produce(sink)
        except BaseException as exc:  # handed to the reader, which re-raises it
            if not sink.cancelled.is_set():
                chunks.put(exc)
            return
        chunks.put(None)

    worker = threading.Thread(target=run, name="factgraph-export", daemon=True)
    worker.start()
    try:
        while (item := chunks.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        sink.cancelled.set()
        while worker.is_alive():  # let a blocked writer see the cancellation
            with contextlib.suppress(queue.Empty):
                chunks.get(timeout=0.1)


class OxigraphStore:
    """The `Store` over pyoxigraph; `path=None` keeps everything in memory (tests).

    `base_iri`, when given, resolves relative IRIs in queries (the service's public base).
    With `limits`, clients' queries (`query()`) run in worker processes over checkpoints kept
    beside the store (`.<name>.checkpoints/`), stopped at the time limit; the service's own
    reads (`select()`, exports) stay in this process. An in-memory store has no checkpoints,
    so its queries run here, with the size limit but no time limit.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        base_iri: str | None = None,
        limits: QueryLimits | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.base_iri = base_iri
        self.limits = limits
        self.prefixes = prefixes()  # Turtle and TriG answers declare them, JSON-LD's context
        # Writes go through this object one at a time, so the quad count is kept without a
        # scan: len() of a pyoxigraph store walks an index (0.3 s a million quads on disk).
        # Graph writes keep it exact; an update() may change any graph, so it drops it.
        self._write_lock = threading.Lock()
        self._quads: int | None = None  # None: counted on the next demand, then kept up to date
        self._generation = 0  # bumped by every write: checkpoints older than it are stale
        self._unflushed = 0  # bytes of writes since RocksDB last wrote its buffers to disk
        try:
            self._store: ox.Store | None = ox.Store(str(path) if path is not None else None)
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreInUseError(
                    f"the store at {path} is in use by another process (its LOCK is held); "
                    f"stop that process or use another store directory ({exc})"
                ) from None
            raise OSError(f"cannot open the store at {path}: {exc}") from None
        self._workers: QueryWorkers | None = None
        self._workers_lock = threading.Lock()
        self._text: TextFunction | None = None  # fg:textScore, once a text index is attached
        self._updater: ThreadPoolExecutor | None = None  # the offline thread updates run on

    @property
    def _db(self) -> ox.Store:
        if self._store is None:
            raise RuntimeError("the store is closed")
        return self._store

    # --- writes -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _writing(self, *graphs: ox.NamedNode | ox.DefaultGraph, size: int = 0) -> Iterator[None]:
        """One write at a time (of about `size` bytes of text); the quad count follows the
        `graphs` it touches."""
        with self._write_lock:
            counted = self._quads is not None
            before = sum(self._graph_size(g) for g in graphs) if counted else 0
            try:
                yield
            finally:
                self._generation += 1
                if counted and self._quads is not None:
                    self._quads += sum(self._graph_size(g) for g in graphs) - before
                self._written(size)

    def _written(self, size: int) -> None:
        """RocksDB keeps writes in memory buffers until it chooses to flush them, and let
        alone it lets them grow by ~70 MB every hundred documents ingested (measured over 800):
        a long ingest's memory would grow with the archive. Flushed every FLUSH_BYTES of
        writes instead, the buffers stay small (~20 MB over the same 800)."""
        self._unflushed += size
        if self._unflushed >= FLUSH_BYTES:
            self._unflushed = 0
            self._db.flush()

    def replace_graph(self, graph_iri: str | None, ntriples: bytes) -> None:
        """Replace a graph atomically.

        The data is parsed first (nothing is touched if it does not parse); then DROP + INSERT
        DATA run as ONE SPARQL update request, which Oxigraph applies in one transaction:
        readers see the old graph or the new one, never a mix or nothing.
        """
        graph = _target(graph_iri)
        data = _checked_data(graph_iri, ntriples)
        if isinstance(graph, ox.DefaultGraph):
            update = fill(load("store/embedded/replace_default_graph.ru"), data=data)
        else:
            update = fill(load("store/embedded/replace_graph.ru"), graph=graph, data=data)
        with self._writing(graph, size=len(ntriples)):
            self._db.update(update)

    def add_triples(self, graph_iri: str | None, ntriples: bytes) -> None:
        """Merge triples into a graph (created, even when empty) in one transaction."""
        graph = _target(graph_iri)
        data = _checked_data(graph_iri, ntriples)
        if isinstance(graph, ox.DefaultGraph):
            update = fill(load("store/embedded/add_default_triples.ru"), data=data)
        else:
            update = fill(load("store/embedded/add_triples.ru"), graph=graph, data=data)
        with self._writing(graph, size=len(ntriples)):
            self._db.update(update)

    def drop_graph(self, graph_iri: str | None) -> bool:
        """Remove a named graph, or empty the default one (one transaction); True when it
        existed (the default graph: when it held triples)."""
        graph = _target(graph_iri)
        with self._writing(graph):
            if isinstance(graph, ox.DefaultGraph):
                existed = self._graph_size(graph) > 0
                self._db.clear_graph(graph)
            else:
                existed = self._db.contains_named_graph(graph)
                if existed:
                    self._db.remove_graph(graph)
        return existed

    def _offline(self) -> ThreadPoolExecutor:
        """The one thread that runs clients' updates, in a network namespace of its own."""
        with self._workers_lock:
            if self._updater is None:
                self._updater = ThreadPoolExecutor(
                    1, thread_name_prefix="factgraph-update", initializer=close_network
                )
            return self._updater

    def update(self, sparql: str, *, trial: bool = True) -> None:
        """A client's SPARQL UPDATE request, applied by Oxigraph in one transaction, under the
        write lock. SERVICE and LOAD are refused, and the update runs on a thread that has no
        network, so it cannot fetch from anywhere. With query workers, it is first tried on a
        copy of the store in a worker, within the query time and memory limits, when it has a
        WHERE (the rest are linear in their text): pyoxigraph cannot stop an update, so one
        that would hold the write lock too long never starts (the trial costs ~0.2 s). The
        service's own updates (`trial=False`: one document's comparisons, a judgement) skip it:
        an ingest would pay it for every document.

        It may change any graph, so the quad count is dropped: the next `quad_count()`
        rescans the store.
        """
        refuse_deep_nesting(sparql, "update")
        refuse_outbound(sparql, update=True)
        workers = self._query_workers()
        if trial and workers is not None and matches_patterns(sparql):  # tried on a copy, where
            workers.try_update(sparql)  # the time limit can stop it
        with self._write_lock:
            try:
                self._offline().submit(self._db.update, sparql, base_iri=self.base_iri).result()
            except SyntaxError as exc:
                raise QuerySyntaxError(str(exc), "update") from None
            except OSError as exc:  # e.g. LOAD, refused to fetch
                raise QueryError(str(exc), "update") from None
            finally:
                self._generation += 1
                self._written(len(sparql))
            # A failed update changed nothing; this one may have changed any graph.
            self._quads = None

    def _count(self, query: str) -> int:
        """The `?n` of a COUNT query, counted by Oxigraph (no Python object per quad)."""
        rows = self._db.query(query)
        count = int(next(iter(rows))["n"].value)  # type: ignore[index]
        del rows  # pyoxigraph's iterators must be dropped on the thread that made them
        return count

    def _graph_size(self, graph: ox.NamedNode | ox.DefaultGraph) -> int:
        """Quads in one graph: an index range, O(size of the graph), not of the store."""
        if isinstance(graph, ox.DefaultGraph):  # the store's own, not the union
            return self._count(load("store/embedded/count_default_graph.rq"))
        return self._count(fill(load("store/count_graph.rq"), graph=graph))

    def has_graph(self, graph_iri: str) -> bool:
        return self._db.contains_named_graph(graph_node(graph_iri))

    # --- reads --------------------------------------------------------------------------------

    def generation(self) -> int:
        return self._generation

    def checkpoint(self, target: Path) -> int:
        """A RocksDB checkpoint (hard links) for the query workers and for backups; no write
        runs meanwhile."""
        with self._write_lock:
            self._db.backup(str(target))
            return self._generation

    def attach_text_index(self, function_iri: str, index: TextIndex) -> None:
        """Answer `function_iri` (fg:textScore) from `index` in clients' queries: here, and in
        the query workers, which open the index's directory read-only. Before the first query:
        the workers are started with it."""
        self._text = TextFunction(function_iri, index)

    @property
    def text_index(self) -> TextIndex | None:
        """The text index attached (closed with the store), if any."""
        return self._text.index if self._text is not None else None

    def _functions(self) -> Functions | None:
        return self._text.functions() if self._text is not None else None

    def _query_workers(self) -> QueryWorkers | None:
        if self.limits is None or self.path is None or self.limits.workers < 1:
            return None
        if self._workers is None:
            with self._workers_lock:
                if self._workers is None:
                    root = self.path.parent / f".{self.path.name}.checkpoints"
                    # the query workers read the index's directory (an index in memory: none)
                    text, index = self._text, self.text_index
                    self._workers = QueryWorkers(
                        self, root, self.limits, self.base_iri, self.prefixes,
                        (text.iri, str(index.path)) if text and index and index.path else (),
                    )
        return self._workers

    def query(
        self,
        sparql: str,
        accept: Sequence[str],
        dataset: Dataset | None = None,
    ) -> SerializedResult:
        """Run a client's query (never an update: Oxigraph's query parser refuses those)."""
        refuse_deep_nesting(sparql)
        workers = self._query_workers()
        if workers is not None:
            return workers.query(sparql, accept, dataset)
        max_bytes = self.limits.max_result_bytes if self.limits else None
        federation = self.limits.federation if self.limits else ()
        return execute(
            self._db, sparql, accept, dataset, self.base_iri, max_bytes, federation, self.prefixes,
            self._functions(),
        )

    def select(
        self, sparql: str, bindings: Mapping[str, str] | None = None
    ) -> list[dict[str, str | None]]:
        """SELECT rows as plain strings; each binding substituted by the engine (SEP-0007).

        A substituted variable must appear in the SELECT projection (Oxigraph's rule).
        """
        substitutions = {
            ox.Variable(name): parse_term(term) for name, term in (bindings or {}).items()
        }
        result = evaluate(
            self._db, sparql, None, self.base_iri, substitutions, functions=self._functions()
        )
        error: QueryError | None = None
        rows: list[dict[str, str | None]] = []
        try:
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows = [{name: _plain(row[name]) for name in names} for row in result]
            else:
                error = QueryError("select() runs SELECT queries only")
        except (OSError, RuntimeError, ValueError) as exc:
            error = QueryError(str(exc))
        finally:
            del result  # pyoxigraph's iterators must be dropped on the thread that made them
        if error is not None:
            raise error.with_traceback(None)
        return rows

    def graph_triples(self, graph_iri: str | None, media_type: str) -> Iterator[bytes] | None:
        """One graph as a triple format, in chunks, from one snapshot; None when it is absent."""
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt not in _GRAPH_FORMATS:
            raise UnsupportedFormatError(
                f"cannot serve a graph as {media_type!r}; use one of: "
                f"{', '.join(GRAPH_STORE_MEDIA_TYPES)}"
            )
        graph = _target(graph_iri)
        if isinstance(graph, ox.NamedNode) and not self._db.contains_named_graph(graph):
            return None
        db = self._db

        def produce(sink: IO[bytes]) -> None:
            triples = (q.triple for q in db.quads_for_pattern(None, None, None, graph))
            ox.serialize(triples, sink, fmt, prefixes=self.prefixes)

        return _stream(produce)

    def export(self, media_type: str) -> Iterator[bytes]:
        """The dataset in chunks; the format is checked now, before the first chunk.

        Quad formats (TriG, N-Quads, JSON-LD) keep the named graphs; triple formats (Turtle,
        N-Triples) give the union of all graphs. Oxigraph writes from one snapshot. JSON-LD is
        compacted a graph at a time from that snapshot's N-Quads (Oxigraph writes it expanded).
        """
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt not in _EXPORT_FORMATS:
            raise UnsupportedFormatError(
                f"cannot export as {media_type!r}; use one of: "
                f"{', '.join(f.media_type for f in _EXPORT_FORMATS)}"
            )
        db = self._db
        if fmt == ox.RdfFormat.JSON_LD:

            def produce(sink: IO[bytes]) -> None:
                nquads = _stream(lambda out: db.dump(out, ox.RdfFormat.N_QUADS))
                quads = ox.parse(_ChunkReader(nquads), ox.RdfFormat.N_QUADS)
                graphs = (
                    ox.serialize(list(group), format=fmt) or b""
                    for _, group in itertools.groupby(quads, key=lambda quad: quad.graph_name)
                )
                for chunk in compact_jsonld_graphs(graphs, self.prefixes):
                    sink.write(chunk)

        elif fmt.supports_datasets:

            def produce(sink: IO[bytes]) -> None:
                db.dump(sink, fmt, prefixes=self.prefixes)

        else:

            def produce(sink: IO[bytes]) -> None:
                everything = load("store/embedded/all_triples.rq")
                triples = db.query(everything, use_default_graph_as_union=True)
                ox.serialize(triples, sink, fmt, prefixes=self.prefixes)  # type: ignore[arg-type]

        return _stream(produce)

    def quad_count(self) -> int:
        """Every quad in the store: scanned (O(n)) when not known, then O(1), kept exact by the
        graph writes until an `update()`."""
        if self._quads is None:
            with self._write_lock:
                if self._quads is None:
                    self._quads = len(self._db)
        return self._quads

    def close(self) -> None:
        """Stop the query workers, flush to disk and release the directory's lock."""
        if self._updater is not None:
            self._updater.shutdown()
            self._updater = None
        if self._workers is not None:
            self._workers.close()
            self._workers = None
        if self._text is not None and self._text.index is not None:
            self._text.index.close()
            self._text = None
        if self._store is None:
            return
        if self.path is not None:
            self._store.flush()
        self._store = None

    def __repr__(self) -> str:
        return f"OxigraphStore({str(self.path) if self.path else 'in memory'})"


def _target(graph_iri: str | None) -> ox.NamedNode | ox.DefaultGraph:
    """A graph name as Oxigraph's node; None is the default graph."""
    return ox.DefaultGraph() if graph_iri is None else graph_node(graph_iri)


def _checked_data(graph_iri: str | None, ntriples: bytes) -> DataBlock:
    """The triples re-serialised by Oxigraph, so that nothing but data reaches INSERT DATA."""
    try:
        triples = [q.triple for q in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)]
    except SyntaxError as exc:
        where = graph_iri or "the default graph"
        raise ValueError(f"the data for {where} is not valid N-Triples: {exc}") from None
    return DataBlock.of(triples)
