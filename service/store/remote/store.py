"""The remote store: any SPARQL 1.1 server, over the SPARQL Protocol and the Graph Store Protocol.

Tested against Virtuoso Open Source 7 (Debian's `virtuoso-opensource`); written for any server
that speaks the W3C protocols (Fuseki, GraphDB, QLever, Oxigraph's own server).

This module maps the `Store` interface onto its neighbours in this package:

- `location.py` the location syntax (`sparql+http://...`) and its options;
- `dialect.py` what differs per server: Virtuoso's extensions, and its quirks worked around;
- `transport.py` HTTP: the requests to the endpoints, failures as the store's errors;
- `queries.py` a client's query checked as standard SPARQL 1.1, and bindings written in;
- `results.py` answers read back, and re-serialised by Oxigraph in the format asked for.

The SPARQL it runs is in `service/sparql/store/remote/` (and `count_graph.rq` beside it).

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
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import pyoxigraph as ox

from service.rdf.vocab import prefixes
from service.sparql import fill, load
from service.sparql.outbound import refuse_outbound
from service.sparql.text import refuse_deep_nesting
from service.store.base import (
    Dataset,
    QueryError,
    QueryForm,
    SerializedResult,
    UnsupportedFormatError,
)
from service.store.evaluate import graph_node, parse_term, pick_format
from service.store.formats import EXPORT_FORMATS, GRAPH_STORE_MEDIA_TYPES
from service.store.jsonld import compact_jsonld_graphs
from service.store.remote import queries, results
from service.store.remote.dialect import Dialect
from service.store.remote.location import parse_location
from service.store.remote.results import JSON_RESULTS, NTRIPLES
from service.store.remote.transport import CHUNK, Transport, base_type

__all__ = ["RemoteSparqlStore"]

# What one graph is written as (the Graph Store Protocol's formats, as the embedded store).
_GRAPH_ONLY = tuple(ox.RdfFormat.from_media_type(m) for m in GRAPH_STORE_MEDIA_TYPES)
_EXPORT = tuple(ox.RdfFormat.from_media_type(m) for m in EXPORT_FORMATS.values())
PREFIXES = prefixes()  # Turtle and TriG exports declare them, JSON-LD's context


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
        self.query_timeout = query_timeout
        self.max_result_bytes = max_result_bytes
        self.default_graph = self.location.default_graph or f"{base_iri}graph/default"
        graph_node(self.default_graph, "default graph")
        graphs = self.location.graphs
        self.graph_prefix: str | None = None if graphs == "*" else (graphs or base_iri)
        user = self.location.username or username
        secret = self.location.password if self.location.username else password
        self._http = Transport(
            self.location,
            base_iri=base_iri,
            query_timeout=query_timeout,
            max_result_bytes=max_result_bytes,
            username=user,
            password=secret,
        )

    @property
    def dialect(self) -> Dialect:
        """The server's dialect (asks the server once when the location names none)."""
        return self._http.dialect

    def _ask(self, sparql: str) -> bool:
        body, media_type = self._http.query(sparql, JSON_RESULTS)
        return bool(results.parse_json(body, media_type).get("boolean"))

    # --- writes -------------------------------------------------------------------------------

    def _graph(self, graph_iri: str | None) -> ox.NamedNode:
        return graph_node(self.default_graph if graph_iri is None else graph_iri)

    @staticmethod
    def _parse(graph: ox.NamedNode, ntriples: bytes) -> list[ox.Triple]:
        """The caller's data parsed by Oxigraph: nothing the server sees comes from its bytes
        unchecked, and data that does not parse changes nothing."""
        try:
            return [quad.triple for quad in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)]
        except SyntaxError as exc:
            raise ValueError(f"the data for {graph.value} is not valid N-Triples: {exc}") from None

    def replace_graph(self, graph_iri: str | None, ntriples: bytes) -> None:
        """Replace a graph with ONE SPARQL Update request: `DROP SILENT GRAPH` and then the
        data as the dialect's insert operations (INSERT DATA of at most 1,000 triples:
        Virtuoso's SPARQL compiler refuses one INSERT DATA of more than about 1,300).

        What the server gives (checked on Virtuoso 7.2): readers see the old graph or the new
        one, never a mix; a request the server cannot compile (a bad IRI, an ill-typed
        literal) changes nothing. A request that fails while it runs (the server dies, runs
        out of disk) is not rolled back by Virtuoso: the operations before the failure stay.
        Data that is not valid N-Triples is refused here, before anything is sent.
        """
        graph = self._graph(graph_iri)
        triples = self._parse(graph, ntriples)
        operations = [
            fill(load("store/remote/drop_graph.ru"), graph=graph),
            *self.dialect.insert_operations(graph, triples),
        ]
        self._http.update(" ;\n".join(operations), bulk=True)

    def add_triples(self, graph_iri: str | None, ntriples: bytes) -> None:
        """Merge triples into a graph with one SPARQL Update request (as replace_graph)."""
        graph = self._graph(graph_iri)
        triples = self._parse(graph, ntriples)
        if triples:
            operations = self.dialect.insert_operations(graph, triples)
            self._http.update(" ;\n".join(operations), bulk=True)

    def drop_graph(self, graph_iri: str | None) -> bool:
        """Remove a named graph (or empty the default one); True when it had triples.

        Two requests (ASK, then DROP): a writer in between can make the answer stale.
        """
        graph = self._graph(graph_iri)
        existed = self._ask(fill(load("store/remote/graph_exists.rq"), graph=graph))
        if existed:
            self._http.update(fill(load("store/remote/drop_graph.ru"), graph=graph))
        return existed

    def has_graph(self, graph_iri: str) -> bool:
        """A graph exists while it has a triple (servers keep no empty graphs, Virtuoso too)."""
        return self._ask(fill(load("store/remote/graph_exists.rq"), graph=graph_node(graph_iri)))

    def update(self, sparql: str, *, trial: bool = True) -> None:  # noqa: ARG002 (the Store call)
        """One SPARQL Update request, as the server runs it (see replace_graph for what
        Virtuoso guarantees). SERVICE and LOAD are refused: the server would fetch them.
        `trial` changes nothing here: the server's own time limit stops an update."""
        refuse_deep_nesting(sparql, "update")
        refuse_outbound(sparql, update=True)
        try:
            self._http.update(sparql)
        except QueryError as exc:  # the server's refusal, said of the update
            raise type(exc)(str(exc), "update") from None

    # --- reads --------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        accept: Sequence[str],
        dataset: Dataset | None = None,
    ) -> SerializedResult:
        """Run a client's query on the server, asking for the first media type of `accept`
        that fits (the embedded store's choice), and hand the server's bytes back.

        A format the server does not write (Virtuoso: TriG and N-Quads for CONSTRUCT, a 406)
        or does not write faithfully (Virtuoso's TSV) is made here by Oxigraph from
        N-Triples or JSON results.
        """
        form = queries.check_is_query(sparql, self.base_iri)
        picked = pick_format(accept, form).media_type
        chosen = base_type(picked)
        if self.dialect.served_as_is(chosen):
            try:
                body, media_type = self._http.query(sparql, chosen, dataset=dataset, client=True)
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
        ask = JSON_RESULTS if solutions else NTRIPLES
        body, media_type = self._http.query(sparql, ask, dataset=dataset, client=True)
        return results.reserialise(
            body, media_type, form, chosen, self.dialect, self.max_result_bytes
        )

    def select(
        self, sparql: str, bindings: Mapping[str, str] | None = None
    ) -> list[dict[str, str | None]]:
        """SELECT rows as plain strings. Each binding is parsed as one N-Triples term by
        Oxigraph and written back by Oxigraph into a VALUES block: HTTP has no SEP-0007
        substitution, and a value must never be pasted into the text as it came."""
        terms = {
            queries.check_variable(name): parse_term(term)
            for name, term in (bindings or {}).items()
        }
        refuse_outbound(sparql)
        body, media_type = self._http.query(queries.with_values(sparql, terms), JSON_RESULTS)
        return results.rows(results.parse_json(body, media_type), self.dialect)

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
        store_url = self._http.graph_store_url()
        if store_url is not None:
            answer = self._http.get_graph(store_url, graph, NTRIPLES)
            if answer is None:
                return []
            body, media_type = answer
        else:
            construct = fill(load("store/remote/graph_triples.rq"), graph=graph)
            body, media_type = self._http.query(construct, NTRIPLES)
        triples = results.parse_triples(body, media_type, graph)
        if len(set(triples)) < expected:
            raise OSError(
                f"the SPARQL server returned {len(set(triples))} of the {expected} triples of "
                f"{graph.value} (Virtuoso: raise [SPARQL] ResultSetMaxRows in virtuoso.ini)"
            )
        return triples

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
        return iter([body[i : i + CHUNK] for i in range(0, len(body), CHUNK)] or [b""])

    def export(self, media_type: str) -> Iterator[bytes]:
        """The service's graphs (see the module docstring), one graph at a time; the format is
        checked now. Every format streams graph by graph; JSON-LD as one compacted document.
        Turtle and TriG declare the project's prefixes."""
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
            for name in names:
                graph = quads(name)
                data = graph if fmt.supports_datasets else [q.triple for q in graph]
                yield ox.serialize(data, format=fmt, prefixes=PREFIXES) or b""

        if fmt == ox.RdfFormat.JSON_LD:
            expanded = (ox.serialize(quads(name), format=fmt) or b"" for name in names)
            return compact_jsonld_graphs(expanded, PREFIXES)
        return produce()

    def quad_count(self) -> int:
        """Quads in the service's graphs, counted by the server on each call (other processes
        may write to it too, so nothing is kept here)."""
        count = self._service_graphs(
            "store/remote/count_quads.rq", "store/remote/count_service_quads.rq"
        )
        return self._count(count)

    def close(self) -> None:
        self._http.close()

    def __repr__(self) -> str:
        return f"RemoteSparqlStore({self.location.query_url})"
