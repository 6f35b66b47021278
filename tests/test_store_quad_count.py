"""The quad count `/healthz` reports: exact after every write, without a scan of the store per
call (graph writes keep it; an update drops it, and the next call rescans)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import build_app
from service.settings import Settings
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


def test_store_quad_count_scans_once_then_keeps_up_until_an_update() -> None:
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
    store.update(f"INSERT DATA {{ GRAPH <{G2}> {{ {ONE.decode()} }} }}")
    assert [store.quad_count() for _ in range(5)] == [2] * 5
    assert spy.scans == 2  # rescanned once, on the first call after the update
    store.replace_graph(G1, THREE)
    assert store.quad_count() == 4
    assert spy.scans == 2


SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.json"))
TOKEN = "quad-count-token-0123456789"


def test_store_quad_count_healthz_equals_a_scan_after_ingests_updates_and_deletes() -> None:
    store = OxigraphStore(None)
    app = build_app(Settings(update_token=TOKEN), store)
    with TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}) as client:

        def healthz() -> int:
            response = client.get("/healthz")
            assert response.status_code == 200, response.text
            return response.json()["quads"]

        def post(seed: Path) -> str:
            json = {"Content-Type": "application/json"}
            response = client.post("/documents", content=seed.read_bytes(), headers=json)
            assert response.status_code == 201, response.text
            return response.json()["iri"]

        def update(sparql: str) -> None:
            response = client.post("/sparql", data={"update": sparql})
            assert response.status_code in (200, 204), response.text

        assert healthz() == _scanned(store) == 0
        iris = [post(seed) for seed in SEEDS]  # each: its graph, then its comparisons (an update)
        both = healthz()
        assert both == _scanned(store) > 0
        assert post(SEEDS[0]) == iris[0]  # replaced, not added
        assert healthz() == _scanned(store) == both
        notes = "http://example.org/notes"
        update(f'INSERT DATA {{ GRAPH <{notes}> {{ <{iris[0]}> <{notes}#p> "1", "2" }} }}')
        assert healthz() == _scanned(store) == both + 2
        update(f'DELETE WHERE {{ GRAPH <{notes}> {{ ?s ?p "1" }} }}')
        assert healthz() == _scanned(store) == both + 1
        response = client.delete(f"/documents/{iris[1].rsplit('/', 1)[1]}")
        assert response.status_code == 204, response.text
        assert healthz() == _scanned(store) < both
        assert not store.has_graph(iris[1])
