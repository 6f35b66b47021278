"""`factgraph actors import DUMP`: registry entries of your own from a Wikidata JSON dump."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from service.cli.common import fail
from service.pipeline.records import ActorType
from service.rdf.registry import registry_turtle
from service.rdf.wikidata import actors_from_dump, dump_entities

__all__ = ["actors_app"]

actors_app = typer.Typer(help="The actor registry: build your own (FACTGRAPH_ACTORS).",
                         no_args_is_help=True)

_TYPES = {"person": ActorType.PERSON, "organization": ActorType.ORGANIZATION,
          "place": ActorType.PLACE}


def _kinds(specs: list[str]) -> dict[str, ActorType]:
    """"Q5=person" -> {"Q5": PERSON}; a bad spec fails with one line."""
    kinds = {}
    for spec in specs:
        qid, _, kind = spec.partition("=")
        if not qid.startswith("Q") or not qid[1:].isdigit() or kind.lower() not in _TYPES:
            fail(f"{spec!r}: write a class and an actor type, such as Q5=person or "
                 f"Q43229=organization ({', '.join(_TYPES)})")
        kinds[qid] = _TYPES[kind.lower()]
    return kinds


@actors_app.command("import")
def import_command(
    dump: Annotated[Path, typer.Argument(
        help="A Wikidata JSON dump (latest-all.json, one entity a line; .gz or .bz2 too).")],
    instance_of: Annotated[list[str], typer.Option(
        "--instance-of", "-i",
        help="Keep entities that are instances (P31) of this class, as this actor type: "
             "Q5=person, Q43229=organization, Q6256=place. Repeat for more.")],
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="The Turtle file to write; load it with FACTGRAPH_ACTORS.")],
) -> None:
    """Write the dump's entities of the given classes as a registry file of your own."""
    kinds = _kinds(instance_of)
    if not dump.is_file():
        fail(f"{dump}: no such file")
    try:
        actors = actors_from_dump(dump_entities(dump), kinds)
    except (ValueError, OSError, EOFError) as exc:
        fail(str(exc))
    comment = (f"Imported from the Wikidata dump {dump.name} by `factgraph actors import`: "
               f"instances of {', '.join(sorted(kinds))}.\nLoad it with FACTGRAPH_ACTORS.")
    out.write_text(registry_turtle(actors, comment), encoding="utf-8")
    typer.echo(f"wrote {len(actors)} actors to {out}")
