"""Throughput under concurrent load: bounded asyncio client loops on 127.0.0.1.

`run_load`: `clients` coroutines, each a client of its own (its own loopback source address,
127.0.0.10 and up: the server gives each address its share of the query workers); each sends
one request, waits for the whole answer, then sends the next, until `seconds` have passed or
`max_requests` have been sent (what comes first). The requests are drawn (seeded) from the
competency queries and `GET /healthz`, each equally often. Anything but a 200 with a complete
body is an error.

`python -m bench.load` measures what bench/README.md's load table shows, against a
`factgraph serve` of its own on a fresh store (loopback only, bounded in time):

- reads and writes together: readers as above plus `GET /documents`, and a writer posting
  generated articles (bench/corpus.py) one after another; then every acknowledged document
  must be listed by `GET /documents` (no write lost);
- fairness: `ASK {}` from one client while two others keep two slow queries each in flight
  (each client's queries run one at a time, so they hold two of the three query workers), and,
  where that share reaches its bound, while three others keep one each (every worker busy).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench import corpus, servers
from bench.latency import ASK, JSON_RESULTS, queries, summary

HEALTH = "healthz"
DOCUMENTS = "documents"
_QUERY = {"Content-Type": "application/sparql-query", "Accept": JSON_RESULTS}
_DIGITS = " ".join(str(i) for i in range(10))
# 10^10 rows to count: runs until the query time limit stops it.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?v{i} {{ {_DIGITS} }}" for i in range(10)
) + " }"


def _client(n: int, timeout_s: float) -> httpx.AsyncClient:
    """Client number `n`, from a loopback address of its own (127.0.0.10 + n)."""
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{10 + n}")
    return httpx.AsyncClient(transport=transport, timeout=timeout_s)


@dataclass
class _Tally:
    """Latencies of the answers that were right, and every status seen."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    async def timed(self, kind: str, request: Any, expected: int = 200) -> httpx.Response | None:
        clock = time.perf_counter()
        try:
            response = await request
        except httpx.HTTPError as exc:
            self.statuses[type(exc).__name__] += 1
            self.errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            return None
        self.statuses[str(response.status_code)] += 1
        if response.status_code != expected:
            self.errors.append(f"{kind}: HTTP {response.status_code}: {response.text[:200]}")
            return response
        self.latencies.setdefault(kind, []).append(1000 * (time.perf_counter() - clock))
        return response

    def report(self, wall: float) -> dict[str, Any]:
        done = sum(len(ms) for ms in self.latencies.values())
        return {
            "wall_seconds": round(wall, 2),
            "requests": sum(self.statuses.values()),
            "ok": done,
            "errors": len(self.errors),
            "first_errors": self.errors[:5],
            "statuses": dict(self.statuses),
            "requests_per_second": round(done / wall, 2) if wall else None,
            "all": summary([ms for values in self.latencies.values() for ms in values]),
            "by_kind": {kind: summary(ms) for kind, ms in self.latencies.items()},
        }


async def _readers(
    base: str,
    texts: dict[str, str],
    tally: _Tally,
    *,
    clients: int,
    deadline: float,
    max_requests: int,
    timeout_s: float,
    seed: int,
    extra: tuple[str, ...] = (),
) -> None:
    rng = random.Random(seed)
    kinds = [*texts, HEALTH, *extra]
    sent = 0

    async def reader(n: int) -> None:
        nonlocal sent
        async with _client(n, timeout_s) as client:
            while time.perf_counter() < deadline and sent < max_requests:
                sent += 1
                kind = rng.choice(kinds)
                if kind == HEALTH:
                    request = client.get(f"{base}/healthz")
                elif kind == DOCUMENTS:
                    request = client.get(f"{base}/documents")
                else:
                    request = client.post(
                        f"{base}/sparql", content=texts[kind].encode(), headers=_QUERY
                    )
                await tally.timed(kind, request)

    await asyncio.gather(*(reader(n) for n in range(clients)))


def run_load(
    base: str,
    texts: dict[str, str],
    *,
    clients: int = 8,
    seconds: float = 20,
    max_requests: int = 2000,
    timeout_s: float = 120,
    seed: int = 11,
) -> dict[str, Any]:
    """The read load of the module docstring; its throughput, latencies and errors."""

    async def run() -> dict[str, Any]:
        tally = _Tally()
        started = time.perf_counter()
        await _readers(
            base, texts, tally, clients=clients, deadline=started + seconds,
            max_requests=max_requests, timeout_s=timeout_s, seed=seed,
        )  # fmt: skip
        return tally.report(time.perf_counter() - started)

    result = asyncio.run(run())
    return {"clients": clients, "seconds_limit": seconds, "max_requests": max_requests, **result}


async def _mixed(
    base: str, texts: dict[str, str], articles: list[dict], readers: int, seconds: float
) -> dict[str, Any]:
    tally = _Tally()
    stored: list[str] = []
    started = time.perf_counter()
    deadline = started + seconds

    async def writer() -> None:
        async with _client(readers, 300) as client:
            for article in articles:
                if time.perf_counter() >= deadline:
                    return
                response = await tally.timed(
                    "POST /documents",
                    client.post(f"{base}/documents", json=article),
                    expected=201,
                )
                if response is not None and response.status_code == 201:
                    stored.append(response.json()["iri"])

    await asyncio.gather(
        writer(),
        _readers(
            base, texts, tally, clients=readers, deadline=deadline, max_requests=10**9,
            timeout_s=120, seed=11, extra=(DOCUMENTS,),
        ),
    )  # fmt: skip
    wall = time.perf_counter() - started
    async with httpx.AsyncClient(timeout=60) as client:
        listed = {d["iri"] for d in (await client.get(f"{base}/documents")).json()}
    result = tally.report(wall)
    result.update(
        readers=readers,
        writers=1,
        seconds_limit=seconds,
        documents_acknowledged=len(stored),
        documents_lost=len(set(stored) - listed),
    )
    return result


async def _fairness(base: str, seconds: float, busy: int, connections: int) -> dict[str, Any]:
    """ASK {} from one client while `busy` others keep `connections` slow queries each."""
    asks = _Tally()
    slow = _Tally()
    started = time.perf_counter()
    deadline = started + seconds

    async def keep_busy(n: int) -> None:
        async with _client(n, 300) as client:
            while time.perf_counter() < deadline:
                response = await slow.timed(
                    "slow", client.post(f"{base}/sparql", content=SLOW, headers=_QUERY)
                )
                if response is not None and response.status_code == 429:
                    await asyncio.sleep(float(response.headers.get("retry-after", "1")))

    async def ask() -> None:
        await asyncio.sleep(1)  # the slow queries hold their workers first
        async with _client(9, 300) as client:
            while time.perf_counter() < deadline:
                await asks.timed("ask", client.post(f"{base}/sparql", content=ASK, headers=_QUERY))

    others = [keep_busy(20 + n) for n in range(busy) for _ in range(connections)]
    await asyncio.gather(ask(), *others)
    wall = time.perf_counter() - started
    return {
        "busy_clients": busy,
        "connections_each": connections,
        "ask": asks.report(wall),
        "slow_statuses": dict(slow.statuses),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Mixed load and fairness of factgraph serve.")
    parser.add_argument("--seconds", type=float, default=30, help="the mixed load's duration")
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--fairness-seconds", type=float, default=20)
    parser.add_argument("--slow-timeout", type=float, default=5, help="FACTGRAPH_QUERY_TIMEOUT")
    parser.add_argument("--json", type=Path, default=servers.ROOT / "bench/out/load.json")
    args = parser.parse_args()
    result: dict[str, Any] = {}
    texts = queries(["cq1_language_of_force", "cq2_us_troops_in_iraq", "cq4_politico"], None)
    articles = corpus.generate(200, seed=13)
    with tempfile.TemporaryDirectory(dir=servers.ROOT / "bench") as scratch:
        empty = Path(scratch) / "store"
        empty.mkdir()
        with servers.factgraph_server(empty) as server:
            for seed in sorted((servers.ROOT / "seeds").glob("*.json")):
                # loads spaCy, and gives the readers something to read
                answer = httpx.post(f"{server.base}/documents", content=seed.read_bytes(),
                                    headers={"Content-Type": "application/json"}, timeout=300)
                answer.raise_for_status()
            print(f"mixed load: {args.readers} readers, 1 writer, {args.seconds:g} s", flush=True)
            result["mixed"] = asyncio.run(
                _mixed(server.base, texts, articles, args.readers, args.seconds)
            )
        env = {"FACTGRAPH_QUERY_TIMEOUT": str(args.slow_timeout)}
        with servers.factgraph_server(empty, env) as server:
            for name, busy, connections in (("two_busy", 2, 2), ("three_busy", 3, 1)):
                print(f"fairness ({name}): {args.fairness_seconds:g} s", flush=True)
                result[name] = asyncio.run(
                    _fairness(server.base, args.fairness_seconds, busy, connections)
                )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
