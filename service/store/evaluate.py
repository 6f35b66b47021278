"""Running one SPARQL query on a pyoxigraph store and serialising its result, with a size cap.

Shared by the embedded store (its own queries, in process) and the query workers (clients'
queries, in processes that can be stopped), so both answer exactly alike. Imports only
pyoxigraph and the store interface: a worker process starts fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import pyoxigraph as ox

from service.sparql.outbound import refuse_outbound
from service.sparql.text import blank_non_keywords, has_dataset_clause
from service.store.base import (
    Dataset,
    QueryError,
    QueryForm,
    QuerySyntaxError,
    ResultTooLargeError,
    SerializedResult,
    UnsupportedFormatError,
)
from service.store.formats import GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES
from service.store.jsonld import compact_jsonld

__all__ = [
    "GRAPH_FORMATS",
    "RESULTS_FORMATS",
    "evaluate",
    "execute",
    "graph_node",
    "parse_term",
]

# What a query serves, in the order used when the client accepts anything (first = default).
RESULTS_FORMATS: tuple[ox.QueryResultsFormat, ...] = tuple(
    ox.QueryResultsFormat.from_media_type(media_type) for media_type in RESULTS_MEDIA_TYPES
)
GRAPH_FORMATS: tuple[ox.RdfFormat, ...] = tuple(
    ox.RdfFormat.from_media_type(media_type) for media_type in GRAPH_MEDIA_TYPES
)

_ANY = "*/*"
# Extension functions by IRI, as pyoxigraph's `custom_functions` takes them.
Functions = Mapping[ox.NamedNode, Callable[..., Any]]
# Graph formats written with the prefixes (and JSON-LD compacted with them afterwards).
_WITH_PREFIXES = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3)


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


def graph_node(iri: str, what: str = "graph IRI") -> ox.NamedNode:
    """A graph name from a client, checked as an absolute IRI (QueryError when it is not)."""
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"{what} {iri!r} is not an absolute IRI: {exc}") from None


def form_of(result: object, sparql: str) -> QueryForm:
    if isinstance(result, ox.QueryBoolean):
        return QueryForm.ASK
    if isinstance(result, ox.QuerySolutions):
        return QueryForm.SELECT
    text = blank_non_keywords(sparql)
    return QueryForm.DESCRIBE if re.search(r"\bDESCRIBE\b", text, re.I) else QueryForm.CONSTRUCT


def pick_format(accept: Sequence[str], form: QueryForm) -> ox.QueryResultsFormat | ox.RdfFormat:
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


def evaluate(
    db: ox.Store,
    sparql: str,
    dataset: Dataset | None,
    base_iri: str | None,
    substitutions: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
    federation: Collection[str] = (),
    functions: Functions | None = None,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Start a query (evaluation is lazy). The default graph is the union of the named graphs
    unless the Protocol's dataset or the query's FROM says otherwise. SERVICE is refused
    unless it calls an endpoint of `federation`. `functions` are the service's extension
    functions (`fg:textScore`, service.textindex.function)."""
    refuse_outbound(sparql, allowed=federation)
    options: dict[str, Any] = {"base_iri": base_iri}
    if functions:
        options["custom_functions"] = dict(functions)
    if dataset is not None and (dataset.default_graphs or dataset.named_graphs):
        # The Protocol's dataset replaces the query's own; named graphs alone leave an
        # empty default graph, as FROM NAMED alone does.
        options["default_graph"] = [
            graph_node(g, "default-graph-uri") for g in dataset.default_graphs
        ]
        if dataset.named_graphs:
            options["named_graphs"] = [
                graph_node(g, "named-graph-uri") for g in dataset.named_graphs
            ]
    elif not has_dataset_clause(sparql):
        options["use_default_graph_as_union"] = True
    try:
        return db.query(sparql, substitutions=dict(substitutions or {}) or None, **options)
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from None
    except RuntimeError as exc:  # e.g. a substituted variable the query does not project
        raise QueryError(str(exc)) from None


class _CappedSink:
    """Collects what Oxigraph's serialiser writes; past `limit` bytes it makes the writer stop,
    which stops the lazy evaluation behind it too."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0
        self.overflowed = False

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            self.overflowed = True
            raise OSError("result size limit reached")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing buffered here."""


def execute(
    db: ox.Store,
    sparql: str,
    accept: Sequence[str],
    dataset: Dataset | None,
    base_iri: str | None,
    max_bytes: int | None = None,
    federation: Collection[str] = (),
    prefixes: Mapping[str, str] | None = None,
    functions: Functions | None = None,
) -> SerializedResult:
    """Run a query and serialise it in the first media type of `accept` that fits; a graph as
    Turtle or TriG declares `prefixes` and uses them, as JSON-LD is compacted with them.

    pyoxigraph's result iterators must be dropped on the thread that made them, so no
    exception raised here may keep one alive in its traceback.
    """
    result = evaluate(db, sparql, dataset, base_iri, federation=federation, functions=functions)
    sink = _CappedSink(max_bytes)
    error: Exception | None = None
    try:
        form = form_of(result, sparql)
        chosen = pick_format(accept, form)
        # Evaluation is lazy: errors such as a bad IRI() surface while serialising.
        if prefixes and chosen in _WITH_PREFIXES:
            ox.serialize(result, sink, chosen, prefixes=dict(prefixes))  # type: ignore[arg-type]
        else:
            result.serialize(sink, format=chosen)  # type: ignore[arg-type]
    except UnsupportedFormatError as exc:
        error = exc
    except (OSError, ValueError, RuntimeError) as exc:
        error = (
            ResultTooLargeError(
                f"the result is larger than {max_bytes:,} bytes; narrow the query or add LIMIT"
            )
            if sink.overflowed
            else QueryError(str(exc))
        )
    finally:
        del result
    if error is not None:
        raise error.with_traceback(None)
    body = b"".join(sink.parts)
    if prefixes and chosen == ox.RdfFormat.JSON_LD:
        body = compact_jsonld(body, prefixes)
    return SerializedResult(body=body, media_type=chosen.media_type, form=form)
