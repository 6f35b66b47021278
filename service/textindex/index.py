"""The full-text index itself: tantivy, one entry per statement, quantity claim and named actor.

Tantivy (a Lucene-like engine in Rust) keeps an inverted index with positions, so finding the
entries that hold a phrase costs what the matching postings cost, not a pass over every
statement, and ranks them by BM25. An entry keeps its provenance (document, sentence, offsets,
the node's IRI, the speaker) so an answer needs no second lookup to say where it comes from:
all of it in one stored value, a JSON array, since reading hits back is what an answer of
hundreds of entries costs (tantivy converts each stored field apart, ~2 µs a field and hit,
and one `json.loads` for all the hits of a search costs half what one a hit costs).

Each document's entries, and a stamp saying which extraction of it they come from, are replaced
in one tantivy commit: a reader sees the old entries or the new ones. The index is derived
data: `service.textindex.sync` fills it from the store and rebuilds what lags.

This module imports only tantivy (a query worker process opens the index read-only through it).
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import tantivy

__all__ = [
    "KINDS",
    "Entry",
    "Hit",
    "TextIndex",
    "words",
]

# The analyzer of indexed text and of every query: words are runs of letters and digits,
# lowercased; words over 40 bytes are dropped (tantivy's default tokenizer, named ours so that
# index and queries cannot drift apart).
_ANALYZER = "factgraph_words"
KINDS = ("statement", "quantity", "actor")
_STAMP = "stamp"  # one per document: the extraction its entries come from
_WRITER_HEAP = 50_000_000  # bytes the writer buffers before it flushes a segment
_FORMAT = "3"  # bumped when the schema changes: an index of another format is rebuilt
# Bytes of stored entries tantivy compresses together (its default: 16 KB). Reading one entry
# decompresses its whole block, and a reader keeps only 100 blocks a segment decompressed, so
# the hits of a phrase, spread over the archive, each cost a block of their own: 2 KB blocks
# read them in about half the time, for an index ~35 % larger (bench/README.md, text search).
_DOCSTORE_BLOCK = 2048


def _analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .build()
    )


def words(text: str) -> list[str]:
    """The words of `text` as the index reads them: what a search for `text` looks up."""
    return list(_analyzer().analyze(text))


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("kind", stored=False, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("document", stored=False, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("text", stored=False, tokenizer_name=_ANALYZER)
    # the whole entry (Entry.encoded), read back with a hit and never searched
    builder.add_bytes_field("entry", stored=True, indexed=False)
    return builder.build()


@dataclass(slots=True)  # not frozen: a search makes thousands, and frozen ones cost 3x more
class Entry:
    """One thing a reader may look for by its words, and where it was said."""

    kind: str  # one of KINDS
    node: str  # the statement's, claim's or actor's IRI
    document: str
    text: str  # what is searched: a statement's content, a claim's sentence, an actor's name
    sentence: str | None = None
    begin: int | None = None  # the sentence's offsets in the document's text
    end: int | None = None
    span_begin: int | None = None  # the content's, mention's or name's offsets
    span_end: int | None = None
    speaker: str | None = None  # who said it (a quantity: who claims it)
    speaker_name: str | None = None
    # what an answer shows of it beside (a statement's cue, type, outlet, date, sentence text)
    details: dict[str, str | None] = field(default_factory=dict)

    def encoded(self) -> bytes:
        """The entry as the index stores it: its fields in order, one JSON array
        (`Entry(*array)` makes it again)."""
        return _encoded([getattr(self, name) for name in _ENTRY_FIELDS])


_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))
_NODE = _ENTRY_FIELDS.index("node")


def _encoded(values: list[Any]) -> bytes:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()


def _stored(searcher: tantivy.Searcher, addresses: Iterable[Any]) -> list[list[Any]]:
    """The stored arrays of these documents, in order, decoded by one `json.loads`."""
    found = [searcher.doc(address).get_first("entry") for address in addresses]
    return json.loads(b"[" + b",".join(found) + b"]") if found else []


@dataclass(slots=True)  # not frozen, as Entry: a search makes one for each hit
class Hit:
    """An entry that matched, with its BM25 score."""

    entry: Entry
    score: float

    def to_json(self) -> dict[str, Any]:
        e = self.entry
        return {
            "kind": e.kind,
            "node": e.node,
            "score": round(self.score, 4),
            "text": e.text,
            "document": e.document,
            "sentence": {"iri": e.sentence, "begin": e.begin, "end": e.end},
            "offsets": {"begin": e.span_begin, "end": e.span_end},
            "speaker": {"iri": e.speaker, "name": e.speaker_name},
        }


def _set_docstore_block(path: Path, size: int) -> None:
    """The block size of a new, empty index: tantivy-py takes no IndexSettings, but tantivy
    reads them from the index's meta.json when it opens it, and writes them back unchanged in
    every meta.json it commits after (tests/test_textindex.py checks it still does)."""
    meta_file = path / "meta.json"
    meta = json.loads(meta_file.read_text("utf-8"))
    meta["index_settings"]["docstore_blocksize"] = size
    meta_file.write_text(json.dumps(meta), "utf-8")


@dataclass(slots=True)
class _Writer:
    """The index's one writer (tantivy allows one per index, across processes)."""

    writer: Any
    lock: threading.Lock = field(default_factory=threading.Lock)


class TextIndex:
    """A tantivy index in `path` (None: in memory), opened for reading, and for writing unless
    `read_only`. An index written by another format of this module is removed and made anew
    (then empty: the stamps say every document lags, and `sync` refills it)."""

    def __init__(self, path: str | Path | None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self._schema = _schema()
        self._index = self._open(read_only)
        self._index.register_tokenizer(_ANALYZER, _analyzer())
        self._writer: _Writer | None = None
        if not read_only:
            self._writer = _Writer(self._index.writer(_WRITER_HEAP, 1))

    def _open(self, read_only: bool) -> tantivy.Index:
        if self.path is None:
            return tantivy.Index(self._schema)
        if read_only:
            return tantivy.Index.open(str(self.path))
        marker = self.path / "FACTGRAPH_FORMAT"
        if self.path.exists() and (not marker.exists() or marker.read_text() != _FORMAT):
            shutil.rmtree(self.path)
        if not marker.exists():  # made anew; the marker last, once the index is whole
            self.path.mkdir(parents=True)
            tantivy.Index(self._schema, str(self.path), reuse=False)
            _set_docstore_block(self.path, _DOCSTORE_BLOCK)
            marker.write_text(_FORMAT)
        return tantivy.Index(self._schema, str(self.path), reuse=True)

    # --- writes -------------------------------------------------------------------------------

    def _write(self) -> _Writer:
        if self._writer is None:
            raise RuntimeError("this text index was opened read-only")
        return self._writer

    def replace_document(self, document: str, entries: Iterable[Entry], stamp: str) -> int:
        """The document's entries and stamp replaced in one commit; how many entries it has."""
        return self.replace_documents([(document, entries, stamp)])

    def replace_documents(self, documents: Iterable[tuple[str, Iterable[Entry], str]]) -> int:
        """Several documents' entries and stamps replaced in one commit (a rebuild's batch);
        how many entries they have."""
        w = self._write()
        count = 0
        with w.lock:
            for document, entries, stamp in documents:
                w.writer.delete_documents_by_term("document", document)
                for entry in entries:
                    w.writer.add_document(
                        tantivy.Document(
                            kind=entry.kind,
                            document=entry.document,
                            text=entry.text,
                            entry=[entry.encoded()],
                        )
                    )
                    count += 1
                # a stamp's array: kind, node (the document), document, the stamp
                stamped = _encoded([_STAMP, document, document, stamp])
                w.writer.add_document(
                    tantivy.Document(kind=_STAMP, document=document, entry=[stamped])
                )
            w.writer.commit()
        self._index.reload()
        return count

    def drop_document(self, document: str) -> None:
        """The document's entries and stamp gone, in one commit."""
        w = self._write()
        with w.lock:
            w.writer.delete_documents_by_term("document", document)
            w.writer.commit()
        self._index.reload()

    def clear(self) -> None:
        """Every entry gone (a rebuild starts here)."""
        w = self._write()
        with w.lock:
            w.writer.delete_all_documents()
            w.writer.commit()
        self._index.reload()

    # --- reads --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """See what another process committed since (a query worker's reader)."""
        self._index.reload()

    def stamps(self) -> dict[str, str]:
        """Each indexed document and the stamp of the extraction its entries come from."""
        searcher = self._index.searcher()
        query = tantivy.Query.term_query(self._schema, "kind", _STAMP)
        total = max(1, searcher.num_docs)
        hits = searcher.search(query, limit=total, count=False).hits
        return {
            document: stamp
            for _, _, document, stamp in _stored(searcher, (address for _, address in hits))
        }

    def _query(
        self, text: str, kinds: Sequence[str], *, fragments: bool = True
    ) -> tantivy.Query | None:
        """The entries of these kinds holding the words of `text` in order, adjacent, in any
        case, ranked by BM25; None when `text` has no words. Built from terms, never parsed: no
        user text is query syntax.

        With `fragments`, the last word may begin a longer one (as "Iraq" is found in "Iraqi"):
        the same matches as a substring scan for a text that begins at a word's start. Those
        that match only so score 0 (BM25 ranks the whole words). A text that begins inside a
        word ("raq") is not found: that would take a pass over every word the index holds.
        """
        terms = words(text)
        if not terms:
            return None
        whole = self._phrase(terms)
        if fragments:
            # the words are runs of letters and digits (the analyzer's): no regex syntax
            if len(terms) == 1:
                loose = tantivy.Query.regex_query(self._schema, "text", f"{terms[0]}.*")
            else:
                edges = [*terms[:-1], f"{terms[-1]}.*"]
                loose = tantivy.Query.regex_phrase_query(self._schema, "text", edges)
            match = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, tantivy.Query.const_score_query(loose, 0.0)),
                    (tantivy.Occur.Should, whole),
                ]
            )
        else:
            match = whole
        of_kind = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(self._schema, "kind", kind))
                for kind in kinds
            ]
        )
        # the kind filters without scoring: the rank is the text's BM25 alone
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, match),
                (tantivy.Occur.Must, tantivy.Query.const_score_query(of_kind, 0.0)),
            ]
        )

    def _phrase(self, terms: list[str]) -> tantivy.Query:
        if len(terms) == 1:  # tantivy refuses a phrase of one word
            return tantivy.Query.term_query(self._schema, "text", terms[0], "freq")
        return tantivy.Query.phrase_query(self._schema, "text", terms)

    def _hits(
        self, searcher: tantivy.Searcher, text: str, kinds: Sequence[str], limit: int
    ) -> list[tuple[float, Any]]:
        """(score, address in `searcher`) of the best `limit` matches. A last word that begins
        more words than tantivy expands a regex phrase to (16,384) is matched as a whole word."""
        for fragments in (True, False):
            query = self._query(text, kinds, fragments=fragments)
            if query is None:
                return []
            try:
                return list(searcher.search(query, limit=limit, count=False).hits)
            except ValueError:
                if not fragments:
                    raise
        return []

    def search(self, text: str, kinds: Sequence[str] = KINDS, limit: int = 100) -> list[Hit]:
        """The best `limit` entries of `kinds` holding the words of `text` as a phrase, by BM25
        (best first; equal scores in index order)."""
        if limit < 1:
            return []
        searcher = self._index.searcher()
        hits = self._hits(searcher, text, kinds, limit)
        stored = _stored(searcher, (address for _, address in hits))
        return [Hit(Entry(*values), score) for (score, _), values in zip(hits, stored, strict=True)]

    def scores(self, text: str, kinds: Sequence[str] = KINDS, limit: int = 100_000) -> dict[
        str, float
    ]:
        """Node IRI -> best BM25 score of its entries that hold the words of `text`."""
        searcher = self._index.searcher()
        hits = self._hits(searcher, text, kinds, limit)
        stored = _stored(searcher, (address for _, address in hits))
        found: dict[str, float] = {}
        for (score, _), values in zip(hits, stored, strict=True):
            node = values[_NODE]
            found[node] = max(score, found.get(node, score))
        return found

    def size_bytes(self) -> int:
        """Bytes the index takes on disk (0 in memory)."""
        if self.path is None or not self.path.exists():
            return 0
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())

    def close(self) -> None:
        """Let tantivy finish its merges and release the writer's lock."""
        if self._writer is not None:
            with self._writer.lock:
                self._writer.writer.wait_merging_threads()
            self._writer = None
