"""No request leaves the machine for a client: refused on the parsed operation, and, behind
that, the query workers and the update thread have no network at all."""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from fastapi.testclient import TestClient

from service.bootstrap import build_app
from service.settings import Settings
from service.store import QueryError
from service.store import oxigraph as oxigraph_module
from service.store.offline import close_network, network_namespace
from service.store.oxigraph import OxigraphStore, QueryLimits

TOKEN = "a-token-of-sixteen-chars"


def _walls_can_be_built() -> bool:
    """Whether this machine lets a thread take a network namespace of its own (root with
    CAP_SYS_ADMIN; many containers drop it): tried in a thread that then ends."""
    built: list[bool] = []
    probe = threading.Thread(target=lambda: built.append(close_network()))
    probe.start()
    probe.join()
    return built == [True]


AS_ROOT = pytest.mark.skipif(
    not _walls_can_be_built(), reason="a thread's own network namespace needs CAP_SYS_ADMIN"
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str]

    def _answer(self) -> None:
        self.seen.append(self.path)
        body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer  # noqa: N815 - the names http.server calls

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A SPARQL-ish HTTP server on loopback that records every request it gets."""
    seen: list[str] = []
    handler = type("Handler", (_Recorder,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", seen
    server.shutdown()
    server.server_close()


def test_offline_bypasses_of_the_old_text_filter_reach_nobody(
    listener: tuple[str, list[str]],
) -> None:
    endpoint, seen = listener
    settings = Settings(update_token=TOKEN)
    attempts = [
        f"SELECT * WHERE {{ #\r SERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{endpoint}\u00a0> {{ ?s ?p ?o }} }}",
    ]
    with TestClient(build_app(settings, OxigraphStore(None))) as client:
        for query in attempts:
            response = client.get("/sparql", params={"query": query})
            assert response.status_code == 400, response.text
            assert "SERVICE" in response.json()["error"]
        response = client.post(
            "/sparql",
            content=f"LOAD <{endpoint}>",
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {TOKEN}",
            },
        )
        assert response.status_code == 400, response.text
        assert "LOAD" in response.json()["error"]
    assert seen == []


@AS_ROOT
def test_offline_update_thread_cannot_fetch_even_if_the_parsed_check_missed(
    listener: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint, seen = listener
    monkeypatch.setattr(oxigraph_module, "refuse_outbound", lambda *_, **__: None)
    store = OxigraphStore(None)
    with pytest.raises(QueryError, match="unreachable"):
        store.update(f"LOAD <{endpoint}>")
    assert seen == []
    store.close()


def test_offline_query_workers_live_in_a_network_namespace_of_their_own(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store", limits=QueryLimits(timeout=10, workers=1))
    store.query("ASK {}", ["*/*"])  # starts the worker, which leaves the network first
    workers = [
        child
        for child in psutil.Process().children()
        if "service.store.query_worker" in child.cmdline()
    ]
    spaces = {os.readlink(f"/proc/{worker.pid}/ns/net") for worker in workers}
    store.close()
    assert workers
    assert network_namespace() not in spaces


def test_offline_federation_reaches_only_allowed_endpoints(
    listener: tuple[str, list[str]], tmp_path: Path
) -> None:
    endpoint, seen = listener
    limits = QueryLimits(timeout=10, workers=1, federation=(endpoint,))
    store = OxigraphStore(tmp_path / "store", limits=limits)
    try:
        store.query(f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}", ["*/*"])
        with pytest.raises(QueryError, match="allow-list"):
            store.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", ["*/*"])
    finally:
        store.close()
    assert len(seen) == 1
