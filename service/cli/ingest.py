"""`factgraph ingest PATH...`: read documents, extract, validate, store; report each rejection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from service.analysis import AnalysisWriter
from service.bootstrap import build_ingestor, catch_up, store_registry, text_indexer
from service.cli.common import (
    StoreOption,
    err_console,
    fail,
    one_line,
    opened_store,
    settings_with,
)
from service.pipeline.documents import Document, DocumentError, read_documents
from service.pipeline.ingest import IngestResult
from service.settings import Settings

__all__ = ["IngestSummary", "ingest_command", "ingest_paths"]


@dataclass(slots=True)
class IngestSummary:
    stored: list[IngestResult] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # one line each: source and why

    @property
    def ok(self) -> bool:
        return not self.rejected


def _rejection_line(result: IngestResult) -> str:
    return f"{result.document.source or result.iri}: {result.reason}"


def ingest_paths(
    paths: list[Path],
    settings: Settings,
    metadata: dict[str, str | None],
    *,
    progress: bool,
    on_stored: Callable[[IngestResult], None] | None = None,
) -> IngestSummary:
    """Ingest files and folders into the store of `settings`; bad documents never stop others.

    `on_stored` hears of each document as soon as it is committed (a caller killed after that
    has still stored it)."""
    summary = IngestSummary()
    documents: list[Document] = []
    for item in read_documents(paths, max_text_bytes=settings.max_text_bytes, metadata=metadata):
        if isinstance(item, DocumentError):
            summary.rejected.append(str(item))
        else:
            documents.append(item)
    if not documents:
        return summary
    with opened_store(settings) as store:
        store_registry(store, settings)
        analysis = AnalysisWriter(store, settings.base_iri)
        text = text_indexer(store, settings)
        catch_up(store, settings, analysis, text)
        ingestor = build_ingestor(store, settings, analysis, text)
        columns = (
            TextColumn("ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with (
            closing(ingestor),
            Progress(*columns, console=err_console, disable=not progress) as bar,
        ):
            task = bar.add_task("ingest", total=len(documents))
            for result in ingestor.ingest(documents):
                if result.stored:
                    summary.stored.append(result)
                    if on_stored is not None:
                        on_stored(result)
                else:
                    summary.rejected.append(_rejection_line(result))
                bar.advance(task)
    return summary


def _metadata(
    publisher: str | None, url: str | None, date: str | None, title: str | None
) -> dict[str, str | None]:
    if date is not None:
        try:
            dt.date.fromisoformat(date[:10])
        except ValueError:
            fail(f"--date {date!r} is not an ISO date such as 2024-01-31")
    return {"publisher": publisher, "url": url, "date_published": date, "title": title}


def _report_stored(result: IngestResult) -> None:
    """One line on stdout the moment a document is committed (flushed: a reader may act on it)."""
    counts = result.counts()
    typer.echo(
        f"stored {result.iri}: {counts['statements']} statements, "
        f"{counts['quantities']} quantities, {counts['actors']} actors"
    )


def ingest_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Files (.json, .jsonl, .txt) or folders of them.")
    ],
    store: StoreOption = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher of .txt files.")] = None,
    url: Annotated[str | None, typer.Option(help="Address of .txt files.")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date of .txt files.")] = None,
    title: Annotated[str | None, typer.Option(help="Headline of .txt files.")] = None,
) -> None:
    """Ingest documents; a line on stdout as each is stored; exit 0 when all were stored, else 1
    with a line per rejected document."""
    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file or folder")
    settings = settings_with(store)
    summary = ingest_paths(
        paths,
        settings,
        _metadata(publisher, url, date, title),
        progress=err_console.is_terminal,
        on_stored=_report_stored,
    )
    for line in summary.rejected:
        err_console.print(f"factgraph: {one_line(line)}", markup=False)
    if not summary.ok:
        raise typer.Exit(1)
