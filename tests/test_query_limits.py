"""Queries that cannot hurt the service: a time limit that stops the work, a cap on result size,
and a long query that holds up neither `/healthz` nor other clients' queries.

Runs the real server with a 3 s limit (FACTGRAPH_QUERY_TIMEOUT) and a 20 kB result cap
(FACTGRAPH_MAX_RESULT_BYTES). The slow query needs no data: ten VALUES blocks of ten numbers
make 10^10 rows to count, which would take Oxigraph about twenty minutes.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import live_server

pytestmark = pytest.mark.e2e

TIMEOUT_S = 3
_DIGITS = " ".join(str(i) for i in range(10))
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?v{i} {{ {_DIGITS} }}" for i in range(10)
) + " }"
SHORT = "ASK { }"
BIG = "SELECT * WHERE { " + " ".join(f"VALUES ?v{i} {{ {_DIGITS} }}" for i in range(4)) + " }"
JSON = {"Accept": "application/sparql-results+json"}
TOKEN = "limits-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MARK = "<http://example.org/limits/mark>"
# An update whose WHERE is the slow query's 10^10 rows: it would hold the write lock for as long.
# The filter keeps none of them (ten digits never add up to 100), so the update holds no rows
# and it is the time limit that stops it, not the memory cap, however fast the machine.
SLOW_UPDATE = f"INSERT {{ {MARK} {MARK} ?v0 }} WHERE {{ " + " ".join(
    f"VALUES ?v{i} {{ {_DIGITS} }}" for i in range(10)
) + " FILTER(" + " + ".join(f"?v{i}" for i in range(10)) + " > 100) }"


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {
        "FACTGRAPH_QUERY_TIMEOUT": str(TIMEOUT_S),
        "FACTGRAPH_MAX_RESULT_BYTES": "20000",
        "FACTGRAPH_QUERY_WORKERS": "2",
        "FACTGRAPH_UPDATE_TOKEN": TOKEN,
    }
    with live_server(tmp_path_factory.mktemp("limited"), env) as base:
        yield base


def _server_tree_cpu(port: int) -> float:
    """CPU seconds used so far by the server on `port` and all its descendants (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[entry.name] = (cmdline, fields[1], int(fields[11]) + int(fields[12]))
    server = next(
        pid for pid, (cmdline, _, _) in stats.items()
        if b"serve" in cmdline and str(port).encode() in cmdline
    )
    tree = {server}
    while grown := {pid for pid, (_, parent, _) in stats.items() if parent in tree} - tree:
        tree |= grown  # workers are children of the fork server, itself a child of the server
    return sum(stats[pid][2] for pid in tree) / ticks


def test_query_past_the_time_limit_is_stopped_and_answered_503(limited: str) -> None:
    response = httpx.post(limited + "/sparql", data={"query": SLOW}, headers=JSON, timeout=60)
    assert response.status_code == 503, response.text
    message = response.json()["error"]
    assert f"limit of {TIMEOUT_S} s" in message
    assert "stopped" in message
    assert response.headers["retry-after"]
    # The work is gone, not left running: the server and its workers go quiet at once.
    port = int(limited.rsplit(":", 1)[1])
    before = _server_tree_cpu(port)
    time.sleep(2)
    assert _server_tree_cpu(port) - before < 0.5
    # And the next query is answered by a fresh worker.
    after = httpx.post(limited + "/sparql", data={"query": SHORT}, headers=JSON, timeout=30)
    assert after.status_code == 200
    assert after.json()["boolean"] is True


def _marks(base: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {MARK} ?p ?o }} }}"
    answer = httpx.post(base + "/sparql", data={"query": query}, headers=JSON, timeout=30)
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_update_past_the_time_limit_is_stopped_before_it_changes_anything(limited: str) -> None:
    response = httpx.post(
        limited + "/update", data={"update": SLOW_UPDATE}, headers=AUTH, timeout=60
    )
    assert response.status_code == 503, response.text
    message = response.json()["error"]
    assert f"limit of {TIMEOUT_S} s" in message
    assert "nothing was changed" in message
    assert _marks(limited) == 0
    # The store is not held: a short update right after is applied.
    short = f"INSERT DATA {{ GRAPH {MARK} {{ {MARK} {MARK} 1 }} }}"
    applied = httpx.post(limited + "/update", data={"update": short}, headers=AUTH, timeout=30)
    assert applied.status_code == 204
    assert _marks(limited) == 1
    drop = {"update": f"DROP GRAPH {MARK}"}
    cleared = httpx.post(limited + "/update", data=drop, headers=AUTH, timeout=30)
    assert cleared.status_code == 204
    oops = {"update": "INSERT DATA { oops"}
    bad = httpx.post(limited + "/update", data=oops, headers=AUTH, timeout=30)
    assert bad.status_code == 400, bad.text


def test_slow_query_holds_up_neither_healthz_nor_short_queries(limited: str) -> None:
    finished: dict[str, float] = {}

    def slow() -> None:  # from another client (a loopback address of its own)
        transport = httpx.HTTPTransport(local_address="127.0.0.2")
        with httpx.Client(transport=transport, timeout=60) as other:
            other.post(limited + "/sparql", data={"query": SLOW}, headers=JSON)
        finished["slow"] = time.monotonic()

    runner = threading.Thread(target=slow)
    runner.start()
    time.sleep(0.5)  # the slow query holds a worker now
    answers = []
    with httpx.Client(base_url=limited, timeout=30) as client:
        for _ in range(20):
            answers.append(client.get("/healthz").status_code)
            answers.append(client.get("/sparql", params={"query": SHORT}, headers=JSON).status_code)
    finished["short"] = time.monotonic()
    runner.join()
    assert answers == [200] * 40
    assert finished["short"] < finished["slow"]


def test_result_over_the_size_cap_is_refused_with_a_hint(limited: str) -> None:
    response = httpx.post(limited + "/sparql", data={"query": BIG}, headers=JSON, timeout=30)
    assert response.status_code == 422, response.text
    assert "LIMIT" in response.json()["error"]
    small = httpx.post(
        limited + "/sparql", data={"query": BIG + " LIMIT 10"}, headers=JSON, timeout=30
    )
    assert small.status_code == 200
    assert len(small.json()["results"]["bindings"]) == 10
