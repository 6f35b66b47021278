"""`factgraph ingest --dask`: the workers of a Dask cluster (a LocalCluster of two worker
processes) extract, validate and store each document in a shared Virtuoso; each document is
stored once and whole, the same graph a local ingest stores, even when a worker is killed in
the middle of a run."""

from __future__ import annotations

import os
import re
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster
from typer.testing import CliRunner

from scripts.virtuoso_server import free_port, running_virtuoso
from service.bootstrap import build_cluster_ingestor, configured, extractor_config
from service.cli.app import app
from service.pipeline.documents import Document, read_documents
from service.pipeline.ingest import Ingestor, IngestResult
from service.pipeline.prepare import Preparer
from service.settings import Settings
from service.store import Store
from service.store.open import open_store

pytestmark = [pytest.mark.virtuoso, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.json"))
runner = CliRunner()
_DATETIME = re.compile(r'"[^"]*"\^\^<http://www\.w3\.org/2001/XMLSchema#dateTime>')

if shutil.which("virtuoso-t") is None and os.environ.get("CI") != "true":
    pytest.skip("Virtuoso is not installed here (CI installs it)", allow_module_level=True)


def reports(count: int) -> list[Document]:
    """Short, distinct news reports, each with a statement and a number."""
    return [
        Document(
            text=f"The ministry said on Monday that {120 + 7 * n} schools in district {n} "
            f"reopened after the floods. \"We expect {n + 2} more next week,\" a spokesperson "
            "told reporters.",
            publisher="Example Wire",
            source=f"report-{n}",
        )
        for n in range(count)
    ]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as location:
        yield location


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """Two worker processes of one thread each, on loopback, no dashboard."""
    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local


@pytest.fixture
def settings(virtuoso: str) -> Settings:
    """The settings, naming the Virtuoso as the store."""
    return configured(store=virtuoso)


def triples(store: Store, graph: str) -> set[str]:
    """A graph's triples, the run's timestamps made equal."""
    data = b"".join(store.graph_triples(graph, "application/n-triples") or [])
    return {_DATETIME.sub('"T"', line) for line in data.decode().splitlines() if line.strip()}


def graphs_of_a_local_ingest(store: Store, settings: Settings, documents: list[Document]
                             ) -> dict[str, set[str]]:
    """Each document's graph as a local ingest (in this process) stores it in `store`."""
    here = Ingestor(
        store, Preparer(extractor_config(settings, checks=True)), base_iri=settings.base_iri
    )
    return {result.iri: triples(store, result.iri) for result in here.ingest(documents)}


def test_ingest_with_dask_stores_each_document_as_a_local_ingest_does(
    cluster: LocalCluster, settings: Settings
) -> None:
    result = runner.invoke(
        app, ["ingest", "--dask", cluster.scheduler_address, "--store", settings.store, *map(
            str, SEEDS)],
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("stored ") == len(SEEDS)
    documents = [d for d in read_documents(SEEDS, max_text_bytes=settings.max_text_bytes)
                 if isinstance(d, Document)]
    store = open_store(settings.store, base_iri=settings.base_iri)
    iris = [line.split()[1].rstrip(":") for line in result.output.splitlines()
            if line.startswith("stored ")]
    on_the_cluster = {iri: triples(store, iri) for iri in iris}
    assert all(on_the_cluster.values())
    # The same documents ingested here, into the same store, replace them with the same graphs.
    assert graphs_of_a_local_ingest(store, settings, documents) == on_the_cluster
    store.close()


def test_ingest_with_dask_stores_every_document_once_when_a_worker_is_killed_mid_run(
    cluster: LocalCluster, settings: Settings
) -> None:
    documents = reports(16)
    store = open_store(settings.store, base_iri=settings.base_iri)
    ingestor = build_cluster_ingestor(store, settings, cluster.scheduler_address)
    client = ingestor.client
    done: list[IngestResult] = []
    consumer = threading.Thread(target=lambda: done.extend(ingestor.ingest(documents)))
    consumer.start()
    # A worker with a document in hand is killed (SIGKILL: no goodbye to the scheduler).
    deadline = time.monotonic() + 120
    busy: list[str] = []
    while not busy and time.monotonic() < deadline:
        busy = [worker for worker, keys in client.processing().items() if keys]
        time.sleep(0.02)
    assert busy, "no worker had a document in hand"
    pids = client.run(os.getpid, workers=busy[:1])
    os.kill(pids[busy[0]], signal.SIGKILL)
    consumer.join(600)
    assert not consumer.is_alive()
    ingestor.close()
    assert [r.stored for r in done] == [True] * len(documents), [r.reason for r in done]
    assert len({r.iri for r in done}) == len(documents)
    for result in done:  # stored once and whole: the graph holds exactly what was prepared
        assert len(triples(store, result.iri)) == result.triples
    store.close()


def test_ingest_with_dask_into_a_store_the_workers_cannot_share_fails_in_one_line(
    tmp_path: Path,
) -> None:
    result = runner.invoke(
        app, ["ingest", "--dask", "tcp://127.0.0.1:8786", "--store", str(tmp_path / "store"),
              str(SEEDS[0])],
    )
    assert result.exit_code == 2
    assert "--dask needs a store every worker can write to" in result.output
    assert "Traceback" not in result.output


def test_ingest_with_dask_and_no_scheduler_fails_in_one_line(settings: Settings) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    result = runner.invoke(
        app, ["ingest", "--dask", address, "--store", settings.store, str(SEEDS[0])],
        env={"FACTGRAPH_CLUSTER_TIMEOUT": "3"},
    )
    assert result.exit_code == 2
    assert f"--dask {address}: no Dask scheduler answered" in result.output
    assert "Traceback" not in result.output
