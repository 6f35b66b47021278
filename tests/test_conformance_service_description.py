"""The W3C SPARQL 1.1 Service Description manifest, against GET /sparql with no query.

The manifest's three entries carry only a name (no ht: requests): what each asks is the
Service Description spec's "a service description is returned at the endpoint when it is
dereferenced with GET and no query", so each entry maps to one check below, and an entry with
no check fails (a new upstream entry must not pass unnoticed). The service description is
fetched once per module, with an Accept header that prefers the RDF syntaxes rdflib reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from conformance.live import conformance_runner
from conformance.manifest import SUITE, ManifestTest, load_manifest
from conformance.runner import RDF_FORMATS, media_type, parse_rdf
from pyshacl import validate
from rdflib import RDF, Graph, Namespace, URIRef

pytestmark = [pytest.mark.e2e, pytest.mark.conformance]

MANIFEST = SUITE / "service-description" / "manifest.ttl"
ENTRIES = load_manifest(MANIFEST)
SHAPES = Path(__file__).resolve().parent / "conformance" / "service-description-shapes.ttl"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ACCEPT = (
    "text/turtle, application/rdf+xml;q=0.9, application/n-triples;q=0.8, "
    "application/ld+json;q=0.7, application/trig;q=0.5, */*;q=0.1"
)


@dataclass(frozen=True, slots=True)
class Described:
    """The endpoint's URL and its answer to a plain GET."""

    endpoint: str
    response: httpx.Response

    def graph(self) -> Graph:
        """The description's triples; fails the test when it is not RDF."""
        assert self.response.status_code == 200, _shown(self.response)
        kind = media_type(self.response.headers.get("content-type"))
        assert kind in RDF_FORMATS, f"not an RDF media type: {_shown(self.response)}"
        return parse_rdf(self.response.content, kind, self.endpoint)


def _shown(response: httpx.Response) -> str:
    kind = response.headers.get("content-type")
    return f"GET {response.url} -> {response.status_code} {kind} {response.text[:400]!r}"


@pytest.fixture(scope="module")
def described(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Described]:
    """GET /sparql (no query string) on a fresh server, as a client discovering it would."""
    with conformance_runner(tmp_path_factory.mktemp("sd-store")) as runner:
        endpoint = runner.endpoint.base + runner.endpoint.sparql
        yield Described(endpoint, runner.client.get(endpoint, headers={"Accept": ACCEPT}))


def _returns_rdf(described: Described) -> None:
    assert len(described.graph()) > 0, "the service description is empty"


def _has_endpoint_triple(described: Described) -> None:
    graph = described.graph()
    services = set(graph.subjects(SD.endpoint, URIRef(described.endpoint)))
    assert services, (
        f"no `?service sd:endpoint <{described.endpoint}>` triple; sd:endpoint values: "
        f"{sorted(str(o) for o in graph.objects(None, SD.endpoint))}"
    )


def _conforms_to_schema(described: Described) -> None:
    graph = described.graph()
    assert set(graph.subjects(RDF.type, SD.Service)), "no node is typed sd:Service"
    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, _, report = validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, report


CHECKS: dict[str, Callable[[Described], None]] = {
    "returns-rdf": _returns_rdf,
    "has-endpoint-triple": _has_endpoint_triple,
    "conforms-to-schema": _conforms_to_schema,
}


def test_service_description_manifest_is_read_whole() -> None:
    """Three entries, all of which have a check here."""
    assert [entry.id for entry in ENTRIES] == [
        "has-endpoint-triple",
        "returns-rdf",
        "conforms-to-schema",
    ]


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.id for entry in ENTRIES])
def test_service_description(entry: ManifestTest, described: Described) -> None:
    """The description at GET /sparql does what the entry names."""
    check = CHECKS.get(entry.id)
    assert check is not None, f"no check for the manifest entry {entry.id} ({entry.name})"
    check(described)
