"""Which text index a store has: the embedded store's, beside it (or in memory with it), or
none at all for a remote store, whose questions by text fall back to a scan in SPARQL."""

from __future__ import annotations

from service.rdf.vocab import FG
from service.store import Store
from service.store.oxigraph import OxigraphStore
from service.textindex import TextIndex, index_directory
from service.textindex.sync import TextIndexer

__all__ = ["has_text_index", "text_indexer_for"]


def has_text_index(store: Store) -> bool:
    """Whether the store has a text index already (opening one would make it): a store
    directory copied or restored alone has none until a start, an ingest or a reindex."""
    if not isinstance(store, OxigraphStore):
        return False
    return store.path is None or store.text_index is not None or index_directory(
        store.path
    ).exists()


def text_indexer_for(store: Store, base_iri: str) -> TextIndexer | None:
    """The writer of the store's text index, opened (and attached to the store, which closes it,
    so that its clients' SPARQL can call fg:textScore) on first demand; None for a remote
    store: a SPARQL server's own text index (Virtuoso's bif:contains) is not used, and
    `who_said` scans there as before."""
    if not isinstance(store, OxigraphStore):
        return None
    index = store.text_index
    if index is None:
        index = TextIndex(index_directory(store.path) if store.path is not None else None)
        store.attach_text_index(str(FG.textScore), index)
    return TextIndexer(store, index, base_iri)
