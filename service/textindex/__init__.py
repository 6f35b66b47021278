"""The full-text index of statements, quantity claims and actor names (tantivy), derived from
the store: `index` holds it, `sync` keeps it in step, `function` exposes it to SPARQL."""

from __future__ import annotations

from pathlib import Path

from service.textindex.index import KINDS, Entry, Hit, TextIndex, words

__all__ = ["KINDS", "Entry", "Hit", "TextIndex", "index_directory", "words"]


def index_directory(store_directory: Path) -> Path:
    """Where a store's text index lives: beside its directory, as its query checkpoints do
    (`.<name>.text/`), so a backup or a copy of the store never carries a stale index."""
    return store_directory.parent / f".{store_directory.name}.text"
