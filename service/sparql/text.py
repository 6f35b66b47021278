"""What the service reads in a SPARQL text without parsing it: dataset clauses, WHERE.

Engines parse and judge the syntax. These helpers only look for keywords outside strings,
IRIs and comments, which is enough to apply the Protocol's dataset to an update
(`using-graph-uri`) and to tell whether a query names its own dataset. What must hold against
a hostile text (no SERVICE, no LOAD) is decided on the parsed operation instead
(service.sparql.outbound).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.rdf.input_limits import NestingTooDeepError, refuse_deep
from service.store.base import QueryError

__all__ = [
    "UPDATE_KEYWORDS",
    "blank_non_keywords",
    "expand_escapes",
    "has_dataset_clause",
    "is_update",
    "refuse_deep_nesting",
    "sparql_keyword",
    "update_with_using",
]

# Strings, IRIs and comments: blanked before looking for a keyword, so that a literal or an
# IRI holding "from" or "where" is not mistaken for one.
_NOT_KEYWORDS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\r\n]*'
)  # a comment ends at CR or LF, as SPARQL's EOL says


def _keyword(word: str) -> re.Pattern[str]:
    """The keyword as a whole word: not part of a variable, a prefixed name or a longer word."""
    return re.compile(rf"(?<![?$:\w-]){word}(?![:\w-])", re.IGNORECASE)


_FROM = _keyword("FROM")
_DATASET_IN_UPDATE = _keyword("(?:USING|WITH)")
_WHERE = _keyword("WHERE")
_WHERE_OR_BRACE = re.compile(rf"{_WHERE.pattern}|[{{}}]", re.IGNORECASE)
_DELETE_BEFORE = re.compile(r"(?<![?$:\w-])DELETE\s*$", re.IGNORECASE)


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def expand_escapes(sparql: str) -> str:
    """The text with SPARQL's `\\uXXXX` / `\\UXXXXXXXX` escapes expanded, as engines read it
    (Oxigraph expands them everywhere before parsing, keywords and brackets included)."""

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else ""

    return _ESCAPE.sub(char, sparql)


def refuse_deep_nesting(sparql: str, what: str = "query") -> None:
    """QueryError when the text nests brackets deeper than the engine's parser can take
    without overflowing its stack (service.rdf.input_limits)."""
    try:
        refuse_deep(blank_non_keywords(expand_escapes(sparql)), f"the {what}")
    except NestingTooDeepError as exc:
        raise QueryError(str(exc), what) from None


def blank_non_keywords(sparql: str) -> str:
    """The text with strings, IRIs and comments blanked out, character for character.

    Positions in the result are positions in `sparql`, so a keyword found here can be used to
    splice the original text.
    """
    return _NOT_KEYWORDS.sub(lambda match: " " * len(match.group(0)), sparql)


def has_dataset_clause(sparql: str) -> bool:
    """True when a query names its own dataset (FROM, FROM NAMED): union must not clobber it."""
    return bool(_FROM.search(blank_non_keywords(sparql)))


def matches_patterns(update: str) -> bool:
    """True when an update matches patterns against the store (DELETE/INSERT ... WHERE,
    DELETE WHERE: SPARQL 1.1 gives each a WHERE), the operations whose work the size of their
    text does not bound; INSERT DATA, DROP, COPY and the like are linear in what they name."""
    return bool(_WHERE.search(blank_non_keywords(expand_escapes(update))))


def _matching_brace(blanked: str, start: int) -> int:
    """The index just past the `}` that closes the `{` at `start`."""
    depth = 0
    for index in range(start, len(blanked)):
        if blanked[index] == "{":
            depth += 1
        elif blanked[index] == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    raise QueryError("the update has an unclosed '{'", "update")


def update_with_using(update: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """The update with the Protocol's `using-graph-uri` / `using-named-graph-uri` written in.

    Each operation with a WHERE clause gets `USING <g>` / `USING NAMED <g>` before it; a
    `DELETE WHERE { P }` becomes `DELETE { P } USING ... WHERE { P }`, which means the same.
    An update that names its own dataset (USING, WITH) with these parameters is refused, as
    the Protocol requires. The graph IRIs must already be checked as IRIs by the caller.
    """
    if not using and not using_named:
        return update
    blanked = blank_non_keywords(update)
    if _DATASET_IN_UPDATE.search(blanked):
        raise QueryError(
            "the update names its own dataset (USING or WITH) and the request also gives "
            "using-graph-uri or using-named-graph-uri; use one or the other",
            "update",
        )
    clause = "".join(f"USING <{iri}> " for iri in using)
    clause += "".join(f"USING NAMED <{iri}> " for iri in using_named)
    pieces: list[str] = []
    done = 0  # update[:done] is already in pieces
    depth = 0
    for match in _WHERE_OR_BRACE.finditer(blanked):
        token = match.group(0)
        if token == "{":
            depth += 1
            continue
        if token == "}":
            depth -= 1
            continue
        if depth:
            continue
        where = match.start()
        delete = _DELETE_BEFORE.search(blanked, 0, where)
        if delete is None:
            pieces.append(update[done:where] + clause)
            done = where
            continue
        opening = blanked.find("{", match.end())
        if opening < 0:
            raise QueryError("DELETE WHERE has no pattern in braces", "update")
        pattern = update[opening : _matching_brace(blanked, opening)]
        pieces.append(f"{update[done : delete.start()]}DELETE {pattern} {clause}WHERE {pattern}")
        done = opening + len(pattern)
    pieces.append(update[done:])
    return "".join(pieces)


UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

# The prologue: blanks, comments, BASE and PREFIX declarations, in any order.
_PROLOGUE = re.compile(
    r"""(?: \s+
          | \#[^\n]*
          | BASE \s* <[^>]*>
          | PREFIX \s+ [^\s:]* : \s* <[^>]*>
        )*""",
    re.IGNORECASE | re.VERBOSE,
)
_WORD = re.compile(r"[A-Za-z]+")


def sparql_keyword(sparql: str) -> str | None:
    """The first keyword after the prologue (SELECT, CONSTRUCT, INSERT...), upper-cased.

    A cheap look at the text, not a parse: enough to tell a query's form and to refuse an
    update with a message that says so, while the engine's parser stays the judge of syntax.
    """
    start = _PROLOGUE.match(sparql)
    word = _WORD.match(sparql, start.end() if start else 0)
    return word.group(0).upper() if word else None


def is_update(sparql: str) -> bool:
    """True when the text reads as a SPARQL Update (INSERT, DELETE, LOAD, DROP...)."""
    return sparql_keyword(sparql) in UPDATE_KEYWORDS
