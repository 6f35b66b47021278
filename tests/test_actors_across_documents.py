"""A store of several articles: each article's nameless sources are its own, while a named
actor is one actor across articles; the whole store conforms to the shapes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from service.bootstrap import build_app, configured
from service.pipeline.validate import Validator
from service.store.oxigraph import OxigraphStore
from tests.conftest import ON_THIS_MACHINE

settings = configured()
SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.json"))

ARTICLES = [
    ("Catalan Wire", "2024-02-01",
     "Officials said the Catalan parliament would vote on Monday. "
     "A senior official said the vote could be delayed."),
    ("Tokyo Daily", "2024-02-02",
     "Officials said the Japanese cabinet would meet on Tuesday. "
     "Defense Secretary Lloyd Austin said the alliance was strong."),
    ("Capital Report", "2024-02-03",
     "US officials said the talks would resume. Lloyd Austin said he expected progress. "
     "Iraqi officials said the troops should leave."),
]

PREFIXES = """
PREFIX fg: <https://w3id.org/factgraph/ns#>
PREFIX schema: <http://schema.org/>
"""


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The app over an in-memory store of the seeds and three short articles of other outlets."""
    with TestClient(build_app(settings, OxigraphStore(None)), client=ON_THIS_MACHINE) as client:
        bodies = [seed.read_bytes() for seed in SEEDS] + [
            json.dumps({"text": text, "publisher": publisher, "date_published": date,
                        "language": "en"}).encode()
            for publisher, date, text in ARTICLES
        ]
        for body in bodies:
            response = client.post(
                "/documents", content=body, headers={"Content-Type": "application/json"})
            assert response.status_code == 201, response.text
        yield client


def select(client: TestClient, query: str) -> list[dict[str, str]]:
    response = client.post("/sparql", data={"query": PREFIXES + query},
                           headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()}
            for row in response.json()["results"]["bindings"]]


def test_actors_no_nameless_source_is_shared_by_two_documents(client: TestClient) -> None:
    rows = select(client, """
        SELECT ?source (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
            GRAPH ?doc { ?doc a schema:NewsArticle . ?source a fg:NamelessSource . }
        } GROUP BY ?source""")
    assert len(rows) >= 6  # the seeds' and each article's "officials"
    assert {row["documents"] for row in rows} == {"1"}
    for row in select(client, """
        SELECT ?source ?doc WHERE { GRAPH ?doc { ?doc a schema:NewsArticle .
                                                ?source a fg:NamelessSource } }"""):
        assert row["source"].startswith(row["doc"] + "/actor/")


def test_actors_officials_of_two_articles_are_two_actors(client: TestClient) -> None:
    rows = select(client, """
        SELECT DISTINCT ?source WHERE { ?source a fg:Group ; schema:name "Officials" . }""")
    assert len(rows) == 2


def test_actors_a_named_person_is_one_actor_across_articles(client: TestClient) -> None:
    rows = select(client, """
        SELECT DISTINCT ?actor ?doc WHERE {
            GRAPH ?doc { ?statement fg:speaker ?actor . ?actor schema:name "Lloyd Austin" }
        }""")
    assert len({row["doc"] for row in rows}) >= 2  # the two articles (a seed quotes him too)
    assert {row["actor"] for row in rows} == {f"{settings.base_iri}id/actor/lloyd-austin"}


def test_actors_nameless_source_is_a_member_of_what_the_text_attaches_it_to(
    client: TestClient,
) -> None:
    rows = select(client, """
        SELECT ?name ?member WHERE {
            ?source a fg:NamelessSource ; schema:name ?name ; fg:memberOf [ schema:name ?member ] .
        }""")
    members = {row["name"]: row["member"] for row in rows}
    assert members["US officials"] == "United States"
    assert members["Iraqi officials"] == "Iraq"


def test_actors_a_singular_unnamed_source_is_a_person(client: TestClient) -> None:
    rows = select(client, """
        SELECT ?type WHERE { ?source a fg:NamelessSource , ?type ;
                                     schema:name "A senior official" . }""")
    assert {row["type"] for row in rows} == {
        "http://schema.org/Person", "https://w3id.org/factgraph/ns#NamelessSource"}


def test_actors_the_whole_store_conforms_to_the_shapes(client: TestClient) -> None:
    """The shapes run over every graph at once: sharing would show here too."""
    response = client.get("/export", params={"format": "ntriples"})  # every graph, merged
    assert response.status_code == 200, response.text
    union = Graph().parse(data=response.content, format="nt")
    report = Validator(settings.shapes_dir, settings.ontology_dir).validate(union)
    assert report.conforms, report.text
