"""The full-text index: filled as documents are stored, emptied as they are deleted, rebuilt
when it lags, ranked by BM25, keeping where each entry was said; read by /ask/who-said, the
UI's search and fg:textScore in clients' SPARQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import tantivy
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.bootstrap import build_app, configured, open_configured_store
from service.cli.app import app as cli
from service.rdf.vocab import sparql_prologue
from service.read.questions import Answer, who_said
from service.settings import Settings
from service.sparql import load
from service.store import Store, iri_term
from service.store.open import open_store
from service.textindex import Entry, TextIndex, index_directory
from service.textindex.attach import text_indexer_for
from tests.conftest import ON_THIS_MACHINE, SEEDS

runner = CliRunner(env={"COLUMNS": "250"})  # rich tables wide enough for IRIs
SEED_TEXT = {
    json.loads(p.read_text("utf-8"))["publisher"]: json.loads(p.read_text("utf-8"))["text"]
    for p in SEEDS
}
QUERIES = ["language of force", "withdrawal", "troops", "said", "Iraq", "U.S.", "withdraw", "Ira"]


def _settings(store: Path) -> Settings:
    """One query worker: clients' SPARQL runs in a worker process, as `factgraph serve` runs it."""
    return configured(store=str(store), query_workers=1)


@contextmanager
def _served(store: Path) -> Iterator[TestClient]:
    """The app over the store at `store`, as `factgraph serve` builds it (catch-up included)."""
    settings = _settings(store)
    opened = open_configured_store(settings)
    try:
        with TestClient(build_app(settings, opened), client=ON_THIS_MACHINE) as client:
            yield client
    finally:
        opened.close()


def _post(client: TestClient, seed: Path) -> str:
    response = client.post(
        "/documents", content=seed.read_bytes(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
    return response.json()["iri"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, list[str]]]:
    """Both seeds ingested into a store on disk; the client and the documents' IRIs."""
    path = tmp_path_factory.mktemp("textindex") / "store"
    with _served(path) as client:
        yield client, [_post(client, seed) for seed in SEEDS]


def _index(client: TestClient) -> TextIndex:
    return client.app.state.text.index  # type: ignore[attr-defined]


def _store(client: TestClient) -> Store:
    return client.app.state.store  # type: ignore[attr-defined]


def _sparql(client: TestClient, query: str, prologue: bool = True) -> list[dict[str, Any]]:
    response = client.post(
        "/sparql",
        data={"query": sparql_prologue() + query if prologue else query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def _store_alone(client: TestClient, tmp_path: Path) -> Path:
    """A copy of the served store as a backup or a restore leaves it: no text index beside it."""
    copy = tmp_path / "store"
    _store(client).checkpoint(copy)
    return copy


def _assert_same_as_the_scan(found: Answer, scanned: Answer) -> None:
    """Who-said by the index lists the scan's statements, each as the scan gives it (with where
    it was said), plus its score."""
    assert found.about["search"] == "index"
    assert scanned.about["search"] == "scan"
    assert {s["statement"] for s in found.rows} == {s["statement"] for s in scanned.rows}
    by_iri = {s["statement"]: s for s in scanned.rows}
    for statement in found.rows:
        assert {k: v for k, v in statement.items() if k != "score"} == by_iri[
            statement["statement"]
        ]


# --- the index itself ---------------------------------------------------------------------------


def test_bm25_ranks_the_entry_that_is_most_about_the_words_first() -> None:
    index = TextIndex(None)
    doc = "http://example.org/id/document/1"
    entries = [
        Entry("statement", f"{doc}/statement/{i}", doc, text)
        for i, text in enumerate(
            [
                "the troops stayed at the base while the talks went on for a long time",
                "troops",
                "the troops left",
                "nothing about soldiers here",
            ]
        )
    ]
    index.replace_document(doc, entries, "2026-01-01T00:00:00Z")
    hits = index.search("Troops")
    assert [hit.entry.text for hit in hits] == [
        "troops",
        "the troops left",
        "the troops stayed at the base while the talks went on for a long time",
    ]
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert hits[0].score > hits[-1].score


def test_search_matches_the_words_as_a_phrase_in_any_case_and_of_the_kinds_asked() -> None:
    index = TextIndex(None)
    doc = "http://example.org/id/document/1"
    index.replace_document(
        doc,
        [
            Entry("statement", f"{doc}/statement/0", doc, "They speak the Language of Force."),
            Entry("statement", f"{doc}/statement/1", doc, "force of language, not of arms"),
            Entry("actor", "http://example.org/id/actor/force", doc, "Force Language Institute"),
        ],
        "t",
    )
    assert [h.entry.node for h in index.search("language OF force")] == [f"{doc}/statement/0"]
    assert [h.entry.kind for h in index.search("force language")] == ["actor"]
    assert index.search("force language", kinds=("statement",)) == []


@pytest.mark.parametrize(
    "odd",
    ['title:force', 'force AND', '"force', 'force~2', '*', '(((', 'NOT force', 'a:b:c', '\\',
     "x" * 200],
)
def test_search_takes_query_syntax_as_plain_words(odd: str) -> None:
    index = TextIndex(None)
    doc = "http://example.org/id/document/1"
    index.replace_document(doc, [Entry("statement", f"{doc}/s", doc, "title force and not")], "t")
    index.search(odd)  # no tantivy query syntax error: the words are terms, never parsed


def test_an_entry_is_read_back_with_every_field_it_was_written_with(tmp_path: Path) -> None:
    doc = "http://example.org/id/document/1"
    entry = Entry(
        "statement", f"{doc}/statement/0", doc, "“Troops” will leave — Iraq’s PM",
        sentence=f"{doc}/text#char=0,48", begin=0, end=48, span_begin=1, span_end=33,
        speaker="http://example.org/id/actor/pm", speaker_name="Ça Va",
        details={"cue": "said", "statementType": None, "outlet": "Le Monde",
                 "sentenceText": 'He said "troops" \\ will leave.\n'},
    )  # fmt: skip
    index = TextIndex(tmp_path / "index")
    index.replace_document(doc, [entry], "2026-01-01T00:00:00Z")
    assert [hit.entry for hit in index.search("troops")] == [entry]
    index.close()
    reopened = TextIndex(tmp_path / "index", read_only=True)
    assert [hit.entry for hit in reopened.search("troops will")] == [entry]
    assert reopened.stamps() == {doc: "2026-01-01T00:00:00Z"}
    assert reopened.scores("Iraq") == {entry.node: reopened.search("Iraq")[0].score}


def test_an_index_on_disk_keeps_its_small_docstore_blocks_through_commits_and_merges(
    tmp_path: Path,
) -> None:
    """A hit's entry is read by decompressing its docstore block: 2 KB, not tantivy's 16 KB."""
    index = TextIndex(tmp_path / "index")
    for i in range(12):  # a commit each: segments that tantivy merges
        doc = f"http://example.org/id/document/{i}"
        entries = [Entry("statement", f"{doc}/s/{j}", doc, f"troops {j}") for j in range(50)]
        index.replace_document(doc, entries, "t")
    index.close()
    meta = json.loads((tmp_path / "index" / "meta.json").read_text("utf-8"))
    assert meta["index_settings"]["docstore_blocksize"] == 2048
    assert len(TextIndex(tmp_path / "index", read_only=True).search("troops", limit=1000)) == 600


# --- kept in step with the store ----------------------------------------------------------------


def test_ingest_indexes_statements_quantity_claims_and_actor_names_with_provenance(
    served: tuple[TestClient, list[str]],
) -> None:
    client, documents = served
    index, store = _index(client), _store(client)
    assert set(index.stamps()) == set(documents)

    (statement,) = [
        h for h in index.search("language of force", kinds=("statement",)) if h.entry.speaker
    ][:1]
    entry = statement.entry
    text = SEED_TEXT["Press TV"]
    assert entry.document in documents
    assert entry.sentence
    assert entry.begin is not None
    assert entry.end is not None
    assert "language of force" in text[entry.begin : entry.end].lower()
    assert text[entry.span_begin : entry.span_end] == entry.text
    assert entry.speaker_name == "Islamic Resistance in Iraq"

    row = store.select(load("textindex/quantities.rq"), {"document": iri_term(documents[0])})[0]
    found = {h.entry.node: h.entry for h in index.search(row["text"], kinds=("quantity",))}
    quantity = found[row["node"]]
    assert (quantity.span_begin, quantity.span_end) == (int(row["spanBegin"]), int(row["spanEnd"]))
    assert quantity.sentence == row["sentence"]

    actors = index.search("Islamic Resistance in Iraq", kinds=("actor",))
    assert actors
    assert actors[0].entry.text == "Islamic Resistance in Iraq"
    assert actors[0].to_json()["document"] in documents


def test_who_said_by_the_index_finds_what_the_scan_finds_best_first(
    served: tuple[TestClient, list[str]],
) -> None:
    client, _ = served
    index, store = _index(client), _store(client)
    for text in QUERIES:
        found, scanned = who_said(store, text, index), who_said(store, text, None)
        _assert_same_as_the_scan(found, scanned)
        scores = [s["score"] for s in found.rows]
        assert scores == sorted(scores, reverse=True)


def test_api_who_said_answers_from_the_index_and_its_sparql_runs_on_sparql(
    served: tuple[TestClient, list[str]],
) -> None:
    client, _ = served
    body = client.get("/ask/who-said", params={"text": "Language Of FORCE"}).json()
    assert body["search"] == "index"
    assert body["count"] >= 1
    for statement in body["statements"]:
        sentence = statement["sentence"]
        assert SEED_TEXT["Press TV"][sentence["begin"] : sentence["end"]] == sentence["text"]
        assert statement["score"] > 0
    assert "fg:textScore" in body["sparql"]
    rows = _sparql(client, body["sparql"])  # in the query worker process, reading the index
    assert [r["statement"]["value"] for r in rows] == [
        s["statement"] for s in body["statements"]
    ]


def test_sparql_text_score_finds_actors_and_claims_by_their_words(
    served: tuple[TestClient, list[str]],
) -> None:
    client, documents = served
    rows = _sparql(
        client,
        'SELECT DISTINCT ?actor ?score WHERE { ?actor schema:name ?name '
        'BIND(fg:textScore(?actor, "islamic resistance") AS ?score) FILTER(BOUND(?score)) }',
    )
    assert rows
    assert all(float(r["score"]["value"]) > 0 for r in rows)
    claims = _sparql(
        client,
        "SELECT ?claim ?score WHERE { GRAPH ?g { ?claim a fg:QuantityClaim } "
        'BIND(fg:textScore(?claim, "troops") AS ?score) FILTER(BOUND(?score)) } '
        "ORDER BY DESC(?score)",
    )
    assert all(r["claim"]["value"].startswith(tuple(documents)) for r in claims)
    none = _sparql(
        client,
        'SELECT ?s WHERE { ?s a fg:Statement BIND(fg:textScore(?s, "zzyzx qqq") AS ?x) '
        "FILTER(BOUND(?x)) }",
    )
    assert none == []


@pytest.mark.parametrize(
    "odd",
    ['title:force', 'force AND', '"force', 'force~2', '*', '(((', 'NOT force', "force " * 83,
     "x" * 500, "troops\tin\nIraq"],
)
def test_api_who_said_takes_odd_text_as_words(
    served: tuple[TestClient, list[str]], odd: str
) -> None:
    client, _ = served
    response = client.get("/ask/who-said", params={"text": odd})
    assert response.status_code == 200, response.text
    for statement in response.json()["statements"]:
        assert odd.strip().lower() in statement["content"].lower()


def test_api_who_said_refuses_empty_and_too_long_text(
    served: tuple[TestClient, list[str]],
) -> None:
    client, _ = served
    for params in ({}, {"text": ""}, {"text": "force " * 84}):
        response = client.get("/ask/who-said", params=params)
        assert response.status_code == 400, params
        assert "text" in response.json()["error"]


def test_ui_search_lists_statements_claims_and_actors_by_their_words(
    served: tuple[TestClient, list[str]],
) -> None:
    client, _ = served
    page = client.get("/ui/search", params={"q": "Islamic Resistance"})
    assert page.status_code == 200
    assert "Islamic Resistance in Iraq" in page.text
    assert "/ui/actors/" in page.text
    assert "BM25" in page.text
    assert client.get("/ui/search").status_code == 200
    assert client.get("/ui/search", params={"q": "x" * 501}).status_code == 400


def test_delete_drops_a_documents_entries_and_sending_it_again_restores_them(
    served: tuple[TestClient, list[str]],
) -> None:
    client, documents = served
    index = _index(client)
    gone = documents[0]
    doc_id = gone.rsplit("/", 1)[1]
    before = [h.entry.node for h in index.search("the", limit=1000) if h.entry.document == gone]
    assert before
    assert client.delete(f"/documents/{doc_id}").status_code == 204
    assert gone not in index.stamps()
    assert all(h.entry.document != gone for h in index.search("the", limit=1000))
    query = 'SELECT ?s WHERE { ?s a ?t BIND(fg:textScore(?s, "the") AS ?x) FILTER(BOUND(?x)) }'
    assert all(not r["s"]["value"].startswith(gone) for r in _sparql(client, query))
    assert _post(client, SEEDS[0]) == gone  # the fixture posted the seeds in this order
    after = [h.entry.node for h in index.search("the", limit=1000) if h.entry.document == gone]
    assert sorted(after) == sorted(before)


# --- rebuilt when it lags -----------------------------------------------------------------------


def test_start_rebuilds_a_missing_index_and_mends_one_that_lags(
    served: tuple[TestClient, list[str]], tmp_path: Path
) -> None:
    client, documents = served
    copy = _store_alone(client, tmp_path)
    assert not index_directory(copy).exists()
    with _served(copy) as started:
        assert set(_index(started).stamps()) == set(documents)
        expected = {h.entry.node for h in _index(started).search("the", limit=1000)}

    # a process stopped between the store's commit and the index's: one document never
    # indexed, one indexed from an older extraction, one gone from the store but still indexed
    index = TextIndex(index_directory(copy))
    phantom = documents[0].rsplit("/", 1)[0] + "/0000000000000000"
    index.drop_document(documents[0])
    index.replace_document(documents[1], [], "2000-01-01T00:00:00Z")
    index.replace_document(phantom, [Entry("statement", f"{phantom}/s", phantom, "the")], "x")
    index.close()

    with _served(copy) as started:
        stamps = _index(started).stamps()
        assert set(stamps) == set(documents)
        assert "2000-01-01T00:00:00Z" not in stamps.values()
        assert {h.entry.node for h in _index(started).search("the", limit=1000)} == expected


def test_start_rebuilds_an_index_of_an_older_format_and_who_said_reads_the_new_one(
    served: tuple[TestClient, list[str]], tmp_path: Path
) -> None:
    client, documents = served
    copy = _store_alone(client, tmp_path)
    # format 2, as an older release left it beside the store: every part of an entry a stored
    # field of its own (a schema this release's tantivy refuses to open as its own)
    old = index_directory(copy)
    builder = tantivy.SchemaBuilder()
    for name in ("kind", "node", "document"):
        builder.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("text", stored=True)
    builder.add_bytes_field("provenance", stored=True, indexed=False)
    old.mkdir()
    writer = tantivy.Index(builder.build(), str(old)).writer(15_000_000, 1)
    for document in documents:
        writer.add_document(tantivy.Document(
            kind="stamp", node=document, document=document, provenance=[b'{"stamp": "x"}']
        ))
    writer.commit()
    writer.wait_merging_threads()
    del writer
    (old / "FACTGRAPH_FORMAT").write_text("2")

    with _served(copy) as started:
        index, store = _index(started), _store(started)
        assert "x" not in index.stamps().values()
        assert set(index.stamps()) == set(documents)
        found = who_said(store, "withdrawal", index)
        assert found.rows
        _assert_same_as_the_scan(found, who_said(store, "withdrawal"))


def test_cli_reindex_rebuilds_the_index_and_check_repair_mends_a_lagging_one(
    served: tuple[TestClient, list[str]], tmp_path: Path
) -> None:
    client, documents = served
    copy = _store_alone(client, tmp_path)
    result = runner.invoke(cli, ["reindex", "--store", str(copy)])
    assert result.exit_code == 0, result.output
    assert f"indexed {len(documents)} documents" in result.output
    index = TextIndex(index_directory(copy))
    assert set(index.stamps()) == set(documents)
    index.drop_document(documents[1])
    index.close()

    result = runner.invoke(cli, ["check", "--no-shapes", "--store", str(copy)])
    assert result.exit_code == 1
    assert "unindexed" in result.output
    assert documents[1] in result.output
    result = runner.invoke(cli, ["check", "--no-shapes", "--repair", "--store", str(copy)])
    assert result.exit_code == 0, result.output
    assert "1 documents indexed again" in result.output
    index = TextIndex(index_directory(copy), read_only=True)
    assert set(index.stamps()) == set(documents)


def test_cli_reindex_of_a_remote_store_says_it_has_no_index_and_who_said_scans_there() -> None:
    remote = open_store("sparql+http://127.0.0.1:9/sparql", base_iri="http://localhost:8000/")
    assert text_indexer_for(remote, "http://localhost:8000/") is None
    result = runner.invoke(cli, ["reindex", "--store", "sparql+http://127.0.0.1:9/sparql"])
    assert result.exit_code == 2
    assert "no local text index" in result.output


def test_readme_text_score_example_runs_as_written(
    served: tuple[TestClient, list[str]],
) -> None:
    client, _ = served
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    (example,) = [
        block.split("```", 1)[0]
        for block in readme.split("```sparql")[1:]
        if "fg:textScore" in block.split("```", 1)[0]
    ]
    rows = _sparql(client, example, prologue=False)
    assert rows
    assert all("language of force" in r["content"]["value"].lower() for r in rows)


def test_service_description_names_the_text_score_function(
    served: tuple[TestClient, list[str]],
) -> None:
    client, _ = served
    described = client.get("/sparql", headers={"Accept": "application/n-triples"})
    assert described.status_code == 200
    assert (
        "<http://www.w3.org/ns/sparql-service-description#extensionFunction> "
        "<https://w3id.org/factgraph/ns#textScore>"
    ) in described.text


def test_cli_check_of_a_store_copied_without_its_index_is_ok_and_makes_none(
    served: tuple[TestClient, list[str]], tmp_path: Path
) -> None:
    client, _ = served
    copy = _store_alone(client, tmp_path)
    result = runner.invoke(cli, ["check", "--no-shapes", "--store", str(copy)])
    assert result.exit_code == 0, result.output
    assert not index_directory(copy).exists()
