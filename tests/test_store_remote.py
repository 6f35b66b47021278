"""The remote store against a real SPARQL server: Virtuoso Open Source from Debian's packages.

The module starts its own Virtuoso on free loopback ports with scripts/virtuoso.sh (which
installs `virtuoso-opensource` with apt-get when it is missing) and stops it at the end. When
Virtuoso cannot be installed or started, the tests fail: CI must prove the remote store works.

End to end: the real `factgraph serve --store sparql+http://...` ingests the seeds into
Virtuoso and answers the six competency questions from it, with the embedded store's checks.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from competency_checks import (
    SEEDS,
    ask,
    check_posted_seeds,
    check_q1_language_of_force,
    check_q2_us_troops_in_iraq,
    check_q3_disagreements,
    check_q4_politico,
    check_q5_islamic_resistance,
    check_q6_triple_provenance,
    conflict_pairs,
    document_of,
)
from conftest import live_server, post_seeds
from sources_fixtures import news_page
from test_claimreview_importer import review

from scripts.virtuoso_server import SCRIPT, free_port, running_virtuoso, virtuoso_script
from service.pipeline.validate import Validator
from service.read.appearances import near_copies_by_document, near_copies_of
from service.settings import Settings
from service.store import (
    Dataset,
    QueryError,
    QueryTimeoutError,
    ResultTooLargeError,
    UnsupportedFormatError,
    iri_term,
    literal_term,
)
from service.store.check import check_store
from service.store.open import open_store
from service.store.remote import RemoteSparqlStore, parse_location

pytestmark = [pytest.mark.virtuoso, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://store.test/"
TOKEN = "remote-store-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
G1, G2 = f"{BASE}graph/one", f"{BASE}graph/two"
TRIPLES = (
    b'<http://store.test/a> <http://store.test/says> "caf\xc3\xa9 \\"quoted\\""@en .\n'
    b"<http://store.test/a> <http://store.test/count> "
    b'"2500"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    b"<http://store.test/a> <http://store.test/knows> <http://store.test/b> .\n"
)
# Cross products over every triple (Virtuoso's own metadata graph alone has about 2,500):
# SLOW runs for minutes; ENDLESS Virtuoso estimates at years and refuses to start.
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . "
    'FILTER(CONCAT(STR(?c), STR(?f)) != "x") }'
)
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Virtuoso on free loopback ports; its store location (`sparql+http://...`)."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as location:
        yield location


@pytest.fixture
def store(virtuoso: str) -> Iterator[RemoteSparqlStore]:
    """The remote store over the module's Virtuoso, its test graphs emptied before each test."""
    opened = RemoteSparqlStore(virtuoso, base_iri=BASE, query_timeout=20)
    opened.update(f"DROP SILENT GRAPH <{G1}> ; DROP SILENT GRAPH <{G2}>")
    opened.drop_graph(None)
    yield opened
    opened.close()


# --- factgraph serving from Virtuoso, end to end --------------------------------------------


@pytest.fixture(scope="module")
def virtuoso_server(virtuoso: str) -> Iterator[str]:
    """The real `factgraph serve` with Virtuoso as its store; its base URL."""
    with live_server(virtuoso, {"FACTGRAPH_UPDATE_TOKEN": TOKEN}) as base:
        yield base


@pytest.fixture(scope="module")
def virtuoso_ingested(virtuoso_server: str) -> dict[str, dict]:
    """Both seeds POSTed to factgraph, stored in Virtuoso: each seed's answer by file stem."""
    return post_seeds(virtuoso_server, TOKEN)


def test_posting_the_seeds_stores_them_in_virtuoso(
    virtuoso: str, virtuoso_ingested: dict[str, dict]
) -> None:
    check_posted_seeds(virtuoso_ingested)
    url = virtuoso.removeprefix("sparql+")
    for answer in virtuoso_ingested.values():  # asked of Virtuoso itself, not of factgraph
        found = httpx.post(
            url,
            data={"query": f"ASK {{ GRAPH <{answer['iri']}> {{ <{answer['iri']}> ?p ?o }} }}"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert found.json()["boolean"] is True


def test_posting_a_seed_again_leaves_the_quad_count_as_it_was(
    virtuoso_server: str, virtuoso_ingested: dict[str, dict]
) -> None:
    before = httpx.get(f"{virtuoso_server}/healthz").json()["quads"]
    assert before > 2000
    response = httpx.post(
        f"{virtuoso_server}/documents",
        content=SEEDS[0].read_bytes(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
        timeout=180,
    )
    assert response.status_code == 201
    assert response.json()["iri"] == document_of(virtuoso_ingested, "000")
    assert httpx.get(f"{virtuoso_server}/healthz").json()["quads"] == before


def test_check_store_reads_a_virtuoso_store_and_finds_the_posted_seeds_whole(
    virtuoso: str, virtuoso_server: str, virtuoso_ingested: dict[str, dict]
) -> None:
    """The check runs over SPARQL alone. (It also finds the seeds' claims never compared:
    the comparison queries use Oxigraph's LATERAL, which Virtuoso does not parse.)"""
    assert len(virtuoso_ingested) == 2
    base = f"{virtuoso_server}/"
    opened = RemoteSparqlStore(virtuoso, base_iri=base, query_timeout=20)
    settings = Settings()
    try:
        found = check_store(opened, base, Validator(settings.shapes_dir, settings.ontology_dir))
    finally:
        opened.close()
    assert [p for p in found.problems if not p.repairable] == []
    assert (found.documents, found.validated) == (2, 2)


def test_q1_from_virtuoso_language_of_force_is_said_by_the_iri(
    virtuoso_server: str, virtuoso_ingested: dict[str, dict]
) -> None:
    check_q1_language_of_force(ask(virtuoso_server, "cq1_language_of_force"), virtuoso_ingested)


def test_q2_from_virtuoso_both_documents_count_about_2500_us_troops(
    virtuoso_server: str, virtuoso_ingested: dict[str, dict]
) -> None:
    check_q2_us_troops_in_iraq(ask(virtuoso_server, "cq2_us_troops_in_iraq"), virtuoso_ingested)


@pytest.mark.usefixtures("virtuoso_ingested")
def test_q3_from_virtuoso_finds_the_date_disagreement_and_not_the_attack_counts(
    virtuoso_server: str,
) -> None:
    check_q3_disagreements(ask(virtuoso_server, "cq3_disagreements"))


@pytest.mark.usefixtures("virtuoso_ingested")
def test_q3_from_virtuoso_is_the_conflicts_the_comparison_stored_there(
    virtuoso_server: str,
) -> None:
    """The claim comparison runs on Virtuoso too (plain SPARQL 1.1), and cq3 reads it."""
    rows = ask(virtuoso_server, "cq3_disagreements")
    listed = httpx.get(f"{virtuoso_server}/claims/comparisons", timeout=60).json()["comparisons"]
    assert {c["status"] for c in listed} >= {"conflict", "corroboration"}
    conflicts = [c for c in listed if c["status"] == "conflict"]
    assert {frozenset((r["claimA"], r["claimB"])) for r in rows} == conflict_pairs(conflicts)


def test_q4_from_virtuoso_politico_cited_five_us_officials(
    virtuoso_server: str, virtuoso_ingested: dict[str, dict]
) -> None:
    check_q4_politico(ask(virtuoso_server, "cq4_politico"), virtuoso_ingested)


def test_q5_from_virtuoso_what_the_iri_said_spans_both_outlets(
    virtuoso_server: str, virtuoso_ingested: dict[str, dict]
) -> None:
    rows = ask(virtuoso_server, "cq5_islamic_resistance_in_iraq")
    check_q5_islamic_resistance(rows, virtuoso_ingested)


@pytest.mark.usefixtures("virtuoso_ingested")
def test_q6_from_virtuoso_every_claim_triple_has_offsets_version_and_time(
    virtuoso_server: str,
) -> None:
    check_q6_triple_provenance(ask(virtuoso_server, "cq6_triple_provenance"))


def _export(server: str, name: str) -> httpx.Response:
    response = httpx.get(f"{server}/export", params={"format": name}, timeout=60)
    assert response.status_code == 200, response.text
    return response


@pytest.mark.usefixtures("virtuoso_ingested")
def test_a_claimreview_posted_to_a_virtuoso_backed_server_links_the_claim_it_reviews(
    virtuoso_server: str,
) -> None:
    """Review matching asks the store for a bounded set of candidates (claimreview/
    candidates.rq) and one claim with the claims of its key (same_key.rq): Virtuoso answers
    both as Oxigraph does, and the claims feed reads back."""
    posted = httpx.post(
        f"{virtuoso_server}/claimreviews", json=review(), timeout=60,
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert posted.status_code == 201, posted.text
    (imported,) = posted.json()["reviews"]
    assert imported["matches"], imported
    best = imported["matches"][0]["claim"]
    assert "/quantity/" in best
    assert imported["matches"][0]["score"] >= 0.8
    claim = httpx.get(f"{virtuoso_server}/claims/claimreview", params={"claim": best}, timeout=60)
    assert claim.status_code == 200, claim.text
    assert claim.json()["@id"] == best
    assert best in _export(virtuoso_server, "claims").text


@pytest.mark.usefixtures("virtuoso_ingested")
def test_export_from_virtuoso_holds_the_seed_graphs_and_none_of_virtuosos_own(
    virtuoso_server: str,
) -> None:
    response = _export(virtuoso_server, "nquads")
    graphs = {line.rsplit(" ", 2)[-2] for line in response.text.splitlines() if line}
    assert all(g.startswith(f"<{virtuoso_server}/") for g in graphs), graphs
    assert any("/id/document/" in g for g in graphs)
    quads = httpx.get(f"{virtuoso_server}/healthz").json()["quads"]
    assert len(response.text.splitlines()) == quads


@pytest.mark.usefixtures("virtuoso_ingested")
def test_jsonld_export_from_virtuoso_is_compact_and_holds_what_nquads_holds(
    virtuoso_server: str,
) -> None:
    jsonld = _export(virtuoso_server, "jsonld")
    assert '"schema:' in jsonld.text
    nquads = _export(virtuoso_server, "nquads")
    exported = set(ox.parse(jsonld.content, ox.RdfFormat.JSON_LD))
    assert exported == set(ox.parse(nquads.content, ox.RdfFormat.N_QUADS))


def test_graph_store_protocol_and_updates_through_factgraph_reach_virtuoso(
    virtuoso_server: str,
) -> None:
    notes = f"{virtuoso_server}/graph/notes"
    turtle = {"Content-Type": "text/turtle", **AUTH}
    data = b'<http://example.org/a> <http://example.org/says> "first" .'
    put = httpx.put(
        f"{virtuoso_server}/store", params={"graph": notes}, content=data, headers=turtle
    )
    assert put.status_code == 201, put.text
    got = httpx.get(
        f"{virtuoso_server}/store",
        params={"graph": notes},
        headers={"Accept": "application/n-triples"},
    )
    assert got.status_code == 200, got.text
    assert got.text.strip() == data.decode()
    update = httpx.post(
        f"{virtuoso_server}/sparql",
        data={
            "update": f"INSERT DATA {{ GRAPH <{notes}> {{ <http://example.org/a> "
            f'<http://example.org/says> "second" }} }}'
        },
        headers=AUTH,
    )
    assert update.status_code in (200, 204), update.text
    both = httpx.get(f"{virtuoso_server}/store", params={"graph": notes}).text
    assert "first" in both
    assert "second" in both
    default = httpx.put(f"{virtuoso_server}/store?default", content=data, headers=turtle)
    assert default.status_code in (201, 204), default.text
    assert "first" in httpx.get(f"{virtuoso_server}/store?default").text
    for name in ({"graph": notes}, {"default": ""}):
        gone = httpx.delete(f"{virtuoso_server}/store", params=name, headers=AUTH)
        assert gone.status_code == 204, gone.text
    assert httpx.get(f"{virtuoso_server}/store", params={"graph": notes}).status_code == 404


LIBRARY = (
    "The city library will extend its opening hours from next month, the council said on "
    "Thursday.\nReaders will be able to borrow books until 9 pm on weekdays, and a children's "
    "corner opens in the east wing."
)


def test_a_text_posted_from_two_pages_to_a_virtuoso_backed_server_keeps_both_pages(
    virtuoso_server: str,
) -> None:
    """Planning reads the stored pages of a text (syndication/raw_pages.rq) from Virtuoso too,
    so the second page adds to the first instead of replacing it."""
    pages = {
        "https://planet.example/library": news_page(LIBRARY, title="Library hours"),
        "https://wire.example/library": news_page(LIBRARY, title="Library hours", site="Wire",
                                                  teasers=("Wire: roads close",)),
    }
    iris = set()
    for url, page in pages.items():
        posted = httpx.post(
            f"{virtuoso_server}/documents", params={"url": url}, content=page, timeout=180,
            headers={"Content-Type": "text/html", **AUTH},
        )
        assert posted.status_code == 201, posted.text
        iris.add(posted.json()["iri"])
    (iri,) = iris
    query = (
        "PREFIX fg: <https://w3id.org/factgraph/ns#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        f"SELECT ?hash ?from WHERE {{ GRAPH <{iri}> {{ <{iri}> prov:wasDerivedFrom ?page . "
        "?page fg:rawHash ?hash ; fg:fetchedFrom ?from } }"
    )
    answer = httpx.post(f"{virtuoso_server}/sparql", data={"query": query}, timeout=60,
                        headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    found = {(row["hash"]["value"], row["from"]["value"])
             for row in answer.json()["results"]["bindings"]}
    assert found == {(hashlib.sha256(page).hexdigest(), url) for url, page in pages.items()}


# --- the Store interface, method by method ----------------------------------------------------


def test_near_copies_of_one_document_read_from_virtuoso_match_the_whole_list(
    store: RemoteSparqlStore,
) -> None:
    """The comparisons ask one document's near-copies by a query of their own (planned for a
    bound document); Virtuoso answers it as it answers the list of every document's links."""
    article = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/NewsArticle>"
    fg = "https://w3id.org/factgraph/ns#"
    store.replace_graph(G1, f"<{G1}> {article} .\n".encode())
    store.replace_graph(G2, (
        f"<{G2}> {article} .\n"
        f"<{G2}/reuse> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{fg}TextReuse> .\n"
        f"<{G2}/reuse> <{fg}copy> <{G2}> .\n<{G2}/reuse> <{fg}original> <{G1}> .\n"
        f'<{G2}/reuse> <{fg}score> "0.9"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
        f'<{G2}/reuse> <{fg}method> "MinHash" .\n'
    ).encode())
    everyone = near_copies_by_document(store)
    assert [link["document"] for link in everyone[G2]] == [G1]
    assert [link["document"] for link in everyone[G1]] == [G2]
    assert near_copies_of(store, G2) == {G1}
    assert near_copies_of(store, G1) == {G2}


def test_replace_graph_then_read_it_back_through_the_graph_store_protocol(
    store: RemoteSparqlStore,
) -> None:
    store.replace_graph(G1, TRIPLES)
    assert store.has_graph(G1)
    chunks = store.graph_triples(G1, "application/n-triples")
    assert chunks is not None
    assert sorted(b"".join(chunks).splitlines()) == sorted(TRIPLES.splitlines())
    store.replace_graph(
        G1, b"<http://store.test/a> <http://store.test/p> <http://store.test/c> .\n"
    )
    rows = store.select(f"SELECT ?o WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
    assert rows == [{"o": "http://store.test/c"}]


def test_replace_graph_with_bad_ntriples_leaves_the_old_graph_whole(
    store: RemoteSparqlStore,
) -> None:
    store.replace_graph(G1, TRIPLES)
    with pytest.raises(ValueError, match="not valid N-Triples"):
        store.replace_graph(G1, TRIPLES + b"<http://store.test/a> <not an iri> .\n")
    assert store.quad_count() == 3


def test_replace_graph_the_server_refuses_changes_nothing(store: RemoteSparqlStore) -> None:
    """Valid N-Triples that Virtuoso refuses to compile (an ill-typed integer), in the last of
    several INSERT DATA operations: the DROP before them must not have happened."""
    store.replace_graph(G1, TRIPLES)
    many = b"".join(
        f'<http://store.test/s{i}> <http://store.test/p> "{i}" .\n'.encode() for i in range(2500)
    )
    bad = (
        b'<http://store.test/a> <http://store.test/n> "many"'
        b"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
    )
    with pytest.raises(QueryError):
        store.replace_graph(G1, many + bad)
    chunks = store.graph_triples(G1, "application/n-triples")
    assert chunks is not None
    assert sorted(b"".join(chunks).splitlines()) == sorted(TRIPLES.splitlines())


def test_replace_graph_of_thousands_of_triples_is_split_for_virtuoso_and_counted(
    store: RemoteSparqlStore,
) -> None:
    many = b"".join(
        f'<http://store.test/s{i}> <http://store.test/p> "v{i} \xe2\x82\xac" .\n'.encode()
        for i in range(5000)
    )
    started = time.monotonic()
    store.replace_graph(G2, many)
    assert time.monotonic() - started < 30
    assert store.quad_count() == 5000


def test_blank_nodes_stay_one_node_within_a_graph(store: RemoteSparqlStore) -> None:
    store.replace_graph(
        G1,
        b"<http://store.test/a> <http://store.test/p> _:x .\n"
        b'_:x <http://store.test/name> "x" .\n'
        b"_:x <http://store.test/other> _:y .\n",
    )
    rows = store.select(
        f"SELECT ?name WHERE {{ GRAPH <{G1}> {{ <http://store.test/a> ?p ?x . ?x ?q ?name }} }}"
    )
    assert {"name": "x"} in rows


def test_drop_graph_says_whether_the_graph_existed(store: RemoteSparqlStore) -> None:
    store.replace_graph(G1, TRIPLES)
    assert store.drop_graph(G1) is True
    assert store.has_graph(G1) is False
    assert store.drop_graph(G1) is False
    assert store.graph_triples(G1, "text/turtle") is None


def test_default_graph_is_written_read_and_emptied_like_the_graph_store_protocol(
    store: RemoteSparqlStore,
) -> None:
    store.replace_graph(None, TRIPLES)
    store.add_triples(
        None, b"<http://store.test/z> <http://store.test/p> <http://store.test/c> .\n"
    )
    chunks = store.graph_triples(None, "application/n-triples")
    assert chunks is not None
    assert len(b"".join(chunks).splitlines()) == 4
    assert store.quad_count() == 4
    assert store.drop_graph(None) is True
    assert store.drop_graph(None) is False
    empty = store.graph_triples(None, "application/n-triples")
    assert empty is not None
    assert b"".join(empty) == b""


def test_add_triples_merges_into_a_graph(store: RemoteSparqlStore) -> None:
    store.add_triples(G1, TRIPLES)
    store.add_triples(G1, TRIPLES + b'<http://store.test/b> <http://store.test/p> "new" .\n')
    assert store.quad_count() == 4


def test_select_binds_values_and_an_injection_stays_one_literal(store: RemoteSparqlStore) -> None:
    store.replace_graph(G1, TRIPLES)
    store.replace_graph(G2, b'<http://store.test/b> <http://store.test/says> "other" .\n')
    query = "SELECT ?s ?said WHERE { GRAPH ?g { ?s <http://store.test/says> ?said } }"
    assert store.select(query, {"s": iri_term("http://store.test/a")}) == [
        {"s": "http://store.test/a", "said": 'café "quoted"'}
    ]
    assert store.select(query, {"said": literal_term("other")}) == [
        {"s": "http://store.test/b", "said": "other"}
    ]
    attack = 'x" } } ; DROP GRAPH <http://store.test/graph/one> ; SELECT * { { ?s ?p "'
    assert store.select(query, {"said": literal_term(attack)}) == []
    assert store.has_graph(G1)
    for term in ("<http://store.test/a> } DROP ALL {", '"x" . ?s ?p ?o', "DROP ALL"):
        with pytest.raises(ValueError, match="not"):
            store.select(query, {"s": term})
    with pytest.raises(ValueError, match="variable"):
        store.select(query, {"s) { (<http://x>) } DROP ALL #": "<http://store.test/a>"})
    assert store.quad_count() == 4


def test_query_serves_the_client_accept_and_converts_what_virtuoso_cannot_write(
    store: RemoteSparqlStore,
) -> None:
    store.replace_graph(G1, TRIPLES)
    select = f"SELECT ?o WHERE {{ GRAPH <{G1}> {{ <http://store.test/a> ?p ?o }} }} ORDER BY ?o"
    json_result = store.query(select, ["application/sparql-results+json"])
    assert json_result.media_type == "application/sparql-results+json"
    assert b'"bindings"' in json_result.body
    tsv = store.query(select, ["text/tab-separated-values"])
    assert tsv.body.splitlines()[0] == b"?o"  # the W3C format, which Virtuoso does not write
    assert b'"caf\xc3\xa9 \\"quoted\\""@en' in tsv.body
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}"
    trig = store.query(construct, ["application/trig"])  # Virtuoso answers 406 for TriG
    assert trig.media_type.startswith("application/trig")
    assert len(list(ox.parse(trig.body, ox.RdfFormat.TRIG))) == 3
    assert store.query("ASK { ?s <http://store.test/knows> ?o }", ["*/*"]).form == "ASK"
    with pytest.raises(UnsupportedFormatError):
        store.query(construct, ["application/sparql-results+json"])


def test_query_default_graph_is_the_union_unless_the_dataset_names_one(
    store: RemoteSparqlStore,
) -> None:
    store.replace_graph(G1, TRIPLES)
    store.replace_graph(G2, b'<http://store.test/b> <http://store.test/says> "other" .\n')
    query = "SELECT ?s WHERE { ?s <http://store.test/says> ?o }"
    union = store.query(query, ["text/csv"]).body
    assert b"store.test/a" in union
    assert b"store.test/b" in union
    only_two = store.query(query, ["text/csv"], Dataset(default_graphs=(G2,))).body
    assert b"store.test/b" in only_two
    assert b"store.test/a" not in only_two
    with pytest.raises(QueryError, match="not an absolute IRI"):
        store.query(query, ["text/csv"], Dataset(default_graphs=("not an iri",)))


def test_query_refuses_service_updates_and_virtuoso_pragmas(store: RemoteSparqlStore) -> None:
    with pytest.raises(QueryError, match="SERVICE"):
        store.query("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", [])
    with pytest.raises(QueryError):
        store.query("INSERT DATA { GRAPH <http://store.test/graph/one> { <a:b> <a:c> <a:d> } }", [])
    with pytest.raises(QueryError, match="server-specific"):
        store.query("define input:inference 'x' SELECT * WHERE { ?s ?p ?o }", [])
    with pytest.raises(QueryError, match="server-specific"):
        store.query("PREFIX bif: <bif:> SELECT (bif:sleep(1) AS ?x) WHERE {}", [])
    assert not store.has_graph(G1)


def test_a_bad_update_answers_query_error_with_virtuosos_message_short(
    store: RemoteSparqlStore,
) -> None:
    with pytest.raises(QueryError) as raised:
        store.update("INSERT DATA { GRAPH <http://store.test/graph/one> { <a:b> <a:c> ")
    message = str(raised.value)
    assert "SP030" in message
    assert "\n" not in message
    assert len(message) <= 300


def test_a_query_past_the_time_limit_raises_query_timeout_soon(virtuoso: str) -> None:
    quick = RemoteSparqlStore(virtuoso, base_iri=BASE, query_timeout=1)
    try:
        # Virtuoso stops this one at its time limit and answers 200 with the count so far
        # (its "anytime" answer, X-SQL-State S1TAT): a timeout, never a partial answer.
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match="stopped by the server"):
            quick.query(SLOW, ["application/sparql-results+json"])
        assert time.monotonic() - started < 1 + 5 + 2
        # This one Virtuoso refuses before it starts: its cost estimate is past the limit.
        with pytest.raises(QueryTimeoutError):
            quick.query(ENDLESS, ["application/sparql-results+json"])
    finally:
        quick.close()


def test_a_result_past_the_size_limit_raises_result_too_large(virtuoso: str) -> None:
    small = RemoteSparqlStore(virtuoso, base_iri=BASE, max_result_bytes=2000)
    try:
        with pytest.raises(ResultTooLargeError):
            small.query("SELECT * WHERE { ?s ?p ?o } LIMIT 5000", ["text/csv"])
    finally:
        small.close()


def test_quad_count_and_export_cover_only_the_service_graphs(store: RemoteSparqlStore) -> None:
    store.replace_graph(G1, TRIPLES)
    store.replace_graph(None, b'<http://store.test/z> <http://store.test/p> "d" .\n')
    assert store.quad_count() == 4  # not Virtuoso's virtrdf#, DAV/, ldp# graphs
    nquads = b"".join(store.export("application/n-quads")).decode("utf-8").splitlines()
    assert len(nquads) == 4
    assert {line.rsplit(" ", 2)[-2] for line in nquads} == {f"<{G1}>", f"<{BASE}graph/default>"}
    trig = b"".join(store.export("application/trig"))
    assert f"<{G1}>".encode() in trig
    jsonld = b"".join(store.export("application/ld+json"))
    assert jsonld.startswith((b"[", b"{"))
    with pytest.raises(UnsupportedFormatError):
        store.export("text/html")
    everything = RemoteSparqlStore(
        f"{store.location.query_url.replace('http://', 'sparql+http://')}?graphs=*", base_iri=BASE
    )
    try:
        assert everything.quad_count() > 2000  # Virtuoso's own metadata graph alone
    finally:
        everything.close()


@pytest.fixture(scope="module")
def virtuoso_few_rows(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second Virtuoso that cuts results at 100 rows, as a stock one does at 10,000."""
    directory = tmp_path_factory.mktemp("virtuoso-few-rows")
    ports = (str(free_port()), str(free_port()))
    done = subprocess.run(
        ["bash", str(SCRIPT), "start", str(directory), *ports],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "VIRTUOSO_MAX_ROWS": "100"},
    )
    if done.returncode != 0:
        pytest.fail(f"scripts/virtuoso.sh start failed:\n{done.stderr[-3000:]}")
    try:
        yield f"sparql+http://127.0.0.1:{ports[0]}/sparql"
    finally:
        virtuoso_script("stop", str(directory))


def test_a_result_virtuoso_cuts_at_its_row_limit_is_an_error_not_a_short_answer(
    virtuoso_few_rows: str,
) -> None:
    few = RemoteSparqlStore(virtuoso_few_rows, base_iri=BASE)
    try:
        many = b"".join(
            f'<http://store.test/s{i}> <http://store.test/p> "{i}" .\n'.encode() for i in range(300)
        )
        few.replace_graph(G1, many)
        assert few.quad_count() == 300
        with pytest.raises(ResultTooLargeError, match="ResultSetMaxRows"):
            few.query("SELECT * WHERE { ?s ?p ?o }", ["application/sparql-results+json"])
        with pytest.raises(ResultTooLargeError, match="ResultSetMaxRows"):
            few.select(f"SELECT ?s WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
        # The Graph Store read gives about 100 of the 300 triples without a word: caught by a count.
        with pytest.raises(OSError, match="of the 300 triples"):
            few.graph_triples(G1, "text/turtle")
    finally:
        few.close()


def test_credentials_in_the_location_reach_virtuosos_digest_endpoints(virtuoso: str) -> None:
    """scripts/virtuoso.sh keeps the dba password at its default: loopback only, for tests."""
    authed = virtuoso.replace("127.0.0.1", "dba:dba@127.0.0.1").replace(
        "/sparql", "/sparql-auth?auth=digest"
    )
    store = RemoteSparqlStore(authed, base_iri=BASE)
    wrong = RemoteSparqlStore(authed.replace("dba:dba", "dba:wrong"), base_iri=BASE)
    try:
        store.replace_graph(G2, TRIPLES)
        chunks = store.graph_triples(G2, "application/n-triples")  # /sparql-graph-crud-auth
        assert chunks is not None
        assert len(b"".join(chunks).splitlines()) == 3
        with pytest.raises(OSError, match="refused access"):
            wrong.quad_count()
    finally:
        store.drop_graph(G2)
        store.close()
        wrong.close()


# --- locations and a stopped server -------------------------------------------------------


def test_location_options_name_the_endpoints_credentials_and_scope() -> None:
    found = parse_location(
        "sparql+https://me:p%40ss@db.example:8443/ds/query?update=/ds/update"
        "&store=http://other:3030/ds/data&auth=digest&dialect=generic&graphs=*"
    )
    assert found.query_url == "https://db.example:8443/ds/query"
    assert found.update_url == "https://db.example:8443/ds/update"
    assert found.store_url == "http://other:3030/ds/data"
    assert (found.username, found.password, found.auth) == ("me", "p@ss", "digest")
    assert (found.dialect, found.graphs) == ("generic", "*")
    plain = parse_location("sparql+http://127.0.0.1:8890/sparql")
    assert plain.update_url == plain.query_url == "http://127.0.0.1:8890/sparql"
    assert plain.store_url is None
    assert plain.username is None
    for bad in ("sparql+http:///sparql", "sparql+http://h/s?colour=red", "sparql+http://h/?auth=x"):
        with pytest.raises(ValueError, match=r"host|option|auth"):
            parse_location(bad)


def test_open_store_opens_a_remote_store_without_contacting_it() -> None:
    opened = open_store("sparql+http://127.0.0.1:9/sparql", base_iri=BASE)
    try:
        assert isinstance(opened, RemoteSparqlStore)
    finally:
        opened.close()


def test_a_stopped_server_gives_a_one_line_error_naming_the_endpoint() -> None:
    port = free_port()  # nothing listens there
    location = f"sparql+http://127.0.0.1:{port}/sparql"
    stopped = RemoteSparqlStore(location, base_iri=BASE)
    try:
        with pytest.raises(OSError, match=f"http://127.0.0.1:{port}/sparql") as raised:
            stopped.quad_count()
        assert "\n" not in str(raised.value)
        with pytest.raises(OSError, match="cannot reach"):
            stopped.replace_graph(G1, TRIPLES)
    finally:
        stopped.close()
    cli = subprocess.run(
        [sys.executable, "-m", "service.cli.app", "query", "--store", location, "ASK {}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert cli.returncode != 0
    lines = cli.stderr.strip().splitlines()
    assert len(lines) == 1, cli.stderr
    assert f"127.0.0.1:{port}" in lines[0]


@pytest.mark.usefixtures("virtuoso_ingested")
def test_claims_page_filters_and_a_rejected_conflict_work_from_virtuoso_too(
    virtuoso_server: str,
) -> None:
    """The claims page's text and outlet filters run on Virtuoso, and a conflict a reviewer
    rejects leaves `/claims/comparisons?status=conflict` and cq3 there alike. Runs last: it
    judges the module's store (and confirms the conflict again at the end)."""
    params = {"q": "TROOPS", "outlet": "press-tv"}
    page = httpx.get(f"{virtuoso_server}/ui/claims", params=params, timeout=60)
    assert page.status_code == 200, page.text
    sentences = re.findall(r'<blockquote class="sentence">(.*?)</blockquote>', page.text, re.S)
    assert sentences
    assert all("troops" in sentence.lower() for sentence in sentences)
    assert "eurasia.ro</a> · <time>" not in page.text

    def conflicts() -> list[dict]:
        found = httpx.get(f"{virtuoso_server}/claims/comparisons?status=conflict", timeout=60)
        return found.json()["comparisons"]

    target = conflicts()[0]
    for verdict in ("rejected", "confirmed"):
        judged = httpx.post(
            f"{virtuoso_server}/judgements",
            json={"comparison": target["iri"], "verdict": verdict, "reviewer": "Ana Pop"},
            headers=AUTH,
            timeout=60,
        )
        assert judged.status_code == 201, judged.text
        listed = conflict_pairs(conflicts())
        rows = ask(virtuoso_server, "cq3_disagreements")
        assert {frozenset((r["claimA"], r["claimB"])) for r in rows} == listed
        assert (conflict_pairs([target]) <= listed) is (verdict == "confirmed")
