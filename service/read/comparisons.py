"""The stored comparisons read back as plain data: each with its status, reason and both sides.

Each side carries what a fact-checker needs to look the claim up: its document and outlet,
the mention and the sentence with its offsets, and the number or the dates it states. A
reviewer's latest judgement of a comparison wins over the machine's: a rejected one has the
status "rejected" (listed last, never under the status the machine gave it), a confirmed one
keeps its status with the judgement shown; `machine_status` is what the analysis said.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from service.analysis.compare import Status
from service.claimreview.judgements import Judgement, latest_judgements
from service.rdf import iris
from service.rdf.vocab import FG
from service.read.rows import Row, local_name
from service.sparql import load, with_values
from service.store import Store, iri_term

__all__ = [
    "REJECTED",
    "STATUS_NAMES",
    "UnknownStatusError",
    "judged_comparisons",
    "list_comparisons",
    "parse_status",
]

REJECTED = "rejected"  # the status of a comparison a reviewer rejected

STATUS_NAMES: tuple[str, ...] = tuple(status.query_name for status in Status)
_RANK = {str(FG[status.value]): rank for rank, status in enumerate(Status)}  # conflicts first


class UnknownStatusError(ValueError):
    """A status filter that names no status."""


def parse_status(name: str | None) -> Status | None:
    """`conflict`, `corroboration`, `related` (any case), or None for all."""
    if name is None or name == "":
        return None
    for status in Status:
        if status.query_name == name.strip().lower():
            return status
    raise UnknownStatusError(f"unknown status {name[:40]!r}; use one of: {', '.join(STATUS_NAMES)}")


def _number(text: str | None) -> float | int | None:
    if text is None:
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


def _side(row: Row) -> dict[str, Any]:
    kind = local_name(row["kind"])
    side: dict[str, Any] = {
        "claim": row["claim"],
        "kind": kind,
        "key": row["key"],
        "document": row["document"],
        "publisher": row["publisher"],
        "date_published": row["datePublished"],
        "claimant": row["claimant"],
        "mention": row["mention"],
        "sentence": {
            "iri": row["sentence"],
            "text": row["sentenceText"],
            "begin": int(row["begin"] or 0),
            "end": int(row["end"] or 0),
        },
    }
    if kind == "QuantityClaim":
        side.update(
            value=_number(row["value"]),
            comparator=local_name(row["comparator"]) or None,
            interval={"min": _number(row["min"]), "max": _number(row["max"])},
            unit=row["unit"],
            location=row["locationName"],
            time=row["time"],
            time_start=row["timeStart"],
            time_end=row["timeEnd"],
        )
    else:
        side.update(
            date_text=row["dateText"],
            interval={"earliest": row["earliest"], "latest": row["latest"]},
        )
    return side


def _group(rows: Iterable[Row]) -> list[dict[str, Any]]:
    """One entry per comparison with exactly two sides (rows repeat on OPTIONAL joins)."""
    comparisons: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = row["comparison"] or ""
        entry = comparisons.setdefault(
            iri,
            {
                "iri": iri,
                "status": local_name(row["status"]).lower(),
                "rank": _RANK.get(row["status"] or "", len(_RANK)),
                "reason": row["reason"],
                "run": row["run"],
                "compared_at": row["endedAt"],
                "claims": {},
            },
        )
        entry["claims"].setdefault(row["claim"], _side(row))
    result = []
    for entry in comparisons.values():
        sides = sorted(entry.pop("claims").values(), key=lambda s: s["document"] or "")
        if len(sides) == 2:  # a side whose document is gone is not shown half
            result.append({**entry, "claims": sides})
    result.sort(key=lambda e: (e.pop("rank"), e["iri"]))
    return result


def judged_comparisons(
    comparisons: list[dict[str, Any]], judgements: dict[str, Judgement]
) -> list[dict[str, Any]]:
    """The comparisons with the reviewers' judgements applied: a rejected one's status is
    "rejected" and it moves to the end; each carries its judgement (or None)."""
    shown = []
    for comparison in comparisons:
        judgement = judgements.get(comparison["iri"])
        rejected = judgement is not None and judgement.verdict == REJECTED
        shown.append({
            **comparison,
            "status": REJECTED if rejected else comparison["status"],
            "machine_status": comparison["status"],
            "judgement": judgement.to_json() if judgement else None,
        })
    shown.sort(key=lambda c: c["status"] == REJECTED)  # stable: conflicts still first
    return shown


def list_comparisons(
    store: Store, base_iri: str, status: Status | None = None, document: str | None = None
) -> list[dict[str, Any]]:
    """Every comparison (or those with `status`: none a reviewer rejected; or those of the
    claims of `document`, an IRI), conflicts first, then corroborations, related, and last
    the rejected."""
    bindings = {"analysis": iri_term(iris.analysis_graph(base_iri))}
    if status is not None:
        bindings["status"] = iri_term(FG[status.value])
    if document is not None:
        bindings["focus"] = iri_term(document)
    # VALUES, not the engine's substitution: the filter must see ?focus bound or not
    rows = store.select(with_values(load("read/comparisons.rq"), bindings))
    found = judged_comparisons(_group(rows), latest_judgements(store))
    if status is not None:
        found = [c for c in found if c["status"] != REJECTED]
    return found
