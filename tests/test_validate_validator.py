"""The Validator: the report it returns, the files it reads, and what it leaves alone."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from service.bootstrap import configured
from service.pipeline.validate import ValidationReport, Validator
from service.rdf.vocab import RDF, SH

settings = configured()

GOOD = """
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
<http://ex.org/d/text> a nif:Context ; nif:isString "Reuters said so." ;
    nif:beginIndex "0"^^xsd:nonNegativeInteger ; nif:endIndex "16"^^xsd:nonNegativeInteger .
<http://ex.org/d/text#char=8,12> a nif:Sentence ;
    <https://w3id.org/factgraph/ns#sentenceIndex> 0 ;
    nif:referenceContext <http://ex.org/d/text> ;
    nif:beginIndex "8"^^xsd:nonNegativeInteger ; nif:endIndex "12"^^xsd:nonNegativeInteger ;
    nif:anchorOf "said" .
"""
BAD = GOOD.replace('nif:anchorOf "said"', 'nif:anchorOf "says"')
SPAN = "http://ex.org/d/text#char=8,12"


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(settings.shapes_dir, settings.ontology_dir)


def _graph(turtle: str) -> Graph:
    return Graph().parse(data=turtle, format="turtle")


def test_validate_conforming_report_is_empty(validator: Validator) -> None:
    report = validator.validate(_graph(GOOD))
    assert report.conforms
    assert report.results == ()
    assert "Conforms: True" in report.text
    assert json.loads(json.dumps(report.to_json()))["conforms"] is True


def test_validate_failing_report_names_node_value_and_reason(validator: Validator) -> None:
    report = validator.validate(_graph(BAD))
    assert not report.conforms
    [result] = report.results
    assert result.focus_node == "http://ex.org/d/text"
    assert result.value == SPAN
    assert result.severity == str(SH.Violation)
    assert result.message is not None
    assert '"says" is not the text there, "said"' in result.message
    data = report.to_json()
    assert data["conforms"] is False
    assert data["results"][0]["value"] == SPAN
    assert "Conforms: False" in data["text"]
    report_graph = Graph().parse(data=report.turtle, format="turtle")
    assert len(list(report_graph.subjects(RDF.type, SH.ValidationResult))) == 1


def test_validate_result_path_is_the_property_iri(validator: Validator) -> None:
    report = validator.validate(_graph(GOOD.replace('nif:anchorOf "said" .', ".")))
    assert not report.conforms
    paths = {result.path for result in report.results}
    assert "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf" in paths


def test_validate_leaves_the_graph_unchanged(validator: Validator) -> None:
    graph = _graph(BAD)
    before = Graph()
    before += graph
    validator.validate(graph)
    assert len(graph) == len(before)
    assert isomorphic(graph, before)


def test_validate_parses_each_sparql_text_once(validator: Validator) -> None:
    """The SHACL-SPARQL query is prepared once per Validator, not once per document."""
    validator.validate(_graph(GOOD))
    prepared = dict(validator._queries)
    assert prepared
    validator.validate(_graph(BAD))
    assert validator._queries.keys() == prepared.keys()
    assert all(validator._queries[k] is prepared[k] for k in prepared)


def test_validate_same_answers_from_many_threads(validator: Validator) -> None:
    graphs = [_graph(GOOD if n % 2 else BAD) for n in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(validator.validate, graphs))
    assert [r.conforms for r in reports] == [bool(n % 2) for n in range(8)]


def test_validate_graph_read_back_from_oxigraph_conforms(validator: Validator) -> None:
    """Oxigraph stores xsd:nonNegativeInteger as xsd:integer; an export must still conform."""
    store = pyoxigraph.Store()
    store.load(_graph(GOOD).serialize(format="nt").encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    nt = pyoxigraph.RdfFormat.N_TRIPLES
    exported = store.dump(format=nt, from_graph=pyoxigraph.DefaultGraph())
    assert b"XMLSchema#integer" in exported
    assert validator.validate(Graph().parse(data=exported, format="nt")).conforms


def test_validate_file_turtle(validator: Validator, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(BAD, encoding="utf-8")
    assert validator.validate_file(good).conforms
    assert not validator.validate_file(bad).conforms


def test_validate_file_trig_is_checked_as_the_union_of_its_graphs(
    validator: Validator, tmp_path: Path
) -> None:
    prefixes, body = BAD.split("<http://ex.org/d/text> a", 1)
    path = tmp_path / "doc.trig"
    path.write_text(f"{prefixes}<http://ex.org/d> {{ <http://ex.org/d/text> a{body} }}", "utf-8")
    report = validator.validate_file(path)
    assert not report.conforms
    assert report.results[0].value == SPAN


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("doc.csv", "a,b\n", "unknown RDF file type '.csv'"),
        ("noext", GOOD, "unknown RDF file type '(none)'"),
        ("broken.ttl", "<http://ex.org/a> <http://ex.org/b> .\n", "not valid turtle"),
    ],
)
def test_validate_file_refuses_with_one_line(
    validator: Validator, tmp_path: Path, name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(expected)) as info:
        validator.validate_file(path)
    assert "\n" not in str(info.value)
    assert str(path) in str(info.value)


def test_validate_file_missing(validator: Validator, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such file"):
        validator.validate_file(tmp_path / "absent.ttl")


def test_validator_refuses_shapes_with_terms_the_ontology_lacks(tmp_path: Path) -> None:
    (tmp_path / "shapes.ttl").write_text(
        "PREFIX sh: <http://www.w3.org/ns/shacl#>\n"
        "PREFIX fg: <https://w3id.org/factgraph/ns#>\n"
        "fg:S a sh:NodeShape ; sh:targetClass fg:Rumour .\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"ns#Rumour"):
        Validator(tmp_path, settings.ontology_dir)


def test_validator_refuses_a_folder_without_shapes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="shapes not found"):
        Validator(tmp_path, settings.ontology_dir)


def test_validation_report_is_a_frozen_value() -> None:
    report = ValidationReport(conforms=True, text="", results=(), turtle="")
    with pytest.raises(AttributeError):
        report.conforms = False  # type: ignore[misc]
