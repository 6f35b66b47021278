"""service.claimreview.export: claims as ClaimReview-ready schema:Claims, feeds, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from claimreview_data import BASE, WIRE_URL, fill
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from service.claimreview.claims import load_claim_data
from service.claimreview.export import claim_json, claims_feed, first_appearance
from service.claimreview.importer import INLINE_CONTEXT
from service.cli.app import app
from service.rdf.vocab import RDF, SDO
from service.store.oxigraph import OxigraphStore

runner = CliRunner()


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    return OxigraphStore(None)


@pytest.fixture(scope="module")
def docs(store: OxigraphStore) -> dict[str, str]:
    return fill(store)


def expand(node: dict[str, Any]) -> Graph:
    """JSON-LD with schema.org's context read offline (the context maps terms to http:)."""
    assert node["@context"] == "https://schema.org"
    return Graph().parse(
        data=json.dumps({**node, "@context": INLINE_CONTEXT}), format="json-ld"
    )


def test_claimreview_export_quantity_claim_has_the_google_fields(
    store: OxigraphStore, docs: dict[str, str]
) -> None:
    data = load_claim_data(store)
    iri = f"{docs['seed']}/quantity/0"
    claim = claim_json(data.claims[iri], data)
    assert claim["@context"] == "https://schema.org"
    assert claim["@type"] == "Claim"
    assert claim["@id"] == iri
    assert claim["text"] == "The US has roughly 2,500 troops in Iraq."  # a claim, not a number
    assert claim["datePublished"] == "2024-01-31"
    assert claim["author"] == {
        "@type": "Organization", "@id": f"{BASE}id/actor/eurasia-ro", "name": "eurasia.ro"
    }  # fmt: skip
    appearance = claim["appearance"]
    assert appearance["@type"] == "NewsArticle"
    assert appearance["url"].startswith("https://eurasia.ro/")
    assert appearance["headline"].startswith("Iraqi resistance dismisses")
    assert appearance["publisher"]["name"] == "eurasia.ro"
    # the wire story stated the same number for the same thing eleven days earlier
    assert claim["firstAppearance"]["url"] == WIRE_URL
    assert claim["firstAppearance"]["datePublished"] == "2024-01-20"


def test_claimreview_export_statement_author_has_wikidata_same_as(
    store: OxigraphStore, docs: dict[str, str]
) -> None:
    data = load_claim_data(store)
    reuters = f"{docs['seed']}/statement/2"
    claim = claim_json(data.claims[reuters], data)
    assert claim["text"] == "The US and Iraq will begin talks."
    assert claim["author"]["name"] == "Reuters"
    assert claim["author"]["sameAs"] == "http://www.wikidata.org/entity/Q130879"
    person = claim_json(data.claims[f"{docs['wire']}/statement/0"], data)
    assert person["author"]["@type"] == "Organization"


def test_claimreview_export_first_appearance_is_its_own_when_no_earlier(
    store: OxigraphStore, docs: dict[str, str]
) -> None:
    data = load_claim_data(store)
    syria = data.claims[f"{docs['seed']}/quantity/1"]
    assert first_appearance(syria, data).iri == docs["seed"]
    wire = data.claims[f"{docs['wire']}/quantity/0"]
    assert first_appearance(wire, data).iri == docs["wire"]


def test_claimreview_export_expands_to_http_schema_org(
    store: OxigraphStore, docs: dict[str, str]
) -> None:
    data = load_claim_data(store)
    iri = f"{docs['seed']}/statement/0"
    graph = expand(claim_json(data.claims[iri], data))
    node = URIRef(iri)
    assert (node, RDF.type, SDO.Claim) in graph
    assert (node, SDO.author, URIRef(f"{BASE}id/actor/islamic-resistance-in-iraq")) in graph
    assert (node, SDO.appearance, URIRef(docs["seed"])) in graph
    assert (node, SDO.datePublished, Literal("2024-01-31")) in graph
    assert not any("https://schema.org" in str(term) for triple in graph for term in triple)


def test_claimreview_export_claims_feed_is_a_data_feed_of_every_claim(
    store: OxigraphStore, docs: dict[str, str]
) -> None:
    feed = claims_feed(load_claim_data(store))
    assert len(docs) == 2
    assert feed["@type"] == "DataFeed"
    items = [i for element in feed["dataFeedElement"] for i in element["item"]]
    assert {i["@type"] for i in items} == {"Claim"}
    assert len(items) == 5 + 4 + 1 + 1 + 1  # seed: statements, quantities, date; wire: 1 + 1


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "store"
    opened = OxigraphStore(path)
    fill(opened)
    opened.close()
    return path


@pytest.mark.parametrize(("name", "kind"), [("claims", "Claim"), ("claimreview", None)])
def test_claimreview_export_cli_formats(disk_store: Path, name: str, kind: str | None) -> None:
    result = runner.invoke(app, ["export", "--store", str(disk_store), "--format", name])
    assert result.exit_code == 0, result.output
    feed = json.loads(result.stdout)
    assert feed["@type"] == "DataFeed"
    items = [i for element in feed["dataFeedElement"] for i in element["item"]]
    if kind is None:
        assert items == []  # nothing imported yet
    else:
        assert items
        assert {i["@type"] for i in items} == {kind}


def test_claimreview_export_cli_unknown_format_names_the_feeds(disk_store: Path) -> None:
    result = runner.invoke(app, ["export", "--store", str(disk_store), "--format", "xlsx"])
    assert result.exit_code != 0
    assert "claimreview" in result.output
