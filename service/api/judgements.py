"""People judge the machine over HTTP: confirm or reject a ClaimReview's link to a claim, or a
claim comparison; read the judgements and every review link with its status.

- `POST /judgements` (behind the update token): `{"review": IRI, "claim": IRI, "verdict":
  "confirmed"|"rejected", "reviewer": "name", "note": "..."}`, or `{"comparison": IRI, ...}`;
  201 with the judgement stored (who, when).
- `GET /judgements`: the judgement that wins for each thing judged.
- `GET /claimreviews/links`: every review-to-claim link, its score and method, and its status
  ("machine", or "confirmed"/"rejected" by whom and when).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from service.api.auth import WriteAccess
from service.api.body import content_type, read_capped
from service.api.deps import SettingsDep, StoreDep
from service.api.errors import ApiError
from service.claimreview.judgements import (
    VERDICTS,
    JudgementError,
    judge,
    latest_judgements,
    review_links,
)
from service.pipeline.documents import decode_utf8

__all__ = ["router"]

router = APIRouter(tags=["judgements"])

_MAX_BODY = 64 * 1024
_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["verdict", "reviewer"],
                "properties": {
                    "review": {"type": "string", "format": "uri"},
                    "claim": {"type": "string", "format": "uri"},
                    "comparison": {"type": "string", "format": "uri"},
                    "verdict": {"type": "string", "enum": sorted(VERDICTS)},
                    "reviewer": {"type": "string", "minLength": 1, "maxLength": 200},
                    "note": {"type": "string", "maxLength": 2000},
                },
            }
        }
    },
}


@router.post(
    "/judgements", status_code=201, dependencies=[WriteAccess], openapi_extra={"requestBody": _BODY}
)
async def post_judgement(request: Request, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """Confirm or reject a review's link to a claim (`review` and `claim`) or a claim
    comparison (`comparison`): stored with the reviewer and the time, it wins over the
    machine's judgement. 400 for a request that is no judgement, 404 for what is not stored."""
    kind = content_type(request)
    if kind != "application/json":
        raise ApiError(415, f"send the judgement as application/json, not {kind or 'no type'}")
    raw = await read_capped(request, _MAX_BODY, "the judgement")
    try:
        body: Any = json.loads(decode_utf8(raw, what="the judgement"))
    except json.JSONDecodeError as exc:
        raise JudgementError(f"the body is not JSON: {exc.msg} at line {exc.lineno}") from None
    stored = await run_in_threadpool(judge, store, settings.base_iri, body)
    return JSONResponse(stored.to_json(), status_code=201, headers={"Location": stored.iri})


@router.get("/judgements")
def list_judgements(store: StoreDep) -> list[dict[str, Any]]:
    """The judgement that wins for each judged link or comparison, latest first."""
    return [j.to_json() for j in latest_judgements(store).values()]


@router.get("/claimreviews/links")
def list_review_links(store: StoreDep) -> list[dict[str, Any]]:
    """Every ClaimReview's link to a claim: the matcher's score and method, and its status
    ("machine", or "confirmed"/"rejected" with the reviewer's judgement)."""
    return review_links(store)
