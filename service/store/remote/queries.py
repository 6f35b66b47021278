"""A query's text before it goes to a SPARQL server: checked as a standard SPARQL 1.1 query,
its form found, and bindings written into it (HTTP has no SEP-0007 substitution).

Nothing here contacts the server: a query refused here is never sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from service.sparql.outbound import refuse_outbound
from service.sparql.text import blank_non_keywords, refuse_deep_nesting
from service.store.base import QueryError, QueryForm, QuerySyntaxError

__all__ = ["check_is_query", "check_variable", "query_form", "with_values"]

_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _keyword(words: str) -> re.Pattern[str]:
    """A keyword as a whole word: not part of a variable, a prefixed name or a longer word."""
    return re.compile(rf"(?<![?$:\w-])({words})(?![:\w-])", re.IGNORECASE)


_FORM = _keyword("|".join(QueryForm))
_SELECT = _keyword(QueryForm.SELECT)
# Virtuoso-only syntax reaches its SQL layer (pragmas, bif: and sql: functions, the Sponger's
# get: options): a client's query stays standard SPARQL, whatever the server.
_SERVER_SYNTAX = re.compile(r"(?<![?$:\w-])DEFINE(?![:\w-])|\b(?:bif|sql):", re.IGNORECASE)


def query_form(sparql: str) -> QueryForm:
    """The query form, from the first form keyword outside strings, IRIs and comments."""
    found = _FORM.search(blank_non_keywords(sparql))
    if found is None:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE found")
    return QueryForm(found.group(1).upper())


def check_is_query(sparql: str, base_iri: str | None) -> QueryForm:
    """Parse the text as a SPARQL 1.1 query with Oxigraph's parser, so that an update (or
    anything else a server would also run from its query endpoint) never gets there."""
    refuse_deep_nesting(sparql)
    refuse_outbound(sparql)
    if _SERVER_SYNTAX.search(blank_non_keywords(sparql)):
        raise QueryError(
            "server-specific syntax (DEFINE pragmas, bif: or sql: functions) is not allowed; "
            "send a standard SPARQL 1.1 query"
        )
    try:
        # Parsing is all this does: evaluation is lazy and the store is empty.
        result = ox.Store().query(sparql, base_iri=base_iri)
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from None
    except (RuntimeError, ValueError) as exc:  # e.g. an unknown function IRI is parsed fine
        raise QueryError(str(exc)) from None
    if isinstance(result, ox.QueryBoolean):
        form = QueryForm.ASK
    elif isinstance(result, ox.QuerySolutions):
        form = QueryForm.SELECT
    else:
        form = query_form(sparql)
    del result
    return form


def check_variable(name: str) -> str:
    """A binding's variable name, checked (it is written into the query text)."""
    if not _VARIABLE.match(name):
        raise ValueError(f"{name!r} is not a SPARQL variable name")
    return name


def with_values(sparql: str, terms: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The SELECT with a VALUES block opening its WHERE group: one row binding each variable.

    Placed first inside the group it joins with the whole pattern, so each variable is bound
    to its value in every row, as the embedded store's substitution binds it. The values are
    Oxigraph terms written by Oxigraph (`str(term)`), never the caller's text; the names are
    checked by `check_variable`.
    """
    if not terms:
        return sparql
    masked = blank_non_keywords(sparql)
    select = _SELECT.search(masked)
    if select is None:
        raise QueryError("select() runs SELECT queries only")
    depth = 0
    for index in range(select.end(), len(masked)):
        char = masked[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "{" and depth == 0:
            names = " ".join(f"?{name}" for name in terms)
            values = " ".join(str(term) for term in terms.values())
            block = f" VALUES ({names}) {{ ({values}) }} "
            return sparql[: index + 1] + block + sparql[index + 1 :]
    raise QueryError("the query has no WHERE group to bind values in")
