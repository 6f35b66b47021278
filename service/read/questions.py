"""The common questions as SPARQL: who said this, where does this claim come from.

User values never enter the query text: each is checked here, then handed to the engine as a
binding (`Store.select(..., bindings)`; the bound variable is in the projection, as pyoxigraph
requires). Each answer also carries the query as a user can run it: the same text with the
values written as a `VALUES` clause by pyoxigraph's own term serialiser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from service.read.rows import first_per, integer, local_name
from service.sparql import load, with_values
from service.store import Store, iri_term, literal_term
from service.textindex import Entry, TextIndex, words

__all__ = [
    "MAX_TEXT_CHARS",
    "Answer",
    "InvalidInputError",
    "check_iri",
    "check_text",
    "run",
    "source_of",
    "statement_json",
    "who_said",
]

MAX_TEXT_CHARS = 500
MAX_STATEMENTS_FOUND = 10_000  # the best-scored statements who-said reads by the index
MAX_IRI_CHARS = 2_000
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')


class InvalidInputError(ValueError):
    """A value the question cannot take; the message says what to send instead."""


@dataclass(frozen=True, slots=True)
class Answer:
    """Rows and the exact SPARQL (values shown bound) that produced them."""

    sparql: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    about: dict[str, Any] = field(default_factory=dict)

    def to_json(self, name: str) -> dict[str, Any]:
        return {**self.about, name: self.rows, "count": len(self.rows), "sparql": self.sparql}


# --- checks -----------------------------------------------------------------------------------


def check_text(text: str | None, what: str = "text") -> str:
    """Non-empty, at most MAX_TEXT_CHARS, no control characters but spaces."""
    if text is None or not text.strip():
        raise InvalidInputError(f"give the {what} to look for, e.g. ?{what}=language of force")
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInputError(
            f"the {what} is {len(text)} characters long; send at most {MAX_TEXT_CHARS}"
        )
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        raise InvalidInputError(f"the {what} holds control characters; send plain text")
    return text.strip()


def check_iri(iri: str | None, what: str = "claim") -> str:
    """An absolute http(s) IRI with none of the characters an IRI may not hold."""
    if iri is None or not iri:
        raise InvalidInputError(f"give the {what} IRI, e.g. ?{what}=http://.../quantity/0")
    if len(iri) > MAX_IRI_CHARS:
        raise InvalidInputError(f"the {what} IRI is longer than {MAX_IRI_CHARS} characters")
    bad = _IRI_FORBIDDEN.search(iri)
    if bad is not None:
        raise InvalidInputError(
            f"the {what} IRI holds {bad.group()!r}, which an IRI may not hold "
            '(no spaces or <>"{}|\\^`)'
        )
    if not re.match(r"https?://[^/]", iri):
        raise InvalidInputError(f"the {what} IRI must be an absolute http:// or https:// IRI")
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise InvalidInputError(f"the {what} IRI is not a valid IRI: {exc}") from None
    return iri


def run(store: Store, name: str, bindings: dict[str, str]) -> tuple[list[dict], str]:
    """The rows of query `name` with the values bound by the engine, and the same query as a
    user can copy and run it (the values in a VALUES row: the same solutions, as every such
    query uses its bound variables in triple patterns or a top-level FILTER only)."""
    sparql = load(name)
    return store.select(sparql, bindings), with_values(sparql, bindings)


# --- who said ---------------------------------------------------------------------------------


def _statement(
    statement: str | None,
    speaker: str | None,
    speaker_name: str | None,
    cue: str | None,
    content: str | None,
    content_begin: int | None,
    content_end: int | None,
    statement_type: str | None,
    document: str | None,
    outlet: str | None,
    date: str | None,
    sentence: str | None,
    sentence_text: str | None,
    begin: int | None,
    end: int | None,
) -> dict[str, Any]:
    """One statement as every question answers it, whether a SPARQL row or the text index gave
    it: one shape, so the index's answer and the scan's are the same (positional parts: it is
    called once for each statement an answer lists, hundreds or thousands)."""
    return {
        "statement": statement,
        "speaker": {"iri": speaker, "name": speaker_name},
        "cue": cue,
        "content": content,
        "content_offsets": {"begin": content_begin, "end": content_end},
        "type": local_name(statement_type) or None,
        "document": document,
        "outlet": outlet,
        "date": date,
        "sentence": {"iri": sentence, "text": sentence_text, "begin": begin, "end": end},
    }


def statement_json(row: dict[str, Any]) -> dict[str, Any]:
    """A statement's row of read/who_said.rq (or a query of the same variables)."""
    return _statement(
        row["statement"], row["speaker"], row["speakerName"], row["cue"], row["content"],
        integer(row["contentBegin"]), integer(row["contentEnd"]), row["statementType"],
        row["document"], row["outlet"], row["date"],
        row["sentence"], row["sentenceText"], integer(row["begin"]), integer(row["end"]),
    )


def _indexed_statement(entry: Entry, score: float) -> dict[str, Any]:
    """A statement's entry in the text index (its details: what `sync` keeps of the row of
    read/who_said.rq) as the scan answers it, with its BM25 score."""
    details = entry.details
    answer = _statement(
        entry.node, entry.speaker, entry.speaker_name, details.get("cue"), entry.text,
        entry.span_begin, entry.span_end, details.get("statementType"),
        entry.document, details.get("outlet"), details.get("date"),
        entry.sentence, details.get("sentenceText"), entry.begin, entry.end,
    )
    answer["score"] = round(score, 4)
    return answer


def who_said(store: Store, text: str | None, index: TextIndex | None = None) -> Answer:
    """Statements whose content contains `text` (case-insensitive), with who and where.

    With the store's text index, the statements holding the words of `text` as a phrase (the
    last may begin a longer word) are found by the index and ranked by BM25 (best first, each
    with its `score`); those whose content contains `text` as written are answered from what
    the index keeps of them (in step with the store: `service.textindex.sync`). The same
    statements as the scan finds when `text` begins at a word's start (a text that begins
    inside a word, such as "roops", is found by the scan only). Without an index (a remote
    store), or for a text with no word in it, every statement's content is scanned, in date
    order.
    """
    value = check_text(text)
    literal = {"text": literal_term(value)}
    if index is None or not words(value):
        rows, sparql = run(store, "read/who_said.rq", literal)
        statements = [statement_json(row) for row in first_per(rows, "statement")]
        return Answer(sparql, statements, {"text": value, "search": "scan"})
    wanted = value.lower()
    hits = index.search(value, kinds=("statement",), limit=MAX_STATEMENTS_FOUND)
    statements = [
        _indexed_statement(hit.entry, hit.score)
        for hit in hits
        if wanted in hit.entry.text.lower()
    ]
    sparql = with_values(load("textindex/who_said.rq"), literal)
    return Answer(sparql, statements, {"text": value, "search": "index"})


# --- source of --------------------------------------------------------------------------------



def source_of(store: Store, claim: str | None) -> Answer:
    """Where a claim comes from: document, outlet, sentence, offsets, run and versions."""
    iri = check_iri(claim)
    rows, sparql = run(store, "read/source_of.rq", {"claim": iri_term(iri)})
    answers = []
    for row in rows[:1]:  # one claim: one document, one sentence, one run
        answers.append(
            {
                "claim": row["claim"],
                "kind": local_name(row["kind"]) or None,
                "document": row["document"],
                "outlet": row["outlet"],
                "date": row["date"],
                "sentence": {
                    "iri": row["sentence"],
                    "text": row["sentenceText"],
                    "begin": integer(row["begin"]),
                    "end": integer(row["end"]),
                },
                "mention": {
                    "text": row["mention"],
                    "begin": integer(row["mentionBegin"]),
                    "end": integer(row["mentionEnd"]),
                },
                "extraction": {
                    "run": row["run"],
                    "started": row["startedAt"],
                    "ended": row["endedAt"],
                    "software": row["software"],
                    "software_version": row["softwareVersion"],
                    "spacy_model": row["model"],
                    "spacy_model_version": row["modelVersion"],
                },
                "statement": row["statement"],
                "claimant": {"iri": row["claimant"], "name": row["claimantName"]},
            }
        )
    return Answer(sparql, answers, {"claim": iri})
