"""Fair shares of the query workers: each client address runs one query at a time.

Every client query runs on one of a few worker processes; without a share, one client sending
slow queries on a few connections holds every worker, and everyone else's `ASK {}` waits for
one to free up. Here a client's queries run one at a time (the next waits, without a thread,
until its previous one is answered), so two busy clients hold two workers and the others are
left for everyone else; a client may have at most `FACTGRAPH_CLIENT_QUERIES` queries running
or waiting, and the next gets 429 with `Retry-After`. Routes that run a client's query declare
`ClientQuerySlot` as a dependency; it lives on the event loop, so no lock is needed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import Depends, Request

__all__ = ["ClientQueries", "ClientQuerySlot", "TooManyQueriesError", "client_query_slot"]


class TooManyQueriesError(RuntimeError):
    """This client already has as many queries in flight as one client may (429)."""


@dataclass
class _Client:
    in_flight: int = 0
    running: asyncio.Lock = field(default_factory=asyncio.Lock)


class ClientQueries:
    """The queries each client address has in flight (at most `limit`), run one at a time."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._clients: dict[str, _Client] = {}

    @asynccontextmanager
    async def slot(self, client: str) -> AsyncIterator[None]:
        """Hold `client`'s turn while its query runs; TooManyQueriesError past the limit."""
        state = self._clients.setdefault(client, _Client())
        if state.in_flight >= self.limit:
            raise TooManyQueriesError(
                f"this client already has {self.limit} queries running or waiting, as many "
                "as one client may (FACTGRAPH_CLIENT_QUERIES); send the next one when one "
                "of them has been answered"
            )
        state.in_flight += 1
        try:
            async with state.running:
                yield
        finally:
            state.in_flight -= 1
            if not state.in_flight:
                del self._clients[client]


async def client_query_slot(request: Request) -> AsyncIterator[None]:
    """The requesting address's turn, held until the route has answered."""
    limiter: ClientQueries = request.app.state.client_queries
    async with limiter.slot(request.client.host if request.client else ""):
        yield


# One Depends object, so that every route shares the same accounting.
ClientQuerySlot = Depends(client_query_slot, scope="function")
