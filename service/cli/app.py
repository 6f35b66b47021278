"""The `factgraph` app: each command lives in its own module and calls plain functions."""

from __future__ import annotations

from importlib.metadata import version
from typing import Annotated

import typer

from service.cli.actors import actors_app
from service.cli.backup import backup_command, restore_command
from service.cli.check import check_command
from service.cli.eval import eval_command
from service.cli.export import export_command
from service.cli.extract import extract_command
from service.cli.ingest import ingest_command
from service.cli.query import query_command
from service.cli.reindex import reindex_command
from service.cli.serve import serve_command
from service.cli.validate import validate_command
from service.cli.watch import watch_command

__all__ = ["app", "main"]

app = typer.Typer(
    name="factgraph",
    help="A fact-check knowledge graph: news articles in, provenance answers out over SPARQL.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("ingest")(ingest_command)
app.command("watch")(watch_command)
app.command("serve")(serve_command)
app.command("query")(query_command)
app.command("export")(export_command)
app.command("extract")(extract_command)
app.command("validate")(validate_command)
app.command("eval")(eval_command)
app.command("check")(check_command)
app.command("reindex")(reindex_command)
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.add_typer(actors_app, name="actors")


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"factgraph {version('factgraph')}")
        raise typer.Exit


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True,
                     help="Print the version and exit."),
    ] = False,
) -> None:
    """A fact-check knowledge graph: news articles in, provenance answers out over SPARQL."""


def main() -> None:
    app()


if __name__ == "__main__":
    main()
