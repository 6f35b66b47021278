"""Bounded, fairly shared work in the real server: a memory limit on query workers, a share of
them per client address, a bounded ingest queue, and SIGTERM that stops it whatever it does.

The slow query needs no data: ten VALUES blocks of ten numbers make 10^10 rows to count. The
greedy query sorts 10^8 rows of VALUES, which takes many GB unless a limit stops it. A second
client is told apart by its source address (127.0.0.2: all of 127/8 is this machine).
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.conftest import ON_THIS_MACHINE, SEEDS, served

pytestmark = pytest.mark.e2e

_DIGITS = " ".join(str(i) for i in range(10))
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?v{i} {{ {_DIGITS} }}" for i in range(10)
) + " }"
GREEDY = "SELECT * WHERE { " + " ".join(
    f"VALUES ?v{i} {{ {_DIGITS} }}" for i in range(8)
) + " } ORDER BY DESC(?v7) LIMIT 1"
ASK = "ASK { }"
JSON = {"Accept": "application/sparql-results+json"}
DOCUMENT = {"Content-Type": "application/json"}
TOKEN = "serve-limits-0123456789"
assert ON_THIS_MACHINE[0] == "127.0.0.1"


def _client(base: str, address: str = "127.0.0.1") -> httpx.Client:
    """A client whose requests come from `address` (a loopback address of its own)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=base, transport=transport, timeout=120)


def _long_document() -> bytes:
    """A document of about 170 kB: the seeds' texts, many times over (minutes to extract)."""
    texts = [json.loads(seed.read_text())["text"] for seed in SEEDS]
    return json.dumps({"text": "\n\n".join(texts * 30), "title": "Long"}).encode()


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {
        "FACTGRAPH_QUERY_WORKERS": "2",
        "FACTGRAPH_CLIENT_QUERIES": "1",
        "FACTGRAPH_QUERY_MEMORY_MB": "300",
        "FACTGRAPH_QUERY_TIMEOUT": "20",
        "FACTGRAPH_INGEST_QUEUE": "0",
    }
    with served(tmp_path_factory.mktemp("limited"), env) as (base, _):
        yield base


def test_a_query_past_the_memory_limit_gets_422_and_its_worker_is_replaced(limited: str) -> None:
    with _client(limited) as client:
        response = client.post("/sparql", data={"query": GREEDY}, headers=JSON)
        assert response.status_code == 422, response.text
        message = response.json()["error"]
        assert "300 MB" in message
        assert "memory" in message
        # The server lives on, and a fresh worker answers the next query.
        assert client.get("/healthz").status_code == 200
        after = client.post("/sparql", data={"query": ASK}, headers=JSON)
        assert after.status_code == 200
        assert after.json()["boolean"] is True


def test_a_client_past_its_share_gets_429_while_another_client_is_served(limited: str) -> None:
    answers: dict[str, int] = {}

    def slow() -> None:
        with _client(limited, "127.0.0.2") as greedy:
            answers["slow"] = greedy.post("/sparql", data={"query": SLOW}).status_code
        answers["slow done"] = time.monotonic()

    runner = threading.Thread(target=slow)
    runner.start()
    time.sleep(1.5)  # the slow query holds a worker now, the greedy client's one at a time
    with _client(limited, "127.0.0.2") as greedy:
        refused = greedy.post("/sparql", data={"query": ASK}, headers=JSON)
    with _client(limited) as other:
        served_ask = other.post("/sparql", data={"query": ASK}, headers=JSON)
    asked = time.monotonic()
    runner.join()
    assert refused.status_code == 429, refused.text
    assert refused.headers["retry-after"]
    assert "FACTGRAPH_CLIENT_QUERIES" in refused.json()["error"]
    assert served_ask.status_code == 200
    assert served_ask.json()["boolean"] is True
    assert asked < answers["slow done"]  # served while the greedy query still ran
    assert answers["slow"] == 503  # stopped at the time limit


def test_a_full_ingest_queue_answers_503_with_retry_after(limited: str) -> None:
    first, second = (seed.read_bytes() for seed in SEEDS)
    answers: dict[str, httpx.Response] = {}

    def post_first() -> None:
        with _client(limited) as client:
            answers["first"] = client.post("/documents", content=first, headers=DOCUMENT)

    runner = threading.Thread(target=post_first)
    runner.start()
    time.sleep(1.5)  # the first document is being ingested (spaCy loads for it)
    with _client(limited) as client:
        refused = client.post("/documents", content=second, headers=DOCUMENT)
        runner.join()
        again = client.post("/documents", content=second, headers=DOCUMENT)
    assert refused.status_code == 503, refused.text
    assert refused.headers["retry-after"]
    assert "FACTGRAPH_INGEST_QUEUE" in refused.json()["error"]
    assert answers["first"].status_code == 201, answers["first"].text
    assert again.status_code == 201, again.text  # the queue has room again


def test_sigterm_stops_the_server_and_its_workers_during_ingest_query_and_update(
    tmp_path: Path,
) -> None:
    env = {
        "FACTGRAPH_UPDATE_TOKEN": TOKEN,
        "FACTGRAPH_QUERY_TIMEOUT": "600",
        "FACTGRAPH_SHUTDOWN_GRACE": "2",
    }
    with served(tmp_path, env) as (base, process):
        bearer = {"Authorization": f"Bearer {TOKEN}", **DOCUMENT}
        with _client(base) as client:  # loads spaCy and starts the ingest workers
            warm = client.post("/documents", content=SEEDS[0].read_bytes(), headers=bearer)
            assert warm.status_code == 201, warm.text
        outcomes: list[str] = []

        def send(method: str, path: str, **kwargs: object) -> None:
            try:
                with _client(base) as client:
                    outcomes.append(str(client.request(method, path, **kwargs).status_code))
            except httpx.TransportError as exc:
                outcomes.append(type(exc).__name__)

        update = "INSERT { <urn:a> <urn:b> ?n } WHERE { " + SLOW.split("WHERE {", 1)[1] + " }"
        work = [
            ("POST", "/documents", {"content": _long_document(), "headers": bearer}),
            ("POST", "/sparql", {"data": {"query": SLOW}}),
            ("POST", "/update", {"content": update, "headers": {
                "Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}}),
        ]
        threads = [threading.Thread(target=send, args=(m, p), kwargs=k) for m, p, k in work]
        for thread in threads:
            thread.start()
        time.sleep(3)  # extraction, the query and the update are all under way
        workers = psutil.Process(process.pid).children(recursive=True)
        assert len(workers) >= 3  # extraction, validation, query workers
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)  # a generous bound: the grace is 2 s
        _, alive = psutil.wait_procs(workers, timeout=10)
        for thread in threads:
            thread.join(timeout=30)
    assert alive == []
    assert len(outcomes) == 3
    assert "500" not in outcomes  # cut off: a 503 saying so, or a closed connection
