"""The store interface both backends implement: embedded Oxigraph (`oxigraph.py`) and any SPARQL
1.1 server over HTTP (`remote/`); `open.py` picks one from the store location.

Callers hand it N-Quads-free data: a document's triples as N-Triples bytes and the graph IRI.
Results come back already serialised in the media type asked for, by the backend itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, runtime_checkable

__all__ = [
    "Dataset",
    "QueryError",
    "QueryForm",
    "QueryMemoryError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "ResultTooLargeError",
    "SerializedResult",
    "Store",
    "UnsupportedFormatError",
    "iri_term",
    "literal_term",
]


def iri_term(iri: str) -> str:
    """An IRI as the N-Triples term `Store.select` bindings take; the store checks it."""
    return f"<{iri}>"


def literal_term(text: str) -> str:
    """A string as the N-Triples literal `Store.select` bindings take, escaped to stay one value."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


class QueryError(ValueError):
    """The query or update cannot be run as written (a bad IRI, a function on the wrong type);
    `what` says which ("query" or "update"). The message is the engine's."""

    def __init__(self, message: str, what: str = "query") -> None:
        super().__init__(message)
        self.what = what

    @property
    def sentence(self) -> str:
        """What a person reads: what failed, and the engine's reason."""
        return f"the {self.what} cannot run: {self}"


class QuerySyntaxError(QueryError):
    """The text is not SPARQL; the message is the parser's ("error at 1:18: expected ...")."""

    @property
    def sentence(self) -> str:
        return f"the {self.what} is not valid SPARQL: {self}"


class QueryTimeoutError(RuntimeError):
    """The query ran past the time limit and was stopped (the service answers 503)."""


class QueryMemoryError(RuntimeError):
    """The query needed more memory than a query worker may use; its worker was replaced."""


class ResultTooLargeError(RuntimeError):
    """The serialised result grew past the size limit and its evaluation was stopped."""


class UnsupportedFormatError(ValueError):
    """No serialisation the client accepts exists for this kind of result."""


class QueryForm(StrEnum):
    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"


@dataclass(frozen=True, slots=True)
class Dataset:
    """The SPARQL Protocol's dataset: `default-graph-uri` and `named-graph-uri`."""

    default_graphs: Sequence[str] = field(default_factory=tuple)
    named_graphs: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class SerializedResult:
    body: bytes
    media_type: str
    form: QueryForm


@runtime_checkable
class Store(Protocol):
    """What the rest of the service needs from a quad store."""

    def replace_graph(self, graph_iri: str | None, ntriples: bytes) -> None:
        """Replace a graph with these triples, in one transaction: all or nothing.

        `None` is the store's default graph (the Graph Store Protocol's `?default`).
        """

    def add_triples(self, graph_iri: str | None, ntriples: bytes) -> None:
        """Merge triples into a graph (created if missing), in one transaction."""

    def drop_graph(self, graph_iri: str | None) -> bool:
        """Remove a named graph (or empty the default one); True when it existed / had triples."""

    def has_graph(self, graph_iri: str) -> bool: ...

    def graph_triples(self, graph_iri: str | None, media_type: str) -> Iterator[bytes] | None:
        """One graph serialised as a triple format, in chunks; None when the named graph is absent.

        Raises UnsupportedFormatError (before any chunk) for a media type that is not a triple
        format the store writes.
        """

    def update(self, sparql: str, *, trial: bool = True) -> None:
        """Run a SPARQL UPDATE request as one transaction.

        Raises QueryError when the update cannot be parsed. A client's update reaches it only
        behind the update token, with the Protocol's USING dataset already written into the
        text (service.sparql.text). `trial=False` is for the service's own updates (templates
        of service/sparql whose cost is bounded by one document): a store that tries clients'
        updates on a copy first, within the query limits, skips that for them.
        """

    def query(
        self,
        sparql: str,
        accept: Sequence[str],
        dataset: Dataset | None = None,
    ) -> SerializedResult:
        """Run a client's query; serialise the result in the first media type of `accept` that fits.

        Raises QueryError for a query that cannot be parsed, UnsupportedFormatError when no
        media type in `accept` fits the result form, QueryTimeoutError when it runs past the
        store's time limit (the work is stopped, not abandoned), ResultTooLargeError when the
        serialised result passes the store's size limit. The default graph is the union of all
        named graphs unless `dataset` (or the query's FROM) says otherwise.
        """

    def select(
        self, sparql: str, bindings: Mapping[str, str] | None = None
    ) -> list[dict[str, str | None]]:
        """SELECT rows as plain strings (IRIs and literal lexical forms), for internal use.

        `bindings` maps variable names to IRIs written `<...>` or literals written as
        N-Triples terms; they are substituted by the engine, never pasted into the text.
        """

    def export(self, media_type: str) -> Iterator[bytes]:
        """The whole dataset as a quad format (TriG, N-Quads), in chunks."""

    def quad_count(self) -> int:
        """Quads in the store (for a remote store: in the service's graphs, see `remote/`)."""

    def close(self) -> None: ...
