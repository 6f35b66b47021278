"""Store.update: one SPARQL UPDATE request, all or nothing, and the quad count follows it."""

from __future__ import annotations

import pytest

from service.store import QueryError
from service.store.oxigraph import OxigraphStore

G = "http://example.org/graph/analysis"
D = "http://example.org/graph/doc"


def test_analysis_store_update_applies_in_one_transaction_and_counts() -> None:
    store = OxigraphStore(None)
    store.replace_graph(D, b'<http://e/a> <http://e/p> "1" .\n')
    assert store.quad_count() == 1
    store.update(f'INSERT DATA {{ GRAPH <{G}> {{ <http://e/c> <http://e/p> "1", "2" }} }}')
    assert store.quad_count() == len(store._db) == 3
    store.update(f'DELETE WHERE {{ GRAPH <{G}> {{ ?s ?p "1" }} }} ; DROP GRAPH <{D}>')
    assert store.quad_count() == len(store._db) == 1


def test_analysis_store_update_failing_midway_changes_nothing() -> None:
    store = OxigraphStore(None)
    store.replace_graph(D, b'<http://e/a> <http://e/p> "1" .\n')
    with pytest.raises(Exception):  # noqa: B017, PT011 - the engine's own error: graph exists
        store.update(f"DROP GRAPH <{D}> ; CREATE GRAPH <{G}> ; CREATE GRAPH <{G}>")
    assert store.has_graph(D)
    assert store.quad_count() == len(store._db) == 1


def test_analysis_store_update_rejects_bad_syntax_and_counts_after_any_graph() -> None:
    store = OxigraphStore(None)
    with pytest.raises(QueryError):
        store.update("INSERT DATA { not sparql")
    assert store.quad_count() == 0
    store.update('INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> "1" } }')
    assert store.quad_count() == len(store._db) == 1
    store.update('INSERT DATA { <http://e/a> <http://e/p> "2" }')  # the default graph
    assert store.quad_count() == len(store._db) == 2
