"""The SPARQL 1.1 Protocol endpoint through FastAPI's TestClient, over an in-memory store."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from service.bootstrap import build_app
from service.settings import Settings
from service.store.oxigraph import OxigraphStore

DOC_1 = "http://localhost:8000/id/document/0000000000000001"
DOC_2 = "http://localhost:8000/id/document/0000000000000002"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
GRAPH_1 = f"""<{DOC_1}> <{RDF_TYPE}> <http://schema.org/NewsArticle> .
<{DOC_1}> <http://schema.org/headline> "Troops stay" .
""".encode()
GRAPH_2 = f"""<{DOC_2}> <{RDF_TYPE}> <http://schema.org/NewsArticle> .
<{DOC_2}> <http://schema.org/headline> "Troops leave" .
""".encode()
HEADLINES = "SELECT ?h WHERE { ?d <http://schema.org/headline> ?h }"
CONSTRUCT = "CONSTRUCT WHERE { ?d <http://schema.org/headline> ?h }"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def client() -> Iterator[TestClient]:
    store = OxigraphStore(None)
    store.replace_graph(DOC_1, GRAPH_1)
    store.replace_graph(DOC_2, GRAPH_2)
    with TestClient(build_app(Settings(), store)) as test_client:
        yield test_client


def headlines(response) -> set[str]:
    assert response.status_code == 200, response.text
    return {row["h"]["value"] for row in response.json()["results"]["bindings"]}


def assert_sentence(response, status: int, *words: str) -> str:
    """The response is `status` with a JSON error that reads as a sentence naming `words`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    message = response.json()["error"]
    assert isinstance(message, str)
    assert len(message.split()) >= 4, message
    assert "Traceback" not in message
    for word in words:
        assert word in message, message
    return message


def test_api_sparql_get_select_defaults_to_json_over_the_union(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": HEADLINES})
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert headlines(response) == {"Troops stay", "Troops leave"}


def test_api_sparql_post_form_and_direct(client: TestClient) -> None:
    form = client.post("/sparql", data={"query": HEADLINES})
    assert headlines(form) == {"Troops stay", "Troops leave"}
    direct = client.post(
        "/sparql", content=HEADLINES.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert headlines(direct) == {"Troops stay", "Troops leave"}


def test_api_sparql_dataset_parameters(client: TestClient) -> None:
    get = client.get("/sparql", params={"query": HEADLINES, "default-graph-uri": DOC_1})
    assert headlines(get) == {"Troops stay"}
    both = client.get(
        "/sparql", params=[("query", HEADLINES), ("default-graph-uri", DOC_1),
                           ("default-graph-uri", DOC_2)],
    )
    assert headlines(both) == {"Troops stay", "Troops leave"}
    form = client.post("/sparql", data={"query": HEADLINES, "default-graph-uri": DOC_2})
    assert headlines(form) == {"Troops leave"}
    direct = client.post(
        "/sparql",
        params={"default-graph-uri": DOC_2},
        content=HEADLINES.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert headlines(direct) == {"Troops leave"}
    named = client.get(
        "/sparql",
        params={"query": "SELECT ?h WHERE { GRAPH ?g { ?d <http://schema.org/headline> ?h } }",
                "named-graph-uri": DOC_1},
    )
    assert headlines(named) == {"Troops stay"}


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv", "text/csv"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/tab-separated-values;q=0.9, text/csv;q=0.5", "text/tab-separated-values"),
        ("text/*;q=0.2, application/sparql-results+json;q=0", "text/csv"),
        ("text/turtle, application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_api_sparql_select_negotiates(client: TestClient, accept: str, expected: str) -> None:
    response = client.get("/sparql", params={"query": HEADLINES}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(expected)
    assert "accept" in response.headers["vary"].lower()


@pytest.mark.parametrize(
    "accept", ["text/turtle", "application/n-triples", "application/ld+json", "application/trig"]
)
def test_api_sparql_construct_negotiates(client: TestClient, accept: str) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    triples = list(ox.parse(response.content, ox.RdfFormat.from_media_type(accept)))
    assert len(triples) == 2


def test_api_sparql_construct_defaults_to_turtle(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("text/turtle")


def test_api_sparql_406_lists_what_it_serves(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": HEADLINES}, headers={"Accept": "image/png"})
    assert_sentence(response, 406, "application/sparql-results+json", "text/turtle")
    wrong_form = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert_sentence(wrong_form, 406, "text/turtle")
    excluded = client.get(
        "/sparql", params={"query": HEADLINES}, headers={"Accept": "*/*;q=0"}
    )
    assert excluded.status_code == 406


def test_api_sparql_malformed_query_is_400_with_the_parser_message(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE {"})
    assert_sentence(response, 400, "not valid SPARQL", "error at 1:")


@pytest.mark.parametrize(
    ("request_kwargs", "words"),
    [
        ({"params": {"default-graph-uri": "http://e/g"}}, ("no query",)),
        ({"params": {"query": "  "}}, ("empty",)),
        ({"params": [("query", HEADLINES), ("query", HEADLINES)]}, ("2 queries",)),
        ({"params": {"query": "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"}},
         ("update sent as a query",)),
        ({"params": {"query": "PREFIX e: <http://e/>\n# note\nDROP ALL"}},
         ("update sent as a query",)),
        ({"params": {"update": "DROP ALL"}}, ("must be sent with POST",)),
    ],
)
def test_api_sparql_get_mistakes_are_400(
    client: TestClient, request_kwargs: dict, words: tuple[str, ...]
) -> None:
    assert_sentence(client.get("/sparql", **request_kwargs), 400, *words)


def test_api_sparql_post_mistakes(client: TestClient) -> None:
    assert_sentence(
        client.post("/sparql", content=b"{}", headers={"Content-Type": "application/json"}),
        415, "application/sparql-query",
    )
    assert_sentence(client.post("/sparql", content=b"query"), 415, FORM)
    assert_sentence(
        client.post("/sparql", content=b"SELECT * { ?s ?p \xff }",
                    headers={"Content-Type": "application/sparql-query"}),
        400, "UTF-8",
    )
    assert_sentence(
        client.post("/sparql", content=b"query=SELECT%20%FF", headers={"Content-Type": FORM}),
        400, "UTF-8",
    )
    assert_sentence(
        client.post("/sparql", data={"update": "DROP ALL"}), 403, "FACTGRAPH_UPDATE_TOKEN"
    )
    assert_sentence(
        client.post("/sparql", params={"query": HEADLINES}, content=HEADLINES.encode(),
                    headers={"Content-Type": "application/sparql-query"}),
        400, "2 queries",
    )
    assert_sentence(
        client.post("/sparql", content=b"", headers={"Content-Type": FORM}), 400, "no query"
    )


def test_api_sparql_get_non_utf8_query_string_is_400(client: TestClient) -> None:
    assert_sentence(client.get("/sparql?query=SELECT%20%FF"), 400, "UTF-8")


def test_api_sparql_huge_query_is_413(client: TestClient) -> None:
    body = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 1_100_000
    response = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/sparql-query"}
    )
    assert_sentence(response, 413, "limit")


def test_api_sparql_service_is_refused_with_400(client: TestClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert_sentence(client.get("/sparql", params={"query": query}), 400, "SERVICE", "not allowed")


def test_api_sparql_bad_dataset_iri_is_400(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": HEADLINES, "default-graph-uri": "no iri"})
    assert_sentence(response, 400, "default-graph-uri")


def test_api_sparql_ask_and_select_bodies_are_oxigraphs(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK { ?s ?p 'Troops stay' }"})
    assert json.loads(response.content) == {"head": {}, "boolean": True}


def _answer(client: TestClient, query: str, accept: str) -> str:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    return response.text


def test_api_sparql_turtle_and_jsonld_answers_use_the_projects_prefixes(
    seeded_client: TestClient,
) -> None:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <http://schema.org/NewsArticle> ; ?p ?o }"
    plain = Graph().parse(data=_answer(seeded_client, query, "application/n-triples"), format="nt")
    turtle = _answer(seeded_client, query, "text/turtle")
    assert "@prefix schema: <http://schema.org/> ." in turtle
    assert "schema:NewsArticle" in turtle
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), plain)
    jsonld = _answer(seeded_client, query, "application/ld+json")
    document = json.loads(jsonld)
    assert document["@context"]["schema"] == "http://schema.org/"
    assert "nif" not in document["@context"] or "nif:" in jsonld  # only the prefixes it uses
    assert any("schema:NewsArticle" in node.get("@type", []) for node in document["@graph"])
    assert isomorphic(Graph().parse(data=jsonld, format="json-ld"), plain)
