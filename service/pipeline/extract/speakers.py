"""Who a speaker phrase refers to, read in document order.

A named speaker is the actor its mention links to. "the statement", "the report" refer to the
actor last said to issue one, else the last speaker; "it", "he", "they" to the last speaker of
a fitting kind; a definite "the group" to the organisation mentioned last; an unnamed source
("five US officials", "a Pentagon spokesperson") becomes a Group actor named as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from service.pipeline.extract.actors import Mentions
from service.pipeline.extract.extensions import MENTIONS
from service.pipeline.extract.lexicon import Sources
from service.pipeline.extract.registry import ActorRegistry
from service.pipeline.records import Actor, ActorType, actor_key

__all__ = ["SpeakerResolver", "speaker_phrase"]

_ONE = frozenset({"a", "an", "one", "another"})  # "a senior official": one unnamed person
_PHRASE_DEPS = frozenset({"compound", "amod", "nummod", "poss", "det", "nmod", "appos", "prep",
                          "case", "quantmod", "advmod", "punct", "nn"})


def speaker_phrase(head: Token) -> Span:
    """The noun phrase of a speaker as written, without relative clauses or trailing commas."""
    doc = head.doc
    start = head.left_edge.i
    end = head.i + 1
    named = [c for c in head.rights if c.dep_ == "appos" and head.pos_ != "PROPN"
             and (c.pos_ == "PROPN" or c.ent_type_ == "PERSON")]
    for child in [] if named else head.rights:
        if child.dep_ in ("relcl", "acl", "cc", "conj") or child.text in (",", ";", "—", "–"):
            break
        if child.dep_ in _PHRASE_DEPS:
            end = child.right_edge.i + 1
        else:
            break
    if named:  # "the water chief, Rosa Alvarez,": the role, and the name that says who
        end = named[0].right_edge.i + 1
    while end - 1 > start and doc[end - 1].is_punct and doc[end - 1].text not in ")]":
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].dep_ == "cc"):
        start += 1
    return doc[start:end]


@dataclass
class SpeakerResolver:
    """Keeps the discourse state (last speaker, last issuer) while statements are read in order."""

    doc: Doc
    registry: ActorRegistry
    sources: Sources
    last_speaker: str | None = None
    last_person: str | None = None
    last_issuer: str | None = None
    mentions: Mentions = field(init=False)  # the doc's, and the unnamed sources found
    _mention_of: dict[int, Span] = field(default_factory=dict)
    _orgs: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.mentions = Mentions(self.doc)
        for span in self.doc.spans.get(MENTIONS, []):
            for token in span:
                self._mention_of[token.i] = span
            if span._.factgraph_actor.type is ActorType.ORGANIZATION:
                self._orgs.append((span.start, span.kb_id_))

    def actor(self, key: str | None) -> Actor | None:
        return self.mentions.actors.get(key) if key else None

    def mention_key(self, token: Token) -> str | None:
        span = self._mention_of.get(token.i)
        return span.kb_id_ if span is not None else None

    def last_organisation(self, before: int) -> str | None:
        """The organisation mentioned last before token `before`: what "the group" refers to."""
        found = None
        for start, key in self._orgs:
            if start >= before:
                break
            found = key
        return found

    def inside(self, phrase: Span) -> str | None:
        """The actor named inside a phrase: an apposition first, else the last mention."""
        keys = [self.mention_key(t) for t in phrase if self.mention_key(t)]
        for token in phrase.root.children:
            if token.dep_ == "appos" and self.mention_key(token):
                return self.mention_key(token)
        return keys[-1] if keys else None

    def note_issuer(self, key: str | None) -> None:
        if key:
            self.last_issuer = key

    def resolve(self, phrase: Span) -> str | None:
        """The actor key a speaker phrase refers to (minting a Group for an unnamed source)."""
        head = phrase.root
        lemma = head.lemma_.lower()
        direct = self.mention_key(head)
        if direct:
            return self._heard(direct)
        for child in head.children:  # "the adviser, Farhad Alaaldin,": the name says who
            if child.dep_ == "appos" and phrase.start <= child.i < phrase.end:
                named = self.mention_key(child)
                if named:
                    return self._heard(named)
        pronoun = self.sources.pronouns.get(head.lower_)
        if pronoun is not None:
            key = self.last_person if pronoun == "person" else None
            return self._heard(key or self.last_issuer or self.last_speaker)
        if lemma in self.sources.document_heads:
            inner = self.inside(phrase)
            return self._heard(inner or self.last_issuer or self.last_speaker)
        person = self.last_person or self._last_person_named(phrase.start)
        if self._is_title(phrase) and person is not None:
            return self._heard(person)  # "Bernie Sanders said ... the senator said"
        if lemma in self.sources.group_heads or head.tag_ in ("NNS", "NNPS"):
            known = self.registry.lookup(phrase.text)
            if known and known in self.registry:
                self.mentions.add(phrase.start, phrase.end, self.registry.actors[known])
                return self._heard(known)
            if lemma in self.sources.group_heads:
                return self._heard(self._group(phrase))
        if lemma in self.sources.organisation_heads and head.pos_ != "PROPN" and (
            not self.inside(phrase) and phrase[0].lower_ == "the"
        ):
            key = self.last_organisation(phrase.start) or self.last_speaker
            if key is not None:
                return self._heard(key)
        inner = self.inside(phrase)
        if inner:
            return self._heard(inner)
        return self._heard(self._group(phrase))

    def _last_person_named(self, before: int) -> str | None:
        """The person the text named last before token `before`, quoted or not."""
        spans = [s for s in self.doc.spans.get(MENTIONS, []) if s.start < before
                 and s._.factgraph_actor.type is ActorType.PERSON]
        return max(spans, key=lambda s: s.start).kb_id_ if spans else None

    def _is_title(self, phrase: Span) -> bool:
        """"the senator", "the Vermont senator": a definite, singular person noun that names
        no person inside it, which news uses for the person it quoted last."""
        head = phrase.root
        inner = self.actor(self.inside(phrase))
        return (phrase[0].lower_ == "the" and head.tag_ == "NN" and head.pos_ == "NOUN"
                and head.lemma_.lower() in self.sources.group_heads
                and (inner is None or inner.type is not ActorType.PERSON))

    def _group(self, phrase: Span) -> str:
        """A nameless source, as the text names it: its document's own actor, never shared."""
        name = phrase.text.strip()
        key = actor_key(name)
        actor = self.mentions.actors.get(key) or Actor(
            key=key, name=name, type=self._nameless_type(phrase),
            description=f"An unnamed source, as the text names it: {name}.",
            nameless=True, member_of=self._member_of(phrase),
        )
        self.mentions.add(phrase.start, phrase.end, actor)
        return key

    def _nameless_type(self, phrase: Span) -> ActorType:
        """"the ministry" is an organisation, "a senior official" a person, else a group."""
        head = phrase.root
        if head.lemma_.lower() in self.sources.organisation_heads:
            return ActorType.ORGANIZATION
        if head.tag_ == "NN" and phrase[0].lower_ in _ONE:
            return ActorType.PERSON
        return ActorType.GROUP

    def _member_of(self, phrase: Span) -> str | None:
        """The organisation or country named in a nameless source ("US officials", "a Pentagon
        spokesperson"), or whose demonym it bears ("Iraqi officials")."""
        for token in phrase:
            key = self.mention_key(token)
            actor = self.actor(key) or self.registry.get(key)
            if actor is not None and actor.type in (ActorType.ORGANIZATION, ActorType.PLACE):
                return key
        for token in phrase:
            key = self.registry.by_demonym(token.text)
            if key is not None:
                return key
        return None

    def _heard(self, key: str | None) -> str | None:
        if key is None:
            return None
        self.last_speaker = key
        actor = self.actor(key)
        if actor is not None and actor.type is ActorType.PERSON:
            self.last_person = key
        return key
