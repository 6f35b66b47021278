"""The query editor's work: run a user's query through the store and shape it as a table.

The query runs as written through `Store.query` (the same engine and refusals as `/sparql`:
no updates, no SERVICE); nothing is pasted into it. Results are read back from the store's
own serialisations (SPARQL JSON, N-Triples), so the editor shows what a client would get.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pyoxigraph as ox

from service.sparql.text import is_update
from service.store import QueryError, QueryForm, Store
from service.web.links import ui_url

__all__ = ["DOWNLOADS", "MAX_ROWS", "Cell", "QueryView", "download", "run_query"]

MAX_ROWS = 1000  # rows shown on the page; downloads carry them all

# output= name -> (media type, file extension, label); which apply depends on the query form.
DOWNLOADS: dict[str, tuple[str, str, str]] = {
    "json": ("application/sparql-results+json", "srj", "JSON"),
    "xml": ("application/sparql-results+xml", "srx", "XML"),
    "csv": ("text/csv", "csv", "CSV"),
    "tsv": ("text/tab-separated-values", "tsv", "TSV"),
    "turtle": ("text/turtle", "ttl", "Turtle"),
    "ntriples": ("application/n-triples", "nt", "N-Triples"),
    "jsonld": ("application/ld+json", "jsonld", "JSON-LD"),
}
SOLUTION_OUTPUTS = ("json", "xml", "csv", "tsv")
GRAPH_OUTPUTS = ("turtle", "ntriples", "jsonld")


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    kind: str  # "uri", "literal", "bnode", "triple" or "" when unbound
    link: str | None = None  # a page of this UI that shows the IRI
    datatype: str | None = None
    lang: str | None = None


@dataclass(slots=True)
class QueryView:
    form: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    total: int = 0
    boolean: bool | None = None

    @property
    def outputs(self) -> tuple[str, ...]:
        graph = self.form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)
        return GRAPH_OUTPUTS if graph else SOLUTION_OUTPUTS


def _check(sparql: str) -> None:
    if not sparql.strip():
        raise QueryError("the query is empty")
    if is_update(sparql):
        raise QueryError(
            "updates are not accepted here; write a SELECT, ASK, CONSTRUCT or DESCRIBE query"
        )


def _json_cell(term: dict[str, str] | None) -> Cell:
    if term is None:
        return Cell("", "")
    kind = term.get("type", "literal")
    if kind == "typed-literal":
        kind = "literal"
    value = term.get("value", "")
    if kind == "uri":
        return Cell(value, "uri", ui_url(value))
    return Cell(value, kind, None, term.get("datatype"), term.get("xml:lang"))


def _term_cell(term: object) -> Cell:
    if isinstance(term, ox.NamedNode):
        return Cell(term.value, "uri", ui_url(term.value))
    if isinstance(term, ox.Literal):
        return Cell(term.value, "literal", None, term.datatype.value, term.language)
    if isinstance(term, ox.BlankNode):
        return Cell(str(term), "bnode")
    return Cell(str(term), "triple")


def run_query(store: Store, sparql: str) -> QueryView:
    """Run `sparql` and return its first MAX_ROWS rows; raises QueryError with the reason."""
    _check(sparql)
    result = store.query(sparql, ["application/sparql-results+json", "application/n-triples"])
    if result.form in (QueryForm.SELECT, QueryForm.ASK):
        data = json.loads(result.body)
        if "boolean" in data:
            return QueryView(form=result.form, boolean=bool(data["boolean"]))
        columns = list(data.get("head", {}).get("vars", []))
        bindings = data.get("results", {}).get("bindings", [])
        rows = [[_json_cell(b.get(c)) for c in columns] for b in bindings[:MAX_ROWS]]
        return QueryView(form=result.form, columns=columns, rows=rows, total=len(bindings))
    triples = list(ox.parse(result.body, ox.RdfFormat.N_TRIPLES))
    rows = [
        [_term_cell(t.subject), _term_cell(t.predicate), _term_cell(t.object)]
        for t in triples[:MAX_ROWS]
    ]
    return QueryView(
        form=result.form, columns=["subject", "predicate", "object"], rows=rows, total=len(triples)
    )


def download(store: Store, sparql: str, output: str) -> tuple[bytes, str, str]:
    """(body, media type, file name) of the whole result in the `output` format.

    Raises KeyError for an unknown output; the store raises UnsupportedFormatError when the
    format does not fit the query's form (a CSV of a CONSTRUCT).
    """
    media_type, extension, _ = DOWNLOADS[output]
    _check(sparql)
    result = store.query(sparql, [media_type])
    return result.body, result.media_type, f"factgraph-result.{extension}"
