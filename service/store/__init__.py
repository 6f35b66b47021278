"""Where document graphs live: one interface, implementations per backend."""

from service.store.base import (
    Dataset,
    QueryError,
    QueryForm,
    QueryMemoryError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    SerializedResult,
    Store,
    UnsupportedFormatError,
    iri_term,
    literal_term,
)

__all__ = [
    "Dataset",
    "QueryError",
    "QueryForm",
    "QueryMemoryError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "ResultTooLargeError",
    "SerializedResult",
    "Store",
    "UnsupportedFormatError",
    "iri_term",
    "literal_term",
]
