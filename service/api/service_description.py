"""The SPARQL 1.1 Service Description of the endpoint: what a client can ask before asking.

Built from what the service really does (the result formats the store serialises, whether
updates are on), so it cannot drift from the code.
"""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef

from service.rdf.vocab import ENTAILMENT, FG, FORMATS, RDF, SD, new_graph
from service.store.formats import GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES

__all__ = ["DESCRIPTION_FORMATS", "describe_service"]

# The media types the description is served as, with rdflib's name for each (first = default).
DESCRIPTION_FORMATS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}

# The W3C format IRIs (https://www.w3.org/ns/formats/) of the media types the store writes.
_FORMAT_IRIS = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV,
    "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle,
    "application/n-triples": FORMATS["N-Triples"],
    "application/ld+json": FORMATS["JSON-LD"],
    "application/rdf+xml": FORMATS.RDF_XML,
    "application/trig": FORMATS.TriG,
    "application/n-quads": FORMATS["N-Quads"],
}


def describe_service(endpoint: str, *, updates: bool, text_search: bool = False) -> Graph:
    """The description of the endpoint at `endpoint` (the URL the client called); with
    `text_search`, its extension function fg:textScore (the store has a text index)."""
    graph = new_graph()
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if updates:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for media_type in (*RESULTS_MEDIA_TYPES, *GRAPH_MEDIA_TYPES):
        graph.add((service, SD.resultFormat, _FORMAT_IRIS[media_type]))
    # Not sd:UnionDefaultGraph: queries read the union of the named graphs by default, but an
    # update's WHERE reads the store's own default graph (Oxigraph's update has no union mode).
    graph.add((service, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    dataset, default_graph = BNode(), BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    if text_search:
        graph.add((service, SD.extensionFunction, FG.textScore))
        graph.add((FG.textScore, RDF.type, SD.Function))
    return graph
