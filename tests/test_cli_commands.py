"""The `factgraph` command line, as a user runs it: exit codes and one-line explanations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli.app import app
from service.rdf.registry import load_actors
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "002_8a460393155f9b4e.json"

runner = CliRunner()


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    store = str(tmp_path_factory.mktemp("cli") / "var" / "store")  # as `make run` on a fresh clone
    result = runner.invoke(app, ["ingest", str(SEED), "--store", store])
    assert result.exit_code == 0, result.output
    return store


def test_cli_ingest_reports_what_it_stored(seeded_store: str) -> None:
    result = runner.invoke(app, ["ingest", str(SEED), "--store", seeded_store])
    assert result.exit_code == 0
    assert "stored http://" in result.stdout
    assert "statements" in result.stdout


def test_cli_ingest_on_two_workers_stores_every_document(tmp_path: Path) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.json"))
    store = str(tmp_path / "store")
    result = runner.invoke(app, ["ingest", *map(str, seeds), "--store", store, "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("stored http://") == len(seeds)


def test_cli_ingest_refuses_zero_workers(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(SEED), "--store", str(tmp_path), "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.output


def test_the_default_worker_count_is_the_cores_this_process_may_use() -> None:
    # One core allowed (as taskset or a container's cpuset allows): one worker.
    program = (
        "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
        "from service.settings import Settings; print(Settings().extraction_workers)"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "1"
    assert Settings().extraction_workers == len(os.sched_getaffinity(0))


def test_cli_ingest_rejects_bad_documents_one_line_each_and_keeps_the_good(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("The minister said on Monday that prices rose.", "utf-8")
    (folder / "empty.json").write_text(json.dumps({"text": ""}), "utf-8")
    (folder / "latin1.txt").write_bytes("caf\xe9 owners said so.".encode("latin-1"))
    (folder / "broken.json").write_text("{not json", "utf-8")
    store = str(tmp_path / "store")
    result = runner.invoke(app, ["ingest", str(folder), "--store", store, "--publisher", "Wire"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("factgraph:")]
    assert len(lines) == 3
    assert any("empty.json" in line and "empty" in line for line in lines)
    assert any("latin1.txt" in line and "UTF-8" in line for line in lines)
    assert any("broken.json" in line and "JSON" in line for line in lines)
    assert "stored http://" in result.stdout
    assert "Traceback" not in result.output


def test_cli_ingest_missing_path_exits_with_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "no such file" in result.stderr


def test_cli_query_prints_a_table_json_and_csv(seeded_store: str) -> None:
    sparql = (
        "PREFIX schema: <http://schema.org/> "
        "SELECT ?name WHERE { ?doc a schema:NewsArticle ; schema:publisher/schema:name ?name }"
    )
    table = runner.invoke(app, ["query", sparql, "--store", seeded_store])
    assert table.exit_code == 0, table.output
    assert "eurasia.ro" in table.stdout
    as_json = runner.invoke(app, ["query", sparql, "--store", seeded_store, "--format", "json"])
    names = [b["name"]["value"] for b in json.loads(as_json.stdout)["results"]["bindings"]]
    assert "eurasia.ro" in names
    as_csv = runner.invoke(app, ["query", sparql, "--store", seeded_store, "--format", "csv"])
    assert as_csv.stdout.splitlines()[0].strip() == "name"


def test_cli_query_malformed_sparql_exits_2_with_the_parser_message(seeded_store: str) -> None:
    result = runner.invoke(app, ["query", "SELECT ?x WHERE {", "--store", seeded_store])
    assert result.exit_code == 2
    assert result.stderr.startswith("factgraph: the query is not valid SPARQL")
    assert result.stderr.strip().count("\n") == 0


def test_cli_export_writes_trig_that_names_the_document_graph(
    seeded_store: str, tmp_path: Path
) -> None:
    target = tmp_path / "dump.trig"
    result = runner.invoke(
        app, ["export", "--store", seeded_store, "--format", "trig", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "/id/document/" in target.read_text("utf-8")


def test_cli_export_unknown_format_names_the_known_ones(seeded_store: str) -> None:
    result = runner.invoke(app, ["export", "--store", seeded_store, "--format", "xlsx"])
    assert result.exit_code == 2
    assert "trig" in result.stderr
    assert "nquads" in result.stderr


def test_cli_extract_prints_turtle_and_stores_nothing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(SEED)])
    assert result.exit_code == 0, result.output
    assert "fg:Statement" in result.stdout
    assert not (tmp_path / "var").exists()


def test_cli_validate_reports_a_graph_that_breaks_the_shapes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix fg: <https://w3id.org/factgraph/ns#> .\n"
        "<http://example.org/s> a fg:Statement .\n",
        "utf-8",
    )
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "Conforms: False" in result.stdout


def test_cli_validate_unparseable_file_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is { not turtle", "utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0


def _entity(qid: str, name: str, classes: list[str], aliases: tuple[str, ...] = (),
            description: str | None = None) -> dict:
    claims = [{"mainsnak": {"snaktype": "value", "property": "P31", "datavalue": {
        "type": "wikibase-entityid", "value": {"entity-type": "item", "id": c}}}}
        for c in classes]
    entity = {"type": "item", "id": qid, "labels": {"en": {"language": "en", "value": name}},
              "aliases": {"en": [{"language": "en", "value": a} for a in aliases]},
              "claims": {"P31": claims}}
    if description:
        entity["descriptions"] = {"en": {"language": "en", "value": description}}
    return entity


def test_cli_actors_import_builds_a_registry_file_from_a_wikidata_dump(tmp_path: Path) -> None:
    """The dump's layout: a JSON array, one entity a line, each line but the last with a comma."""
    entities = [
        _entity("Q100", "Ada Example", ["Q5"], ("A. Example", "Ada"), "a test person"),
        _entity("Q200", "Example Water Agency", ["Q43229"], ("EWA", "Ada")),
        _entity("Q300", "Example Town", ["Q515"]),  # a city: not asked for
        _entity("Q400", "Ada Example", ["Q5"]),  # another person of the same name
    ]
    dump = tmp_path / "latest-all.json"
    dump.write_text("[\n" + ",\n".join(json.dumps(e) for e in entities) + "\n]\n", "utf-8")
    out = tmp_path / "mine.ttl"
    result = runner.invoke(app, ["actors", "import", str(dump), "-i", "Q5=person",
                                 "-i", "Q43229=organization", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 3 actors" in result.stdout
    actors = {a.key: a for a in load_actors(out)}
    assert set(actors) == {"ada-example", "ada-example-q400", "example-water-agency"}
    ada = actors["ada-example"]
    assert (ada.type.value, ada.wikidata, ada.description) == ("Person", "Q100", "a test person")
    assert ada.aliases == ("A. Example",)  # "Ada" names two actors: neither keeps it
    assert actors["example-water-agency"].aliases == ("EWA",)


def test_cli_actors_import_a_bad_class_or_line_exits_2_with_one_line(tmp_path: Path) -> None:
    dump = tmp_path / "dump.json"
    dump.write_text("[\n{not json},\n]\n", "utf-8")
    out = tmp_path / "mine.ttl"
    bad_class = runner.invoke(app, ["actors", "import", str(dump), "-i", "human", "-o", str(out)])
    assert bad_class.exit_code == 2
    assert "Q5=person" in bad_class.output
    bad_line = runner.invoke(app, ["actors", "import", str(dump), "-i", "Q5=person",
                                   "-o", str(out)])
    assert bad_line.exit_code == 2
    assert "dump.json:2" in bad_line.output
    assert not out.exists()


@pytest.mark.parametrize(
    "command", [["query", "ASK {}"], ["export", "--format", "trig"], ["serve", "--port", "1"]]
)
def test_cli_reading_a_store_that_does_not_exist_is_one_line_not_an_empty_answer(
    tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "mistyped-store"
    result = runner.invoke(app, [*command, "--store", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "no store at" in result.stderr
    assert not missing.exists(), "a read must not create a store"


def test_cli_version_names_the_installed_release() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("factgraph ")
    assert result.stdout.split()[1][0].isdigit()
