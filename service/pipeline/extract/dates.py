"""Date claims: an event and the explicit year or month it happened in ("in late 2017").

The event is the clause the date qualifies, as written up to the date. Its key joins the
actor the event happened to (object, passive subject, else subject) and the verb lemma; a
definite "the ... group" refers back to the organisation mentioned last.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from service.pipeline.extract.actors import linked_registry
from service.pipeline.extract.component import FindingPipe
from service.pipeline.extract.extensions import DATES, MENTIONS, STATEMENTS, content_chars
from service.pipeline.extract.lexicon import Sources
from service.pipeline.extract.registry import ActorRegistry
from service.pipeline.extract.timex import year_span
from service.pipeline.records import ActorType

__all__ = ["DateClaims", "make_dates"]

_SKIP_LEAD = frozenset({"cc", "mark", "advmod", "punct", "prep", "advcl", "npadvmod", "intj"})


@dataclass(slots=True)
class _DateClaim:
    """A date claim while it is found."""

    date: Span  # the date as written (an entity)
    event: Span
    earliest: dt.date
    latest: dt.date
    event_key: str | None = None
    statement: Span | None = None


class DateClaims(FindingPipe):
    """Finds date claims and writes them to `doc.spans["factgraph_dates"]`.

    Reads the registry from the actor linker named `linker`, as attribution does.
    """

    def __init__(self, nlp: Language, name: str, sources: Sources, linker: str) -> None:
        self.nlp = nlp
        self.name = name
        self.sources = sources
        self.linker = linker

    @property
    def registry(self) -> ActorRegistry:
        return linked_registry(self.nlp, self.linker)

    def find(self, doc: Doc) -> list[_DateClaim]:
        """The date claims in document order, each with the last statement that holds it."""
        group = doc.spans.get(MENTIONS, [])
        mentions = {t.i: s for s in group for t in s}
        orgs = sorted((s.start, s.kb_id_) for s in group
                      if s._.factgraph_actor.type is ActorType.ORGANIZATION)
        registry = self.registry
        found = []
        for ent in doc.ents:
            if ent.label_ != "DATE":
                continue
            period = year_span(ent.text)
            if period is None:
                continue
            claim = self._claim(ent, period, mentions, orgs, registry)
            if claim is not None:
                found.append(claim)
        statements = [(content_chars(s), s) for s in doc.spans.get(STATEMENTS, [])]
        for claim in found:
            at = claim.date.start_char
            inside = [s for (start, end), s in statements if start <= at < end]
            claim.statement = inside[-1] if inside else None
        return found

    def set_annotations(self, doc: Doc, found: list[_DateClaim]) -> None:
        spans = []
        for claim in found:
            span = Span(doc, claim.date.start, claim.date.end, label="date")
            span._.factgraph_event = claim.event
            span._.factgraph_earliest = claim.earliest
            span._.factgraph_latest = claim.latest
            span._.factgraph_event_key = claim.event_key
            span._.factgraph_statement = claim.statement
            spans.append(span)
        doc.spans[DATES] = spans

    def _claim(self, ent: Span, period: tuple[dt.date, dt.date], mentions: dict[int, Span],
               orgs: list[tuple[int, str]], registry: ActorRegistry) -> _DateClaim | None:
        prep = ent.root.head
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "during", "by", "since", "until"):
            return None
        event_head = prep.head
        if event_head.pos_ not in ("VERB", "AUX") or any(
            c.dep_ == "aux" and c.lower_ == "to" for c in event_head.children
        ):
            return None  # an infinitive ("to discuss ... in 2023") asserts no event
        tokens = [t for t in event_head.subtree if t.i < prep.i]
        lead = [c for c in event_head.lefts if c.dep_ in _SKIP_LEAD]
        skip = {t.i for c in lead for t in c.subtree}
        tokens = [t for t in tokens if t.i not in skip]
        if not tokens:
            return None
        event = ent.doc[tokens[0].i:tokens[-1].i + 1]
        key = self._event_key(event_head, mentions, orgs, registry)
        return _DateClaim(date=ent, event=event, earliest=period[0], latest=period[1],
                          event_key=key)

    def _event_key(self, verb: Token, mentions: dict[int, Span], orgs: list[tuple[int, str]],
                   registry: ActorRegistry) -> str | None:
        by_dep = {c.dep_: c for c in verb.children}
        patient = by_dep.get("dobj") or by_dep.get("nsubjpass") or by_dep.get("nsubj")
        if patient is None:
            return None
        actor = self._refers_to(patient, mentions, orgs, registry)
        return f"{actor}/{verb.lemma_.lower()}" if actor else None

    def _refers_to(self, head: Token, mentions: dict[int, Span], orgs: list[tuple[int, str]],
                   registry: ActorRegistry) -> str | None:
        if head.i in mentions:
            return mentions[head.i].kb_id_
        named = [mentions[c.i].kb_id_ for c in head.children  # "the Hamas group", if Hamas is known
                 if c.i in mentions and c.dep_ in ("compound", "poss")
                 and mentions[c.i].kb_id_ in registry]
        if named:
            return named[-1]
        definite = any(c.lower_ == "the" for c in head.children)
        if definite and head.lemma_.lower() in self.sources.organisation_heads:
            before = [key for start, key in orgs if start < head.left_edge.i]
            return before[-1] if before else None
        return None


@Language.factory(
    "factgraph_dates",
    assigns=["doc.spans", "span._.factgraph_event", "span._.factgraph_earliest",
             "span._.factgraph_latest", "span._.factgraph_event_key",
             "span._.factgraph_statement"],
    requires=["doc.ents", "token.dep", "token.head", "token.pos", "token.lemma", "doc.spans",
              "span._.factgraph_actor", "span._.factgraph_content_chars"],
    default_config={"sources": {"@misc": "factgraph.sources.v1"}, "linker": "factgraph_actors"},
)
def make_dates(nlp: Language, name: str, sources: Sources, linker: str) -> DateClaims:
    """`linker`: the actor linker whose registry says which mentioned actors are known."""
    return DateClaims(nlp, name, sources, linker)
