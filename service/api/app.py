"""The composition root of the HTTP service: store, settings, ingestor, routers, errors."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI

from service import __version__
from service.api import (
    actors,
    ask,
    claimreview,
    claims,
    documents,
    export,
    graph_store,
    health,
    linked,
    pages,
    sparql,
)
from service.api.deps import IngestorHolder
from service.api.errors import install_error_handlers
from service.settings import Settings
from service.settings import settings as default_settings
from service.store import Store
from service.store.open import open_store

if TYPE_CHECKING:
    from service.pipeline.ingest import Ingestor

__all__ = ["create_app"]


def _default_factory(store: Store, settings: Settings) -> Callable[[], Ingestor]:
    def build() -> Ingestor:
        from service.bootstrap import build_ingestor  # loads spaCy: only on first ingest

        return build_ingestor(store, settings)

    return build


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    ingestor_factory: Callable[[], Ingestor] | None = None,
) -> FastAPI:
    """The app over `store` (opened from `settings.store` when not given, and then closed
    with the app). The Ingestor is built by `ingestor_factory` on the first POST /documents.
    """
    settings = settings or default_settings
    owns_store = store is None
    opened: Store = open_store(settings.store) if store is None else store

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            app.state.ingestors.close()
            if owns_store:
                opened.close()

    app = FastAPI(
        title="factgraph",
        version=__version__,
        summary="A fact-check knowledge graph: news articles in, provenance answers out.",
        docs_url=None,  # the stock pages load scripts from a CDN; /openapi.json stays
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = opened
    app.state.ingestors = IngestorHolder(ingestor_factory or _default_factory(opened, settings))
    install_error_handlers(app)
    # linked stays last: its /id/{kind}/{rest} fallback must not shadow anyone's routes
    for module in (
        *(sparql, graph_store, documents, export, health, pages, claims, ask, actors),
        *(claimreview, linked),
    ):
        app.include_router(module.router)
    return app
