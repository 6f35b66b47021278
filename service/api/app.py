"""The composition root of the HTTP service: store, settings, ingestor, routers, errors."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI

from service import __version__
from service.analysis import AnalysisWriter
from service.api import (
    actors,
    ask,
    claimreview,
    claims,
    documents,
    export,
    graph_store,
    health,
    judgements,
    linked,
    pages,
    sparql,
)
from service.api.clients import ClientQueries
from service.api.deps import IngestorHolder
from service.api.errors import install_error_handlers
from service.api.openapi import install_openapi
from service.api.shutdown import ShutdownAnswer
from service.settings import Settings
from service.store import Store
from service.textindex.attach import text_indexer_for
from service.textindex.sync import TextIndexer

if TYPE_CHECKING:
    from service.pipeline.ingest import Ingestor

__all__ = ["create_app"]


def create_app(
    settings: Settings,
    *,
    store: Store,
    analysis: AnalysisWriter | None = None,
    text: TextIndexer | None = None,
    ingestor_factory: Callable[[], Ingestor] | None = None,
) -> FastAPI:
    """The app over `store`, which the caller opens and closes (`service.bootstrap.build_app`
    composes the whole service). `analysis` is the store's one writer of comparisons, `text`
    of its text index (the store's own when not given; none for a remote store);
    `ingestor_factory` builds the ingest pipeline on the first POST /documents (without it,
    the app serves what is stored and refuses new documents).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            app.state.ingestors.close()

    app = FastAPI(
        title="factgraph",
        version=__version__,
        summary="A fact-check knowledge graph: news articles in, provenance answers out.",
        docs_url=None,  # the stock pages load scripts from a CDN; /openapi.json stays
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.analysis = analysis or AnalysisWriter(store, settings.base_iri)
    app.state.text = text or text_indexer_for(store, settings.base_iri)
    app.state.ingestors = IngestorHolder(ingestor_factory, settings.ingest_queue)
    app.state.client_queries = ClientQueries(settings.client_queries)
    install_error_handlers(app)
    app.add_middleware(ShutdownAnswer)
    install_openapi(app)
    # linked stays last: its /id/{kind}/{rest} fallback must not shadow anyone's routes
    for module in (
        *(sparql, graph_store, documents, export, health, pages, claims, ask, actors),
        *(judgements, claimreview, linked),
    ):
        app.include_router(module.router)
    return app
