"""The conformance runner checked against canned responses (no server).

A runner that passed everything would make the W3C suites look green while testing nothing:
these feed it answers that miss the manifest in each way it checks, and one that conforms.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
from conformance.manifest import SUITE, ManifestTest, load_manifest
from conformance.runner import Endpoint, Runner

pytestmark = pytest.mark.conformance

PROTOCOL = {t.id: t for t in load_manifest(SUITE / "protocol" / "manifest.ttl")}
GSP = {t.id: t for t in load_manifest(SUITE / "graph-store-protocol" / "manifest.ttl")}
TOKEN = "runner-self-test-token"
ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()
JOHN = b"""@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix v: <http://www.w3.org/2006/vcard/ns#> .
<http://www.example/gsp/person/1> a foaf:Person; foaf:businessCard [ a v:VCard; v:fn "John Doe" ].
"""
TURTLE = "text/turtle; charset=utf-8"

Handler = Callable[[httpx.Request], httpx.Response]


def _run(test: ManifestTest, answer: Handler) -> list[httpx.Request]:
    """Run `test` with `answer` playing the service (set-up updates get 204); the requests."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("content-type") == "application/sparql-update" and (
            request.content.startswith((b"DROP ALL", b"INSERT DATA"))
        ):
            return httpx.Response(204)
        return answer(request)

    with httpx.Client(transport=httpx.MockTransport(handle)) as client:
        Runner(client, Endpoint("http://service.test", TOKEN)).run(test)
    return seen


def _json(body: bytes, status: int = 200) -> httpx.Response:
    headers = {"content-type": "application/sparql-results+json"}
    return httpx.Response(status, content=body, headers=headers)


def test_runner_sends_the_manifest_request_rewritten_with_the_token() -> None:
    """`/sparql/?...` goes to `/sparql?...` byte for byte, with the bearer token."""
    requests = _run(PROTOCOL["query_get"], lambda _: _json(ASK_TRUE))
    sent = requests[-1]
    assert sent.url.raw_path == (
        b"/sparql?query=ASK%20%7B%7D&default-graph-uri="
        b"http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata0.rdf"
    )
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert requests[0].content == b"DROP ALL"  # each entry starts from an empty store


def test_runner_loads_graph_data_into_the_labelled_graphs() -> None:
    """ut:graphData becomes INSERT DATA into the graph its rdfs:label names."""
    requests = _run(PROTOCOL["query_dataset_full"], lambda _: _json(ASK_TRUE))
    inserts = [r.content.decode() for r in requests if r.content.startswith(b"INSERT DATA")]
    assert len(inserts) == 3
    assert "GRAPH <http://kasei.us/2009/09/sparql/data/data3.rdf>" in inserts[2]


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (lambda _: _json(json.dumps({"head": {}, "boolean": False}).encode()), "boolean false"),
        (lambda _: _json(ASK_TRUE, status=500), "status 500, expected 2xx or 3xx"),
        (lambda _: httpx.Response(200, json={"boolean": True}), "not a boolean result type"),
    ],
    ids=["wrong-boolean", "wrong-status", "wrong-media-type"],
)
def test_runner_fails_a_wrong_query_answer(answer: Handler, problem: str) -> None:
    """Each of status, format and boolean is checked."""
    with pytest.raises(AssertionError, match=problem):
        _run(PROTOCOL["query_post_form"], answer)


def test_runner_fails_a_2xx_to_a_negative_test() -> None:
    with pytest.raises(AssertionError, match="expected 4xx"):
        _run(PROTOCOL["bad_query_syntax"], lambda _: _json(ASK_TRUE))


def _store(graphs: dict[str, bytes], created: Callable[[str], int]) -> Handler:
    """A tiny graph store keyed by the graph IRI (decoded once), for the GSP manifests."""

    def answer(request: httpx.Request) -> httpx.Response:
        key = request.url.params.get("graph", "default")
        if request.method == "PUT":
            status = created(key) if key not in graphs else 204
            graphs[key] = request.content
            return httpx.Response(status)
        if key not in graphs:
            return httpx.Response(404)
        return httpx.Response(200, content=graphs[key], headers={"content-type": TURTLE})

    return answer


def test_runner_passes_a_conforming_graph_store() -> None:
    """PUT then GET: 201 then an isomorphic graph (blank nodes relabelled) passes."""
    graphs: dict[str, bytes] = {}
    _run(GSP["put_get_uri_pct_encoded_indirect"], _store(graphs, lambda _: 201))


def test_runner_fails_a_graph_that_is_not_isomorphic() -> None:
    """The GET answer is compared as a graph, not as text."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            return httpx.Response(201)
        return httpx.Response(
            200, content=JOHN.replace(b"John", b"Jon"), headers={"content-type": TURTLE}
        )

    with pytest.raises(AssertionError, match="not isomorphic"):
        _run(GSP["put_get_uri_pct_encoded_indirect"], answer)


def test_runner_fails_a_200_where_the_manifest_expects_201_created() -> None:
    with pytest.raises(AssertionError, match=r"expected 201 \(Created\)"):
        _run(GSP["put_get_uri_pct_encoded_indirect"], _store({}, lambda _: 200))


def test_runner_substitutes_the_location_of_a_created_graph() -> None:
    """mf:expectedLocation: the Location header names the graph the next request reads."""
    created = "http://service.test/store/new-graph-1"

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(201, headers={"location": created})
        assert request.url.query.decode() == f"graph={created}"
        body = b"""@prefix foaf: <http://xmlns.com/foaf/0.1/> .
            @prefix v: <http://www.w3.org/2006/vcard/ns#> .
            [] a foaf:Person; foaf:businessCard [ a v:VCard; v:given-name "Alice" ] ."""
        return httpx.Response(200, content=body, headers={"content-type": TURTLE})

    requests = _run(GSP["post_get_new_graph"], answer)
    assert requests[1].url.path == "/store"


def test_runner_fails_a_created_graph_without_location() -> None:
    with pytest.raises(AssertionError, match="no Location header"):
        _run(GSP["post_get_new_graph"], lambda _: httpx.Response(201))
