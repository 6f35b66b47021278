"""`fg:textScore(?node, "words")`: the text index as a SPARQL extension function.

The BM25 score (xsd:double) of the best entry of `?node` (a statement, quantity claim or actor)
whose text holds the words as a phrase, in any case; unbound when it holds them nowhere (so
`FILTER(BOUND(?score))` keeps the matches and `ORDER BY DESC(?score)` ranks them). The words
are looked up once per query and text (tantivy), then each call is a dictionary lookup.

A function, not a magic property (`?node fg:matches "words"`): pyoxigraph lets Python extend
SPARQL with functions (`custom_functions`) and with nothing that can make rows, so a magic
property would need a query rewriter of our own in front of Oxigraph's parser; a function is
standard SPARQL 1.1 syntax (§17.6) that any SPARQL parser reads, and a store without it (a
remote one) says so as it would for any unknown function. Registered for clients' queries in
the query worker processes, which open the index directory read-only, and in this process.

Imports only pyoxigraph and the index: a query worker starts fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from service.textindex.index import TextIndex

__all__ = ["TextFunction", "text_functions"]

_CACHED_TEXTS = 32  # distinct search texts one query may use before the oldest are forgotten


class TextFunction:
    """The function's IRI and the index it reads: given one (writing process), or opened
    read-only from `path` on first use (a query worker)."""

    def __init__(self, iri: str, index: TextIndex | None = None, path: str | None = None):
        self.iri = iri
        self.path = path if index is None else None
        self._index = index

    @property
    def name(self) -> str:
        """The function's local name, which any query calling it spells (prefixed or not)."""
        return self.iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    @property
    def index(self) -> TextIndex | None:
        """The index read: the one given, or the one opened from `path` once used."""
        return self._index

    def _opened(self) -> TextIndex | None:
        if self._index is None and self.path and Path(self.path).exists():
            self._index = TextIndex(self.path, read_only=True)
        elif self._index is not None and self.path:
            self._index.refresh()  # a worker's reader: see what the writer committed since
        return self._index

    def functions(self) -> dict[ox.NamedNode, Callable[..., Any]]:
        """The `custom_functions` of one query."""
        index = self._opened()
        if index is None:
            return {}
        return {ox.NamedNode(self.iri): text_functions(index)}


def text_functions(index: TextIndex) -> Callable[..., ox.Literal | None]:
    """`fg:textScore` over `index`, with the scores of each text looked up once."""
    found: dict[str, dict[str, float]] = {}

    def text_score(node: Any = None, text: Any = None, *extra: Any) -> ox.Literal | None:
        if extra or not isinstance(node, ox.NamedNode) or not isinstance(text, ox.Literal):
            return None
        scores = found.get(text.value)
        if scores is None:
            if len(found) >= _CACHED_TEXTS:
                found.pop(next(iter(found)))
            scores = found[text.value] = index.scores(text.value)
        score = scores.get(node.value)
        return None if score is None else ox.Literal(score)

    return text_score
