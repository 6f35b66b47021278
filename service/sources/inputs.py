"""What a user hands `factgraph ingest`, as documents: files (JSON, text, HTML pages, feeds,
WARC archives), folders of them, and links (pages or feeds, fetched).

Each source yields `Sourced` items in order: a document, or the one-line reason one could not be
had (a page that would not fetch, a broken archive record), so that one bad source never stops
the others. A WARC item also carries its record's offset, for `--resume`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from service.pipeline.documents import Document, DocumentError, read_documents
from service.sources.feeds import FeedEntry, feed_entries, looks_like_feed
from service.sources.fetch import Fetched, Fetcher
from service.sources.html import page_document
from service.sources.warc import WarcPage, html_records

__all__ = [
    "HTML_SUFFIXES",
    "Sourced",
    "entry_document",
    "feed_bytes",
    "fetched_document",
    "is_link",
    "is_warc",
    "sources",
]

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FEED_SUFFIXES = (".rss", ".atom", ".xml")


@dataclass(frozen=True, slots=True)
class Sourced:
    item: Document | DocumentError
    offset: int | None = None  # of its record, for an item read from a WARC archive
    archive: str | None = None  # that archive's resolved path


def is_link(argument: str) -> bool:
    return argument.startswith(("http://", "https://"))


def is_warc(path: Path) -> bool:
    return path.name.endswith((".warc", ".warc.gz"))


def fetched_document(fetched: Fetched, *, max_text_bytes: int) -> Document:
    """The document of a fetched page (`DocumentError` when it is not HTML or holds no story)."""
    if fetched.media_type not in ("text/html", "application/xhtml+xml", ""):
        raise DocumentError(f"{fetched.url} is {fetched.media_type}, not an HTML page", fetched.url)
    return page_document(
        fetched.content,
        max_text_bytes=max_text_bytes,
        url=fetched.url,
        fetched_at=fetched.fetched_at,
        source=fetched.url,
    )


def entry_document(entry: FeedEntry, fetcher: Fetcher, *, max_text_bytes: int) -> Document:
    """A feed entry's page, fetched; the entry's headline and date stand where the page has
    none."""
    document = fetched_document(fetcher.fetch(entry.link), max_text_bytes=max_text_bytes)
    return replace(
        document,
        title=document.title or entry.title,
        date_published=document.date_published or entry.published,
        source=entry.link,
    )


def feed_bytes(argument: str, fetcher: Fetcher, max_bytes: int) -> bytes:
    """A feed's bytes from its address or its file (`DocumentError` saying why not)."""
    if is_link(argument):
        return fetcher.fetch(argument).content
    path = Path(argument)
    if not path.is_file():
        raise DocumentError("no such file", argument)
    if path.stat().st_size > max_bytes:
        raise DocumentError(f"the feed is over the limit of {max_bytes} bytes", argument)
    return path.read_bytes()


def _feed(raw: bytes, source: str, fetcher: Fetcher, max_text_bytes: int) -> Iterator[Sourced]:
    try:
        entries = feed_entries(raw, source)
    except DocumentError as exc:
        yield Sourced(exc)
        return
    for entry in entries:
        try:
            yield Sourced(entry_document(entry, fetcher, max_text_bytes=max_text_bytes))
        except DocumentError as exc:
            yield Sourced(exc)


def _link(url: str, fetcher: Fetcher, max_text_bytes: int) -> Iterator[Sourced]:
    """A page, or each entry's page of a feed."""
    try:
        fetched = fetcher.fetch(url)
    except DocumentError as exc:
        yield Sourced(exc)
        return
    if looks_like_feed(fetched.content, fetched.media_type):
        yield from _feed(fetched.content, url, fetcher, max_text_bytes)
        return
    try:
        yield Sourced(fetched_document(fetched, max_text_bytes=max_text_bytes))
    except DocumentError as exc:
        yield Sourced(exc)


def _warc(
    path: Path, max_text_bytes: int, max_page_bytes: int, resume_from: int | None
) -> Iterator[Sourced]:
    records = html_records(
        path,
        max_bytes=max_page_bytes,
        start=resume_from or 0,
        skip_first=resume_from is not None,
    )
    archive = str(path.resolve())
    for record in records:
        if not isinstance(record, WarcPage):
            yield Sourced(DocumentError(record.reason, str(path)), record.offset, archive)
            continue
        source = f"{path}@{record.offset} {record.url}"
        try:
            document = page_document(
                record.content,
                max_text_bytes=max_text_bytes,
                url=record.url or None,
                fetched_at=record.fetched_at,
                source=source,
            )
            yield Sourced(document, record.offset, archive)
        except DocumentError as exc:
            yield Sourced(exc, record.offset, archive)


def _file(
    path: Path,
    fetcher: Fetcher,
    *,
    max_text_bytes: int,
    max_page_bytes: int,
    metadata: Mapping[str, Any],
) -> Iterator[Sourced]:
    source = str(path)
    if path.suffix.lower() in HTML_SUFFIXES + FEED_SUFFIXES:
        size = path.stat().st_size
        if size > max_page_bytes:
            message = f"the file is {size} bytes, over the page limit of {max_page_bytes} bytes"
            yield Sourced(DocumentError(message, source))
            return
        raw = path.read_bytes()
        if path.suffix.lower() in FEED_SUFFIXES or looks_like_feed(raw):
            yield from _feed(raw, source, fetcher, max_text_bytes)
            return
        try:
            url = metadata.get("url")
            yield Sourced(page_document(raw, max_text_bytes=max_text_bytes, url=url,
                                        fetched_at=None, source=source))
        except DocumentError as exc:
            yield Sourced(exc)
        return
    for item in read_documents([path], max_text_bytes=max_text_bytes, metadata=metadata):
        yield Sourced(item)


def _paths(path: Path) -> Iterator[Path]:
    """A folder's files that the ingest reads, in name order; a file itself."""
    if not path.is_dir():
        yield path
        return
    readable = (".json", ".jsonl", ".txt", *HTML_SUFFIXES, *FEED_SUFFIXES)
    for found in sorted(p for p in path.rglob("*") if p.is_file()):
        if found.suffix.lower() in readable or is_warc(found):
            yield found


def sources(
    arguments: list[str],
    fetcher: Fetcher,
    *,
    max_text_bytes: int,
    max_page_bytes: int,
    metadata: Mapping[str, Any] | None = None,
    resume: Mapping[str, int] | None = None,
) -> Iterator[Sourced]:
    """Every document of the arguments, in order. `resume`: a WARC file's path -> the offset
    of its last record done (reading goes on after it)."""
    for argument in arguments:
        if is_link(argument):
            yield from _link(argument, fetcher, max_text_bytes)
            continue
        for path in _paths(Path(argument)):
            if is_warc(path):
                start = (resume or {}).get(str(path.resolve()))
                yield from _warc(path, max_text_bytes, max_page_bytes, start)
            else:
                yield from _file(
                    path,
                    fetcher,
                    max_text_bytes=max_text_bytes,
                    max_page_bytes=max_page_bytes,
                    metadata=metadata or {},
                )
