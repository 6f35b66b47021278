"""The composition root: settings are read here, once, and every part is built from them.

The CLI commands and `factgraph serve` call these; nothing below reads the environment or a
global setting: each part gets what it needs as arguments (a base IRI, a directory, a limit).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from service.analysis import AnalysisWriter
from service.rdf import iris
from service.rdf.registry import registry_graph
from service.settings import Settings
from service.store import QueryError, QueryTimeoutError, Store
from service.store.check import bring_up_to_date
from service.store.open import open_store
from service.store.workers import QueryLimits
from service.textindex.attach import text_indexer_for
from service.textindex.sync import TextIndexer

if TYPE_CHECKING:  # the pipeline loads spaCy; the HTTP app starts without it
    from fastapi import FastAPI
    from spacy.language import Language

    from service.pipeline.distributed import ClusterIngestor
    from service.pipeline.extraction import ExtractionWorkers, ExtractorConfig
    from service.pipeline.ingest import Ingestor, JobRunner
    from service.sources.fetch import Fetcher

__all__ = [
    "build_app",
    "build_cluster_ingestor",
    "build_extractor",
    "build_fetcher",
    "build_ingestor",
    "build_pipeline",
    "catch_up",
    "configured",
    "extractor_config",
    "open_configured_store",
    "store_registry",
    "text_indexer",
]


log = logging.getLogger("factgraph")


def configured(**flags: Any) -> Settings:
    """The settings from the environment (`FACTGRAPH_*`), with the flags a user gave (those
    not None) taking precedence."""
    settings = Settings()
    given = {name: value for name, value in flags.items() if value is not None}
    return settings.model_copy(update=given) if given else settings


def _store_password(settings: Settings) -> str | None:
    """The remote store's password, unwrapped only where a connection is made."""
    password = settings.store_password
    return password.get_secret_value() if password is not None else None


def open_configured_store(settings: Settings) -> Store:
    """The store the settings name, with their base IRI, query limits and credentials."""
    return open_store(
        settings.store,
        base_iri=settings.base_iri,
        limits=QueryLimits(
            timeout=settings.query_timeout,
            max_result_bytes=settings.max_result_bytes,
            workers=settings.query_workers,
            memory_mb=settings.query_memory_mb,
            federation=settings.federation_endpoints,
        ),
        username=settings.store_username,
        password=_store_password(settings),
    )


def catch_up(
    store: Store,
    settings: Settings,
    analysis: AnalysisWriter,
    text: TextIndexer | None = None,
) -> None:
    """Rebuild the derived data that lags the documents before anything is served or ingested:
    a process killed between committing a document and indexing its text or comparing its
    claims left it behind (`service.textindex.sync`, `service.store.check`). A remote store
    that does not answer now is left as it is; the first request to it will say why."""
    try:
        if text is not None:
            text.catch_up()
        bring_up_to_date(store, settings.base_iri, analysis)
    except (OSError, QueryError, QueryTimeoutError) as exc:
        log.warning("could not check the store's derived data at start: %s", exc)


def text_indexer(store: Store, settings: Settings) -> TextIndexer | None:
    """The store's text index and its writer (None for a remote store: no local index)."""
    return text_indexer_for(store, settings.base_iri)


def store_registry(store: Store, settings: Settings) -> None:
    """Replace the actor registry graph, so the store holds the registry the pipeline links to."""
    from service.pipeline.graph import to_ntriples

    graph = registry_graph(settings.base_iri, settings.registry_files)
    store.replace_graph(iris.actors_graph(settings.base_iri), to_ntriples(graph))


def build_pipeline(settings: Settings) -> Language:
    """The spaCy pipeline with factgraph's components, linked to the actor registry."""
    from service.pipeline.extract import load_pipeline
    from service.rdf.registry import load_actors

    return load_pipeline(settings.spacy_model, load_actors(settings.registry_files))


def extractor_config(settings: Settings, *, checks: bool) -> ExtractorConfig:
    """What a worker process loads: the model and registry; with `checks`, the shapes too, so
    the worker also builds and validates each document's graph (`service.pipeline.prepare`)."""
    from service.pipeline.extraction import ExtractorConfig, GraphChecks

    return ExtractorConfig(
        model=settings.spacy_model,
        registry=settings.registry_files,
        batch_size=settings.batch_size,
        budget=settings.extraction_budget,
        checks=GraphChecks(settings.base_iri, settings.shapes_dir, settings.ontology_dir)
        if checks
        else None,
    )


def build_extractor(settings: Settings, *, checks: bool = False) -> ExtractionWorkers:
    """`extraction_workers` processes, each document within the extraction budget: each
    extracts, or with `checks` also builds and validates the graph."""
    from service.pipeline.extraction import ExtractionWorkers

    return ExtractionWorkers(
        extractor_config(settings, checks=checks), settings.extraction_workers
    )


def build_ingestor(
    store: Store,
    settings: Settings,
    analysis: AnalysisWriter | None = None,
    text: TextIndexer | None = None,
    *,
    runner: JobRunner | None = None,
    overlap: bool = True,
) -> Ingestor:
    """The pipeline and the shapes loaded once in each of `extraction_workers` processes
    (or the given `runner`), writing into `store`; each committed document's text indexed by
    `text` (the store's index when not given) and then its claims compared by `analysis`
    (the store's one AnalysisWriter; a new one when not given). `overlap=False` commits each
    document before the next is prepared (the sequential yardstick of bench/workers.py).

    It writes nothing by itself: call `store_registry` first. The caller closes the ingestor
    when done (it holds the worker processes).
    """
    from service.pipeline.ingest import Ingestor

    compare = analysis or AnalysisWriter(store, settings.base_iri)
    index = text or text_indexer(store, settings)

    def after_commit(document_iri: str) -> None:
        if index is not None:
            index(document_iri)
        compare(document_iri)

    return Ingestor(
        store,
        runner or build_extractor(settings, checks=True),
        base_iri=settings.base_iri,
        after_commit=after_commit,
        overlap=overlap,
    )


def build_fetcher(settings: Settings, *, guard: bool) -> Fetcher:
    """The page fetcher of the settings; `guard`: public addresses only (the API's fetches)."""
    from service.sources.fetch import Fetcher, FetchPolicy

    policy = FetchPolicy(
        user_agent=settings.fetch_user_agent,
        timeout=settings.fetch_timeout,
        max_bytes=settings.fetch_max_bytes,
        max_redirects=settings.fetch_max_redirects,
        retries=settings.fetch_retries,
        backoff=settings.fetch_backoff,
        guard=guard,
        guard_exempt=frozenset(settings.fetch_guard_exempt),
    )
    return Fetcher(policy)


def build_cluster_ingestor(
    store: Store, settings: Settings, address: str, analysis: AnalysisWriter | None = None
) -> ClusterIngestor:
    """An ingestor whose documents are prepared and stored by the workers of the Dask cluster
    at `address`, into the shared store the settings name (a SPARQL server the workers reach
    at the same location, with the same credentials); `analysis` compares here.

    Raises ValueError for a store the workers cannot share, OSError when no scheduler answers.
    """
    from distributed import Client

    from service.pipeline.distributed import ClusterIngestor, StoreAccess
    from service.store.remote import RemoteSparqlStore

    if not isinstance(store, RemoteSparqlStore):
        raise ValueError(
            "--dask needs a store every worker can write to: a SPARQL server "
            "(--store sparql+http://host:port/sparql or FACTGRAPH_STORE)"
        )
    access = StoreAccess(
        settings.store, settings.base_iri, settings.store_username, _store_password(settings)
    )
    client = Client(address, timeout=settings.cluster_timeout)
    return ClusterIngestor(
        client, store, access, extractor_config(settings, checks=True),
        retries=settings.cluster_retries,
        after_commit=analysis or AnalysisWriter(store, settings.base_iri),
    )


def build_app(settings: Settings, store: Store) -> FastAPI:
    """The HTTP service over `store`: one AnalysisWriter and one text index writer for ingest
    and deletes, the ingest pipeline built (and the registry stored) on the first
    `POST /documents`. The text index and comparisons that lag the documents are rebuilt
    first."""
    from service.api.app import create_app

    analysis = AnalysisWriter(store, settings.base_iri)
    text = text_indexer(store, settings)
    catch_up(store, settings, analysis, text)

    def ingestor() -> Ingestor:
        store_registry(store, settings)
        return build_ingestor(store, settings, analysis, text)

    return create_app(
        settings, store=store, analysis=analysis, text=text, ingestor_factory=ingestor
    )
