"""Every curl and `factgraph query` example of the README runs as written, against the real
server with the seeds, as `make run` serves them (IRIs under http://localhost:8000/).

The examples are read from the README itself; only the server's address is swapped for the
test server's. Two files the README names as the reader's own (`reviews.json`, `notes.ttl`)
are written beside them first. Each curl must exit 0 with a 2xx answer.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from test_claimreview_importer import review

from tests.conftest import ROOT, post_seeds, served

pytestmark = pytest.mark.e2e

TOKEN = "readme-token-0123456789"
_BLOCK = re.compile(r"```(?:sh|bash)\n(.*?)```", re.S)


def readme_commands(with_token: bool) -> list[str]:
    """The shell commands of the README's sh/bash blocks (a command goes on over a line ended
    by a backslash or inside an open quote): those of the blocks about the update token, or
    those of the others."""
    commands = []
    for block in _BLOCK.findall((ROOT / "README.md").read_text()):
        if ("FACTGRAPH_UPDATE_TOKEN" in block) != with_token:
            continue
        pending = ""
        for line in block.splitlines():
            pending = f"{pending}\n{line}" if pending else line
            try:
                words = shlex.split(pending, comments=True)
            except ValueError:  # a quote still open
                continue
            if pending.endswith("\\"):
                continue
            if words:
                commands.append(pending.strip())
            pending = ""
    return commands


CURLS = [c for c in readme_commands(with_token=False) if c.startswith("curl ")]
TOKEN_CURLS = [c for c in readme_commands(with_token=True) if c.startswith("curl ")]
QUERIES = [c for c in readme_commands(with_token=False) if c.startswith(".venv/bin/factgraph q")]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the examples run: the repository's files they name, and the reader's own."""
    where = tmp_path_factory.mktemp("readme")
    for name in ("service", ".venv"):
        (where / name).symlink_to(ROOT / name)
    (where / "reviews.json").write_text(json.dumps([review()]))
    (where / "notes.ttl").write_text('<http://example.org/a> <http://example.org/b> "c" .\n')
    return where


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seeds, as `make run` leaves it (IRIs under localhost:8000)."""
    store = tmp_path_factory.mktemp("readme-store")
    with served(store, {"FACTGRAPH_BASE_IRI": "http://localhost:8000/"}) as (base, _):
        post_seeds(base)
    return store


def _run(command: str, base: str, where: Path, env: dict[str, str]) -> str | None:
    """Run one curl example against `base`; None when it worked, else what went wrong."""
    command = command.replace("http://127.0.0.1:8000", base)
    command = command.replace("curl ", "curl -w '\\n%{http_code}' ", 1)
    done = subprocess.run(
        ["bash", "-c", command], cwd=where, env={**os.environ, **env},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    status = done.stdout.rsplit("\n", 1)[-1]
    if done.returncode == 0 and status.startswith("2"):
        return None
    return f"{command}: exit {done.returncode}, HTTP {status}, {done.stdout[-300:]}"


def test_readme_has_the_examples_this_test_runs() -> None:
    assert len(CURLS) >= 12
    assert len(TOKEN_CURLS) >= 3
    assert QUERIES


def test_readme_curl_examples_run_as_written(seeded_store: Path, workdir: Path) -> None:
    """As `make run` serves: no token, writes from this machine."""
    env = {"FACTGRAPH_BASE_IRI": "http://localhost:8000/"}
    with served(seeded_store, env) as (base, _):
        failed = [_run(command, base, workdir, {}) for command in CURLS]
    assert [f for f in failed if f] == []


def test_readme_curl_examples_with_the_token_run_as_written(
    seeded_store: Path, workdir: Path
) -> None:
    env = {"FACTGRAPH_BASE_IRI": "http://localhost:8000/", "FACTGRAPH_UPDATE_TOKEN": TOKEN}
    with served(seeded_store, env) as (base, _):
        failed = [
            _run(command, base, workdir, {"FACTGRAPH_UPDATE_TOKEN": TOKEN})
            for command in TOKEN_CURLS
        ]
    assert [f for f in failed if f] == []


@pytest.mark.parametrize("command", QUERIES)
def test_readme_query_example_runs_as_written(
    command: str, seeded_store: Path, workdir: Path
) -> None:
    done = subprocess.run(
        ["bash", "-c", command], cwd=workdir,
        env={**os.environ, "FACTGRAPH_STORE": str(seeded_store)},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("│")]
    assert rows, done.stdout  # the seeds answer it
