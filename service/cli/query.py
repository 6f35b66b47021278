"""`factgraph query SPARQL`: run a query against the store and print the result."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from service.cli.common import StoreOption, fail, opened_store, settings_with
from service.store import (
    QueryError,
    QueryForm,
    QueryTimeoutError,
    ResultTooLargeError,
    SerializedResult,
    Store,
)

__all__ = ["OutputFormat", "query_command", "run_query"]


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


_ACCEPT = {
    OutputFormat.TABLE: ["application/sparql-results+json", "text/turtle"],
    OutputFormat.JSON: ["application/sparql-results+json", "application/ld+json"],
    OutputFormat.CSV: ["text/csv", "application/n-triples"],
}


def run_query(store: Store, sparql: str, output: OutputFormat) -> SerializedResult:
    """The query's result in the media type that fits the output format and the query form."""
    return store.query(sparql, _ACCEPT[output])


def _table(result: SerializedResult) -> Table | str:
    if result.form not in (QueryForm.SELECT, QueryForm.ASK):
        return result.body.decode("utf-8")
    data = json.loads(result.body)
    if "boolean" in data:
        return "true" if data["boolean"] else "false"
    names = data["head"]["vars"]
    table = Table(*names, show_lines=False)
    for row in data["results"]["bindings"]:
        table.add_row(*(Text(row[name]["value"] if name in row else "") for name in names))
    return table


def query_command(
    sparql: Annotated[
        str, typer.Argument(help="The SPARQL query, or @FILE to read it from a file.")
    ],
    store: StoreOption = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="How to print the result.")
    ] = OutputFormat.TABLE,
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) against the store."""
    if sparql.startswith("@"):
        path = Path(sparql[1:])
        try:
            sparql = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read the query from {path}: {exc}")
    if not sparql.strip():
        fail("the query is empty")
    with opened_store(settings_with(store), existing=True) as opened:
        try:
            result = run_query(opened, sparql, output)
        except QueryError as exc:
            fail(exc.sentence)
        except (QueryTimeoutError, ResultTooLargeError) as exc:
            fail(f"{exc} (limits: FACTGRAPH_QUERY_TIMEOUT, FACTGRAPH_MAX_RESULT_BYTES)")
    if output is OutputFormat.TABLE:
        Console(soft_wrap=True).print(_table(result))
    else:
        typer.echo(result.body.decode("utf-8"), nl=False)
