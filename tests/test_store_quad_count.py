"""The quad count is kept by the writes: exact, and no scan of the store per call."""

from __future__ import annotations

import pytest

from service.store.oxigraph import OxigraphStore

G1 = "http://example.org/graph/1"
G2 = "http://example.org/graph/2"
THREE = b"""<http://example.org/a> <http://example.org/p> "1" .
<http://example.org/a> <http://example.org/p> "2" .
_:x <http://example.org/p> "3" .
"""
ONE = b'<http://example.org/b> <http://example.org/p> "1" .\n'


def _scanned(store: OxigraphStore) -> int:
    """The count pyoxigraph gets by walking its index: the truth to compare with."""
    return len(store._db)


def test_store_quad_count_follows_replace_and_drop() -> None:
    store = OxigraphStore(None)
    assert store.quad_count() == 0
    store.replace_graph(G1, THREE)
    store.replace_graph(G2, ONE)
    assert store.quad_count() == _scanned(store) == 4
    store.replace_graph(G1, THREE)  # same data again: same count
    assert store.quad_count() == _scanned(store) == 4
    store.replace_graph(G1, ONE)  # smaller
    assert store.quad_count() == _scanned(store) == 2
    assert store.drop_graph(G2)
    assert not store.drop_graph(G2)
    assert store.quad_count() == _scanned(store) == 1


def test_store_quad_count_is_unchanged_by_a_refused_replace() -> None:
    store = OxigraphStore(None)
    store.replace_graph(G1, THREE)
    assert store.quad_count() == 3
    with pytest.raises(ValueError, match="not valid N-Triples"):
        store.replace_graph(G1, b'<http://example.org/a> <http://example.org/p> "broken .\n')
    assert store.quad_count() == _scanned(store) == 3


class _CountingScans:
    """Stands in for the pyoxigraph store and records every full scan (len)."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.scans = 0

    def __len__(self) -> int:
        self.scans += 1
        return len(self.inner)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def test_store_quad_count_scans_once_then_keeps_up() -> None:
    store = OxigraphStore(None)
    store.replace_graph(G1, THREE)  # written before anyone asked: counted on first demand
    spy = _CountingScans(store._store)
    store._store = spy  # type: ignore[assignment]
    assert store.quad_count() == 3
    store.replace_graph(G2, ONE)
    store.replace_graph(G1, ONE)
    assert store.drop_graph(G2)
    assert [store.quad_count() for _ in range(5)] == [1] * 5
    assert spy.scans == 1
