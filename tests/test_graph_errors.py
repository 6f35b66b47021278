"""The graph builder: a record it cannot convert raises ValueError naming it; the rest converts.

A tiny hand-made document, so each case changes one thing and needs neither spaCy nor shapes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from rdflib import Literal, URIRef

from service.bootstrap import configured
from service.pipeline.documents import Document
from service.pipeline.graph import (
    RunInfo,
    build_document_graph,
    document_iri,
    graph_counts,
    to_ntriples,
)
from service.pipeline.records import (
    Actor,
    ActorType,
    Comparator,
    DateClaim,
    Extraction,
    Mention,
    QuantityClaim,
    Sentence,
    Span,
    Statement,
    StatementType,
)
from service.pipeline.validate import Validator
from service.rdf import iris
from service.rdf.vocab import FG, NIF, SDO, XSD

settings = configured()

BASE = "http://localhost:8000/"
TEXT = "Politico said “about 2,500 troops” stay. The group was defeated in 2019."
RUN = RunInfo(
    software_version="1.2.3",
    started=dt.datetime(2024, 2, 1, 12, 0, tzinfo=dt.UTC),
    ended=dt.datetime(2024, 2, 1, 12, 0, 1, tzinfo=dt.UTC),
)


def _span(needle: str) -> Span:
    start = TEXT.index(needle)
    return Span(start, start + len(needle), needle)


def _document(**changes: object) -> Document:
    document = Document(
        text=TEXT,
        publisher="Press TV",
        date_published=dt.date(2024, 1, 27),
        url="https://example.org/a",
    )
    return replace(document, **changes)


def _extraction() -> Extraction:
    first = _span("Politico said “about 2,500 troops” stay.")
    second = _span("The group was defeated in 2019.")
    return Extraction(
        sentences=[Sentence(0, first), Sentence(1, second)],
        actors={
            "politico": Actor("politico", "Politico", ActorType.ORGANIZATION),
            "press-tv": Actor("press-tv", "Press TV", ActorType.ORGANIZATION),
            "iraq": Actor("iraq", "Iraq", ActorType.PLACE, wikidata="Q796"),
        },
        mentions=[Mention(_span("Politico"), "politico", 0)],
        statements=[
            Statement(
                0,
                _span("said"),
                _span("“about 2,500 troops” stay"),
                StatementType.MIXED,
                speaker="politico",
                speaker_mention=_span("Politico"),
            )
        ],
        quantities=[
            QuantityClaim(
                0,
                _span("about 2,500 troops"),
                Decimal("2500"),
                Comparator.APPROXIMATELY,
                hedge="about",
                location="iraq",
                statement=0,
            ),
            QuantityClaim(0, _span("2,500 troops"), Decimal("2500"), Comparator.EQUAL),
        ],
        dates=[
            DateClaim(
                1,
                _span("in 2019"),
                "The group was defeated",
                dt.date(2019, 1, 1),
                dt.date(2019, 12, 31),
                event_key="group/defeat",
            )
        ],
        publisher="press-tv",
        model_name="en_core_web_sm",
        model_version="3.8.0",
    )


def _build(document: Document | None = None, extraction: Extraction | None = None):
    return build_document_graph(
        document or _document(), extraction or _extraction(), base_iri=BASE, run=RUN
    )


def test_graph_iris_follow_the_model() -> None:
    document = _document()
    doc = document_iri(BASE, document)
    assert doc == f"{BASE}id/document/{document.doc_id}"
    assert URIRef(iris.actor(BASE, "iraq")) == URIRef(f"{BASE}id/actor/iraq")
    assert iris.actors_graph(BASE) == f"{BASE}graph/actors"
    assert iris.analysis_graph(BASE) == f"{BASE}graph/analysis"
    graph = _build(document)
    assert graph.identifier == URIRef(doc)
    for node in ("statement/0", "quantity/0", "quantity/1", "date/0", "extraction", "text"):
        assert (URIRef(f"{doc}/{node}"), None, None) in graph, node


def test_graph_claimant_is_statement_speaker_then_publisher() -> None:
    doc = document_iri(BASE, _document())
    graph = _build()
    politico, press_tv = URIRef(iris.actor(BASE, "politico")), URIRef(iris.actor(BASE, "press-tv"))
    assert graph.value(URIRef(f"{doc}/quantity/0"), FG.claimedBy) == politico
    assert graph.value(URIRef(f"{doc}/quantity/1"), FG.claimedBy) == press_tv
    assert graph.value(URIRef(f"{doc}/date/0"), FG.claimedBy) == press_tv


def test_graph_publisher_minted_from_document_when_extraction_has_none() -> None:
    extraction = _extraction()
    extraction.publisher = None
    del extraction.actors["press-tv"]
    graph = _build(extraction=extraction)
    doc = URIRef(document_iri(BASE, _document()))
    publisher = graph.value(doc, SDO.publisher)
    assert publisher == URIRef(iris.actor(BASE, "press-tv"))
    assert graph.value(publisher, SDO.name) == Literal("Press TV")


def test_graph_datetime_published_is_xsd_datetime() -> None:
    published = dt.datetime(2024, 1, 27, 8, 30, tzinfo=dt.UTC)
    graph = _build(_document(date_published=published))
    doc = URIRef(document_iri(BASE, _document()))
    assert graph.value(doc, SDO.datePublished).datatype == XSD.dateTime


def test_graph_decimal_written_in_plain_notation() -> None:
    extraction = _extraction()
    extraction.quantities[1].value = Decimal("2.5E+3")
    graph = _build(extraction=extraction)
    doc = document_iri(BASE, _document())
    value = graph.value(URIRef(f"{doc}/quantity/1"), SDO.value)
    assert (str(value), value.datatype) == ("2500", XSD.decimal)


def test_graph_speaker_none_is_left_for_the_shapes_to_reject() -> None:
    extraction = _extraction()
    extraction.statements[0].speaker = None
    graph = _build(extraction=extraction)
    doc = document_iri(BASE, _document())
    assert graph.value(URIRef(f"{doc}/statement/0"), FG.speaker) is None


def test_graph_ntriples_are_utf8_and_complete() -> None:
    graph = _build()
    data = to_ntriples(graph)
    assert "“about 2,500 troops”".encode() in data
    assert len([line for line in data.splitlines() if line.strip()]) == len(graph)
    assert graph_counts(_extraction()) == {
        "statements": 1,
        "quantities": 2,
        "dates": 1,
        "actors": 3,
    }


def test_graph_span_offsets_are_nonnegative_integers() -> None:
    graph = _build()
    for node in graph.subjects(NIF.beginIndex, None):
        assert graph.value(node, NIF.beginIndex).datatype == XSD.nonNegativeInteger


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: setattr(e.statements[0], "speaker", "nobody"), "statement 0 names actor"),
        (lambda e: setattr(e.quantities[0], "location", "mars"), "quantity claim 0 names actor"),
        (lambda e: setattr(e, "publisher", "bbc"), "publisher 'bbc'"),
        (lambda e: e.mentions.append(replace(e.mentions[0], actor="ghost")), "actor 'ghost'"),
        (lambda e: setattr(e.dates[0], "sentence", 7), "date claim 0 refers to sentence 7"),
        (lambda e: setattr(e.statements[0], "nested_in", 3), "refers to statement 3"),
        (lambda e: setattr(e.statements[0], "nested_in", 0), "nested in itself"),
        (lambda e: setattr(e.quantities[1], "statement", 5), "claim 1 refers to statement 5"),
        (lambda e: setattr(e.statements[0], "cue", Span(9, 13, "says")), "statement 0 cue"),
        (lambda e: setattr(e.quantities[0], "mention", Span(60, 999, "x")), "not a span"),
        (lambda e: setattr(e.quantities[0], "value", Decimal("NaN")), "not a finite number"),
        (lambda e: setattr(e.quantities[0], "min_value", 1.5), "must be a Decimal"),
        (lambda e: e.sentences.append(Sentence(0, e.sentences[0].span)), "occurs twice"),
        (
            lambda e: e.actors.update(iraq=Actor("iraq", "Iraq", ActorType.PLACE, wikidata="796")),
            "Wikidata id '796'",
        ),
        (
            lambda e: e.actors.update(iraq=Actor("Iraq!", "Iraq", ActorType.PLACE)),
            "filed under 'iraq'",
        ),
    ],
)
def test_graph_unconvertible_record_raises_value_error(change, message: str) -> None:
    extraction = _extraction()
    change(extraction)
    with pytest.raises(ValueError, match=message):
        _build(extraction=extraction)


def test_graph_run_ending_before_start_raises_value_error() -> None:
    run = RunInfo("1.0", RUN.ended, RUN.started)
    with pytest.raises(ValueError, match="ended"):
        build_document_graph(_document(), _extraction(), base_iri=BASE, run=run)


def test_graph_actor_key_must_be_a_slug() -> None:
    with pytest.raises(ValueError, match="not a slug"):
        URIRef(iris.actor(BASE, "Islamic State"))


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(settings.shapes_dir, settings.ontology_dir)


def test_graph_small_document_conforms_to_the_shapes(validator: Validator) -> None:
    report = validator.validate(_build())
    assert report.conforms, report.text


def test_graph_without_speaker_does_not_conform(validator: Validator) -> None:
    extraction = _extraction()
    extraction.statements[0].speaker = None
    extraction.statements[0].speaker_mention = None
    report = validator.validate(_build(extraction=extraction))
    assert not report.conforms
    assert any("fg:speakerUnresolved" in (r.message or "") for r in report.results)
