"""`factgraph extract FILE`: the document's graph as Turtle, without storing anything."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from service import __version__
from service.bootstrap import build_pipeline
from service.cli.common import err_console, fail, settings_with
from service.pipeline.documents import DocumentError, read_documents
from service.pipeline.graph import RunInfo, build_document_graph

__all__ = ["extract_command"]


def extract_command(
    path: Annotated[Path, typer.Argument(help="One document: .json, or .txt with the flags.")],
    publisher: Annotated[str | None, typer.Option(help="Publisher of a .txt file.")] = None,
    url: Annotated[str | None, typer.Option(help="Address of a .txt file.")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date of a .txt file.")] = None,
    title: Annotated[str | None, typer.Option(help="Headline of a .txt file.")] = None,
) -> None:
    """Print the graph the service would store for this document."""
    settings = settings_with()
    if not path.is_file():
        fail(f"{path}: no such file")
    metadata = {"publisher": publisher, "url": url, "date_published": date, "title": title}
    items = list(read_documents([path], max_text_bytes=settings.max_text_bytes, metadata=metadata))
    if len(items) != 1:
        fail(f"{path}: expected one document, found {len(items)}")
    document = items[0]
    if isinstance(document, DocumentError):
        fail(str(document))
    from service.pipeline.extract import extract_documents  # loads spaCy: this command only

    started = dt.datetime.now(dt.UTC)
    nlp = build_pipeline(settings)
    (extraction,) = extract_documents(nlp, [document], batch_size=1)
    run = RunInfo(software_version=__version__, started=started, ended=dt.datetime.now(dt.UTC))
    graph = build_document_graph(document, extraction, base_iri=settings.base_iri, run=run)
    typer.echo(graph.serialize(format="turtle"))
    err_console.print(
        f"{len(extraction.statements)} statements, {len(extraction.quantities)} quantities, "
        f"{len(extraction.dates)} date claims, {len(extraction.actors)} actors",
        markup=False,
    )
