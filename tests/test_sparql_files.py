"""Every SPARQL text the service runs is a file under service/sparql/: each parses, each
speaks the project's prefixes, and values only reach one as terms the engine wrote."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from service.rdf.vocab import FG, prefixes
from service.sparql import FOLDER, DataBlock, fill, load, with_rows, with_values

FILES = sorted(p.relative_to(FOLDER).as_posix() for p in FOLDER.rglob("*.r[qu]"))
_PREFIX = re.compile(r"^PREFIX\s+(\w*):\s*<([^>]*)>", re.MULTILINE)
_SLOT = re.compile(r"\$(\w+)")


def _filled(name: str) -> str:
    """The file with a sample term in each of its slots (comments name slots too: skipped)."""
    text = load(name)
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    slots = {
        slot: DataBlock('<http://example.org/s> <http://example.org/p> "o" .\n')
        if slot == "data"
        else ox.NamedNode(f"http://example.org/{slot}")
        for slot in _SLOT.findall(code)
    }
    return fill(text, **slots)


def test_sparql_files_are_all_there() -> None:
    folders = {name.split("/")[0] for name in FILES}
    assert {"competency", "read", "analysis", "describe", "claimreview", "evaluation"} <= folders


def _unbound(*_: object) -> None:
    """An extension function that answers nothing (on an empty store, it is never called)."""


@pytest.mark.parametrize("name", FILES)
def test_sparql_file_parses_as_what_its_suffix_says(name: str) -> None:
    store = ox.Store()
    if name.endswith(".ru"):
        store.update(_filled(name))  # an empty store: parsing is what is checked
    else:  # with the service's extension functions, as the store registers them
        store.query(_filled(name), custom_functions={ox.NamedNode(FG.textScore): _unbound})


@pytest.mark.parametrize("name", FILES)
def test_sparql_file_prefixes_are_the_vocabularys(name: str) -> None:
    known = prefixes()
    for prefix, iri in _PREFIX.findall(load(name)):
        assert known.get(prefix) == iri, f"{name}: PREFIX {prefix}: <{iri}>"


def test_sparql_fill_takes_only_terms_the_engine_wrote() -> None:
    template = "DELETE WHERE { GRAPH $graph { ?s ?p ?o } }"
    with pytest.raises(TypeError, match="Oxigraph term"):
        fill(template, graph="<http://example.org/g> } } ; DROP ALL ; #")  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        fill(template)
    assert fill(template, graph=ox.NamedNode("http://example.org/g")) == (
        "DELETE WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }"
    )


def test_sparql_load_refuses_paths_outside_the_folder() -> None:
    with pytest.raises(FileNotFoundError):
        load("../settings.py")
    with pytest.raises(FileNotFoundError):
        load("read/no_such_query.rq")


def test_sparql_with_values_binds_as_a_values_row_the_engine_reads() -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x")))
    text = "SELECT ?s ?o WHERE { ?s <http://e/p> ?o }"
    bound = with_values(text, {"s": "<http://e/a>"})
    assert "VALUES (?s) { (<http://e/a>) }" in bound
    assert [row["o"].value for row in store.query(bound)] == ["x"]  # type: ignore[index]


def test_sparql_with_rows_reads_only_the_rows_given() -> None:
    store = ox.Store()
    for name in ("a", "b", "c"):
        store.add(ox.Quad(ox.NamedNode(f"http://e/{name}"), ox.NamedNode("http://e/p"),
                          ox.Literal(name)))
    text = "SELECT ?s ?o WHERE { ?s <http://e/p> ?o }"
    bound = with_rows(text, ("s",), [("<http://e/a>",), ("<http://e/c>",)])
    assert sorted(row["o"].value for row in store.query(bound)) == ["a", "c"]  # type: ignore[index]
    assert list(store.query(with_rows(text, ("s",), []))) == []  # type: ignore[arg-type]


def test_no_python_module_of_the_service_holds_a_query() -> None:
    """SPARQL lives in .rq/.ru files: no string literal in a module opens with a query form."""
    form = r"\s*(?:SELECT|CONSTRUCT|ASK|DESCRIBE)\s+[?*({]"
    opening = re.compile(rf"[\"'](?:PREFIX\s+\w*:\s*<|{form})")
    service = Path(FOLDER).parent
    offenders = [
        f"{path.relative_to(service)}:{n}"
        for path in sorted(service.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if opening.search(line)
    ]
    assert offenders == []
