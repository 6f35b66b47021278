"""Documents as users send them: checked, normalised, hashed, and given their stable IRI.

Input errors raise `DocumentError` (or a subclass that says which kind of mistake it is) with
a message a person understands, so the CLI and the API report the same thing in the same
words; the API's one error mapping (`service.api.errors`) picks the HTTP status.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.rdf.input_limits import NestingTooDeepError, refuse_deep

__all__ = [
    "DOC_ID",
    "Appearance",
    "Document",
    "DocumentError",
    "EncodingError",
    "RawPage",
    "TextTooLargeError",
    "document_from_json",
    "document_from_mapping",
    "find_boilerplate",
    "json_value",
    "read_documents",
]


# What `Document.doc_id` looks like: ids from URLs are checked against it before use.
DOC_ID = re.compile(r"[0-9a-f]{16}")


class DocumentError(ValueError):
    """A document the service cannot take, with the reason (and where it came from)."""

    def __init__(self, message: str, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class TextTooLargeError(DocumentError):
    """The text is over the size limit."""


class EncodingError(DocumentError):
    """The bytes are not UTF-8 text."""


@dataclass(frozen=True, slots=True)
class Appearance:
    """One publication of a text: who published it, when, where, under which headline.

    The same text posted by two publishers is one document with two appearances.
    """

    publisher: str | None = None
    url: str | None = None
    date_published: dt.date | dt.datetime | None = None
    title: str | None = None
    recorded: dt.datetime | None = None  # when factgraph first received it

    @property
    def key(self) -> str:
        """What makes two appearances one: the URL where there is one (one address is one
        publication), else the publisher's name, case and spaces aside. Posting again from the
        same place updates the appearance instead of adding one."""
        if self.url:
            return f"url {self.url}"
        return f"publisher {' '.join((self.publisher or '').split()).casefold()}"

    @property
    def empty(self) -> bool:
        """Nothing is known of it (a bare text): it is no appearance."""
        return not (self.publisher or self.url or self.date_published or self.title)

    @property
    def publication_date(self) -> dt.date | None:
        value = self.date_published
        return value.date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True, slots=True)
class RawPage:
    """A page a document's text was extracted from, kept so a reader can check the extraction:
    the hash of its bytes, where and when it was fetched, and what extracted the text."""

    sha256: str  # of the raw bytes as received
    fetched_from: str | None = None  # the address the bytes came from (after redirects)
    fetched_at: dt.datetime | None = None
    media_type: str = "text/html"
    extractor: str = ""  # e.g. "trafilatura 2.3.1"

    @property
    def key(self) -> tuple[str, str]:
        """What makes two fetches one page: the same bytes from the same address (or both
        without one). The same bytes from another address is another page: where a text was
        found is worth recording even when the bytes match."""
        return self.sha256, self.fetched_from or ""


@dataclass(frozen=True, slots=True)
class Document:
    """One article: the exact text (offsets count in it) and what is known about it.

    `title`, `publisher`, `url` and `date_published` are its first appearance's; every known
    appearance, the first included, is in `appearances` once the ingest flow has merged in the
    stored ones (empty: the document's own fields are its one appearance). `raw_pages` are the
    pages its text was extracted from: its own (none for a text sent as text), and, once
    merged, those of every earlier ingest of the same text.
    """

    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    date_published: dt.date | dt.datetime | None = None
    language: str = "en"
    source: str | None = None  # where it came from (a file name), for messages only
    boilerplate: tuple[tuple[int, int], ...] = field(default=(), compare=False)
    appearances: tuple[Appearance, ...] = field(default=(), compare=False)
    author: str | None = None  # the byline as the page gives it (not resolved to an actor)
    raw_pages: tuple[RawPage, ...] = field(default=(), compare=False)
    # Why no claims are extracted from this text (e.g. a language the pipeline does not read):
    # the document is stored with this reason and without claims.
    claims_withheld: str | None = None

    @property
    def appearance(self) -> Appearance:
        """The appearance this document's own fields describe."""
        return Appearance(self.publisher, self.url, self.date_published, self.title)

    @property
    def all_appearances(self) -> tuple[Appearance, ...]:
        """Every known appearance, first first (none for a bare text)."""
        if self.appearances:
            return self.appearances
        return () if self.appearance.empty else (self.appearance,)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def doc_id(self) -> str:
        """First 16 hex digits of sha256(text): the same text always gets the same IRI."""
        return self.content_hash[:16]

    @property
    def publication_date(self) -> dt.date | None:
        value = self.date_published
        return value.date() if isinstance(value, dt.datetime) else value


# Site furniture that closes an article: a short teaser heading followed by other content.
_FURNITURE_HEADING = re.compile(
    r"^[ \t]*(check also|see also|read also|read more|related( articles| stories| posts)?|"
    r"more from [^\n]{1,40}|you may also like|also read|recommended( for you)?|"
    r"latest news|trending|most read)[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


def find_boilerplate(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of site furniture: a teaser heading in the last part of an article and all after it.

    A heading such as "Check Also" or "Related" on a line of its own, in the last third of the
    text, starts content that is not the article's (teasers, links to other pieces).
    """
    for match in _FURNITURE_HEADING.finditer(text):
        if match.start() >= len(text) * 2 / 3:
            return ((match.start(), len(text)),)
    return ()


def _parse_date(value: Any, source: str | None) -> dt.date | dt.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise DocumentError("date_published must be an ISO date or date-time string", source)
    try:
        if "T" in value or " " in value.strip():
            return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise DocumentError(
            f"date_published {value!r} is not an ISO date (YYYY-MM-DD) or date-time", source
        ) from None


def _optional_str(data: Mapping[str, Any], key: str, source: str | None) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise DocumentError(f"{key} must be a string", source)
    return value.strip() or None


def document_from_mapping(data: Any, *, max_text_bytes: int, source: str | None = None) -> Document:
    """Check a decoded JSON document; unknown keys are ignored."""
    if not isinstance(data, Mapping):
        raise DocumentError("a document must be a JSON object with a 'text' field", source)
    text = data.get("text")
    if text is None:
        raise DocumentError("the document has no 'text' field", source)
    if not isinstance(text, str):
        raise DocumentError("'text' must be a string", source)
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_text_bytes:
        raise TextTooLargeError(
            f"the text is {size} bytes, over the limit of {max_text_bytes} bytes", source
        )
    if not text.strip():
        raise DocumentError("the text is empty", source)
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise DocumentError(
            "the text holds lone surrogates, which are not Unicode text", source
        )
    url = _optional_str(data, "url", source)
    if url is not None and not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
        raise DocumentError(f"url {url!r} is not an http(s) address", source)
    language = _optional_str(data, "language", source) or "en"
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", language):
        raise DocumentError(
            f"language {language!r} is not a language tag such as 'en'", source
        )
    return Document(
        text=text,
        title=_optional_str(data, "title", source),
        publisher=_optional_str(data, "publisher", source),
        url=url,
        date_published=_parse_date(data.get("date_published"), source),
        language=language,
        source=source,
        boilerplate=find_boilerplate(text),
    )


def decode_utf8(raw: bytes, source: str | None = None, what: str = "the input") -> str:
    """Bytes to text, refusing anything that is not UTF-8 (a leading BOM is dropped)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"{what} is not UTF-8 text (byte {exc.start} is 0x{raw[exc.start]:02x}); "
            "convert it to UTF-8 first",
            source,
        ) from None


def json_value(raw: bytes | str, source: str | None = None) -> Any:
    """A JSON body decoded, or `DocumentError` saying why it cannot be."""
    text = decode_utf8(raw, source) if isinstance(raw, bytes) else raw
    try:
        refuse_deep(text, "the JSON", json=True)
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(
            f"the body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            source,
        ) from None
    except NestingTooDeepError as exc:
        raise DocumentError(str(exc), source) from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        reason = str(exc).split(":")[0]
        message = f"the body is JSON this service cannot read: {reason}"
        raise DocumentError(message, source) from None


def document_from_json(
    raw: bytes | str, *, max_text_bytes: int, source: str | None = None
) -> Document:
    """One JSON document from bytes or text."""
    data = json_value(raw, source)
    return document_from_mapping(data, max_text_bytes=max_text_bytes, source=source)


_SUFFIXES = (".json", ".jsonl", ".txt")


def _files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in _SUFFIXES)
        else:
            yield path


def read_documents(
    paths: list[Path],
    *,
    max_text_bytes: int,
    metadata: Mapping[str, Any] | None = None,
) -> Iterator[Document | DocumentError]:
    """Documents from files and folders: `.json` (one), `.jsonl` (one a line), `.txt` (text).

    Yields a `DocumentError` in place of each document that cannot be read, so one bad file
    never stops the others. `.txt` files take their metadata from `metadata`.
    """
    for path in _files(paths):
        source = str(path)
        if not path.exists():
            yield DocumentError("no such file or folder", source)
            continue
        if path.suffix not in _SUFFIXES:
            yield DocumentError(
                f"unknown file type {path.suffix or '(none)'!r}; use .json, .jsonl or .txt",
                source,
            )
            continue
        raw = path.read_bytes()
        try:
            if path.suffix == ".txt":
                data = dict(metadata or {})
                data["text"] = decode_utf8(raw, source)
                yield document_from_mapping(data, max_text_bytes=max_text_bytes, source=source)
            elif path.suffix == ".json":
                yield document_from_json(raw, max_text_bytes=max_text_bytes, source=source)
            else:
                lines = decode_utf8(raw, source).splitlines()
                for number, line in enumerate(lines, start=1):
                    if not line.strip():
                        continue
                    line_source = f"{source}:{number}"
                    try:
                        yield document_from_json(
                            line, max_text_bytes=max_text_bytes, source=line_source
                        )
                    except DocumentError as exc:
                        yield exc
        except DocumentError as exc:
            yield exc
