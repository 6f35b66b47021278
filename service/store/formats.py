"""Names users type for export formats, and the media types the store serialises them as."""

from __future__ import annotations

__all__ = [
    "EXPORT_FORMATS",
    "FEED_FORMATS",
    "GRAPH_MEDIA_TYPES",
    "GRAPH_STORE_MEDIA_TYPES",
    "RESULTS_MEDIA_TYPES",
]

# Quad formats keep each document's named graph; triple formats give the union of all graphs.
EXPORT_FORMATS: dict[str, str] = {
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}

# Schema.org DataFeeds (service.claimreview.export), not store dumps: `claimreview` holds the
# imported ClaimReviews, `claims` every claim as a ClaimReview-ready schema:Claim.
FEED_FORMATS: dict[str, str] = {
    "claimreview": "application/ld+json",
    "claims": "application/ld+json",
}

# What a query's result can be served as, in the order offered (the first is the default).
RESULTS_MEDIA_TYPES: tuple[str, ...] = (  # SELECT and ASK
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
GRAPH_MEDIA_TYPES: tuple[str, ...] = (  # CONSTRUCT and DESCRIBE
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
)

# What one graph of the Graph Store Protocol is read and written as (the first is the default).
GRAPH_STORE_MEDIA_TYPES: tuple[str, ...] = (
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
)
