"""`factgraph eval GOLD.json...`: extraction quality on the stored graph, against hand gold."""

from __future__ import annotations

import json
import tempfile
from contextlib import closing
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from service.bootstrap import build_ingestor, store_registry
from service.cli.common import fail, opened_store, settings_with
from service.evaluation import DocumentScore, Scores, summarise
from service.evaluation.run import EvaluationError, evaluate, spacy_lemmatizer
from service.evaluation.score import Prf

__all__ = ["eval_command", "scores_table"]


def _row(name: str, prf: Prf) -> tuple[str, ...]:
    return (
        name,
        f"{prf.precision:.3f}",
        f"{prf.recall:.3f}",
        f"{prf.f1:.3f}",
        f"{prf.correct}/{prf.predicted}/{prf.gold}",
    )


def scores_table(scores: Scores, title: str) -> Table:
    """The evaluation as a table: P, R, F1 and the counts behind them."""
    table = Table("measure", "precision", "recall", "F1", "correct/predicted/gold", title=title)
    table.add_row(*_row("statements (content+speaker+cue)", scores.statements))
    table.add_row(*_row("statement content found", scores.statement_content))
    for kind, prf in sorted(scores.by_type.items()):
        table.add_row(*_row(f"  {kind}", prf))
    table.add_row(*_row("quantities (value+comparator)", scores.quantities))
    table.add_row(*_row("quantity span found", scores.quantity_found))
    data = scores.to_json()
    for name in ("speaker_accuracy", "cue_accuracy", "counted_head_accuracy", "location_accuracy"):
        table.add_row(name.replace("_", " "), "", "", "", f"{data[name]:.3f}")
    return table


def _report(console: Console, documents: list[DocumentScore]) -> None:
    for document in documents:
        console.print(f"\n[bold]{document.gold.file}[/bold]")
        for line in document.misses:
            console.print(f"  miss  {line}", markup=False)
        for line in document.false_finds:
            console.print(f"  false {line}", markup=False)


def eval_command(
    gold: Annotated[list[Path], typer.Argument(help="Gold files (EVALUATION.md format).")],
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the scores here.")] = None,
    store: Annotated[
        str | None,
        typer.Option(help="Score this store's graphs (default: a fresh temporary store)."),
    ] = None,
    texts: Annotated[
        list[Path] | None, typer.Option(help="Folders holding the annotated texts.")
    ] = None,
) -> None:
    """Score extraction on the graph the service stores, read back with SPARQL."""
    for path in gold:
        if not path.is_file():
            fail(f"{path}: no such file")
    with tempfile.TemporaryDirectory(prefix="factgraph-eval-") as scratch:
        settings = settings_with(store or str(Path(scratch) / "store"))
        with opened_store(settings) as opened:
            store_registry(opened, settings)
            with closing(build_ingestor(opened, settings)) as ingestor:
                try:
                    documents = evaluate(
                        gold,
                        ingestor,
                        texts or [],
                        spacy_lemmatizer(settings.spacy_model),
                        settings.max_text_bytes,
                    )
                except EvaluationError as exc:
                    fail(str(exc))
    console = Console(soft_wrap=True)
    _report(console, documents)
    for document in documents:
        console.print(scores_table(document.scores, document.gold.file))
    total = summarise(documents)
    console.print(scores_table(total, "all documents"))
    if json_path is not None:
        payload = {
            "documents": {d.gold.file: d.scores.to_json() for d in documents},
            "all": total.to_json(),
        }
        json_path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
