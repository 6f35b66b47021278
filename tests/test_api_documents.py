"""POST and GET /documents: refusals in plain words, SHACL rejection, and the real ingest flow."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from service import bootstrap
from service.api.app import create_app
from service.api.documents import body_limit
from service.settings import Settings
from service.store.oxigraph import OxigraphStore
from tests.conftest import ON_THIS_MACHINE

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "seeds").glob("*.json"))[0]
JSON = {"Content-Type": "application/json"}
SETTINGS = Settings(max_text_bytes=2_000)


def _never_built() -> Any:
    raise AssertionError("a refused request must not build the ingestor")


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(SETTINGS, store=OxigraphStore(None), ingestor_factory=_never_built)
    with TestClient(app, client=ON_THIS_MACHINE) as test_client:
        yield test_client


def assert_sentence(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    message = body["error"]
    assert isinstance(message, str)
    assert len(message.split()) >= 3, message
    assert "Traceback" not in response.text
    for word in words:
        assert word in message, message
    return body


def test_api_documents_wrong_content_type_is_415(client: TestClient) -> None:
    response = client.post("/documents", content=b"text", headers={"Content-Type": "text/plain"})
    assert_sentence(response, 415, "application/json")


def test_api_documents_broken_json_is_422(client: TestClient) -> None:
    assert_sentence(client.post("/documents", content=b'{"text": ', headers=JSON), 422, "JSON")


def test_api_documents_not_an_object_is_422(client: TestClient) -> None:
    assert_sentence(client.post("/documents", content=b"[1, 2]", headers=JSON), 422, "object")


def test_api_documents_empty_text_is_422(client: TestClient) -> None:
    response = client.post("/documents", json={"text": "  \n "})
    assert_sentence(response, 422, "empty")


def test_api_documents_non_utf8_is_400(client: TestClient) -> None:
    response = client.post("/documents", content=b'{"text": "caf\xe9"}', headers=JSON)
    assert_sentence(response, 400, "UTF-8")


def test_api_documents_text_over_the_limit_is_413(client: TestClient) -> None:
    response = client.post("/documents", json={"text": "word " * 1_000})
    assert_sentence(response, 413, "2000 bytes")


def test_api_documents_declared_size_over_the_cap_is_413_without_reading(
    client: TestClient,
) -> None:
    headers = {**JSON, "Content-Length": str(body_limit(SETTINGS.max_text_bytes) + 1)}
    response = client.post("/documents", content=b'{"text": "short"}', headers=headers)
    assert_sentence(response, 413, "limit")


def test_api_documents_lying_chunked_client_is_cut_off_at_the_cap(client: TestClient) -> None:
    def endless() -> Iterable[bytes]:
        yield b'{"text": "'
        for _ in range(10_000):  # 40 MB, far over the cap, with no Content-Length
            yield b"x" * 4096
        yield b'"}'

    response = client.post("/documents", content=endless(), headers=JSON)
    assert_sentence(response, 413, "limit")
    assert "content-length" not in response.request.headers


def test_api_documents_escaped_text_within_the_limit_is_read() -> None:
    """A text at the limit, escaped by a client as \\uXXXX, still fits under the body cap."""
    text = "\x01" * SETTINGS.max_text_bytes
    raw = json.dumps({"text": text, "title": "t"}).encode()
    assert len(raw) <= body_limit(SETTINGS.max_text_bytes)


def test_api_documents_list_is_empty_then_lists_stored_documents() -> None:
    store = OxigraphStore(None)
    app = create_app(SETTINGS, store=store, ingestor_factory=_never_built)
    doc = "http://localhost:8000/id/document/00000000000000aa"
    with TestClient(app, client=ON_THIS_MACHINE) as client:
        assert client.get("/documents").json() == []
        data = f"""
        @prefix schema: <http://schema.org/> . @prefix fg: <https://w3id.org/factgraph/ns#> .
        <{doc}> a schema:NewsArticle ; schema:headline "Headline" ;
            schema:publisher <http://localhost:8000/id/actor/press-tv> ;
            schema:datePublished "2024-01-27"^^<http://www.w3.org/2001/XMLSchema#date> .
        <{doc}/statement/0> a fg:Statement ; schema:appearance <{doc}> .
        <{doc}/statement/1> a fg:Statement ; schema:appearance <{doc}> .
        <{doc}/quantity/0> a fg:QuantityClaim ; schema:appearance <{doc}> .
        """
        graph = Graph().parse(data=data, format="turtle")
        store.replace_graph(doc, graph.serialize(format="nt", encoding="utf-8"))
        store.replace_graph(
            "http://localhost:8000/graph/actors",
            b'<http://localhost:8000/id/actor/press-tv> <http://schema.org/name> "Press TV" .\n',
        )
        assert client.get("/documents").json() == [
            {
                "iri": doc,
                "headline": "Headline",
                "publisher": "Press TV",
                "date_published": "2024-01-27",
                "url": None,
                "statements": 2,
                "quantities": 1,
                "appearances": [],  # a graph written by hand, without schema:publication
                "near_copies": [],
            }
        ]


# --- SHACL rejection: the real Validator on a hand-made graph that breaks the shapes ----------

BROKEN_GRAPH = """
@prefix fg: <https://w3id.org/factgraph/ns#> . @prefix schema: <http://schema.org/> .
<{doc}/statement/0> a fg:Statement ; schema:appearance <{doc}> .
"""


# --- the real flow: spaCy, graph, SHACL, store ----------------------------------------------


@pytest.fixture(scope="module")
def real_client() -> Iterator[tuple[TestClient, OxigraphStore]]:
    store = OxigraphStore(None)
    with TestClient(bootstrap.build_app(Settings(), store), client=ON_THIS_MACHINE) as client:
        yield client, store


def test_api_documents_post_a_seed_is_201_and_idempotent(
    real_client: tuple[TestClient, OxigraphStore],
) -> None:
    client, store = real_client
    response = client.post("/documents", content=SEED.read_bytes(), headers=JSON)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"iri", "statements", "quantities", "dates", "actors"}
    assert "/id/document/" in body["iri"]
    assert response.headers["location"] == body["iri"]
    assert body["statements"] > 0
    quads = client.get("/healthz").json()["quads"]
    assert quads == store.quad_count() > 0
    again = client.post("/documents", content=SEED.read_bytes(), headers=JSON)
    assert again.status_code == 201
    assert again.json()["iri"] == body["iri"]
    assert client.get("/healthz").json()["quads"] == quads
    listed = client.get("/documents").json()
    assert [row["iri"] for row in listed] == [body["iri"]]
    assert listed[0]["statements"] == body["statements"]
    assert listed[0]["quantities"] == body["quantities"]


def test_api_documents_non_conforming_graph_is_422_with_the_report_and_nothing_stored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real validate-then-store step, over a graph written by hand to break the shapes
    (prepared in this process, so that the patch applies)."""
    import service.pipeline.prepare
    from service.pipeline.graph import document_iri
    from service.pipeline.ingest import Ingestor
    from service.pipeline.prepare import Preparer

    def broken_graph(document: Any, *_: Any, base_iri: str, **__: Any) -> Graph:
        iri = document_iri(base_iri, document)
        return Graph().parse(data=BROKEN_GRAPH.format(doc=iri), format="turtle")

    monkeypatch.setattr(service.pipeline.prepare, "build_document_graph", broken_graph)
    settings, store = Settings(), OxigraphStore(None)
    here = Preparer(bootstrap.extractor_config(settings, checks=True))
    app = create_app(
        settings, store=store,
        ingestor_factory=lambda: Ingestor(store, here, base_iri=settings.base_iri),
    )
    before = store.quad_count()
    with TestClient(app, client=ON_THIS_MACHINE) as client:
        response = client.post("/documents", json={"text": "The ministry said nothing at all."})
    body = assert_sentence(response, 422, "does not conform", "nothing was stored")
    assert body["report"]["conforms"] is False
    assert body["report"]["results"]
    assert store.quad_count() == before
