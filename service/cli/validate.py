"""`factgraph validate FILE.ttl`: the SHACL report of an RDF file against shapes/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from service.cli.common import fail, settings_with
from service.pipeline.validate import Validator

__all__ = ["validate_command"]


def validate_command(
    path: Annotated[
        Path, typer.Argument(help="An RDF file (Turtle, N-Triples, TriG, JSON-LD...).")
    ],
) -> None:
    """Print the validation report; exit 0 when the data conforms, 1 when it does not."""
    if not path.is_file():
        fail(f"{path}: no such file")
    settings = settings_with()
    validator = Validator(settings.shapes_dir, settings.ontology_dir)
    try:
        report = validator.validate_file(path)
    except ValueError as exc:
        fail(f"{path}: {exc}")
    typer.echo(report.text)
    if not report.conforms:
        raise typer.Exit(1)
