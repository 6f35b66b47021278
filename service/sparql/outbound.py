"""Whether a client's SPARQL would make the server call out: SERVICE and LOAD, found by parsing.

Oxigraph fetches `SERVICE <iri>` and `LOAD <iri>` over HTTP itself, so a client could make the
server send requests to any address it can reach. The decision is taken on the parsed
operation (rdflib's SPARQL parser, its parse tree), never on a keyword search in the text, so
comments ended by a bare CR, odd whitespace or `\\u` escapes cannot hide a SERVICE.

Parsing costs tens of milliseconds, so one cheap fact comes first: a SERVICE or LOAD clause
spells its keyword, so a text that (with its `\\u` escapes expanded, in any case) holds no
"service" and no "load" has neither, and is let through unparsed. A text that does hold one
and cannot be parsed here (syntax rdflib lacks, such as LATERAL; too deep; too large) is
refused: when in doubt, nothing leaves the machine.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from service.sparql.text import expand_escapes
from service.store.base import QueryError

__all__ = ["MAX_CHECKED_CHARS", "OutboundRefusedError", "refuse_outbound"]

# Larger texts that mention SERVICE or LOAD are refused rather than parsed: the parser is
# pure Python and its cost grows with the text.
MAX_CHECKED_CHARS = 64 * 1024

class OutboundRefusedError(QueryError):
    """The operation would make the server fetch from another address, which is not allowed."""


def _mentions(text: str, *words: str) -> bool:
    folded = text.casefold()
    return any(word in folded for word in words)


def _nodes(tree: Any) -> Iterator[Any]:
    """Every node of an rdflib parse tree, without recursion (trees can be deep)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):  # CompValue is an OrderedDict
            stack.extend(node.values())
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def _refusal(what: str, kind: str) -> OutboundRefusedError:
    return OutboundRefusedError(
        f"{what} is not allowed here: this server does not fetch from other addresses "
        "for its clients (its operator can allow named SPARQL endpoints with "
        "FACTGRAPH_FEDERATION_ENDPOINTS)",
        kind,
    )


def _parsed(text: str, update: bool) -> Any:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    return parseUpdate(text) if update else parseQuery(text)


def refuse_outbound(sparql: str, *, update: bool = False, allowed: Collection[str] = ()) -> None:
    """Raise OutboundRefusedError when the query or update holds SERVICE or LOAD.

    `allowed` names the SPARQL endpoints a query's SERVICE may call (federation turned on by
    the operator); an update never calls out, and LOAD is always refused.
    """
    text = expand_escapes(sparql)
    if not _mentions(text, "service", "load" if update else "service"):
        return
    kind = "update" if update else "query"
    what = "SERVICE (federated query) or LOAD" if update else "SERVICE (federated query)"
    if len(text) > MAX_CHECKED_CHARS:
        raise _refusal(f"{what}, in a text over {MAX_CHECKED_CHARS:,} characters,", kind)
    try:
        tree = _parsed(text, update)
    except Exception:  # any parse failure (syntax, RecursionError): it cannot be shown safe
        raise _refusal(f"{what}, in {'an' if update else 'a'} {kind} that could not be "
                       "checked,", kind) from None
    prologue = None
    for node in _nodes(tree):
        name = getattr(node, "name", None)
        if name == "Load":
            raise _refusal("LOAD (fetching a graph from an address)", kind)
        if name != "ServiceGraphPattern":
            continue
        if update or not allowed:
            raise _refusal("SERVICE (federated query)", kind)
        if prologue is None:
            from rdflib.plugins.sparql.algebra import translatePrologue

            prologue = translatePrologue(tree[0], None)
        endpoint = str(prologue.absolutize(node.term))
        if endpoint not in allowed:
            raise _refusal(f"SERVICE <{endpoint}> (an endpoint not on the allow-list)", kind)
