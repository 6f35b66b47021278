"""Throughput under concurrent load: a bounded asyncio client loop on 127.0.0.1.

`clients` coroutines share one httpx.AsyncClient; each sends one request, waits for the whole
answer, then sends the next, until `seconds` have passed or `max_requests` have been sent
(what comes first). The requests are drawn (seeded) from the competency queries and
`GET /healthz`, each equally often. Anything but a 200 with a complete body is an error.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from typing import Any

import httpx

from bench.latency import JSON_RESULTS, summary

HEALTH = "healthz"


async def _load(
    base: str,
    texts: dict[str, str],
    *,
    clients: int,
    seconds: float,
    max_requests: int,
    timeout_s: float,
    seed: int,
) -> dict[str, Any]:
    rng = random.Random(seed)
    kinds = [*texts, HEALTH]
    latencies: dict[str, list[float]] = {kind: [] for kind in kinds}
    statuses: Counter[str] = Counter()
    errors: list[str] = []
    sent = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=timeout_s, limits=limits) as client:
        started = time.perf_counter()
        deadline = started + seconds

        async def worker() -> None:
            nonlocal sent
            while time.perf_counter() < deadline and sent < max_requests:
                sent += 1
                kind = rng.choice(kinds)
                clock = time.perf_counter()
                try:
                    if kind == HEALTH:
                        response = await client.get("/healthz")
                    else:
                        response = await client.post(
                            "/sparql",
                            content=texts[kind].encode("utf-8"),
                            headers={
                                "Content-Type": "application/sparql-query",
                                "Accept": JSON_RESULTS,
                            },
                        )
                except httpx.HTTPError as exc:
                    statuses[type(exc).__name__] += 1
                    errors.append(f"{kind}: {type(exc).__name__}: {exc}")
                    continue
                elapsed = time.perf_counter() - clock
                statuses[str(response.status_code)] += 1
                if response.status_code != 200:
                    errors.append(f"{kind}: HTTP {response.status_code}: {response.text[:200]}")
                    continue
                latencies[kind].append(1000 * elapsed)

        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - started
    done = sum(len(ms) for ms in latencies.values())
    return {
        "clients": clients,
        "seconds_limit": seconds,
        "max_requests": max_requests,
        "wall_seconds": round(wall, 2),
        "requests": sent,
        "ok": done,
        "errors": len(errors),
        "first_errors": errors[:5],
        "statuses": dict(statuses),
        "requests_per_second": round(done / wall, 2),
        "all": summary([ms for values in latencies.values() for ms in values]),
        "by_kind": {kind: summary(ms) for kind, ms in latencies.items()},
    }


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
    """The load run of the module docstring; its throughput, latencies and errors."""
    return asyncio.run(
        _load(
            base,
            texts,
            clients=clients,
            seconds=seconds,
            max_requests=max_requests,
            timeout_s=timeout_s,
            seed=seed,
        )
    )
