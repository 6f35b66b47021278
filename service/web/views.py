"""What each page shows, read from the store: plain dicts the templates render.

The routes stay thin (STYLE 9): they call one function here and hand the result to a template.
Rows come back as plain strings from `Store.select`; offsets become ints here.
"""

from __future__ import annotations

from typing import Any

from service.store import Store
from service.web import queries as q
from service.web.highlight import Highlight, render_text
from service.web.links import (
    actor_iri,
    analysis_graph,
    claim_anchor,
    document_iri,
    format_number,
    local_name,
    slug_of,
    ui_url,
)

__all__ = ["actor_page", "claims_page", "document_page", "home_page"]

Row = dict[str, str | None]
# fg:status values (ontology/factgraph.ttl), in the order the claims page lists them.
_STATUS_ORDER = ("conflict", "corroboration", "related")


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _number(iri: str | None) -> str:
    return (iri or "").rstrip("/").rsplit("/", 1)[-1]


def _first_per(rows: list[Row], key: str) -> list[Row]:
    """One row per value of `key` (a claim's optional values may repeat it)."""
    seen: dict[str | None, Row] = {}
    for row in rows:
        seen.setdefault(row[key], row)
    return list(seen.values())


def _doc_id(iri: str | None) -> str | None:
    found = claim_anchor(iri)
    return found[0] if found else None


def _comparison_count(store: Store, base: str) -> int:
    rows = store.select(q.COMPARISON_COUNT, {"analysis": analysis_graph(base)})
    return sum(_int(row["comparisons"]) for row in rows)


def home_page(store: Store, base: str) -> dict[str, Any]:
    """The corpus in numbers and its most recent documents."""
    counts = store.select(q.CORPUS_COUNTS)
    totals = {k: _int(v) for k, v in (counts[0] if counts else {}).items()}
    totals["comparisons"] = _comparison_count(store, base)
    documents = [
        {**row, "id": _doc_id(row["document"]), "url_page": ui_url(row["document"])}
        for row in _first_per(store.select(q.RECENT_DOCUMENTS), "document")
    ]
    return {"totals": totals, "documents": documents}


def _first_line(text: str, limit: int = 120) -> str:
    """A title for an article without a headline: its first line, cut at a word."""
    line = text.strip().split("\n", 1)[0]
    if len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0] + "…"


def _sentence(row: Row) -> dict[str, Any]:
    return {
        "iri": row["sentence"],
        "begin": _int(row["sentenceBegin"]),
        "end": _int(row["sentenceEnd"]),
        "text": row["sentenceText"] or "",
    }


def _actor(iri: str | None, name: str | None) -> dict[str, Any] | None:
    if not iri:
        return None
    return {"iri": iri, "name": name or local_name(iri), "slug": slug_of(iri), "url": ui_url(iri)}


def _located(row: Row, kind: str) -> dict[str, Any]:
    """What every highlighted claim has: its kind, number, anchor, IRI and offsets."""
    n = _number(row["claim"])
    return {
        "kind": kind,
        "n": n,
        "ref": f"{kind}-{n}",
        "iri": row["claim"],
        "begin": _int(row["begin"]),
        "end": _int(row["end"]),
    }


def _statements(rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            **_located(row, "statement"),
            "content": row["content"] or "",
            "cue": row["cue"] or "",
            "type": local_name(row["type"]),
            "speaker": _actor(row["speaker"], row["speakerName"]),
            "speaker_text": row["speakerText"],
            "nested_in": claim_anchor(row["nestedIn"]),
            "reported_by": _actor(row["reportedBy"], row["reportedByName"]),
            "sentence": _sentence(row),
            "run": row["run"],
        }
        for row in _first_per(rows, "claim")
    ]


def _quantities(rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            **_located(row, "quantity"),
            "text": row["mentionText"] or "",
            "value": format_number(row["value"]),
            "comparator": local_name(row["comparator"]),
            "hedge": row["hedge"],
            "min": format_number(row["min"]) if row["min"] else None,
            "max": format_number(row["max"]) if row["max"] else None,
            "unit": row["unit"],
            "counted": row["counted"],
            "location": _actor(row["location"], row["locationName"]),
            "time": row["time"],
            "time_start": row["timeStart"],
            "time_end": row["timeEnd"],
            "claimed_by": _actor(row["claimedBy"], row["claimedByName"]),
            "statement": claim_anchor(row["statement"]),
            "sentence": _sentence(row),
            "run": row["run"],
        }
        for row in _first_per(rows, "claim")
    ]


def _dates(rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            **_located(row, "date"),
            "text": row["mentionText"] or "",
            "event": row["event"],
            "date_text": row["dateText"],
            "earliest": row["earliest"],
            "latest": row["latest"],
            "claimed_by": _actor(row["claimedBy"], row["claimedByName"]),
            "statement": claim_anchor(row["statement"]),
            "sentence": _sentence(row),
            "run": row["run"],
        }
        for row in _first_per(rows, "claim")
    ]


def _mentions(rows: list[Row]) -> tuple[list[Highlight], list[dict[str, Any]]]:
    """Actor highlights, and one entry per distinct actor (with how often it is named)."""
    actors: dict[str, dict[str, Any]] = {}
    spans = []
    for row in rows:
        actor = row["actor"] or ""
        entry = actors.get(actor)
        if entry is None:
            entry = _actor(actor, row["name"]) or {}
            key = entry.get("slug") or str(len(actors))
            entry.update({"ref": f"actor-{key}", "type": local_name(row["type"]), "count": 0})
            actors[actor] = entry
        begin, end = _int(row["begin"]), _int(row["end"])
        if any(s.begin == begin and s.end == end and s.ref == entry["ref"] for s in spans):
            continue
        entry["count"] += 1
        spans.append(Highlight(begin, end, "actor", entry["ref"], title=entry["name"]))
    return spans, sorted(actors.values(), key=lambda a: a["name"].lower())


def document_page(store: Store, base: str, doc_id: str) -> dict[str, Any] | None:
    """The article with every claim and actor marked; None when there is no such document."""
    iri = document_iri(base, doc_id)
    if iri is None:
        return None
    bound = {"document": iri}
    found = store.select(q.DOCUMENT, bound)
    if not found:
        return None
    meta = found[0]
    statements = _statements(store.select(q.DOCUMENT_STATEMENTS, bound))
    quantities = _quantities(store.select(q.DOCUMENT_QUANTITIES, bound))
    dates = _dates(store.select(q.DOCUMENT_DATES, bound))
    actor_spans, actors = _mentions(store.select(q.DOCUMENT_MENTIONS, bound))
    claims = [*statements, *quantities, *dates]
    spans = [
        Highlight(c["begin"], c["end"], c["kind"], c["ref"], anchor=c["ref"], title=c["ref"])
        for c in claims
    ]
    text = meta["text"] or ""
    return {
        "id": doc_id,
        "title": meta["headline"] or _first_line(text),
        "meta": meta,
        "publisher": _actor(meta["publisher"], meta["publisherName"]),
        "html": render_text(text, [*spans, *actor_spans]),
        "statements": statements,
        "quantities": quantities,
        "dates": dates,
        "claims": sorted(claims, key=lambda c: (c["begin"], c["kind"])),
        "actors": actors,
    }


def actor_page(store: Store, base: str, slug: str) -> dict[str, Any] | None:
    """The actor and everything it said, newest first; None when nothing names it."""
    iri = actor_iri(base, slug)
    if iri is None:
        return None
    bound = {"actor": iri}
    found = [row for row in store.select(q.ACTOR, bound) if row["name"]]
    statements = _first_per(store.select(q.ACTOR_STATEMENTS, bound), "claim")
    if not found and not statements:
        return None
    info = found[0] if found else {"name": slug, "type": None, "description": None}
    split = "\u001f"
    return {
        "slug": slug,
        "iri": iri[1:-1],
        "name": info["name"],
        "type": local_name(info.get("type")),
        "description": info.get("description"),
        "aliases": sorted(a for a in (info.get("aliases") or "").split(split) if a),
        "same_as": sorted(a for a in (info.get("sameAs") or "").split(split) if a),
        "statements": [
            {
                **row,
                "type": local_name(row["type"]),
                "url": ui_url(row["claim"]),
                "document_url": ui_url(row["document"]),
                "doc_id": _doc_id(row["document"]),
            }
            for row in statements
        ],
    }


_KIND_NAMES = {"Statement": "statement", "QuantityClaim": "quantity", "DateClaim": "date"}


def _provenance_url(claim: str | None) -> str | None:
    found = claim_anchor(claim)
    if found is None or found[1] is None:
        return None
    return f"/ui/documents/{found[0]}#provenance-{found[1]}"


def _status_rank(status: str) -> int:
    lowered = status.lower()
    return _STATUS_ORDER.index(lowered) if lowered in _STATUS_ORDER else len(_STATUS_ORDER)


def claims_page(store: Store, base: str) -> dict[str, Any]:
    """Claim comparisons from the analysis graph, conflicts first, each side with its page."""
    rows = store.select(q.COMPARISONS, {"analysis": analysis_graph(base)})
    comparisons: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row["comparison"] or ""
        entry = comparisons.setdefault(
            key,
            {
                "iri": key,
                "status": local_name(row["status"]) if row["status"] else "unknown",
                "reason": row["reason"],
                "sides": {},
            },
        )
        claim = row["claim"] or ""
        if claim in entry["sides"]:
            continue
        entry["sides"][claim] = {
            "iri": claim,
            "kind": _KIND_NAMES.get(local_name(row["kind"]), local_name(row["kind"])),
            "url": ui_url(claim),
            "provenance_url": _provenance_url(claim),
            "document": row["document"],
            "document_url": ui_url(row["document"]),
            "outlet": row["outlet"],
            "date": row["datePublished"],
            "text": row["claimText"],
            "who": row["whoName"],
            "sentence_text": row["sentenceText"],
            "begin": row["sentenceBegin"],
            "end": row["sentenceEnd"],
        }
    ordered = sorted(comparisons.values(), key=lambda c: (_status_rank(c["status"]), c["iri"]))
    for entry in ordered:
        entry["sides"] = list(entry["sides"].values())
    return {"comparisons": ordered}
