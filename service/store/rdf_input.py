"""RDF a client sends (Turtle, N-Triples, RDF/XML, JSON-LD) as the N-Triples the store takes.

Parsed by Oxigraph's W3C-conformant parsers; relative IRIs resolve against the graph's IRI,
as the Graph Store Protocol says. Nothing but parsed data reaches the store.
"""

from __future__ import annotations

import pyoxigraph as ox

from service.rdf.input_limits import NestingTooDeepError, refuse_deep
from service.sparql.text import blank_non_keywords
from service.store.formats import GRAPH_STORE_MEDIA_TYPES

__all__ = ["RdfInputError", "UnknownRdfFormatError", "to_ntriples"]


class RdfInputError(ValueError):
    """The body cannot be read as the RDF format it claims; the message says where and why."""


class UnknownRdfFormatError(RdfInputError):
    """The body claims a media type that is no RDF format the store reads."""


_TURTLE_FAMILY = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3)


def _refuse_hostile(body: bytes, fmt: ox.RdfFormat) -> None:
    """What no parser is given: a DTD in RDF/XML (entity expansion, "billion laughs"), and
    JSON-LD or Turtle nested deeper than service.rdf.input_limits allows."""
    if fmt == ox.RdfFormat.RDF_XML:
        if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
            raise RdfInputError(
                "the RDF/XML declares a DOCTYPE or entities; send it without a DTD "
                "(entities are never expanded here)"
            )
        return
    if fmt != ox.RdfFormat.JSON_LD and fmt not in _TURTLE_FAMILY:
        return
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise RdfInputError(f"the body is not UTF-8 {fmt.name}") from None
    try:
        if fmt == ox.RdfFormat.JSON_LD:
            refuse_deep(text, "the JSON-LD", json=True)
        else:
            refuse_deep(blank_non_keywords(text), f"the {fmt.name}")
    except NestingTooDeepError as exc:
        raise RdfInputError(str(exc)) from None


def to_ntriples(body: bytes, media_type: str, base_iri: str | None) -> bytes:
    """The triples of `body` as N-Triples; RdfInputError for an unknown format or bad data."""
    fmt = (
        ox.RdfFormat.from_media_type(media_type) if media_type in GRAPH_STORE_MEDIA_TYPES else None
    )
    if fmt is None:
        raise UnknownRdfFormatError(
            f"a graph cannot be sent as {media_type or 'a body without Content-Type'}; "
            f"send one of: {', '.join(GRAPH_STORE_MEDIA_TYPES)}"
        )
    _refuse_hostile(body, fmt)
    try:
        quads = ox.parse(body, fmt, base_iri=base_iri)
        triples = [quad.triple for quad in quads]
    except SyntaxError as exc:
        raise RdfInputError(f"the body is not valid {fmt.name}: {exc}") from None
    except UnicodeDecodeError:
        raise RdfInputError(f"the body is not UTF-8 {fmt.name}") from None
    except ValueError as exc:  # the base: a graph name Oxigraph does not take as an IRI
        raise RdfInputError(f"the graph's IRI {base_iri!r} is not a valid IRI: {exc}") from None
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
