"""`/actors/{slug}/statements`: what one actor said, across documents."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from service.api.deps import SettingsDep, StoreDep
from service.read.actors import actor_statements

__all__ = ["router"]

router = APIRouter(tags=["actors"])


@router.get("/actors/{slug}/statements")
def statements_of(slug: str, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    """Everything the actor said: content, cue, sentence, outlet, date, and whom it came via."""
    return actor_statements(store, settings.base_iri, slug).to_json("statements")
