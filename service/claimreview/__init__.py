"""ClaimReview: claims out as schema.org `Claim`s, fact-checkers' ClaimReviews in, matched.

`claims` reads stored claims, `export` writes Claim JSON-LD and feeds, `importer` reads
ClaimReview JSON-LD into named graphs, `matching` scores which claims a review is about.
"""

__all__: list[str] = []
