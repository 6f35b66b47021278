"""Linked data: what the service says about each IRI under `{base}id/`, and its VoID.

Each description is a CONSTRUCT over the union graph that the store runs and serialises
(Oxigraph), from `service/sparql/describe/`. The only value in it is the resource's IRI, built
by the caller from path parts it validated, checked again here and written by Oxigraph into
the query's slot; nothing else a client sends reaches SPARQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from service.rdf import iris
from service.rdf.vocab import DCTERMS, FG, NIF, PROV, RDF, SDO, VOID, XSD, new_graph
from service.sparql import fill, load
from service.store import Store, iri_term

__all__ = [
    "DescriptionKind",
    "GraphCounts",
    "count_graphs",
    "describe_query",
    "exists",
    "merged_triples",
    "void_graph",
]

_SAFE_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


class DescriptionKind(StrEnum):
    DOCUMENT = "document"  # its own triples and its text node's, not its whole graph
    CLAIM = "claim"  # its triples, its spans' and sentence's, and what points to it
    GRAPH = "graph"  # a resource that names its own graph (a ClaimReview): the whole graph
    NODE = "node"  # its triples and those that point to it (comparisons, software, ...)
    SUBJECT = "subject"  # its own triples only (actors: named by every mention)


def _node(iri: str) -> ox.NamedNode:
    """A checked absolute IRI as Oxigraph's term; ValueError for anything that could be syntax."""
    if not _SAFE_IRI.fullmatch(iri):
        raise ValueError(f"{iri!r} is not an absolute http(s) IRI safe to name in a query")
    return ox.NamedNode(iri)


def describe_query(iri: str, kind: DescriptionKind) -> str:
    """The CONSTRUCT that describes `iri` (`service/sparql/describe/{kind}.rq`)."""
    template = load(f"describe/{kind.value}.rq")
    if kind is DescriptionKind.DOCUMENT:
        return fill(template, node=_node(iri), text=_node(iris.text(iri)))
    return fill(template, node=_node(iri))


def exists(store: Store, iri: str) -> bool:
    """True when the IRI is the subject or object of any stored triple."""
    _node(iri)
    return bool(store.select(load("read/exists.rq"), {"s": iri_term(iri)}))


@dataclass(frozen=True, slots=True)
class GraphCounts:
    """Named graphs and triples of one kind."""

    graphs: int = 0
    triples: int = 0


def count_graphs(store: Store, base_iri: str) -> dict[str, GraphCounts]:
    """Graphs and triples by kind: documents, actors, analysis, claimreviews, other. The
    triples of a kind are those of the RDF merge of its graphs (each distinct triple once)."""
    graphs: dict[str, int] = {}
    named = {iris.actors_graph(base_iri): "actors", iris.analysis_graph(base_iri): "analysis"}
    for row in store.select(load("read/graph_sizes.rq")):
        graph = row["g"] or ""
        if graph in named:
            kind = named[graph]
        elif graph.startswith(iris.documents_prefix(base_iri)):
            kind = "documents"
        elif graph.startswith(iris.claimreviews_prefix(base_iri)):
            kind = "claimreviews"
        else:
            kind = "other"
        graphs[kind] = graphs.get(kind, 0) + 1
    by_kind = fill(
        load("read/merged_triples_by_kind.rq"),
        actors=ox.NamedNode(iris.actors_graph(base_iri)),
        analysis=ox.NamedNode(iris.analysis_graph(base_iri)),
        documents=ox.Literal(iris.documents_prefix(base_iri)),
        claimreviews=ox.Literal(iris.claimreviews_prefix(base_iri)),
    )
    triples = {row["kind"] or "": int(row["n"] or 0) for row in store.select(by_kind)}
    return {kind: GraphCounts(n, triples.get(kind, 0)) for kind, n in graphs.items()}


def merged_triples(store: Store) -> int:
    """Triples in the RDF merge of every named graph: the dataset's size as VoID gives it."""
    rows = store.select(load("read/merged_triples.rq"))
    return int(rows[0]["n"] or 0) if rows else 0


_SUBSETS: Mapping[str, tuple[str, str, Callable[[str], str] | None]] = {
    "documents": ("Documents", "One named graph per news article: what was extracted from it, "
                  "with sentences, offsets and the extraction run.", iris.documents_prefix),
    "actors": ("Actor registry", "The curated actors: names, aliases and Wikidata links.",
               iris.actor_prefix),
    "analysis": ("Analysis", "What is derived across documents, such as claim comparisons.",
                 None),
    "claimreviews": ("ClaimReviews", "Imported fact-checks (schema:ClaimReview), one named "
                     "graph each, linked to the claims they review with fg:reviews.",
                     iris.claimreviews_prefix),
}  # fmt: skip


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def void_graph(base_iri: str, counts: Mapping[str, GraphCounts], triples: int) -> Graph:
    """The VoID description of the dataset (`triples` in the merge of its graphs), with one
    subset per kind of named graph."""
    dataset = URIRef(f"{base_iri}.well-known/void#dataset")
    graph = new_graph()
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("factgraph", lang="en")))
    graph.add((dataset, DCTERMS.description, Literal(
        "A fact-check knowledge graph: who said what in news articles, which numbers and dates "
        "were claimed, with the sentence and character offsets behind every claim.", lang="en")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(f"{base_iri}sparql")))
    for name in ("trig", "nquads", "claimreview"):
        graph.add((dataset, VOID.dataDump, URIRef(f"{base_iri}export?format={name}")))
    graph.add((dataset, VOID.uriSpace, Literal(iris.minted(base_iri))))
    for vocabulary in (FG._NS, SDO, PROV, NIF):
        graph.add((dataset, VOID.vocabulary, URIRef(str(vocabulary))))
    graph.add((dataset, VOID.triples, _count(triples)))
    for kind, (title, description, space) in _SUBSETS.items():
        found = counts.get(kind, GraphCounts())
        subset = URIRef(f"{base_iri}.well-known/void#{kind}")
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, DCTERMS.title, Literal(title, lang="en")))
        graph.add((subset, DCTERMS.description, Literal(description, lang="en")))
        graph.add((subset, VOID.triples, _count(found.triples)))
        graph.add((subset, VOID.documents, _count(found.graphs)))
        if space is not None:
            graph.add((subset, VOID.uriSpace, Literal(space(base_iri))))
    return graph
