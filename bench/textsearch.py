"""Who said these words: the text index against the scan, at 10^4, 10^5 and 10^6 quads.

    .venv/bin/python -m bench.textsearch --stores /tmp/textindex-bench   # every snapshot there
    .venv/bin/python -m bench.textsearch --stores bench/out --sizes 1e4  # a quick check

The stores are the snapshots `bench/scale.py` builds from the generated corpus (`--out` of that
run is `--stores` of this one; nothing is copied into the repository). For each size, a copy
of the snapshot is opened as the service opens it (`OxigraphStore`, its text index made beside
it by `factgraph reindex`'s code, timed), then `who_said` is asked the same texts both ways in
one run, alternating: by the index (`who_said(store, text, index)`: tantivy finds the
statements, each answered from what its entry keeps) and by the scan (`read/who_said.rq`:
every statement's content, lower-cased, searched). Each text is asked `--runs` times each way after
one warm-up; p50 and p95 are over every timed call. The texts: `--texts` phrases of 1 to 4
words cut from statements picked at random (`--seed`) from the store, and the fixed texts of
the tests (common words among them, which match thousands of statements). Every answer of the
index is compared with the scan's (the same statements); where they differ, the bench checks
whether the scan's extra statements hold the text only inside a word ("US" in "trust": by
design, the index matches from a word's start).

Also recorded: the store's and the index's bytes on disk. Results: `<stores>/textsearch.json`;
`--report` prints the table for bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

from bench.latency import percentile
from bench.scale import git_commit
from service.bootstrap import configured
from service.read.questions import who_said
from service.sparql import load
from service.store import iri_term
from service.store.oxigraph import OxigraphStore
from service.textindex.attach import text_indexer_for

FIXED = ["language of force", "troops", "withdrawal", "Iraq", "said", "the"]


def _bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _texts(store: OxigraphStore, documents: list[str], count: int, seed: int) -> list[str]:
    """`count` phrases of 1-4 words, each cut from a statement of a document picked at random."""
    pick = random.Random(seed)
    texts: list[str] = []
    for _ in range(count * 5):
        if len(texts) >= count:
            break
        document = pick.choice(documents)
        rows = store.select(load("textindex/statements.rq"), {"document": iri_term(document)})
        contents = [row["text"] for row in rows if row["text"]]
        if not contents:
            continue
        words = pick.choice(contents).split()
        size = pick.randint(1, min(4, len(words)))
        start = pick.randint(0, len(words) - size)
        phrase = " ".join(words[start : start + size]).strip(" ,.;:\"'“”‘’()")
        if phrase and phrase not in texts:
            texts.append(phrase)
    return texts


def _inside_words_only(text: str, found: list[dict], scanned: list[dict]) -> bool:
    """True when the index found every statement of the scan but those holding `text` only
    inside a word ("US" in "trust"), a match the index does not make by design."""
    at_word_start = re.compile(r"(?<![^\W_])" + re.escape(text.lower()))
    mine = {s["statement"] for s in found}
    extra = [s for s in scanned if s["statement"] not in mine]
    return mine <= {s["statement"] for s in scanned} and not any(
        at_word_start.search(s["content"].lower()) for s in extra
    )


def _timed(call: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = call()
    return 1000 * (time.perf_counter() - started), answer


def measure(snapshot: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    copy = work / snapshot.name
    shutil.rmtree(copy, ignore_errors=True)
    shutil.rmtree(copy.parent / f".{copy.name}.text", ignore_errors=True)
    shutil.copytree(snapshot, copy)
    base = configured().base_iri
    store = OxigraphStore(copy, base_iri=base)
    try:
        indexer = text_indexer_for(store, base)
        assert indexer is not None
        seconds, documents = _timed(indexer.rebuild)
        index = indexer.index
        quads = store.quad_count()
        store._db.flush()  # its files as they stay on disk
        texts = [*_texts(store, sorted(index.stamps()), args.texts, args.seed), *FIXED]
        timings: dict[str, list[float]] = {"index": [], "scan": []}
        per_text = []
        mismatches: list[str] = []  # texts whose statements differ from the scan's
        wrong: list[str] = []  # ... other than by the scan's matches inside words
        for text in texts:
            who_said(store, text, index), who_said(store, text, None)  # warm-up
            mine: list[float] = []
            theirs: list[float] = []
            for _ in range(args.runs):
                ms, found = _timed(lambda text=text: who_said(store, text, index))
                mine.append(ms)
                ms, scanned = _timed(lambda text=text: who_said(store, text, None))
                theirs.append(ms)
            timings["index"] += mine
            timings["scan"] += theirs
            same = {s["statement"] for s in found.rows} == {s["statement"] for s in scanned.rows}
            if not same:
                mismatches.append(text)
                if not _inside_words_only(text, found.rows, scanned.rows):
                    wrong.append(text)
            per_text.append(
                {
                    "text": text,
                    "statements": len(scanned.rows),
                    "index_p50_ms": round(statistics.median(mine), 2),
                    "scan_p50_ms": round(statistics.median(theirs), 2),
                    "same": same,
                }
            )
        return {
            "snapshot": str(snapshot),
            "quads": quads,
            "documents": documents,
            "reindex_seconds": round(seconds / 1000, 1),
            "store_bytes": _bytes(copy),
            "index_bytes": index.size_bytes(),
            "texts": len(texts),
            "runs": args.runs,
            **{
                f"{way}_{name}_ms": round(percentile(ms, q), 2)
                for way, ms in timings.items()
                for name, q in (("p50", 50), ("p95", 95), ("best", 0))
            },
            "mismatches": mismatches,
            "wrong": wrong,
            "per_text": per_text,
        }
    finally:
        store.close()
        shutil.rmtree(copy, ignore_errors=True)
        shutil.rmtree(copy.parent / f".{copy.name}.text", ignore_errors=True)


def report(results: dict[str, Any]) -> str:
    lines = [
        "| size | quads | documents | who-said p50 / p95, index | who-said p50 / p95, scan "
        "| scan / index (p50) | best call, index / scan | same answers | index on disk "
        "| store on disk | reindex |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for size, r in sorted(results["sizes"].items(), key=lambda item: item[1]["quads"]):
        if r["wrong"]:
            same = f"no: {', '.join(r['wrong'])}"
        elif r["mismatches"]:
            inside = ", ".join(f"'{t}'" for t in r["mismatches"])
            same = f"yes but {inside}: the scan also matches inside words"
        else:
            same = "yes"
        lines.append(
            f"| {size} | {r['quads']:,} | {r['documents']} "
            f"| {r['index_p50_ms']:.1f} / {r['index_p95_ms']:.1f} ms "
            f"| {r['scan_p50_ms']:.1f} / {r['scan_p95_ms']:.1f} ms "
            f"| {r['scan_p50_ms'] / r['index_p50_ms']:.0f}× "
            f"| {r['index_best_ms']:.1f} / {r['scan_best_ms']:.1f} ms | {same} "
            f"| {r['index_bytes'] / 1e6:.1f} MB ({100 * r['index_bytes'] / r['store_bytes']:.0f} %)"
            f" | {r['store_bytes'] / 1e6:.1f} MB | {r['reindex_seconds']} s |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=Path, required=True,
                        help="The --out of a bench.scale run (its stores/q1eN snapshots).")
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="Snapshots, comma-separated.")
    parser.add_argument("--texts", type=int, default=12, help="Phrases cut from statements.")
    parser.add_argument("--runs", type=int, default=3, help="Timed calls per text and way.")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--work", type=Path, default=Path("/tmp/factgraph-textsearch"),
                        help="Where each snapshot is copied and indexed (removed after).")
    parser.add_argument("--report", action="store_true", help="Only print the table.")
    args = parser.parse_args()
    out = args.stores / "textsearch.json"
    results = json.loads(out.read_text("utf-8")) if out.exists() else {"sizes": {}}
    if not args.report:
        args.work.mkdir(parents=True, exist_ok=True)
        for size in args.sizes.split(","):
            snapshot = args.stores / "stores" / f"q{size}"
            if not snapshot.exists():
                print(f"no snapshot {snapshot}: build it with bench.scale --out {args.stores}")
                continue
            print(f"[{size}] indexing a copy of {snapshot}", flush=True)
            results["sizes"][size] = measure(snapshot, args.work, args)
            results["measured"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            results["commit"] = git_commit()
            out.write_text(json.dumps(results, indent=1), "utf-8")
            row = results["sizes"][size]
            print(f"[{size}] index p50 {row['index_p50_ms']} ms, scan p50 {row['scan_p50_ms']} "
                  f"ms, mismatches {row['mismatches']}", flush=True)
    print(report(results))


if __name__ == "__main__":
    main()
