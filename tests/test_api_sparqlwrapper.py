"""A real client over real HTTP: SPARQLWrapper against uvicorn on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from service.bootstrap import build_app
from service.settings import Settings
from service.store.oxigraph import OxigraphStore

pytestmark = pytest.mark.e2e

DOC = "http://127.0.0.1/id/document/0000000000000001"
DATA = f"""<{DOC}> <http://schema.org/headline> "Troops stay" .
<{DOC}> <http://schema.org/publisher> <http://127.0.0.1/id/actor/press-tv> .
""".encode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    store = OxigraphStore(None)
    store.replace_graph(DOC, DATA)
    port = _free_port()
    config = uvicorn.Config(
        build_app(Settings(), store),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        store.close()


def test_api_sparqlwrapper_select_json(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery("SELECT ?headline WHERE { ?d <http://schema.org/headline> ?headline }")
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert [row["headline"]["value"] for row in result["results"]["bindings"]] == ["Troops stay"]


def test_api_sparqlwrapper_construct_turtle(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery("CONSTRUCT WHERE { ?d ?p ?o }")
    client.setReturnFormat(TURTLE)
    response = client.query()
    assert response.response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.convert(), format="turtle")
    assert (URIRef(DOC), URIRef("http://schema.org/headline"), Literal("Troops stay")) in graph
    assert len(graph) == 2


def test_api_sparqlwrapper_post_method(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setMethod("POST")
    client.setQuery("ASK { ?d <http://schema.org/headline> 'Troops stay' }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
