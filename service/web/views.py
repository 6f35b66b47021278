"""What each page shows: the read side's data (`service.read`), shaped for the templates.

The pages read through the same functions as the JSON API; all this adds is what only a page
needs: the marked-up text, each claim's anchor, and links to the pages of IRIs.
"""

from __future__ import annotations

from typing import Any

from service.rdf import iris
from service.read.actors import UnknownActorError, actor_profile, actor_statements
from service.read.claims import ClaimFilters, claim_detail, claim_marks, search_claims
from service.read.comparisons import list_comparisons
from service.read.documents import corpus_counts, document_detail, recent_documents
from service.read.questions import check_text, who_said
from service.store import Store
from service.textindex import TextIndex
from service.web.highlight import Highlight, render_text
from service.web.links import claim_anchor, claim_page, format_number, ui_url, web_url

__all__ = [
    "actor_page",
    "claim_page_view",
    "claims_page",
    "comparisons_page",
    "document_page",
    "home_page",
    "search_page",
]

SEARCH_HITS = 50  # hits one search page lists


def home_page(store: Store, base: str) -> dict[str, Any]:
    """The corpus in numbers and its most recent documents."""
    documents = [
        {**row, "url_page": ui_url(row["document"])} for row in recent_documents(store)
    ]
    return {"totals": corpus_counts(store, base), "documents": documents}


def _first_line(text: str, limit: int = 120) -> str:
    """A title for an article without a headline: its first line, cut at a word."""
    line = text.strip().split("\n", 1)[0]
    if len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0] + "…"


def _linked(actor: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if actor is None else {**actor, "url": ui_url(actor["iri"])}


def _marks(marks: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """A claim's comparisons and review links with their links: each comparison to the other
    side's claim page and sentence, each review to its http(s) URL only."""
    comparisons = [
        {
            **c,
            "other_page": claim_page(c["other"]["claim"]),
            "other_in_document": ui_url(c["other"]["claim"]),
        }
        for c in marks["comparisons"]
    ]
    reviews = [{**r, "url": web_url(r["url"])} for r in marks["reviews"]]
    return {
        "comparisons": comparisons,
        "reviews": reviews,
        # what the badges show: nothing a reviewer rejected
        "comparison_badges": [c for c in comparisons if c["status"] != "rejected"],
        "review_badges": [r for r in reviews if r["status"] != "rejected"],
    }


def _claim(
    claim: dict[str, Any], marks: dict[str, dict[str, list[dict[str, Any]]]] | None = None
) -> dict[str, Any]:
    """A claim with its anchor on the page, its own page, its actors and claims linked, and
    (given `marks`) its comparisons and reviews."""
    shown = {**claim, "ref": f"{claim['kind']}-{claim['n']}", "page": claim_page(claim["iri"])}
    if marks is not None:
        shown.update(_marks(marks[claim["iri"]]))
    for key in ("speaker", "reported_by", "location", "claimed_by"):
        if key in shown:
            shown[key] = _linked(shown[key])
    for key in ("nested_in", "statement"):
        if key in shown:
            shown[key] = claim_anchor(shown[key])
    for key in ("value", "min", "max"):
        if key in shown and shown[key] is not None:
            shown[key] = format_number(shown[key])
    return shown


def _actors(mentions: list[dict[str, Any]]) -> tuple[list[Highlight], list[dict[str, Any]]]:
    """Actor highlights, and one entry per distinct actor (with how often it is named)."""
    actors: dict[str, dict[str, Any]] = {}
    spans = []
    for mention in mentions:
        entry = actors.get(mention["iri"])
        if entry is None:
            key = mention["slug"] or str(len(actors))
            entry = {**_linked(mention), "ref": f"actor-{key}", "count": 0}
            actors[mention["iri"]] = entry
        entry["count"] += 1
        spans.append(
            Highlight(mention["begin"], mention["end"], "actor", entry["ref"], title=entry["name"])
        )
    return spans, sorted(actors.values(), key=lambda a: a["name"].lower())


def document_page(store: Store, base: str, doc_id: str) -> dict[str, Any] | None:
    """The article with every claim and actor marked; None when there is no such document."""
    detail = document_detail(store, base, doc_id)
    if detail is None:
        return None
    marks = claim_marks(store, base, iris.document(base, doc_id))
    statements = [_claim(c, marks) for c in detail["statements"]]
    quantities = [_claim(c, marks) for c in detail["quantities"]]
    dates = [_claim(c, marks) for c in detail["dates"]]
    actor_spans, actors = _actors(detail["mentions"])
    claims = [*statements, *quantities, *dates]
    spans = [
        Highlight(c["begin"], c["end"], c["kind"], c["ref"], anchor=c["ref"], title=c["ref"])
        for c in claims
    ]
    meta = {**detail["meta"], "url": web_url(detail["meta"].get("url"))}
    text = meta["text"] or ""
    return {
        "id": doc_id,
        "title": meta["headline"] or _first_line(text),
        "meta": meta,
        "publisher": _linked(detail["publisher"]),
        "appearances": [
            {**a, "url": web_url(a["url"]), "publisher_page": ui_url(a["publisher_iri"])}
            for a in detail["appearances"]
        ],
        "near_copies": [{**c, "page": ui_url(c["document"])} for c in detail["near_copies"]],
        "html": render_text(text, [*spans, *actor_spans]),
        "statements": statements,
        "quantities": quantities,
        "dates": dates,
        "claims": sorted(claims, key=lambda c: (c["begin"], c["kind"])),
        "marked": [
            c for c in sorted(claims, key=lambda c: (c["begin"], c["kind"]))
            if c["comparisons"] or c["reviews"]
        ],
        "actors": actors,
    }


def actor_page(store: Store, base: str, slug: str) -> dict[str, Any] | None:
    """The actor and everything it said, newest first; None when nothing names it (or the slug
    cannot be an actor's)."""
    if not iris.SLUG.fullmatch(slug):
        return None
    profile = actor_profile(store, base, slug)
    if profile is None:
        return None
    try:
        statements = actor_statements(store, base, slug).rows
    except UnknownActorError:
        statements = []
    for statement in statements:
        statement["url"] = ui_url(statement["statement"])
        statement["document_url"] = ui_url(statement["document"])
    statements.sort(key=lambda s: s["date"] or "", reverse=True)
    return {**profile, "statements": statements}


def comparisons_page(store: Store, base: str) -> dict[str, Any]:
    """Claim comparisons, conflicts first, the rejected last (`GET /claims/comparisons`)."""
    return {"comparisons": list_comparisons(store, base)}


def claims_page(store: Store, base: str, filters: ClaimFilters) -> dict[str, Any]:
    """One page of the claims that pass `filters`, each with its badges, and the links to the
    other pages of the same filtered view."""
    found = search_claims(store, base, filters)
    claims = []
    for claim in found["claims"]:
        claims.append({
            **claim,
            **_marks(claim),
            "page": claim_page(claim["iri"]),
            "in_document": ui_url(claim["iri"]),
            "speaker": _linked(claim["speaker"]),
        })
    page, pages = found["page"], found["pages"]
    return {
        **found,
        "claims": claims,
        "filters": filters,
        "previous": filters.params(page=page - 1) if page > 1 else None,
        "next": filters.params(page=page + 1) if page < pages else None,
        "error": None,
    }


def claim_page_view(
    store: Store, base: str, doc_id: str, kind: str, n: str
) -> dict[str, Any] | None:
    """One claim with its proposition, sources, comparisons, reviews and their judgements;
    None when there is no such claim."""
    found = claim_detail(store, base, doc_id, kind, n)
    if found is None:
        return None
    document = found["document"]
    meta = document["meta"]
    claim = _claim(found["claim"])
    return {
        **_marks(found),
        "claim": claim,
        "kind": kind,
        "parts": [{**_claim(part), **_marks(part)} for part in found["parts"]],
        "proposition": found["proposition"],
        "speaker": _linked(found["speaker"]),
        "publisher": _linked(document["publisher"]),
        "date_published": meta.get("datePublished"),
        "headline": meta.get("headline") or _first_line(meta.get("text") or ""),
        "document_page": ui_url(claim["iri"]),
        "source_url": web_url(meta.get("url")),
        "appearances": [
            {**a, "url": web_url(a["url"]), "publisher_page": ui_url(a["publisher_iri"])}
            for a in document["appearances"]
        ],
    }


def _hit_row(hit: dict[str, Any]) -> dict[str, Any]:
    return {
        **hit,
        "url": ui_url(hit["node"]),
        "document_url": ui_url(hit["document"]),
        "speaker_url": ui_url(hit["speaker"]["iri"]),
    }


def search_page(store: Store, index: TextIndex | None, words: str) -> dict[str, Any]:
    """Statements, quantity claims and actors whose words match, best first (BM25), each with
    where it was said; without a text index (a remote store), the statements a scan finds.
    Raises InvalidInputError for text the search cannot take."""
    if not words.strip():
        return {"q": "", "hits": [], "search": None}
    if index is None:
        answer = who_said(store, words)
        hits = [
            {
                "kind": "statement",
                "node": row["statement"],
                "score": None,
                "text": row["content"],
                "document": row["document"],
                "sentence": row["sentence"],
                "offsets": row["content_offsets"],
                "speaker": row["speaker"],
            }
            for row in answer.rows[:SEARCH_HITS]
        ]
        return {"q": answer.about["text"], "hits": [_hit_row(h) for h in hits], "search": "scan"}
    text = check_text(words, "q")
    hits = [_hit_row(hit.to_json()) for hit in index.search(text, limit=SEARCH_HITS)]
    return {"q": text, "hits": hits, "search": "index"}
