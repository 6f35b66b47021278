"""A document made ready to store, in whichever process runs it: extracted, its graph built,
validated, written as N-Triples.

This is the per-document work of ingest, and nearly all of its cost (spaCy and SHACL both hold
the GIL): the local extraction workers (`service.pipeline.extraction`) and the Dask workers
(`service.pipeline.distributed`) each run a `Preparer`, the model and the shapes loaded once
per process, so every core validates as well as extracts. What needs the store (the text's
known appearances, its near-copies) is looked up before a document is sent, and travels with
it in its `Job`; what is stored, and when, is the caller's business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from service import __version__
from service.pipeline.documents import Document
from service.pipeline.extraction import ExtractorConfig
from service.pipeline.graph import RunInfo, build_document_graph, graph_counts, to_ntriples
from service.pipeline.records import Extraction
from service.pipeline.syndication import NearCopy
from service.pipeline.validate import ValidationReport, Validator

__all__ = ["Job", "Prepared", "Preparer"]


@dataclass(frozen=True, slots=True)
class Job:
    """One document to prepare, with what the store knew of it when it was sent."""

    document: Document
    iri: str
    started: dt.datetime  # when the ingest run began (the extraction run's start)
    near_copies: tuple[NearCopy, ...] = ()

    @property
    def text(self) -> str:  # what the extraction pool budgets by
        return self.document.text

    @property
    def source(self) -> str | None:
        return self.document.source


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document's graph ready to store (`ntriples`), or why it must not be stored."""

    counts: dict[str, int] = field(default_factory=dict)
    ntriples: bytes | None = None  # set only when the graph conforms to the shapes
    triples: int = 0
    report: ValidationReport | None = None  # set when the graph does not conform
    fault: str | None = None  # set when no graph could be built from the extraction


class Preparer:
    """The spaCy pipeline and the shapes of one process, each loaded once."""

    def __init__(self, config: ExtractorConfig) -> None:
        from service.pipeline.extract import load_pipeline
        from service.rdf.registry import load_actors

        self.config = config
        self.nlp = load_pipeline(config.model, load_actors(config.registry))
        checks = config.checks
        self.validator = (
            None if checks is None else Validator(checks.shapes_dir, checks.ontology_dir)
        )

    def extract(self, items: Sequence[Document | Job]) -> Iterator[Extraction | Prepared]:
        """An Extraction per document, or, when the config has checks, a Prepared per job:
        the call `ExtractionWorkers.extract` makes in each worker, here in this process."""
        from service.pipeline.extract import extract_documents

        documents = [item.document if isinstance(item, Job) else item for item in items]
        readable = [d for d in documents if d.claims_withheld is None]
        read = iter(extract_documents(self.nlp, readable, self.config.batch_size))
        for item, document in zip(items, documents, strict=True):
            # a text in a language the pipeline does not read is not read: no claims
            extraction = Extraction() if document.claims_withheld is not None else next(read)
            yield self.finish(item, extraction) if isinstance(item, Job) else extraction

    def finish(self, job: Job, extraction: Extraction) -> Prepared:
        """The job's graph from its extraction, validated; N-Triples only when it conforms."""
        checks, validator = self.config.checks, self.validator
        if checks is None or validator is None:
            raise ValueError("this preparer extracts only: its config has no checks")
        counts = graph_counts(extraction)
        run = RunInfo(__version__, job.started, dt.datetime.now(dt.UTC))
        try:
            graph = build_document_graph(
                job.document, extraction, base_iri=checks.base_iri, run=run,
                near_copies=job.near_copies,
            )
        except ValueError as exc:  # one bad record loses its document, not the batch
            return Prepared(counts, fault=str(exc))
        report = validator.validate(graph)
        if not report.conforms:
            return Prepared(counts, report=report)
        return Prepared(counts, ntriples=to_ntriples(graph), triples=len(graph))

    def close(self) -> None:
        """Nothing to stop (the same call as `ExtractionWorkers.close`)."""
