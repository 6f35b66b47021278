"""`check_store` finds every way a store can be out of step after a crash, and
`bring_up_to_date` rebuilds the derived part: the claim comparisons a document lost when the
process died between committing its graph and comparing its claims."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.analysis import AnalysisWriter
from service.bootstrap import build_app, build_extractor, configured
from service.cli.app import app
from service.pipeline.documents import Document
from service.pipeline.extraction import ExtractionWorkers
from service.pipeline.ingest import Ingestor
from service.pipeline.validate import Validator
from service.rdf import iris
from service.store.check import bring_up_to_date, check_store
from service.store.oxigraph import OxigraphStore

settings = configured()
BASE = settings.base_iri

# Three short reports that count the same thing: each is compared with the others.
REPORTS = [
    Document(
        text=text,
        publisher="Example Wire",
        date_published=dt.date(2024, 3, day),
    )
    for day, text in (
        (1, "More than 1,200 patients were treated at the city hospital last week, "
            "a spokesperson said."),
        (2, "About 900 patients were treated at the city hospital last week, officials said "
            "on Monday."),
        (3, "The ministry said 1,200 patients were treated last week and 40 doctors worked "
            "extra shifts."),
    )
]
COMPARISONS = """
PREFIX fg: <https://w3id.org/factgraph/ns#>
SELECT ?comparison ?status ?document WHERE {
  GRAPH ?g { ?comparison fg:status ?status ; fg:comparedDocument ?document }
}
"""


@pytest.fixture(scope="module")
def workers() -> Iterator[ExtractionWorkers]:
    extractor = build_extractor(settings, checks=True)
    yield extractor
    extractor.close()


def ingest(
    store: OxigraphStore,
    workers: ExtractionWorkers,
    documents: list[Document],
    *,
    compare: bool = True,
) -> list[str]:
    """The documents stored; without `compare`, as a process killed right after each commit
    leaves them (graph stored, claims never compared)."""
    after = AnalysisWriter(store, BASE) if compare else None
    ingestor = Ingestor(store, workers, base_iri=BASE, after_commit=after)
    results = list(ingestor.ingest(documents))
    assert all(result.stored for result in results), [r.reason for r in results]
    return [result.iri for result in results]


def comparisons(store: OxigraphStore) -> set[tuple[str | None, ...]]:
    return {tuple(row.values()) for row in store.select(COMPARISONS)}


@pytest.fixture
def shapes() -> Validator:
    return Validator(settings.shapes_dir, settings.ontology_dir)


def test_check_store_of_a_clean_ingest_finds_nothing_wrong(workers, shapes: Validator) -> None:
    store = OxigraphStore(None)
    ingest(store, workers, REPORTS)
    found = check_store(store, BASE, shapes)
    assert found.ok, found.problems
    assert (found.documents, found.validated) == (3, 3)


def test_check_store_finds_documents_whose_claims_were_never_compared_and_repair_compares_them(
    workers, shapes: Validator
) -> None:
    clean = OxigraphStore(None)
    ingest(clean, workers, REPORTS)
    crashed = OxigraphStore(None)
    ingest(crashed, workers, REPORTS[:1])
    late = ingest(crashed, workers, REPORTS[1:], compare=False)  # killed after each commit

    found = check_store(crashed, BASE, shapes)
    assert not found.ok
    assert found.repairable
    assert sorted(found.lagging) == sorted(late)
    assert {p.detail for p in found.problems} == {"its claims were never compared"}

    bring_up_to_date(crashed, BASE, AnalysisWriter(crashed, BASE))
    assert check_store(crashed, BASE, shapes).ok
    assert len(comparisons(crashed)) == len(comparisons(clean)) > 0
    assert {c[:2] for c in comparisons(crashed)} == {c[:2] for c in comparisons(clean)}


def test_check_store_finds_comparisons_older_than_the_document_sent_again(workers) -> None:
    store = OxigraphStore(None)
    ingest(store, workers, REPORTS)
    again = Document(
        text=REPORTS[1].text, publisher="Example Wire", date_published=dt.date(2024, 3, 9)
    )
    (iri,) = ingest(store, workers, [again], compare=False)  # killed before comparing anew

    found = check_store(store, BASE)
    assert found.lagging == [iri]
    assert found.problems[0].detail == "its comparisons are older than its graph"
    bring_up_to_date(store, BASE, AnalysisWriter(store, BASE))
    assert check_store(store, BASE).ok


def test_check_store_finds_comparisons_of_a_document_gone_and_repair_removes_them(
    workers,
) -> None:
    store = OxigraphStore(None)
    first, *_ = ingest(store, workers, REPORTS)
    assert any(first in c for c in comparisons(store))
    store.drop_graph(first)  # the document's graph alone, not its comparisons

    found = check_store(store, BASE)
    assert found.stale
    assert found.repairable
    assert {p.kind for p in found.problems} == {"stale"}
    assert any("a document that is not stored" in p.detail for p in found.problems)
    assert any("comparison run" in p.detail for p in found.problems)

    bring_up_to_date(store, BASE, AnalysisWriter(store, BASE))
    assert check_store(store, BASE).ok
    assert not any(first in c for c in comparisons(store))
    assert comparisons(store)  # the other two documents are still compared


def test_check_store_reports_half_documents_doubled_ones_and_broken_graphs_as_not_repairable(
    workers, shapes: Validator
) -> None:
    store = OxigraphStore(None)
    first, second, _ = ingest(store, workers, REPORTS)
    headless = iris.document(BASE, "0123456789abcdef")
    store.add_triples(headless, f'<{headless}/text> <http://schema.org/name> "x" .\n'.encode())
    store.add_triples(
        second, f"<{first}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://schema.org/NewsArticle> .\n".encode()
    )
    store.update(
        f"DELETE WHERE {{ GRAPH <{first}> {{ <{first}> "
        "<https://w3id.org/factgraph/ns#contentHash> ?hash } }"
    )

    found = check_store(store, BASE, shapes)
    kinds = {(p.kind, p.node) for p in found.problems}
    assert ("partial", headless) in kinds
    assert ("doubled", first) in kinds
    assert ("invalid", first) in kinds
    assert not found.repairable


def test_server_start_compares_the_documents_a_killed_process_left_uncompared(
    workers, shapes: Validator
) -> None:
    store = OxigraphStore(None)
    ingest(store, workers, REPORTS, compare=False)
    assert not comparisons(store)
    build_app(settings, store)  # what `factgraph serve` does before it listens
    assert comparisons(store)
    assert check_store(store, BASE, shapes).ok


def test_cli_ingest_compares_what_a_killed_ingest_left_uncompared_before_it_goes_on(
    workers, tmp_path: Path
) -> None:
    location = tmp_path / "store"
    store = OxigraphStore(location)
    ingest(store, workers, REPORTS[:2], compare=False)
    store.close()
    source = tmp_path / "third.json"
    third = REPORTS[2]
    source.write_text(json.dumps({"text": third.text, "date_published": "2024-03-03"}))
    result = CliRunner().invoke(app, ["ingest", str(source), "--store", str(location)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("stored http")
    store = OxigraphStore(location)
    try:
        found = check_store(store, BASE)
        assert found.ok, found.problems
        assert found.documents == 3
    finally:
        store.close()
