"""Actors: registry names as entities before spaCy's ner, then every entity linked to an actor.

`factgraph_actor_ruler` runs before `ner`, so a registry name ("The Islamic Resistance in
Iraq", "Iraq's anti-terror resistance groups") is one entity that ner keeps, with the actor
key as its `kb_id`. `factgraph_actors` runs after `ner`: it links every PERSON, ORG, GPE and
LOC entity to a registry actor by name or alias, or to a new actor of its own, and writes the
mentions to `doc.spans["factgraph_mentions"]`. Both hold the registry as their data: given by
`initialize(actors=...)`, saved with the pipeline (`actors.jsonl` in the component's folder).
"""

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
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
from service.pipeline.extract.lexicon import load_given_names, load_sources
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
        self._seen: set[tuple[int, int, str]] = set()

    def add(self, start: int, end: int, actor: Actor) -> None:
        """Tokens [start, end) name `actor` (once, however often it is found)."""
        if (start, end, actor.key) not in self._seen:
            self._seen.add((start, end, actor.key))
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
    A name ner calls an organisation is a person's where ner tags it a person more often, or
    where it reads as one ("Carly Fiorina": a given name, no organisation word, "Fiorina" again);
    a person's name that runs on past a full name the article gives ("Dennis Prager Tells",
    title case in a headline) is that person's.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.registry = ActorRegistry()

    def set_actors(self, actors: ActorData) -> None:
        self.registry = ActorRegistry(actors)

    def find(self, doc: Doc) -> Mentions:
        """Each entity that names an actor, with the actor; and each surname standing alone
        (in no entity that names an actor) of a person the article names in full, before or
        after (a headline's "Cruz" and the body's "Ted Cruz")."""
        mentions = Mentions(doc)
        local: dict[str, str] = {}  # a short name this article defined -> the actor's key
        found: list[tuple[Span, Actor]] = []
        kinds = self._kinds(doc)
        people = {normalise_name(strip_name(e.text)): strip_name(e.text) for e in doc.ents
                  if kinds[e.start] is ActorType.PERSON}
        for ent in doc.ents:
            kind = kinds[ent.start]
            name = _full_name_in(ent.text, people) if kind is ActorType.PERSON else None
            actor = self._actor_of(ent, kind, name or ent.text, local, mentions.actors)
            if actor is None:
                continue
            mentions.actors.setdefault(actor.key, actor)
            if actor.type is ActorType.PERSON and " " in actor.name:
                _define_surname(local, actor, mentions.actors)
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

    def _kinds(self, doc: Doc) -> dict[int, ActorType | None]:
        """The type of actor each entity names, by its first token: ner's label, but a
        person's where ner tags the same name a person more often than anything else ("Trump"
        twice PERSON, once ORG), or where an organisation's name reads as a person's."""
        labels = Counter((normalise_name(e.text), e.label_ == "PERSON") for e in doc.ents)
        places = {normalise_name(e.text) for e in doc.ents if e.label_ in _PLACE_LABELS}
        kinds: dict[int, ActorType | None] = {}
        for ent in doc.ents:
            kind = _TYPES.get(ent.label_)
            name = normalise_name(ent.text)
            if kind in (ActorType.ORGANIZATION, ActorType.PLACE) and not ent.kb_id_ and (
                labels[name, True] > labels[name, False]
                or (kind is ActorType.ORGANIZATION and self._reads_as_person(ent, places))
            ):
                kind = ActorType.PERSON
            kinds[ent.start] = kind
        return kinds

    def _reads_as_person(self, ent: Span, places: set[str]) -> bool:
        """"Carly Fiorina" tagged an organisation, and "Fiorina" alone elsewhere: two or three
        capitalised words, the first a given name the lexicon knows and the text uses as no
        place ("Florida"), none a word organisations are named with, no article before them
        ("the Orlando Sentinel"), no registry name, and the last standing alone elsewhere, as
        news names a person again and a company seldom ("Morgan Stanley")."""
        words = ent.text.split()
        doc = ent.doc
        before = doc[ent.start - 1].lower_ if ent.start else ""
        if not (2 <= len(words) <= 3 and words[0] in load_given_names()
                and normalise_name(words[0]) not in places
                and "the" not in (before, words[0].lower())
                and all(w.isalpha() and w.istitle() for w in words)
                and not any(w.lower() in _organisation_words() for w in words)
                and self.registry.lookup(ent.text) is None):
            return False
        return any(t.text == words[-1] and not ent.start <= t.i < ent.end
                   and doc[t.i - 1].text != words[-2] for t in doc[1:])

    def _actor_of(self, ent: Span, kind: ActorType | None, name: str, local: dict[str, str],
                  actors: dict[str, Actor]) -> Actor | None:
        known = local.get(normalise_name(name))  # "Austin" after "Lloyd Austin"; "ECB"
        if known is not None:  # what the article defined wins over the registry
            return actors.get(known) or self.registry.get(known)
        key = ent.kb_id_ or self.registry.lookup(name)
        if key and key in self.registry and (
            ent.kb_id_ or kind is not ActorType.PERSON
            or self.registry.actors[key].type is ActorType.PERSON
        ):  # a person's name is no place's or organisation's ("Jordan" the player)
            return self.registry.actors[key]
        return self._new_actor(name, kind, actors) if kind is not None else None

    def _new_actor(self, text: str, kind: ActorType, actors: dict[str, Actor]) -> Actor | None:
        """An actor for a name the registry does not know: the same name and type give the
        same key in every article."""
        name = strip_name(text)
        if not any(ch.isalpha() for ch in name):
            return None
        key = actor_key(name)
        taken = self.registry.get(key)
        if taken is not None and taken.type is not kind:
            key = actor_key(f"{name} {kind.value}")  # a person "Jordan", not the country
        return actors.get(key) or Actor(key=key, name=name, type=kind)


def _define_surname(local: dict[str, str], actor: Actor, actors: Mapping[str, Actor]) -> None:
    """The article's surname -> its person: the first full name to bear it, unless that one
    starts with no given name and this one does ("Beneath Clinton", a headline's words ner
    took for a name, then "Hillary Clinton")."""
    surname = normalise_name(actor.name.split()[-1])
    first = actors.get(local.get(surname, ""))
    if first is None or (not _has_given_name(first) and _has_given_name(actor)):
        local[surname] = actor.key


def _has_given_name(actor: Actor) -> bool:
    return actor.name.split()[0] in load_given_names()


_PLACE_LABELS = frozenset({"GPE", "LOC", "NORP", "FAC"})
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
# Words that make a name an organisation's, beside the nouns of sources.json ("Group").
_CORPORATE = frozenset({
    "inc", "corp", "co", "llc", "ltd", "plc", "holdings", "partners", "capital", "fund",
    "foundation", "institute", "trust", "media", "news", "times", "post", "journal", "tribune",
    "herald", "review", "airlines", "motors", "bros", "brothers", "sons", "associates", "llp",
    "labs", "systems", "technologies", "pharmaceuticals", "energy", "industries", "stores",
    "sentinel", "gazette", "courier", "observer", "chronicle", "dispatch", "inquirer", "globe",
    "register", "examiner", "ledger", "telegraph", "guardian", "independent", "mirror", "star",
})


def _full_name_in(text: str, people: Mapping[str, str]) -> str | None:
    """The full name of another person entity that `text` starts with and runs on past
    ("Dennis Prager" in "Dennis Prager Tells"), but not into a generation's suffix ("Jr.")."""
    words = normalise_name(text).split()
    for size in range(len(words) - 1, 1, -1):
        short = " ".join(words[:size])
        if short in people and words[size] not in _SUFFIXES:
            return people[short]
    return None


@cache
def _organisation_words() -> frozenset[str]:
    """The words no person's name holds: the organisation nouns of sources.json and more."""
    return load_sources().organisation_heads | _CORPORATE


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
