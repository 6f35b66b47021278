"""A web page to a document: the story's text and what the page says about it, by trafilatura.

trafilatura keeps the article and leaves out the site's furniture (menus, teasers, cookie
banners, comments, scripts), and reads the headline, byline, site name and publication date
from the page's metadata. The extracted text is what offsets count in; the raw page is
described beside it (`RawPage`: its hash, where and when it was fetched) so a reader can check
the extraction. Knows nothing of HTTP: the caller hands over bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import replace
from importlib.metadata import version

import trafilatura

from service.pipeline.documents import Document, DocumentError, RawPage, document_from_mapping

__all__ = ["EXTRACTOR", "page_document"]

EXTRACTOR = f"trafilatura {version('trafilatura')}"

# Only the page's own statement of its date (metadata, not a guess from the text or today).
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_HTTP_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")  # a canonical link the page may give
_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)


def _without_headline(text: str, title: str | None) -> str:
    """The story without its headline: trafilatura puts the page's <h1> on the first line,
    which is the document's title, not a sentence of its text."""
    first, _, rest = text.partition("\n")
    if title and rest and " ".join(first.split()) == " ".join(title.split()):
        return rest
    return text


def page_document(
    raw: bytes,
    *,
    max_text_bytes: int,
    url: str | None = None,
    fetched_at: dt.datetime | None = None,
    source: str | None = None,
) -> Document:
    """The document of an HTML page; `DocumentError` when it holds no story text.

    `url` is where the page was fetched from (or its canonical address, for a saved page) and
    becomes the document's URL when the page names none of its own."""
    extracted = trafilatura.bare_extraction(
        raw,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        date_extraction_params=_DATE_PARAMS,
    )
    if extracted is None or not (extracted.text or "").strip():
        raise DocumentError("the page holds no story text that could be extracted", source)
    text = _without_headline(extracted.text.strip(), extracted.title)
    own = extracted.url if _HTTP_URL.match(extracted.url or "") else None
    language = _HTML_LANG.search(raw[:4096])
    data = {
        "text": text,
        "title": extracted.title,
        "publisher": extracted.sitename or extracted.hostname,
        "url": own or url,
        "date_published": extracted.date,
        "language": language.group(1).decode("ascii").lower() if language else None,
    }
    document = document_from_mapping(data, max_text_bytes=max_text_bytes, source=source)
    page = RawPage(
        sha256=hashlib.sha256(raw).hexdigest(),
        fetched_from=url,
        fetched_at=fetched_at,
        extractor=EXTRACTOR,
    )
    return replace(document, author=extracted.author or None, raw_pages=(page,))
