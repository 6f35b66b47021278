"""Extraction in worker processes: every document gets a result, in order; a text that hangs,
crashes or breaks the extractor fails alone, with a reason, and the others go on."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from extraction_fakes import serve_by_instruction

from service.pipeline import extraction
from service.pipeline.documents import Document
from service.pipeline.extraction import (
    ExtractionFailure,
    ExtractionWorkers,
    ExtractorConfig,
    budget_seconds,
)

CONFIG = ExtractorConfig(model="none", registry=(Path("none"),), batch_size=3, budget=1.0)


def _texts(results: list) -> list[str]:
    return [r.model_name if not isinstance(r, ExtractionFailure) else "failed" for r in results]


@pytest.fixture
def workers() -> ExtractionWorkers:
    pool = ExtractionWorkers(CONFIG, workers=2, serve=serve_by_instruction)
    yield pool
    pool.close()


def test_extraction_every_document_in_order(workers: ExtractionWorkers) -> None:
    documents = [Document(text=f"text {n}") for n in range(8)]
    assert _texts(list(workers.extract(documents))) == [f"text {n}" for n in range(8)]


def test_extraction_spreads_a_small_batch_over_every_worker(workers: ExtractionWorkers) -> None:
    # 16 documents: in nlp.pipe batches of 3, the first worker would take 6 of the first 8;
    # in chunks that shrink as the documents run out, each worker takes about half, and the
    # last go one by one.
    assert workers.chunk_size(1_000) == 4 * CONFIG.batch_size  # a few nlp.pipe batches
    assert workers.chunk_size(8) == 2
    assert workers.chunk_size(3) == 1
    pids = _texts(list(workers.extract([Document(text="WHO") for _ in range(16)])))
    assert len(set(pids)) == 2
    assert min(pids.count(pid) for pid in set(pids)) >= 4


def test_extraction_starts_the_longest_of_the_last_documents_first(
    workers: ExtractionWorkers,
) -> None:
    # A batch this small is all last round, one document at a time: the longest, last in
    # the batch, is started with the first, not after the others.
    documents = [Document(text="WHEN") for _ in range(7)] + [Document(text="WHEN" + "." * 99)]
    started = [float(t) for t in _texts(list(workers.extract(documents)))]
    assert started[7] < sorted(started[:7])[1]


def test_extraction_a_worker_whose_memory_grows_is_replaced_between_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long ingest does not grow a worker's memory without end: once it holds
    RECYCLE_GROWTH more than when it started, a fresh process takes its place, between
    batches, and nothing is lost; a worker that does not grow is kept."""
    monkeypatch.setattr(extraction, "RECYCLE_GROWTH", 100 * 2**20)
    pool = ExtractionWorkers(CONFIG, workers=1, serve=serve_by_instruction)
    try:
        kept = _texts(list(pool.extract([Document(text="WHO") for _ in range(6)])))
        assert len(set(kept)) == 1
        pids = _texts(list(pool.extract([Document(text="GROW") for _ in range(6)])))
        assert len(pids) == 6
        # the same worker starts them; once it holds 192 MB more (a chunk of three) it is
        # replaced, and so is the next once it has read two (128 MB)
        assert pids[0] == kept[0]
        assert len(set(pids)) == 3
        assert _texts(list(pool.extract([Document(text="after")]))) == ["after"]
    finally:
        pool.close()


@pytest.mark.parametrize("poison", ["HANG", "CRASH", "RAISE"])
def test_extraction_a_poisoned_text_fails_alone_and_the_batch_goes_on(
    workers: ExtractionWorkers, poison: str
) -> None:
    documents = [Document(text=t) for t in ("first", f"a {poison} text", "third", "fourth")]
    started = time.monotonic()
    results = list(workers.extract(documents))
    assert _texts(results) == ["first", "failed", "third", "fourth"]
    reason = results[1].reason
    expected = {"HANG": "extraction budget of 1 s", "CRASH": "process stopped",
                "RAISE": "asked to fail"}[poison]
    assert expected in reason
    assert time.monotonic() - started < 30  # the hang costs its budget (twice), not forever
    assert _texts(list(workers.extract([Document(text="after")]))) == ["after"]  # still serving


def test_extraction_budget_grows_with_long_texts() -> None:
    assert budget_seconds(Document(text="short"), 10) == 10
    assert budget_seconds(Document(text="x" * 200_000), 10) == 40
