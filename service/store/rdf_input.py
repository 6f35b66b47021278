"""RDF a client sends (Turtle, N-Triples, RDF/XML, JSON-LD) as the N-Triples the store takes.

Parsed by Oxigraph's W3C-conformant parsers; relative IRIs resolve against the graph's IRI,
as the Graph Store Protocol says. Nothing but parsed data reaches the store.
"""

from __future__ import annotations

import pyoxigraph as ox

from service.store.formats import GRAPH_STORE_MEDIA_TYPES

__all__ = ["RdfInputError", "UnknownRdfFormatError", "to_ntriples"]


class RdfInputError(ValueError):
    """The body cannot be read as the RDF format it claims; the message says where and why."""


class UnknownRdfFormatError(RdfInputError):
    """The body claims a media type that is no RDF format the store reads."""


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
    try:
        quads = ox.parse(body, fmt, base_iri=base_iri)
        triples = [quad.triple for quad in quads]
    except SyntaxError as exc:
        raise RdfInputError(f"the body is not valid {fmt.name}: {exc}") from None
    except UnicodeDecodeError:
        raise RdfInputError(f"the body is not UTF-8 {fmt.name}") from None
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
