"""The embedded store: pyoxigraph (RocksDB on disk), queried and serialised by Oxigraph itself.

Oxigraph is the engine (fast SPARQL, W3C-conformant serialisers, GIL released while it works);
this module only maps the service's `Store` interface onto it.
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from service.store.base import (
    Dataset,
    QueryError,
    QueryForm,
    SerializedResult,
    UnsupportedFormatError,
)
from service.store.formats import EXPORT_FORMATS, GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES
from service.store.sparql_text import NOT_KEYWORDS as _NOT_KEYWORDS
from service.store.sparql_text import has_dataset_clause as _has_dataset_clause
from service.store.sparql_text import refuse_service as _refuse_service

__all__ = ["GRAPH_FORMATS", "RESULTS_FORMATS", "OxigraphStore", "parse_term"]

# What query() serves, in the order used when the client accepts anything (first = default).
RESULTS_FORMATS: tuple[ox.QueryResultsFormat, ...] = tuple(
    ox.QueryResultsFormat.from_media_type(media_type) for media_type in RESULTS_MEDIA_TYPES
)
GRAPH_FORMATS: tuple[ox.RdfFormat, ...] = tuple(
    ox.RdfFormat.from_media_type(media_type) for media_type in GRAPH_MEDIA_TYPES
)
_EXPORT_FORMATS: tuple[ox.RdfFormat, ...] = tuple(
    ox.RdfFormat.from_media_type(media_type) for media_type in EXPORT_FORMATS.values()
)

_ANY = "*/*"
_CHUNK_QUEUE = 16  # chunks (about 8 KiB each) buffered between Oxigraph's writer and the reader


def parse_term(term: str) -> ox.NamedNode | ox.Literal:
    """An N-Triples term (`<iri>`, `"lit"`, `"lit"^^<dt>`, `"lit"@en`) as a pyoxigraph term.

    Parsed by Oxigraph's own N-Triples parser as the object of a one-line statement, so a value
    can never become SPARQL syntax. Raises ValueError naming the term when it is not exactly one.
    """
    line = f"<urn:factgraph:s> <urn:factgraph:p> {term} .\n"
    try:
        quads = list(ox.parse(line.encode("utf-8"), ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, UnicodeEncodeError) as exc:
        raise ValueError(f"{term!r} is not an N-Triples IRI or literal: {exc}") from None
    if len(quads) != 1 or not isinstance(quads[0].object, ox.NamedNode | ox.Literal):
        raise ValueError(f"{term!r} is not one N-Triples IRI or literal")
    return quads[0].object


def _graph_node(iri: str, what: str = "graph IRI") -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"{what} {iri!r} is not an absolute IRI: {exc}") from None


def _plain(term: Any) -> str | None:
    """An IRI's string, a literal's lexical form, a blank node's label (`_:id`); None if unbound."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _form_of(result: object, sparql: str) -> QueryForm:
    if isinstance(result, ox.QueryBoolean):
        return QueryForm.ASK
    if isinstance(result, ox.QuerySolutions):
        return QueryForm.SELECT
    text = _NOT_KEYWORDS.sub(" ", sparql)
    return QueryForm.DESCRIBE if re.search(r"\bDESCRIBE\b", text, re.I) else QueryForm.CONSTRUCT


def _pick(accept: Sequence[str], form: QueryForm) -> ox.QueryResultsFormat | ox.RdfFormat:
    """The first media type of `accept` that fits the result form; `*/*` or none = the default."""
    solutions = form in (QueryForm.SELECT, QueryForm.ASK)
    offered: tuple[Any, ...] = RESULTS_FORMATS if solutions else GRAPH_FORMATS
    if not accept:
        return offered[0]
    for media_type in accept:
        if media_type.split(";")[0].strip() == _ANY:
            return offered[0]
        parsed = (
            ox.QueryResultsFormat.from_media_type(media_type)
            if solutions
            else ox.RdfFormat.from_media_type(media_type)
        )
        if parsed in offered:
            return parsed
    kind = "SELECT and ASK results" if solutions else "CONSTRUCT and DESCRIBE results"
    raise UnsupportedFormatError(
        f"none of the accepted media types ({', '.join(accept)}) can serve {kind}; "
        f"use one of: {', '.join(f.media_type for f in offered)}"
    )


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
    """

    def __init__(self, path: str | Path | None = None, *, base_iri: str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.base_iri = base_iri
        # Writes go through this object one at a time, so the quad count stays exact without
        # a scan: len() of a pyoxigraph store walks an index (0.2 s a million quads on disk).
        self._write_lock = threading.Lock()
        self._quads: int | None = None  # counted once on first demand, then kept up to date
        try:
            self._store: ox.Store | None = ox.Store(str(path) if path is not None else None)
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise OSError(
                    f"the store at {path} is in use by another process (its LOCK is held); "
                    f"stop that process or use another store directory ({exc})"
                ) from None
            raise OSError(f"cannot open the store at {path}: {exc}") from None

    @property
    def _db(self) -> ox.Store:
        if self._store is None:
            raise RuntimeError("the store is closed")
        return self._store

    # --- writes -------------------------------------------------------------------------------

    def replace_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Replace a named graph atomically.

        The data is parsed first (nothing is touched if it does not parse); then DROP + INSERT
        DATA run as ONE SPARQL update request, which Oxigraph applies in one transaction:
        readers see the old graph or the new one, never a mix or nothing.
        """
        graph = ox.NamedNode(graph_iri)
        try:
            triples = [q.triple for q in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)]
        except SyntaxError as exc:
            raise ValueError(f"the data for {graph_iri} is not valid N-Triples: {exc}") from None
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        with self._write_lock:
            before = self._graph_size(graph) if self._quads is not None else 0
            self._db.update(
                f"DROP SILENT GRAPH {graph} ;\n"
                f"CREATE SILENT GRAPH {graph} ;\n"
                f"INSERT DATA {{ GRAPH {graph} {{\n{body.decode('utf-8')}}} }}"
            )
            if self._quads is not None:
                self._quads += self._graph_size(graph) - before

    def drop_graph(self, graph_iri: str) -> bool:
        """Remove a named graph (one transaction); True when it existed."""
        graph = ox.NamedNode(graph_iri)
        with self._write_lock:
            if not self._db.contains_named_graph(graph):
                return False
            size = self._graph_size(graph) if self._quads is not None else 0
            self._db.remove_graph(graph)
            if self._quads is not None:
                self._quads -= size
        return True

    def update(self, sparql: str, graphs: Sequence[str] | None = None) -> None:
        """One SPARQL UPDATE request, applied by Oxigraph in one transaction, under the write lock.

        The quad count stays exact by recounting the `graphs` the caller says it writes; with
        None it is dropped and rescanned on the next demand.
        """
        nodes = None if graphs is None else [_graph_node(g) for g in graphs]
        with self._write_lock:
            counted = self._quads is not None and nodes is not None
            before = sum(self._graph_size(n) for n in nodes or ()) if counted else 0
            try:
                self._db.update(sparql, base_iri=self.base_iri)
            except SyntaxError as exc:
                raise QueryError(str(exc)) from None
            if counted and self._quads is not None:
                self._quads += sum(self._graph_size(n) for n in nodes or ()) - before
            else:
                self._quads = None

    def _graph_size(self, graph: ox.NamedNode) -> int:
        """Quads in one graph: an index range, O(size of the graph), not of the store."""
        # `graph` is a validated NamedNode, so its str() is one safe <iri> token.
        rows = self._db.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        count = int(next(iter(rows))["n"].value)  # type: ignore[index]
        del rows  # dropped on this thread (see query())
        return count

    def has_graph(self, graph_iri: str) -> bool:
        return self._db.contains_named_graph(ox.NamedNode(graph_iri))

    # --- reads --------------------------------------------------------------------------------

    def _run(
        self,
        sparql: str,
        dataset: Dataset | None,
        substitutions: dict[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        _refuse_service(sparql)
        options: dict[str, Any] = {"base_iri": self.base_iri}
        if dataset is not None and (dataset.default_graphs or dataset.named_graphs):
            # The Protocol's dataset replaces the query's own; named graphs alone leave an
            # empty default graph, as FROM NAMED alone does.
            options["default_graph"] = [
                _graph_node(g, "default-graph-uri") for g in dataset.default_graphs
            ]
            if dataset.named_graphs:
                options["named_graphs"] = [
                    _graph_node(g, "named-graph-uri") for g in dataset.named_graphs
                ]
        elif not _has_dataset_clause(sparql):
            options["use_default_graph_as_union"] = True
        try:
            return self._db.query(sparql, substitutions=substitutions, **options)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from None
        except RuntimeError as exc:  # e.g. a substituted variable the query does not project
            raise QueryError(str(exc)) from None

    def query(
        self,
        sparql: str,
        accept: Sequence[str],
        dataset: Dataset | None = None,
    ) -> SerializedResult:
        """Run a query (never an update: Oxigraph's query parser refuses those).

        pyoxigraph's result iterators must be dropped on the thread that made them, so no
        exception raised here may keep one alive in its traceback.
        """
        result = self._run(sparql, dataset)
        error: Exception | None = None
        try:
            form = _form_of(result, sparql)
            chosen = _pick(accept, form)
            # Evaluation is lazy: errors such as a bad IRI() surface while serialising.
            body = result.serialize(format=chosen)  # type: ignore[arg-type]
        except UnsupportedFormatError as exc:
            error = exc
        except (OSError, ValueError, RuntimeError) as exc:
            error = QueryError(str(exc))
        finally:
            del result
        if error is not None:
            raise error.with_traceback(None)
        return SerializedResult(body=body or b"", media_type=chosen.media_type, form=form)

    def select(
        self, sparql: str, bindings: Mapping[str, str] | None = None
    ) -> list[dict[str, str | None]]:
        """SELECT rows as plain strings; each binding substituted by the engine (SEP-0007).

        A substituted variable must appear in the SELECT projection (Oxigraph's rule).
        """
        substitutions = {
            ox.Variable(name): parse_term(term) for name, term in (bindings or {}).items()
        }
        result = self._run(sparql, None, substitutions or None)
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
            del result  # dropped on this thread (see query())
        if error is not None:
            raise error.with_traceback(None)
        return rows

    def export(self, media_type: str) -> Iterator[bytes]:
        """The dataset in chunks; the format is checked now, before the first chunk.

        Quad formats (TriG, N-Quads, JSON-LD) keep the named graphs; triple formats (Turtle,
        N-Triples) give the union of all graphs. Oxigraph writes from one snapshot.
        """
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt not in _EXPORT_FORMATS:
            raise UnsupportedFormatError(
                f"cannot export as {media_type!r}; use one of: "
                f"{', '.join(f.media_type for f in _EXPORT_FORMATS)}"
            )
        db = self._db
        if fmt.supports_datasets:

            def produce(sink: IO[bytes]) -> None:
                db.dump(sink, fmt)

        else:

            def produce(sink: IO[bytes]) -> None:
                triples = db.query(
                    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
                )
                triples.serialize(sink, fmt)  # type: ignore[union-attr]

        return _stream(produce)

    def quad_count(self) -> int:
        """Every quad in the store: scanned once (O(n)), then O(1), kept exact by the writes."""
        if self._quads is None:
            with self._write_lock:
                if self._quads is None:
                    self._quads = len(self._db)
        return self._quads

    def close(self) -> None:
        """Flush to disk and release the directory's lock (by dropping the last reference)."""
        if self._store is None:
            return
        if self.path is not None:
            self._store.flush()
        self._store = None

    def __repr__(self) -> str:
        return f"OxigraphStore({str(self.path) if self.path else 'in memory'})"
