"""An evaluation run: make sure each gold document is in the store, read it back, score it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import spacy

from service.evaluation.gold import GoldDocument, GoldError, load_gold
from service.evaluation.readback import find_document, read_quantities, read_statements, read_text
from service.evaluation.score import DocumentScore, Lemmatize, score_document
from service.pipeline.documents import (
    Document,
    DocumentError,
    document_from_json,
    document_from_mapping,
)
from service.pipeline.ingest import Ingestor

__all__ = [
    "Evaluation",
    "EvaluationError",
    "evaluate",
    "find_gold_text",
    "gold_files",
    "spacy_lemmatizer",
]


class EvaluationError(ValueError):
    """An evaluation that cannot run as asked; the message says which file and why."""


def spacy_lemmatizer(model: str) -> Lemmatize:
    """Lemmas from the service's own model (tagger and lemmatizer only), cached per string."""
    nlp = spacy.load(model, exclude=["parser", "ner"])

    @lru_cache(maxsize=4096)
    def lemmatize(text: str) -> list[str]:
        return [token.lemma_ for token in nlp(text) if not token.is_punct]

    return lambda text: list(lemmatize(text))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_gold_text(gold: GoldDocument, folders: Sequence[Path], max_text_bytes: int) -> Document:
    """The annotated document: a `.json` document with the same text, or the named `.txt`.

    A `.txt` takes its metadata from a `metadata.json` beside it, keyed by file name.
    """
    for folder in folders:
        candidate = folder / gold.file
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8")
            if _sha256(text) == gold.text_sha256:
                meta_path = folder / "metadata.json"
                meta = json.loads(meta_path.read_text("utf-8")) if meta_path.is_file() else {}
                data = {**meta.get(gold.file, {}), "text": text}
                return document_from_mapping(
                    data, max_text_bytes=max_text_bytes, source=str(candidate)
                )
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
            try:
                document = document_from_json(
                    path.read_bytes(), max_text_bytes=max_text_bytes, source=str(path)
                )
            except DocumentError:
                continue
            if document.content_hash == gold.text_sha256:
                return document
    searched = ", ".join(str(f) for f in folders) or "nowhere"
    raise EvaluationError(
        f"{gold.path}: the text of {gold.file} is not in the store, nor in {searched}; "
        "give its folder with --texts"
    )


def gold_files(paths: Sequence[Path]) -> list[Path]:
    """Gold files given directly, and every `*.gold.json` in the folders given, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob("*.gold.json")))
        elif path.is_file():
            found.append(path)
        else:
            raise EvaluationError(f"{path}: no such file or folder")
    if not found:
        raise EvaluationError(f"no gold files (*.gold.json) in {', '.join(map(str, paths))}")
    return found


@dataclass(slots=True)
class Evaluation:
    """The scores of each document, against the gold (recall) and, where a second gold is
    given for precision, against that one; and the documents that could not be stored."""

    documents: list[DocumentScore] = field(default_factory=list)
    precision: list[DocumentScore] | None = None
    unstored: list[tuple[GoldDocument, str]] = field(default_factory=list)


def _precision_gold(gold: GoldDocument, folder: Path) -> GoldDocument:
    path = folder / gold.path.name
    try:
        other = load_gold(path)
    except GoldError as exc:
        raise EvaluationError(str(exc)) from None
    if other.text_sha256 != gold.text_sha256:
        raise EvaluationError(f"{path} annotates another text than {gold.path}")
    return other


def evaluate(
    gold_paths: Sequence[Path],
    ingestor: Ingestor,
    text_folders: Sequence[Path],
    lemmatize: Lemmatize,
    max_text_bytes: int,
    precision_folder: Path | None = None,
) -> Evaluation:
    """Score each gold file against the graph the store holds for its text.

    Documents not yet stored are ingested first, through the same flow users get. A document
    that cannot be stored is counted as found nothing (its gold all missed) and listed with
    why; the others are scored all the same.
    """
    try:
        golds = [load_gold(path) for path in gold_files(gold_paths)]
    except GoldError as exc:
        raise EvaluationError(str(exc)) from None
    store = ingestor.store
    result = Evaluation(precision=[] if precision_folder is not None else None)
    missing = [gold for gold in golds if find_document(store, gold.text_sha256) is None]
    if missing:
        documents = []
        for gold in missing:
            folders = [*text_folders, gold.path.parent, gold.path.parent.parent.parent / "seeds"]
            documents.append(find_gold_text(gold, folders, max_text_bytes))
        for gold, ingested in zip(missing, ingestor.ingest(documents), strict=True):
            if not ingested.stored:
                result.unstored.append((gold, ingested.reason or "it was not stored"))
    for gold in golds:
        iri = find_document(store, gold.text_sha256)
        text = read_text(store, iri) if iri else ""
        statements = read_statements(store, iri) if iri else []
        quantities = read_quantities(store, iri) if iri else []
        result.documents.append(score_document(gold, text, statements, quantities, lemmatize))
        if result.precision is not None and precision_folder is not None:
            other = _precision_gold(gold, precision_folder)
            result.precision.append(
                score_document(other, text, statements, quantities, lemmatize)
            )
    return result
