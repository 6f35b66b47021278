"""`factgraph reindex`: the text index made anew from the store's documents."""

from __future__ import annotations

import time

import typer

from service.bootstrap import text_indexer
from service.cli.common import StoreOption, fail, opened_store, settings_with
from service.store import QueryError, QueryTimeoutError

__all__ = ["reindex_command"]


def reindex_command(store: StoreOption = None) -> None:
    """Rebuild the full-text index of statements, quantity claims and actor names from every
    document in the store (the server and `factgraph ingest` keep it in step, and re-index
    what lags when they start; this is for an index that is lost, or a store changed by
    SPARQL UPDATE or the Graph Store Protocol). Exit 2 for a remote store: it has no index."""
    settings = settings_with(store)
    with opened_store(settings, existing=True) as opened:
        indexer = text_indexer(opened, settings)
        if indexer is None:
            fail(
                f"the store at {settings.store} is a SPARQL server: it has no local text index "
                "to rebuild (who-said scans it)"
            )
        started = time.perf_counter()
        try:
            documents = indexer.rebuild()
        except (QueryError, QueryTimeoutError) as exc:
            fail(f"the index could not read the store: {exc}")
        size = indexer.index.size_bytes()
        typer.echo(
            f"indexed {documents} documents in {time.perf_counter() - started:.1f} s; "
            f"the index takes {size / 1e6:.1f} MB at {indexer.index.path}"
        )
