"""SHACL in a worker process: the same reports as in process, and no document left unchecked."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from rdflib import Graph

from service.bootstrap import configured
from service.pipeline.validate import DocumentGraph, Validator, ValidatorProcess

settings = configured()

GRAPH = """
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX fg: <https://w3id.org/factgraph/ns#>
<http://ex.org/d/text> a nif:Context ; nif:isString "Reuters said so." ; nif:beginIndex 0 ;
    nif:endIndex 16 .
<http://ex.org/d/text#char=8,12> a nif:Sentence ; fg:sentenceIndex 0 ;
    nif:referenceContext <http://ex.org/d/text> ; nif:beginIndex 8 ; nif:endIndex 12 ;
    nif:anchorOf "said" .
"""


@pytest.fixture(scope="module")
def worker() -> Iterator[ValidatorProcess]:
    process = ValidatorProcess(settings.shapes_dir, settings.ontology_dir)
    yield process
    process.close()


@pytest.mark.parametrize(("anchor", "conforms"), [("said", True), ("says", False)])
def test_validate_process_reports_as_the_in_process_validator_does(
    worker: ValidatorProcess, anchor: str, conforms: bool
) -> None:
    graph = Graph().parse(data=GRAPH.replace('"said"', f'"{anchor}"'), format="turtle")
    data = graph.serialize(format="nt", encoding="utf-8")
    in_process = Validator(settings.shapes_dir, settings.ontology_dir).validate(graph)
    in_worker = worker.submit(DocumentGraph(graph, data)).result(timeout=120)
    assert in_worker.conforms is in_process.conforms is conforms
    assert [r.message for r in in_worker.results] == [r.message for r in in_process.results]


def test_validate_process_without_a_worker_still_validates_every_document() -> None:
    """A program read from stdin cannot start a "spawn" worker; validation falls back."""
    program = f"""
from rdflib import Graph
from service.settings import Settings
settings = Settings()
from service.pipeline.validate import DocumentGraph, ValidatorProcess
graph = Graph().parse(data='''{GRAPH.replace('"said"', '"says"')}''', format="turtle")
process = ValidatorProcess(settings.shapes_dir, settings.ontology_dir)
data = graph.serialize(format="nt", encoding="utf-8")
report = process.submit(DocumentGraph(graph, data)).result(120)
process.close()
print("conforms", report.conforms)
"""
    done = subprocess.run(
        [sys.executable, "-"], input=program, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "conforms False" in done.stdout
    assert "validating in this process" in done.stderr
