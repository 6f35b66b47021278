"""Hostile input never crashes a parser: every parser of user input, fed anything, either
reads it or refuses it with its own error (hypothesis), and nesting is capped before parsing."""

from __future__ import annotations

import contextlib
import json

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.claimreview.importer import ClaimReviewError, parse_claimreviews
from service.pipeline.documents import DocumentError, document_from_json
from service.rdf.input_limits import MAX_NESTING, nesting_depth
from service.sparql.outbound import OutboundRefusedError, refuse_outbound
from service.sparql.text import refuse_deep_nesting, sparql_keyword, update_with_using
from service.store import QueryError
from service.store.formats import GRAPH_STORE_MEDIA_TYPES
from service.store.rdf_input import RdfInputError, to_ntriples

QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that parsers trip on: brackets, quotes, escapes, comments with bare CR, huge numbers.
PIECES = [
    "{", "}", "[", "]", "(", ")", '"', "'", "\\", "\\u007B", "\\u0053ERVICE", "#", "\r", "\n",
    "<", ">", "SERVICE", "LOAD", "SELECT", "INSERT", "WHERE", "?x", ":", ",", "9" * 5000,
    "@context", "@id", "<!DOCTYPE r [<!ENTITY a 'aa'>]>", "\u00a0", "\x00", "ClaimReview",
]  # fmt: skip
hostile_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=40).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def test_input_limits_nesting_is_counted_past_strings() -> None:
    assert nesting_depth('{"a": "{{{{", "b": [[1]]}', json=True) == 3
    assert nesting_depth("{ ( [ ] ) }") == 3
    deep = "[" * (MAX_NESTING + 50)
    assert nesting_depth(deep, json=True) == MAX_NESTING + 1  # stops counting past the cap


@pytest.mark.parametrize("opening", ["{", "(", "\\u007B"])
def test_input_limits_deep_sparql_is_refused_before_the_engine(opening: str) -> None:
    query = "SELECT * WHERE { FILTER(" + opening * 5000 + "1" + ")" * 5000 + ") }"
    with pytest.raises(QueryError, match="levels deep"):
        refuse_deep_nesting(query)
    refuse_deep_nesting("SELECT * WHERE { { ?s ?p ?o } UNION { ?s ?p (1) } }")


@QUICK
@given(hostile_text)
def test_input_limits_sparql_helpers_take_any_text(text: str) -> None:
    try:
        refuse_deep_nesting(text)
        refuse_outbound(text)
        refuse_outbound(text, update=True)
        update_with_using(text, ["http://example.org/g"], [])
    except (QueryError, OutboundRefusedError):
        pass
    sparql_keyword(text)


@QUICK
@given(st.binary(max_size=300) | hostile_text.map(str.encode))
def test_input_limits_document_json_is_read_or_refused_as_a_document_error(raw: bytes) -> None:
    with contextlib.suppress(DocumentError):
        document_from_json(raw, max_text_bytes=10_000)


@QUICK
@given(json_values)
def test_input_limits_any_json_value_is_a_document_or_a_document_error(value: object) -> None:
    with contextlib.suppress(DocumentError):
        document_from_json(json.dumps(value), max_text_bytes=10_000)


@QUICK
@given(json_values | st.binary(max_size=200) | hostile_text)
def test_input_limits_claimreview_bodies_are_read_or_refused(value: object) -> None:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    with contextlib.suppress(ClaimReviewError, DocumentError):
        parse_claimreviews(raw)


@QUICK
@given(
    st.sampled_from(GRAPH_STORE_MEDIA_TYPES),
    st.binary(max_size=200) | hostile_text.map(str.encode),
)
def test_input_limits_graph_uploads_are_parsed_or_refused(media_type: str, raw: bytes) -> None:
    with contextlib.suppress(RdfInputError):
        to_ntriples(raw, media_type, "http://example.org/g")


@pytest.mark.parametrize(
    ("media_type", "body"),
    [
        ("application/ld+json", '{"@id": "http://a/", "http://p/": ' * 3000 + "1" + "}" * 3000),
        ("text/turtle", "<http://a/> <http://p/> " + "[ <http://p/> " * 3000 + "1" + " ]" * 3000),
        (
            "application/rdf+xml",
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
        ),
    ],
)
def test_input_limits_graph_bombs_are_refused_before_parsing(media_type: str, body: str) -> None:
    with pytest.raises(RdfInputError):
        to_ntriples(body.encode(), media_type, "http://example.org/g")


def test_input_limits_graph_of_ordinary_depth_still_parses() -> None:
    body = b'<http://a/> <http://p/> [ <http://p/> ( 1 2 [ <http://q/> "x" ] ) ] .'
    assert len(list(ox.parse(to_ntriples(body, "text/turtle", None), ox.RdfFormat.N_TRIPLES)))
