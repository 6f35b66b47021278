"""spaCy Doc -> `Extraction`: a plain reading of the factgraph span groups.

Character offsets, sentence indexes and the actors referred to; links between spans (a
quantity's statement, a statement's outer statement) become indexes into the record lists.
Sentences inside the document's boilerplate are dropped with every record in them, and
sentence indexes count the kept sentences only.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as DocSpan

from service.pipeline.documents import Document
from service.pipeline.extract.actors import ActorLinker
from service.pipeline.extract.extensions import (
    DATES,
    MENTIONS,
    QUANTITIES,
    STATEMENTS,
    content_chars,
)
from service.pipeline.extract.registry import ActorRegistry
from service.pipeline.extract.timex import resolve_period
from service.pipeline.records import (
    Actor,
    ActorType,
    Comparator,
    DateClaim,
    Extraction,
    Mention,
    Nature,
    QuantityClaim,
    Sentence,
    Span,
    Statement,
    StatementType,
    actor_key,
)

__all__ = ["APPROXIMATION_POLICY", "to_extraction"]

APPROXIMATION_POLICY = (
    "A number hedged as approximate (\"roughly N\", \"some N\", \"about N\") is read as the "
    "interval [0.9 N, 1.1 N]; \"more than N\" has minimum N and no maximum, \"up to N\" "
    "maximum N, and an unhedged number is exactly N."
)


class _Sentences:
    """Kept sentences and the lookup from a character offset to a sentence index."""

    def __init__(self, doc: Doc, boilerplate: Iterable[tuple[int, int]]) -> None:
        text = doc.text
        spans = list(boilerplate)
        self.sentences: list[Sentence] = []
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end <= start or any(b <= start < e for b, e in spans):
                continue
            index = len(self.sentences)
            self.sentences.append(Sentence(index, Span(start, end, text[start:end])))
        self._starts = [s.span.start for s in self.sentences]

    def index_of(self, offset: int) -> int | None:
        at = bisect.bisect_right(self._starts, offset) - 1
        if at < 0:
            return None
        sentence = self.sentences[at]
        return at if offset < sentence.span.end + 1 else None


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _registry(nlp: Language) -> ActorRegistry | None:
    for _, component in nlp.pipeline:
        if isinstance(component, ActorLinker):
            return component.registry
    return None


def _publisher(name: str | None, registry: ActorRegistry | None) -> Actor | None:
    """A publisher as the registry knows it, else an organisation of that name."""
    if not name:
        return None
    key = registry.lookup(name) if registry is not None else None
    if key and registry is not None and key in registry:
        return registry.actors[key]
    return Actor(key=actor_key(name), name=name, type=ActorType.ORGANIZATION)


def _statement_anchor(statement: DocSpan) -> int:
    """An offset inside the sentence a statement is credited to: its cue's, or for a quotation
    that continues a statement, its own."""
    if statement._.factgraph_continues is not None:
        return content_chars(statement)[0]
    return statement._.factgraph_cue.start_char


def to_extraction(doc: Doc, document: Document, nlp: Language, policy: str = APPROXIMATION_POLICY
                  ) -> Extraction:
    """The records for one processed document."""
    text = doc.text
    sentences = _Sentences(doc, document.boilerplate)
    out = Extraction(
        sentences=sentences.sentences,
        model_name=f"{nlp.meta['lang']}_{nlp.meta['name']}",
        model_version=nlp.meta["version"],
        approximation_policy=policy,
    )
    known: dict[str, Actor] = {}  # a key's actor: the first mention's
    used: set[str] = set()
    for span in doc.spans.get(MENTIONS, []):
        known.setdefault(span.kb_id_, span._.factgraph_actor)
        index = sentences.index_of(span.start_char)
        if index is not None:
            out.mentions.append(Mention(_span(text, span.start_char, span.end_char),
                                        span.kb_id_, index))
            used.add(span.kb_id_)
    numbered: dict[DocSpan, int] = {}  # statement span -> its index in out.statements
    nested: list[DocSpan | None] = []
    for span in doc.spans.get(STATEMENTS, []):
        index = sentences.index_of(_statement_anchor(span))
        if index is None:
            continue
        numbered[span] = len(out.statements)
        nested.append(span._.factgraph_nested_in)
        mention = span._.factgraph_speaker_mention
        out.statements.append(Statement(
            sentence=index,
            cue=_span(text, span._.factgraph_cue.start_char, span._.factgraph_cue.end_char),
            content=_span(text, *content_chars(span)),
            type=StatementType(span.label_),
            speaker=span._.factgraph_speaker,
            speaker_mention=(_span(text, mention.start_char, mention.end_char)
                             if mention is not None else None),
        ))
    for statement, outer in zip(out.statements, nested, strict=True):
        statement.nested_in = numbered.get(outer) if outer is not None else None
        if statement.speaker:
            used.add(statement.speaker)
    for span in doc.spans.get(QUANTITIES, []):
        index = sentences.index_of(span.start_char)
        if index is None:
            continue
        statement = _number(numbered, span._.factgraph_statement)
        claimed_by = out.statements[statement].speaker if statement is not None else None
        time = span._.factgraph_time.text if span._.factgraph_time is not None else None
        time_start, time_end = (
            resolve_period(time, document.publication_date) if time else (None, None)
        )
        counted = span._.factgraph_counted
        location = span._.factgraph_location
        predicate, event = span._.factgraph_predicate, span._.factgraph_event
        out.quantities.append(QuantityClaim(
            sentence=index, mention=_span(text, span.start_char, span.end_char),
            value=span._.factgraph_value, comparator=Comparator(span.label_),
            hedge=span._.factgraph_hedge, min_value=span._.factgraph_min_value,
            max_value=span._.factgraph_max_value, unit=span._.factgraph_unit,
            counted=counted.text if counted is not None else None,
            counted_key=span._.factgraph_counted_key,
            location=location.kb_id_ if location is not None else None,
            time=time, time_start=time_start, time_end=time_end,
            statement=statement, claimed_by=claimed_by,
            predicate=predicate.text if predicate is not None else None,
            predicate_key=span._.factgraph_predicate_key,
            nature=Nature(span._.factgraph_nature or Nature.STOCK),
            event=event.text if event is not None else None,
            event_key=span._.factgraph_event_key,
        ))
        used.update(k for k in (out.quantities[-1].location, claimed_by) if k)
    for span in doc.spans.get(DATES, []):
        index = sentences.index_of(span.start_char)
        if index is None:
            continue
        statement = _number(numbered, span._.factgraph_statement)
        out.dates.append(DateClaim(
            sentence=index, mention=_span(text, span.start_char, span.end_char),
            event=span._.factgraph_event.text,
            earliest=span._.factgraph_earliest, latest=span._.factgraph_latest,
            event_key=span._.factgraph_event_key, statement=statement,
            claimed_by=out.statements[statement].speaker if statement is not None else None,
        ))
        used.update(d.claimed_by for d in out.dates[-1:] if d.claimed_by)
    registry = _registry(nlp)
    publisher = _publisher(document.publisher, registry)
    if publisher is not None:
        out.publisher = publisher.key
        known = {**known, publisher.key: known.get(publisher.key, publisher)}
        used.add(publisher.key)
    for appearance in document.appearances:  # every publisher of a syndicated text
        other = _publisher(appearance.publisher, registry)
        if other is not None and appearance.publisher:
            out.publishers[appearance.publisher] = other.key
            known = {**known, other.key: known.get(other.key, other)}
            used.add(other.key)
    for key in [k for k in used if k in known and known[k].member_of]:
        member = known[key].member_of  # "Iraqi officials": Iraq, unmentioned
        member_actor = known.get(member) or (registry.get(member) if registry else None)
        if member_actor is None:
            raise ValueError(f"actor {key!r} is a member of {member!r}, which is no actor")
        known = {**known, member: member_actor}
        used.add(member)
    out.actors = {key: known[key] for key in sorted(used) if key in known}
    return out


def _number(numbered: dict[DocSpan, int], statement: DocSpan | None) -> int | None:
    return numbered.get(statement) if statement is not None else None
