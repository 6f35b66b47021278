"""One query worker process: reads queries from a pipe, answers from a read-only checkpoint;
tries clients' updates on a checkpoint of their own, so one too long is stopped here.

Started by `service.store.workers` as `python -m service.store.query_worker IN_FD OUT_FD
BASE_IRI MAX_RESULT_BYTES FEDERATION MEMORY PREFIXES PARENT TEXT` (FEDERATION: a JSON list of
the SPARQL endpoints SERVICE may call; MEMORY: the bytes it may allocate, 0 for no limit;
PREFIXES: a JSON object, prefix to namespace, for graph answers; PARENT: the server's pid, whose
end ends the worker, even in the middle of a query; TEXT: a JSON list, empty or the IRI of
`fg:textScore` and the text index's directory, which the worker reads, never writes); it
imports only pyoxigraph, tantivy and the query code, so it starts in well under a second, and
it exits when the server closes the pipe. It holds no lock and writes nothing, so killing it
is always safe. Unless federation is on, it first leaves the network (service.store.offline):
nothing it runs can call out. Its memory is capped with RLIMIT_DATA (what it allocates, not
the libraries and files it maps): a query that needs more makes Oxigraph's allocator abort the
process, and the server replaces it.
"""

from __future__ import annotations

import json
import resource
import sys
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from service.lifeline import exit_with_parent
from service.store.base import Dataset
from service.store.evaluate import execute
from service.store.offline import close_network
from service.textindex.function import TextFunction

__all__ = ["main"]


def _try_update(path: str, sparql: str, *, base_iri: str | None) -> tuple:
    """Apply an update to a checkpoint of the store that is this job's alone (the server
    throws it away after): what the update costs, measured where it can be stopped."""
    try:
        trial = ox.Store(path)
        try:
            trial.update(sparql, base_iri=base_iri)
        finally:
            del trial  # closes the copy before the server removes it
    except SyntaxError as exc:
        return ("error", "QuerySyntaxError", str(exc))
    except Exception as exc:  # sent back by name; the server maps it to its class
        return ("error", type(exc).__name__, str(exc))
    return ("ok",)


def main(argv: list[str]) -> int:
    inbox = Connection(int(argv[1]), writable=False)
    outbox = Connection(int(argv[2]), readable=False)
    base_iri = argv[3] or None
    max_bytes = int(argv[4])
    federation = tuple(json.loads(argv[5]))
    memory = int(argv[6])
    prefixes = json.loads(argv[7])
    if memory > 0:
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    if not federation:
        close_network()  # first: a user namespace needs a process of one thread
    exit_with_parent(int(argv[8]))
    text = json.loads(argv[9])
    search = TextFunction(text[0], path=text[1]) if text else None
    opened: tuple[str, Any] | None = None
    try:
        while True:
            job, *arguments = inbox.recv()
            if job == "update":
                outbox.send(_try_update(*arguments, base_iri=base_iri))
                continue
            path, sparql, accept, default_graphs, named_graphs = arguments
            try:
                if opened is None or opened[0] != path:
                    opened = None  # close the old checkpoint before opening the new one
                    opened = (path, ox.Store.read_only(path))
                given = default_graphs or named_graphs
                dataset = Dataset(default_graphs, named_graphs) if given else None
                # the index is looked at (and its newest commit loaded) only when asked for
                wanted = search is not None and search.name in sparql
                functions = search.functions() if wanted else None
                result = execute(
                    opened[1], sparql, accept, dataset, base_iri, max_bytes, federation,
                    prefixes, functions,
                )
                outbox.send(("ok", result.body, result.media_type, result.form.value))
            except Exception as exc:  # sent back by name; the server maps it to its class
                outbox.send(("error", type(exc).__name__, str(exc)))
    except (EOFError, KeyboardInterrupt, BrokenPipeError):
        return 0  # the server closed the pipe, or is shutting down


if __name__ == "__main__":
    sys.exit(main(sys.argv))
