"""Fair shares of the query workers: a cap on the queries each client address has in flight.

Every client query runs on one of a few worker processes; without a cap, one client sending
slow queries on a few connections holds every worker, and everyone else's `ASK {}` waits for
one to free up. With at most `FACTGRAPH_CLIENT_QUERIES` (below the number of workers) per
address, running or waiting, one client always leaves a worker for the others; its next query
gets 429 with `Retry-After` until one of its own has finished. Routes that run a client's
query declare `ClientQuerySlot` as a dependency.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

from fastapi import Depends, Request

__all__ = ["ClientQueries", "ClientQuerySlot", "TooManyQueriesError", "client_query_slot"]


class TooManyQueriesError(RuntimeError):
    """This client already has as many queries in flight as one client may (429)."""


class ClientQueries:
    """How many queries each client address has in flight, capped at `limit`."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._in_flight: Counter[str] = Counter()

    @contextmanager
    def slot(self, client: str) -> Iterator[None]:
        """Hold one of `client`'s places while its query runs; TooManyQueriesError if none."""
        with self._lock:
            if self._in_flight[client] >= self.limit:
                raise TooManyQueriesError(
                    f"this client already has {self.limit} queries running or waiting, as many "
                    "as one client may (FACTGRAPH_CLIENT_QUERIES); send the next one when one "
                    "of them has been answered"
                )
            self._in_flight[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._in_flight[client] -= 1
                if not self._in_flight[client]:
                    del self._in_flight[client]


async def client_query_slot(request: Request) -> AsyncIterator[None]:
    """A place for the requesting address's query, held until the route has answered."""
    limiter: ClientQueries = request.app.state.client_queries
    with limiter.slot(request.client.host if request.client else ""):
        yield


# One Depends object, so that every route shares the same accounting.
ClientQuerySlot = Depends(client_query_slot, scope="function")
