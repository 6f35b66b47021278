"""`factgraph ingest SOURCE...`: read documents (files, folders, pages, feeds, links, WARC
archives), extract, validate, store; report each rejection on a line of its own."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from service.analysis import AnalysisWriter
from service.bootstrap import (
    build_cluster_ingestor,
    build_fetcher,
    build_ingestor,
    catch_up,
    store_registry,
    text_indexer,
)
from service.cli.common import (
    StoreOption,
    WorkersOption,
    err_console,
    fail,
    one_line,
    opened_store,
    settings_with,
    state_file,
)
from service.pipeline.documents import Document, DocumentError
from service.pipeline.ingest import IngestResult
from service.settings import Settings
from service.sources.inputs import Sourced, is_link, is_warc, sources
from service.sources.language import with_language
from service.store import Store

if TYPE_CHECKING:
    from service.pipeline.distributed import ClusterIngestor

__all__ = [
    "IngestSummary",
    "StoreUnreadOption",
    "ingest_command",
    "ingest_session",
    "ingest_sourced",
    "progress_bar",
    "readable",
    "report_stored",
    "sources_settings",
]

Ingest = Callable[[list[Document]], Iterator[IngestResult]]

StoreUnreadOption = Annotated[
    bool,
    typer.Option(
        "--store-unread",
        help="Store a text in a language the pipeline does not read, without claims and with "
        "the reason (default: refuse it).",
    ),
]


def sources_settings(store: str | None, *, store_unread: bool, **flags: object) -> Settings:
    """The settings with the flags of the commands that take news in (None: not given)."""
    return settings_with(store, store_unread_languages=store_unread or None, **flags)


@dataclass(slots=True)
class IngestSummary:
    stored: int = 0  # a count, not the results: an archive's millions of texts are not kept
    rejected: list[str] = field(default_factory=list)  # one line each: source and why

    @property
    def ok(self) -> bool:
        return not self.rejected


def _rejection_line(result: IngestResult) -> str:
    return f"{result.document.source or result.iri}: {result.reason}"


@contextmanager
def ingest_session(settings: Settings, dask: str | None = None) -> Iterator[Ingest]:
    """The store opened and the pipeline loaded once, for as many batches as the caller has.
    With `dask` (a scheduler's address), the cluster's workers prepare and store documents."""
    with opened_store(settings) as store:
        store_registry(store, settings)
        analysis = AnalysisWriter(store, settings.base_iri)
        text = text_indexer(store, settings)
        catch_up(store, settings, analysis, text)
        ingestor = (
            build_ingestor(store, settings, analysis, text)
            if dask is None
            else _cluster_ingestor(store, settings, dask, analysis)
        )
        with closing(ingestor):
            yield lambda documents: ingestor.ingest(documents)


def _cluster_ingestor(
    store: Store, settings: Settings, address: str, analysis: AnalysisWriter
) -> ClusterIngestor:
    try:
        return build_cluster_ingestor(store, settings, address, analysis)
    except ValueError as exc:
        fail(str(exc))
    except (OSError, TimeoutError) as exc:
        fail(f"--dask {address}: no Dask scheduler answered ({exc})")


def readable(document: Document, settings: Settings, summary: IngestSummary) -> Document | None:
    """The document with its language found, or None (and a rejection line) when the pipeline
    does not read it and the settings do not store such texts."""
    try:
        return with_language(document, store_unread=settings.store_unread_languages)
    except DocumentError as exc:
        summary.rejected.append(str(exc))
        return None


def ingest_sourced(
    items: Iterable[Sourced],
    settings: Settings,
    *,
    progress: Progress | None = None,
    on_stored: Callable[[IngestResult], None] | None = None,
    after_chunk: Callable[[list[Sourced]], None] | None = None,
    limit: int | None = None,
    dask: str | None = None,
) -> IngestSummary:
    """Ingest documents as they come, a chunk at a time (bounded memory for any number);
    `after_chunk` hears of each chunk once all its documents are committed or rejected.

    The store is opened and spaCy loaded only once there is a document to ingest; `limit`
    stops after that many documents; `dask`: see `ingest_session`."""
    summary = IngestSummary()
    task: TaskID | None = progress.add_task("ingest", total=None) if progress else None
    taken = 0
    with ExitStack() as stack:
        ingest: Ingest | None = None
        for chunk in _chunks(items, _CHUNK_DOCUMENTS):
            documents: list[Document] = []
            done: list[Sourced] = []  # the chunk's items up to the limit
            for sourced in chunk:
                if limit is not None and taken >= limit:
                    break
                if isinstance(sourced.item, DocumentError):
                    summary.rejected.append(str(sourced.item))
                else:
                    taken += 1
                    document = readable(sourced.item, settings, summary)
                    if document is not None:
                        documents.append(document)
                done.append(sourced)
            if documents and ingest is None:
                ingest = stack.enter_context(ingest_session(settings, dask))
            for result in ingest(documents) if documents and ingest else ():
                if result.stored:
                    summary.stored += 1
                    if on_stored is not None:
                        on_stored(result)
                else:
                    summary.rejected.append(_rejection_line(result))
                if progress is not None and task is not None:
                    progress.advance(task)
            if after_chunk is not None:
                after_chunk(done)
            if limit is not None and taken >= limit:
                break
    return summary


# Documents handed to the pipeline at once. Each call ends with a last round in which the cores
# run out of documents while the last ones finish and are committed (a fraction of a second),
# so calls are long: about a minute of work on two cores. Memory stays bounded all the same
# (the texts, and the documents prepared but not yet committed in order).
_CHUNK_DOCUMENTS = 256


def _chunks(items: Iterable[Sourced], size: int) -> Iterator[list[Sourced]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _metadata(
    publisher: str | None, url: str | None, date: str | None, title: str | None
) -> dict[str, str | None]:
    if date is not None:
        try:
            dt.date.fromisoformat(date[:10])
        except ValueError:
            fail(f"--date {date!r} is not an ISO date such as 2024-01-31")
    return {"publisher": publisher, "url": url, "date_published": date, "title": title}


def report_stored(result: IngestResult) -> None:
    """One line on stdout the moment a document is committed (flushed: a reader may act on it)."""
    counts = result.counts()
    withheld = result.document.claims_withheld
    note = f" (no claims: {withheld})" if withheld else ""
    typer.echo(
        f"stored {result.iri}: {counts['statements']} statements, "
        f"{counts['quantities']} quantities, {counts['actors']} actors{note}"
    )


class _ArchiveProgress:
    """The offset of the last record done in each WARC archive, kept in a JSON file beside the
    store so that `--resume` goes on after it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.done: dict[str, int] = json.loads(path.read_text()) if path.exists() else {}
        except ValueError:
            fail(f"{path}: the archive progress file is not JSON; move it away to start afresh")

    def record(self, chunk: list[Sourced]) -> None:
        done = {s.archive: s.offset for s in chunk if s.archive and s.offset is not None}
        if not done:
            return
        self.done.update(done)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(self.done, indent=1))
        temporary.replace(self.path)


def _archive_bar(
    arguments: list[str], bar: Progress, archives: _ArchiveProgress
) -> Callable[[list[Sourced]], None]:
    """After each chunk: the archives' progress recorded, and a bar of each archive's bytes."""
    tasks = {
        str(Path(a).resolve()): bar.add_task(f"{Path(a).name}", total=Path(a).stat().st_size)
        for a in arguments
        if not is_link(a) and is_warc(Path(a))
    }

    def after(chunk: list[Sourced]) -> None:
        archives.record(chunk)
        for sourced in chunk:
            if sourced.archive in tasks and sourced.offset is not None:
                bar.update(tasks[sourced.archive], completed=sourced.offset)

    return after


def progress_bar(visible: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=not visible,
    )


def ingest_command(
    arguments: Annotated[
        list[str],
        typer.Argument(
            help="Files (.json, .jsonl, .txt, .html, an RSS/Atom feed, .warc/.warc.gz), "
            "folders of them, or links to pages and feeds.",
            metavar="SOURCE...",
        ),
    ],
    store: StoreOption = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher of .txt files.")] = None,
    url: Annotated[str | None, typer.Option(help="Address of .txt and .html files.")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date of .txt files.")] = None,
    title: Annotated[str | None, typer.Option(help="Headline of .txt files.")] = None,
    store_unread: StoreUnreadOption = False,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Ingest at most this many documents.")
    ] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Go on in each WARC archive after the last record done."),
    ] = False,
    workers: WorkersOption = None,
    dask: Annotated[
        str | None,
        typer.Option(
            help="A Dask scheduler's address (tcp://host:8786): its workers extract, "
            "validate and store the documents, into a SPARQL server store (--store "
            "sparql+http://...) that every worker reaches.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Ingest documents; a line on stdout as each is stored; exit 0 when all were stored, else 1
    with a line per rejected document or source."""
    for argument in arguments:
        if not is_link(argument) and not Path(argument).exists():
            fail(f"{argument}: no such file or folder")
    settings = sources_settings(store, store_unread=store_unread, extraction_workers=workers)
    archives = _ArchiveProgress(state_file(settings, "warc-progress"))
    with (
        closing(build_fetcher(settings, guard=False)) as fetcher,
        progress_bar(err_console.is_terminal) as bar,
    ):
        items = sources(
            arguments,
            fetcher,
            max_text_bytes=settings.max_text_bytes,
            max_page_bytes=settings.fetch_max_bytes,
            metadata=_metadata(publisher, url, date, title),
            resume=archives.done if resume else None,
        )
        summary = ingest_sourced(
            items,
            settings,
            progress=bar,
            on_stored=report_stored,
            after_chunk=_archive_bar(arguments, bar, archives),
            limit=limit,
            dask=dask,
        )
    for line in summary.rejected:
        err_console.print(f"factgraph: {one_line(line)}", markup=False)
    if not summary.ok:
        raise typer.Exit(1)
