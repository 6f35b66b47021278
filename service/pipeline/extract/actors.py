"""Actors: registry names as entities before spaCy's ner, then every entity linked to an actor.

`factgraph_actor_ruler` runs before `ner`, so a registry name ("The Islamic Resistance in
Iraq", "Iraq's anti-terror resistance groups") is one entity that ner keeps, with the actor
key as its `kb_id`. `factgraph_actors` runs after `ner`: it links every PERSON, ORG, GPE and
LOC entity to a registry actor by name or alias, or to a new actor of its own, and writes the
mentions to `doc.spans["factgraph_mentions"]`. Both hold the registry as their data: given by
`initialize(actors=...)`, saved with the pipeline (`actors.jsonl` in the component's folder).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import srsly
from spacy import util
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import filter_spans

from service.pipeline.extract.component import FindingPipe
from service.pipeline.extract.extensions import MENTIONS
from service.pipeline.extract.registry import ActorRegistry, normalise_name, strip_name
from service.pipeline.records import Actor, ActorType, actor_key

__all__ = [
    "ActorLinker",
    "ActorRuler",
    "Mentions",
    "linked_registry",
    "make_actor_ruler",
    "make_actors",
]

_LABELS = {ActorType.PERSON: "PERSON", ActorType.ORGANIZATION: "ORG", ActorType.PLACE: "GPE"}
# Proper nouns that follow a name without lengthening it ("Washington Tuesday said").
_CALENDAR = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
})
_TYPES = {"PERSON": ActorType.PERSON, "ORG": ActorType.ORGANIZATION, "GPE": ActorType.PLACE,
          "LOC": ActorType.PLACE}

# The registry as records, or as their JSON lines. Annotations here are evaluated (no
# `from __future__ import annotations`), so that `nlp.initialize()` can check a config's actors.
ActorData = Sequence[Actor | Mapping[str, Any]]


class Mentions:
    """A doc's actor mentions and those found to add; a key's actor is the first one under it.

    Finding adds (nothing on the doc changes); `write` appends them to the doc's mentions.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.actors: dict[str, Actor] = {}
        for span in doc.spans.get(MENTIONS, []):
            self.actors.setdefault(span.kb_id_, span._.factgraph_actor)
        self._added: list[tuple[int, int, Actor]] = []

    def add(self, start: int, end: int, actor: Actor) -> None:
        """Tokens [start, end) name `actor`."""
        self._added.append((start, end, self.actors.setdefault(actor.key, actor)))

    def write(self) -> None:
        if MENTIONS not in self.doc.spans:
            self.doc.spans[MENTIONS] = []
        group = self.doc.spans[MENTIONS]
        for start, end, actor in self._added:
            span = Span(self.doc, start, end, label=actor.type.value, kb_id=actor.key)
            span._.factgraph_actor = actor
            group.append(span)
        self._added = []


class _RegistryPipe(FindingPipe):
    """A component whose data is the actor registry, as SpanRuler's are its patterns."""

    name: str
    registry: ActorRegistry

    def set_actors(self, actors: ActorData) -> None:
        raise NotImplementedError

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,  # noqa: ARG002
        *,
        nlp: Language | None = None,  # noqa: ARG002
        actors: ActorData = (),
    ) -> None:
        """Take the registry (replacing any held before); no examples are needed."""
        self.set_actors(actors)

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return util.to_bytes({"actors": lambda: srsly.json_dumps(self.registry.to_json())},
                             exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> "_RegistryPipe":
        util.from_bytes(bytes_data, {"actors": lambda b: self.set_actors(srsly.json_loads(b))},
                        exclude)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        writers = {"actors": lambda p: srsly.write_jsonl(p.with_suffix(".jsonl"),
                                                         self.registry.to_json())}
        util.to_disk(util.ensure_path(path), writers, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "_RegistryPipe":
        readers = {"actors": lambda p: self.set_actors(srsly.read_jsonl(p.with_suffix(".jsonl")))}
        util.from_disk(util.ensure_path(path), readers, exclude)
        return self


class ActorRuler(_RegistryPipe):
    """Registry names and aliases as preset entities, so ner keeps them whole."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.set_actors(())

    def set_actors(self, actors: ActorData) -> None:
        self.registry = ActorRegistry(actors)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._labels: dict[str, str] = {}
        for actor in self.registry:
            label = _LABELS.get(actor.type)
            if label is None:  # unnamed groups are found as noun phrases, not entities
                continue
            self._labels[actor.key] = label
            names = {actor.name, *actor.aliases}
            self.matcher.add(actor.key, [self.nlp.make_doc(n) for n in sorted(names)])

    def find(self, doc: Doc) -> list[Span]:
        """Each whole mention of a registry name: not the start of a longer name ("Washington"
        in "Washington Institute for Near East Policy")."""
        if not self._labels:
            return []
        strings = self.nlp.vocab.strings
        found = []
        for match, start, end in self.matcher(doc):
            label = self._labels[strings[match]]
            if _name_goes_on(doc, end) or (label != "PERSON" and _name_goes_on(doc, start - 1)):
                continue  # a title may precede a person's name ("President Joe Biden")
            found.append(Span(doc, start, end, label=label, kb_id=strings[match]))
        return found

    def set_annotations(self, doc: Doc, spans: list[Span]) -> None:
        if spans:
            doc.set_ents(filter_spans(spans), default="unmodified")


def _name_goes_on(doc: Doc, i: int) -> bool:
    """Whether token `i`, just after or before a registry name, lengthens it into another
    name ("Washington Institute", "New Mexico", "Michael Jordan")."""
    if not 0 <= i < len(doc):
        return False
    token = doc[i]
    return (token.tag_ in ("NNP", "NNPS") and token.is_title
            and token.lower_ not in _CALENDAR)


@Language.factory(
    "factgraph_actor_ruler",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type", "token.ent_kb_id"],
    requires=["token.tag"],
)
def make_actor_ruler(nlp: Language, name: str) -> ActorRuler:
    return ActorRuler(nlp, name)


class ActorLinker(_RegistryPipe):
    """Links entities to actors: the registry by whole name, then what the article itself
    defined (a person's surname after the full name, an acronym after "(ECB)"), else a new
    actor keyed by its normalised name (and type, where the registry uses the name otherwise).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.registry = ActorRegistry()

    def set_actors(self, actors: ActorData) -> None:
        self.registry = ActorRegistry(actors)

    def find(self, doc: Doc) -> Mentions:
        """Each entity that names an actor, with the actor; and each surname standing alone
        (in no entity that names an actor) of a person the article names in full, before or after (a
        headline's "Cruz" and the body's "Ted Cruz")."""
        mentions = Mentions(doc)
        local: dict[str, str] = {}  # a short name this article defined -> the actor's key
        found: list[tuple[Span, Actor]] = []
        for ent in doc.ents:
            actor = self._actor_of(ent, local, mentions.actors)
            if actor is None:
                continue
            mentions.actors.setdefault(actor.key, actor)
            if actor.type is ActorType.PERSON and " " in actor.name:
                local.setdefault(normalise_name(actor.name.split()[-1]), actor.key)
            acronym = _defined_acronym(ent)
            if acronym is not None and actor.type is not ActorType.PERSON:
                local.setdefault(normalise_name(acronym), actor.key)
            found.append((ent, actor))
        for ent, actor in found:
            known = local.get(normalise_name(ent.text)) if len(ent) == 1 else None
            named = mentions.actors[known] if known else actor  # a surname before the full name
            mentions.add(ent.start, ent.end, named if named.type is ActorType.PERSON else actor)
        linked = {i for ent, _ in found for i in range(ent.start, ent.end)}
        for token in doc:
            key = local.get(normalise_name(token.text)) if token.i not in linked else None
            if key and token.tag_ == "NNP" and token.is_title:
                actor = mentions.actors[key]
                if actor.type is ActorType.PERSON:
                    mentions.add(token.i, token.i + 1, actor)  # "Daskalakis said"
        return mentions

    def set_annotations(self, doc: Doc, mentions: Mentions) -> None:  # noqa: ARG002
        mentions.write()

    def _actor_of(self, ent: Span, local: dict[str, str], actors: dict[str, Actor]
                  ) -> Actor | None:
        known = local.get(normalise_name(ent.text))  # "Austin" after "Lloyd Austin"; "ECB"
        if known is not None:  # what the article defined wins over the registry
            return actors.get(known) or self.registry.get(known)
        key = ent.kb_id_ or self.registry.lookup(ent.text)
        if key and key in self.registry and (ent.kb_id_ or _fits(ent, self.registry.actors[key])):
            return self.registry.actors[key]
        return self._new_actor(ent, actors) if ent.label_ in _TYPES else None

    def _new_actor(self, ent: Span, actors: dict[str, Actor]) -> Actor | None:
        """An actor for a name the registry does not know: the same name and type give the
        same key in every article."""
        name = strip_name(ent.text)
        if not any(ch.isalpha() for ch in name):
            return None
        kind = _TYPES[ent.label_]
        key = actor_key(name)
        taken = self.registry.get(key)
        if taken is not None and taken.type is not kind:
            key = actor_key(f"{name} {kind.value}")  # a person "Jordan", not the country
        return actors.get(key) or Actor(key=key, name=name, type=kind)


def _fits(ent: Span, actor: Actor) -> bool:
    """Whether an entity found by ner can name a registry actor: a person's name is no
    place's or organisation's ("Jordan" the player, not the country)."""
    return ent.label_ != "PERSON" or actor.type is ActorType.PERSON


def _defined_acronym(ent: Span) -> str | None:
    """The acronym an organisation's name defines in parentheses right after it ("the European
    Central Bank (ECB)"): capitals made of the initials of the name's words, in order."""
    doc = ent.doc
    if ent.end + 2 >= len(doc) or doc[ent.end].text != "(" or doc[ent.end + 2].text != ")":
        return None
    acronym = doc[ent.end + 1].text
    if not (2 <= len(acronym) <= 8 and acronym.isalpha() and acronym.isupper()):
        return None
    initials = iter(w[0].upper() for w in strip_name(ent.text).split() if w[:1].isalpha())
    return acronym if all(letter in initials for letter in acronym) else None


@Language.factory(
    "factgraph_actors",
    assigns=["doc.spans", "span._.factgraph_actor"],
    requires=["doc.ents", "token.tag"],
)
def make_actors(nlp: Language, name: str) -> ActorLinker:  # noqa: ARG001
    return ActorLinker(name)


def linked_registry(nlp: Language, linker: str) -> ActorRegistry:
    """The registry of the actor linker named `linker`: how the components after it share it."""
    component = nlp.get_pipe(linker)
    if not isinstance(component, ActorLinker):
        raise TypeError(f"{linker!r} is not a factgraph actor linker")
    return component.registry
