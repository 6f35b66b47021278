"""A fresh real server with an update token, for the conformance modules (one per module).

The manifests clear and drop every graph, so they never run on the session's seeded server.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
from conftest import live_server

from conformance.runner import Endpoint, Runner

__all__ = ["TOKEN", "conformance_runner"]

# At least 16 characters, as the service's setting requires; random so no test relies on it.
TOKEN = f"conformance-{secrets.token_hex(12)}"


@contextlib.contextmanager
def conformance_runner(store: Path, token: str | None = TOKEN) -> Iterator[Runner]:
    """A Runner against `factgraph serve` over an empty `store`, writes unlocked by `token`."""
    env = {"FACTGRAPH_UPDATE_TOKEN": token} if token else {}
    with live_server(store, env=env) as base, httpx.Client(timeout=60) as client:
        yield Runner(client, Endpoint(base, token))
