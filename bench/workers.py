"""Ingest rate by the number of worker processes, against the sequential yardstick.

    .venv/bin/python -m bench.workers --documents 40 --workers 1,2

The yardstick is the whole pipeline run one step after the other in one process: spaCy in
this process, the graph, SHACL in this process, the commit, the text index and the claim
comparisons, each document finished before the next is read (a `Preparer` here,
`build_ingestor(..., overlap=False)`: the same steps after each commit as the other rows).
Each other row is `Ingestor.ingest` as `factgraph ingest --workers N` composes it: N worker
processes that each extract, build and validate, and a writer thread that commits and
compares. Every run starts from an empty store, after a warm-up on other articles (models
loaded, workers started), and ingests the same PolNeAR articles, read at run time from the
shared corpus. Each row also says whether its store holds the same quads as the yardstick's
(the run's timestamps aside).

The machine is shared: `load` is the 1-minute load average before and after each run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import tempfile
import time
from pathlib import Path

import psutil

from service.bootstrap import build_ingestor, configured, extractor_config, store_registry
from service.pipeline.documents import Document, read_documents
from service.pipeline.prepare import Preparer
from service.settings import PROJECT_ROOT, usable_cores
from service.store.oxigraph import OxigraphStore

ARTICLES = PROJECT_ROOT.parent / "shared" / "corpora" / "polnear-train" / "articles"
WARM_UP = 4  # articles after the measured ones, ingested first into each store
_DATETIME = re.compile(rb'"[^"]*"\^\^<http://www\.w3\.org/2001/XMLSchema#dateTime>')


def articles(count: int, skip: int = 0) -> list[Document]:
    """`count` PolNeAR articles in file-name order, after the first `skip`."""
    paths = sorted(ARTICLES.glob("*.json"))[skip : skip + count]
    if len(paths) < count:
        raise SystemExit(f"{ARTICLES}: fewer than {skip + count} articles")
    documents = list(read_documents(paths, max_text_bytes=configured().max_text_bytes))
    bad = [d for d in documents if not isinstance(d, Document)]
    if bad:
        raise SystemExit(f"unreadable article: {bad[0]}")
    return documents  # type: ignore[return-value]


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _cpu_seconds() -> tuple[float, float]:
    """CPU time of this process, and of it and every process it started still running."""
    me = psutil.Process()
    own = sum(me.cpu_times()[:2])
    total = own
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += sum(child.cpu_times()[:2])
    return own, total


def _quads(store: OxigraphStore) -> set[bytes]:
    """The store's quads, the run's own timestamps made equal."""
    data = b"".join(store.export("application/n-quads"))
    return {_DATETIME.sub(b'"T"', line) for line in data.splitlines() if line.strip()}


def _run(
    documents: list[Document], warm_up: list[Document], workers: int | None, scratch: Path
) -> tuple[float, dict, set[bytes]]:
    """Seconds to ingest `documents` into a fresh store; the row; the quads stored."""
    # The budget that stops a pathological text is a safety limit, not part of the speed: on
    # a shared machine under load an ordinary article could outlast the default.
    settings = configured().model_copy(update={"extraction_budget": 300.0})
    # a store (and text index) of its own: a second round must not re-ingest into the first's
    store = OxigraphStore(Path(tempfile.mkdtemp(prefix=f"store-{workers or 0}-", dir=scratch)))
    store_registry(store, settings)
    if workers is None:  # the same steps after each commit (text index, comparisons)
        ingestor = build_ingestor(
            store, settings, runner=Preparer(extractor_config(settings, checks=True)),
            overlap=False,
        )
    else:
        ingestor = build_ingestor(
            store, settings.model_copy(update={"extraction_workers": workers})
        )
    list(ingestor.ingest(warm_up))
    load_before = _load()
    own, cpu = _cpu_seconds()
    start = time.perf_counter()
    results = list(ingestor.ingest(documents))
    seconds = time.perf_counter() - start
    own_after, cpu_after = _cpu_seconds()
    ingestor.close()
    rejected = [r for r in results if not r.stored]
    if rejected:
        raise SystemExit(f"{len(rejected)} rejected, first: {rejected[0].reason}")
    quads = _quads(store)
    store.close()
    row = {
        "seconds": round(seconds, 2),
        # CPU time of all our processes (over `seconds`: the cores we got), and of this one
        # alone (planning, commits, comparisons: what the workers cannot take over).
        "cpu_seconds": round(cpu_after - cpu, 2),
        "cpu_seconds_this_process": round(own_after - own, 2),
        "load_before": load_before,
        "load_after": _load(),
    }
    return seconds, row, quads


def report_json(result: dict, path: Path | None) -> None:
    """Print the numbers, and write them to `path` when one is given."""
    print(json.dumps(result, indent=2))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=80)
    parser.add_argument(
        "--workers", default=",".join(str(n) for n in range(1, usable_cores() + 1)),
        help="Worker counts to measure, comma-separated (default: 1 to the usable cores).",
    )
    parser.add_argument("--repeat", type=int, default=2, help="Rounds of every configuration.")
    parser.add_argument("--json", type=Path, default=None, help="Write the numbers here.")
    args = parser.parse_args()
    documents = articles(args.documents)
    warm_up = articles(WARM_UP, skip=args.documents)
    counts = [int(n) for n in args.workers.split(",")]
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="factgraph-workers-") as scratch:
        extractor = Preparer(extractor_config(configured(), checks=False))
        sentences = sum(len(e.sentences) for e in extractor.extract(documents))  # type: ignore[union-attr]
        del extractor
        for repeat in range(args.repeat):  # the configurations alternate: load drifts
            base_seconds, row, base_quads = _run(documents, warm_up, None, Path(scratch))
            runs.append({"run": repeat, "workers": "sequential", **row})
            for n in counts:
                seconds, row, quads = _run(documents, warm_up, n, Path(scratch))
                row["ratio_to_the_sequential_run_before"] = round(base_seconds / seconds, 2)
                row["same_quads_as_sequential"] = quads == base_quads
                runs.append({"run": repeat, "workers": n, **row})
    for row in runs:
        row["sentences_per_second"] = round(sentences / row["seconds"], 1)
    best = {
        str(kind): min(r["seconds"] for r in runs if r["workers"] == kind)
        for kind in ["sequential", *counts]
    }
    rows = {
        kind: {
            "best_seconds": seconds,
            "best_sentences_per_second": round(sentences / seconds, 1),
            "best_ratio_to_best_sequential": round(best["sequential"] / seconds, 2),
        }
        for kind, seconds in best.items()
    }
    result = {
        "documents": len(documents),
        "sentences": sentences,
        "usable_cores": usable_cores(),
        "best": rows,
        "runs": runs,
    }
    report_json(result, args.json)


if __name__ == "__main__":
    main()
