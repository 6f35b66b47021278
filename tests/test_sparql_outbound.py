"""service.sparql.outbound: SERVICE and LOAD found on the parsed operation, however written."""

from __future__ import annotations

import pytest

from service.sparql.outbound import MAX_CHECKED_CHARS, OutboundRefusedError, refuse_outbound

ENDPOINT = "http://127.0.0.1:9/sparql"

# Ways to write SERVICE that a keyword search over the text missed or mis-read.
HIDDEN_SERVICES = [
    f"SELECT * WHERE {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ # a comment ended by a bare CR\r SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERVICE <{ENDPOINT}\u00a0x> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ \\u0053ERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ sErViCe\u000b<{ENDPOINT}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE { BIND(<http://127.0.0.1:9/> AS ?e) SERVICE SILENT ?e { ?s ?p ?o } }",
    "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { { SERVICE e:sparql { ?s ?p ?o } } }",
    f"SELECT * WHERE {{ ?s ?p ?o }} LATERAL {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("query", HIDDEN_SERVICES)
def test_outbound_service_is_refused_however_it_is_written(query: str) -> None:
    with pytest.raises(OutboundRefusedError, match="SERVICE"):
        refuse_outbound(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service WHERE { BIND('SERVICE <http://x/>' AS ?service) }",
        "SELECT * WHERE { ?s <http://example.org/service> ?o } # SERVICE <http://x/> { }",
        "SELECT * WHERE { ?s ?p ?o } LATERAL { SELECT ?o WHERE { ?o ?q ?r } LIMIT 1 }",
    ],
)
def test_outbound_words_that_only_look_like_service_pass(query: str) -> None:
    refuse_outbound(query)


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "load silent <http://127.0.0.1:9/data.ttl> INTO GRAPH <http://example.org/g>",
        "INSERT DATA { <a:s> <a:p> 1 } ;\r\\u004cOAD <http://127.0.0.1:9/x>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
    ],
)
def test_outbound_update_that_fetches_is_refused(update: str) -> None:
    with pytest.raises(OutboundRefusedError) as refused:
        refuse_outbound(update, update=True)
    assert refused.value.what == "update"


def test_outbound_update_may_speak_of_loading_in_its_data() -> None:
    refuse_outbound("INSERT DATA { <a:s> <a:p> 'LOAD <http://x/> and SERVICE' }", update=True)


def test_outbound_allow_list_lets_named_endpoints_through_and_no_other() -> None:
    allowed = ("https://query.wikidata.org/sparql",)
    refuse_outbound(
        "PREFIX wd: <https://query.wikidata.org/> "
        "SELECT * WHERE { SERVICE wd:sparql { ?s ?p ?o } }",
        allowed=allowed,
    )
    with pytest.raises(OutboundRefusedError, match=r"127\.0\.0\.1:9"):
        refuse_outbound(HIDDEN_SERVICES[0], allowed=allowed)
    with pytest.raises(OutboundRefusedError):
        refuse_outbound(HIDDEN_SERVICES[5], allowed=allowed)  # a variable is no named endpoint


def test_outbound_updates_never_federate_even_with_an_allow_list() -> None:
    allowed = (ENDPOINT,)
    with pytest.raises(OutboundRefusedError):
        refuse_outbound(
            f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
            update=True,
            allowed=allowed,
        )


def test_outbound_text_too_large_to_check_is_refused_only_when_it_mentions_service() -> None:
    padding = " " * MAX_CHECKED_CHARS
    refuse_outbound(f"SELECT * WHERE {{ ?s ?p ?o }}{padding}")
    with pytest.raises(OutboundRefusedError, match="characters"):
        refuse_outbound(f"SELECT * WHERE {{ ?s ?p 'service' }}{padding}")


def test_outbound_deep_nesting_that_cannot_be_parsed_is_refused_not_crashed() -> None:
    query = "SELECT * WHERE " + "{" * 2000 + f"SERVICE <{ENDPOINT}> {{}}" + "}" * 2000
    with pytest.raises(OutboundRefusedError, match="could not be checked"):
        refuse_outbound(query)
