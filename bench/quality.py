"""Extraction quality on the development corpora, fast: the extractor's records scored directly.

`factgraph eval` scores the graph the service stores (ingest, SHACL, store, SPARQL read-back);
this tool scores the extractor's own records with the same scoring functions, in worker
processes, so a change to a rule can be measured on 300 articles in a few minutes. Its numbers
match `factgraph eval`'s (the read-back is lossless); the published tables use `factgraph eval`.

PolNeAR is scored as its README says: recall against `gold/` (speech acts with a source),
precision against `gold-all/` (every attribution), since a prediction that matches an
attribution outside the speech subset is not wrong.

    .venv/bin/python -m bench.quality polnear --limit 100 --misses /tmp/misses.json
    .venv/bin/python -m bench.quality newsquant
    .venv/bin/python -m bench.quality seeds
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.evaluation.gold import load_gold
from service.evaluation.score import (
    DocumentScore,
    PredictedQuantity,
    PredictedStatement,
    Prf,
    combined,
    line_kinds,
    miss_kinds,
    score_document,
    summarise,
)
from service.pipeline.documents import Document, document_from_json, document_from_mapping
from service.pipeline.records import Extraction

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = {
    "polnear": (SHARED / "corpora/polnear-train", "gold", "gold-all"),
    "newsquant": (SHARED / "corpora/newsquant-dev", "gold", "gold"),
    "seeds": (SHARED / "gold/seeds", ".", "."),
}


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    recall_gold: Path
    precision_gold: Path
    document: Document


def _seed_documents() -> dict[str, Document]:
    meta = json.loads((SHARED / "seeds/metadata.json").read_text(encoding="utf-8"))
    return {
        name: document_from_mapping(
            {**meta[name], "text": (SHARED / "seeds" / name).read_text(encoding="utf-8")},
            max_text_bytes=10**8,
            source=name,
        )
        for name in meta
    }


def items(corpus: str, limit: int | None, offset: int = 0) -> list[Item]:
    folder, recall, precision = CORPORA[corpus]
    found = []
    seeds = _seed_documents() if corpus == "seeds" else {}
    for path in sorted((folder / recall).glob("*.gold.json"))[offset:]:
        gold = load_gold(path)
        if corpus == "seeds":
            document = seeds[gold.file]
        else:
            raw = (folder / "articles" / gold.file).read_bytes()
            document = document_from_json(raw, max_text_bytes=10**8, source=gold.file)
        found.append(Item(gold.file, path, folder / precision / path.name, document))
        if limit is not None and len(found) >= limit:
            break
    return found


# --- records -> what the scorer reads ---------------------------------------------------------


def _name(extraction: Extraction, key: str | None) -> str | None:
    actor = extraction.actors.get(key) if key else None
    return actor.name if actor else None


def predicted(extraction: Extraction, document: Document, base: str = "x:") -> tuple[list, list]:
    text = document.text
    sentences = {s.index: s.span.text for s in extraction.sentences}
    statements = [
        PredictedStatement(
            iri=f"{base}statement/{n}",
            content_span=(s.content.start, s.content.end),
            content=s.content.text,
            cue=s.cue.text,
            type=s.type.value,
            speaker_mention=s.speaker_mention.text if s.speaker_mention else None,
            speaker_span=(s.speaker_mention.start, s.speaker_mention.end)
            if s.speaker_mention
            else None,
            speaker_name=_name(extraction, s.speaker),
            sentence=sentences.get(s.sentence, ""),
        )
        for n, s in enumerate(extraction.statements)
    ]
    quantities = [
        PredictedQuantity(
            iri=f"{base}quantity/{n}",
            span=(q.mention.start, q.mention.end),
            text=q.mention.text,
            value=q.value,
            comparator=q.comparator.value,
            counted=q.counted,
            location=_name(extraction, q.location),
            sentence=sentences.get(q.sentence, text[q.mention.start : q.mention.end]),
        )
        for n, q in enumerate(extraction.quantities)
    ]
    return statements, quantities


# --- workers ----------------------------------------------------------------------------------

_NLP: Any = None
_LEMMAS: Any = None


def _start() -> None:
    global _NLP, _LEMMAS
    from service.bootstrap import build_pipeline, configured
    from service.evaluation.run import spacy_lemmatizer

    settings = configured()
    _NLP = build_pipeline(settings)
    _LEMMAS = spacy_lemmatizer(settings.spacy_model)


def _score(item: Item) -> Scored:
    from service.pipeline.extract import extract_documents

    started = time.perf_counter()
    (extraction,) = extract_documents(_NLP, [item.document], batch_size=1)
    seconds = time.perf_counter() - started
    statements, quantities = predicted(extraction, item.document)
    text = item.document.text
    recall = score_document(load_gold(item.recall_gold), text, statements, quantities, _LEMMAS)
    precision = score_document(
        load_gold(item.precision_gold), text, statements, quantities, _LEMMAS
    )
    cues = [s.cue.text.lower() for s in extraction.statements]
    return item.name, recall, precision, seconds, len(extraction.sentences), cues


Scored = tuple[str, DocumentScore, DocumentScore, float, int, list[str]]


def run(found: list[Item], jobs: int) -> Iterator[Scored]:
    if jobs <= 1:
        _start()
        yield from map(_score, found)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs, initializer=_start) as pool:
        yield from pool.imap_unordered(_score, found, chunksize=2)


# --- report -----------------------------------------------------------------------------------


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {key: round(value, 4) for key, value in values.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", choices=sorted(CORPORA))
    parser.add_argument("--limit", type=int)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--misses", type=Path, help="write misses and false finds as JSON")
    parser.add_argument("--json", type=Path, help="write the scores as JSON")
    args = parser.parse_args(argv)
    found = items(args.corpus, args.limit, args.offset)
    recall_docs, precision_docs, seconds, details = [], [], [], {}
    sentences = 0
    started = time.perf_counter()
    cues: Counter[str] = Counter()
    for name, recall, precision, took, count, said in run(found, args.jobs):
        cues.update(said)
        recall_docs.append(recall)
        precision_docs.append(precision)
        seconds.append((took, name))
        sentences += count
        details[name] = {"misses": recall.misses, "false": precision.false_finds}
    wall = time.perf_counter() - started
    false_cues = Counter(
        line.split(")", 1)[0].rsplit(" ", 1)[-1].lower()
        for d in precision_docs
        for line in d.false_finds
        if line.startswith("statement (")
    )
    r_total, p_total = summarise(recall_docs), summarise(precision_docs)
    report = {
        "corpus": args.corpus,
        "documents": len(found),
        "statements": _rounded(combined(r_total.statements, p_total.statements)),
        "statements_words_only": _rounded(
            combined(r_total.statements_words_only, p_total.statements_words_only)
        ),
        "statement_content": _rounded(
            combined(r_total.statement_content, p_total.statement_content)
        ),
        "by_type": {
            kind: _rounded(combined(prf, p_total.by_type.get(kind, Prf())))
            for kind, prf in sorted(r_total.by_type.items())
        },
        "speaker_accuracy": r_total.to_json()["speaker_accuracy"],
        "cue_accuracy": r_total.to_json()["cue_accuracy"],
        "quantities": r_total.quantities.to_json(),
        "quantity_found": r_total.quantity_found.to_json(),
        "counted_head_accuracy": r_total.to_json()["counted_head_accuracy"],
        "misses_by_kind": miss_kinds(recall_docs),
        "false_by_kind": line_kinds(line for d in precision_docs for line in d.false_finds),
        "slowest": sorted(seconds, reverse=True)[:5],
        "cues_predicted_false": {
            cue: [n, false_cues.get(cue, 0)] for cue, n in cues.most_common() if n >= 5
        },
        "sentences_per_second_per_job": round(sentences / sum(s for s, _ in seconds), 1),
        "wall_seconds": round(wall, 1),
    }
    json.dump(report, sys.stdout, indent=1)
    print()
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    if args.misses:
        args.misses.write_text(json.dumps(details, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
