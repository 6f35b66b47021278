"""The fact-checker's pages at scale (issue 12): the claims page (all, filtered by status, by
text) and `/claims/comparisons`, timed in process against the real app as the store grows.

    .venv/bin/python -m bench.pages                     # ~10^4 and ~10^5 quads
    .venv/bin/python -m bench.pages --sizes 10000       # a quick check

The stores are `bench/scale.py`'s snapshots (built when missing), copied to a temporary
directory first. Each page is asked `--runs` times through FastAPI's TestClient from a loopback
address, as `factgraph serve` would answer it without the socket; the fastest and the median
call are printed in milliseconds.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from bench import scale
from service.bootstrap import build_app
from service.settings import Settings
from service.store.oxigraph import OxigraphStore

PAGES = (
    "/ui/claims",
    "/ui/claims?status=conflict",
    "/ui/claims?q=troops",
    "/claims/comparisons",
)


def measure(snapshot: Path, runs: int) -> list[tuple[str, int, float, float]]:
    """Each page's status code, fastest and median call (ms) over a copy of `snapshot`."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "store"
        shutil.copytree(snapshot, copy)
        settings = Settings()
        store = OxigraphStore(copy, base_iri=settings.base_iri)
        try:
            rows = []
            with TestClient(build_app(settings, store), client=("127.0.0.1", 5000)) as client:
                for page in PAGES:
                    times, status = [], 0
                    for _ in range(runs):
                        started = time.perf_counter()
                        status = client.get(page).status_code
                        times.append((time.perf_counter() - started) * 1000)
                    rows.append((page, status, min(times), statistics.median(times)))
            return rows
        finally:
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="Store sizes in quads.")
    parser.add_argument("--runs", type=int, default=3, help="Calls of each page.")
    parser.add_argument("--out", type=Path, default=scale.OUT)
    args = parser.parse_args()
    targets = [int(float(s)) for s in args.sizes.split(",") if s]
    scale.build(targets, args.out)
    print("| page | " + " | ".join(scale.label(t) for t in targets) + " |")
    print("|---|" + "---:|" * len(targets))
    results = [measure(scale.snapshot_dir(args.out, t), args.runs) for t in targets]
    for i, page in enumerate(PAGES):
        cells = [f"{r[i][2]:,.0f} / {r[i][3]:,.0f} ({r[i][1]})" for r in results]
        print(f"| `{page}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
