"""Records to RDF: one graph per document, laid out as MODEL.md says.

A module of small pure functions: each turns one record into triples and raises `ValueError`
naming what it could not convert. No I/O and no globals, so the same input always gives the
same graph (every node is an IRI, so two runs over one text give isomorphic graphs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from service.pipeline.documents import Appearance, Document, RawPage
from service.pipeline.records import (
    Actor,
    ActorType,
    Comparator,
    DateClaim,
    Extraction,
    Mention,
    Nature,
    QuantityClaim,
    Sentence,
    Span,
    Statement,
    StatementType,
    actor_key,
)
from service.pipeline.syndication import NearCopy, band_keys
from service.rdf import iris
from service.rdf.registry import actor_triples
from service.rdf.vocab import FG, ITSRDF, NIF, PROV, RDF, SDO, XSD, new_graph

__all__ = [
    "RunInfo",
    "build_document_graph",
    "document_iri",
    "graph_counts",
    "to_ntriples",
]

Triple = tuple[Node, Node, Node]

STATEMENT_TYPES: Mapping[StatementType, URIRef] = {
    StatementType.DIRECT: FG.Direct,
    StatementType.MIXED: FG.Mixed,
    StatementType.INDIRECT: FG.Indirect,
}
# The comparator values are the fg: local names (FG is closed: a new value fails here, at import).
COMPARATORS: Mapping[Comparator, URIRef] = {c: FG[c.value] for c in Comparator}
NATURES: Mapping[Nature, URIRef] = {
    Nature.STOCK: FG.Stock,
    Nature.FLOW: FG.Flow,
    Nature.CHANGE: FG.Change,
}


@dataclass(frozen=True)
class RunInfo:
    """The extraction run as the caller saw it: which factgraph, and when."""

    software_version: str
    started: datetime
    ended: datetime


@dataclass(frozen=True, slots=True)
class _Context:
    """What every record's conversion needs: the document's nodes and the resolved actors."""

    base: str
    doc: URIRef
    text: str
    text_node: URIRef
    run: URIRef
    publisher: URIRef | None
    actors: Mapping[str, Actor]
    actor_iris: Mapping[str, URIRef]
    publishers: Mapping[str, str]  # each appearance's publisher name -> Actor.key
    sentences: Mapping[int, Sentence]
    statements: tuple[Statement, ...]


# ---------------------------------------------------------------- IRIs


def document_iri(base_iri: str, document: Document) -> str:
    """`{base}id/document/{first 16 hex of sha256(text)}`: the same text, the same IRI."""
    return iris.document(base_iri, document.doc_id)


# ---------------------------------------------------------------- literals


def _count(value: int, what: str) -> Literal:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative integer, not {value!r}")
    return Literal(value, datatype=XSD.nonNegativeInteger)


def _decimal(value: Decimal | int, what: str) -> Literal:
    """An xsd:decimal in plain notation ("2500", never "2.5E+3")."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"{what} must be a Decimal, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{what} {value!r} is not a finite number")
    return Literal(format(number, "f"), datatype=XSD.decimal)


def _date(value: date, what: str) -> Literal:
    """An xsd:date (a date-time is cut to its date)."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise ValueError(f"{what} must be a date, not {value!r}")
    return Literal(value.isoformat(), datatype=XSD.date)


def _when(value: date, what: str) -> Literal:
    """An xsd:dateTime for a date-time, an xsd:date for a date."""
    if isinstance(value, datetime):
        return Literal(value.isoformat(), datatype=XSD.dateTime)
    return _date(value, what)


def _string(value: str | None, what: str = "value") -> Literal | None:
    """A plain string literal; None for a missing or empty value (the shapes then report it)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string, not {type(value).__name__}")
    return Literal(value)


def _present(node: URIRef, pairs: Iterable[tuple[URIRef, Node | None]]) -> Iterator[Triple]:
    """The triples whose object is there: optional record fields become absent properties."""
    return ((node, p, o) for p, o in pairs if o is not None)


def _optional(
    convert: Callable[[Any, str], Literal], value: object | None, what: str
) -> Literal | None:
    return None if value is None else convert(value, what)


# ---------------------------------------------------------------- actors


def _minted_publisher(actors: dict[str, Actor], name: str) -> str:
    """A publisher the extraction did not resolve: an organisation of that name."""
    key = actor_key(name)
    actors.setdefault(key, Actor(key, name, ActorType.ORGANIZATION))
    return key


def _resolve_actors(
    document: Document, extraction: Extraction
) -> tuple[dict[str, Actor], str | None, dict[str, str]]:
    """The actors to describe, the publisher's key and each appearance's publisher's key
    (minted from the document if need be)."""
    actors = dict(extraction.actors)
    for key, actor in actors.items():
        if actor.key != key:
            raise ValueError(f"actor filed under {key!r} has key {actor.key!r}")
    publisher = extraction.publisher
    if publisher is None and document.publisher:
        publisher = _minted_publisher(actors, document.publisher)
    if publisher is not None and publisher not in actors:
        raise ValueError(f"publisher {publisher!r} is not among the extraction's actors")
    publishers = {}
    for appearance in document.all_appearances:
        name = appearance.publisher
        if not name:
            continue
        if name == document.publisher and publisher is not None:
            publishers[name] = publisher
        elif extraction.publishers.get(name) in actors:
            publishers[name] = extraction.publishers[name]
        else:
            publishers[name] = _minted_publisher(actors, name)
    return actors, publisher, publishers


def _actor_iris(
    base: str, doc: URIRef, actors: Mapping[str, Actor], mentions: Iterable[Mention]
) -> dict[str, URIRef]:
    """Each actor's IRI. A named actor's is shared by every document (`{base}id/actor/{key}`);
    a nameless source's is its document's (`{doc}/actor/{n}`), numbered in the order the text
    first mentions them, so the same text gives the same IRIs."""
    first_mentioned = [m.actor for m in sorted(mentions, key=lambda m: m.span.start)]
    numbered: dict[str, int] = {}
    for key in [*first_mentioned, *sorted(actors)]:
        actor = actors.get(key)
        if actor is not None and actor.nameless and key not in numbered:
            numbered[key] = len(numbered) + 1
    return {
        key: URIRef(iris.document_actor(str(doc), numbered[key]) if key in numbered
                    else iris.actor(base, key))
        for key in actors
    }


def _actor_ref(ctx: _Context, key: str, what: str) -> URIRef:
    if key not in ctx.actors:
        raise ValueError(f"{what} names actor {key!r}, which is not among the extraction's actors")
    return ctx.actor_iris[key]


def _actor_description(ctx: _Context, actor: Actor) -> Iterator[Triple]:
    """The actor as the registry describes one, at its IRI, with what it is a member of."""
    what = f"actor {actor.key!r}"
    member_of = _optional(partial(_actor_ref, ctx), actor.member_of, f"{what} member of")
    return actor_triples(ctx.actor_iris[actor.key], actor, member_of)


# ---------------------------------------------------------------- document and text


def _document_triples(ctx: _Context, document: Document) -> Iterator[Triple]:
    doc, text = ctx.doc, ctx.text_node
    published = _optional(_when, document.date_published, "date_published")
    yield doc, RDF.type, SDO.NewsArticle
    yield doc, RDF.type, PROV.Entity
    yield from _present(
        doc,
        [
            (SDO.headline, _string(document.title, "title")),
            (SDO.publisher, ctx.publisher),
            (SDO.datePublished, published),
            (SDO.url, URIRef(document.url) if document.url else None),
            (SDO.inLanguage, _string(document.language, "language")),
        ],
    )
    yield from _present(
        doc,
        [
            (FG.byline, _string(document.author, "author")),
            (FG.claimsWithheld, _string(document.claims_withheld, "claims withheld")),
        ],
    )
    for page in document.raw_pages:
        yield from _raw_page_triples(ctx, page)
    yield doc, FG.text, text
    yield doc, FG.contentHash, Literal(document.content_hash)
    for n, appearance in enumerate(document.all_appearances):
        yield from _appearance_triples(ctx, appearance, first=n == 0)
    for key in band_keys(ctx.text):
        yield doc, FG.shingleBand, Literal(key)
    yield text, RDF.type, NIF.Context
    yield text, NIF.isString, Literal(ctx.text)
    yield text, NIF.beginIndex, _count(0, "text begin")
    yield text, NIF.endIndex, _count(len(ctx.text), "text end")


def _raw_page_triples(ctx: _Context, page: RawPage) -> Iterator[Triple]:
    """A page the text was extracted from: its bytes' hash, where and when it was fetched."""
    node = URIRef(iris.raw_page(str(ctx.doc), page.sha256, page.fetched_from))
    yield ctx.doc, PROV.wasDerivedFrom, node
    yield node, RDF.type, FG.RawPage
    yield node, RDF.type, PROV.Entity
    yield node, FG.rawHash, Literal(page.sha256)
    yield from _present(
        node,
        [
            (FG.fetchedFrom, URIRef(page.fetched_from) if page.fetched_from else None),
            (FG.fetchedAt, _optional(_when, page.fetched_at, "fetched at")),
            (FG.extractedWith, _string(page.extractor, "extractor")),
            (SDO.encodingFormat, _string(page.media_type, "media type")),
        ],
    )


def _appearance_triples(ctx: _Context, appearance: Appearance, *, first: bool) -> Iterator[Triple]:
    """One publication of the text (`schema:PublicationEvent`): by whom, when, where, under
    which headline, and when factgraph received it; the first is the document's own."""
    node = URIRef(iris.appearance(str(ctx.doc), appearance.key))
    publisher = ctx.publishers.get(appearance.publisher or "")
    yield ctx.doc, SDO.publication, node
    if first:
        yield ctx.doc, FG.firstPublication, node
    yield node, RDF.type, SDO.PublicationEvent
    yield from _present(
        node,
        [
            (SDO.publishedBy, ctx.actor_iris[publisher] if publisher else None),
            (SDO.startDate, _optional(_when, appearance.date_published, "appearance date")),
            (SDO.url, URIRef(appearance.url) if appearance.url else None),
            (SDO.name, _string(appearance.title, "appearance title")),
            (FG.recordedAt, _optional(_when, appearance.recorded, "appearance recorded")),
        ],
    )


def _near_copy_triples(ctx: _Context, found: NearCopy) -> Iterator[Triple]:
    """A text reuse found while ingesting this document: the copy is based on the original."""
    if ctx.doc not in (URIRef(found.copy), URIRef(found.original)):
        raise ValueError(f"near-copy {found.copy} of {found.original} does not involve {ctx.doc}")
    node = URIRef(iris.text_reuse(ctx.base, found.copy, found.original))
    copy, original = URIRef(found.copy), URIRef(found.original)
    yield copy, SDO.isBasedOn, original
    yield node, RDF.type, FG.TextReuse
    yield node, FG.copy, copy
    yield node, FG.original, original
    yield node, FG.score, _decimal(Decimal(str(found.score)), "near-copy score")
    yield node, FG.method, Literal(found.method)
    yield node, PROV.wasDerivedFrom, copy
    yield node, PROV.wasDerivedFrom, original
    yield node, PROV.wasGeneratedBy, ctx.run


def _span(ctx: _Context, span: Span, what: str) -> tuple[URIRef, list[Triple]]:
    """A span node with its offsets and its text, checked against the document text."""
    start, end = span.start, span.end
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(ctx.text)):
        raise ValueError(
            f"{what}: offsets {start},{end} are not a span of the {len(ctx.text)}-character text"
        )
    if ctx.text[start:end] != span.text:
        raise ValueError(
            f"{what}: text {span.text!r} is not the text at {start},{end} ({ctx.text[start:end]!r})"
        )
    node = URIRef(iris.span(ctx.doc, start, end))
    return node, [
        (node, RDF.type, NIF.OffsetBasedString),
        (node, NIF.referenceContext, ctx.text_node),
        (node, NIF.beginIndex, _count(start, f"{what} begin")),
        (node, NIF.endIndex, _count(end, f"{what} end")),
        (node, NIF.anchorOf, Literal(span.text)),
    ]


def _span_link(
    ctx: _Context, node: URIRef, prop: URIRef, span: Span, what: str
) -> Iterator[Triple]:
    """A span node and the property that points to it."""
    target, triples = _span(ctx, span, what)
    yield from triples
    yield node, prop, target


def _sentence_triples(ctx: _Context, sentence: Sentence) -> Iterator[Triple]:
    node, triples = _span(ctx, sentence.span, f"sentence {sentence.index}")
    yield from triples
    yield node, RDF.type, NIF.Sentence
    yield node, FG.sentenceIndex, _count(sentence.index, "sentence index")


def _mention_triples(ctx: _Context, mention: Mention) -> Iterator[Triple]:
    what = f"mention {mention.span.text!r}"
    node, triples = _span(ctx, mention.span, what)
    yield from triples
    yield node, RDF.type, NIF.Phrase
    yield node, ITSRDF.taIdentRef, _actor_ref(ctx, mention.actor, what)


def _sentence_ref(ctx: _Context, index: int, what: str) -> URIRef:
    sentence = ctx.sentences.get(index)
    if sentence is None:
        raise ValueError(f"{what} refers to sentence {index}, which the extraction does not have")
    return URIRef(iris.span(ctx.doc, sentence.span.start, sentence.span.end))


def _statement_ref(ctx: _Context, index: int, what: str) -> URIRef:
    if not (isinstance(index, int) and 0 <= index < len(ctx.statements)):
        raise ValueError(f"{what} refers to statement {index}, which the extraction does not have")
    return URIRef(iris.claim(ctx.doc, "statement", index))


def _provenance(ctx: _Context, node: URIRef, sentence: int, what: str) -> Iterator[Triple]:
    """The same provenance on every claim: sentence, document, run."""
    yield node, PROV.wasDerivedFrom, _sentence_ref(ctx, sentence, what)
    yield node, SDO.appearance, ctx.doc
    yield node, PROV.wasGeneratedBy, ctx.run


# ---------------------------------------------------------------- claims


def _statement_triples(ctx: _Context, n: int, statement: Statement) -> Iterator[Triple]:
    node = URIRef(iris.claim(ctx.doc, "statement", n))
    what = f"statement {n}"
    if statement.type not in STATEMENT_TYPES:
        raise ValueError(f"{what} has unknown type {statement.type!r}")
    if statement.nested_in == n:
        raise ValueError(f"{what} is nested in itself")
    yield node, RDF.type, FG.Statement
    yield node, FG.statementType, STATEMENT_TYPES[statement.type]
    yield from _present(
        node,
        [  # no speaker: kept as written and marked unresolved, if written (else the shapes
            # reject the document, with a report)
            (FG.speaker, _optional(partial(_actor_ref, ctx), statement.speaker, what)),
            (
                FG.speakerUnresolved,
                Literal(True)
                if statement.speaker is None and statement.speaker_mention is not None
                else None,
            ),
            (FG.cue, _string(statement.cue.text)),
            (FG.content, _string(statement.content.text)),
            (FG.nestedIn, _optional(partial(_statement_ref, ctx), statement.nested_in, what)),
            (FG.reportedBy, ctx.publisher),
        ],
    )
    if statement.speaker_mention is not None:
        mention = statement.speaker_mention
        yield from _span_link(ctx, node, FG.speakerMention, mention, f"{what} speaker mention")
    yield from _span_link(ctx, node, FG.cueSpan, statement.cue, f"{what} cue")
    yield from _span_link(ctx, node, FG.contentSpan, statement.content, f"{what} content")
    yield from _provenance(ctx, node, statement.sentence, what)


def _claimant(
    ctx: _Context, claimed_by: str | None, statement: int | None, what: str
) -> URIRef | None:
    """Who claims it: as given, else the speaker of its statement, else the publisher."""
    if claimed_by is not None:
        return _actor_ref(ctx, claimed_by, what)
    if statement is not None:
        _statement_ref(ctx, statement, what)
        speaker = ctx.statements[statement].speaker
        if speaker is not None:
            return _actor_ref(ctx, speaker, what)
    return ctx.publisher


def _claim_triples(
    ctx: _Context,
    node: URIRef,
    mention: Span,
    claimed_by: str | None,
    statement: int | None,
    what: str,
) -> Iterator[Triple]:
    """What quantity and date claims share: mention, claimant, statement."""
    yield from _span_link(ctx, node, FG.mention, mention, f"{what} mention")
    yield from _present(
        node,
        [
            (FG.claimedBy, _claimant(ctx, claimed_by, statement, what)),
            (FG.statement, _optional(partial(_statement_ref, ctx), statement, what)),
        ],
    )


def _quantity_triples(ctx: _Context, n: int, claim: QuantityClaim) -> Iterator[Triple]:
    node = URIRef(iris.claim(ctx.doc, "quantity", n))
    what = f"quantity claim {n}"
    if claim.comparator not in COMPARATORS:
        raise ValueError(f"{what} has unknown comparator {claim.comparator!r}")
    if claim.nature not in NATURES:
        raise ValueError(f"{what} has unknown nature {claim.nature!r}")
    yield node, RDF.type, FG.QuantityClaim
    yield node, SDO.value, _decimal(claim.value, f"{what} value")
    yield node, FG.comparator, COMPARATORS[claim.comparator]
    location = _optional(partial(_actor_ref, ctx), claim.location, what)
    optional: list[tuple[URIRef, Node | None]] = [
        (FG.hedge, _string(claim.hedge)),
        (SDO.minValue, _optional(_decimal, claim.min_value, f"{what} minimum")),
        (SDO.maxValue, _optional(_decimal, claim.max_value, f"{what} maximum")),
        (SDO.unitText, _string(claim.unit)),
        (FG.counted, _string(claim.counted)),
        (FG.countedKey, _string(claim.counted_key)),
        (FG.location, location),
        (FG.time, _string(claim.time)),
        (FG.timeStart, _optional(_date, claim.time_start, f"{what} time start")),
        (FG.timeEnd, _optional(_date, claim.time_end, f"{what} time end")),
        (FG.predicate, _string(claim.predicate, f"{what} predicate")),
        (FG.predicateKey, _string(claim.predicate_key, f"{what} predicate key")),
        (FG.nature, NATURES[claim.nature]),
        (FG.event, _string(claim.event, f"{what} event")),
        (FG.eventKey, _string(claim.event_key, f"{what} event key")),
    ]
    yield from _present(node, optional)
    yield from _claim_triples(ctx, node, claim.mention, claim.claimed_by, claim.statement, what)
    yield from _provenance(ctx, node, claim.sentence, what)


def _date_triples(ctx: _Context, n: int, claim: DateClaim) -> Iterator[Triple]:
    node = URIRef(iris.claim(ctx.doc, "date", n))
    what = f"date claim {n}"
    yield node, RDF.type, FG.DateClaim
    yield from _present(
        node,
        [
            (FG.event, _string(claim.event, f"{what} event")),
            (FG.eventKey, _string(claim.event_key, f"{what} event key")),
            (FG.dateText, _string(claim.mention.text)),
        ],
    )
    yield node, FG.earliest, _date(claim.earliest, f"{what} earliest")
    yield node, FG.latest, _date(claim.latest, f"{what} latest")
    yield from _claim_triples(ctx, node, claim.mention, claim.claimed_by, claim.statement, what)
    yield from _provenance(ctx, node, claim.sentence, what)


# ---------------------------------------------------------------- the run


def _run_triples(ctx: _Context, run: RunInfo, extraction: Extraction) -> Iterator[Triple]:
    """The extraction run and its software agent: what CQ6 reports for any triple."""
    if run.ended < run.started:
        raise ValueError(f"the run ended ({run.ended}) before it started ({run.started})")
    agent = URIRef(
        iris.software(ctx.base, run.software_version, extraction.model_name,
                      extraction.model_version)
    )
    yield ctx.run, RDF.type, PROV.Activity
    yield ctx.run, PROV.used, ctx.doc
    yield ctx.run, PROV.wasAssociatedWith, agent
    yield ctx.run, PROV.startedAtTime, _when(run.started, "run start")
    yield ctx.run, PROV.endedAtTime, _when(run.ended, "run end")
    policy = _string(extraction.approximation_policy, "approximation policy")
    yield from _present(ctx.run, [(FG.approximationPolicy, policy)])
    yield agent, RDF.type, PROV.SoftwareAgent
    yield agent, RDF.type, FG.Extractor
    yield agent, SDO.name, Literal("factgraph")
    yield from _present(
        agent,
        [
            (SDO.softwareVersion, _string(run.software_version, "software version")),
            (FG.spacyModel, _string(extraction.model_name, "model name")),
            (FG.spacyModelVersion, _string(extraction.model_version, "model version")),
        ],
    )


# ---------------------------------------------------------------- public


def build_document_graph(
    document: Document,
    extraction: Extraction,
    *,
    base_iri: str,
    run: RunInfo,
    near_copies: Sequence[NearCopy] = (),
) -> Graph:
    """Everything extracted from one document, in the graph named by the document's IRI,
    with every appearance of its text and the near-copies found of it.

    The graph describes every actor it references, so it validates on its own.
    """
    doc = URIRef(document_iri(base_iri, document))
    actors, publisher, publishers = _resolve_actors(document, extraction)
    sentences: dict[int, Sentence] = {}
    for sentence in extraction.sentences:
        if sentence.index in sentences:
            raise ValueError(f"sentence index {sentence.index} occurs twice")
        sentences[sentence.index] = sentence
    actor_iris = _actor_iris(base_iri, doc, actors, extraction.mentions)
    ctx = _Context(
        base=base_iri,
        doc=doc,
        text=document.text,
        text_node=URIRef(iris.text(doc)),
        run=URIRef(iris.extraction_run(doc)),
        publisher=None if publisher is None else actor_iris[publisher],
        actors=actors,
        actor_iris=actor_iris,
        publishers=publishers,
        sentences=sentences,
        statements=tuple(extraction.statements),
    )
    parts: list[Iterable[Triple]] = [_document_triples(ctx, document)]
    parts += [_actor_description(ctx, actor) for actor in actors.values()]
    parts += [_sentence_triples(ctx, sentence) for sentence in extraction.sentences]
    parts += [_mention_triples(ctx, mention) for mention in extraction.mentions]
    parts += [_statement_triples(ctx, n, s) for n, s in enumerate(extraction.statements)]
    parts += [_quantity_triples(ctx, n, q) for n, q in enumerate(extraction.quantities)]
    parts += [_date_triples(ctx, n, d) for n, d in enumerate(extraction.dates)]
    parts += [_near_copy_triples(ctx, found) for found in near_copies]
    parts.append(_run_triples(ctx, run, extraction))
    graph = new_graph(doc)
    for part in parts:
        for triple in part:
            graph.add(triple)
    return graph


def graph_counts(extraction: Extraction) -> dict[str, int]:
    """How many of each thing a document's graph holds, for ingest reports."""
    return {
        "statements": len(extraction.statements),
        "quantities": len(extraction.quantities),
        "dates": len(extraction.dates),
        "actors": len(extraction.actors),
    }


def to_ntriples(graph: Graph) -> bytes:
    """UTF-8 N-Triples, the form the store takes."""
    return graph.serialize(format="nt", encoding="utf-8")
