"""Fixtures shared across test modules: the seeds served for real, over HTTP or in process."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from service.bootstrap import build_app, configured
from service.store.oxigraph import OxigraphStore

# Writes without a token come only from the server's own machine (service.api.auth).
ON_THIS_MACHINE = ("127.0.0.1", 50000)

ROOT = Path(__file__).resolve().parent.parent
# The tests run the seeds as `make run` does: the default registry and the seeds' own actors
# (a user file). Tests of the default registry alone read ontology/actors.ttl themselves.
os.environ.setdefault("FACTGRAPH_ACTORS", str(ROOT / "seeds" / "actors.ttl"))

settings = configured()
SEEDS = sorted((ROOT / "seeds").glob("*.json"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served(
    store: Path | str, env: dict[str, str | None] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run the real `factgraph serve` on a free loopback port over `store` (a directory, or a
    sparql+http:// location); yield its base URL and its process (stopped at the end if it
    still runs).

    `env` adds FACTGRAPH_* settings (an update token, a short query timeout...); None removes
    one (the base IRI, which is the server's own address unless given).
    """
    port = _free_port()
    given = {**os.environ, "FACTGRAPH_BASE_IRI": f"http://127.0.0.1:{port}/", **(env or {})}
    environ = {name: value for name, value in given.items() if value is not None}
    command = [sys.executable, "-m", "service.cli.app", "serve", "--store", str(store)]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=30)


@contextlib.contextmanager
def live_server(store: Path | str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`served`, for tests that need only the base URL."""
    with served(store, env) as (base, _):
        yield base


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real `factgraph serve` on a free loopback port with a fresh store; its base URL."""
    with live_server(tmp_path_factory.mktemp("store")) as base:
        yield base


def post_seeds(base: str, token: str | None = None) -> dict[str, dict]:
    """Both seeds POSTed to the server at `base` (with its update token, when it has one):
    each seed's answer (IRI, counts) by file stem."""
    answers = {}
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    for path in SEEDS:
        response = httpx.post(
            f"{base}/documents",
            content=path.read_bytes(),
            headers=headers,
            timeout=180,
        )
        assert response.status_code == 201, response.text
        answers[path.stem] = response.json()
    return answers


@pytest.fixture(scope="session")
def ingested(server: str) -> dict[str, dict]:
    """Both seeds POSTed to the session's server."""
    return post_seeds(server)


@pytest.fixture(scope="module")
def seeded_client() -> Iterator[TestClient]:
    """The app in process over an in-memory store holding both seeds (one per module)."""
    store = OxigraphStore(None)
    with TestClient(build_app(settings, store), client=ON_THIS_MACHINE) as client:
        for seed in SEEDS:
            response = client.post(
                "/documents",
                content=seed.read_bytes(),
                headers={"Content-Type": "application/json"},
            )
            assert response.status_code == 201, response.text
        yield client
