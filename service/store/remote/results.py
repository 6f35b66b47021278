"""A SPARQL server's answers read back: SPARQL JSON results as rows, results and graphs
re-serialised by Oxigraph in the format a client asked for, graphs parsed into triples.

Blank node labels are made standard on the way (the dialect says how its server writes them).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from service.store.base import QueryError, QueryForm, ResultTooLargeError
from service.store.remote.dialect import Dialect

__all__ = ["JSON_RESULTS", "NTRIPLES", "parse_json", "parse_triples", "reserialise", "rows"]

NTRIPLES = "application/n-triples"
JSON_RESULTS = "application/sparql-results+json"


def parse_json(body: bytes, media_type: str) -> dict[str, Any]:
    """SPARQL JSON results; OSError when the server answered something else."""
    if "json" not in media_type:
        raise OSError(f"the SPARQL server answered {media_type!r}, not SPARQL JSON results")
    try:
        return json.loads(body)
    except ValueError as exc:
        raise OSError(f"the SPARQL server's JSON results do not parse: {exc}") from None


def _plain(cell: Mapping[str, Any] | None, dialect: Dialect) -> str | None:
    """A SPARQL JSON result cell as the embedded store gives it: IRI, lexical form, `_:id`."""
    if cell is None:
        return None
    value = str(cell.get("value", ""))
    if cell.get("type") == "bnode":
        return dialect.blank_node_label(value)
    return value


def rows(result: dict[str, Any], dialect: Dialect) -> list[dict[str, str | None]]:
    """SELECT results as plain strings, one dict per row (unbound: None)."""
    if "results" not in result:
        raise QueryError("select() runs SELECT queries only")
    names = list(result.get("head", {}).get("vars", []))
    return [
        {name: _plain(row.get(name), dialect) for name in names}
        for row in result["results"].get("bindings", [])
    ]


def _standard_blank_nodes(results: dict[str, Any], dialect: Dialect) -> bytes:
    """SPARQL JSON results with blank node labels a parser takes (Virtuoso writes `nodeID://b1`)."""
    for row in results.get("results", {}).get("bindings", []):
        for cell in row.values():
            if cell.get("type") == "bnode":
                cell["value"] = _plain(cell, dialect)[2:]  # type: ignore[index]
    return json.dumps(results).encode("utf-8")


def reserialise(
    body: bytes,
    media_type: str,
    form: QueryForm,
    chosen: str,
    dialect: Dialect,
    max_bytes: int,
) -> bytes:
    """A result the server wrote as SPARQL JSON results (SELECT, ASK) or as an RDF format
    (CONSTRUCT, DESCRIBE), written by Oxigraph as `chosen`; ResultTooLargeError past
    `max_bytes`."""
    try:
        if form in (QueryForm.SELECT, QueryForm.ASK):
            parsed = ox.parse_query_results(
                _standard_blank_nodes(parse_json(body, media_type), dialect),
                format=ox.QueryResultsFormat.JSON,
            )
            out = parsed.serialize(format=ox.QueryResultsFormat.from_media_type(chosen))
        else:
            triples = ox.parse(body, format=ox.RdfFormat.from_media_type(media_type))
            out = ox.serialize(triples, format=ox.RdfFormat.from_media_type(chosen))
    except (SyntaxError, ValueError) as exc:
        raise OSError(f"the SPARQL server's {media_type} answer does not parse: {exc}") from None
    out = out or b""
    if len(out) > max_bytes:
        raise ResultTooLargeError(f"the result grew past the size limit ({max_bytes} bytes)")
    return out


def parse_triples(body: bytes, media_type: str, graph: ox.NamedNode) -> list[ox.Triple]:
    """A graph read back (N-Triples when the media type names no RDF format)."""
    try:
        fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
        return [quad.triple for quad in ox.parse(body, format=fmt)]
    except (SyntaxError, ValueError) as exc:
        raise OSError(f"the graph {graph.value} read back does not parse: {exc}") from None
