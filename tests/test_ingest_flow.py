"""The ingest flow: each document stored whole or not at all, and a batch never lost to one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Graph

import service.pipeline.prepare
from service.bootstrap import build_ingestor, configured, extractor_config
from service.pipeline.documents import Document
from service.pipeline.ingest import Ingestor
from service.pipeline.prepare import Preparer
from service.store.oxigraph import OxigraphStore

settings = configured()

WIRE = Document(
    text="The finance minister said on Tuesday that inflation rose to 3.2 percent in March.",
    publisher="Example Wire",
    source="wire.json",
)
HEALTH = Document(
    text="More than 1,200 patients were treated last week, a hospital spokesperson said.",
    publisher="Health Desk",
    source="health.json",
)


@pytest.fixture(scope="module")
def ingestor() -> Iterator[Ingestor]:
    store = OxigraphStore(None)
    ingestor = build_ingestor(store, settings)
    yield ingestor
    ingestor.close()
    store.close()


def test_ingest_stores_each_document_in_its_own_graph(ingestor: Ingestor) -> None:
    results = list(ingestor.ingest([WIRE, HEALTH]))
    assert [r.stored for r in results] == [True, True]
    assert all(ingestor.store.has_graph(r.iri) for r in results)
    assert results[0].statements == 1
    assert results[1].quantities >= 1


def test_ingest_same_text_twice_replaces_its_graph(ingestor: Ingestor) -> None:
    list(ingestor.ingest([WIRE]))
    before = ingestor.store.quad_count()
    (again,) = ingestor.ingest([WIRE])
    assert again.stored
    assert ingestor.store.quad_count() == before


def test_ingest_a_document_without_a_graph_is_rejected_and_the_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = service.pipeline.prepare.build_document_graph
    faulty = Document(text="The spokesman said nothing new.", publisher="Wire")

    def build(document: Document, *args: object, **kwargs: object) -> Graph:
        if document.text == faulty.text:
            raise ValueError("statement 0 names an actor 'x' that the extraction does not hold")
        return real(document, *args, **kwargs)

    # In this process (a Preparer, not worker processes), so that the patch applies.
    monkeypatch.setattr(service.pipeline.prepare, "build_document_graph", build)
    store = OxigraphStore(None)
    here = Ingestor(
        store, Preparer(extractor_config(settings, checks=True)), base_iri=settings.base_iri
    )
    first, second = here.ingest([faulty, HEALTH])
    assert not first.stored
    assert "no graph could be built" in (first.reason or "")
    assert not store.has_graph(first.iri)
    assert second.stored
