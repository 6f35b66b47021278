"""The remote store's dialects, without a server: what each sends, and how answers are read.

The end-to-end proof is tests/test_store_remote.py against a real Virtuoso; these run in the
default suite, so a change to a dialect is caught without one.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from service.store import QueryError, QueryTimeoutError, ResultTooLargeError
from service.store.remote.dialect import (
    GENERIC,
    VIRTUOSO,
    Dialect,
    dialect_named,
    dialect_of_server,
)

G = ox.NamedNode("http://store.test/graph/one")
P = ox.NamedNode("http://store.test/p")


def _triples(n: int) -> list[ox.Triple]:
    subjects = (ox.NamedNode(f"http://store.test/s{i}") for i in range(n))
    return [ox.Triple(subject, P, ox.Literal(str(i))) for i, subject in enumerate(subjects)]


def test_store_remote_dialect_is_named_or_found_from_the_server_header() -> None:
    assert dialect_named("virtuoso") is VIRTUOSO
    assert dialect_named("generic") is GENERIC
    assert dialect_named(None) is None
    assert dialect_of_server("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu") is VIRTUOSO
    assert dialect_of_server("Apache Jena Fuseki (4.9.0)") is GENERIC
    assert dialect_of_server("") is GENERIC


def test_store_remote_dialect_virtuoso_alone_sends_its_extensions() -> None:
    assert GENERIC.query_parameters(2.5) == {}
    assert VIRTUOSO.query_parameters(2.5) == {"timeout": "2500"}
    assert GENERIC.bulk_write("INSERT DATA {}") == "INSERT DATA {}"
    assert VIRTUOSO.bulk_write("INSERT DATA {}") == "define sql:big-data-const 1\nINSERT DATA {}"
    url = "http://127.0.0.1:8890/sparql"
    assert GENERIC.graph_store_url(url, authenticated=False) is None
    assert VIRTUOSO.graph_store_url(url, authenticated=False) == "http://127.0.0.1:8890/sparql-graph-crud"
    assert VIRTUOSO.graph_store_url(url, authenticated=True).endswith("/sparql-graph-crud-auth")  # type: ignore[union-attr]


@pytest.mark.parametrize("dialect", [GENERIC, VIRTUOSO])
def test_store_remote_dialect_inserts_in_chunks_with_blank_nodes_in_one_operation(
    dialect: Dialect,
) -> None:
    blank = ox.BlankNode("x")
    triples = [*_triples(2500), ox.Triple(blank, P, ox.Literal("b")), ox.Triple(G, P, blank)]
    operations = dialect.insert_operations(G, triples)
    assert len(operations) == 4  # 1,000 + 1,000 + 500 plain triples, then the blank nodes
    assert [op.count(" .\n") for op in operations] == [1000, 1000, 500, 2]
    assert operations[-1].rstrip().endswith("} } WHERE {}")  # not INSERT DATA
    store = ox.Store()  # the request parses as one update and puts every triple in the graph
    store.update(" ;\n".join(operations))
    assert len(store) == 2502
    assert len(list(store.quads_for_pattern(None, None, None, G))) == 2502
    assert len({q.subject for q in store.quads_for_pattern(None, None, ox.Literal("b"), G)}) == 1
    assert dialect.insert_operations(G, []) == []


@pytest.mark.parametrize("dialect", [GENERIC, VIRTUOSO])
def test_store_remote_dialect_reads_a_cut_answer_as_an_error(dialect: Dialect) -> None:
    dialect.check_answer({"content-type": "application/sparql-results+json"}, 3)
    with pytest.raises(QueryTimeoutError, match="stopped by the server"):
        dialect.check_answer({"x-sql-state": "S1TAT"}, 3)
    with pytest.raises(ResultTooLargeError, match="ResultSetMaxRows"):
        dialect.check_answer({"x-sparql-maxrows": "10000"}, 3)


@pytest.mark.parametrize("dialect", [GENERIC, VIRTUOSO])
def test_store_remote_dialect_reads_virtuoso_blank_nodes_errors_and_tsv(dialect: Dialect) -> None:
    assert dialect.blank_node_label("nodeID://b12") == "_:b12"
    assert dialect.blank_node_label("b12") == "_:b12"
    assert dialect.blank_node_label("_:b12") == "_:b12"
    division = "Virtuoso 22012 Error SR087: division by zero"
    assert isinstance(dialect.server_error(division), QueryError)
    assert isinstance(
        dialect.server_error("Virtuoso S1T00 Error SR171: Transaction timed out"), QueryTimeoutError
    )
    assert dialect.server_error("Virtuoso 42000 Error SR186: No permission") is None
    assert dialect.server_error("Internal Server Error") is None
    assert not dialect.served_as_is("text/tab-separated-values")
    assert dialect.served_as_is("text/csv")
