"""`factgraph watch FEED... --every 15m`: poll feeds, ingest what is new, remember what was seen."""

from __future__ import annotations

import logging
import time
from contextlib import closing
from pathlib import Path
from typing import Annotated

import typer
from rich.logging import RichHandler

from service.bootstrap import build_fetcher
from service.cli.common import (
    StoreOption,
    err_console,
    fail,
    one_line,
    state_file,
)
from service.cli.ingest import (
    IngestSummary,
    StoreUnreadOption,
    ingest_session,
    progress_bar,
    readable,
    report_stored,
    sources_settings,
)
from service.pipeline.documents import DocumentError
from service.sources.feeds import SeenState
from service.sources.inputs import is_link
from service.sources.watch import parse_interval, poll_feeds, remember

__all__ = ["watch_command"]

log = logging.getLogger("factgraph.watch")


def watch_command(
    feeds: Annotated[list[str], typer.Argument(help="Feed addresses or files (RSS or Atom).")],
    every: Annotated[str, typer.Option(help="Time between polls: 30s, 15m, 2h.")] = "15m",
    polls: Annotated[
        int | None, typer.Option(min=1, help="Stop after this many polls (default: never).")
    ] = None,
    store: StoreOption = None,
    state: Annotated[
        Path | None,
        typer.Option(help="The file of what was seen (default: beside the store)."),
    ] = None,
    store_unread: StoreUnreadOption = False,
) -> None:
    """Poll the feeds; ingest each entry's page once, by address and by text, across restarts."""
    try:
        interval = parse_interval(every)
    except ValueError as exc:
        fail(str(exc))
    for feed in feeds:
        if not is_link(feed) and not Path(feed).is_file():
            fail(f"{feed}: no such file")
    settings = sources_settings(store, store_unread=store_unread)
    try:
        seen = SeenState.load(state or state_file(settings, "watch"))
    except DocumentError as exc:
        fail(str(exc))
    logging.basicConfig(
        level=logging.INFO,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=False)],
    )
    log.info("watching %d feeds every %s; what was seen is kept in %s", len(feeds), every,
             seen.path)
    done = 0
    with (
        closing(build_fetcher(settings, guard=False)) as fetcher,
        ingest_session(settings) as ingest,
        progress_bar(err_console.is_terminal) as bar,
    ):
        while True:
            done += 1
            poll = poll_feeds(
                feeds,
                fetcher,
                seen,
                max_text_bytes=settings.max_text_bytes,
                max_page_bytes=settings.fetch_max_bytes,
            )
            summary = IngestSummary(rejected=poll.failures)
            batch = []
            for document in poll.documents:
                kept = readable(document, settings, summary)
                if kept is None:
                    remember(seen, document)
                else:
                    batch.append(kept)
            task = bar.add_task(f"poll {done}", total=len(batch))
            for result in ingest(batch) if batch else ():
                remember(seen, result.document)
                if result.stored:
                    summary.stored += 1
                    report_stored(result)
                else:
                    summary.rejected.append(f"{result.document.source}: {result.reason}")
                bar.advance(task)
            seen.save()
            for line in summary.rejected:
                log.warning("%s", one_line(line))
            log.info("poll %d: %d stored, %d refused or failed", done,
                     summary.stored, len(summary.rejected))
            if polls is not None and done >= polls:
                break
            time.sleep(interval)
