"""The remote store: any SPARQL 1.1 server, over the SPARQL Protocol and the Graph Store Protocol.

Tested against Virtuoso Open Source 7 (Debian's `virtuoso-opensource`); written for any server
that speaks the W3C protocols (Fuseki, GraphDB, QLever, Oxigraph's own server).

Location syntax (the `--store` flag or `FACTGRAPH_STORE`)::

    sparql+http://[user:password@]host[:port]/path[?option=value&...]
    sparql+https://...

`http(s)://host:port/path` is the query endpoint. Options:

- `update=` the SPARQL Update endpoint: a path on the same host (`/update`) or a full URL;
  default: the query endpoint (Virtuoso, Oxigraph, GraphDB take updates there).
- `store=` the Graph Store Protocol endpoint, used to read a graph back (`graph_triples`);
  default: `/sparql-graph-crud` on Virtuoso (`/sparql-graph-crud-auth` with credentials),
  else none, and graphs are read with CONSTRUCT through the query endpoint.
- `auth=basic|digest` how the credentials in the userinfo (or the settings `store_username`
  and `store_password`) are sent; default basic. Virtuoso's `/sparql-auth` wants digest.
- `dialect=virtuoso|generic` the server's extensions to use; default: found from the
  `Server` header of its first answer. With `virtuoso`, queries carry Virtuoso's `timeout`
  parameter (ms) and writes its `define sql:big-data-const 1` pragma; nothing else does.
- `default=IRI` the named graph that stands for the store's default graph (see below);
  default `{base_iri}graph/default`.
- `graphs=PREFIX|*` which graphs are the service's data for `quad_count` and `export`;
  default `{base_iri}`: only graphs whose IRI starts with the service's base IRI.

Decisions, and why:

- The service's data is every graph under the base IRI (documents, the actor registry, the
  analysis graph and the default-graph stand-in all are). A SPARQL server keeps graphs of its
  own (Virtuoso: virtrdf#, DAV/, ldp#...); counting or exporting them would be wrong, and a
  list of system graphs differs per server and version. `graphs=*` takes every graph.
- The default graph of `replace_graph(None, ...)` and friends is a named graph
  (`default=`): Virtuoso has no separate default graph to write to (its default graph is the
  union of all graphs), and a named stand-in behaves the same on every server.
- Queries without a dataset (no FROM, no `default-graph-uri`) run on the server's own default
  graph, which must be the union of the named graphs as in the embedded store: Virtuoso,
  GraphDB and QLever do this out of the box; Fuseki needs `tdb2:unionDefaultGraph true`.
- Writes go through SPARQL Update, never Graph Store PUT/POST: Virtuoso's Graph Store
  loader commits as it reads, so a PUT that fails half way leaves half a graph (checked).

Virtuoso 7.2 quirks met, and what this module does about them (each checked on 7.2.5):

- One INSERT DATA of more than about 1,300 triples fails to compile (SP031 "generated SQL
  text has exceeded 10000 lines", SP030 "memory exhausted"): data goes in operations of
  1,000 triples, all in one request. Its compiler is also quadratic in the constants unless
  told `define sql:big-data-const 1` (1,000 triples: 0.4 s without, 0.05 s with).
- Blank nodes are refused in INSERT DATA ("not allowed in a constant clause"): triples with
  blank nodes go in one `INSERT {...} WHERE {}` operation instead.
- A query's `timeout` (ms) makes Virtuoso stop at the limit and answer 200 with what it has
  so far (`X-SQL-State: S1TAT`), and a query it estimates too costly is refused with a 500:
  both are QueryTimeoutError, never a partial answer.
- At `ResultSetMaxRows` (10,000 by default) results are cut with only an `X-SPARQL-MaxRows`
  header to say so: ResultTooLargeError. Its Graph Store GET cuts without a word, so graph
  reads are checked against a COUNT.
- Blank nodes come back as `nodeID://b1`; they are read as `_:b1`. Its TSV is not the W3C
  format and it writes no TriG or N-Quads for CONSTRUCT (406): those are made here by
  Oxigraph from JSON results or N-Triples.
- It answers 500 for a query that fails while running (a division by zero): its SQL state
  tells a bad query (22xxx, 37000, 42xxx: QueryError) from a server fault (OSError).
- Its query endpoint also runs updates, Virtuoso pragmas (`define`) and SQL functions
  (`bif:`): a client's query is parsed as standard SPARQL 1.1 by Oxigraph first and those
  are refused, as is SERVICE.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox

from service.sparql import DataBlock, fill, load, with_base
from service.sparql.text import blank_non_keywords, refuse_service
from service.store.base import (
    Dataset,
    QueryError,
    QueryForm,
    QueryTimeoutError,
    ResultTooLargeError,
    SerializedResult,
    UnsupportedFormatError,
)
from service.store.evaluate import graph_node, parse_term, pick_format
from service.store.formats import EXPORT_FORMATS, GRAPH_STORE_MEDIA_TYPES
from service.store.remote.location import parse_location

__all__ = ["RemoteSparqlStore"]

_TRIPLES_PER_INSERT = 1000  # Virtuoso: ~1,300 triples per INSERT DATA before SP031/SP030
_INTERNAL_TIMEOUT = 300.0  # seconds for the service's own reads and writes (no client limit)
_CONNECT_TIMEOUT = 5.0
_GRACE = 5.0  # seconds the HTTP client waits past the limit for the server to stop by itself
_CHUNK = 64 * 1024
_NTRIPLES = "application/n-triples"
_JSON_RESULTS = "application/sparql-results+json"
_TSV = "text/tab-separated-values"
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FORM = re.compile(rf"(?<![?$:\w-])({'|'.join(QueryForm)})(?![:\w-])", re.IGNORECASE)
_SELECT = re.compile(rf"(?<![?$:\w-]){QueryForm.SELECT}(?![:\w-])", re.IGNORECASE)
# Virtuoso-only syntax reaches its SQL layer (pragmas, bif: and sql: functions, the Sponger's
# get: options): a client's query stays standard SPARQL.
_VIRTUOSO_SYNTAX = re.compile(r"(?<![?$:\w-])DEFINE(?![:\w-])|\b(?:bif|sql):", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_VIRTUOSO_ERROR = re.compile(r"Virtuoso (\w{5}) Error (\w+)?")
# What one graph is written as (the Graph Store Protocol's formats, as the embedded store).
_GRAPH_ONLY = tuple(ox.RdfFormat.from_media_type(m) for m in GRAPH_STORE_MEDIA_TYPES)
_EXPORT = tuple(ox.RdfFormat.from_media_type(m) for m in EXPORT_FORMATS.values())


def _short(text: str, limit: int = 300) -> str:
    """A server's error page as one short line: tags stripped, the echoed query cut off."""
    text = _TAGS.sub(" ", text)
    text = text.split("SPARQL query:")[0]
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _query_form(sparql: str) -> QueryForm:
    """The query form, from the first form keyword outside strings, IRIs and comments."""
    found = _FORM.search(blank_non_keywords(sparql))
    if found is None:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE found")
    return QueryForm(found.group(1).upper())


def _check_is_query(sparql: str, base_iri: str | None) -> QueryForm:
    """Parse the text as a SPARQL 1.1 query with Oxigraph's parser, so that an update (or
    anything else a server would also run from its query endpoint) never gets there."""
    refuse_service(sparql)
    if _VIRTUOSO_SYNTAX.search(blank_non_keywords(sparql)):
        raise QueryError(
            "server-specific syntax (DEFINE pragmas, bif: or sql: functions) is not allowed; "
            "send a standard SPARQL 1.1 query"
        )
    try:
        # Parsing is all this does: evaluation is lazy and the store is empty.
        result = ox.Store().query(sparql, base_iri=base_iri)
    except SyntaxError as exc:
        raise QueryError(str(exc)) from None
    except (RuntimeError, ValueError) as exc:  # e.g. an unknown function IRI is parsed fine
        raise QueryError(str(exc)) from None
    if isinstance(result, ox.QueryBoolean):
        form = QueryForm.ASK
    elif isinstance(result, ox.QuerySolutions):
        form = QueryForm.SELECT
    else:
        form = _query_form(sparql)
    del result
    return form


def _with_values(sparql: str, terms: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The SELECT with a VALUES block opening its WHERE group: one row binding each variable.

    Placed first inside the group it joins with the whole pattern, so each variable is bound
    to its value in every row, as the embedded store's substitution binds it. The values are
    Oxigraph terms written by Oxigraph (`str(term)`), never the caller's text.
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


def _plain(cell: Mapping[str, Any] | None) -> str | None:
    """A SPARQL JSON result cell as the embedded store gives it: IRI, lexical form, `_:id`."""
    if cell is None:
        return None
    value = str(cell.get("value", ""))
    if cell.get("type") == "bnode":
        return value if value.startswith("_:") else "_:" + value.removeprefix("nodeID://")
    return value


def _standard_blank_nodes(results: dict[str, Any]) -> bytes:
    """SPARQL JSON results with blank node labels a parser takes (Virtuoso writes `nodeID://b1`)."""
    for row in results.get("results", {}).get("bindings", []):
        for cell in row.values():
            if cell.get("type") == "bnode":
                cell["value"] = _plain(cell)[2:]  # type: ignore[index]
    return json.dumps(results).encode("utf-8")


def _has_blank_node(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _base_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


class RemoteSparqlStore:
    """The `Store` over a SPARQL 1.1 server; one HTTP client, safe to share between threads.

    `query_timeout` and `max_result_bytes` bound clients' queries (`query()`); the service's
    own reads and writes wait up to five minutes.
    """

    def __init__(
        self,
        location: str,
        *,
        base_iri: str,
        query_timeout: float = 30.0,
        max_result_bytes: int = 50_000_000,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        self.location = parse_location(location)
        self.base_iri = base_iri
        self._base = graph_node(base_iri, "base IRI")
        self.query_timeout = query_timeout
        self.max_result_bytes = max_result_bytes
        self.default_graph = self.location.default_graph or f"{base_iri}graph/default"
        graph_node(self.default_graph, "default graph")
        scope = self.location.graphs
        self.graph_prefix: str | None = None if scope == "*" else (scope or base_iri)
        user = self.location.username or username
        secret = self.location.password if self.location.username else password
        self._authenticated = user is not None
        auth: httpx.Auth | None = None
        if user is not None:
            auth = (
                httpx.DigestAuth(user, secret or "")
                if self.location.auth == "digest"
                else httpx.BasicAuth(user, secret or "")
            )
        self._dialect = self.location.dialect
        self._client: httpx.Client | None = httpx.Client(
            auth=auth,
            timeout=httpx.Timeout(_INTERNAL_TIMEOUT, connect=_CONNECT_TIMEOUT),
            headers={"User-Agent": "factgraph"},
        )

    # --- HTTP ---------------------------------------------------------------------------------

    @property
    def _http(self) -> httpx.Client:
        if self._client is None:
            raise RuntimeError("the store is closed")
        return self._client

    @property
    def is_virtuoso(self) -> bool:
        """Whether to use Virtuoso's extensions; asks the server once when not configured."""
        if self._dialect is None:
            ping = {"query": load("store/remote/ping.rq")}
            with self._send("POST", self.location.query_url, data=ping) as reply:
                self._raise_for_status(reply, self.location.query_url)
                reply.read()
        return self._dialect == "virtuoso"

    @contextlib.contextmanager
    def _send(
        self, method: str, url: str, *, timeout: float | None = None, **kwargs: Any
    ) -> Iterator[httpx.Response]:
        """One request, its answer streamed; transport failures as one-line OSErrors."""
        limit = httpx.Timeout(timeout or _INTERNAL_TIMEOUT, connect=_CONNECT_TIMEOUT)
        try:
            with self._http.stream(method, url, timeout=limit, **kwargs) as reply:
                if self._dialect is None:
                    server = reply.headers.get("server", "")
                    self._dialect = "virtuoso" if server.startswith("Virtuoso") else "generic"
                yield reply
        except httpx.TimeoutException as exc:
            if timeout is not None:  # a client's query: its time limit ran out
                raise QueryTimeoutError(
                    f"the query ran past the time limit ({self.query_timeout:g} s)"
                ) from None
            raise OSError(f"the SPARQL server at {url} did not answer in time ({exc})") from None
        except httpx.TransportError as exc:
            reason = str(exc) or type(exc).__name__
            raise OSError(f"cannot reach the SPARQL server at {url}: {reason}") from None

    def _raise_for_status(self, reply: httpx.Response, url: str) -> None:
        """Map a failed answer onto the store's errors; reads the (short) error body."""
        if reply.is_success:
            return
        status = reply.status_code
        message = _short(reply.read().decode("utf-8", "replace")) or reply.reason_phrase
        if status in (401, 403):
            raise OSError(
                f"the SPARQL server at {url} refused access ({status}): {message} (check the "
                "credentials; Virtuoso's anonymous user needs the SPARQL_UPDATE role to write)"
            )
        if status in (404, 405):
            raise OSError(f"no SPARQL endpoint at {url} ({status} {reply.reason_phrase})")
        if status == 406:
            raise UnsupportedFormatError(f"the SPARQL server cannot serve that format: {message}")
        if 400 <= status < 500:
            raise QueryError(message)
        # Virtuoso answers 500 for a query that fails while it runs; its SQL state says why.
        error = _VIRTUOSO_ERROR.search(message)
        if error is not None:
            state, code = error.group(1), error.group(2) or ""
            if "exceeds the limit" in message or state.startswith("S1T"):
                raise QueryTimeoutError(f"the server stopped the query: {message}")
            if state[:2] in ("22", "37") or (state[:2] == "42" and code != "SR186"):
                raise QueryError(message)
        raise OSError(f"the SPARQL server at {url} failed ({status}): {message}")

    def _read_capped(self, reply: httpx.Response, limit: int | None) -> bytes:
        body = bytearray()
        for chunk in reply.iter_bytes(_CHUNK):
            body += chunk
            if limit is not None and len(body) > limit:
                raise ResultTooLargeError(
                    f"the result grew past the size limit ({limit} bytes) and was stopped"
                )
        return bytes(body)

    def _post_query(
        self,
        sparql: str,
        accept: str,
        *,
        dataset: Dataset | None = None,
        client: bool = False,
    ) -> tuple[bytes, str]:
        """Run a query on the server; the body and its media type. `client` applies the
        client's time and size limits (and Virtuoso's own `timeout`, so the work stops)."""
        form: dict[str, str | list[str]] = {"query": with_base(sparql, self._base)}
        if dataset is not None:
            form["default-graph-uri"] = [
                graph_node(g, "default-graph-uri").value for g in dataset.default_graphs
            ]
            form["named-graph-uri"] = [
                graph_node(g, "named-graph-uri").value for g in dataset.named_graphs
            ]
        timeout = None
        if client:
            timeout = self.query_timeout + _GRACE
            if self.is_virtuoso:
                form["timeout"] = str(int(self.query_timeout * 1000))
        url = self.location.query_url
        with self._send(
            "POST", url, data=form, headers={"Accept": accept}, timeout=timeout
        ) as reply:
            self._raise_for_status(reply, url)
            if reply.headers.get("x-sql-state", "").startswith("S1T"):
                # Virtuoso's "anytime" answer: 200 with what it found before the limit.
                raise QueryTimeoutError(
                    f"the query ran past the time limit ({self.query_timeout:g} s) and was "
                    "stopped by the server"
                )
            if "x-sparql-maxrows" in reply.headers:
                # Virtuoso stopped at its ResultSetMaxRows and says so only in this header.
                raise ResultTooLargeError(
                    f"the SPARQL server cut the result at {reply.headers['x-sparql-maxrows']} "
                    "rows (Virtuoso: raise [SPARQL] ResultSetMaxRows in virtuoso.ini)"
                )
            body = self._read_capped(reply, self.max_result_bytes if client else None)
            return body, _base_type(reply.headers.get("content-type"))

    def _post_update(self, sparql: str, *, bulk: bool = False) -> None:
        """One SPARQL Update request. `bulk` (our own INSERT DATA) adds Virtuoso's pragma that
        passes constants as parameters: without it its compiler is quadratic in their number."""
        text = with_base(sparql, self._base)
        if bulk and self.is_virtuoso:
            text = f"define sql:big-data-const 1\n{text}"
        url = self.location.update_url
        with self._send(
            "POST",
            url,
            content=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        ) as reply:
            self._raise_for_status(reply, url)
            reply.read()

    def _ask(self, sparql: str) -> bool:
        body, media_type = self._post_query(sparql, _JSON_RESULTS)
        return bool(self._json(body, media_type).get("boolean"))

    def _json(self, body: bytes, media_type: str) -> dict[str, Any]:
        if "json" not in media_type:
            raise OSError(f"the SPARQL server answered {media_type!r}, not SPARQL JSON results")
        try:
            return json.loads(body)
        except ValueError as exc:
            raise OSError(f"the SPARQL server's JSON results do not parse: {exc}") from None

    # --- writes -------------------------------------------------------------------------------

    def _graph(self, graph_iri: str | None) -> ox.NamedNode:
        return graph_node(self.default_graph if graph_iri is None else graph_iri)

    def _insert_operations(self, graph: ox.NamedNode, ntriples: bytes) -> list[str]:
        """The data as INSERT DATA operations of at most 1,000 triples each.

        Parsed and rewritten by Oxigraph first: nothing the server sees comes from the
        caller's bytes unchecked, and data that does not parse changes nothing.
        """
        try:
            triples = [quad.triple for quad in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)]
        except SyntaxError as exc:
            raise ValueError(f"the data for {graph.value} is not valid N-Triples: {exc}") from None
        plain = [t for t in triples if not _has_blank_node(t)]
        operations = [
            self._insert_data(graph, plain[start : start + _TRIPLES_PER_INSERT])
            for start in range(0, len(plain), _TRIPLES_PER_INSERT)
        ]
        blank = [t for t in triples if _has_blank_node(t)]
        if blank:
            # One operation for all of them: a label names one node only within an operation.
            # INSERT {...} WHERE {}, not INSERT DATA: Virtuoso refuses blank nodes in the latter
            # ("not allowed in a constant clause").
            template = load("store/remote/insert_blank_nodes.ru")
            operations.append(fill(template, graph=graph, data=DataBlock.of(blank)))
        return operations

    @staticmethod
    def _insert_data(graph: ox.NamedNode, triples: list[ox.Triple]) -> str:
        return fill(load("store/remote/insert_data.ru"), graph=graph, data=DataBlock.of(triples))

    def replace_graph(self, graph_iri: str | None, ntriples: bytes) -> None:
        """Replace a graph with ONE SPARQL Update request: `DROP SILENT GRAPH` and then the
        data as INSERT DATA operations of at most 1,000 triples (Virtuoso's SPARQL compiler
        refuses one INSERT DATA of more than about 1,300).

        What the server gives (checked on Virtuoso 7.2): readers see the old graph or the new
        one, never a mix; a request the server cannot compile (a bad IRI, an ill-typed
        literal) changes nothing. A request that fails while it runs (the server dies, runs
        out of disk) is not rolled back by Virtuoso: the operations before the failure stay.
        Data that is not valid N-Triples is refused here, before anything is sent.
        """
        graph = self._graph(graph_iri)
        operations = [
            fill(load("store/remote/drop_graph.ru"), graph=graph),
            *self._insert_operations(graph, ntriples),
        ]
        self._post_update(" ;\n".join(operations), bulk=True)

    def add_triples(self, graph_iri: str | None, ntriples: bytes) -> None:
        """Merge triples into a graph with one SPARQL Update request (as replace_graph)."""
        graph = self._graph(graph_iri)
        operations = self._insert_operations(graph, ntriples)
        if operations:
            self._post_update(" ;\n".join(operations), bulk=True)

    def drop_graph(self, graph_iri: str | None) -> bool:
        """Remove a named graph (or empty the default one); True when it had triples.

        Two requests (ASK, then DROP): a writer in between can make the answer stale.
        """
        graph = self._graph(graph_iri)
        existed = self._ask(fill(load("store/remote/graph_exists.rq"), graph=graph))
        if existed:
            self._post_update(fill(load("store/remote/drop_graph.ru"), graph=graph))
        return existed

    def has_graph(self, graph_iri: str) -> bool:
        """A graph exists while it has a triple (servers keep no empty graphs, Virtuoso too)."""
        return self._ask(fill(load("store/remote/graph_exists.rq"), graph=graph_node(graph_iri)))

    def update(self, sparql: str) -> None:
        """One SPARQL Update request, as the server runs it (see replace_graph for what
        Virtuoso guarantees)."""
        self._post_update(sparql)

    # --- reads --------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        accept: Sequence[str],
        dataset: Dataset | None = None,
    ) -> SerializedResult:
        """Run a client's query on the server, asking for the first media type of `accept`
        that fits (the embedded store's choice), and hand the server's bytes back.

        A format the server does not write (Virtuoso: TriG and N-Quads for CONSTRUCT) is
        made here by Oxigraph from N-Triples or JSON results; so is TSV, which Virtuoso
        writes as CSV with tabs instead of the W3C format.
        """
        form = _check_is_query(sparql, self.base_iri)
        picked = pick_format(accept, form).media_type
        chosen = _base_type(picked)
        if chosen != _TSV:
            try:
                body, media_type = self._post_query(sparql, chosen, dataset=dataset, client=True)
            except UnsupportedFormatError:
                media_type = ""
            if media_type == chosen:
                return SerializedResult(body=body, media_type=picked, form=form)
        return SerializedResult(
            body=self._convert(sparql, form, chosen, dataset), media_type=picked, form=form
        )

    def _convert(self, sparql: str, form: QueryForm, chosen: str, dataset: Dataset | None) -> bytes:
        """The result in a format the server always writes, serialised by Oxigraph."""
        solutions = form in (QueryForm.SELECT, QueryForm.ASK)
        ask = _JSON_RESULTS if solutions else _NTRIPLES
        body, media_type = self._post_query(sparql, ask, dataset=dataset, client=True)
        try:
            if solutions:
                parsed = ox.parse_query_results(
                    _standard_blank_nodes(self._json(body, media_type)),
                    format=ox.QueryResultsFormat.JSON,
                )
                out = parsed.serialize(format=ox.QueryResultsFormat.from_media_type(chosen))
            else:
                triples = ox.parse(body, format=ox.RdfFormat.from_media_type(media_type))
                out = ox.serialize(triples, format=ox.RdfFormat.from_media_type(chosen))
        except (SyntaxError, ValueError) as exc:
            raise OSError(
                f"the SPARQL server's {media_type} answer does not parse: {exc}"
            ) from None
        out = out or b""
        if len(out) > self.max_result_bytes:
            raise ResultTooLargeError(
                f"the result grew past the size limit ({self.max_result_bytes} bytes)"
            )
        return out

    def select(
        self, sparql: str, bindings: Mapping[str, str] | None = None
    ) -> list[dict[str, str | None]]:
        """SELECT rows as plain strings. Each binding is parsed as one N-Triples term by
        Oxigraph and written back by Oxigraph into a VALUES block: HTTP has no SEP-0007
        substitution, and a value must never be pasted into the text as it came."""
        terms: dict[str, ox.NamedNode | ox.Literal] = {}
        for name, term in (bindings or {}).items():
            if not _VARIABLE.match(name):
                raise ValueError(f"{name!r} is not a SPARQL variable name")
            terms[name] = parse_term(term)
        refuse_service(sparql)
        body, media_type = self._post_query(_with_values(sparql, terms), _JSON_RESULTS)
        result = self._json(body, media_type)
        if "results" not in result:
            raise QueryError("select() runs SELECT queries only")
        names = list(result.get("head", {}).get("vars", []))
        return [
            {name: _plain(row.get(name)) for name in names}
            for row in result["results"].get("bindings", [])
        ]

    def _service_graphs(self, every: str, under_prefix: str) -> str:
        """The query over every graph, or over the service's graphs (see the module docstring);
        the prefix and the default-graph stand-in are written by Oxigraph."""
        if self.graph_prefix is None:
            return load(every)
        return fill(
            load(under_prefix), prefix=ox.Literal(self.graph_prefix), default=self._graph(None)
        )

    def _graph_names(self) -> list[str]:
        names = self._service_graphs(
            "store/remote/graph_names.rq", "store/remote/service_graph_names.rq"
        )
        return [row["g"] for row in self.select(names) if row["g"]]

    def _count(self, query: str) -> int:
        rows = self.select(query)
        return int(rows[0]["n"] or 0) if rows else 0

    def _read_graph(self, graph: ox.NamedNode) -> list[ox.Triple]:
        """A graph's triples, checked against its count: Virtuoso cuts results at its
        ResultSetMaxRows (10,000 by default) without an error."""
        expected = self._count(fill(load("store/count_graph.rq"), graph=graph))
        if expected == 0:
            return []
        store_url = self._store_url()
        if store_url is not None:
            with self._send(
                "GET", store_url, params={"graph": graph.value}, headers={"Accept": _NTRIPLES}
            ) as reply:
                if reply.status_code == 404:
                    return []
                self._raise_for_status(reply, store_url)
                body, media_type = reply.read(), _base_type(reply.headers.get("content-type"))
        else:
            construct = fill(load("store/remote/graph_triples.rq"), graph=graph)
            body, media_type = self._post_query(construct, _NTRIPLES)
        try:
            fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
            triples = [quad.triple for quad in ox.parse(body, format=fmt)]
        except (SyntaxError, ValueError) as exc:
            raise OSError(f"the graph {graph.value} read back does not parse: {exc}") from None
        if len(set(triples)) < expected:
            raise OSError(
                f"the SPARQL server returned {len(set(triples))} of the {expected} triples of "
                f"{graph.value} (Virtuoso: raise [SPARQL] ResultSetMaxRows in virtuoso.ini)"
            )
        return triples

    def _store_url(self) -> str | None:
        if self.location.store_url is not None:
            return self.location.store_url
        if self.is_virtuoso:
            path = "/sparql-graph-crud-auth" if self._authenticated else "/sparql-graph-crud"
            return urljoin(self.location.query_url, path)
        return None

    def graph_triples(self, graph_iri: str | None, media_type: str) -> Iterator[bytes] | None:
        """One graph, read whole (Graph Store GET, else CONSTRUCT) and written by Oxigraph in
        the media type asked for; None when the named graph has no triples."""
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt not in _GRAPH_ONLY:
            raise UnsupportedFormatError(
                f"cannot write a graph as {media_type!r}; use one of: "
                f"{', '.join(f.media_type for f in _GRAPH_ONLY)}"
            )
        triples = self._read_graph(self._graph(graph_iri))
        if not triples and graph_iri is not None:
            return None
        body = ox.serialize(triples, format=fmt) or b""
        return iter([body[i : i + _CHUNK] for i in range(0, len(body), _CHUNK)] or [b""])

    def export(self, media_type: str) -> Iterator[bytes]:
        """The service's graphs (see the module docstring), one graph at a time; the format is
        checked now. N-Quads, TriG, Turtle and N-Triples stream graph by graph; JSON-LD is one
        document, so it is built whole in memory."""
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt not in _EXPORT:
            raise UnsupportedFormatError(
                f"cannot export as {media_type!r}; use one of: "
                f"{', '.join(f.media_type for f in _EXPORT)}"
            )
        names = self._graph_names()

        def quads(name: str) -> list[ox.Quad]:
            graph = ox.NamedNode(name)
            return [
                ox.Quad(t.subject, t.predicate, t.object, graph) for t in self._read_graph(graph)
            ]

        def produce() -> Iterator[bytes]:
            if fmt == ox.RdfFormat.JSON_LD:
                everything = [quad for name in names for quad in quads(name)]
                yield ox.serialize(everything, format=fmt) or b""
                return
            for name in names:
                graph = quads(name)
                data = graph if fmt.supports_datasets else [q.triple for q in graph]
                yield ox.serialize(data, format=fmt) or b""

        return produce()

    def quad_count(self) -> int:
        """Quads in the service's graphs, counted by the server on each call (other processes
        may write to it too, so nothing is kept here)."""
        count = self._service_graphs(
            "store/remote/count_quads.rq", "store/remote/count_service_quads.rq"
        )
        return self._count(count)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __repr__(self) -> str:
        return f"RemoteSparqlStore({self.location.query_url})"
