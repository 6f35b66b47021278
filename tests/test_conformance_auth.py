"""Writes behind the update token: what a user of SPARQL Update and `/store` relies on.

The W3C manifests run with the token and so never see a refused write. These run the real
server twice: with a token (no token -> 401 with a sentence and a `WWW-Authenticate: Bearer`
challenge, a wrong token -> 403, and the store unchanged either way) and without one (every
write -> 403 saying writes are disabled, whatever the client sends). Reads need no token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import quote

import httpx
import pytest
from conformance.live import TOKEN, conformance_runner
from conformance.runner import Runner, error_message

pytestmark = [pytest.mark.e2e, pytest.mark.conformance]

GRAPH = "http://example.org/auth-test/graph"
ORIGINAL = b"<http://example.org/s> <http://example.org/p> <http://example.org/original> .\n"
INTRUDER = b"<http://example.org/s> <http://example.org/p> <http://example.org/intruder> .\n"
NT = {"Content-Type": "application/n-triples"}
UPDATE = (
    f"INSERT DATA {{ GRAPH <{GRAPH}> "
    "{ <http://example.org/s> <http://example.org/p> <http://example.org/intruder> } }"
)
ASK_INTRUDER = f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p <http://example.org/intruder> }} }}"


Send = Callable[[httpx.Client, str, dict[str, str]], httpx.Response]


def _direct(client: httpx.Client, url: str, headers: dict[str, str]) -> httpx.Response:
    return client.post(
        url, content=UPDATE, headers={"Content-Type": "application/sparql-update", **headers}
    )


def _form(client: httpx.Client, url: str, headers: dict[str, str]) -> httpx.Response:
    return client.post(url, data={"update": UPDATE}, headers=headers)


UPDATE_FORMS: dict[str, Send] = {"direct": _direct, "form": _form}
# (method, body): the Graph Store writes, each of which would change the graph if let through
STORE_WRITES = {"PUT": INTRUDER, "POST": INTRUDER, "DELETE": None}
# How a sentence can say that writes are turned off: in words, or by naming the setting
DISABLED_WORDS = ("disabled", "does not accept writes", "factgraph_update_token")


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    """A server with an update token, on its own store."""
    with conformance_runner(tmp_path_factory.mktemp("auth-locked")) as runner:
        yield runner


@pytest.fixture(scope="module")
def disabled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    """A server with no update token configured, on its own store."""
    with conformance_runner(tmp_path_factory.mktemp("auth-off"), token=None) as runner:
        yield runner


def _sparql(runner: Runner) -> str:
    return runner.endpoint.base + runner.endpoint.sparql


def _store(runner: Runner) -> str:
    return f"{runner.endpoint.base}{runner.endpoint.store}?graph={quote(GRAPH, safe='')}"


def _intruded(runner: Runner) -> bool:
    """Whether the refused write got in anyway (asked without a token: reads are open)."""
    response = runner.client.get(_sparql(runner), params={"query": ASK_INTRUDER})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def _seed(runner: Runner) -> None:
    """The graph as it must stay: put there with the token."""
    response = runner.client.put(_store(runner), content=ORIGINAL, headers={**NT, **_bearer()})
    assert response.is_success, response.text


def _bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _refused(response: httpx.Response, status: int) -> str:
    """`status` with a sentence in the service's error shape; the sentence, lower-cased."""
    shown = f"{response.request.method} {response.request.url} -> {response.status_code}"
    assert response.status_code == status, f"{shown}: {response.text[:300]}"
    message = error_message(response)
    assert message, f"{shown}: no {{'error': ...}} sentence in {response.text[:300]!r}"
    return message.lower()


def _says_disabled(message: str) -> None:
    """The 403 of a server without a token says writes are off (not that the token is wrong)."""
    assert any(words in message for words in DISABLED_WORDS), message


@pytest.mark.parametrize("send", UPDATE_FORMS.values(), ids=UPDATE_FORMS.keys())
def test_update_without_token_is_401_and_changes_nothing(send: Send, locked: Runner) -> None:
    """A client that forgot the token learns it needs one (RFC 6750 challenge), and nothing runs."""
    response = send(locked.client, _sparql(locked), {})
    _refused(response, 401)
    assert response.headers.get("www-authenticate", "").lower().startswith("bearer")
    assert not _intruded(locked)


@pytest.mark.parametrize("send", UPDATE_FORMS.values(), ids=UPDATE_FORMS.keys())
def test_update_with_wrong_token_is_403_and_changes_nothing(send: Send, locked: Runner) -> None:
    """A wrong token is refused as forbidden, and the update does not run."""
    response = send(locked.client, _sparql(locked), _bearer("not-the-token-0123456789"))
    _refused(response, 403)
    assert not _intruded(locked)


def test_update_with_token_runs(locked: Runner) -> None:
    """The control for the refusals above: the same update with the token is applied."""
    locked.update(f"DROP SILENT GRAPH <{GRAPH}>")
    response = _direct(locked.client, _sparql(locked), _bearer())
    assert response.is_success, response.text
    assert _intruded(locked)
    locked.update(f"DROP GRAPH <{GRAPH}>")


def test_bearer_scheme_is_case_insensitive(locked: Runner) -> None:
    """RFC 9110 auth schemes are case-insensitive; some clients send `bearer`."""
    response = locked.client.post(
        _sparql(locked),
        content=f"DROP SILENT GRAPH <{GRAPH}>",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"bearer {TOKEN}"},
    )
    assert response.is_success, response.text


@pytest.mark.parametrize(("method", "body"), STORE_WRITES.items(), ids=STORE_WRITES.keys())
def test_store_write_without_token_is_401_and_changes_nothing(
    method: str, body: bytes | None, locked: Runner
) -> None:
    """Graph Store writes are guarded like updates: 401 without the token, graph untouched."""
    _seed(locked)
    response = locked.client.request(method, _store(locked), content=body, headers=NT)
    _refused(response, 401)
    assert response.headers.get("www-authenticate", "").lower().startswith("bearer")
    _assert_original(locked)


@pytest.mark.parametrize(("method", "body"), STORE_WRITES.items(), ids=STORE_WRITES.keys())
def test_store_write_with_wrong_token_is_403_and_changes_nothing(
    method: str, body: bytes | None, locked: Runner
) -> None:
    """A wrong token on a Graph Store write: 403, graph untouched."""
    _seed(locked)
    headers = {**NT, **_bearer("not-the-token-0123456789")}
    response = locked.client.request(method, _store(locked), content=body, headers=headers)
    _refused(response, 403)
    _assert_original(locked)


def _assert_original(runner: Runner) -> None:
    response = runner.client.get(_store(runner), headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    assert b"original" in response.content
    assert b"intruder" not in response.content


def test_reads_need_no_token(locked: Runner) -> None:
    """Queries and Graph Store reads stay open to everyone."""
    query = locked.client.get(_sparql(locked), params={"query": "ASK {}"})
    assert query.status_code == 200, query.text
    _seed(locked)
    read = locked.client.get(_store(locked), headers={"Accept": "text/turtle"})
    assert read.status_code == 200, read.text


@pytest.mark.parametrize("token", [None, TOKEN], ids=["no-token", "some-token"])
@pytest.mark.parametrize("send", UPDATE_FORMS.values(), ids=UPDATE_FORMS.keys())
def test_update_when_disabled_is_403_saying_so(
    send: Send, token: str | None, disabled: Runner
) -> None:
    """No token configured: no client can write, and the answer says why (not 'wrong token')."""
    response = send(disabled.client, _sparql(disabled), _bearer(token) if token else {})
    _says_disabled(_refused(response, 403))
    assert not _intruded(disabled)


@pytest.mark.parametrize(("method", "body"), STORE_WRITES.items(), ids=STORE_WRITES.keys())
def test_store_write_when_disabled_is_403_saying_so(
    method: str, body: bytes | None, disabled: Runner
) -> None:
    """Graph Store writes are off too when no token is configured."""
    headers = {**NT, **_bearer()}
    response = disabled.client.request(method, _store(disabled), content=body, headers=headers)
    _says_disabled(_refused(response, 403))
    assert disabled.client.get(_store(disabled)).status_code == 404


def test_reads_work_when_writes_are_disabled(disabled: Runner) -> None:
    """A read-only server still answers queries."""
    response = disabled.client.get(_sparql(disabled), params={"query": "ASK {}"})
    assert response.status_code == 200, response.text
