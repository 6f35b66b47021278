"""`/ask/...`: the common questions, each answered with the SPARQL that produced the answer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from service.api.deps import StoreDep, TextIndexDep
from service.api.errors import ApiError
from service.read.questions import source_of, who_said

__all__ = ["router"]

router = APIRouter(tags=["questions"])


@router.get("/ask/who-said")
def ask_who_said(store: StoreDep, index: TextIndexDep, text: str | None = None) -> dict[str, Any]:
    """Statements whose content contains `text` (any case): speaker, cue, outlet, sentence;
    found by the text index and ranked by BM25 where the store has one, else by a scan."""
    return who_said(store, text, index.index if index is not None else None).to_json(
        "statements"
    )


@router.get("/ask/source-of")
def ask_source_of(store: StoreDep, claim: str | None = None) -> dict[str, Any]:
    """Where a claim comes from: document, outlet, sentence, offsets, extraction run."""
    answer = source_of(store, claim)
    if not answer.rows:
        raise ApiError(
            404,
            f"no statement, quantity or date claim {answer.about['claim']} is stored",
            extra={"sparql": answer.sparql},
        )
    return answer.to_json("sources")
