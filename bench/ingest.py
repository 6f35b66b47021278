"""End-to-end ingest speed as a ratio to spaCy's own `nlp.pipe` on the same texts and model.

    .venv/bin/python -m bench.ingest --documents 300

The headline number is `Ingestor.ingest`, the path the CLI and the HTTP API use; `--stages`
adds a sequential per-step breakdown. The floor is the plain model (`spacy.load`,
`nlp.pipe`, same batch size); factgraph's rate counts everything a stored document costs:
extraction (the model plus our components), the graph, SHACL validation and the store
transaction. Sentences are counted once, by the floor, so both rates divide the same number.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import spacy

from bench.corpus import generate
from bench.workers import report_json
from service import __version__
from service.bootstrap import build_ingestor, build_pipeline, configured
from service.pipeline.documents import Document, document_from_mapping
from service.pipeline.extract import extract_documents
from service.pipeline.graph import RunInfo, build_document_graph, document_iri, to_ntriples
from service.pipeline.validate import Validator
from service.store.oxigraph import OxigraphStore

settings = configured()


def _floor(texts: list[str], batch_size: int) -> tuple[int, float]:
    nlp = spacy.load(settings.spacy_model)
    list(nlp.pipe(texts[:4]))  # warm-up
    start = time.perf_counter()
    sentences = sum(len(list(doc.sents)) for doc in nlp.pipe(texts, batch_size=batch_size))
    return sentences, time.perf_counter() - start


def _end_to_end(
    documents: list[Document], store_dir: Path, *, comparisons: bool
) -> tuple[float, int]:
    """Seconds for `Ingestor.ingest` as `build_ingestor` composes it for the CLI and HTTP
    (workers that extract and validate, writer thread, claim comparisons), and the quads stored."""
    store = OxigraphStore(store_dir)
    ingestor = build_ingestor(store, settings)
    if not comparisons:  # the issue-3 path: extract, graph, SHACL, store
        ingestor.after_commit = None
    list(ingestor.ingest(documents[:4]))  # warm-up: the workers' models and shapes
    start = time.perf_counter()
    results = list(ingestor.ingest(documents))
    seconds = time.perf_counter() - start
    ingestor.close()
    rejected = [r for r in results if not r.stored]
    if rejected:
        raise SystemExit(f"{len(rejected)} rejected, first: {rejected[0].reason}")
    quads = store.quad_count()
    store.close()
    return seconds, quads


def _stages(documents: list[Document], store_dir: Path) -> dict[str, float]:
    """Where the time goes, one step after the other (no overlap), for diagnosis."""
    store = OxigraphStore(store_dir)
    validator = Validator(settings.shapes_dir, settings.ontology_dir)
    nlp = build_pipeline(settings)
    stages = {"extract": 0.0, "graph": 0.0, "validate": 0.0, "store": 0.0}
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    extractions = extract_documents(nlp, documents, batch_size=settings.batch_size)
    for document, extraction in zip(documents, extractions, strict=True):
        now = time.perf_counter()
        stages["extract"] += now - clock
        run = RunInfo(__version__, started, dt.datetime.now(dt.UTC))
        graph = build_document_graph(document, extraction, base_iri=settings.base_iri, run=run)
        clock, now = now, time.perf_counter()
        stages["graph"] += now - clock
        validator.validate(graph)
        clock, now = now, time.perf_counter()
        stages["validate"] += now - clock
        store.replace_graph(document_iri(settings.base_iri, document), to_ntriples(graph))
        clock = time.perf_counter()
        stages["store"] += clock - now
    store.close()
    return {name: round(seconds, 3) for name, seconds in stages.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=settings.batch_size)
    parser.add_argument("--json", type=Path, default=None, help="Write the numbers here.")
    parser.add_argument("--stages", action="store_true", help="Also time each step alone.")
    parser.add_argument(
        "--without-comparisons",
        action="store_true",
        help="Leave out the cross-document claim comparisons run after each commit.",
    )
    args = parser.parse_args()
    raw = generate(args.documents)
    documents = [
        document_from_mapping(d, max_text_bytes=settings.max_text_bytes, source=f"bench:{i}")
        for i, d in enumerate(raw)
    ]
    sentences, floor_seconds = _floor([d.text for d in documents], args.batch_size)
    with tempfile.TemporaryDirectory(prefix="factgraph-bench-") as scratch:
        seconds, quads = _end_to_end(
            documents, Path(scratch) / "store", comparisons=not args.without_comparisons
        )
        stages = _stages(documents, Path(scratch) / "stages") if args.stages else None
    floor_rate = sentences / floor_seconds
    ours_rate = sentences / seconds
    result = {
        "documents": len(documents),
        "sentences": sentences,
        "spacy_nlp_pipe_sentences_per_second": round(floor_rate, 1),
        "factgraph_sentences_per_second": round(ours_rate, 1),
        "ratio": round(ours_rate / floor_rate, 3),
        "ingest_seconds": round(seconds, 3),
        "claim_comparisons": not args.without_comparisons,
        "quads_stored": quads,
    }
    if stages:
        result["stage_seconds_sequential"] = stages
    report_json(result, args.json)


if __name__ == "__main__":
    main()
