"""ClaimReview over HTTP: a claim as a ClaimReview-ready schema:Claim, and review imports.

- `GET /claims/{doc_id}/{kind}/{n}/claimreview` (kind: statement, quantity, date) or
  `GET /claims/claimreview?claim=<claim IRI>`: the claim as JSON-LD (application/ld+json).
- `POST /claimreviews`: ClaimReview JSON-LD (one, a list, or a DataFeed); 201 with each
  review's IRI and the claims it was linked to, with scores.
- `GET /claimreviews`: the stored reviews as a DataFeed.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from service.api.auth import WriteAccess
from service.api.body import content_type, read_capped
from service.api.deps import SettingsDep, StoreDep
from service.api.errors import ApiError
from service.api.negotiate import acceptable
from service.claimreview.claims import load_claim
from service.claimreview.export import claim_json, feed_bytes, reviews_feed
from service.claimreview.importer import import_claimreviews
from service.rdf import iris
from service.settings import Settings
from service.store import Store, iri_term

__all__ = ["MAX_CLAIMREVIEW_BYTES", "router"]

router = APIRouter(tags=["claimreview"])

MAX_CLAIMREVIEW_BYTES = 20_000_000  # a Data Commons feed of a few thousand reviews fits
_JSONLD = "application/ld+json"
_OFFERED = (_JSONLD, "application/json")
_ACCEPTED_BODIES = ("application/json", _JSONLD)


def _jsonld(body: bytes, accept: str | None) -> Response:
    if not acceptable(accept, _OFFERED):
        raise ApiError(406, f"this resource is served as {_JSONLD}; your Accept is {accept}")
    return Response(body, media_type=_JSONLD, headers={"Vary": "Accept"})


def _claim_response(store: Store, iri: str | None, shown: str, accept: str | None) -> Response:
    data = load_claim(store, iri) if iri is not None else None
    if iri is None or data is None:
        raise ApiError(404, f"there is no stored claim {shown}")
    return _jsonld(json.dumps(claim_json(data.claims[iri], data)).encode("utf-8"), accept)


@router.get("/claims/claimreview")
def claim_by_iri(
    store: StoreDep,
    settings: SettingsDep,
    claim: Annotated[str, Query(description="The claim's IRI.")],
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """The claim named by its IRI as a schema.org Claim (the itemReviewed of a ClaimReview)."""
    iri = iris.own_claim(settings.base_iri, claim)
    return _claim_response(store, iri, iri_term(claim), accept)


@router.get("/claims/{doc_id}/{kind}/{n}/claimreview")
def claim_by_path(
    doc_id: str,
    kind: str,
    n: str,
    store: StoreDep,
    settings: SettingsDep,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """The claim `{base}id/document/{doc_id}/{kind}/{n}` (kind: statement, quantity or date)
    as a schema.org Claim, ready to be the itemReviewed of a ClaimReview."""
    iri = iris.checked_claim(settings.base_iri, doc_id, kind, n)
    return _claim_response(store, iri, f"{doc_id}/{kind}/{n}", accept)


def _import(store: Store, raw: bytes, settings: Settings) -> list[dict[str, Any]]:
    return [r.to_json() for r in import_claimreviews(store, raw, settings.base_iri)]


_REVIEWS_SCHEMA = {
    "oneOf": [
        {"type": "object", "description": "one ClaimReview, or a schema.org DataFeed"},
        {"type": "array", "items": {"type": "object"}},
    ]
}
_REVIEWS_BODY = {
    "required": True,
    "content": {kind: {"schema": _REVIEWS_SCHEMA} for kind in _ACCEPTED_BODIES},
}


@router.post(
    "/claimreviews",
    status_code=201,
    dependencies=[WriteAccess],
    openapi_extra={"requestBody": _REVIEWS_BODY},
)
async def post_claimreviews(
    request: Request, store: StoreDep, settings: SettingsDep
) -> JSONResponse:
    """Import ClaimReview JSON-LD: one review, a list, or a schema.org DataFeed.

    201 with each review's IRI and the claims it was linked to (`fg:reviews`) with scores;
    422 for JSON that is not ClaimReview, 400 for bytes that are not UTF-8, 413 over the cap.
    """
    kind = content_type(request)
    if kind not in _ACCEPTED_BODIES:
        raise ApiError(
            415, f"send ClaimReviews as {' or '.join(_ACCEPTED_BODIES)}, not {kind or 'no type'}"
        )
    raw = await read_capped(request, MAX_CLAIMREVIEW_BYTES, "the ClaimReview body")
    reviews = await run_in_threadpool(_import, store, raw, settings)
    return JSONResponse({"imported": len(reviews), "reviews": reviews}, status_code=201)


@router.get("/claimreviews")
def list_claimreviews(store: StoreDep, accept: Annotated[str | None, Header()] = None) -> Response:
    """Every imported ClaimReview, as a schema.org DataFeed (with its `fg:reviews` links)."""
    return _jsonld(feed_bytes(reviews_feed(store)), accept)
