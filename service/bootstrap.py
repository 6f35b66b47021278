"""Composition root shared by the CLI and the HTTP app: store, pipeline, shapes, ingestor."""

from __future__ import annotations

from service.analysis import ClaimComparer
from service.pipeline.extract import load_pipeline
from service.pipeline.graph import actors_graph_iri, to_ntriples
from service.pipeline.ingest import Ingestor
from service.pipeline.validate import Validator, ValidatorProcess
from service.rdf.registry import load_actors, registry_graph
from service.settings import Settings
from service.store import Store

__all__ = ["build_ingestor", "store_registry"]


def store_registry(store: Store, settings: Settings) -> None:
    """Replace the curated actor registry graph, so the store always holds the current one."""
    graph = registry_graph(settings.base_iri, settings.ontology_dir / "actors.ttl")
    store.replace_graph(actors_graph_iri(settings.base_iri), to_ntriples(graph))


def build_ingestor(store: Store, settings: Settings) -> Ingestor:
    """Load the spaCy pipeline and the shapes once; store the registry the pipeline links to.

    The caller closes the ingestor when done (it may hold a validation worker process).
    """
    actors = load_actors(settings.ontology_dir / "actors.ttl")
    nlp = load_pipeline(settings.spacy_model, actors)
    validator = (ValidatorProcess if settings.validation_process else Validator)(
        settings.shapes_dir, settings.ontology_dir
    )
    store_registry(store, settings)
    return Ingestor(
        store,
        nlp,
        validator,
        base_iri=settings.base_iri,
        batch_size=settings.batch_size,
        after_commit=ClaimComparer(store, settings.base_iri),
    )
