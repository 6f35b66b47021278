"""Claims as schema.org `Claim`s ready to be a ClaimReview's `itemReviewed`, and feeds.

JSON-LD with schema.org's own context (`https://schema.org`, whose terms expand to
`http://schema.org/`, the namespace the graph uses). The feeds are `DataFeed`s of
`DataFeedItem`s, the shape of Data Commons' fact-check feed, so they import back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from service.claimreview.claims import (
    ActorInfo,
    ClaimData,
    ClaimInfo,
    DocumentInfo,
    FirstAppearances,
    load_claim_data,
)
from service.claimreview.judgements import latest_judgements
from service.rdf.vocab import FG, RDF, SDO, XSD
from service.sparql import load
from service.store import Store

__all__ = [
    "CONTEXT",
    "FEED_KINDS",
    "claim_json",
    "claims_feed",
    "export_chunks",
    "export_feed",
    "feed_bytes",
    "first_appearance",
    "reviews_feed",
]

CONTEXT = "https://schema.org"
FEED_KINDS = ("claimreview", "claims")  # stored reviews; claims as ClaimReview-ready Claims
_CHUNK = 64 * 1024  # bytes of JSON a chunk of a streamed feed
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


def first_appearance(
    claim: ClaimInfo, data: ClaimData, appearances: FirstAppearances | None = None
) -> DocumentInfo:
    """The earliest-dated document holding the same claim; the claim's own when none is
    earlier (or no date is known). `appearances`: the index of `data`'s claims, when made."""
    own = data.documents.get(claim.document) or DocumentInfo(claim.document)
    first = (appearances or FirstAppearances(data.claims.values())).earliest(claim)
    if first is None:
        return own
    return data.documents.get(first.document) or DocumentInfo(
        first.document, date_published=first.published
    )


def claim_json(
    claim: ClaimInfo,
    data: ClaimData,
    *,
    context: bool = True,
    appearances: FirstAppearances | None = None,
) -> dict[str, Any]:
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
    first = first_appearance(claim, data, appearances)
    node["firstAppearance"] = _article_json(first, data)
    return node


def _feed_head(name: str) -> tuple[dict[str, Any], str]:
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    head = {"@context": CONTEXT, "@type": "DataFeed", "name": name, "dateModified": now}
    return head, now


def _feed(items: Iterable[dict[str, Any]], name: str) -> dict[str, Any]:
    head, now = _feed_head(name)
    head["dataFeedElement"] = [
        {"@type": "DataFeedItem", "dateCreated": now, "item": [item]} for item in items
    ]
    return head


def _feed_chunks(items: Iterable[dict[str, Any]], name: str) -> Iterator[bytes]:
    """The feed `_feed` makes, as JSON written an element a line, in chunks of about
    `_CHUNK` bytes: the text of a feed of every claim is never held whole in memory."""
    head, now = _feed_head(name)
    opening = json.dumps(head, ensure_ascii=False, indent=1)[:-2]  # without "\n}"
    chunk = bytearray(f'{opening},\n "dataFeedElement": [\n'.encode())
    separator = b""
    for item in items:
        element = {"@type": "DataFeedItem", "dateCreated": now, "item": [item]}
        chunk += separator + json.dumps(element, ensure_ascii=False).encode("utf-8")
        separator = b",\n"
        if len(chunk) >= _CHUNK:
            yield bytes(chunk)
            chunk.clear()
    yield bytes(chunk + b"\n ]\n}")


def _claim_items(data: ClaimData) -> Iterator[dict[str, Any]]:
    """Every claim as a Claim, ordered by IRI; each claim's first appearance is looked up
    among the claims of its key only (`FirstAppearances`), so the feed grows with the store,
    not with its square."""
    appearances = FirstAppearances(data.claims.values())
    for iri in sorted(data.claims):
        yield claim_json(data.claims[iri], data, context=False, appearances=appearances)


def claims_feed(data: ClaimData) -> dict[str, Any]:
    """Every stored claim as a ClaimReview-ready Claim, ordered by IRI."""
    return _feed(_claim_items(data), "factgraph claims")


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


def export_chunks(store: Store, kind: str) -> Iterator[bytes]:
    """A feed as chunks of JSON; the store is read before the first chunk (an error is
    raised here, not halfway through a download). `claims` is turned into JSON chunk by
    chunk as it is sent."""
    if kind == "claimreview":
        return iter([feed_bytes(reviews_feed(store))])
    if kind == "claims":
        return _feed_chunks(_claim_items(load_claim_data(store)), "factgraph claims")
    raise ValueError(f"unknown feed {kind!r}; use one of: {', '.join(FEED_KINDS)}")


def export_feed(store: Store, kind: str) -> bytes:
    """`claimreview`: the stored ClaimReviews; `claims`: every claim, ClaimReview-ready."""
    return b"".join(export_chunks(store, kind))
