"""An update's text as the engine reads it: the Protocol's using-graph-uri written in, and
whether it matches patterns (tried on a copy first, within the time limit)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from service.sparql.text import has_dataset_clause, matches_patterns, update_with_using
from service.store import QueryError

G1, G2, N1 = "http://example.org/g1", "http://example.org/g2", "http://example.org/n1"


def _store() -> ox.Store:
    store = ox.Store()
    store.update(
        f'INSERT DATA {{ GRAPH <{G1}> {{ <http://e/a> <http://e/p> "in g1" }} '
        f'GRAPH <{G2}> {{ <http://e/b> <http://e/p> "in g2" }} }}'
    )
    return store


def _copied(store: ox.Store) -> set[str]:
    return {q.object.value for q in store.quads_for_pattern(None, None, None, ox.NamedNode(N1))}


def test_using_graph_uri_makes_the_where_clause_read_those_graphs() -> None:
    store = _store()
    update = f"INSERT {{ GRAPH <{N1}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}"
    store.update(update_with_using(update, [G1], []))
    assert _copied(store) == {"in g1"}


def test_every_operation_of_a_request_gets_the_dataset_and_strings_are_left_alone() -> None:
    store = _store()
    update = (
        f"PREFIX e: <http://e/>\n# WHERE in a comment\n"
        f'INSERT {{ GRAPH <{N1}> {{ ?s e:note "WHERE {{ }}" }} }} WHERE {{ ?s ?p ?o }} ;\n'
        f"INSERT {{ GRAPH <{N1}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}"
    )
    store.update(update_with_using(update, [G1, G2], []))
    assert _copied(store) == {"in g1", "in g2", "WHERE { }"}


def test_delete_where_becomes_delete_using_where() -> None:
    rewritten = update_with_using("DELETE WHERE { ?s <http://e/p> ?o }", [G1], [])
    assert rewritten.split() == (
        f"DELETE {{ ?s <http://e/p> ?o }} USING <{G1}> WHERE {{ ?s <http://e/p> ?o }}".split()
    )


def test_using_named_graph_uri_is_what_graph_patterns_see() -> None:
    store = _store()
    update = f"INSERT {{ GRAPH <{N1}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    store.update(update_with_using(update, [], [G2]))
    assert _copied(store) == {"in g2"}


@pytest.mark.parametrize(
    "update",
    [
        "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } USING <http://e/g> WHERE { ?s ?p ?o }",
    ],
)
def test_an_update_naming_its_own_dataset_cannot_also_take_the_protocols(update: str) -> None:
    with pytest.raises(QueryError, match="USING or WITH"):
        update_with_using(update, [G1], [])


def test_without_dataset_parameters_the_update_is_unchanged() -> None:
    update = "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert update_with_using(update, [], []) is update


def test_from_is_found_as_a_keyword_only() -> None:
    assert has_dataset_clause("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }")
    assert not has_dataset_clause('SELECT ?from WHERE { ?s <http://e/from> "FROM" }')


@pytest.mark.parametrize(
    ("update", "tried"),
    [
        ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", True),
        ("DELETE WHERE { ?s ?p ?o }", True),
        ("delete where { ?s ?p ?o }", True),
        ("INSERT { ?s ?p 1 } WH\\u0045RE { ?s ?p ?o }", True),  # escapes expand, as Oxigraph's
        ('INSERT DATA { <http://e.org/s> <http://e.org/p> "WHERE" }', False),
        ("INSERT DATA { <http://e.org/where> <http://e.org/p> 1 } # where", False),
        ("DROP SILENT GRAPH <http://e.org/g> ; CLEAR DEFAULT", False),
        ("PREFIX ex: <http://e.org/> INSERT DATA { ex:s ex:where ?where }", False),
    ],
)
def test_an_update_is_tried_on_a_copy_first_when_it_matches_patterns(
    update: str, tried: bool
) -> None:
    assert matches_patterns(update) is tried
