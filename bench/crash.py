"""Crash trials: `factgraph serve` (while clients POST /documents) and `factgraph ingest` killed
with SIGKILL at random points, then the store reopened as a restart opens it.

Each trial writes short news paragraphs of its own (they count the same things, so their claims
are compared with each other's), starts the program in a session of its own, and kills it: in
about 40% of the trials at a random moment before the first document is acknowledged
(the pipeline starting, the first ingest running), in the others at a random moment within
`window` seconds after it. Then it counts:

- acknowledged: documents the program said it stored (HTTP 201 received; the CLI's
  "stored IRI" line read) before it died;
- lost: acknowledged, yet not in the store with the text that was sent;
- partial: a document graph without its document node, or not passing the shapes;
- doubled: a document node stated in a graph not its own;
- lagging: documents whose comparisons the kill left behind (rebuilt when the store is opened
  again: that is what the restart must do);
- out of step: anything `check_store` still finds after the restart;
- orphans: processes of the killed program's session still running 15 s after the kill.

`python -m bench.crash --trials 24` runs 24 of each kind and prints the table of bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
from rdflib import URIRef

from bench.processes import running_in_session, wait_until_session_ends
from service.bootstrap import build_app, configured
from service.pipeline.documents import Document
from service.pipeline.validate import Validator
from service.rdf import iris
from service.rdf.vocab import NIF
from service.store.check import check_store, document_graph
from service.store.oxigraph import OxigraphStore

__all__ = ["Trial", "run_trials", "table"]

ROOT = Path(__file__).resolve().parent.parent
BASE_IRI = "http://127.0.0.1:8000/"  # one base for every run over a store: its IRIs stay put
ORPHAN_SECONDS = 15.0
START_SECONDS = 180.0  # a program that acknowledges nothing by then is killed all the same
EARLY_SHARE = 0.4  # trials killed before the first acknowledgement

_PLACES = ("the city hospital", "the county clinic", "the regional hospital", "the children's ward")
_SPEAKERS = ("a spokesperson said", "officials said on Monday", "the health ministry said",
             "a hospital director told reporters")


@dataclass(slots=True)
class Trial:
    """One kill and what the store held after it."""

    kind: str  # the program killed: "serve" or "ingest"
    number: int
    killed_after: float  # seconds from the program's start
    early: bool  # killed before its first acknowledgement was due
    documents: int  # documents sent (or given to the CLI)
    acknowledged: int = 0
    lost: int = 0
    partial: int = 0
    doubled: int = 0
    lagging: int = 0
    out_of_step: int = 0
    orphans: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what was found, for a failure message


def paragraphs(trial: int, count: int, rng: random.Random) -> list[dict[str, str]]:
    """Short reports of one trial, all counting patients, so each is compared with others."""
    documents = []
    for n in range(count):
        patients = rng.randrange(200, 5000)
        doctors = rng.randrange(5, 90)
        text = (
            f"More than {patients:,} patients were treated at {rng.choice(_PLACES)} last week, "
            f"{rng.choice(_SPEAKERS)}. {doctors} doctors worked extra shifts in report "
            f"{trial}-{n}."
        )
        day = 1 + (trial + n) % 28
        documents.append(
            {"text": text, "publisher": "Example Wire", "date_published": f"2024-03-{day:02d}"}
        )
    return documents


def _environment() -> dict[str, str]:
    env = {**os.environ, "FACTGRAPH_BASE_IRI": BASE_IRI}
    env.setdefault("FACTGRAPH_ACTORS", str(ROOT / "seeds" / "actors.ttl"))
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Acks:
    """Acknowledged documents (IRI -> text), and the moment the first one came."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.texts: dict[str, str] = {}
        self.first = threading.Event()
        self.first_after: float | None = None  # seconds from the program's start
        self.lock = threading.Lock()

    def add(self, iri: str, text: str) -> None:
        with self.lock:
            self.texts[iri] = text
            if self.first_after is None:
                self.first_after = time.monotonic() - self.started
        self.first.set()


def _kill_when_due(
    process: subprocess.Popen, acks: _Acks, started: float, early_at: float | None, window: float,
    rng: random.Random,
) -> float:
    """SIGKILL the program at `early_at` s from its start, or a random moment within `window`
    s after its first acknowledgement; the seconds from its start when it was killed."""
    if early_at is not None:
        time.sleep(max(0.0, started + early_at - time.monotonic()))
    else:
        acks.first.wait(START_SECONDS)
        time.sleep(rng.uniform(0.0, window))
    process.kill()
    process.wait(30)
    return time.monotonic() - started


def _server_trial(
    store: Path, documents: list[dict[str, str]], early_at: float | None, window: float,
    rng: random.Random,
) -> tuple[_Acks, float, int]:
    port = _free_port()
    command = [sys.executable, "-m", "service.cli.app", "serve", "--store", str(store)]
    started = time.monotonic()
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    acks = _Acks(started)

    def post_all() -> None:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=START_SECONDS) as client:
            while process.poll() is None:  # wait until it listens
                try:
                    client.get("/healthz", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
            for document in documents:
                try:
                    response = client.post("/documents", json=document)
                except httpx.TransportError:
                    return  # the server died with this one in flight: not acknowledged
                if response.status_code == 201:
                    acks.add(response.json()["iri"], document["text"])

    client = threading.Thread(target=post_all, name="crash-client", daemon=True)
    client.start()
    killed = _kill_when_due(process, acks, started, early_at, window, rng)
    client.join(30)
    return acks, killed, process.pid


def _cli_trial(
    store: Path, documents: list[dict[str, str]], early_at: float | None, window: float,
    rng: random.Random, folder: Path,
) -> tuple[_Acks, float, int]:
    folder.mkdir(parents=True, exist_ok=True)
    for n, document in enumerate(documents):
        (folder / f"{n:03d}.json").write_text(json.dumps(document))
    command = [sys.executable, "-m", "service.cli.app", "ingest", str(folder)]
    started = time.monotonic()
    process = subprocess.Popen(
        [*command, "--store", str(store)],
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    acks = _Acks(started)
    prefix = f"stored {iris.documents_prefix(BASE_IRI)}"  # the CLI's line for a stored one
    by_iri = {
        iris.document(BASE_IRI, Document(text=document["text"]).doc_id): document["text"]
        for document in documents
    }

    def read_lines() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(prefix):
                iri = line.split()[1].rstrip(":")
                acks.add(iri, by_iri[iri])

    reader = threading.Thread(target=read_lines, name="crash-reader", daemon=True)
    reader.start()
    killed = _kill_when_due(process, acks, started, early_at, window, rng)
    reader.join(30)
    return acks, killed, process.pid


def _verify(trial: Trial, store_path: Path, acks: _Acks, validator: Validator,
            seen: set[str]) -> None:
    """Reopen the store as a restart does and count what is wrong (see the module's doc)."""
    settings = configured(base_iri=BASE_IRI, store=str(store_path))
    store = OxigraphStore(store_path)
    try:
        crashed = check_store(store, BASE_IRI)
        trial.lagging = len([p for p in crashed.problems if p.kind == "lagging"])
        trial.doubled = len([p for p in crashed.problems if p.kind == "doubled"])
        trial.partial = len([p for p in crashed.problems if p.kind == "partial"])
        build_app(settings, store)  # what `factgraph serve` does when it starts
        after = check_store(store, BASE_IRI)
        trial.out_of_step = len(after.problems)
        trial.problems = [f"{p.kind} {p.node}: {p.detail}" for p in after.problems]
        for iri, text in acks.texts.items():
            graph = document_graph(store, iri)
            stored = graph.value(URIRef(iris.text(iri)), NIF.isString) if graph else None
            if stored is None or str(stored) != text:
                trial.lost += 1
                trial.problems.append(f"lost {iri}")
        for iri in (d for d in after.document_iris if d not in seen):
            graph = document_graph(store, iri)
            if graph is None or not validator.validate(graph).conforms:
                trial.partial += 1
                trial.problems.append(f"not whole: {iri}")
            seen.add(iri)
    finally:
        store.close()


def run_trials(
    kind: str,
    trials: int,
    workdir: Path,
    *,
    documents: int = 12,
    window: float = 1.0,
    seed: int = 13,
    validator: Validator | None = None,
    progress: Callable[[Trial], None] | None = None,
) -> list[Trial]:
    """`trials` kills of one program ("serve" or "ingest") over one store in `workdir`: each
    trial starts over the store the last one crashed."""
    rng = random.Random(f"{kind}-{seed}")
    settings = configured()
    validator = validator or Validator(settings.shapes_dir, settings.ontology_dir)
    store = workdir / f"{kind}-store"
    seen: set[str] = set()
    first_ack: float | None = None  # seconds from start to the first acknowledgement, as seen
    done: list[Trial] = []
    for number in range(trials):
        batch = paragraphs(number, documents, rng)
        early = first_ack is not None and rng.random() < EARLY_SHARE
        early_at = rng.uniform(0.2, first_ack) if early and first_ack else None
        if kind == "serve":
            acks, killed, pid = _server_trial(store, batch, early_at, window, rng)
        else:
            folder = workdir / f"ingest-{number:03d}"
            acks, killed, pid = _cli_trial(store, batch, early_at, window, rng, folder)
        trial = Trial(kind, number, round(killed, 2), early, len(batch), len(acks.texts))
        trial.orphans = wait_until_session_ends(pid, ORPHAN_SECONDS)
        for orphan in running_in_session(pid):  # never leave one running behind a trial
            os.kill(orphan, signal.SIGKILL)
        if first_ack is None and acks.first_after is not None:
            first_ack = acks.first_after
        _verify(trial, store, acks, validator, seen)
        done.append(trial)
        if progress is not None:
            progress(trial)
    return done


def totals(trials: list[Trial]) -> dict[str, int]:
    return {
        "trials": len(trials),
        "killed before the first acknowledgement": sum(t.early for t in trials),
        "acknowledged": sum(t.acknowledged for t in trials),
        "lost": sum(t.lost for t in trials),
        "partial": sum(t.partial for t in trials),
        "doubled": sum(t.doubled for t in trials),
        "lagging at the kill (rebuilt at start)": sum(t.lagging for t in trials),
        "out of step after the restart": sum(t.out_of_step for t in trials),
        "orphans": sum(len(t.orphans) for t in trials),
    }


def table(results: dict[str, list[Trial]]) -> str:
    """The bench/README.md table: one column per kind of program killed."""
    kinds = list(results)
    sums = {kind: totals(trials) for kind, trials in results.items()}
    rows = ["| | " + " | ".join(f"`factgraph {k}` killed" for k in kinds) + " |",
            "|---|" + "---:|" * len(kinds)]
    for name in sums[kinds[0]]:
        rows.append(f"| {name} | " + " | ".join(str(sums[k][name]) for k in kinds) + " |")
    return "\n".join(rows)


def both(trials: int, workdir: Path, **options: object) -> dict[str, list[Trial]]:
    """Server and CLI trials side by side (two stores), sharing one shapes validator."""
    settings = configured()
    validator = Validator(settings.shapes_dir, settings.ontology_dir)
    with ThreadPoolExecutor(2) as pool:
        futures = {
            kind: pool.submit(run_trials, kind, trials, workdir, validator=validator, **options)
            for kind in ("serve", "ingest")
        }
        return {kind: future.result() for kind, future in futures.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=24, help="kills of each program")
    parser.add_argument("--documents", type=int, default=12, help="documents per trial")
    parser.add_argument("--window", type=float, default=1.0,
                        help="seconds after the first acknowledgement the kill falls in")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", type=Path, help="write every trial here")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="factgraph-crash-") as workdir:
        results = both(
            args.trials, Path(workdir), documents=args.documents, window=args.window,
            seed=args.seed,
            progress=lambda t: print(
                f"{t.kind} #{t.number}: killed at {t.killed_after:.1f} s, "
                f"{t.acknowledged} acknowledged, {t.lagging} lagging, {len(t.orphans)} orphans",
                file=sys.stderr, flush=True,
            ),
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        data = {kind: [asdict(t) for t in trials] for kind, trials in results.items()}
        args.json.write_text(json.dumps(data, indent=2))
    print(table(results))
    print(f"\n{time.monotonic() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
