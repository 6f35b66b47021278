"""WARC archives (warcio): the HTML responses of a crawl, streamed record by record.

warcio reads a record at a time from the file (gzip member by member for .warc.gz), so a
multi-gigabyte archive is read in bounded memory: a payload is read up to the size limit and
the rest skipped, never held. Records that are not HTML responses (requests, metadata, images,
JSON) are passed over. A broken record (garbage, a truncated gzip member) is reported and the
reading goes on at the next record's start, found by scanning for the next gzip member (or
`WARC/` line); one bad record never loses the rest of the archive.

Each yielded item carries its record's offset in the file, so an interrupted ingest can resume
after the last record it finished.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

__all__ = ["WarcPage", "WarcProblem", "html_records"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_SCAN_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class WarcPage:
    """One HTML response of the archive."""

    offset: int  # of the record in the file
    url: str
    content: bytes
    fetched_at: dt.datetime | None  # the record's WARC-Date


@dataclass(frozen=True, slots=True)
class WarcProblem:
    """A record that could not be taken, and why (skipped non-HTML records are not problems)."""

    offset: int
    reason: str


def _warc_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _next_start(stream: BinaryIO, after: int, magic: bytes) -> int | None:
    """The offset of the next `magic` after `after`: where the next record may begin."""
    stream.seek(after + 1)
    position = after + 1
    carry = b""
    while block := stream.read(_SCAN_BLOCK):
        found = (carry + block).find(magic)
        if found >= 0:
            return position - len(carry) + found
        carry = block[-(len(magic) - 1) :]
        position += len(block)
    return None


def html_records(
    path: Path, *, max_bytes: int, start: int = 0, skip_first: bool = False
) -> Iterator[WarcPage | WarcProblem]:
    """The archive's HTML responses from byte `start` on (`skip_first`: the record there is
    already done), and a `WarcProblem` for each record that could not be read."""
    magic = _GZIP_MAGIC if path.name.endswith(".gz") else _WARC_MAGIC
    with path.open("rb") as stream:
        position: int | None = start
        while position is not None:
            stream.seek(position)
            records = ArchiveIterator(stream)  # its offsets count from the file's start
            try:
                for record in records:
                    offset = records.offset  # the record's start, until it is read to its end
                    if skip_first and offset == start:
                        continue
                    item = _html_page(record, offset, max_bytes)
                    if item is not None:
                        yield item
                return
            except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
                broken = records.offset  # where the last good record ended
                reason = " ".join(str(exc).split())[:200] or type(exc).__name__
                yield WarcProblem(broken, f"broken record at byte {broken}: {reason}")
                position = _next_start(stream, broken, magic)


def _html_page(record: ArcWarcRecord, offset: int, max_bytes: int) -> WarcPage | WarcProblem | None:
    """The record's page when it is an HTML response within the size limit."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    media = record.http_headers.get_header("Content-Type") or ""
    if media.split(";")[0].strip().lower() not in _HTML_TYPES:
        return None
    status = record.http_headers.get_statuscode()
    if not str(status).startswith("2"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    content = record.content_stream().read(max_bytes + 1)
    if len(content) > max_bytes:
        return WarcProblem(offset, f"{url}: the page is over the limit of {max_bytes} bytes")
    date = _warc_date(record.rec_headers.get_header("WARC-Date"))
    return WarcPage(offset, url, content, date)
