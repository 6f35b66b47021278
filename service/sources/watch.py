"""Watching feeds: each poll reads every feed and hands over only the entries not seen before,
by address (before anything is fetched) and by text (the same story under another address).

What was seen is remembered in a `SeenState` file, written after each poll's documents are
committed or refused, so a watcher restarted at any time ingests nothing twice (a crash before
that point at worst ingests a text again, which replaces its own graph: same text, same IRI).
An entry whose page could not be fetched is not remembered: the next poll tries it again.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from service.pipeline.documents import Document, DocumentError
from service.sources.feeds import SeenState, feed_entries
from service.sources.fetch import Fetcher, FetchError
from service.sources.inputs import entry_document, feed_bytes

__all__ = ["Poll", "parse_interval", "poll_feeds"]

log = logging.getLogger("factgraph.watch")

_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """'15m' -> 900.0; '30s', '2h', '1d', or plain seconds."""
    match = _INTERVAL.fullmatch(text.strip().lower())
    if not match:
        raise ValueError(f"{text!r} is not an interval such as 30s, 15m or 2h")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


@dataclass(slots=True)
class Poll:
    """One poll's harvest: the new documents, and one line for each thing that went wrong."""

    documents: list[Document] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    known: int = 0  # entries passed over as seen (by address or by text)


def poll_feeds(
    feeds: list[str],
    fetcher: Fetcher,
    state: SeenState,
    *,
    max_text_bytes: int,
    max_page_bytes: int,
) -> Poll:
    """Read every feed once; the documents of entries not seen before (the caller marks them
    seen with `remember` once they are stored or refused)."""
    poll = Poll()
    hashes = set(state.hashes)
    for feed in feeds:
        for item in _new_entries(feed, fetcher, state, hashes, max_text_bytes, max_page_bytes):
            if isinstance(item, DocumentError):
                poll.failures.append(str(item))
            elif item is None:
                poll.known += 1
            else:
                hashes.add(item.content_hash)
                poll.documents.append(item)
    log.info(
        "poll: %d new, %d seen before, %d failed",
        len(poll.documents), poll.known, len(poll.failures),
    )
    return poll


def _new_entries(
    feed: str,
    fetcher: Fetcher,
    state: SeenState,
    hashes: set[str],
    max_text_bytes: int,
    max_page_bytes: int,
) -> Iterator[Document | DocumentError | None]:
    """Each entry of the feed: its document when new, None when seen, the error otherwise."""
    try:
        entries = feed_entries(feed_bytes(feed, fetcher, max_page_bytes), feed)
    except DocumentError as exc:
        yield exc
        return
    for entry in entries:
        if entry.link in state.urls:
            yield None
            continue
        try:
            document = entry_document(entry, fetcher, max_text_bytes=max_text_bytes)
        except FetchError as exc:
            yield exc  # not remembered: tried again next poll
            continue
        except DocumentError as exc:
            state.urls.add(entry.link)  # the page is there but holds no story: done with it
            yield exc
            continue
        if document.content_hash in hashes:
            state.urls.add(entry.link)
            yield None
            continue
        yield document


def remember(state: SeenState, document: Document) -> None:
    """The document's entry and text are done (stored or refused): never again."""
    if document.source:
        state.urls.add(document.source)
    state.hashes.add(document.content_hash)
