"""`GET /healthz`: the service answers and the store is readable."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from service.api.deps import StoreDep

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/healthz")
def health(store: StoreDep) -> dict[str, Any]:
    """Status and the number of quads (kept by the store as it writes: no scan per call)."""
    return {"status": "ok", "quads": store.quad_count()}
