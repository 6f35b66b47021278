"""`factgraph check`, `backup` and `restore` as an operator runs them after a crash: what they
print, their exit codes, and one line for every mistake."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from service.bootstrap import configured
from service.cli.app import app
from service.rdf import iris
from service.store.oxigraph import OxigraphStore
from tests.conftest import live_server

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "002_8a460393155f9b4e.json"
OTHER_SEED = ROOT / "seeds" / "000_d2ce4ca12b793fba.json"
BASE = configured().base_iri

runner = CliRunner()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding both seeds, compared; each test works on a copy of it."""
    store = tmp_path_factory.mktemp("safety") / "store"
    result = runner.invoke(app, ["ingest", str(SEED), str(OTHER_SEED), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture
def store(ingested: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(ingested, copy)
    return copy


def change(store: Path, update: str) -> None:
    opened = OxigraphStore(store)
    try:
        opened.update(update)
    finally:
        opened.close()


COUNT_DOCUMENTS = "SELECT * { GRAPH ?d { ?d a <http://schema.org/NewsArticle> } }"


def documents(store: Path) -> int:
    result = runner.invoke(
        app, ["query", COUNT_DOCUMENTS, "--store", str(store), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return len(json.loads(result.stdout)["results"]["bindings"])


def test_cli_check_of_a_sound_store_exits_0(store: Path) -> None:
    result = runner.invoke(app, ["check", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "2 documents, 2 checked against the shapes" in result.stdout
    assert "ok" in result.stdout


def test_cli_check_finds_comparisons_out_of_step_and_repair_rebuilds_them(store: Path) -> None:
    change(store, f"DROP GRAPH <{iris.analysis_graph(BASE)}>")  # as if killed before comparing

    found = runner.invoke(app, ["check", "--store", str(store), "--no-shapes"])
    assert found.exit_code == 1
    assert "lagging" in found.stdout
    assert "factgraph check --repair" in found.stdout

    repaired = runner.invoke(app, ["check", "--store", str(store), "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert "2 documents compared again" in repaired.stdout
    assert runner.invoke(app, ["check", "--store", str(store)]).exit_code == 0


def test_cli_check_a_document_not_whole_stays_an_error_after_repair(store: Path) -> None:
    change(
        store,
        "DELETE WHERE { GRAPH ?d { ?d <https://w3id.org/factgraph/ns#text> ?text } }",
    )
    result = runner.invoke(app, ["check", "--store", str(store), "--repair"])
    assert result.exit_code == 1
    assert "invalid" in result.stdout
    assert "send it again" in result.stdout


def test_cli_backup_and_restore_bring_the_store_back_as_it_was(
    store: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "backups" / "monday"
    made = runner.invoke(app, ["backup", str(backup), "--store", str(store)])
    assert made.exit_code == 0, made.output
    assert made.stdout.startswith("backed up ")
    change(store, "DROP ALL")
    assert documents(store) == 0

    restored = runner.invoke(app, ["restore", str(backup), "--store", str(store)])
    assert restored.exit_code == 0, restored.output  # an empty store needs no --force
    assert documents(store) == 2
    assert runner.invoke(app, ["check", "--store", str(store)]).exit_code == 0

    fresh = tmp_path / "elsewhere" / "store"
    assert runner.invoke(app, ["restore", str(backup), "--store", str(fresh)]).exit_code == 0
    assert documents(fresh) == 2


def test_cli_restore_over_a_store_with_data_needs_force(store: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup"
    assert runner.invoke(app, ["backup", str(backup), "--store", str(store)]).exit_code == 0
    change(store, f"DROP GRAPH <{iris.analysis_graph(BASE)}>")

    refused = runner.invoke(app, ["restore", str(backup), "--store", str(store)])
    assert refused.exit_code == 2
    assert "is not empty" in refused.output
    assert "--force" in refused.output
    assert len(refused.output.strip().splitlines()) == 1

    forced = runner.invoke(app, ["restore", str(backup), "--store", str(store), "--force"])
    assert forced.exit_code == 0, forced.output
    assert runner.invoke(app, ["check", "--store", str(store), "--no-shapes"]).exit_code == 0


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["backup", "{store}", "--store", "{store}"], "already exists"),
        (["backup", "{tmp}/copy", "--store", "{tmp}/absent"], "there is no store"),
        (["restore", "{tmp}", "--store", "{store}"], "is not a store backup"),
        (["restore", "{store}", "--store", "{store}"], "the same directory"),
        (["check", "--store", "{tmp}/absent"], "there is no store"),
    ],
)
def test_cli_backup_restore_and_check_mistakes_are_one_line(
    store: Path, tmp_path: Path, arguments: list[str], says: str
) -> None:
    given = [a.format(store=store, tmp=tmp_path) for a in arguments]
    result = runner.invoke(app, given)
    assert result.exit_code == 2
    assert says in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_restore_never_replaces_a_store_a_process_holds(store: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup"
    assert runner.invoke(app, ["backup", str(backup), "--store", str(store)]).exit_code == 0
    held = OxigraphStore(store)  # as a running server holds it
    try:
        result = runner.invoke(app, ["restore", str(backup), "--store", str(store), "--force"])
    finally:
        held.close()
    assert result.exit_code == 2
    assert "in use by another process" in result.output
    assert documents(store) == 2


@pytest.mark.e2e
def test_cli_backup_of_a_store_a_running_server_holds_is_made_by_the_server(
    store: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "live-backup"
    with live_server(store) as base:
        answer = httpx.post(
            f"{base}/documents",
            json={"text": "About 300 patients were treated at the county clinic last week, "
                          "a spokesperson said.", "date_published": "2024-03-04"},
            timeout=180,
        )
        assert answer.status_code == 201, answer.text
        made = runner.invoke(app, ["backup", str(backup), "--store", str(store)])
        assert made.exit_code == 0, made.output
        again = runner.invoke(app, ["backup", str(backup), "--store", str(store)])
        assert again.exit_code == 2
        assert "already exists" in again.output
        assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200  # still serving
    assert documents(backup) == 3
    assert runner.invoke(app, ["check", "--store", str(backup)]).exit_code == 0


def test_cli_backup_of_a_store_held_by_a_process_that_takes_no_requests_is_one_line(
    store: Path, tmp_path: Path
) -> None:
    held = OxigraphStore(store)  # held, but nobody listens for backup requests
    try:
        result = runner.invoke(app, ["backup", str(tmp_path / "copy"), "--store", str(store)])
    finally:
        held.close()
    assert result.exit_code == 2
    assert "in use by a process that takes no backup requests" in result.output
