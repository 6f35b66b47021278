"""Dereferenceable IRIs under /id/ by content negotiation, and the VoID description."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from claimreview_data import BASE, fill
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from test_claimreview_importer import review

from service.bootstrap import build_app
from service.rdf.vocab import FG, NIF, RDF, SDO, VOID
from service.settings import Settings
from service.store.oxigraph import OxigraphStore
from tests.conftest import ON_THIS_MACHINE

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def setup() -> tuple[OxigraphStore, dict[str, str]]:
    store = OxigraphStore(None)
    return store, fill(store)


@pytest.fixture(scope="module")
def client(setup: tuple[OxigraphStore, dict[str, str]]) -> Iterator[TestClient]:
    app = build_app(Settings(), setup[0])
    # POST /claimreviews below: without a token, writes come from the server's own machine
    with TestClient(app, raise_server_exceptions=False, client=ON_THIS_MACHINE) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def seed(setup: tuple[OxigraphStore, dict[str, str]]) -> str:
    return setup[1]["seed"]


def path(iri: str) -> str:
    assert iri.startswith(BASE)
    return "/" + iri[len(BASE) :]


def parsed(response) -> Graph:  # type: ignore[no-untyped-def]
    media_type = response.headers["content-type"].split(";")[0]
    fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld",
           "application/n-triples": "nt"}[media_type]  # fmt: skip
    return Graph().parse(data=response.text, format=fmt)


@pytest.mark.parametrize(
    "accept", ["text/turtle", "application/ld+json", "application/n-triples", None, "*/*"]
)
def test_api_linked_document_is_its_description_not_its_graph(
    client: TestClient, seed: str, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get(path(seed), headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept if accept and "*" not in accept
                                                       else "text/turtle")  # fmt: skip
    assert "Accept" in response.headers["vary"]
    graph = parsed(response)
    doc, text = URIRef(seed), URIRef(f"{seed}/text")
    assert (doc, RDF.type, SDO.NewsArticle) in graph
    assert graph.value(doc, SDO.headline) is not None
    assert (doc, FG.text, text) in graph
    assert graph.value(text, NIF.isString) is not None
    assert set(graph.subjects()) == {doc, text}


def test_api_linked_statement_with_spans_and_incoming_links(client: TestClient, seed: str) -> None:
    outer, nested = URIRef(f"{seed}/statement/3"), URIRef(f"{seed}/statement/4")
    graph = parsed(client.get(path(str(outer)), headers={"Accept": "application/n-triples"}))
    assert (outer, RDF.type, FG.Statement) in graph
    assert (outer, FG.speaker, URIRef(f"{BASE}id/actor/politico")) in graph
    span = graph.value(outer, FG.contentSpan)
    assert graph.value(span, NIF.beginIndex) is not None
    assert (nested, FG.nestedIn, outer) in graph  # what points to it


@pytest.mark.parametrize("kind", ["quantity/0", "date/0"])
def test_api_linked_quantity_and_date(client: TestClient, seed: str, kind: str) -> None:
    response = client.get(path(f"{seed}/{kind}"), headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert json.loads(response.text)
    graph = parsed(response)
    assert (URIRef(f"{seed}/{kind}"), SDO.appearance, URIRef(seed)) in graph


def test_api_linked_actor(client: TestClient) -> None:
    iri = URIRef(f"{BASE}id/actor/reuters")
    graph = parsed(client.get(path(str(iri))))
    assert (iri, SDO.name, Literal("Reuters")) in graph


@pytest.mark.parametrize(
    ("suffix", "page"),
    [
        ("", "/ui/documents/{id}"),
        ("/statement/2", "/ui/claims/{id}/statement/2"),
        ("/quantity/1", "/ui/claims/{id}/quantity/1"),
        ("/date/0", "/ui/claims/{id}/date/0"),
    ],
)
def test_api_linked_browser_is_sent_to_the_ui(
    client: TestClient, seed: str, suffix: str, page: str
) -> None:
    response = client.get(path(seed + suffix), headers={"Accept": BROWSER}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == page.format(id=seed.rsplit("/", 1)[-1])


def test_api_linked_browser_on_an_actor(client: TestClient) -> None:
    response = client.get("/id/actor/reuters", headers={"Accept": "text/html"},
                          follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/actors/reuters"


@pytest.mark.parametrize(
    "url",
    [
        "/id/document/0000000000000000",
        "/id/document/NOTHEX",
        "/id/document/{id}/statement/99",
        "/id/document/{id}/opinion/0",
        "/id/document/{id}/statement/007",
        "/id/actor/nobody-at-all",
        "/id/actor/Bad_Slug",
        "/id/claimreview/0000000000000000",
        "/id/comparison/nothing",
    ],
)
def test_api_linked_unknown_iri_is_404(client: TestClient, seed: str, url: str) -> None:
    response = client.get(url.format(id=seed.rsplit("/", 1)[-1]))
    assert response.status_code == 404
    assert "there is nothing at" in response.json()["error"]


def test_api_linked_unsupported_type_is_406(client: TestClient, seed: str) -> None:
    response = client.get(path(seed), headers={"Accept": "application/pdf"})
    assert response.status_code == 406
    assert "text/turtle" in response.json()["error"]


def test_api_linked_other_nodes_and_imported_reviews(client: TestClient, seed: str) -> None:
    run = client.get(path(f"{seed}/extraction"))
    assert run.status_code == 200
    software = next(o for o in parsed(run).objects() if "/id/software/" in str(o))
    assert client.get(path(str(software))).status_code == 200
    posted = client.post("/claimreviews", content=json.dumps(review()),
                         headers={"Content-Type": "application/json"})  # fmt: skip
    iri = posted.json()["reviews"][0]["iri"]
    graph = parsed(client.get(path(iri)))
    assert (URIRef(iri), RDF.type, SDO.ClaimReview) in graph
    assert graph.value(graph.value(URIRef(iri), SDO.reviewRating), SDO.alternateName)


def test_api_linked_void(client: TestClient) -> None:
    response = client.get("/.well-known/void")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    dataset = URIRef(f"{BASE}.well-known/void#dataset")
    assert (dataset, VOID.sparqlEndpoint, URIRef(f"{BASE}sparql")) in graph
    assert (dataset, VOID.dataDump, URIRef(f"{BASE}export?format=trig")) in graph
    assert (dataset, VOID.uriSpace, Literal(f"{BASE}id/")) in graph
    assert (dataset, VOID.vocabulary, URIRef("http://schema.org/")) in graph
    assert int(graph.value(dataset, VOID.triples)) > 100
    documents = URIRef(f"{BASE}.well-known/void#documents")
    assert (dataset, VOID.subset, documents) in graph
    assert int(graph.value(documents, VOID.documents)) == 2
    actors = URIRef(f"{BASE}.well-known/void#actors")
    assert int(graph.value(actors, VOID.triples)) > 0
    as_jsonld = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert as_jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=as_jsonld.text, format="json-ld")) == len(graph)
    assert client.get("/.well-known/void", headers={"Accept": "text/csv"}).status_code == 406


def test_api_linked_resolves_paths_against_the_base_setting() -> None:
    base = "https://data.example.org/fg/"
    store = OxigraphStore(None)
    docs = fill(store, base)
    app = build_app(Settings(base_iri=base), store)
    with TestClient(app, raise_server_exceptions=False) as client:
        doc_path = "/id/document/" + docs["seed"].rsplit("/", 1)[-1]
        response = client.get(doc_path, headers={"Accept": "application/n-triples"})
        assert response.status_code == 200
        subjects = {q.subject.value for q in ox.parse(response.content, ox.RdfFormat.N_TRIPLES)}
        assert docs["seed"] in subjects
        assert client.get("/id/actor/reuters").status_code == 200


def test_api_linked_void_counts_a_triple_stated_in_two_graphs_once() -> None:
    settings = Settings()
    store = OxigraphStore(None)
    shared = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    own = b"<http://example.org/s> <http://example.org/p> <http://example.org/other> .\n"
    store.replace_graph(f"{settings.base_iri}id/document/aaaa", shared)
    store.replace_graph(f"{settings.base_iri}id/document/bbbb", shared + own)
    store.replace_graph(f"{settings.base_iri}graph/actors", shared)
    with TestClient(build_app(settings, store)) as client:
        graph = parsed(client.get("/.well-known/void"))
    void = f"{settings.base_iri}.well-known/void#"
    assert int(graph.value(URIRef(f"{void}dataset"), VOID.triples)) == 2  # not 4 quads
    assert int(graph.value(URIRef(f"{void}documents"), VOID.triples)) == 2  # not 3
    assert int(graph.value(URIRef(f"{void}documents"), VOID.documents)) == 2
    assert int(graph.value(URIRef(f"{void}actors"), VOID.triples)) == 1
