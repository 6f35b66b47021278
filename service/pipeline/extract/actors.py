"""Actors: registry names as entities before spaCy's ner, then every entity linked to an actor.

`factgraph_actor_ruler` runs before `ner`, so a registry name ("The Islamic Resistance in
Iraq", "Iraq's anti-terror resistance groups") is one entity that ner keeps, with the actor
key as its `kb_id`. `factgraph_actors` runs after `ner`: it links every PERSON, ORG, GPE and
LOC entity to a registry actor by name or alias, or to a new actor of its own, and writes the
mentions to `doc.spans["factgraph_mentions"]` (each span's `kb_id_` is the actor key).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from service.pipeline.records import Actor, ActorType, actor_key

__all__ = [
    "MENTIONS",
    "ActorIndex",
    "ActorLinker",
    "ActorRuler",
    "doc_actors",
    "make_actor_ruler",
    "make_actors",
]

MENTIONS = "factgraph_mentions"
_LABELS = {ActorType.PERSON: "PERSON", ActorType.ORGANIZATION: "ORG", ActorType.PLACE: "GPE"}
_TYPES = {"PERSON": ActorType.PERSON, "ORG": ActorType.ORGANIZATION, "GPE": ActorType.PLACE,
          "LOC": ActorType.PLACE}
_LEADING = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\s*['’]s?$")

if not Doc.has_extension("factgraph_actors"):
    Doc.set_extension("factgraph_actors", default=None)
if not Doc.has_extension("factgraph_index"):
    Doc.set_extension("factgraph_index", default=None)


def normalise_name(text: str) -> str:
    """The form names are compared in: no article, no possessive, one space, lower case."""
    text = _POSSESSIVE.sub("", _LEADING.sub("", " ".join(text.split())))
    return text.replace("’", "'").lower()


class ActorIndex:
    """The registry, looked up by name or alias; shared read-only by the components."""

    def __init__(self, actors: Iterable[Actor] = ()) -> None:
        self.actors: dict[str, Actor] = {}
        self.names: dict[str, str] = {}
        self.add(actors)

    def add(self, actors: Iterable[Actor]) -> None:
        for actor in actors:
            self.actors[actor.key] = actor
            for name in (actor.name, *actor.aliases):
                self.names.setdefault(normalise_name(name), actor.key)

    def lookup(self, text: str) -> str | None:
        return self.names.get(normalise_name(text))


def doc_actors(doc: Doc) -> dict[str, Actor]:
    """The actors this doc refers to, by key (created on first use)."""
    if doc._.factgraph_actors is None:
        doc._.factgraph_actors = {}
    return doc._.factgraph_actors


def add_mention(doc: Doc, start: int, end: int, actor: Actor) -> Span:
    """Record that tokens [start, end) name `actor`; the actor joins the doc's actors."""
    doc_actors(doc).setdefault(actor.key, actor)
    span = Span(doc, start, end, label=actor.type.value, kb_id=actor.key)
    if MENTIONS not in doc.spans:
        doc.spans[MENTIONS] = []
    doc.spans[MENTIONS].append(span)
    return span


class ActorRuler:
    """Registry names and aliases as preset entities, so ner keeps them whole."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.labels: dict[str, str] = {}

    def add_actors(self, actors: Sequence[Actor]) -> None:
        for actor in actors:
            label = _LABELS.get(actor.type)
            if label is None:  # unnamed groups are found as noun phrases, not entities
                continue
            self.labels[actor.key] = label
            names = {actor.name, *actor.aliases}
            self.matcher.add(actor.key, [self.nlp.make_doc(n) for n in sorted(names)])

    def __call__(self, doc: Doc) -> Doc:
        if not self.labels:
            return doc
        spans = []
        for match_id, start, end in self.matcher(doc):
            key = self.nlp.vocab.strings[match_id]
            spans.append(Span(doc, start, end, label=self.labels[key], kb_id=key))
        if spans:
            doc.set_ents(filter_spans(spans), default="unmodified")
        return doc


@Language.factory("factgraph_actor_ruler", assigns=["doc.ents"])
def make_actor_ruler(nlp: Language, name: str) -> ActorRuler:
    return ActorRuler(nlp, name)


class ActorLinker:
    """Links entities to actors: the registry first, then a person's surname, else a new actor."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.index = ActorIndex()

    def add_actors(self, actors: Sequence[Actor]) -> None:
        self.index.add(actors)

    def __call__(self, doc: Doc) -> Doc:
        doc._.factgraph_index = self.index
        actors = doc_actors(doc)
        surnames: dict[str, str] = {}
        for ent in doc.ents:
            key = ent.kb_id_ or self.index.lookup(ent.text)
            if key and key in self.index.actors:
                actor = self.index.actors[key]
            elif ent.label_ in _TYPES:
                actor = self._new_actor(ent, surnames, actors)
            else:
                continue
            if actor is None:
                continue
            if actor.type is ActorType.PERSON:
                surnames.setdefault(actor.name.split()[-1].lower(), actor.key)
            add_mention(doc, ent.start, ent.end, actor)
        return doc

    def _new_actor(
        self, ent: Span, surnames: dict[str, str], actors: dict[str, Actor]
    ) -> Actor | None:
        name = _POSSESSIVE.sub("", _LEADING.sub("", ent.text.strip()))
        if not any(ch.isalpha() for ch in name):
            return None
        kind = _TYPES[ent.label_]
        if kind is ActorType.PERSON and " " not in name:
            known = surnames.get(name.lower())  # "Austin" after "Lloyd Austin"
            if known:
                return actors.get(known) or self.index.actors.get(known)
        key = actor_key(name)
        return actors.get(key) or Actor(key=key, name=name, type=kind)


@Language.factory("factgraph_actors", assigns=["doc.spans", "doc._.factgraph_actors"])
def make_actors(nlp: Language, name: str) -> ActorLinker:  # noqa: ARG001
    return ActorLinker(name)
