"""The embedded store: atomic graph replacement, union default graph, dataset, formats, bindings."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from service.store import Dataset, QueryError, QueryForm, Store, UnsupportedFormatError
from service.store.open import open_store
from service.store.oxigraph import OxigraphStore, parse_term
from service.store.workers import QueryLimits

BASE = "http://localhost:8000/"
G1 = "http://example.org/graph/1"
G2 = "http://example.org/graph/2"
DATA_1 = b"""<http://example.org/a> <http://example.org/says> "one" .
<http://example.org/a> <http://example.org/knows> _:friend .
_:friend <http://example.org/name> "Friend"@en .
"""
DATA_2 = b"""<http://example.org/b> <http://example.org/says> "two" .
<http://example.org/b> <http://example.org/count> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""
SELECT_ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


@pytest.fixture
def store() -> OxigraphStore:
    opened = OxigraphStore(None)
    opened.replace_graph(G1, DATA_1)
    opened.replace_graph(G2, DATA_2)
    return opened


def _says(store: OxigraphStore, dataset: Dataset | None = None) -> set[str]:
    result = store.query(
        "SELECT ?o WHERE { ?s <http://example.org/says> ?o }",
        ["application/sparql-results+json"],
        dataset,
    )
    rows = json.loads(result.body)["results"]["bindings"]
    return {row["o"]["value"] for row in rows}


def test_store_oxigraph_is_a_store() -> None:
    assert isinstance(OxigraphStore(None), Store)


def test_store_replace_graph_is_idempotent(store: OxigraphStore) -> None:
    before = store.quad_count()
    store.replace_graph(G1, DATA_1)
    store.replace_graph(G1, DATA_1)
    assert store.quad_count() == before == 5  # the blank node is replaced, not duplicated


def test_store_replace_graph_replaces_the_old_triples(store: OxigraphStore) -> None:
    store.replace_graph(G1, b'<http://example.org/a> <http://example.org/says> "new" .\n')
    assert _says(store) == {"new", "two"}
    assert store.has_graph(G1)


def test_store_replace_graph_with_broken_data_keeps_the_old_graph(store: OxigraphStore) -> None:
    broken = DATA_2 + b'<http://example.org/c> <http://example.org/says> "unterminated .\n'
    with pytest.raises(ValueError, match="not valid N-Triples"):
        store.replace_graph(G1, broken)
    assert _says(store) == {"one", "two"}
    assert store.quad_count() == 5


def test_store_replace_graph_refuses_quads_in_triple_data(store: OxigraphStore) -> None:
    with pytest.raises(ValueError, match="N-Triples"):
        store.replace_graph(G1, b"<http://e/s> <http://e/p> <http://e/o> <http://e/g> .\n")
    assert _says(store) == {"one", "two"}


def test_store_readers_never_see_a_half_replaced_graph() -> None:
    store = OxigraphStore(None)
    versions = [
        "".join(f'<http://e/s{i}> <http://e/v> "{v}" .\n' for i in range(300)).encode()
        for v in ("a", "b")
    ]
    store.replace_graph(G1, versions[0])
    seen: set[tuple[int, int]] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            rows = store.select(
                "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?v) AS ?k) WHERE { ?s <http://e/v> ?v }"
            )
            seen.add((int(rows[0]["n"] or 0), int(rows[0]["k"] or 0)))

    reader = threading.Thread(target=read)
    reader.start()
    for i in range(40):
        store.replace_graph(G1, versions[i % 2])
    stop.set()
    reader.join()
    assert seen == {(300, 1)}


def test_store_drop_graph(store: OxigraphStore) -> None:
    assert store.drop_graph(G1) is True
    assert store.drop_graph(G1) is False
    assert not store.has_graph(G1)
    assert _says(store) == {"two"}


def test_store_default_graph_is_the_union_of_named_graphs(store: OxigraphStore) -> None:
    assert _says(store) == {"one", "two"}


def test_store_query_keeps_its_own_from_clause(store: OxigraphStore) -> None:
    result = store.query(
        f"SELECT ?o FROM <{G2}> WHERE {{ ?s <http://example.org/says> ?o }}", ["*/*"]
    )
    rows = json.loads(result.body)["results"]["bindings"]
    assert [row["o"]["value"] for row in rows] == ["two"]


def test_store_dataset_parameters_choose_the_graphs(store: OxigraphStore) -> None:
    assert _says(store, Dataset(default_graphs=[G1])) == {"one"}
    assert _says(store, Dataset(default_graphs=[G1, G2])) == {"one", "two"}
    assert _says(store, Dataset(named_graphs=[G2])) == set()  # named only: empty default graph
    result = store.query(
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", ["*/*"], Dataset(named_graphs=[G2])
    )
    graphs = {row["g"]["value"] for row in json.loads(result.body)["results"]["bindings"]}
    assert graphs == {G2}


def test_store_dataset_with_a_bad_iri_is_a_query_error(store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match="default-graph-uri"):
        store.query(SELECT_ALL, ["*/*"], Dataset(default_graphs=["not an iri"]))


@pytest.mark.parametrize(
    ("media_type", "fmt"),
    [
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ],
)
def test_store_select_results_parse_back(
    store: OxigraphStore, media_type: str, fmt: ox.QueryResultsFormat
) -> None:
    result = store.query(SELECT_ALL, [media_type])
    assert result.form is QueryForm.SELECT
    assert result.media_type.startswith(media_type)
    assert len(list(ox.parse_query_results(result.body, fmt))) == 5


def test_store_select_as_csv(store: OxigraphStore) -> None:
    result = store.query(SELECT_ALL, ["text/csv"])
    assert result.media_type.startswith("text/csv")
    lines = result.body.decode().strip().splitlines()
    assert lines[0].split(",") == ["s", "p", "o"]
    assert len(lines) == 6


def test_store_ask_results(store: OxigraphStore) -> None:
    result = store.query("ASK { ?s <http://example.org/says> 'one' }", [])
    assert result.form is QueryForm.ASK
    assert json.loads(result.body)["boolean"] is True


@pytest.mark.parametrize(
    "media_type",
    [
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
        "application/trig",
        "application/n-quads",
    ],
)
def test_store_construct_results_parse_back(store: OxigraphStore, media_type: str) -> None:
    result = store.query("CONSTRUCT WHERE { ?s ?p ?o }", ["text/csv", media_type])
    assert result.form is QueryForm.CONSTRUCT
    assert result.media_type == media_type
    fmt = ox.RdfFormat.from_media_type(media_type)
    assert len(list(ox.parse(result.body, fmt))) == 5


def test_store_defaults_and_describe(store: OxigraphStore) -> None:
    assert store.query(SELECT_ALL, ["*/*"]).media_type == "application/sparql-results+json"
    described = store.query("DESCRIBE <http://example.org/b>", [])
    assert described.form is QueryForm.DESCRIBE
    assert described.media_type == "text/turtle"


def test_store_no_fitting_media_type_is_unsupported(store: OxigraphStore) -> None:
    with pytest.raises(UnsupportedFormatError, match="text/turtle"):
        store.query("CONSTRUCT WHERE { ?s ?p ?o }", ["text/csv"])
    with pytest.raises(UnsupportedFormatError, match="application/sparql-results"):
        store.query(SELECT_ALL, ["text/turtle"])


def test_store_bad_syntax_is_a_query_error_with_the_parser_message(store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match="error at 1:"):
        store.query("SELECT ?x WHERE {", ["*/*"])


def test_store_query_refuses_service_so_no_client_makes_it_call_out(
    store: OxigraphStore,
) -> None:
    with pytest.raises(QueryError, match="SERVICE"):
        store.query("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", ["*/*"])
    rows = store.select("SELECT ?service WHERE { BIND('SERVICE <x>' AS ?service) }")
    assert rows == [{"service": "SERVICE <x>"}]


def test_store_query_refuses_updates(store: OxigraphStore) -> None:
    with pytest.raises(QueryError):
        store.query(f"DROP GRAPH <{G1}>", ["*/*"])
    assert store.has_graph(G1)


@pytest.mark.parametrize(
    "hostile",
    [
        '"} UNION { ?s ?p ?o }',
        "' } ; DROP ALL ; #",
        'line one\nline two "quoted"\\',
    ],
)
def test_store_select_hostile_bindings_stay_literals(store: OxigraphStore, hostile: str) -> None:
    term = '"' + hostile.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    rows = store.select(
        "SELECT ?s ?text WHERE { ?s <http://example.org/says> ?text }", {"text": term}
    )
    assert rows == []
    rows = store.select("SELECT ?text WHERE { }", {"text": term})
    assert rows == [{"text": hostile}]
    assert store.quad_count() == 5


def test_store_select_binds_iris_and_typed_literals(store: OxigraphStore) -> None:
    rows = store.select(
        "SELECT ?s ?n WHERE { ?s <http://example.org/count> ?n }",
        {"n": '"2"^^<http://www.w3.org/2001/XMLSchema#integer>'},
    )
    assert rows == [{"s": "http://example.org/b", "n": "2"}]
    rows = store.select(
        "SELECT ?s ?o WHERE { ?s <http://example.org/says> ?o }", {"s": "<http://example.org/a>"}
    )
    assert rows == [{"s": "http://example.org/a", "o": "one"}]
    rows = store.select(
        "SELECT ?f ?name WHERE { ?f <http://example.org/name> ?name }", {"name": '"Friend"@en'}
    )
    assert [row["name"] for row in rows] == ["Friend"]
    rows = store.select("SELECT ?x ?y WHERE { BIND(1 AS ?x) }")
    assert rows == [{"x": "1", "y": None}]


@pytest.mark.parametrize(
    "term", ['"a" . <http://e/s> <http://e/p> "b"', "not a term", '"raw\nnewline"', "_:b"]
)
def test_store_parse_term_refuses_what_is_not_one_term(term: str) -> None:
    with pytest.raises(ValueError, match="N-Triples"):
        parse_term(term)


@pytest.mark.parametrize(
    ("media_type", "quads"),
    [
        ("application/trig", 5),
        ("application/n-quads", 5),
        ("application/ld+json", 5),
        ("text/turtle", 5),
        ("application/n-triples", 5),
    ],
)
def test_store_export_streams_every_format(
    store: OxigraphStore, media_type: str, quads: int
) -> None:
    body = b"".join(store.export(media_type))
    parsed = list(ox.parse(body, ox.RdfFormat.from_media_type(media_type)))
    assert len(parsed) == quads
    if ox.RdfFormat.from_media_type(media_type).supports_datasets:
        assert {str(q.graph_name.value) for q in parsed} == {G1, G2}


def test_store_export_large_dataset_in_chunks() -> None:
    store = OxigraphStore(None)
    data = "".join(f'<http://e/s{i}> <http://e/p> "{i}" .\n' for i in range(20000)).encode()
    store.replace_graph(G1, data)
    chunks = list(store.export("application/n-quads"))
    assert len(chunks) > 1
    assert b"".join(chunks).count(b"\n") == 20000
    partial = store.export("application/trig")  # a reader that stops early frees the writer
    next(partial)
    partial.close()


def test_store_export_unknown_format_names_the_alternatives(store: OxigraphStore) -> None:
    with pytest.raises(UnsupportedFormatError, match="application/trig"):
        store.export("text/csv")


def test_store_open_creates_a_directory_and_reopens_it(tmp_path: Path) -> None:
    location = tmp_path / "store"
    first = open_store(str(location), base_iri=BASE)
    first.replace_graph(G1, DATA_1)
    first.close()
    again = open_store(str(location), base_iri=BASE)
    assert again.quad_count() == 3
    again.close()


def test_store_open_creates_missing_parent_directories(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "var" / "deeper" / "store"), base_iri=BASE)
    store.replace_graph(G1, DATA_1)
    assert store.quad_count() == 3
    store.close()


def test_store_open_refuses_unknown_schemes_and_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no other scheme"):
        open_store("ftp://localhost/store", base_iri=BASE)  # sparql+http:// opens a remote store
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises((OSError, ValueError), match="not a store directory"):
        open_store(str(a_file), base_iri=BASE)


def test_store_held_by_another_process_is_refused_clearly(tmp_path: Path) -> None:
    location = tmp_path / "held"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('ready', flush=True);"
            " sys.stdin.read()",
            str(location),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == b"ready"
        with pytest.raises(OSError, match="in use by another process"):
            open_store(str(location), base_iri=BASE)
    finally:
        holder.communicate(b"", timeout=30)


@pytest.mark.xfail(
    strict=True,
    reason="pyoxigraph 0.5.13 (the latest release) gives one row per graph that states the "
    "triple when the default graph is the union (oxigraph issue #1919; the merge is fixed "
    "upstream by pull request #1920, not yet released): drop this mark when the pin moves",
)
def test_store_a_triple_stated_in_two_graphs_comes_back_once_from_the_default_graph() -> None:
    store = OxigraphStore(None)
    triple = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    store.replace_graph("http://example.org/g1", triple)
    store.replace_graph("http://example.org/g2", triple)
    result = store.query("SELECT * WHERE { ?s ?p ?o }", ["application/sparql-results+json"])
    assert len(json.loads(result.body)["results"]["bindings"]) == 1


def test_a_clients_update_is_tried_on_a_copy_first_the_services_own_updates_are_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With query workers, a client's update with a WHERE is tried on a checkpoint within the
    limits before it reaches the store (~0.2 s); the service's own updates (one document's
    comparisons, a judgement) skip the trial, or an ingest would pay it for every document."""
    store = OxigraphStore(tmp_path / "store", limits=QueryLimits(timeout=10, workers=1))
    try:
        tried: list[str] = []
        workers = store._query_workers()
        assert workers is not None
        real = workers.try_update

        def trying(sparql: str) -> None:
            tried.append(sparql)
            real(sparql)

        monkeypatch.setattr(workers, "try_update", trying)
        mark = "<http://example.org/mark>"
        with_where = (
            f"INSERT {{ GRAPH {mark} {{ {mark} {mark} ?n }} }} WHERE {{ VALUES ?n {{ 1 }} }}"
        )
        store.update(with_where)
        assert tried == [with_where]
        store.update(with_where.replace("1 }", "2 }"), trial=False)
        assert len(tried) == 1
        answer = store.select(f"SELECT ?n WHERE {{ GRAPH {mark} {{ {mark} {mark} ?n }} }}")
        assert sorted(row["n"] for row in answer) == ["1", "2"]
    finally:
        store.close()


class _FlushCounter:
    """The store's pyoxigraph Store, its flushes counted."""

    def __init__(self, db: ox.Store) -> None:
        self.db = db
        self.flushes = 0

    def flush(self) -> None:
        self.flushes += 1
        self.db.flush()

    def __getattr__(self, name: str) -> object:
        return getattr(self.db, name)

    def __len__(self) -> int:
        return len(self.db)


def test_a_long_run_of_writes_is_flushed_to_disk_as_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RocksDB would keep a long ingest's writes in memory buffers (~70 MB a hundred
    documents): the store flushes them after every FLUSH_BYTES of writes, so memory stays
    bounded, and every write is still there."""
    monkeypatch.setattr("service.store.oxigraph.FLUSH_BYTES", 2_000)
    store = OxigraphStore(tmp_path / "store")
    counter = _FlushCounter(store._db)
    store._store = counter  # type: ignore[assignment]
    try:
        data = b'<http://example.org/s> <http://example.org/p> "' + b"x" * 50 + b'" .\n'
        for n in range(40):  # 40 graphs of ~100 bytes: two flushes' worth
            store.replace_graph(f"http://example.org/g{n}", data)
        assert counter.flushes == 40 * len(data) // 2_000 == 2
        update = ("INSERT DATA { GRAPH <http://example.org/u> { "
                  + "<http://example.org/s> <http://example.org/p> 1 . " * 45 + "} }")
        store.update(update)
        assert counter.flushes == 3
        assert store.quad_count() == 41
    finally:
        store._store = counter.db
        store.close()
