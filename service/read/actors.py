"""An actor: how the registry and the documents describe it, and everything it said.

`GET /actors/{slug}/statements` and the actor's page read the same rows.
"""

from __future__ import annotations

from typing import Any

from service.rdf import iris
from service.read.questions import Answer, InvalidInputError, run, statement_json
from service.read.rows import first_per, local_name
from service.sparql import load
from service.store import Store, iri_term

__all__ = ["UnknownActorError", "actor_profile", "actor_statements", "checked_actor"]

_SEPARATOR = "\u001f"  # the GROUP_CONCAT separator of read/actor_description.rq


class UnknownActorError(LookupError):
    """No actor with that slug is known."""


def checked_actor(base_iri: str, slug: str) -> str:
    """The actor IRI of a slug from a request; InvalidInputError when it cannot be one."""
    if len(slug) > 200 or not iris.SLUG.fullmatch(slug):
        raise InvalidInputError(
            f"{slug[:60]!r} is not an actor slug; slugs look like 'islamic-resistance-in-iraq'"
        )
    return iris.actor(base_iri, slug)


def actor_statements(store: Store, base_iri: str, slug: str) -> Answer:
    """What the actor said, where, when, and who reported it (the outlet, and whoever the
    outlet cites it through)."""
    iri = checked_actor(base_iri, slug)
    bindings = {"actor": iri_term(iri)}
    known = store.select(load("read/actor_exists.rq"), bindings)
    if not known:
        raise UnknownActorError(f"no actor {slug!r} is known; GET /sparql can list actors")
    rows, sparql = run(store, "read/actor_statements.rq", bindings)
    statements = []
    for row in first_per(rows, "statement"):
        entry = statement_json(row)
        entry["headline"] = row["headline"]
        cited = row["citedBy"]
        via = None if cited is None else {"iri": cited, "name": row["citedByName"]}
        entry["reported_by"] = {"outlet": row["outlet"], "via": via}
        statements.append(entry)
    about = {"actor": {"iri": iri, "slug": slug, "name": known[0]["name"]}}
    return Answer(sparql, statements, about)


def actor_profile(store: Store, base_iri: str, slug: str) -> dict[str, Any] | None:
    """The actor's name, type, description, aliases and Wikidata links; None when no stored
    triple gives it a name."""
    iri = checked_actor(base_iri, slug)
    found = [
        row
        for row in store.select(load("read/actor_description.rq"), {"actor": iri_term(iri)})
        if row["name"]
    ]
    if not found:
        return None
    info = found[0]
    return {
        "iri": iri,
        "slug": slug,
        "name": info["name"],
        "type": local_name(info["type"]),
        "description": info["description"],
        "aliases": sorted(a for a in (info["aliases"] or "").split(_SEPARATOR) if a),
        "same_as": sorted(a for a in (info["sameAs"] or "").split(_SEPARATOR) if a),
    }
