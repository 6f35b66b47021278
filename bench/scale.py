"""Stores of about 10^4, 10^5 and 10^6 quads, built through the real Ingestor, and what each
document cost to ingest as the store grew.

    .venv/bin/python -m bench.scale --targets 10000,100000,1000000

One store grows in `bench/out/stores/build`: generated articles (`bench/corpus.py`, news-cycle
variation) go through `build_ingestor` as the CLI and `POST /documents` compose it (spaCy, the
graph, SHACL in its worker process, the store's writer thread, the claim comparisons), a chunk
of `--chunk` documents per `Ingestor.ingest` call. Each time the store passes a target, a
snapshot is taken (`bench/out/stores/q<target>`, Oxigraph's backup: hard links, cheap) for the
latency and load runs. Every chunk's cost is kept (`bench/out/scale.json`): wall time per
document, and on the writer thread the time of the store transaction (`replace_graph`) and of
the claim comparisons (`after_commit`), which overlap with the extraction of later documents.

A later run continues the same store (the corpus is the same prefix), so a quick 10^4 run is
not thrown away by the 10^6 one; `--rebuild` starts again from nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.corpus import generate
from service.bootstrap import configured
from service.pipeline.documents import document_from_mapping

settings = configured()

OUT = Path(__file__).resolve().parent / "out"
DEFAULT_TARGETS = (10_000, 100_000, 1_000_000)
QUADS_PER_DOCUMENT = 1_350  # a first guess, replaced by the running mean as documents land
WARM_UP_DOCUMENTS = 2  # the first chunk pays for the workers' start: not counted


def label(target: int) -> str:
    """`10000` -> `1e4`, the name of a size in files and tables."""
    exponent = round(math.log10(target))
    return f"1e{exponent}" if 10**exponent == target else str(target)


def snapshot_dir(out: Path, target: int) -> Path:
    return out / "stores" / f"q{label(target)}"


def git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


class _Timed:
    """Wraps a callable and adds up the seconds spent in it (the writer thread calls it)."""

    def __init__(self, wrapped: Callable[..., Any]) -> None:
        self.wrapped = wrapped
        self.seconds = 0.0
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.wrapped(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start
            self.calls += 1

    def take(self) -> float:
        """Seconds since the last take."""
        seconds, self.seconds, self.calls = self.seconds, 0.0, 0
        return seconds


def _load_state(out: Path) -> dict[str, Any]:
    path = out / "scale.json"
    if path.exists():
        return json.loads(path.read_text("utf-8"))
    return {"chunks": [], "snapshots": {}, "documents": 0}


def _save_state(out: Path, state: dict[str, Any]) -> None:
    (out / "scale.json").write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")


def build(
    targets: list[int], out: Path = OUT, *, chunk: int = 10, seed: int = 7, rebuild: bool = False
) -> dict[str, Any]:
    """Grow the store until it passes every target; snapshot it at each. Returns the state."""
    from service.bootstrap import build_ingestor
    from service.store.oxigraph import OxigraphStore

    out.mkdir(parents=True, exist_ok=True)
    build_dir = out / "stores" / "build"
    if rebuild:
        shutil.rmtree(out / "stores", ignore_errors=True)
        (out / "scale.json").unlink(missing_ok=True)
    state = _load_state(out)
    if state["documents"] and not build_dir.exists():  # the store was removed by hand
        state = {"chunks": [], "snapshots": {}, "documents": 0}
    missing = [t for t in sorted(targets) if not snapshot_dir(out, t).exists()]
    if not missing:
        return state
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    store = OxigraphStore(build_dir)
    quads = store.quad_count()
    if state["documents"] == 0 and quads:
        raise SystemExit(f"{build_dir} holds quads but no scale.json: run with --rebuild")
    ingestor = build_ingestor(store, settings)
    commit = _Timed(store.replace_graph)
    store.replace_graph = commit  # type: ignore[method-assign]  # the writer thread calls it
    compare = _Timed(ingestor.after_commit) if ingestor.after_commit else None
    ingestor.after_commit = compare
    state.update(
        seed=seed,
        chunk=chunk,
        corpus="bench.corpus.generate(news_cycle=True)",
        commit=git_commit(),
        claim_comparisons=compare is not None,
    )
    # The corpus is prefix-stable: the first n articles are the same whatever the count.
    raw = generate(int(max(missing) / 1000) + 200, seed, news_cycle=True)
    done = state["documents"]
    per_document = quads / done if done else QUADS_PER_DOCUMENT
    started = time.perf_counter()
    try:
        for target in missing:
            while quads < target:
                if done >= len(raw):
                    raw = generate(len(raw) * 2, seed, news_cycle=True)
                size = WARM_UP_DOCUMENTS if done == 0 else chunk
                size = max(1, min(size, math.ceil((target - quads) / per_document)))
                batch = [
                    document_from_mapping(
                        raw[i], max_text_bytes=settings.max_text_bytes, source=f"bench:{i}"
                    )
                    for i in range(done, done + size)
                ]
                clock = time.perf_counter()
                results = list(ingestor.ingest(batch))
                seconds = time.perf_counter() - clock
                before, quads = quads, store.quad_count()
                rejected = [r.reason for r in results if not r.stored]
                state["chunks"].append(
                    {
                        "first_document": done,
                        "documents": size,
                        "quads_before": before,
                        "quads_after": quads,
                        "ms_per_document": round(1000 * seconds / size, 1),
                        "commit_ms_per_document": round(1000 * commit.take() / size, 1),
                        "compare_ms_per_document": round(
                            1000 * compare.take() / size if compare else 0.0, 1
                        ),
                        "rejected": len(rejected),
                        "warm_up": done == 0,
                    }
                )
                if rejected:
                    print(f"  {len(rejected)} rejected, first: {rejected[0]}")
                done += size
                state["documents"] = done
                per_document = quads / done
                row = state["chunks"][-1]
                print(
                    f"{done:5d} docs {quads:9,d} quads  {row['ms_per_document']:7.1f} ms/doc "
                    f"(commit {row['commit_ms_per_document']:.1f}, "
                    f"compare {row['compare_ms_per_document']:.1f})",
                    flush=True,
                )
                if len(state["chunks"]) % 10 == 0:
                    _save_state(out, state)
            target_dir = snapshot_dir(out, target)
            shutil.rmtree(target_dir, ignore_errors=True)
            store._db.backup(target_dir)  # Oxigraph's own consistent snapshot
            state["snapshots"][label(target)] = {
                "target": target,
                "quads": quads,
                "documents": done,
                "path": str(target_dir.relative_to(out)),
                "taken": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "commit": git_commit(),
            }
            _save_state(out, state)
            print(f"snapshot {target_dir}: {quads:,d} quads, {done} documents", flush=True)
    finally:
        state["build_seconds"] = round(
            state.get("build_seconds", 0.0) + time.perf_counter() - started, 1
        )
        _save_state(out, state)
        ingestor.close()
        store.close()
    return state


def _points(state: dict[str, Any]) -> list[tuple[str, int]]:
    """Where the cost is read: every snapshot, and 3 x 10^k between them."""
    points = {snap["quads"]: name for name, snap in state["snapshots"].items()}
    reached = max((c["quads_after"] for c in state["chunks"]), default=0)
    for exponent in range(4, 7):
        size = 3 * 10**exponent
        if size <= reached and not any(0.8 < q / size < 1.25 for q in points):
            points[size] = f"3e{exponent}"
    return sorted(((name, quads) for quads, name in points.items()), key=lambda p: p[1])


def checkpoint_costs(state: dict[str, Any], window: int = 50) -> list[dict[str, Any]]:
    """Mean cost per document over the last `window` documents before the store reached each
    size (fewer at 10^4: only ~8 documents make it), never counting the warm-up chunk."""
    chunks = [c for c in state["chunks"] if not c["warm_up"]]
    rows = []
    for name, quads in _points(state):
        ending = [i for i, c in enumerate(chunks) if c["quads_after"] <= quads]
        if not ending:
            continue
        lo = hi = ending[-1]
        while lo > 0 and sum(c["documents"] for c in chunks[lo : hi + 1]) < window:
            lo -= 1
        picked = chunks[lo : hi + 1]
        documents = sum(c["documents"] for c in picked)

        def mean(field: str, picked: list[dict[str, Any]] = picked, n: int = documents) -> float:
            return round(sum(c[field] * c["documents"] for c in picked) / n, 1)

        rows.append(
            {
                "size": name,
                "quads": quads,
                "documents_in_window": documents,
                "window_quads": [picked[0]["quads_before"], picked[-1]["quads_after"]],
                "ms_per_document": mean("ms_per_document"),
                "commit_ms_per_document": mean("commit_ms_per_document"),
                "compare_ms_per_document": mean("compare_ms_per_document"),
                "median_chunk_ms_per_document": statistics.median(
                    c["ms_per_document"] for c in picked
                ),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--targets",
        default=",".join(str(t) for t in DEFAULT_TARGETS),
        help="Store sizes in quads, comma-separated (e.g. 10000 for a quick check).",
    )
    parser.add_argument("--chunk", type=int, default=10, help="Documents per ingest call.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--rebuild", action="store_true", help="Start the store again.")
    args = parser.parse_args()
    targets = [int(float(t)) for t in args.targets.split(",") if t]
    state = build(targets, args.out, chunk=args.chunk, seed=args.seed, rebuild=args.rebuild)
    print(json.dumps(checkpoint_costs(state), indent=1))


if __name__ == "__main__":
    main()
