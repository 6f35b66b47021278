"""The Graph Store Protocol at /store, as an operator's tool uses it: put, read, merge, delete
one graph at a time, with the update token; and the answers to the usual mistakes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from service.api.app import create_app
from service.settings import Settings
from service.store.oxigraph import OxigraphStore

TOKEN = "operator-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NOTES = "http://example.org/notes"
TURTLE = {"Content-Type": "text/turtle", **AUTH}
DATA = b'@prefix ex: <http://example.org/> . ex:a ex:says "first" ; ex:see <b> .'


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(update_token=TOKEN, base_iri="http://testserver/")
    with TestClient(create_app(settings, store=OxigraphStore(None))) as test_client:
        yield test_client


def _graph(response) -> Graph:
    assert response.status_code == 200, response.text
    return Graph().parse(
        data=response.content, format=response.headers["content-type"].split(";")[0]
    )


def test_put_then_get_gives_the_graph_back_with_relative_iris_resolved_against_it(
    client: TestClient,
) -> None:
    assert (
        client.put("/store", params={"graph": NOTES}, content=DATA, headers=TURTLE).status_code
        == 201
    )
    graph = _graph(client.get("/store", params={"graph": NOTES}))
    assert (
        URIRef("http://example.org/a"),
        URIRef("http://example.org/see"),
        URIRef("http://example.org/b"),
    ) in graph
    # A second PUT replaces the graph: 204, and only the new triples remain.
    again = b'<http://example.org/a> <http://example.org/says> "second" .'
    assert (
        client.put("/store", params={"graph": NOTES}, content=again, headers=TURTLE).status_code
        == 204
    )
    assert set(_graph(client.get("/store", params={"graph": NOTES})).objects()) == {
        Literal("second")
    }


def test_post_merges_and_multipart_posts_merge_every_file(client: TestClient) -> None:
    client.put("/store", params={"graph": NOTES}, content=DATA, headers=TURTLE)
    files = {
        "one": (
            "one.nt",
            b'<http://example.org/a> <http://example.org/n> "1" .\n',
            "application/n-triples",
        ),
        "two": ("two.ttl", b'<http://example.org/a> <http://example.org/n> "2" .', "text/turtle"),
    }
    assert (
        client.post("/store", params={"graph": NOTES}, files=files, headers=AUTH).status_code == 204
    )
    objects = set(_graph(client.get("/store", params={"graph": NOTES})).objects())
    assert {Literal("first"), Literal("1"), Literal("2")} <= objects


def test_post_to_the_store_itself_creates_a_graph_named_in_location(client: TestClient) -> None:
    response = client.post("/store", content=DATA, headers=TURTLE)
    assert response.status_code == 201
    created = response.headers["location"]
    assert created.startswith("http://testserver/store/")
    # The new graph can be read by its IRI, and by its URL (direct identification).
    assert len(_graph(client.get("/store", params={"graph": created}))) == 2
    assert len(_graph(client.get(created.removeprefix("http://testserver")))) == 2


def test_delete_removes_the_graph_and_a_second_delete_is_404(client: TestClient) -> None:
    client.put("/store/notes", content=DATA, headers=TURTLE)
    assert client.head("/store/notes").status_code == 200
    assert client.delete("/store/notes", headers=AUTH).status_code == 204
    assert client.get("/store/notes").status_code == 404
    assert client.delete("/store/notes", headers=AUTH).status_code == 404


def test_the_default_graph_is_addressed_with_default(client: TestClient) -> None:
    assert client.put("/store?default", content=DATA, headers=TURTLE).status_code == 204
    assert (
        len(_graph(client.get("/store?default", headers={"Accept": "application/n-triples"}))) == 2
    )
    assert client.delete("/store?default", headers=AUTH).status_code == 204
    assert len(_graph(client.get("/store?default"))) == 0


@pytest.mark.parametrize(
    ("method", "kwargs", "status", "words"),
    [
        (
            "put",
            {
                "params": {"graph": NOTES},
                "content": DATA,
                "headers": {"Content-Type": "text/turtle"},
            },
            401,
            "Authorization: Bearer",
        ),
        (
            "put",
            {
                "params": {"graph": NOTES},
                "content": DATA,
                "headers": {"Content-Type": "text/turtle", "Authorization": "Bearer wrong"},
            },
            403,
            "do not match",
        ),
        (
            "put",
            {"params": {"graph": NOTES}, "content": b"ex:a ex:b", "headers": TURTLE},
            400,
            "not valid Turtle",
        ),
        (
            "put",
            {
                "params": {"graph": NOTES},
                "content": DATA,
                "headers": {"Content-Type": "text/plain", **AUTH},
            },
            415,
            "text/turtle",
        ),
        (
            "put",
            {
                "params": {"graph": NOTES},
                "content": DATA,
                "headers": {"Content-Type": "text/turtle; charset=latin-1", **AUTH},
            },
            415,
            "UTF-8",
        ),
        (
            "put",
            {"params": {"graph": "not an iri"}, "content": DATA, "headers": TURTLE},
            400,
            "absolute IRI",
        ),
        ("get", {"params": {"graph": NOTES, "default": ""}}, 400, "either"),
        ("get", {}, 400, "name the graph"),
        ("get", {"params": {"graph": NOTES}}, 404, "no graph"),
        (
            "get",
            {"params": {"default": ""}, "headers": {"Accept": "image/png"}},
            406,
            "text/turtle",
        ),
    ],
)
def test_mistakes_get_a_status_and_a_sentence(
    client: TestClient, method: str, kwargs: dict, status: int, words: str
) -> None:
    response = getattr(client, method)("/store", **kwargs)
    assert response.status_code == status, response.text
    assert words in response.json()["error"]


def test_writes_are_refused_when_no_token_is_configured() -> None:
    with TestClient(create_app(Settings(), store=OxigraphStore(None))) as client:
        response = client.put("/store", params={"graph": NOTES}, content=DATA, headers=TURTLE)
        assert response.status_code == 403
        assert "FACTGRAPH_UPDATE_TOKEN" in response.json()["error"]
        assert client.get("/store", params={"graph": NOTES}).status_code == 404
