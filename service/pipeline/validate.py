"""SHACL validation of one document's graph: the one place pySHACL is called.

Shapes and the ontology are parsed once, when the `Validator` is built; each call validates
only the document's own graph, so its cost stays flat as the store grows.

Speed: pySHACL hands each SHACL-SPARQL query to rdflib as a string, and rdflib parses it anew
every time (15-130 ms per parse, more than all the rest of a validation). `validate` therefore
runs pySHACL in place on a view of the caller's graph whose `query` parses each text once per
`Validator`. In place, pySHACL copies nothing and changes nothing: the shapes hold no rules and
no inference runs. The ontology is not mixed into every document (that clones the graph, 20 ms):
the shapes target the classes the graph builder asserts, so subclass axioms would add nothing,
and the Validator instead checks once that the shapes use only terms the ontology defines.

pySHACL flips rdflib globals while it runs, so calls are serialised by a lock.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyshacl
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.sparql.processor import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from service.rdf.vocab import FG, RDF, SH, bind_prefixes, new_graph

__all__ = ["ValidationReport", "ValidationResult", "Validator"]


_log = logging.getLogger(__name__)

# File suffixes `validate_file` reads, and rdflib's parser for each.
_FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".n3": "n3",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
}
_QUAD_FORMATS = {"nquads", "trig"}


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """One sh:ValidationResult, as plain strings for people and JSON."""

    focus_node: str | None
    path: str | None
    message: str | None
    severity: str | None
    value: str | None

    def to_json(self) -> dict[str, str | None]:
        return {
            "focus_node": self.focus_node,
            "path": self.path,
            "message": self.message,
            "severity": self.severity,
            "value": self.value,
        }


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Whether a graph conforms, and why not: pySHACL's text, the results, the report graph."""

    conforms: bool
    text: str
    results: tuple[ValidationResult, ...]
    turtle: str

    def to_json(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "results": [result.to_json() for result in self.results],
            "text": self.text,
        }


class _PreparedQueryGraph(Graph):
    """The caller's graph (same store, same triples) with each SPARQL text parsed only once."""

    def __init__(self, graph: Graph, cache: dict[str, Query]) -> None:
        super().__init__(store=graph.store, identifier=graph.identifier)
        self._cache = cache

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            prepared = self._cache.get(query_object)
            if prepared is None:
                prepared = prepareQuery(query_object, initNs=dict(self.namespaces()))
                self._cache[query_object] = prepared
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


def _term(node: Node | None) -> str | None:
    """IRIs and literals by their string value, as a client compares them."""
    return None if node is None else str(node)


def _path(report: Graph, node: Node | None) -> str | None:
    """A result path: a predicate as its IRI; a complex path in Turtle-ish form."""
    if node is None:
        return None
    return str(node) if isinstance(node, URIRef) else node.n3(report.namespace_manager)


def _results(report: Graph) -> tuple[ValidationResult, ...]:
    results = [
        ValidationResult(
            focus_node=_term(report.value(node, SH.focusNode)),
            path=_path(report, report.value(node, SH.resultPath)),
            message=_term(report.value(node, SH.resultMessage)),
            severity=_term(report.value(node, SH.resultSeverity)),
            value=_term(report.value(node, SH.value)),
        )
        for node in report.subjects(RDF.type, SH.ValidationResult)
    ]
    results.sort(key=lambda r: (r.focus_node or "", r.path or "", r.message or "", r.value or ""))
    return tuple(results)


def _flat(graph: Graph) -> Graph:
    """A plain graph: a dataset is validated as the union of its graphs."""
    if not graph.context_aware:
        return graph
    flat = new_graph()
    flat.addN((s, p, o, flat) for s, p, o, _ in graph.quads((None, None, None, None)))
    return flat


def _undefined_terms(shapes: Graph, ontology: Graph) -> list[str]:
    """fg: terms the shapes use that the ontology does not define."""
    prefix = str(FG._NS)
    used = {
        term
        for triple in shapes
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(prefix)
    }
    return sorted(str(term) for term in used if (term, None, None) not in ontology)


class Validator:
    """Shapes and ontology loaded once; `validate` checks one document graph against them."""

    def __init__(self, shapes_dir: Path, ontology_dir: Path) -> None:
        self.shapes = self._load(sorted(Path(shapes_dir).glob("*.ttl")), "shapes")
        # Only the vocabulary: the actor registry is data, not part of the model.
        self.ontology = self._load([Path(ontology_dir) / "factgraph.ttl"], "ontology")
        undefined = _undefined_terms(self.shapes, self.ontology)
        if undefined:
            raise ValueError(f"the shapes use fg: terms the ontology lacks: {', '.join(undefined)}")
        self._queries: dict[str, Query] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _load(paths: list[Path], what: str) -> Graph:
        if not paths or not all(path.is_file() for path in paths):
            raise ValueError(f"{what} not found: {', '.join(map(str, paths)) or 'no *.ttl files'}")
        graph = new_graph()
        for path in paths:
            graph.parse(path, format="turtle")
        return graph

    def validate(self, graph: Graph) -> ValidationReport:
        """Check one graph against the shapes; the graph itself is left as it was."""
        with self._lock:
            conforms, report_graph, text = pyshacl.validate(
                _PreparedQueryGraph(_flat(graph), self._queries),
                shacl_graph=self.shapes,
                ont_graph=None,  # see the module docstring
                inference="none",
                advanced=False,  # sh:sparql is core SHACL; SHACL-AF (rules, functions) unused
                inplace=True,  # no copy: nothing is added, as no rules or inference run
                abort_on_first=False,
                allow_infos=True,
                allow_warnings=True,
                do_owl_imports=False,
            )
        bind_prefixes(report_graph)
        return ValidationReport(
            conforms=bool(conforms),
            text=str(text),
            results=_results(report_graph),
            turtle=report_graph.serialize(format="turtle"),
        )

    def validate_file(self, path: Path) -> ValidationReport:
        """Check an RDF file (`factgraph validate FILE`); unreadable files raise ValueError."""
        path = Path(path)
        rdf_format = _FORMATS.get(path.suffix.lower())
        if rdf_format is None:
            known = ", ".join(sorted(_FORMATS))
            suffix = path.suffix or "(none)"
            raise ValueError(f"{path}: unknown RDF file type {suffix!r}; use one of {known}")
        if not path.is_file():
            raise ValueError(f"{path}: no such file")
        graph: Graph = Dataset() if rdf_format in _QUAD_FORMATS else new_graph()
        try:
            with self._lock:  # parsing must not overlap a validation (rdflib globals)
                graph.parse(path, format=rdf_format)
        except Exception as exc:  # rdflib raises many types; a person needs one line
            lines = str(exc).strip().splitlines()
            reason = lines[0] if lines else type(exc).__name__
            raise ValueError(f"{path}: not valid {rdf_format}: {reason}") from None
        return self.validate(graph)
