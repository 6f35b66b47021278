"""Claims as schema.org `Claim`s ready to be a ClaimReview's `itemReviewed`, and feeds.

JSON-LD with schema.org's own context (`https://schema.org`, whose terms expand to
`http://schema.org/`, the namespace the graph uses). The feeds are `DataFeed`s of
`DataFeedItem`s, the shape of Data Commons' fact-check feed, so they import back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from service.claimreview.claims import (
    ActorInfo,
    ClaimData,
    ClaimInfo,
    DocumentInfo,
    load_claim_data,
)
from service.claimreview.judgements import latest_judgements
from service.claimreview.matching import text_similarity
from service.rdf.vocab import FG, RDF, SDO, XSD
from service.sparql import load
from service.store import Store

__all__ = [
    "CONTEXT",
    "FEED_KINDS",
    "claim_json",
    "claims_feed",
    "export_feed",
    "feed_bytes",
    "first_appearance",
    "reviews_feed",
]

CONTEXT = "https://schema.org"
FEED_KINDS = ("claimreview", "claims")  # stored reviews; claims as ClaimReview-ready Claims
_SAME_STATEMENT = 0.8  # content similarity at which two statements of a speaker are one claim
_NUMERIC = frozenset({XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long})



def _actor_json(actor: ActorInfo | None) -> dict[str, Any] | None:
    """A Person stays a Person; organisations, places and unnamed groups are Organizations
    (ClaimReview's author is a Person or an Organization)."""
    if actor is None:
        return None
    node: dict[str, Any] = {
        "@type": "Person" if actor.type == "Person" else "Organization",
        "@id": actor.iri,
        "name": actor.name,
    }
    if actor.same_as:
        node["sameAs"] = actor.same_as[0] if len(actor.same_as) == 1 else list(actor.same_as)
    return node


def _article_json(doc: DocumentInfo, data: ClaimData) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "NewsArticle", "@id": doc.iri}
    fields = {"url": doc.url, "headline": doc.headline, "datePublished": doc.date_published}
    node.update({k: v for k, v in fields.items() if v})
    publisher = _actor_json(data.actors.get(doc.publisher or ""))
    if publisher is not None:
        node["publisher"] = publisher
    return node


def _same_claim(claim: ClaimInfo, other: ClaimInfo) -> bool:
    """The same claim made in another document: a quantity with the same counted key, value
    and unit; a date claim with the same event key and dates; a statement by the same speaker
    with (nearly) the same content."""
    if claim.kind != other.kind:
        return False
    if claim.kind == "quantity":
        return bool(claim.counted_key) and (claim.counted_key, claim.value, claim.unit) == (
            other.counted_key, other.value, other.unit
        )
    if claim.kind == "date":
        return bool(claim.event_key) and (claim.event_key, claim.earliest, claim.latest) == (
            other.event_key, other.earliest, other.latest
        )
    return (
        claim.author is not None
        and claim.author == other.author
        and text_similarity(claim.text, other.text) >= _SAME_STATEMENT
    )


def first_appearance(claim: ClaimInfo, data: ClaimData) -> DocumentInfo:
    """The earliest-dated document holding the same claim; the claim's own when none is
    earlier (or no date is known)."""
    own = data.documents.get(claim.document) or DocumentInfo(claim.document)
    best = own
    for other in data.claims.values():
        if other.document == claim.document or not _same_claim(claim, other):
            continue
        doc = data.documents.get(other.document)
        if doc is None or not doc.date_published:
            continue
        if not best.date_published or doc.date_published[:10] < best.date_published[:10]:
            best = doc
    return best


def claim_json(claim: ClaimInfo, data: ClaimData, *, context: bool = True) -> dict[str, Any]:
    """The claim as a schema.org Claim: its proposition as text, author, appearance,
    firstAppearance, date."""
    doc = data.documents.get(claim.document) or DocumentInfo(claim.document)
    node: dict[str, Any] = {"@context": CONTEXT} if context else {}
    node.update({"@type": "Claim", "@id": claim.iri, "text": claim.proposition})
    author = _actor_json(data.actors.get(claim.author or ""))
    if author is not None:
        node["author"] = author
    if doc.date_published:
        node["datePublished"] = doc.date_published
    node["appearance"] = _article_json(doc, data)
    node["firstAppearance"] = _article_json(first_appearance(claim, data), data)
    return node


def _feed(items: Iterable[dict[str, Any]], name: str) -> dict[str, Any]:
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    return {
        "@context": CONTEXT,
        "@type": "DataFeed",
        "name": name,
        "dateModified": now,
        "dataFeedElement": [
            {"@type": "DataFeedItem", "dateCreated": now, "item": [item]} for item in items
        ],
    }


def claims_feed(data: ClaimData) -> dict[str, Any]:
    """Every stored claim as a ClaimReview-ready Claim, ordered by IRI."""
    claims = sorted(data.claims.values(), key=lambda c: c.iri)
    return _feed((claim_json(c, data, context=False) for c in claims), "factgraph claims")


def _value(graph: Graph, prop: URIRef, node: Node, seen: frozenset[Node]) -> Any:
    if isinstance(node, Literal):
        if node.datatype in _NUMERIC:
            number = node.toPython()
            return number if isinstance(number, int | float) else float(number)
        return str(node)
    if isinstance(node, BNode):
        return _node_json(graph, node, seen)
    if prop in (SDO.url, SDO.sameAs):
        return str(node)
    return {"@id": str(node)}


def _node_json(graph: Graph, node: Node, seen: frozenset[Node] = frozenset()) -> dict[str, Any]:
    """A stored node as compact schema.org JSON-LD: schema: properties by local name,
    blank nodes nested (cycles cut), fg:reviews under its full IRI."""
    if node in seen:
        return {}
    seen = seen | {node}
    out: dict[str, Any] = {} if isinstance(node, BNode) else {"@id": str(node)}
    types = sorted(str(t)[len(str(SDO)) :] for t in graph.objects(node, RDF.type)
                   if str(t).startswith(str(SDO)))
    if types:
        out["@type"] = types[0] if len(types) == 1 else types
    values: dict[str, list[Any]] = {}
    for prop, obj in sorted(graph.predicate_objects(node)):
        if str(prop).startswith(str(SDO)):
            key = str(prop)[len(str(SDO)) :]
        elif prop == FG.reviews:
            key = str(FG.reviews)
        else:
            continue
        values.setdefault(key, []).append(_value(graph, prop, obj, seen))
    for key, found in values.items():
        out[key] = found[0] if len(found) == 1 and key != str(FG.reviews) else found
    return out


def _apply_judgements(graph: Graph, store: Store) -> None:
    """A reviewer's judgement wins over the matcher's: a rejected link is dropped, a confirmed
    one (made by the matcher or not) kept."""
    for judgement in latest_judgements(store).values():
        if judgement.review is None or judgement.claim is None:
            continue
        review = URIRef(judgement.review)
        if (review, RDF.type, SDO.ClaimReview) not in graph:
            continue
        link = (review, FG.reviews, URIRef(judgement.claim))
        if judgement.verdict == "rejected":
            graph.remove(link)
        else:
            graph.add(link)


def reviews_feed(store: Store) -> dict[str, Any]:
    """Every stored ClaimReview, with the claims it reviews (`fg:reviews`): the matcher's
    links, as reviewers confirmed or rejected them."""
    result = store.query(load("claimreview/reviews.rq"), ["application/n-triples"])
    graph = Graph().parse(data=result.body.decode("utf-8"), format="nt")
    _apply_judgements(graph, store)
    reviews = sorted(
        (r for r in graph.subjects(RDF.type, SDO.ClaimReview) if isinstance(r, URIRef)), key=str
    )
    return _feed((_node_json(graph, r) for r in reviews), "factgraph ClaimReviews")


def feed_bytes(feed: dict[str, Any]) -> bytes:
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")


def export_feed(store: Store, kind: str) -> bytes:
    """`claimreview`: the stored ClaimReviews; `claims`: every claim, ClaimReview-ready."""
    if kind == "claimreview":
        return feed_bytes(reviews_feed(store))
    if kind == "claims":
        return feed_bytes(claims_feed(load_claim_data(store)))
    raise ValueError(f"unknown feed {kind!r}; use one of: {', '.join(FEED_KINDS)}")
