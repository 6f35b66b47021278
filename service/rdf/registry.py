"""Actors: the registry (ontology/actors.ttl, and the user's own file) as records, and any
actor record as RDF.

The file holds relative IRIs (`<islamic-resistance-in-iraq>`) so that one file serves every
deployment: it is parsed with the base `{base}id/actor/`, and an actor's key is the last
segment of its IRI. `actor_triples` is pure; the document graph uses it too, so an actor reads
the same in the registry graph and in every document graph.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from service.pipeline.records import Actor, ActorType, normalise_name
from service.rdf import iris
from service.rdf.vocab import FG, OWL, RDF, SDO, SKOS, WD, new_graph

__all__ = [
    "ACTOR_CLASSES",
    "actor_triples",
    "load_actors",
    "registry_graph",
    "registry_turtle",
]

ACTOR_CLASSES: Mapping[ActorType, URIRef] = {
    ActorType.PERSON: SDO.Person,
    ActorType.ORGANIZATION: SDO.Organization,
    ActorType.PLACE: SDO.Place,
    ActorType.GROUP: FG.Group,
}
_QID = re.compile(r"Q[1-9][0-9]*")

# Any base works for reading records: keys are the IRIs' last segments.
_READ_BASE = "http://localhost/"
_TYPES: dict[URIRef, ActorType] = {cls: kind for kind, cls in ACTOR_CLASSES.items()}


def actor_triples(
    node: URIRef, actor: Actor, member_of: URIRef | None = None
) -> Iterator[tuple[Node, Node, Node]]:
    """An actor at `node` with its type, name, aliases, description and Wikidata link; a
    nameless source also as such, with what it is a member of.

    Empty names are left out (the shapes then report the actor); what cannot be written raises.
    """
    what = f"actor {actor.key!r}"
    if actor.type not in ACTOR_CLASSES:
        raise ValueError(f"{what} has unknown type {actor.type!r}")
    if not all(isinstance(label, str) for label in (actor.name, *actor.aliases)):
        raise ValueError(f"{what} has a name or alias that is not a string")
    yield node, RDF.type, ACTOR_CLASSES[actor.type]
    if actor.nameless:
        yield node, RDF.type, FG.NamelessSource
    yield from ((node, SDO.name, Literal(n)) for n in [actor.name] if n)
    yield from ((node, SKOS.altLabel, Literal(a)) for a in actor.aliases if a)
    yield from ((node, SKOS.hiddenLabel, Literal(d)) for d in actor.demonyms if d)
    if actor.description:
        yield node, SDO.description, Literal(actor.description)
    if member_of is not None:
        yield node, FG.memberOf, member_of
    if actor.wikidata is not None:
        if not _QID.fullmatch(actor.wikidata):
            raise ValueError(f"{what} has Wikidata id {actor.wikidata!r}, not one like 'Q30'")
        yield node, OWL.sameAs, WD[actor.wikidata]


def _parse(path: Path, base_iri: str) -> Graph:
    """The file as written, relative IRIs resolved under `{base}id/actor/`."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle", publicID=iris.actor_prefix(base_iri))
    except FileNotFoundError:
        raise ValueError(f"{path}: no such actor registry file") from None
    except Exception as exc:  # rdflib raises many types; the caller needs one line
        raise ValueError(f"{path}: not valid Turtle: {str(exc).strip()[:200]}") from None
    return graph


def _actor(graph: Graph, node: URIRef, prefix: str) -> Actor:
    """One registry entry as a record; ValueError names the entry that is not one."""
    key = str(node)[len(prefix) :]
    types = [_TYPES[t] for t in graph.objects(node, RDF.type) if t in _TYPES]
    if len(types) != 1:
        raise ValueError(f"actor {key!r} must have exactly one actor type, has {len(types)}")
    if types[0] is ActorType.GROUP:
        raise ValueError(f"actor {key!r} is an fg:Group: a registry holds named actors only; "
                         "nameless sources are minted under their document")
    names = [str(n) for n in graph.objects(node, SDO.name)]
    if len(names) != 1:
        raise ValueError(f"actor {key!r} must have exactly one schema:name, has {len(names)}")
    wikidata = [
        str(o)[len(str(WD)) :]
        for o in graph.objects(node, OWL.sameAs)
        if str(o).startswith(str(WD))
    ]
    description = graph.value(node, SDO.description)
    return Actor(
        key=key,
        name=names[0],
        type=types[0],
        aliases=tuple(sorted({str(a) for a in graph.objects(node, SKOS.altLabel)})),
        wikidata=wikidata[0] if wikidata else None,
        description=None if description is None else str(description),
        demonyms=tuple(sorted({str(d) for d in graph.objects(node, SKOS.hiddenLabel)})),
    )


def _load_file(path: Path) -> list[Actor]:
    graph = _parse(path, _READ_BASE)
    prefix = iris.actor_prefix(_READ_BASE)
    nodes = {
        node for cls in _TYPES for node in graph.subjects(RDF.type, cls) if isinstance(node, URIRef)
    }
    for node in nodes:
        if not str(node).startswith(prefix) or "/" in str(node)[len(prefix) :]:
            raise ValueError(f"{path}: actor IRI <{node}> is not relative to the registry base")
    return [_actor(graph, node, prefix) for node in nodes]


def _without_names(actor: Actor, taken: set[str]) -> Actor:
    """The actor without the aliases a later file gave to another actor."""
    aliases = tuple(a for a in actor.aliases if normalise_name(a) not in taken)
    return actor if aliases == actor.aliases else replace(actor, aliases=aliases)


def load_actors(paths: Path | Sequence[Path]) -> list[Actor]:
    """Every actor of the registry files, sorted by key, for the extractor's entity ruler.

    A later file (the user's) wins: its entry replaces an earlier one of the same key, and its
    names and aliases are taken from the earlier files' other actors.
    """
    found: dict[str, Actor] = {}
    for path in [paths] if isinstance(paths, Path) else paths:
        actors = _load_file(Path(path))
        taken = {normalise_name(n) for a in actors for n in (a.name, *a.aliases)}
        found = {key: _without_names(actor, taken) for key, actor in found.items()}
        found.update((actor.key, actor) for actor in actors)
    return sorted(found.values(), key=lambda a: a.key)


def registry_graph(base_iri: str, paths: Path | Sequence[Path]) -> Graph:
    """The registry as RDF under the base: what the store holds in `{base}graph/actors`.

    Built from the records, so the graph and the extractor see the same actors.
    """
    graph = new_graph()
    for actor in load_actors(paths):
        for triple in actor_triples(URIRef(iris.actor(base_iri, actor.key)), actor):
            graph.add(triple)
    return graph


_PREFIXES = """\
PREFIX schema: <http://schema.org/>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>
PREFIX owl:    <http://www.w3.org/2002/07/owl#>
PREFIX wd:     <http://www.wikidata.org/entity/>
"""
_CURIES = {ActorType.PERSON: "schema:Person", ActorType.ORGANIZATION: "schema:Organization",
           ActorType.PLACE: "schema:Place"}


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a Turtle string


def registry_turtle(actors: Iterable[Actor], comment: str = "") -> str:
    """Actors as a registry file (relative IRIs, one entry an actor, sorted by key): what
    generated and imported registries are written as, readable and stable under diff."""
    header = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    parts = [header + ("\n" if header else "") + _PREFIXES]
    seen: dict[str, str] = {}
    for actor in sorted(actors, key=lambda a: a.key):
        if actor.key in seen:
            raise ValueError(f"{actor.name!r} and {seen[actor.key]!r} share the key {actor.key}")
        if actor.type not in _CURIES:
            raise ValueError(f"actor {actor.key!r}: a registry holds no {actor.type.value}")
        seen[actor.key] = actor.name
        lines = [f"<{actor.key}>\n    a {_CURIES[actor.type]}",
                 f"    schema:name {_literal(actor.name)}"]
        if actor.description:
            lines.append(f"    schema:description {_literal(actor.description)}")
        if actor.aliases:
            lines.append("    skos:altLabel " + " , ".join(_literal(a) for a in actor.aliases))
        if actor.demonyms:
            lines.append("    skos:hiddenLabel " + " , ".join(_literal(d) for d in actor.demonyms))
        if actor.wikidata:
            lines.append(f"    owl:sameAs wd:{actor.wikidata}")
        parts.append(" ;\n".join(lines) + " .\n")
    return "\n".join(parts)
