"""GET /export, GET /healthz, Accept negotiation, and the JSON shape of every error."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from service.api.negotiate import acceptable
from service.bootstrap import build_app, open_configured_store
from service.settings import Settings
from service.store.oxigraph import OxigraphStore

G = "http://localhost:8000/id/document/0000000000000001"
DATA = b"""<http://localhost:8000/id/document/0000000000000001> <http://schema.org/headline> "A" .
<http://localhost:8000/id/document/0000000000000001> <http://schema.org/url> <http://e.org/a> .
"""


@pytest.fixture
def store() -> OxigraphStore:
    opened = OxigraphStore(None)
    opened.replace_graph(G, DATA)
    return opened


@pytest.fixture
def client(store: OxigraphStore) -> Iterator[TestClient]:
    with TestClient(build_app(Settings(), store), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("name", "media_type", "extension"),
    [
        ("trig", "application/trig", "trig"),
        ("nquads", "application/n-quads", "nq"),
        ("turtle", "text/turtle", "ttl"),
        ("ntriples", "application/n-triples", "nt"),
        ("jsonld", "application/ld+json", "jsonld"),
    ],
)
def test_api_export_streams_each_format(
    client: TestClient, name: str, media_type: str, extension: str
) -> None:
    response = client.get("/export", params={"format": name})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)
    assert f'filename="factgraph.{extension}"' in response.headers["content-disposition"]
    parsed = list(ox.parse(response.content, ox.RdfFormat.from_media_type(media_type)))
    assert len(parsed) == 2


def test_api_export_jsonld_is_compact_with_the_project_prefixes_and_holds_every_quad(
    client: TestClient, store: OxigraphStore
) -> None:
    store.replace_graph(f"{G}2", DATA.replace(b"0001>", b"00012>").replace(b'"A"', b'"B"@en'))
    response = client.get("/export", params={"format": "jsonld"})
    assert response.status_code == 200, response.text
    document = json.loads(response.content)
    assert document["@context"]["schema"] == "http://schema.org/"
    keys = {key for graph in document["@graph"] for node in graph["@graph"] for key in node}
    assert {"schema:headline", "schema:url"} <= keys  # compact IRIs, not full ones
    exported = set(ox.parse(response.content, ox.RdfFormat.JSON_LD))
    nquads = client.get("/export", params={"format": "nquads"}).content
    assert exported == set(ox.parse(nquads, ox.RdfFormat.N_QUADS))
    assert len(exported) == 4


def test_api_export_unknown_format_is_400_naming_the_formats(client: TestClient) -> None:
    response = client.get("/export", params={"format": "xlsx"})
    assert response.status_code == 400
    message = response.json()["error"]
    assert "'xlsx'" in message
    assert all(name in message for name in ("trig", "nquads", "turtle", "ntriples", "jsonld"))


def test_api_healthz_counts_quads(client: TestClient, store: OxigraphStore) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "quads": 2}
    store.replace_graph(G, DATA)
    assert client.get("/healthz").json()["quads"] == 2


def test_api_docs_pages_are_off_and_openapi_is_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/sparql", "/documents", "/export", "/healthz"} <= set(paths)


def test_api_unknown_path_and_method_are_json_sentences(client: TestClient) -> None:
    missing = client.get("/nowhere")
    assert missing.status_code == 404
    assert missing.json() == {"error": "there is nothing at /nowhere"}
    wrong = client.delete("/sparql")
    assert wrong.status_code == 405
    assert wrong.json()["error"] == "DELETE is not allowed on /sparql"


def test_api_unexpected_failure_is_500_json_without_traceback(
    client: TestClient, store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> int:
        raise RuntimeError("disk on fire at /secret/path")

    monkeypatch.setattr(store, "quad_count", broken)
    response = client.get("/healthz")
    assert response.status_code == 500
    assert response.json() == {
        "error": "the server failed while handling this request; the error has been logged"
    }
    assert "secret" not in response.text


def test_api_store_opened_from_settings_can_be_opened_again_once_closed(tmp_path) -> None:
    settings = Settings(store=str(tmp_path / "store"))
    for _ in range(2):  # the second opening finds the directory's lock released
        store = open_configured_store(settings)
        with TestClient(build_app(settings, store)) as client:
            assert client.get("/healthz").json() == {"status": "ok", "quads": 0}
        store.close()


OFFERED = ("application/sparql-results+json", "text/csv", "text/turtle", "application/trig")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, list(OFFERED)),
        ("", list(OFFERED)),
        ("*/*", list(OFFERED)),
        ("text/turtle", ["text/turtle"]),
        ("text/*", ["text/csv", "text/turtle"]),
        ("text/*;q=0.5, text/turtle;q=0", ["text/csv"]),
        ("text/turtle;q=0.4, application/trig;q=0.9", ["application/trig", "text/turtle"]),
        ("application/trig, text/turtle", ["application/trig", "text/turtle"]),
        ("text/turtle, application/trig", ["text/turtle", "application/trig"]),
        ("*/*;q=0.1, text/csv", ["text/csv", *(t for t in OFFERED if t != "text/csv")]),
        ("image/png, */*;q=0", []),
        ("text/turtle;q=oops", []),
        ("TEXT/Turtle; charset=utf-8", ["text/turtle"]),
    ],
)
def test_api_negotiate_accept(header: str | None, expected: list[str]) -> None:
    assert acceptable(header, OFFERED) == expected
