"""Documents per second through `factgraph ingest --dask`, for 1 and 2 Dask workers.

    .venv/bin/python -m bench.cluster --documents 40 --workers 1,2

For each worker count: a `LocalCluster` of that many worker processes (one thread each) on
loopback, a fresh Virtuoso (scripts/virtuoso.sh) as the shared store, a warm-up on other
articles (the plugin loads spaCy and the shapes on each worker), then the same PolNeAR
articles, read at run time from the shared corpus, through `ClusterIngestor.ingest`: planned
here, prepared and stored by the workers, compared here. The machine is shared: `load` is the
1-minute load average before and after each run.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from distributed import LocalCluster

from bench.workers import WARM_UP, articles, report_json
from scripts.virtuoso_server import running_virtuoso
from service.bootstrap import build_cluster_ingestor, configured, store_registry
from service.store.open import open_store


def _run(count: int, documents: list, warm_up: list, scratch: Path) -> dict:
    with (
        running_virtuoso(scratch / f"virtuoso-{count}") as location,
        LocalCluster(
            n_workers=count, processes=True, threads_per_worker=1, host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
    ):
        settings = configured(store=location)
        store = open_store(location, base_iri=settings.base_iri)
        store_registry(store, settings)
        ingestor = build_cluster_ingestor(store, settings, cluster.scheduler_address)
        list(ingestor.ingest(warm_up))
        load_before = round(os.getloadavg()[0], 2)
        start = time.perf_counter()
        results = list(ingestor.ingest(documents))
        seconds = time.perf_counter() - start
        ingestor.close()
        store.close()
    rejected = [r for r in results if not r.stored]
    if rejected:
        raise SystemExit(f"{len(rejected)} rejected, first: {rejected[0].reason}")
    return {
        "workers": count,
        "seconds": round(seconds, 2),
        "documents_per_second": round(len(documents) / seconds, 2),
        "load_before": load_before,
        "load_after": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--workers", default="1,2", help="Dask worker counts, comma-separated.")
    parser.add_argument("--json", type=Path, default=None, help="Write the numbers here.")
    args = parser.parse_args()
    documents = articles(args.documents)
    warm_up = articles(WARM_UP, skip=args.documents)
    with tempfile.TemporaryDirectory(prefix="factgraph-cluster-") as scratch:
        rows = [
            _run(int(n), documents, warm_up, Path(scratch)) for n in args.workers.split(",")
        ]
    result = {"documents": len(documents), "runs": rows}
    report_json(result, args.json)


if __name__ == "__main__":
    main()
