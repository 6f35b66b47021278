"""Keeps the text index in step with the store's documents.

A document's entries are read back from its stored graph (so the index holds exactly what the
store holds) and replaced in the index right after the store commits the graph, on the same
writer thread, before the claims are compared; a deleted document's entries go with it. Each
document's entries carry a stamp: when the extraction of the stored graph ended. A process
stopped between the store's commit and the index's leaves a stamp behind (or none); at start,
`catch_up` compares the stamps with the store and re-indexes what lags and drops what is gone,
and `factgraph reindex` rebuilds the whole index from the store.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

from service.rdf import iris
from service.read.rows import Row, integer
from service.sparql import load
from service.store import Store, iri_term, literal_term
from service.textindex.index import Entry, TextIndex

__all__ = ["CatchUp", "TextIndexer"]

log = logging.getLogger("factgraph.textindex")

_BATCH = 200  # documents per tantivy commit when catching up or rebuilding
# What an entry keeps beside its provenance: a statement's answer to who-said, whole
_DETAILS = {"statement": ("cue", "statementType", "outlet", "date", "sentenceText")}
_QUERIES = {"statement": "statements", "quantity": "quantities", "actor": "actors"}


@dataclass(frozen=True, slots=True)
class CatchUp:
    """What `catch_up` found lagging and mended."""

    indexed: list[str]  # documents (re-)indexed: new, changed, or never indexed
    dropped: list[str]  # documents gone from the store, dropped from the index


def _entry(kind: str, row: Row) -> Entry | None:
    if not row["node"] or not row["document"] or not row["text"]:
        return None
    return Entry(
        kind=kind,
        node=row["node"],
        document=row["document"],
        text=row["text"],
        sentence=row.get("sentence"),
        begin=integer(row.get("begin")),
        end=integer(row.get("end")),
        span_begin=integer(row.get("spanBegin")),
        span_end=integer(row.get("spanEnd")),
        speaker=row.get("speaker"),
        speaker_name=row.get("speakerName"),
        details={name: row.get(name) for name in _DETAILS.get(kind, ())},
    )


class TextIndexer:
    """The one writer of a store's text index (the Ingestor's `after_commit` hook calls it)."""

    def __init__(self, store: Store, index: TextIndex, base_iri: str) -> None:
        self.store = store
        self.index = index
        self.base_iri = base_iri

    def __call__(self, document_iri: str) -> None:
        """Never lets an index failure undo or hide an ingest: it is logged, and the stamp left
        behind makes the next start index the document again."""
        try:
            self.index_document(document_iri)
        except Exception:
            log.exception("indexing the text of %s failed", document_iri)

    def _stored(self, document_iri: str | None = None) -> dict[str, str]:
        """Each stored document (or just this one) and its stamp (when its extraction ended)."""
        bindings = {"prefix": literal_term(iris.documents_prefix(self.base_iri))}
        if document_iri is not None:
            bindings["document"] = iri_term(document_iri)
        rows = self.store.select(load("textindex/documents.rq"), bindings)
        return {row["document"]: row["extracted"] or "" for row in rows if row["document"]}

    def _entries(self, document_iri: str) -> Iterator[Entry]:
        for kind, name in _QUERIES.items():
            rows = self.store.select(
                load(f"textindex/{name}.rq"), {"document": iri_term(document_iri)}
            )
            seen: set[str] = set()
            for row in rows:  # OPTIONAL joins may repeat a node: its first row
                entry = _entry(kind, row)
                if entry is not None and entry.node not in seen:
                    seen.add(entry.node)
                    yield entry

    def index_document(self, document_iri: str, stamp: str | None = None) -> int:
        """Replace the document's entries with those of its stored graph; how many it has.
        A document no longer stored is dropped instead (0)."""
        if stamp is None:
            stamp = self._stored(document_iri).get(document_iri)
        if stamp is None:
            self.index.drop_document(document_iri)
            return 0
        return self.index.replace_document(document_iri, self._entries(document_iri), stamp)

    def drop_document(self, document_iri: str) -> None:
        self.index.drop_document(document_iri)

    def lagging(self) -> CatchUp:
        """What `catch_up` would do, done nothing: documents whose stamp differs from the
        store's (or that have none), and documents indexed but no longer stored."""
        return self._lag(self._stored())

    def _lag(self, stored: dict[str, str]) -> CatchUp:
        indexed = self.index.stamps()
        lagging = sorted(iri for iri, stamp in stored.items() if indexed.get(iri) != stamp)
        return CatchUp(lagging, sorted(set(indexed) - set(stored)))

    def catch_up(self) -> CatchUp:
        """Index every document whose stamp differs from the store's (or that has none); drop
        the entries of documents no longer stored."""
        stored = self._stored()
        found = self._lag(stored)
        lagging, gone = found.indexed, found.dropped
        for iri in gone:
            self.index.drop_document(iri)
        for at in range(0, len(lagging), _BATCH):
            batch = lagging[at : at + _BATCH]
            self.index.replace_documents(
                (iri, list(self._entries(iri)), stored[iri]) for iri in batch
            )
        if lagging or gone:
            log.warning(
                "the text index was out of step with the store: %d documents indexed again, "
                "%d dropped", len(lagging), len(gone)
            )
        return found

    def rebuild(self) -> int:
        """Every entry made anew from the store; how many documents were indexed."""
        self.index.clear()
        return len(self.catch_up().indexed)
