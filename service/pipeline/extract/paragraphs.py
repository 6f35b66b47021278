"""Sentence starts at line breaks, set before the parser.

News text puts headlines, standfirsts and paragraphs on lines of their own, often without a
full stop; the parser would glue them to the next line. A preset start is respected by it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc

__all__ = ["ParagraphSplitter", "make_paragraphs"]


class ParagraphSplitter(Pipe):
    """Marks the first token after a line break as a sentence start."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            self.set_annotations(doc)
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)

    def set_annotations(self, doc: Doc) -> None:
        after_break = False
        for token in doc:
            if token.is_space and "\n" in token.text:
                after_break = True
                continue
            if "\n" in token.whitespace_:
                after_break = True
                continue
            if after_break and token.i > 0:
                token.is_sent_start = True
            after_break = False


@Language.factory("factgraph_paragraphs", assigns=["token.is_sent_start"])
def make_paragraphs(nlp: Language, name: str) -> ParagraphSplitter:  # noqa: ARG001
    return ParagraphSplitter(name)
