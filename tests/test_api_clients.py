"""Each client address runs its queries one at a time, with a bounded number waiting."""

from __future__ import annotations

import asyncio

import pytest

from service.api.clients import ClientQueries, TooManyQueriesError


def test_a_clients_second_query_waits_for_its_first_and_a_third_is_refused() -> None:
    async def scenario() -> list[str]:
        limiter = ClientQueries(limit=2)
        order: list[str] = []
        first_running = asyncio.Event()
        release_first = asyncio.Event()

        async def first() -> None:
            async with limiter.slot("192.0.2.1"):
                order.append("first runs")
                first_running.set()
                await release_first.wait()
            order.append("first done")

        async def second() -> None:
            async with limiter.slot("192.0.2.1"):
                order.append("second runs")

        async def other_client() -> None:
            async with limiter.slot("192.0.2.2"):
                order.append("other client runs")

        tasks = [asyncio.create_task(first())]
        await first_running.wait()
        tasks.append(asyncio.create_task(second()))
        await asyncio.sleep(0.01)
        with pytest.raises(TooManyQueriesError, match="FACTGRAPH_CLIENT_QUERIES"):
            async with limiter.slot("192.0.2.1"):
                pass
        await other_client()  # not held up by the first client's turn
        release_first.set()
        await asyncio.gather(*tasks)
        async with limiter.slot("192.0.2.1"):  # all answered: the client has its places back
            order.append("later runs")
        return order

    assert asyncio.run(scenario()) == [
        "first runs",
        "other client runs",
        "first done",
        "second runs",
        "later runs",
    ]
