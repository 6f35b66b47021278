"""Claim comparisons, measured: precision and recall of each status against a hand-labelled
gold of claim pairs from PolNeAR articles that cover the same campaign days.

The gold (bench/comparisons/gold.json) names each pair by article file and the character
offsets of both quantity mentions, with its true status (conflict, corroboration, related,
not comparable) and a short reason; it holds no article text. This tool ingests the gold's
articles into a fresh in-memory store through the real Ingestor (extraction, SHACL, store,
claim comparison), reads the stored comparisons back, and scores each labelled pair: its
predicted status is the stored comparison's, or "not comparable" when none is stored.

Precision of a status counts every stored comparison of that status between the gold's
articles; one whose pair is not labelled is reported as `unlabelled` (and left out of the
precision) so a rule that starts flagging new pairs shows up. `--list` prints every stored
comparison (with the sentences, on the terminal only) as a labelling aid.

    .venv/bin/python -m bench.comparisons
    .venv/bin/python -m bench.comparisons --list conflict
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.quality import SHARED
from service.pipeline.documents import Document, document_from_json

GOLD = Path(__file__).resolve().parent / "comparisons" / "gold.json"
ARTICLES = SHARED / "corpora" / "polnear-train" / "articles"
STATUSES = ("conflict", "corroboration", "related", "not comparable")
NOT_COMPARABLE = "not comparable"

Side = tuple[str, int, int]  # article file, mention start, mention end


@dataclass(frozen=True, slots=True)
class GoldPair:
    a: Side
    b: Side
    status: str
    reason: str


@dataclass(frozen=True, slots=True)
class Claim:
    iri: str
    side: Side


def load_gold(path: Path = GOLD) -> list[GoldPair]:
    pairs = []
    for entry in json.loads(path.read_text(encoding="utf-8"))["pairs"]:
        a, b = ((s["document"], s["start"], s["end"]) for s in (entry["a"], entry["b"]))
        if entry["status"] not in STATUSES:
            raise ValueError(f"unknown status {entry['status']!r} in {path}")
        pairs.append(GoldPair(a, b, entry["status"], entry.get("reason", "")))
    return pairs


def _overlaps(side: Side, claim: Side) -> bool:
    return side[0] == claim[0] and side[1] < claim[2] and claim[1] < side[2]


def find_claim(side: Side, claims: Iterable[Claim]) -> Claim | None:
    """The stored claim whose mention overlaps the gold's (the extractor may widen it)."""
    found = [c for c in claims if _overlaps(side, c.side)]
    found.sort(key=lambda c: abs(c.side[1] - side[1]) + abs(c.side[2] - side[2]))
    return found[0] if found else None


@dataclass(slots=True)
class Table:
    """Per status: how often it was predicted, true, and both."""

    predicted: Counter[str]
    gold: Counter[str]
    right: Counter[str]
    unlabelled: Counter[str]
    missing_sides: int = 0

    def rows(self) -> Iterator[dict[str, Any]]:
        for status in STATUSES:
            predicted, gold, right = (self.predicted[status], self.gold[status],
                                      self.right[status])
            yield {
                "status": status,
                "gold": gold,
                "predicted": predicted,
                "right": right,
                "precision": round(right / predicted, 3) if predicted else None,
                "recall": round(right / gold, 3) if gold else None,
                "unlabelled": self.unlabelled[status],
            }


def score(gold: list[GoldPair], claims: list[Claim],
          stored: dict[frozenset[str], str]) -> tuple[Table, list[dict[str, Any]]]:
    """The table, and each gold pair with what was predicted for it."""
    table = Table(Counter(), Counter(), Counter(), Counter())
    labelled: set[frozenset[str]] = set()
    judged = []
    for pair in gold:
        a, b = find_claim(pair.a, claims), find_claim(pair.b, claims)
        if a is None or b is None:
            table.missing_sides += 1
        key = frozenset((a.iri, b.iri)) if a is not None and b is not None else frozenset()
        predicted = stored.get(key, NOT_COMPARABLE)
        labelled.add(key)
        table.gold[pair.status] += 1
        table.predicted[predicted] += 1
        table.right[predicted] += predicted == pair.status
        judged.append({"a": pair.a, "b": pair.b, "gold": pair.status, "predicted": predicted,
                       "reason": pair.reason})
    for key, status in stored.items():
        if key not in labelled:
            table.unlabelled[status] += 1
    return table, judged


# --- the run ------------------------------------------------------------------------------------


def _documents(names: Iterable[str]) -> dict[str, Document]:
    return {
        name: document_from_json((ARTICLES / name).read_bytes(), max_text_bytes=10**8,
                                 source=name)
        for name in sorted(set(names))
    }


def ingest(documents: dict[str, Document]) -> tuple[Any, dict[str, str]]:
    """A fresh in-memory store holding the documents, compared as the service compares them."""
    from service.bootstrap import build_ingestor, configured, store_registry
    from service.pipeline.graph import document_iri
    from service.store.oxigraph import OxigraphStore

    settings = configured()
    store = OxigraphStore(None)
    store_registry(store, settings)
    ingestor = build_ingestor(store, settings)
    try:
        for result in ingestor.ingest(documents.values()):
            if not result.stored:
                raise SystemExit(f"{result.document.source}: {result.reason}")
    finally:
        ingestor.close()
    return store, {document_iri(settings.base_iri, d): n for n, d in documents.items()}


def read_back(store: Any, names: dict[str, str]) -> tuple[list[Claim], list[dict[str, Any]]]:
    from service.bootstrap import configured
    from service.evaluation.readback import read_quantities
    from service.read.comparisons import list_comparisons

    claims = [
        Claim(q.iri, (name, q.span[0], q.span[1]))
        for iri, name in names.items() for q in read_quantities(store, iri)
    ]
    return claims, list_comparisons(store, configured().base_iri)


def _stored(comparisons: list[dict[str, Any]]) -> dict[frozenset[str], str]:
    return {frozenset(side["claim"] for side in c["claims"]): c["status"] for c in comparisons
            if all(side["kind"] == "QuantityClaim" for side in c["claims"])}


def _print_listing(comparisons: list[dict[str, Any]], claims: list[Claim], status: str) -> None:
    where = {c.iri: c.side for c in claims}
    for c in comparisons:
        if status != "all" and c["status"] != status:
            continue
        print(c["status"].upper(), "|", c["reason"])
        for side in c["claims"]:
            print("   ", where.get(side["claim"]), "|", side["sentence"]["text"][:220])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--list", choices=("all", *STATUSES[:3]),
                        help="print the stored comparisons of this status and stop")
    parser.add_argument("--articles", nargs="*", default=(),
                        help="ingest these articles too (file names), for --list")
    parser.add_argument("--json", type=Path, help="also write the table and pairs here")
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    names = [side[0] for pair in gold for side in (pair.a, pair.b)] + list(args.articles)
    store, iris = ingest(_documents(names))
    claims, comparisons = read_back(store, iris)
    if args.list:
        _print_listing(comparisons, claims, args.list)
        return 0
    table, judged = score(gold, claims, _stored(comparisons))
    report = {"articles": len(iris), "pairs": len(gold), "sides_not_extracted":
              table.missing_sides, "table": list(table.rows())}
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps({**report, "pairs": judged}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
