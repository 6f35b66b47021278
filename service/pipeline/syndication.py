"""Syndication: one text published several times, and texts that are near-copies of others.

A text's identity is its hash, so the same wire story from a second publisher is the same
document: its appearances are merged (`merge_appearances`), none is lost, and the first one
(the earliest dated, else the first received) gives the document its publisher and date. The
pages it was extracted from are merged the same way (`merge_raw_pages`): every page a stored
text was read from stays described, so a reader can check each extraction.

A text with a changed headline or an added paragraph has another hash. Near-copies are found
with MinHash over word 5-shingles (datasketch): each document stores the keys of its
signature's LSH bands (`fg:shingleBand`), so the candidates for a new text are the documents
sharing a key, found by index in the store whatever its size; each candidate is then compared
exactly (the Jaccard similarity of the two shingle sets), and kept at `NEAR_COPY` or above.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib.metadata import version

from datasketch import MinHash, MinHashLSH

from service.pipeline.documents import Appearance, Document, RawPage
from service.rdf.vocab import FG, SDO
from service.sparql import load
from service.store import Store, iri_term, literal_term

__all__ = [
    "NEAR_COPY",
    "BatchIndex",
    "NearCopy",
    "band_keys",
    "find_near_copies",
    "jaccard",
    "merge_appearances",
    "merge_raw_pages",
    "shingles",
    "stored_appearances",
    "stored_raw_pages",
]

SHINGLE_WORDS = 5  # a shingle is this many words in a row
NUM_PERM = 128  # MinHash permutations
# LSH finds pairs from about this similarity on (37 bands of 3 rows: a pair at 0.5 is a
# candidate with probability 0.993); candidates are then compared exactly against NEAR_COPY.
LSH_THRESHOLD = 0.3
# Jaccard similarity of the shingle sets from which one text is a near-copy of another. A wire
# story under a new headline, or with a paragraph added or cut, stays far above it (0.7 and
# more); two outlets' own reports of one event share quotes but stay below 0.1
# (bench/syndication.py measures both on PolNeAR).
NEAR_COPY = 0.5
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class NearCopy:
    """A text reuse between two documents: `copy` is the later, `original` the earlier."""

    copy: str
    original: str
    score: float

    @property
    def method(self) -> str:
        return METHOD


METHOD = (
    f"MinHash LSH (datasketch {version('datasketch')}, {NUM_PERM} permutations, "
    f"band threshold {LSH_THRESHOLD}) over word {SHINGLE_WORDS}-shingles finds candidates; "
    f"kept when the exact Jaccard similarity of the shingle sets is at least {NEAR_COPY}"
)


# ---------------------------------------------------------------- appearances


def _order(appearance: Appearance) -> tuple[bool, dt.date, dt.datetime]:
    """Dated before undated, earlier before later, then the one received first."""
    date = appearance.publication_date
    recorded = appearance.recorded or dt.datetime.max.replace(tzinfo=dt.UTC)
    return (date is None, date or dt.date.max, recorded)


def merge_appearances(
    document: Document, stored: Iterable[Appearance], now: dt.datetime
) -> Document:
    """The document with every known appearance of its text, first first, and the first
    appearance's publisher, URL, date and headline as its own.

    The document's own appearance replaces a stored one with the same key (the same URL, or
    the same publisher without a URL), keeping when that one was first received.
    """
    by_key = {a.key: a for a in stored if not a.empty}
    own = document.appearance
    if not own.empty:
        previous = by_key.get(own.key)
        recorded = previous.recorded if previous and previous.recorded else now
        by_key[own.key] = replace(own, recorded=recorded)
    ordered = tuple(sorted(by_key.values(), key=_order))
    if not ordered:
        return document
    first = ordered[0]
    return replace(
        document, title=first.title, publisher=first.publisher, url=first.url,
        date_published=first.date_published, appearances=ordered,
    )


def _date(text: str | None) -> dt.date | dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
    except ValueError:
        return None


def stored_appearances(store: Store, document_iri: str) -> list[Appearance]:
    """The appearances of a stored text, as its graph records them."""
    rows = store.select(load("syndication/appearances.rq"), {"document": iri_term(document_iri)})
    found: dict[str, Appearance] = {}
    for row in rows:
        recorded = _date(row["recorded"])
        found.setdefault(row["appearance"] or "", Appearance(
            publisher=row["publisherName"], url=row["url"], date_published=_date(row["date"]),
            title=row["title"],
            recorded=recorded if isinstance(recorded, dt.datetime) else None,
        ))
    return list(found.values())


# ---------------------------------------------------------------- raw pages


def _fetch_order(page: RawPage) -> tuple[bool, dt.datetime]:
    """Earlier fetches first, a page of unknown fetch time last (a time without a zone is UTC)."""
    at = page.fetched_at
    if at is None:
        return True, dt.datetime.max.replace(tzinfo=dt.UTC)
    return False, at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def merge_raw_pages(document: Document, stored: Iterable[RawPage]) -> Document:
    """The document with every page its text was extracted from: the stored ones and its own,
    earliest fetched first.

    A page is its bytes at an address (`RawPage.key`). The same bytes fetched again from the
    same address are one page, described as first fetched (the earliest fetch time, and what
    extracted the text then; of two without a time, the stored one), so ingesting a page
    again adds none. The same bytes from another address, or other bytes around the same story
    (another site's furniture), are pages of their own.
    """
    by_key: dict[tuple[str, str], RawPage] = {}
    for page in (*stored, *document.raw_pages):
        kept = by_key.get(page.key)
        if kept is None or _fetch_order(page) < _fetch_order(kept):
            by_key[page.key] = page
    pages = sorted(by_key.values(), key=lambda page: (_fetch_order(page), page.key))
    return replace(document, raw_pages=tuple(pages))


def _stored_page(sha256: str, values: dict[str, str]) -> RawPage:
    """A stored page from its property values by IRI (the query gives a row for each)."""
    fetched_at = _date(values.get(str(FG.fetchedAt)))
    return RawPage(
        sha256, fetched_from=values.get(str(FG.fetchedFrom)),
        fetched_at=fetched_at if isinstance(fetched_at, dt.datetime) else None,
        media_type=values.get(str(SDO.encodingFormat), ""),
        extractor=values.get(str(FG.extractedWith), ""),
    )


def stored_raw_pages(store: Store, document_iri: str) -> list[RawPage]:
    """The pages a stored text was extracted from, as its graph records them."""
    rows = store.select(load("syndication/raw_pages.rq"), {"document": iri_term(document_iri)})
    described: dict[str, tuple[str, dict[str, str]]] = {}  # page IRI -> its hash, its values
    for row in rows:
        _, values = described.setdefault(row["page"] or "", (row["hash"] or "", {}))
        if row["property"] and row["value"] is not None:
            values.setdefault(row["property"], row["value"])
    return [_stored_page(sha256, values) for sha256, values in described.values()]


# ---------------------------------------------------------------- near-copies


def shingles(text: str) -> set[str]:
    """The text's word 5-shingles, case, accents and punctuation aside (a text of fewer words
    is one shingle)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = _WORD.findall(folded)
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0 for two empty sets."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


@cache
def _bands() -> list[tuple[int, int]]:
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return [(i * lsh.r, (i + 1) * lsh.r) for i in range(lsh.b)]


def band_keys(text: str) -> list[str]:
    """The LSH band keys of the text's MinHash signature ("band:16 hex digits"); two texts
    whose Jaccard similarity is s share at least one with probability 1 - (1 - s^r)^b."""
    found = shingles(text)
    if not found:
        return []
    signature = MinHash(num_perm=NUM_PERM)
    signature.update_batch([s.encode("utf-8") for s in found])
    values = signature.hashvalues
    return [
        f"{n}:{hashlib.blake2b(values[start:end].tobytes(), digest_size=8).hexdigest()}"
        for n, (start, end) in enumerate(_bands())
    ]


class BatchIndex:
    """The band keys of the documents of one ingest batch: a text is compared with those
    earlier in its batch too, which the store may not hold yet."""

    def __init__(self) -> None:
        self._documents: dict[str, Document] = {}
        self._by_key: dict[str, set[str]] = {}

    def add(self, document_iri: str, document: Document, keys: Sequence[str]) -> None:
        self._documents[document_iri] = document
        for key in keys:
            self._by_key.setdefault(key, set()).add(document_iri)

    def candidates(self, keys: Sequence[str]) -> dict[str, Document]:
        found = set().union(*(self._by_key.get(key, set()) for key in keys))
        return {iri: self._documents[iri] for iri in sorted(found)}


def _stored_candidates(store: Store, keys: Sequence[str]) -> list[str]:
    found: dict[str, None] = {}
    for key in keys:
        for row in store.select(load("syndication/band_documents.rq"), {"band": literal_term(key)}):
            if row["document"]:
                found[row["document"]] = None
    return sorted(found)


def _stored_text(store: Store, document_iri: str) -> tuple[str, dt.date | None] | None:
    rows = store.select(load("syndication/document_text.rq"), {"document": iri_term(document_iri)})
    if not rows or rows[0]["text"] is None:
        return None
    published = _date(rows[0]["published"])
    return rows[0]["text"], published.date() if isinstance(published, dt.datetime) else published


def find_near_copies(
    store: Store, document: Document, document_iri: str, batch: BatchIndex | None = None
) -> list[NearCopy]:
    """The stored documents (and those earlier in `batch`) this text is a near-copy of, or
    that are near-copies of it, most similar first. The earlier published is the original;
    undated or the same day, the one received first."""
    keys = band_keys(document.text)
    others: dict[str, tuple[str, dt.date | None] | None] = {
        iri: (other.text, other.publication_date)
        for iri, other in (batch.candidates(keys) if batch else {}).items()
    }
    for iri in _stored_candidates(store, keys):
        if iri not in others:
            others[iri] = _stored_text(store, iri)
    if batch is not None:
        batch.add(document_iri, document, keys)
    own, date = shingles(document.text), document.publication_date
    found = []
    for other, known in others.items():
        if other == document_iri or known is None:
            continue
        score = round(jaccard(own, shingles(known[0])), 3)
        if score < NEAR_COPY:
            continue
        newer = known[1] is not None and date is not None and known[1] > date
        copy, original = (other, document_iri) if newer else (document_iri, other)
        found.append(NearCopy(copy, original, score))
    return sorted(found, key=lambda c: (-c.score, c.original, c.copy))
