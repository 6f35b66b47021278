"""spaCy Doc -> `Extraction`: character offsets, sentence indexes, actors referred to.

Sentences inside the document's boilerplate are dropped with every record in them, and
sentence indexes count the kept sentences only.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from service.pipeline.documents import Document
from service.pipeline.extract.actors import MENTIONS, ActorLinker, doc_actors
from service.pipeline.extract.registry import ActorRegistry
from service.pipeline.extract.timex import resolve_period
from service.pipeline.records import (
    Actor,
    ActorType,
    Comparator,
    DateClaim,
    Extraction,
    Mention,
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


def _publisher(document: Document, registry: ActorRegistry | None) -> Actor | None:
    if not document.publisher:
        return None
    key = registry.lookup(document.publisher) if registry is not None else None
    if key and registry is not None and key in registry:
        return registry.actors[key]
    name = document.publisher
    return Actor(key=actor_key(name), name=name, type=ActorType.ORGANIZATION)


def to_extraction(doc: Doc, document: Document, nlp: Language, policy: str = APPROXIMATION_POLICY
                  ) -> Extraction:
    """The records for one processed document."""
    text = doc.text
    sentences = _Sentences(doc, document.boilerplate)
    known = doc_actors(doc)
    out = Extraction(
        sentences=sentences.sentences,
        model_name=f"{nlp.meta['lang']}_{nlp.meta['name']}",
        model_version=nlp.meta["version"],
        approximation_policy=policy,
    )
    used: set[str] = set()
    for span in doc.spans.get(MENTIONS, []):
        index = sentences.index_of(span.start_char)
        if index is not None:
            out.mentions.append(Mention(_span(text, span.start_char, span.end_char),
                                        span.kb_id_, index))
            used.add(span.kb_id_)
    renumber: dict[int, int] = {}
    for old, info in enumerate(doc._.factgraph_statements or []):
        index = sentences.index_of(info.anchor)
        if index is None:
            continue
        renumber[old] = len(out.statements)
        out.statements.append(Statement(
            sentence=index,
            cue=_span(text, *info.cue),
            content=_span(text, *info.content),
            type=StatementType(info.type),
            speaker=info.speaker,
            speaker_mention=_span(text, *info.speaker_mention) if info.speaker_mention else None,
            nested_in=info.nested_in,
        ))
    for statement in out.statements:
        if statement.nested_in is not None:
            statement.nested_in = renumber.get(statement.nested_in)
        if statement.speaker:
            used.add(statement.speaker)
    for info in doc._.factgraph_quantities or []:
        index = sentences.index_of(info.mention[0])
        if index is None:
            continue
        statement = renumber.get(info.statement) if info.statement is not None else None
        claimed_by = out.statements[statement].speaker if statement is not None else None
        time_start, time_end = (
            resolve_period(info.time, document.publication_date) if info.time else (None, None)
        )
        out.quantities.append(QuantityClaim(
            sentence=index, mention=_span(text, *info.mention), value=info.value,
            comparator=Comparator(info.comparator), hedge=info.hedge,
            min_value=info.min_value, max_value=info.max_value, unit=info.unit,
            counted=info.counted, counted_key=info.counted_key, location=info.location,
            time=info.time, time_start=time_start, time_end=time_end,
            statement=statement, claimed_by=claimed_by,
        ))
        used.update(k for k in (info.location, claimed_by) if k)
    for info in doc._.factgraph_dates or []:
        index = sentences.index_of(info.mention[0])
        if index is None:
            continue
        statement = renumber.get(info.statement) if info.statement is not None else None
        out.dates.append(DateClaim(
            sentence=index, mention=_span(text, *info.mention), event=text[slice(*info.event)],
            earliest=info.earliest, latest=info.latest, event_key=info.event_key,
            statement=statement,
            claimed_by=out.statements[statement].speaker if statement is not None else None,
        ))
        used.update(d.claimed_by for d in out.dates[-1:] if d.claimed_by)
    publisher = _publisher(document, _registry(nlp))
    if publisher is not None:
        out.publisher = publisher.key
        known = {**known, publisher.key: known.get(publisher.key, publisher)}
        used.add(publisher.key)
    out.actors = {key: known[key] for key in sorted(used) if key in known}
    return out
