"""Claims at scale (issue 13): one review's matching, one claim as a ClaimReview `Claim` and
the whole claims feed, timed in process against the real app as the store grows.

    .venv/bin/python -m bench.claims                   # ~10^4 and ~10^5 quads
    .venv/bin/python -m bench.claims --sizes 10000     # a quick check
    .venv/bin/python -m bench.claims --report          # the table from bench/out/claims-*.json

The stores are `bench/scale.py`'s snapshots (`bench/out/stores/q1e4`, `q1e5`; built when
missing), each copied to a temporary directory first: the reviews posted are written to the
copy. The app is `build_app` over that store, called through FastAPI's TestClient from a
loopback address (writes without a token come only from the server's own machine), so each
request runs the route, the loader and the store as `factgraph serve` runs them, without the
socket. Timed, in milliseconds a call:

- `GET /claims/claimreview?claim=...` for a sample of claims (every kind, and the statements of
  the speaker with the most of them, whose first appearance has the most to compare);
- `POST /claimreviews` with one review a call, made from a stored claim (its content or
  sentence as `claimReviewed`, its speaker's name as the claimant): the matching; the answer's
  best match is checked to be that claim or one with the same text;
- `GET /export?format=claims`, the whole feed, read to its end;
- the loader's functions alone (`service.claimreview.claims`): `load_claim_data` (every claim,
  for the export), `load_claim` (one claim and those of its key), `find_candidates` (one
  review's candidates; their count is kept too: the bound of the work per review).

With `--tag NAME` the results go to `claims-<size>-NAME.json`; run with another checkout's
`service` on PYTHONPATH (functions it lacks are skipped) to measure the code before a change.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bench import scale
from service.bootstrap import build_app, configured
from service.claimreview import claims as loader
from service.claimreview.importer import signals
from service.store.oxigraph import OxigraphStore

OUT = scale.OUT
LOOPBACK = ("127.0.0.1", 50000)  # a client on the server's own machine may write
OPERATIONS = (
    ("get_claim", "`GET /claims/claimreview?claim=`, any claim"),
    ("get_claim_busiest", "the same, statements of the busiest speaker"),
    ("post_review", "`POST /claimreviews` (one review)"),
    ("export", "`GET /export?format=claims`"),
    ("load_claim_data", "`load_claim_data` (every claim)"),
    ("load_claim", "`load_claim` (one claim)"),
    ("load_claim_busiest", "the same, statements of the busiest speaker"),
    ("find_candidates", "`find_candidates` (one review)"),
)


def _summary(times: list[float]) -> dict[str, Any]:
    ordered = sorted(times)
    return {
        "runs": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p90_ms": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 2),
        "max_ms": round(ordered[-1], 2),
    }


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return 1000 * (time.perf_counter() - start), result


def _spread(items: list[Any], count: int) -> list[Any]:
    """`count` items spread evenly over a sorted list (all of them when there are fewer)."""
    if len(items) <= count:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def sample_claims(data: loader.ClaimData, count: int) -> tuple[list[str], list[str]]:
    """`count` claims spread over every claim, and `count` statements of the speaker with the
    most (the claims whose first appearance has the most to compare)."""
    by_speaker: dict[str, list[str]] = {}
    for claim in data.claims.values():
        if claim.kind == "statement" and claim.author:
            by_speaker.setdefault(claim.author, []).append(claim.iri)
    busiest = sorted(max(by_speaker.values(), key=len, default=[]))
    return _spread(sorted(data.claims), count), _spread(busiest, count)


def sample_reviews(data: loader.ClaimData, count: int) -> list[tuple[str, dict[str, Any]]]:
    """ClaimReviews made from stored claims: (the claim, the review)."""
    made = []
    for iri in sorted(data.claims):
        claim = data.claims[iri]
        actor = data.actors.get(claim.author or "")
        text = claim.content if claim.kind == "statement" else claim.sentence
        if not text or actor is None or len(text.split()) < 5:
            continue
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"https://factcheck.example.org/bench/{len(made)}",
            "claimReviewed": text.strip("“”\"' "),
            "reviewRating": {"@type": "Rating", "alternateName": "Misleading"},
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@type": "Organization", "name": actor.name},
            },
        }
        made.append((iri, review))
    return _spread(made, count)


def _same_text(data: loader.ClaimData, found: str | None, wanted: str) -> bool:
    """The match is the claim the review was made from, or one stating the same words."""
    if found == wanted:
        return True
    claim, other = data.claims.get(found or ""), data.claims[wanted]
    return claim is not None and (claim.text, claim.sentence) == (other.text, other.sentence)


def measure_size(size: str, args: argparse.Namespace) -> dict[str, Any]:
    settings = configured()
    snapshot = scale.snapshot_dir(args.out, int(float(size)))
    info = json.loads((args.out / "scale.json").read_text("utf-8"))["snapshots"][size]
    result: dict[str, Any] = {
        "size": size,
        "quads": info["quads"],
        "documents": info["documents"],
        "commit": scale.git_commit(),
        "tag": args.tag,
        "measured": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    with tempfile.TemporaryDirectory(prefix="factgraph-claims-") as tmp:
        copy = Path(tmp) / "store"
        shutil.copytree(snapshot, copy)
        store = OxigraphStore(copy)
        try:
            print(f"[{size}] load_claim_data", flush=True)
            runs = [_timed(lambda: loader.load_claim_data(store)) for _ in range(args.export_runs)]
            data = runs[-1][1]
            result["claims"] = len(data.claims)
            result["load_claim_data"] = _summary([ms for ms, _ in runs])
            claims, busiest = sample_claims(data, args.claims)
            speaker = data.claims[busiest[0]].author if busiest else None
            result["busiest_speaker_statements"] = sum(
                c.kind == "statement" and c.author == speaker for c in data.claims.values()
            )
            reviews = sample_reviews(data, args.reviews)
            if hasattr(loader, "load_claim"):
                print(f"[{size}] load_claim x {len(claims) + len(busiest)}", flush=True)
                for key, sample in (("load_claim", claims), ("load_claim_busiest", busiest)):
                    times = [_timed(lambda i=iri: loader.load_claim(store, i))[0] for iri in sample]
                    result[key] = _summary(times)
            if hasattr(loader, "find_candidates"):
                print(f"[{size}] find_candidates x {len(reviews)}", flush=True)
                timed = [
                    _timed(lambda r=review: loader.find_candidates(store, signals(r)))
                    for _, review in reviews
                ]
                result["find_candidates"] = _summary([ms for ms, _ in timed])
                result["candidates_max"] = max(len(found) for _, found in timed)
            with TestClient(build_app(settings, store), client=LOOPBACK) as client:
                print(f"[{size}] GET /claims/claimreview x {len(claims) + len(busiest)}")
                for key, sample in (("get_claim", claims), ("get_claim_busiest", busiest)):
                    times = []
                    for iri in sample:
                        ms, response = _timed(
                            lambda i=iri: client.get("/claims/claimreview", params={"claim": i})
                        )
                        assert response.status_code == 200, response.text[:300]
                        times.append(ms)
                    result[key] = _summary(times)
                print(f"[{size}] POST /claimreviews x {len(reviews)}", flush=True)
                times, found = [], 0
                for wanted, review in reviews:
                    ms, response = _timed(
                        lambda r=review: client.post(
                            "/claimreviews",
                            content=json.dumps(r),
                            headers={"Content-Type": "application/ld+json"},
                        )
                    )
                    assert response.status_code == 201, response.text[:300]
                    matches = response.json()["reviews"][0]["matches"]
                    found += _same_text(data, matches[0]["claim"] if matches else None, wanted)
                    times.append(ms)
                result["post_review"] = _summary(times)
                result["reviews_matched_to_their_claim"] = [found, len(reviews)]
                print(f"[{size}] GET /export?format=claims x {args.export_runs}", flush=True)
                times = []
                for _ in range(args.export_runs):
                    ms, response = _timed(lambda: client.get("/export?format=claims"))
                    assert response.status_code == 200, response.text[:300]
                    items = json.loads(response.content)["dataFeedElement"]
                    times.append(ms)
                result["export"] = _summary(times)
                result["export_items"] = len(items)
        finally:
            store.close()
    suffix = f"-{args.tag}" if args.tag else ""
    path = args.out / f"claims-{size}{suffix}.json"
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"[{size}] wrote {path}", flush=True)
    return result


def _ms(entry: dict[str, Any] | None) -> str:
    if not entry:
        return "–"
    return f"{entry['p50_ms']:,.1f} / {entry['p90_ms']:,.1f}"


def report(out: Path) -> str:
    """One table a tag: ms a call (p50 / p90) at each size, and the ratio of the p50s."""
    found = sorted(out.glob("claims-*.json"))
    results = [json.loads(path.read_text("utf-8")) for path in found]
    lines = []
    for tag in sorted({r.get("tag") or "" for r in results}):
        rows = sorted((r for r in results if (r.get("tag") or "") == tag), key=lambda r: r["quads"])
        if not rows:
            continue
        sizes = " | ".join(
            f"{r['size']}: {r['quads']:,} quads, {r['documents']} docs, {r['claims']:,} claims"
            for r in rows
        )
        lines += [f"**{tag or 'this code'}** ({sizes}; ms a call, p50 / p90)", ""]
        header = "| operation | " + " | ".join(r["size"] for r in rows)
        ratio = len(rows) > 1
        lines.append(header + (f" | {rows[-1]['size']} / {rows[0]['size']} |" if ratio else " |"))
        lines.append("|---|" + "---:|" * (len(rows) + ratio))
        for key, name in OPERATIONS:
            cells = [_ms(r.get(key)) for r in rows]
            if all(c == "–" for c in cells):
                continue
            line = f"| {name} | " + " | ".join(cells)
            if ratio:
                first, last = rows[0].get(key), rows[-1].get(key)
                value = last["p50_ms"] / first["p50_ms"] if first and last else None
                line += f" | {value:.1f}" if value is not None else " | –"
            lines.append(line + " |")
        extra = [
            f"{r['size']}: the busiest speaker's statements {r.get('busiest_speaker_statements')}, "
            f"candidates a review ≤ {r.get('candidates_max', '–')}, reviews matched "
            f"to their claim {'/'.join(map(str, r.get('reviews_matched_to_their_claim', [])))}, "
            f"feed items {r.get('export_items', '–')}"
            for r in rows
        ]
        lines += ["", "; ".join(extra) + ".", ""]
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="Store sizes in quads.")
    parser.add_argument(
        "--claims", type=int, default=20, help="Claims asked for one by one (twice: any claim, "
        "and statements of the busiest speaker)."
    )
    parser.add_argument("--reviews", type=int, default=20, help="Reviews posted one by one.")
    parser.add_argument("--export-runs", type=int, default=2, help="Whole exports a size.")
    parser.add_argument("--tag", default="", help="A name for these results (e.g. before).")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--report", action="store_true", help="Only print the table.")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if not args.report:
        targets = [int(float(s)) for s in args.sizes.split(",") if s]
        scale.build(targets, args.out)
        for target in targets:
            measure_size(scale.label(target), args)
    print(report(args.out))


if __name__ == "__main__":
    main()
