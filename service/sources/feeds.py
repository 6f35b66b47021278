"""RSS and Atom feeds (feedparser): the entries' links, and what a watcher has already seen.

feedparser is only ever handed bytes, never an address: every fetch goes through
`service.sources.fetch`, with its limits.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import feedparser

from service.pipeline.documents import DocumentError

__all__ = ["FeedEntry", "SeenState", "feed_entries", "looks_like_feed"]

_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
     "text/xml", "application/feed+xml"}
)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str
    title: str | None = None
    published: dt.datetime | None = None


def looks_like_feed(raw: bytes, media_type: str = "") -> bool:
    """A feed by its media type, or by its root element within the first bytes."""
    return media_type in _FEED_TYPES or bool(_FEED_ROOT.search(raw[:2048]))


def feed_entries(raw: bytes, source: str | None = None) -> list[FeedEntry]:
    """The entries that link to a page, in the feed's order; `DocumentError` when `raw` is not
    an RSS or Atom feed."""
    parsed = feedparser.parse(raw)
    if not parsed.version:
        problem = parsed.get("bozo_exception")
        detail = f" ({' '.join(str(problem).split())})" if problem else ""
        raise DocumentError(f"this is not an RSS or Atom feed{detail}", source)
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link or not str(link).startswith(("http://", "https://")):
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = dt.datetime(*when[:6], tzinfo=dt.UTC) if when else None
        entries.append(FeedEntry(str(link), entry.get("title"), published))
    return entries


@dataclass(slots=True)
class SeenState:
    """The addresses and text hashes a watcher has ingested, in a JSON file: a restarted
    watcher ingests nothing twice. Written whole to a temporary file and renamed, so a crash
    leaves the previous state, never half a file."""

    path: Path
    urls: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path) -> SeenState:
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, set(data["urls"]), set(data["hashes"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise DocumentError(f"the watch state is not readable ({exc}); move it away "
                                "to start afresh", str(path)) from None

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        data = {"urls": sorted(self.urls), "hashes": sorted(self.hashes)}
        temporary.write_text(json.dumps(data, indent=0), encoding="utf-8")
        os.replace(temporary, self.path)
