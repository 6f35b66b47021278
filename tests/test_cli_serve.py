"""`factgraph serve` mints IRIs under the address it listens on, unless told the public base."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from typer.testing import CliRunner

from service.cli.app import app
from service.cli.serve import base_iri_for
from service.rdf.vocab import VOID
from tests.conftest import served

runner = CliRunner()


@pytest.mark.parametrize(
    ("host", "port", "base"),
    [
        ("127.0.0.1", 8000, "http://localhost:8000/"),  # what `factgraph ingest` mints under
        ("localhost", 8123, "http://localhost:8123/"),
        ("::1", 8123, "http://localhost:8123/"),
        ("192.0.2.7", 8080, "http://192.0.2.7:8080/"),
        ("2001:db8::7", 8080, "http://[2001:db8::7]:8080/"),
        ("0.0.0.0", 8080, None),  # names no host
    ],
)
def test_serve_base_iri_follows_host_and_port(host: str, port: int, base: str | None) -> None:
    assert base_iri_for(host, port) == base


def test_serve_on_an_unspecified_address_needs_the_base_iri_setting(tmp_path: Path) -> None:
    env = {"FACTGRAPH_UPDATE_TOKEN": "a-token-of-20-chars!", "FACTGRAPH_BASE_IRI": None}
    result = runner.invoke(app, ["serve", "--store", str(tmp_path), "--host", "0.0.0.0"], env=env)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "FACTGRAPH_BASE_IRI" in result.stderr


@pytest.mark.e2e
def test_serve_on_another_port_answers_with_iris_of_that_port(tmp_path: Path) -> None:
    with served(tmp_path, {"FACTGRAPH_BASE_IRI": None}) as (base, _):
        port = base.rsplit(":", 1)[1]
        void = httpx.get(f"{base}/.well-known/void", timeout=30)
    graph = Graph().parse(data=void.text, format="turtle")
    dataset = URIRef(f"http://localhost:{port}/.well-known/void#dataset")
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(f"http://localhost:{port}/sparql")
