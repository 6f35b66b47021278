"""What the factgraph components leave on a Doc: one span group per kind of result, and on each
span what it says beyond its tokens.

- `doc.spans["factgraph_mentions"]`: a name of an actor; `kb_id_` is the actor's key, the label its
  type, `_.factgraph_actor` the `Actor` record.
- `doc.spans["factgraph_statements"]`: a statement's content; the label is its type (direct,
  mixed, indirect); `_.factgraph_cue` the cue, `_.factgraph_speaker` the speaker's actor key,
  `_.factgraph_speaker_mention` the speaker as written, `_.factgraph_nested_in` the statement
  it is nested in, `_.factgraph_continues` the statement a quotation standing alone continues,
  `_.factgraph_content_chars` the content's exact character offsets where they are not the
  span's own (a trailing stop of "U.S." left out, a quotation mark inside a token taken in).
- `doc.spans["factgraph_quantities"]`: a quantity as written; the label is its comparator;
  `_.factgraph_value`, `_.factgraph_hedge`, `_.factgraph_min_value`, `_.factgraph_max_value`,
  `_.factgraph_unit`, `_.factgraph_counted` (a span), `_.factgraph_counted_key`,
  `_.factgraph_location` (the place's mention), `_.factgraph_time` (a span),
  `_.factgraph_statement` (the statement it stands in), `_.factgraph_predicate` (a span: what
  the number is the count of), `_.factgraph_predicate_key`, `_.factgraph_nature` (stock, flow,
  change), `_.factgraph_event` (a span), `_.factgraph_event_key`.
- `doc.spans["factgraph_dates"]`: a date claim's date as written; `_.factgraph_event` (a span),
  `_.factgraph_earliest`, `_.factgraph_latest`, `_.factgraph_event_key`, `_.factgraph_statement`.

Links between results are spans. spaCy 3 keys a span's extension values by its character
offsets alone, so two spans over the same text share them (explosion/spaCy#9706): two statements
with one content, such as "according to Y" nested in the statement whose content it shares,
would mix their cues and speakers. These extensions are keyed as spaCy v4 keys them
(explosion/spaCy#11429): by offsets, label, kb_id and id; a statement span's id names its cue.
A span given as a value is kept as its token offsets, label, kb_id and id (as a SpanGroup keeps
its spans) and read back as a Span: a Span kept in `doc.user_data` would make each Doc refer to
itself, and Docs would then wait for the cycle collector instead of being freed when dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from spacy.tokens import Span

__all__ = [
    "DATES",
    "EXTENSIONS",
    "MENTIONS",
    "QUANTITIES",
    "STATEMENTS",
    "content_chars",
]

MENTIONS = "factgraph_mentions"
STATEMENTS = "factgraph_statements"
QUANTITIES = "factgraph_quantities"
DATES = "factgraph_dates"

EXTENSIONS = (
    "factgraph_actor",
    "factgraph_cue",
    "factgraph_speaker",
    "factgraph_speaker_mention",
    "factgraph_nested_in",
    "factgraph_continues",
    "factgraph_content_chars",
    "factgraph_value",
    "factgraph_hedge",
    "factgraph_min_value",
    "factgraph_max_value",
    "factgraph_unit",
    "factgraph_counted",
    "factgraph_counted_key",
    "factgraph_location",
    "factgraph_time",
    "factgraph_statement",
    "factgraph_predicate",
    "factgraph_predicate_key",
    "factgraph_nature",
    "factgraph_event",
    "factgraph_earliest",
    "factgraph_latest",
    "factgraph_event_key",
)


class _SpanValue(NamedTuple):
    start: int
    end: int
    label: int
    kb_id: int
    id: int


def _key(name: str, span: Span) -> tuple[Any, ...]:
    return ("factgraph", name, span.start_char, span.end_char, span.label, span.kb_id, span.id)


def _getter(name: str) -> Callable[[Span], Any]:
    def get(span: Span) -> Any:
        value = span.doc.user_data.get(_key(name, span))
        if isinstance(value, _SpanValue):
            return Span(span.doc, value.start, value.end, label=value.label, kb_id=value.kb_id,
                        span_id=value.id)
        return value

    return get


def _setter(name: str) -> Callable[[Span, Any], None]:
    def set_(span: Span, value: Any) -> None:
        if isinstance(value, Span):
            value = _SpanValue(value.start, value.end, value.label, value.kb_id, value.id)
        span.doc.user_data[_key(name, span)] = value

    return set_


for _name in EXTENSIONS:
    if not Span.has_extension(_name):
        Span.set_extension(_name, getter=_getter(_name), setter=_setter(_name))


def content_chars(statement: Span) -> tuple[int, int]:
    """A statement's content as exact character offsets."""
    return statement._.factgraph_content_chars or (statement.start_char, statement.end_char)
