"""`/claims/comparisons`: where documents corroborate, contradict or talk past each other."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from service.api.deps import SettingsDep, StoreDep
from service.read.comparisons import list_comparisons, parse_status

__all__ = ["router"]

router = APIRouter(tags=["claims"])


@router.get("/claims/comparisons")
def comparisons(
    store: StoreDep, settings: SettingsDep, status: str | None = None
) -> dict[str, Any]:
    """Claims compared: `status` = conflict, corroboration or related (none: all, conflicts
    first, those a reviewer rejected last with the status "rejected"); each with its reason,
    both claims' sources, the machine's status and the reviewer's latest judgement, which
    wins (a rejected conflict is never listed under `status=conflict`)."""
    wanted = parse_status(status)
    found = list_comparisons(store, settings.base_iri, wanted)
    return {
        "status": wanted.query_name if wanted else None,
        "count": len(found),
        "comparisons": found,
    }
