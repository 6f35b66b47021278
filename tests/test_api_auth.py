"""Who may change the store: every write behind the token when one is set, and without one,
only this machine. The walk over the served OpenAPI document makes sure no route forgets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.bootstrap import build_app
from service.cli.app import app as cli
from service.settings import Settings
from service.store.oxigraph import OxigraphStore
from tests.conftest import ON_THIS_MACHINE

TOKEN = "auth-test-token-0123456789"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_d2ce4ca12b793fba.json"
ELSEWHERE = ("203.0.113.7", 50000)
_READS = {"get", "head", "options", "trace"}
# A body each kind of write route takes, so the refusal cannot come from the body instead.
_BODIES = {
    "application/sparql-update": b"CLEAR ALL",
    "application/json": json.dumps({"text": "The minister said prices rose."}).encode(),
    "text/turtle": b"<http://example.org/a> <http://example.org/b> 'c' .",
}


@pytest.fixture(scope="module")
def guarded() -> Iterator[TestClient]:
    """An app with an update token; requests come from another machine."""
    app = build_app(Settings(update_token=TOKEN), OxigraphStore(None))
    with TestClient(app, client=ELSEWHERE) as client:
        yield client


def _writes(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in _READS:
                yield method.upper(), path, operation


def _request_for(path: str, operation: dict[str, Any]) -> tuple[str, dict[str, str], bytes]:
    """A well-formed request to the operation: path parameters filled, a body it takes."""
    url = path.replace("{doc_id}", "0123456789abcdef").replace("{path}", "notes")
    offered = operation.get("requestBody", {}).get("content", {})
    for media_type, body in _BODIES.items():
        if media_type in offered:
            return url, {"Content-Type": media_type}, body
    return url, {}, b""


def test_api_auth_every_write_in_the_openapi_document_needs_the_token(
    guarded: TestClient,
) -> None:
    spec = guarded.get("/openapi.json").json()
    writes = list(_writes(spec))
    assert {(m, p) for m, p, _ in writes} >= {
        ("POST", "/documents"),
        ("DELETE", "/documents/{doc_id}"),
        ("POST", "/claimreviews"),
        ("POST", "/judgements"),
        ("POST", "/sparql"),
        ("POST", "/update"),
        ("PUT", "/store/{path}"),
    }
    for method, path, operation in writes:
        assert {"bearer": []} in operation.get("security", []), f"{method} {path}"
        url, headers, body = _request_for(path, operation)
        response = guarded.request(method, url, headers=headers, content=body)
        assert response.status_code == 401, f"{method} {path}: {response.text}"
        assert response.headers["www-authenticate"].startswith("Bearer")
        wrong = {**headers, "Authorization": "Bearer not-the-token-at-all"}
        response = guarded.request(method, url, headers=wrong, content=body)
        assert response.status_code == 403, f"{method} {path}: {response.text}"


def test_api_auth_reposting_an_article_without_the_token_changes_nothing(
    guarded: TestClient,
) -> None:
    before = guarded.get("/documents").json()
    response = guarded.post(
        "/documents",
        content=SEED.read_bytes(),
        headers={"Content-Type": "application/json", "Authorization": "Basic x"},
    )
    assert response.status_code == 403
    assert guarded.get("/documents").json() == before


def test_api_auth_without_a_token_writes_come_only_from_this_machine() -> None:
    app = build_app(Settings(), OxigraphStore(None))
    review = b'{"@type": "ClaimReview"}'
    headers = {"Content-Type": "application/json"}
    with TestClient(app, client=ELSEWHERE) as remote:
        response = remote.post("/claimreviews", content=review, headers=headers)
        assert response.status_code == 403
        assert "FACTGRAPH_UPDATE_TOKEN" in response.json()["error"]
        assert remote.delete("/documents/0123456789abcdef").status_code == 403
    with TestClient(app, client=ON_THIS_MACHINE) as local:
        # past the door: the body itself is what is refused now
        assert local.post("/claimreviews", content=review, headers=headers).status_code == 422
        assert local.delete("/documents/0123456789abcdef").status_code == 404


def test_api_auth_serve_refuses_another_address_without_a_token(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["serve", "--store", str(tmp_path / "store"), "--host", "0.0.0.0"]
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "FACTGRAPH_UPDATE_TOKEN" in result.stderr
    assert not (tmp_path / "store").exists()


def test_api_auth_a_bad_token_setting_is_one_line_that_does_not_echo_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTGRAPH_UPDATE_TOKEN", "hunter2-short")
    result = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path / "store")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "FACTGRAPH_UPDATE_TOKEN" in result.stderr
    assert "hunter2" not in result.output
