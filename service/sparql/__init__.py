"""Every SPARQL text the service runs, as files in this folder, and how values reach them.

Queries are `.rq` files, updates `.ru` files, grouped by who runs them (`competency/`,
`read/`, `analysis/`, `store/`, ...). Each file is whole SPARQL with its own prefixes, so a
person can run it as it stands (`factgraph query @service/sparql/competency/cq1_...rq`).

Values reach a query in one of two ways, never by pasting a string into the text:

- a query's variables are bound by the engine: `Store.select(text, bindings)` (Oxigraph's
  `substitutions`; a remote store writes them as a `VALUES` row), or by `with_values` where
  the variable is inside a subquery, which substitutions do not reach; `with_rows` gives a
  query several rows of terms (the claims a first query picked);
- an update has no bindings in SPARQL 1.1, and pyoxigraph substitutes only the projected
  variables of a SELECT (a CONSTRUCT has none; a `VALUES` row does not reach into `UNION`
  branches), so updates and the few CONSTRUCTs that describe one node have `$name` slots,
  filled by `fill` with terms that pyoxigraph itself serialised (`ox.NamedNode`,
  `ox.Literal`, `DataBlock`); a plain string is refused. (The files use no SPARQL `$var`
  variables, only `?var`.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

__all__ = ["FOLDER", "DataBlock", "fill", "load", "with_base", "with_rows", "with_values"]

FOLDER = Path(__file__).resolve().parent
_SLOT = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


@cache
def load(name: str) -> str:
    """The text of `name` (a path under this folder, e.g. "read/documents.rq")."""
    path = (FOLDER / name).resolve()
    if path.suffix not in (".rq", ".ru") or FOLDER not in path.parents or not path.is_file():
        raise FileNotFoundError(f"no SPARQL file {name!r} under {FOLDER}")
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class DataBlock:
    """Triples for an `INSERT DATA` slot, written by pyoxigraph's N-Triples serialiser."""

    text: str

    @classmethod
    def of(cls, triples: Iterable[ox.Triple]) -> DataBlock:
        body = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""
        return cls(body.decode("utf-8"))


Slot = ox.NamedNode | ox.Literal | DataBlock


def fill(template: str, **slots: Slot) -> str:
    """An update template with each `$name` slot replaced by a term pyoxigraph wrote.

    Raises KeyError for a slot without a value and TypeError for a value that is not a term
    (a string could carry syntax; a term written by the engine's serialiser cannot).
    """
    for name, value in slots.items():
        if not isinstance(value, ox.NamedNode | ox.Literal | DataBlock):
            raise TypeError(f"slot ${name} takes an Oxigraph term, not {type(value).__name__}")

    def term(match: re.Match[str]) -> str:
        value = slots[match.group(1)]
        return value.text if isinstance(value, DataBlock) else str(value)

    # Comment lines (the files' own notes, which name their slots) are left as they are.
    return "".join(
        line if line.lstrip().startswith("#") else _SLOT.sub(term, line)
        for line in template.splitlines(keepends=True)
    )


def with_values(sparql: str, bindings: Mapping[str, str]) -> str:
    """The query with `VALUES (?a ?b) { (<x> "y") }` at the top of its WHERE block.

    For variables the engine's substitution cannot reach (inside subqueries), and to show a
    query as a user can run it. `bindings` holds N-Triples terms (`store.iri_term`,
    `store.literal_term`), which the engine parses as terms in the VALUES row.
    """
    if not bindings:
        return sparql
    match = _WHERE.search(sparql)
    if match is None:
        raise ValueError("the query has no WHERE block to bind values in")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(bindings.values())
    at = match.end()
    return f"{sparql[:at]}\n  VALUES ({names}) {{ ({terms}) }}{sparql[at:]}"


def with_rows(sparql: str, names: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """The query with `VALUES (?a ?b) { (<x> <y>) (<z> <w>) }` at the top of its WHERE block:
    one row per set of terms, such as the claims a first query picked, so a second reads
    those alone, in plain SPARQL 1.1 that a remote store runs too. The terms are N-Triples
    (`store.iri_term`, `store.literal_term`); a query given no rows matches nothing."""
    match = _WHERE.search(sparql)
    if match is None:
        raise ValueError("the query has no WHERE block to bind values in")
    lines = "".join(f"\n    ({' '.join(row)})" for row in rows)
    at = match.end()
    variables = " ".join(f"?{name}" for name in names)
    return f"{sparql[:at]}\n  VALUES ({variables}) {{{lines} }}{sparql[at:]}"


def with_base(sparql: str, base: ox.NamedNode) -> str:
    """The query or update with a `BASE` prologue: its relative IRIs resolve against `base`
    (an IRI pyoxigraph wrote), as the embedded store's `base_iri=` makes them."""
    if not isinstance(base, ox.NamedNode):
        raise TypeError(f"the base takes an Oxigraph NamedNode, not {type(base).__name__}")
    return f"BASE {base}\n{sparql}"
