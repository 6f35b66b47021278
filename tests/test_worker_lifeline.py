"""Worker processes end with their parent, even when it is killed with SIGKILL: the
extraction workers and the query workers, busy or idle, and with them
multiprocessing's resource tracker. None is left running beside a dead server or CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from bench.processes import running_in_session, wait_until_session_ends

ROOT = Path(__file__).resolve().parent.parent

# A parent with every kind of worker at work: an extraction worker on a text that never
# finishes, a query worker counting a cartesian product.
PARENT = """
import sys, threading, time
from pathlib import Path

from extraction_fakes import serve_by_instruction
from service.pipeline.documents import Document
from service.pipeline.extraction import ExtractionWorkers, ExtractorConfig
from service.store.oxigraph import OxigraphStore, QueryLimits

if __name__ == "__main__":
    extractor = ExtractionWorkers(
        ExtractorConfig(model="none", registry=()), serve=serve_by_instruction
    )
    hang = [Document("HANG")]
    threading.Thread(target=lambda: list(extractor.extract(hang)), daemon=True).start()

    store = OxigraphStore(sys.argv[1], limits=QueryLimits(timeout=600, workers=1))
    lines = "".join(f"<urn:s{i}> <urn:p> <urn:o{i}> .\\n" for i in range(2000))
    store.add_triples("urn:g", lines.encode())
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    accept = ["application/sparql-results+json"]
    threading.Thread(target=lambda: store.query(endless, accept), daemon=True).start()
    time.sleep(3)  # the extraction worker loads nothing; the query worker is counting
    print("ready", flush=True)
    time.sleep(3600)
"""


def test_workers_and_the_resource_tracker_end_when_their_parent_is_killed(
    tmp_path: Path,
) -> None:
    program = tmp_path / "parent.py"
    program.write_text(PARENT)
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
    parent = subprocess.Popen(
        [sys.executable, str(program), str(tmp_path / "store")],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline().strip() == "ready"
        workers = [pid for pid in running_in_session(parent.pid) if pid != parent.pid]
        # extraction, query worker and the resource tracker
        assert len(workers) >= 3, workers
        parent.kill()
        parent.wait(10)
        assert wait_until_session_ends(parent.pid, 20) == []
    finally:
        if parent.poll() is None:
            parent.kill()
        for pid in running_in_session(parent.pid):  # never leave one behind a failed test
            os.kill(pid, signal.SIGKILL)
