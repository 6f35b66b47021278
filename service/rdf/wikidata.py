"""Registry entries from a Wikidata JSON dump, for `factgraph actors import`.

The dump is Wikidata's standard `latest-all.json` (optionally .gz or .bz2): a JSON array with
one entity a line. It is read line by line, so a dump of any size streams through; an entity
is kept when one of its "instance of" (P31) values is among those asked for, and becomes an
actor with its English label as name, its English aliases (those that name no other kept
entity), its English description and its Q-id.
"""

from __future__ import annotations

import bz2
import gzip
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from service.pipeline.records import Actor, ActorType, actor_key, normalise_name

__all__ = ["actors_from_dump", "dump_entities"]

_INSTANCE_OF = "P31"


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    if path.suffix == ".bz2":
        return bz2.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def dump_entities(path: Path) -> Iterator[dict[str, Any]]:
    """Each entity of the dump; ValueError names the line that is not one."""
    with _open(path) as lines:
        for number, line in enumerate(lines, 1):
            text = line.strip().rstrip(",")
            if text in ("", "[", "]"):
                continue
            try:
                entity = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not a Wikidata entity ({exc.msg})") from None
            if isinstance(entity, dict):
                yield entity


def _instances(entity: Mapping[str, Any]) -> set[str]:
    found = set()
    for claim in entity.get("claims", {}).get(_INSTANCE_OF, []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            found.add(value["id"])
    return found


def _english(entity: Mapping[str, Any], field: str) -> str | None:
    value = entity.get(field, {}).get("en", {}).get("value")
    return value if isinstance(value, str) and value.strip() else None


def _candidate(entity: Mapping[str, Any], kinds: Mapping[str, ActorType]) -> Actor | None:
    qid = entity.get("id")
    name = _english(entity, "labels")
    matched = sorted(q for q in _instances(entity) if q in kinds)
    if entity.get("type") != "item" or not isinstance(qid, str) or not name or not matched:
        return None
    aliases = sorted({
        a["value"] for a in entity.get("aliases", {}).get("en", [])
        if isinstance(a.get("value"), str) and a["value"].strip() and a["value"] != name
    })
    return Actor(key=actor_key(name), name=name, type=kinds[matched[0]], aliases=tuple(aliases),
                 wikidata=qid, description=_english(entity, "descriptions"))


def actors_from_dump(entities: Iterable[Mapping[str, Any]], kinds: Mapping[str, ActorType]
                     ) -> list[Actor]:
    """The entities that are instances of a class in `kinds` (Q-id -> actor type) as actors.

    Two entities of one name (two "John Smith"s) cannot both be a registry actor by name: the
    first keeps the key, the next is keyed by name and Q-id. An alias that two actors share
    names neither for sure and is left out.
    """
    actors: dict[str, Actor] = {}
    for entity in entities:
        actor = _candidate(entity, kinds)
        if actor is None:
            continue
        if actor.key in actors:
            actor = Actor(actor_key(f"{actor.name} {actor.wikidata}"), actor.name, actor.type,
                          actor.aliases, actor.wikidata, actor.description)
        actors[actor.key] = actor
    owners: dict[str, set[str]] = {}
    for actor in actors.values():
        for label in (actor.name, *actor.aliases):
            owners.setdefault(normalise_name(label), set()).add(actor.key)
    return [
        Actor(a.key, a.name, a.type,
              tuple(x for x in a.aliases if len(owners[normalise_name(x)]) == 1),
              a.wikidata, a.description)
        for a in actors.values()
    ]
