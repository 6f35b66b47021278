"""The actor registry as component data: actors looked up by name or alias, saved as JSON lines.

The actor ruler and linker each hold one, given to them by `initialize(actors=...)` and written
beside the component by `to_disk` (`actors.jsonl`, one actor a line) or `to_bytes`, the way
spaCy's SpanRuler keeps its patterns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from service.pipeline.records import Actor, ActorType, normalise_name, strip_name

__all__ = ["ActorRegistry", "actor_from_json", "actor_to_json", "normalise_name", "strip_name"]



def actor_to_json(actor: Actor) -> dict[str, Any]:
    data: dict[str, Any] = {"key": actor.key, "name": actor.name, "type": actor.type.value}
    if actor.aliases:
        data["aliases"] = list(actor.aliases)
    if actor.wikidata:
        data["wikidata"] = actor.wikidata
    if actor.description:
        data["description"] = actor.description
    if actor.demonyms:
        data["demonyms"] = list(actor.demonyms)
    return data


def actor_from_json(data: Mapping[str, Any]) -> Actor:
    return Actor(
        key=data["key"],
        name=data["name"],
        type=ActorType(data["type"]),
        aliases=tuple(data.get("aliases", ())),
        wikidata=data.get("wikidata"),
        description=data.get("description"),
        demonyms=tuple(data.get("demonyms", ())),
    )


class ActorRegistry:
    """Actors by key, and the key a name or alias normalises to (the first actor to claim it)."""

    def __init__(self, actors: Iterable[Actor | Mapping[str, Any]] = ()) -> None:
        self._given: list[Actor] = []
        self.actors: dict[str, Actor] = {}
        self._names: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}
        self.add(actors)

    def add(self, actors: Iterable[Actor | Mapping[str, Any]]) -> None:
        for item in actors:
            actor = item if isinstance(item, Actor) else actor_from_json(item)
            self._given.append(actor)
            self.actors[actor.key] = actor
            for name in (actor.name, *actor.aliases):
                self._names.setdefault(normalise_name(name), actor.key)
            for demonym in actor.demonyms:
                self._demonyms.setdefault(normalise_name(demonym), actor.key)

    def lookup(self, text: str) -> str | None:
        """The key of the actor `text` names, if it names one."""
        return self._names.get(normalise_name(text))

    def by_demonym(self, word: str) -> str | None:
        """The key of the country whose people `word` names ("Iraqi"), if any."""
        return self._demonyms.get(normalise_name(word))

    def get(self, key: str | None) -> Actor | None:
        return self.actors.get(key) if key else None

    def __contains__(self, key: object) -> bool:
        return key in self.actors

    def __iter__(self) -> Iterator[Actor]:
        """The actors as given, in order (what `to_json` writes)."""
        return iter(self._given)

    def __len__(self) -> int:
        return len(self._given)

    def to_json(self) -> list[dict[str, Any]]:
        return [actor_to_json(actor) for actor in self._given]
