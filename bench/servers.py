"""The servers the benchmarks talk to, on 127.0.0.1: `factgraph serve` and rdflib-endpoint.

Both run as their users run them (their own CLI, in a subprocess); each is watched by a
sampler that adds up the resident memory of the process and of every process it spawned.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from service.bootstrap import configured

settings = configured()

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TreeSampler:
    """Samples the RSS of a process and all its descendants every `interval` seconds.

    `peak` is the largest sum seen (the tree's peak), `peak_main` the process's own; `mark()`
    keeps the peak so far under a name. The kernel's own high-water mark of the main process
    (VmHWM) is read too: it cannot miss a peak shorter than the interval.
    """

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.peak_main = 0
        self.peak_processes = 0
        self.marks: dict[str, dict[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> tuple[int, int, int]:
        """(RSS of the tree, RSS of the main process, processes in the tree), in bytes."""
        try:
            main = self.process.memory_info().rss
            children = self.process.children(recursive=True)
        except psutil.Error:
            return 0, 0, 0
        total = main
        for child in children:
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        return total, main, 1 + len(children)

    def _run(self) -> None:
        while not self._stop.is_set():
            total, main, processes = self.sample()
            self.peak = max(self.peak, total)
            self.peak_main = max(self.peak_main, main)
            self.peak_processes = max(self.peak_processes, processes)
            self._stop.wait(self.interval)

    def hwm_main(self) -> int | None:
        """The kernel's peak RSS of the main process (VmHWM), in bytes."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        return None

    def mark(self, name: str) -> dict[str, float]:
        total, main, processes = self.sample()
        hwm = self.hwm_main()
        self.marks[name] = {
            "rss_tree_mib": round(total / MIB, 1),
            "rss_main_mib": round(main / MIB, 1),
            "processes": processes,
            "peak_tree_mib": round(self.peak / MIB, 1),
            "peak_main_mib": round(self.peak_main / MIB, 1),
            "peak_processes": self.peak_processes,
            "vmhwm_main_mib": round(hwm / MIB, 1) if hwm else None,
        }
        return self.marks[name]


@dataclass
class Server:
    name: str
    base: str  # http://127.0.0.1:port
    sparql: str  # the query endpoint's path
    process: subprocess.Popen
    sampler: TreeSampler
    started_seconds: float
    notes: dict[str, str] = field(default_factory=dict)


def _wait_ready(process: subprocess.Popen, probe: str, deadline_s: float, log: Path) -> float:
    start = time.monotonic()
    while True:
        try:
            if httpx.get(probe, timeout=5).status_code < 500:
                return time.monotonic() - start
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() - start > deadline_s:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise RuntimeError(f"server did not start ({' '.join(process.args)}):\n{tail}")
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and every process it spawned (by their ids, not by name)."""
    children: list[psutil.Process] = []
    with contextlib.suppress(psutil.Error):
        children = psutil.Process(process.pid).children(recursive=True)
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)
    for child in children:  # anything the server left behind
        with contextlib.suppress(psutil.Error):
            child.kill()


@contextlib.contextmanager
def factgraph_server(
    store: Path, env: dict[str, str] | None = None, log_dir: Path | None = None
) -> Iterator[Server]:
    """`factgraph serve --store <copy of store>` as tests/conftest.py's live_server starts it.

    It serves a copy, so the cached store stays as it was built. The base IRI is the one the
    store was built with (minted IRIs resolve the same way).
    """
    scratch = Path(tempfile.mkdtemp(prefix="factgraph-serve-", dir=store.parent))
    copy = scratch / "store"
    shutil.copytree(store, copy)
    port = free_port()
    environ = {**os.environ, "FACTGRAPH_BASE_IRI": settings.base_iri, **(env or {})}
    log = (log_dir or scratch) / "factgraph-serve.log"  # appended to: one per size
    command = [sys.executable, "-m", "service.cli.app", "serve", "--store", str(copy)]
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            env=environ,
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        seconds = _wait_ready(process, f"{base}/healthz", 300, log)
        with TreeSampler(process.pid) as sampler:
            yield Server("factgraph", base, "/sparql", process, sampler, seconds)
    finally:
        _stop(process)
        shutil.rmtree(scratch, ignore_errors=True)


@contextlib.contextmanager
def rdflib_server(nquads: Path, log_dir: Path, deadline_s: float = 1800) -> Iterator[Server]:
    """rdflib-endpoint's own CLI (`rdflib-endpoint serve FILE`): an rdflib Dataset with
    default_union=True, loaded from N-Quads, served by its FastAPI app at `/`."""
    port = free_port()
    log = log_dir / "rdflib-endpoint.log"
    command = [sys.executable, "-m", "rdflib_endpoint", "serve", str(nquads)]
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        with TreeSampler(process.pid, interval=0.5) as sampler:
            seconds = _wait_ready(process, f"{base}/?query=ASK%7B%7D", deadline_s, log)
            yield Server("rdflib-endpoint", base, "/", process, sampler, seconds)
    finally:
        _stop(process)
