"""A throwaway Virtuoso on free loopback ports, for the tests and benchmarks that need a
SPARQL server (scripts/virtuoso.sh starts it, installing Debian's package when it is missing)."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "virtuoso.sh"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def virtuoso_script(*args: str) -> None:
    """Run scripts/virtuoso.sh; a failure raises RuntimeError with the script's own words."""
    done = subprocess.run(
        ["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=900, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"scripts/virtuoso.sh {' '.join(args)} failed:\n{done.stderr[-3000:]}")


@contextmanager
def running_virtuoso(directory: Path) -> Iterator[str]:
    """A fresh Virtuoso with its files in `directory`; its store location
    (`sparql+http://127.0.0.1:PORT/sparql`). Stopped at the end."""
    http_port, sql_port = free_port(), free_port()
    virtuoso_script("start", str(directory), str(http_port), str(sql_port))
    try:
        yield f"sparql+http://127.0.0.1:{http_port}/sparql"
    finally:
        virtuoso_script("stop", str(directory))
