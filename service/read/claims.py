"""The claims a fact-checker reads: each with its comparisons and its review links, the
reviewers' judgements applied; filtered and paged for the claims page, or one claim whole.

A comparison a reviewer rejected is listed with the status "rejected" (never as the conflict
the machine called it); a rejected review link is kept with its judgement but is no review of
the claim. Text, outlet, date and actor filters run in SPARQL (`read/claims.rq`); the status
filter reads the comparisons and links, which is where the judgements apply.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from service.claimreview.judgements import review_links
from service.claimreview.proposition import proposition
from service.rdf import iris
from service.read.comparisons import REJECTED, list_comparisons
from service.read.documents import document_detail
from service.read.rows import Row, first_per, local_name
from service.sparql import load, with_rows, with_values
from service.store import Store, iri_term, literal_term

__all__ = [
    "CLAIM_STATUSES",
    "ClaimFilterError",
    "ClaimFilters",
    "claim_detail",
    "claim_marks",
    "search_claims",
]

# What the status filter takes: a comparison's status, or "reviewed" (a review links to it).
CLAIM_STATUSES = ("conflict", "corroboration", "related", "reviewed")
PAGE_SIZE = 25
_MAX_TEXT = 200
_KINDS = {"Statement": "statement", "QuantityClaim": "quantity", "DateClaim": "date"}


class ClaimFilterError(ValueError):
    """A filter of the claims page that cannot be one; the message says which and why."""


@dataclass(frozen=True, slots=True)
class ClaimFilters:
    """What the claims page shows, from its query parameters: each one a link can carry."""

    q: str = ""
    status: str = ""
    outlet: str = ""  # an actor slug
    actor: str = ""  # an actor slug
    date_from: str = ""  # YYYY-MM-DD
    date_to: str = ""
    page: int = 1

    @classmethod
    def parse(cls, **given: str | None) -> ClaimFilters:
        """Filters from query parameters (empty means none); ClaimFilterError when one is
        not a filter."""
        value = {key: (text or "").strip() for key, text in given.items()}
        q, status = value.get("q", ""), value.get("status", "").lower()
        if len(q) > _MAX_TEXT:
            raise ClaimFilterError(f"the search text is longer than {_MAX_TEXT} characters")
        if status and status not in CLAIM_STATUSES:
            raise ClaimFilterError(
                f"unknown status {status[:40]!r}; use one of: {', '.join(CLAIM_STATUSES)}"
            )
        for key in ("outlet", "actor"):
            if value.get(key) and not iris.SLUG.fullmatch(value[key]):
                raise ClaimFilterError(f"{key} must be an actor's slug, such as 'press-tv'")
        for key in ("date_from", "date_to"):
            if value.get(key):
                try:
                    dt.date.fromisoformat(value[key])
                except ValueError:
                    raise ClaimFilterError(f"{key} must be a date as YYYY-MM-DD") from None
        page = value.get("page") or "1"
        if not page.isdigit() or not 1 <= int(page) <= 100_000:
            raise ClaimFilterError("page must be a whole number from 1")
        return cls(
            q=q,
            status=status,
            outlet=value.get("outlet", ""),
            actor=value.get("actor", ""),
            date_from=value.get("date_from", ""),
            date_to=value.get("date_to", ""),
            page=int(page),
        )

    def params(self, **changed: Any) -> dict[str, str]:
        """The filters as query parameters (the unset ones left out), with `changed` applied."""
        values = {
            "q": self.q,
            "status": self.status,
            "outlet": self.outlet,
            "actor": self.actor,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "page": self.page,
            **changed,
        }
        return {k: str(v) for k, v in values.items() if v and not (k == "page" and v == 1)}


def claim_marks(
    store: Store, base: str, document: str | None = None
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """For each claim IRI (of `document` only, given one): its comparisons (status, reason,
    judgement, and the other side) and its review links (rating, URL, score, method, status
    and judgement)."""
    marks: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: {"comparisons": [], "reviews": []}
    )
    for comparison in list_comparisons(store, base, document=document):
        first, second = comparison["claims"]
        for own, other in ((first, second), (second, first)):
            marks[own["claim"]]["comparisons"].append(
                {
                    "iri": comparison["iri"],
                    "status": comparison["status"],
                    "machine_status": comparison["machine_status"],
                    "reason": comparison["reason"],
                    "judgement": comparison["judgement"],
                    "other": other,
                }
            )
    for link in review_links(store):
        marks[link["claim"] or ""]["reviews"].append(link)
    return marks


def _has_status(marks: dict[str, list[dict[str, Any]]], status: str) -> bool:
    if status == "reviewed":
        return any(link["status"] != REJECTED for link in marks["reviews"])
    return any(c["status"] == status for c in marks["comparisons"])


def _row(row: Row) -> dict[str, Any]:
    kind = _KINDS.get(local_name(row["kind"]), "statement")
    return {
        "iri": row["claim"],
        "kind": kind,
        "document": row["document"],
        "headline": row["headline"],
        "publisher": {"iri": row["publisher"], "name": None} if row["publisher"] else None,
        "date_published": row["datePublished"],
        "speaker": {"iri": row["speaker"], "name": None} if row["speaker"] else None,
        "sentence": row["sentenceText"] or "",
        "text": row["content"] or row["mentionText"] or "",
    }


def _named(store: Store, claims: list[dict[str, Any]]) -> None:
    """Give the speakers and publishers of these claims their names, in one query."""
    actors = [a for c in claims for a in (c["speaker"], c["publisher"]) if a is not None]
    wanted = dict.fromkeys(a["iri"] for a in actors)
    if not wanted:
        return
    query = with_rows(load("read/names.rq"), ["iri"], ([iri_term(i)] for i in wanted))
    names = {row["iri"]: row["label"] for row in store.select(query)}
    for actor in actors:
        actor["name"] = names.get(actor["iri"])


def _facets(store: Store) -> dict[str, list[dict[str, str]]]:
    facets: dict[str, list[dict[str, str]]] = {"outlet": [], "actor": []}
    seen: set[tuple[str, str]] = set()
    for row in store.select(load("read/claim_facets.rq")):
        slug = iris.slug_of(row["iri"])
        facet = row["facet"] or ""
        if slug and facet in facets and (facet, slug) not in seen:
            seen.add((facet, slug))
            facets[facet].append({"slug": slug, "name": row["name"] or slug})
    return facets


def search_claims(
    store: Store, base: str, filters: ClaimFilters, page_size: int = PAGE_SIZE
) -> dict[str, Any]:
    """One page of the claims that pass `filters`, newest document first, each with its
    comparisons and reviews; the total, the page count, and what the filters can choose."""
    bindings: dict[str, str] = {}
    for key, value in (("q", filters.q), ("from", filters.date_from), ("to", filters.date_to)):
        if value:
            bindings[key] = literal_term(value)
    for key, slug in (("outlet", filters.outlet), ("actor", filters.actor)):
        if slug:
            bindings[key] = iri_term(iris.actor(base, slug))
    # VALUES, not the engine's substitution: a filter must see its variable bound or not
    rows = first_per(store.select(with_values(load("read/claims.rq"), bindings)), "claim")
    marks = claim_marks(store, base)
    claims = [{**_row(row), **marks[row["claim"] or ""]} for row in rows]
    if filters.status:
        claims = [c for c in claims if _has_status(c, filters.status)]
    pages = max(1, -(-len(claims) // page_size))
    start = (filters.page - 1) * page_size
    shown = claims[start : start + page_size]
    _named(store, shown)
    return {
        "claims": shown,
        "total": len(claims),
        "page": filters.page,
        "pages": pages,
        "facets": _facets(store),
    }


def _speaker(claim: dict[str, Any]) -> dict[str, Any] | None:
    return claim.get("speaker") or claim.get("claimed_by")


def claim_detail(store: Store, base: str, doc_id: str, kind: str, n: str) -> dict[str, Any] | None:
    """One claim: its sentence, speaker, outlet, date and proposition, its comparisons and its
    review links with their judgements (and a statement's numbers and dates, with theirs);
    None when there is no such claim."""
    iri = iris.checked_claim(base, doc_id, kind, n)
    detail = document_detail(store, base, doc_id) if iri else None
    if iri is None or detail is None:
        return None
    claims = {c["iri"]: c for key in ("statements", "quantities", "dates") for c in detail[key]}
    claim = claims.get(iri)
    if claim is None:
        return None
    outer = claims.get(claim.get("statement") or "")
    said = proposition(
        kind,
        sentence=claim["sentence"]["text"],
        content=claim.get("content"),
        mention=claim.get("text"),
        statement_content=outer.get("content") if outer else None,
    )
    marks = claim_marks(store, base, detail["meta"]["document"])
    parts = [{**c, **marks[c["iri"]]} for c in claims.values() if c.get("statement") == iri]
    return {
        "claim": claim,
        "kind": kind,
        "document": detail,
        "speaker": _speaker(claim),
        "proposition": said,
        "comparisons": marks[iri]["comparisons"],
        "reviews": marks[iri]["reviews"],
        "parts": parts,  # the numbers and dates a statement states, each with its marks
    }
