"""factgraph beside its peers, on the same gold texts with the same scoring.

    .venv/bin/python -m bench.peers [GOLD.json ...] [--json bench/out/peers.json]
    .venv/bin/python -m bench.peers ../shared/corpora/polnear-train/gold \
        --texts ../shared/corpora/polnear-train/articles \
        --precision-gold ../shared/corpora/polnear-train/gold-all --summary

Peers (pinned in the `peers` extra of pyproject.toml; `make bench-peers` installs and runs):

- statements: textacy's `direct_quotations` on a Doc from the service's own spaCy model. It
  raises on an odd number of quotation marks; such a document counts as nothing found.
  Also shown: "textacy (per paragraph)", a user's workaround that skips only refused lines.
- quantities: quantulum3's `parser.parse`. It has no hedge reading ("roughly", "more than"), so
  every quantity is `equal`; its `uncertainty` (set for "10-20" and "5 ± 1") is only counted.

factgraph runs for real: the same ingestor as `factgraph eval`, on an in-memory store.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from service.bootstrap import configured
from service.evaluation.gold import GoldDocument, load_gold
from service.evaluation.run import evaluate, find_gold_text, gold_files, spacy_lemmatizer
from service.evaluation.score import (
    DocumentScore,
    Lemmatize,
    PredictedQuantity,
    PredictedStatement,
    Prf,
    combined,
    score_document,
    summarise,
)

settings = configured()

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = PROJECT.parent / "shared" / "gold" / "seeds"
DEFAULT_TEXTS = (PROJECT / "seeds", PROJECT.parent / "shared" / "seeds")
PACKAGES = ("spacy", "textacy", "quantulum3", "scikit-learn")
TASKS = {
    "factgraph": ("statements", "quantities"),
    "textacy": ("statements",),
    "quantulum3": ("quantities",),
}


@dataclass(slots=True)
class PeerRun:
    """One system's scores per document, with notes on what went wrong along the way."""

    name: str
    documents: list[DocumentScore]
    notes: dict[str, list[str]] = field(default_factory=dict)
    precision: list[DocumentScore] | None = None  # against a second gold (PolNeAR gold-all)

    def totals(self, kind: str) -> tuple[Prf, Prf]:
        """One kind of score over all documents: against the gold (recall) and against the
        precision gold (the same gold when there is no second one)."""
        recall = getattr(summarise(self.documents), kind)
        if self.precision is None:
            return recall, recall
        return recall, getattr(summarise(self.precision), kind)


def _line_around(text: str, begin: int, end: int) -> str:
    """The line of text holding a span, to show where a prediction is."""
    stop = text.find("\n", end)
    return text[text.rfind("\n", 0, begin) + 1 : stop if stop >= 0 else len(text)]


def _triples_to_statements(doc, offset: int, prefix: str) -> list[PredictedStatement]:
    """textacy's direct quotations in `doc` as predictions; offsets shifted by `offset`."""
    from textacy.extract.triples import direct_quotations

    statements = []
    for index, triple in enumerate(direct_quotations(doc)):
        content = doc[triple.content[0].i : triple.content[-1].i + 1]
        statements.append(
            PredictedStatement(
                iri=f"{prefix}:{index}",
                content_span=(offset + content.start_char, offset + content.end_char),
                content=content.text,
                cue=" ".join(token.text for token in triple.cue),
                type="direct",
                speaker_mention=" ".join(token.text for token in triple.speaker),
                speaker_name=None,
                sentence=content[0].sent.text,
            )
        )
    return statements


def textacy_statements(nlp, text: str) -> tuple[list[PredictedStatement], list[str]]:
    """textacy on the whole document, as its docs show; its error if it refused the text."""
    try:
        return _triples_to_statements(nlp(text), 0, "textacy"), []
    except ValueError as exc:  # unbalanced quotation marks: its user gets nothing
        return [], [f"raised ValueError: {exc}"]


def textacy_paragraph_statements(nlp, text: str) -> tuple[list[PredictedStatement], list[str]]:
    """textacy one line (paragraph) at a time, skipping only the lines it refuses.

    A workaround a user could write; the whole-document run is the headline number.
    """
    starts, offset = [], 0
    for line in text.split("\n"):
        starts.append(offset)
        offset += len(line) + 1
    statements, errors = [], []
    lines = text.split("\n")
    for number, (start, doc) in enumerate(zip(starts, nlp.pipe(lines), strict=True)):
        try:
            statements += _triples_to_statements(doc, start, f"textacy-p{number}")
        except ValueError:
            errors.append(f"line {number + 1} skipped (odd quotation marks)")
    return statements, errors


def quantulum_quantities(text: str) -> tuple[list[PredictedQuantity], int]:
    """quantulum3's quantities as predictions, and how many carried an uncertainty."""
    from quantulum3 import parser

    quantities, uncertain = [], 0
    for index, quantity in enumerate(parser.parse(text)):
        begin, end = quantity.span
        uncertain += quantity.uncertainty is not None
        unit = quantity.unit.name
        quantities.append(
            PredictedQuantity(
                iri=f"quantulum3:{index}",
                span=(begin, end),
                text=quantity.surface,
                value=Decimal(str(quantity.value)),
                comparator="equal",
                counted=None if unit == "dimensionless" else unit,
                location=None,
                sentence=_line_around(text, begin, end),
            )
        )
    return quantities, uncertain


def run_peers(
    golds: Sequence[GoldDocument],
    texts: dict[str, str],
    lemmatize: Lemmatize,
    precision_golds: dict[str, GoldDocument] | None = None,
) -> list[PeerRun]:
    """Score textacy (statements only) and quantulum3 (quantities only) on each gold text."""
    import spacy

    nlp = spacy.load(settings.spacy_model)
    runs = {
        name: PeerRun(name, [], precision=None if precision_golds is None else [])
        for name in ("textacy", "textacy (per paragraph)", "quantulum3")
    }

    def scored(run: PeerRun, gold: GoldDocument, statements: list, quantities: list) -> None:
        run.documents.append(score_document(gold, text, statements, quantities, lemmatize))
        if run.precision is not None and precision_golds is not None:
            other = precision_golds[gold.file]
            run.precision.append(score_document(other, text, statements, quantities, lemmatize))

    for gold in golds:
        text = texts[gold.file]
        for name, extract in (
            ("textacy", textacy_statements),
            ("textacy (per paragraph)", textacy_paragraph_statements),
        ):
            statements, notes = extract(nlp, text)
            if notes:
                runs[name].notes[gold.file] = notes
            scored(runs[name], gold, statements, [])
        quantities, uncertain = quantulum_quantities(text)
        if uncertain:
            runs["quantulum3"].notes[gold.file] = [
                f"{uncertain} of {len(quantities)} quantities carry an uncertainty"
            ]
        scored(runs["quantulum3"], gold, [], quantities)
    return list(runs.values())


def run_factgraph(
    gold_paths: Sequence[Path],
    folders: Sequence[Path],
    lemmatize: Lemmatize,
    precision_folder: Path | None = None,
) -> PeerRun:
    """factgraph end to end, as `factgraph eval` runs it, on a fresh in-memory store."""
    from service.bootstrap import build_ingestor
    from service.store.oxigraph import OxigraphStore

    ingestor = build_ingestor(OxigraphStore(None), settings)
    evaluation = evaluate(
        gold_paths, ingestor, folders, lemmatize, settings.max_text_bytes, precision_folder
    )
    notes = {gold.file: [f"not stored: {why}"] for gold, why in evaluation.unstored}
    return PeerRun("factgraph", evaluation.documents, notes, evaluation.precision)


def _cells(strict: tuple[Prf, Prf], found: tuple[Prf, Prf]) -> list[str]:
    """P (from the precision gold), R, F1, found F1, and the counts behind R."""
    scores, found_scores = combined(*strict), combined(*found)
    recall = strict[0]
    return [
        f"{scores['precision']:.3f}",
        f"{scores['recall']:.3f}",
        f"{scores['f1']:.3f}",
        f"{found_scores['f1']:.3f}",
        f"{recall.correct}/{recall.predicted}/{recall.gold}",
    ]


def _short(file: str) -> str:
    """A seed's number ("000") for the table; other names as they are."""
    head = file.split("_", 1)[0]
    return head if head.isdigit() else file


def results_tables(runs: Sequence[PeerRun], *, summary: bool = False) -> list[Table]:
    """Statement and quantity P/R/F1 per system, per document and overall: one table each.

    A peer that does not attempt a task (textacy: quantities, quantulum3: statements) is left out
    of that table rather than shown as zeros. With `summary`, only the overall rows, and the
    statements by type (direct, indirect, mixed).
    """
    tables = []
    for title, task, strict, found in (
        ("statements (content+speaker+cue)", "statements", "statements", "statement_content"),
        ("quantities (value+comparator)", "quantities", "quantities", "quantity_found"),
    ):
        if not any(getattr(summarise(run.documents), strict).gold for run in runs):
            continue  # no gold of this kind in these files (PolNeAR has no quantities)
        table = Table(title=title, box=box.SIMPLE_HEAD)
        table.add_column("system")
        table.add_column("doc")
        for label in ("P", "R", "F1", "found F1", "c/p/g"):
            table.add_column(label, justify="right")
        for run in runs:
            if task not in TASKS[run.name.split(" ")[0]]:
                continue
            for document in [] if summary else run.documents:
                scores = document.scores
                one = (getattr(scores, strict), getattr(scores, strict))
                table.add_row(
                    run.name,
                    _short(document.gold.file),
                    *_cells(one, (getattr(scores, found), getattr(scores, found))),
                )
            if summary and task == "statements":
                by_recall = summarise(run.documents).by_type
                by_precision = summarise(run.precision or run.documents).by_type
                for kind in ("direct", "indirect", "mixed"):
                    pair = (by_recall.get(kind, Prf()), by_precision.get(kind, Prf()))
                    table.add_row(run.name, kind, *_cells(pair, pair)[:3], "", "")
            table.add_row(
                run.name,
                "all",
                *_cells(run.totals(strict), run.totals(found)),
                end_section=True,
                style="bold",
            )
        tables.append(table)
    return tables


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {"spacy_model": settings.spacy_model}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def to_json(runs: Sequence[PeerRun]) -> dict:
    """Every score, per system and document, with the versions that produced them."""
    return {
        "versions": _versions(),
        "systems": {
            run.name: {
                "overall": summarise(run.documents).to_json(),
                "overall_precision_gold": summarise(run.precision).to_json()
                if run.precision is not None
                else None,
                "documents": {d.gold.file: d.scores.to_json() for d in run.documents},
                "notes": run.notes,
            }
            for run in runs
        },
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Score the peers and factgraph on the gold files; print a table, optionally write JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.peers", description=__doc__)
    parser.add_argument("gold", nargs="*", type=Path, help="gold files (default: seed gold)")
    parser.add_argument("--texts", action="append", type=Path, help="folders holding the texts")
    parser.add_argument("--json", type=Path, help="write the scores here")
    parser.add_argument(
        "--precision-gold", type=Path,
        help="a folder of gold files for the same texts to take precision from (PolNeAR gold-all)",
    )
    parser.add_argument("--summary", action="store_true", help="overall rows and types only")
    args = parser.parse_args(argv)

    gold_paths = gold_files(args.gold) if args.gold else sorted(DEFAULT_GOLD.glob("*.gold.json"))
    if not gold_paths:
        raise SystemExit(f"no gold files given and none in {DEFAULT_GOLD}")
    folders = args.texts or list(DEFAULT_TEXTS)
    golds = [load_gold(path) for path in gold_paths]
    texts = {
        gold.file: find_gold_text(
            gold, [*folders, gold.path.parent.parent.parent / "seeds"], settings.max_text_bytes
        ).text
        for gold in golds
    }
    lemmatize = spacy_lemmatizer(settings.spacy_model)
    precision_golds = (
        {gold.file: load_gold(args.precision_gold / gold.path.name) for gold in golds}
        if args.precision_gold
        else None
    )
    runs = [run_factgraph(gold_paths, folders, lemmatize, args.precision_gold)]
    runs += run_peers(golds, texts, lemmatize, precision_golds)

    console = Console()
    for table in results_tables(runs, summary=args.summary):
        console.print(table)
    for run in runs:
        if args.summary and run.notes:
            console.print(f"{run.name}: notes on {len(run.notes)} documents (--json has them)")
            continue
        for file, notes in run.notes.items():
            for note in notes:
                console.print(f"{run.name} {file}: {note}", markup=False, highlight=False)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(to_json(runs), indent=2) + "\n", encoding="utf-8")
        console.print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
