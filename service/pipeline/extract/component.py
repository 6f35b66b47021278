"""The shape every factgraph component shares: find what it reads in a Doc, then set it."""

from __future__ import annotations

from typing import Any

from spacy.pipeline import Pipe
from spacy.tokens import Doc

__all__ = ["FindingPipe"]


class FindingPipe(Pipe):
    """A component in two steps, as spaCy's own (`predict`, `set_annotations`): `find` reads,
    `set_annotations` writes. An error goes to the pipeline's error handler, so `nlp.pipe`
    callers choose whether one bad text raises or is skipped."""

    name: str

    def find(self, doc: Doc) -> Any:
        raise NotImplementedError

    def set_annotations(self, doc: Doc, found: Any) -> None:
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            self.set_annotations(doc, self.find(doc))
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)
