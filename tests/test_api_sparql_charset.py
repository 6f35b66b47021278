"""A query POSTed in another encoding is refused by what it declares, not by a parse error.

UTF-16 without a byte-order mark happens to be valid UTF-8 ("\\x00A\\x00S..."), so only the
declared charset tells the client what went wrong (W3C protocol test bad_query_non_utf8).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import build_app
from service.settings import Settings
from service.store.oxigraph import OxigraphStore

DIRECT = "application/sparql-query"


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(build_app(Settings(), OxigraphStore(None))) as test_client:
        yield test_client


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-16-le"])
def test_api_sparql_charset_utf16_body_is_400_naming_utf8(client: TestClient, codec: str) -> None:
    response = client.post(
        "/sparql",
        content="ASK {}".encode(codec),
        headers={"Content-Type": f"{DIRECT}; charset=UTF-16"},
    )
    assert response.status_code == 400, response.text
    message = response.json()["error"]
    assert "UTF-8" in message
    assert len(message.split()) >= 4, message


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", '"utf-8"', "utf8"])
def test_api_sparql_charset_utf8_declared_is_fine(client: TestClient, charset: str) -> None:
    response = client.post(
        "/sparql", content=b"ASK {}", headers={"Content-Type": f"{DIRECT}; charset={charset}"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True
