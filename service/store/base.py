"""The store interface every backend implements (embedded Oxigraph now; remote SPARQL later).

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
    """The query cannot be run as written (syntax error, bad IRI); the message is the parser's."""


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

    def replace_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Replace the named graph with these triples, in one transaction: all or nothing."""

    def drop_graph(self, graph_iri: str) -> bool:
        """Remove a named graph; True when it existed."""

    def has_graph(self, graph_iri: str) -> bool: ...

    def update(self, sparql: str, graphs: Sequence[str] | None = None) -> None:
        """Run a SPARQL UPDATE request as one transaction (for the service's own derived writes).

        `graphs` names the graphs the update may change, so the store can keep its quad count
        exact by recounting only them; None means any graph. Raises QueryError when the update
        cannot be parsed. Never reachable from a client's /sparql query.
        """

    def query(
        self,
        sparql: str,
        accept: Sequence[str],
        dataset: Dataset | None = None,
    ) -> SerializedResult:
        """Run a query; serialise the result in the first media type of `accept` that fits.

        Raises QueryError for a query that cannot be parsed, UnsupportedFormatError when no
        media type in `accept` fits the result form. The default graph is the union of all
        named graphs unless `dataset` says otherwise.
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

    def quad_count(self) -> int: ...

    def close(self) -> None: ...
