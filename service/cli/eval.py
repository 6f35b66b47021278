"""`factgraph eval GOLD...`: extraction quality on the stored graph, against hand gold.

Folders of gold files are read whole; an article that cannot be stored is reported and its
gold counted as missed, never stopping the others. `--precision-gold` takes precision from a
second gold of the same texts (PolNeAR's every-attribution set) while recall comes from GOLD.
"""

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
from service.evaluation.score import Prf, combined, miss_kinds

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


def _combined_table(recall: Scores, precision: Scores) -> Table:
    table = Table("measure", "precision", "recall", "F1", title="precision and recall combined")
    rows = [("statements (content+speaker+cue)", recall.statements, precision.statements)]
    rows += [("statement content found", recall.statement_content, precision.statement_content)]
    rows += [
        (f"  {kind}", prf, precision.by_type.get(kind, Prf()))
        for kind, prf in sorted(recall.by_type.items())
    ]
    for name, r, p in rows:
        values = combined(r, p)
        table.add_row(name, *(f"{values[k]:.3f}" for k in ("precision", "recall", "f1")))
    return table


def _kinds_table(kinds: dict[str, int], title: str) -> Table:
    table = Table("kind", "count", title=title)
    for kind, count in kinds.items():
        table.add_row(kind, str(count))
    return table


def eval_command(
    gold: Annotated[
        list[Path], typer.Argument(help="Gold files (EVALUATION.md format), or folders of them.")
    ],
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the scores here.")] = None,
    store: Annotated[
        str | None,
        typer.Option(help="Score this store's graphs (default: a fresh temporary store)."),
    ] = None,
    texts: Annotated[
        list[Path] | None, typer.Option(help="Folders holding the annotated texts.")
    ] = None,
    precision_gold: Annotated[
        Path | None,
        typer.Option(
            help="A folder of gold files for the same texts to take precision from (PolNeAR: "
            "gold-all/, every attribution), while recall comes from GOLD."
        ),
    ] = None,
    details: Annotated[
        bool, typer.Option(help="Print each document's misses, false finds and scores.")
    ] = False,
) -> None:
    """Score extraction on the graph the service stores, read back with SPARQL."""
    # Imported here: it loads spaCy, which no other command's process needs (`serve`, and the
    # workers "spawn" starts, import this module too).
    from service.evaluation.run import EvaluationError, evaluate, spacy_lemmatizer

    if precision_gold is not None and not precision_gold.is_dir():
        fail(f"{precision_gold}: no such folder")
    with tempfile.TemporaryDirectory(prefix="factgraph-eval-") as scratch:
        settings = settings_with(store or str(Path(scratch) / "store"))
        with opened_store(settings) as opened:
            store_registry(opened, settings)
            with closing(build_ingestor(opened, settings)) as ingestor:
                try:
                    result = evaluate(
                        gold,
                        ingestor,
                        texts or [],
                        spacy_lemmatizer(settings.spacy_model),
                        settings.max_text_bytes,
                        precision_gold,
                    )
                except EvaluationError as exc:
                    fail(str(exc))
    console = Console(soft_wrap=True)
    documents = result.documents
    if details:
        _report(console, documents)
        for document in documents:
            console.print(scores_table(document.scores, document.gold.file))
    for document, reason in result.unstored:
        console.print(
            f"not stored, its gold counted as missed: {document.file}: {reason}", markup=False
        )
    total = summarise(documents)
    kinds = miss_kinds(documents)
    console.print(_kinds_table(kinds, "misses by kind"))
    payload: dict = {
        "documents": {d.gold.file: d.scores.to_json() for d in documents},
        "all": total.to_json(),
        "misses_by_kind": kinds,
        "not_stored": {d.file: reason for d, reason in result.unstored},
    }
    console.print(scores_table(total, f"all documents ({len(documents)})"))
    if result.precision is not None:
        precise = summarise(result.precision)
        console.print(_combined_table(total, precise))
        payload["combined"] = {
            "statements": combined(total.statements, precise.statements),
            "by_type": {
                kind: combined(prf, precise.by_type.get(kind, Prf()))
                for kind, prf in sorted(total.by_type.items())
            },
        }
    if json_path is not None:
        json_path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
