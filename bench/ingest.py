"""End-to-end ingest speed as a ratio to spaCy's own `nlp.pipe` on the same texts and model.

    .venv/bin/python -m bench.ingest --documents 300

The floor is the plain model (`spacy.load`, `nlp.pipe`, same batch size); factgraph's rate
counts everything a stored document costs: extraction (the model plus our components), the
graph, SHACL validation and the store transaction. Sentences are counted once, by the floor, so
both rates divide the same number.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path

import spacy
from service.registry import load_actors
from service.store.oxigraph import OxigraphStore
from service.validate import Validator

from bench.corpus import generate
from service import __version__
from service.documents import Document, document_from_mapping
from service.extract import extract_documents, load_pipeline
from service.graph import RunInfo, build_document_graph, document_iri, to_ntriples
from service.settings import settings


def _floor(texts: list[str], batch_size: int) -> tuple[int, float]:
    nlp = spacy.load(settings.spacy_model)
    list(nlp.pipe(texts[:4]))  # warm-up
    start = time.perf_counter()
    sentences = sum(len(list(doc.sents)) for doc in nlp.pipe(texts, batch_size=batch_size))
    return sentences, time.perf_counter() - start


def _factgraph(documents: list[Document], batch_size: int, store_dir: Path) -> dict[str, float]:
    nlp = load_pipeline(settings.spacy_model, load_actors(settings.ontology_dir / "actors.ttl"))
    validator = Validator(settings.shapes_dir, settings.ontology_dir)
    store = OxigraphStore(store_dir)
    list(extract_documents(nlp, documents[:4], batch_size=4))  # warm-up
    stages = {"extract": 0.0, "graph": 0.0, "validate": 0.0, "store": 0.0}
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    for document, extraction in zip(
        documents, extract_documents(nlp, documents, batch_size=batch_size), strict=True
    ):
        now = time.perf_counter()
        stages["extract"] += now - clock
        run = RunInfo(__version__, started, dt.datetime.now(dt.UTC))
        graph = build_document_graph(document, extraction, base_iri=settings.base_iri, run=run)
        clock, now = now, time.perf_counter()
        stages["graph"] += now - clock
        report = validator.validate(graph)
        if not report.conforms:
            raise SystemExit(f"{document.source}: rejected by validation:\n{report.text}")
        clock, now = now, time.perf_counter()
        stages["validate"] += now - clock
        store.replace_graph(document_iri(settings.base_iri, document), to_ntriples(graph))
        clock = time.perf_counter()
        stages["store"] += clock - now
    stages["total"] = sum(stages.values())
    stages["quads"] = store.quad_count()
    store.close()
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=settings.batch_size)
    parser.add_argument("--json", type=Path, default=None, help="Write the numbers here.")
    args = parser.parse_args()
    raw = generate(args.documents)
    documents = [
        document_from_mapping(d, max_text_bytes=settings.max_text_bytes, source=f"bench:{i}")
        for i, d in enumerate(raw)
    ]
    sentences, floor_seconds = _floor([d.text for d in documents], args.batch_size)
    with tempfile.TemporaryDirectory(prefix="factgraph-bench-") as scratch:
        stages = _factgraph(documents, args.batch_size, Path(scratch) / "store")
    floor_rate = sentences / floor_seconds
    ours_rate = sentences / stages["total"]
    result = {
        "documents": len(documents),
        "sentences": sentences,
        "spacy_nlp_pipe_sentences_per_second": round(floor_rate, 1),
        "factgraph_sentences_per_second": round(ours_rate, 1),
        "ratio": round(ours_rate / floor_rate, 3),
        "stage_seconds": {k: round(v, 3) for k, v in stages.items() if k != "quads"},
        "quads_stored": int(stages["quads"]),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
