"""Review links, measured: does a ClaimReview link to the claim it reviews, or to nothing?

The seeds are ingested by the real pipeline into a store in memory; each review of
bench/reviews/seed_reviews.json is matched against every stored claim, as `POST /claimreviews`
does. A review is right when it links exactly the claim it is labelled with (or, labelled
with none, links nothing). Link precision counts the links made that are right; recall counts
the labelled reviews whose claim was linked.

    .venv/bin/python -m bench.review_links
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from service.bootstrap import build_ingestor, configured, store_registry
from service.claimreview.claims import ClaimData, load_claim_data, to_candidates
from service.claimreview.matching import ReviewSignals, match_review
from service.pipeline.documents import read_documents
from service.settings import PROJECT_ROOT
from service.store.oxigraph import OxigraphStore

REVIEWS = Path(__file__).resolve().parent / "reviews" / "seed_reviews.json"
SEEDS = {"000": "000_d2ce4ca12b793fba.json", "002": "002_8a460393155f9b4e.json"}


def _expected(label: dict[str, str] | None, data: ClaimData, seeds: dict[str, str]) -> str | None:
    """The IRI of the labelled claim: of that seed's document and kind, holding the part."""
    if label is None:
        return None
    for claim in sorted(data.claims.values(), key=lambda c: c.iri):
        written = claim.mention if claim.kind != "statement" else claim.content
        if (claim.document == seeds[label["seed"]] and claim.kind == label["kind"]
                and label["part"] in (written or "")):
            return claim.iri
    raise LookupError(f"no {label['kind']} claim holding {label['part']!r} in seed {label['seed']}")


def measure() -> dict[str, Any]:
    settings = configured()
    store = OxigraphStore(None)
    store_registry(store, settings)
    ingestor = build_ingestor(store, settings)
    try:
        paths = [PROJECT_ROOT / "seeds" / name for name in SEEDS.values()]
        documents = list(read_documents(paths, max_text_bytes=settings.max_text_bytes))
        results = list(ingestor.ingest(d for d in documents if not isinstance(d, Exception)))
    finally:
        ingestor.close()
    seeds = dict(zip(SEEDS, (r.iri for r in results), strict=True))
    data = load_claim_data(store)
    candidates = to_candidates(data)
    rows, linked, right_links, labelled, found = [], 0, 0, 0, 0
    for review in json.loads(REVIEWS.read_text(encoding="utf-8"))["reviews"]:
        expected = _expected(review["expect"], data, seeds)
        names = (review["author"],) if review.get("author") else ()
        matches = match_review(ReviewSignals(review["claimReviewed"], names), candidates)
        got = [m.claim for m in matches]
        linked += len(got)
        right_links += sum(1 for claim in got if claim == expected)
        labelled += expected is not None
        found += expected is not None and expected in got
        rows.append({
            "review": review["claimReviewed"], "expected": expected, "linked": got,
            "scores": [m.score for m in matches], "right": got == ([expected] if expected else []),
        })
    return {
        "reviews": len(rows),
        "right": sum(r["right"] for r in rows),
        "link_precision": round(right_links / linked, 3) if linked else 1.0,
        "recall": round(found / labelled, 3) if labelled else 1.0,
        "unrelated_linked": sum(1 for r in rows if r["expected"] is None and r["linked"]),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print every review's result")
    args = parser.parse_args()
    result = measure()
    if args.json:
        print(json.dumps(result, indent=1))
        return
    for row in result["rows"]:
        mark = "ok " if row["right"] else "BAD"
        print(f"{mark} {row['scores']!s:14} {row['review'][:70]}")
    print(
        f"{result['right']}/{result['reviews']} reviews right; link precision "
        f"{result['link_precision']}, recall {result['recall']}; unrelated reviews linked: "
        f"{result['unrelated_linked']}"
    )


if __name__ == "__main__":
    main()
