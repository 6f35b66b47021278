"""What the remote store does differently per SPARQL server, in one object it asks: a `Dialect`.

`Dialect` is any SPARQL 1.1 server; `Virtuoso` adds Virtuoso's extensions. The store picks
one from the location's `dialect=` option, else from the `Server` header of the server's
first answer (`dialect_of_server`), and asks it instead of branching on the server itself.

Two kinds of difference, and why they sit where they do:

- **Extensions** (a parameter, a pragma, a path another server would refuse or not have):
  Virtuoso's alone, in `Virtuoso`: its `timeout` query parameter, its
  `define sql:big-data-const 1` write pragma, its Graph Store path.
- **Workarounds** for Virtuoso's quirks that cost nothing where the quirk is absent: in
  `Dialect` itself, so every server gets them. The `Server` header that picks the dialect
  names a proxy when Virtuoso runs behind one; a Virtuoso taken for a generic server must
  still get its data in, and its cut results must still be errors, not short answers.

Virtuoso 7.2 quirks met, and what is done about them (each checked on 7.2.5):

- One INSERT DATA of more than about 1,300 triples fails to compile (SP031 "generated SQL
  text has exceeded 10000 lines", SP030 "memory exhausted"): data goes in operations of
  1,000 triples, all in one request (`insert_operations`). Its compiler is also quadratic
  in the constants unless told `define sql:big-data-const 1` (1,000 triples: 0.4 s
  without, 0.05 s with): `Virtuoso.bulk_write`.
- Blank nodes are refused in INSERT DATA ("not allowed in a constant clause"): triples with
  blank nodes go in one `INSERT {...} WHERE {}` operation instead (`insert_operations`).
- A query's `timeout` (ms; `Virtuoso.query_parameters`) makes Virtuoso stop at the limit
  and answer 200 with what it has so far (`X-SQL-State: S1TAT`), and a query it estimates
  too costly is refused with a 500: both are QueryTimeoutError, never a partial answer
  (`check_answer`, `server_error`).
- At `ResultSetMaxRows` (10,000 by default) results are cut with only an `X-SPARQL-MaxRows`
  header to say so: ResultTooLargeError (`check_answer`). Its Graph Store GET cuts without
  a word, so the store checks graph reads against a COUNT.
- Blank nodes come back as `nodeID://b1`; they are read as `_:b1` (`blank_node_label`).
  Its TSV is not the W3C format and it writes no TriG or N-Quads for CONSTRUCT (406): those
  are made by Oxigraph from JSON results or N-Triples (`served_as_is`; a 406 is converted
  whatever the dialect).
- It answers 500 for a query that fails while running (a division by zero): its SQL state
  tells a bad query (22xxx, 37000, 42xxx: QueryError) from a server fault (`server_error`).
- Its Graph Store endpoint is `/sparql-graph-crud`, `/sparql-graph-crud-auth` with
  credentials (`Virtuoso.graph_store_url`); another server names its own with `store=`.
- Its query endpoint also runs updates, Virtuoso pragmas (`define`) and SQL functions
  (`bif:`): a client's query is parsed as standard SPARQL 1.1 by Oxigraph first and those
  are refused, as is SERVICE, whatever the server (`service.store.remote.queries`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import ClassVar
from urllib.parse import urljoin

import pyoxigraph as ox

from service.sparql import DataBlock, fill, load
from service.store.base import QueryError, QueryTimeoutError, ResultTooLargeError

__all__ = ["GENERIC", "VIRTUOSO", "Dialect", "Virtuoso", "dialect_named", "dialect_of_server"]

_TSV = "text/tab-separated-values"
_VIRTUOSO_ERROR = re.compile(r"Virtuoso (\w{5}) Error (\w+)?")


def _has_blank_node(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


class Dialect:
    """Any SPARQL 1.1 server: the W3C protocols, with the workarounds every server gets."""

    name: ClassVar[str] = "generic"
    # Virtuoso's compiler refuses one INSERT DATA of more than about 1,300 triples.
    triples_per_insert: ClassVar[int] = 1000
    # Said with a 401 or 403: the usual reason a write is refused.
    access_hint: ClassVar[str] = "Virtuoso's anonymous user needs the SPARQL_UPDATE role to write"

    # --- what is sent ---------------------------------------------------------------------------

    def query_parameters(self, time_limit: float) -> dict[str, str]:
        """Protocol form fields beyond the query for a client's query under `time_limit`
        seconds: none (the HTTP client gives up at the limit; the server may run on)."""
        del time_limit
        return {}

    def bulk_write(self, update: str) -> str:
        """An update inserting many constants (the store's own data), as it is sent."""
        return update

    def graph_store_url(self, query_url: str, *, authenticated: bool) -> str | None:
        """The Graph Store Protocol endpoint when the location names none: none known, so
        graphs are read with CONSTRUCT through the query endpoint."""
        del query_url, authenticated
        return None

    def insert_operations(self, graph: ox.NamedNode, triples: Sequence[ox.Triple]) -> list[str]:
        """The update operations putting `triples` into `graph`, to join with ` ;` into one
        request: INSERT DATA of at most `triples_per_insert` triples each, and the triples
        with blank nodes in one INSERT ... WHERE {} (a label names one node only within an
        operation, and Virtuoso refuses blank nodes in INSERT DATA)."""
        plain = [t for t in triples if not _has_blank_node(t)]
        size = self.triples_per_insert
        operations = [
            fill(load("store/remote/insert_data.ru"), graph=graph, data=DataBlock.of(chunk))
            for chunk in (plain[start : start + size] for start in range(0, len(plain), size))
        ]
        blank = [t for t in triples if _has_blank_node(t)]
        if blank:
            template = load("store/remote/insert_blank_nodes.ru")
            operations.append(fill(template, graph=graph, data=DataBlock.of(blank)))
        return operations

    # --- what comes back ------------------------------------------------------------------------

    def served_as_is(self, media_type: str) -> bool:
        """Whether the server's own serialisation in `media_type` can be handed on (TSV is
        made by Oxigraph instead: Virtuoso writes CSV with tabs)."""
        return media_type != _TSV

    def check_answer(self, headers: Mapping[str, str], time_limit: float) -> None:
        """Refuse a successful answer that holds only part of the result."""
        if headers.get("x-sql-state", "").startswith("S1T"):
            # Virtuoso's "anytime" answer: 200 with what it found before the limit.
            raise QueryTimeoutError(
                f"the query ran past the time limit ({time_limit:g} s) and was "
                "stopped by the server"
            )
        if "x-sparql-maxrows" in headers:
            # Virtuoso stopped at its ResultSetMaxRows and says so only in this header.
            raise ResultTooLargeError(
                f"the SPARQL server cut the result at {headers['x-sparql-maxrows']} "
                "rows (Virtuoso: raise [SPARQL] ResultSetMaxRows in virtuoso.ini)"
            )

    def server_error(self, message: str) -> Exception | None:
        """The store's error for a 5xx whose message says more than "the server failed";
        None leaves it an OSError. Virtuoso answers 500 for a query that fails while it runs;
        its SQL state says why."""
        error = _VIRTUOSO_ERROR.search(message)
        if error is None:
            return None
        state, code = error.group(1), error.group(2) or ""
        if "exceeds the limit" in message or state.startswith("S1T"):
            return QueryTimeoutError(f"the server stopped the query: {message}")
        if state[:2] in ("22", "37") or (state[:2] == "42" and code != "SR186"):
            return QueryError(message)
        return None

    def blank_node_label(self, value: str) -> str:
        """A blank node's value in SPARQL JSON results as `_:label` (Virtuoso: `nodeID://b1`)."""
        return value if value.startswith("_:") else "_:" + value.removeprefix("nodeID://")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Virtuoso(Dialect):
    """Virtuoso Open Source 7: the extensions only it understands."""

    name: ClassVar[str] = "virtuoso"

    def query_parameters(self, time_limit: float) -> dict[str, str]:
        """Its `timeout` (ms): Virtuoso stops the work at the limit (see `check_answer`)."""
        return {"timeout": str(int(time_limit * 1000))}

    def bulk_write(self, update: str) -> str:
        """With the pragma that passes constants as parameters: without it Virtuoso's
        compiler is quadratic in their number."""
        return f"define sql:big-data-const 1\n{update}"

    def graph_store_url(self, query_url: str, *, authenticated: bool) -> str | None:
        path = "/sparql-graph-crud-auth" if authenticated else "/sparql-graph-crud"
        return urljoin(query_url, path)


GENERIC = Dialect()
VIRTUOSO = Virtuoso()
_BY_NAME: dict[str, Dialect] = {dialect.name: dialect for dialect in (GENERIC, VIRTUOSO)}


def dialect_named(name: str | None) -> Dialect | None:
    """The dialect a location's `dialect=` names; None when it names none (found later)."""
    return None if name is None else _BY_NAME[name]


def dialect_of_server(server: str) -> Dialect:
    """The dialect of a server, from the `Server` header of one of its answers."""
    return VIRTUOSO if server.startswith("Virtuoso") else GENERIC
