"""What both stores read from a query's text before running it: its dataset clause, SERVICE.

Strings, IRIs and comments are blanked first, so that a literal or an IRI that happens to
contain "from" or "service" is never mistaken for the keyword.
"""

from __future__ import annotations

import re

from service.store.base import QueryError

__all__ = ["NOT_KEYWORDS", "blank_non_keywords", "has_dataset_clause", "refuse_service"]

NOT_KEYWORDS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)
_FROM = re.compile(r"(?<![?$:\w-])FROM(?![:\w-])", re.IGNORECASE)
_SERVICE = re.compile(r"(?<![?$:\w-])SERVICE(?![:\w-])", re.IGNORECASE)


def blank_non_keywords(sparql: str) -> str:
    """The text with strings, IRIs and comments replaced by as many spaces: offsets still hold."""
    return NOT_KEYWORDS.sub(lambda match: " " * len(match.group()), sparql)


def has_dataset_clause(sparql: str) -> bool:
    """True when the query names its own dataset (FROM, FROM NAMED): union must not clobber it."""
    return bool(_FROM.search(NOT_KEYWORDS.sub(" ", sparql)))


def refuse_service(sparql: str) -> None:
    """A SERVICE clause makes the engine fetch another address (pyoxigraph with no timeout; a
    remote server from its own network): a client could make either call any address.
    Federation stays off until it has an allow-list."""
    if _SERVICE.search(NOT_KEYWORDS.sub(" ", sparql)):
        raise QueryError(
            "SERVICE (federated query) is not allowed here: this store does not call other servers"
        )
