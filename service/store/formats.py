"""Names users type for export formats, and the media types the store serialises them as."""

from __future__ import annotations

__all__ = ["EXPORT_FORMATS"]

# Quad formats keep each document's named graph; triple formats give the union of all graphs.
EXPORT_FORMATS: dict[str, str] = {
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}
