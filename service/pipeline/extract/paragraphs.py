"""Sentence starts at line breaks, set before the parser.

News text puts headlines, standfirsts and paragraphs on lines of their own, often without a
full stop; the parser would glue them to the next line. A preset start is respected by it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["ParagraphSplitter", "make_paragraphs"]


class ParagraphSplitter:
    """Marks the first token after a line break as a sentence start."""

    def __call__(self, doc: Doc) -> Doc:
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
        return doc


@Language.factory("factgraph_paragraphs", assigns=["token.is_sent_start"])
def make_paragraphs(nlp: Language, name: str) -> ParagraphSplitter:  # noqa: ARG001
    return ParagraphSplitter()
