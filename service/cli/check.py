"""`factgraph check [--repair]`: is the store whole, and its derived data in step?"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from service.analysis import AnalysisWriter
from service.bootstrap import text_indexer
from service.cli.common import StoreOption, fail, opened_store, settings_with
from service.pipeline.validate import Validator
from service.store import QueryError, QueryTimeoutError
from service.store.check import Problem, StoreCheck, bring_up_to_date, check_store
from service.textindex.attach import has_text_index
from service.textindex.sync import TextIndexer

__all__ = ["check_command"]

_SHOWN = 20  # problems listed; the rest are counted


def _report(found: StoreCheck, console: Console) -> None:
    shapes = f", {found.validated} checked against the shapes" if found.validated else ""
    console.print(f"{found.documents} documents{shapes}")
    if found.ok:
        console.print(
            "[green]ok[/green]: every document whole, comparisons and text index in step"
        )
        return
    table = Table("problem", "node", "why", show_lines=False)
    for problem in found.problems[:_SHOWN]:
        table.add_row(problem.kind, Text(problem.node), Text(problem.detail))
    console.print(table)
    if len(found.problems) > _SHOWN:
        console.print(f"... and {len(found.problems) - _SHOWN} more")


def _unindexed(text: TextIndexer | None) -> list[Problem]:
    """The documents whose text index entries lag their graph, or outlive it."""
    if text is None:
        return []
    lag = text.lagging()
    return [
        *(Problem("unindexed", iri, "its text index entries lag its graph", True)
          for iri in lag.indexed),
        *(Problem("unindexed", iri, "the text index holds a document that is gone", True)
          for iri in lag.dropped),
    ]


def check_command(
    store: StoreOption = None,
    repair: Annotated[
        bool, typer.Option("--repair", help="Rebuild the derived data that is out of step.")
    ] = False,
    shapes: Annotated[
        bool,
        typer.Option("--shapes/--no-shapes", help="Check each document against the shapes."),
    ] = True,
) -> None:
    """Verify the store: each document whole (its node, the shapes), none doubled, claim
    comparisons and the text index in step with the documents. Exit 0 when all is well (after
    --repair, when what was wrong is mended), 1 when something is wrong."""
    settings = settings_with(store)
    console = Console(soft_wrap=True, highlight=False)
    validator = Validator(settings.shapes_dir, settings.ontology_dir) if shapes else None
    with opened_store(settings, existing=True) as opened:
        # a store without a text index yet is not out of step (any start builds it): only
        # --repair makes one here
        text = text_indexer(opened, settings) if repair or has_text_index(opened) else None
        try:
            found = check_store(opened, settings.base_iri, validator)
            found.problems += _unindexed(text)
            _report(found, console)
            left = found.problems
            if repair and left:
                analysis = AnalysisWriter(opened, settings.base_iri)
                bring_up_to_date(opened, settings.base_iri, analysis, found)
                indexed = text.catch_up() if text is not None else None
                console.print(
                    f"repaired: {len(found.stale)} stale comparisons or runs removed, "
                    f"{len(found.lagging)} documents compared again"
                    + (f", {len(indexed.indexed)} documents indexed again, "
                       f"{len(indexed.dropped)} dropped from the text index" if indexed else "")
                )
                broken = [problem for problem in left if not problem.repairable]
                left = broken + check_store(opened, settings.base_iri).problems
                left += _unindexed(text)
        except (QueryError, QueryTimeoutError) as exc:
            fail(f"the check could not read the store: {exc}")
    if not left:
        return
    if repair:
        console.print(
            f"[red]{len(left)} problems remain[/red]: a document that is not whole cannot be "
            "rebuilt from the store; send it again (POST /documents or factgraph ingest)"
        )
    else:
        hint = " (factgraph check --repair rebuilds it)" if found.repairable else ""
        console.print(f"[red]the store is out of step[/red]{hint}")
    raise typer.Exit(1)
