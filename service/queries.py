"""The SPARQL the service runs for its own routes, and how it reads the first word of a client's.

Routes hold no SPARQL text: they name a query here and pass user values as bindings
(`Store.select(..., bindings=...)`), which the engine substitutes; nothing is pasted in.
Namespaces come from `service.rdf.vocab`, so no IRI of a vocabulary is spelled twice.
"""

from __future__ import annotations

import re

from service.rdf.vocab import FG, ITSRDF, NIF, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

__all__ = [
    "LIST_DOCUMENTS",
    "PREFIXES",
    "PREFIX_HEADER",
    "UPDATE_KEYWORDS",
    "is_update",
    "sparql_keyword",
]

# Prefix -> namespace IRI, for query headers and for pretty Turtle/TriG output.
PREFIXES: dict[str, str] = {
    "fg": str(FG._NS),
    "schema": str(SDO),
    "prov": str(PROV),
    "nif": str(NIF),
    "itsrdf": str(ITSRDF),
    "skos": str(SKOS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}

PREFIX_HEADER = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())

# One row per stored document: each lives in the named graph named by its own IRI. The counts
# are grouped once per document in subqueries, so statements x quantities never multiply rows.
LIST_DOCUMENTS = PREFIX_HEADER + """
SELECT ?document
       (SAMPLE(?headline_) AS ?headline)
       (SAMPLE(?publisher_) AS ?publisher)
       (SAMPLE(?datePublished_) AS ?datePublished)
       (SAMPLE(?url_) AS ?url)
       (SAMPLE(?statements_) AS ?statements)
       (SAMPLE(?quantities_) AS ?quantities)
WHERE {
  GRAPH ?document { ?document a schema:NewsArticle }
  OPTIONAL { ?document schema:headline ?headline_ }
  OPTIONAL { ?document schema:publisher/schema:name ?publisher_ }
  OPTIONAL { ?document schema:datePublished ?datePublished_ }
  OPTIONAL { ?document schema:url ?url_ }
  OPTIONAL {
    SELECT ?document (COUNT(DISTINCT ?statement) AS ?statementCount) WHERE {
      GRAPH ?document { ?statement a fg:Statement ; schema:appearance ?document }
    } GROUP BY ?document
  }
  OPTIONAL {
    SELECT ?document (COUNT(DISTINCT ?quantity) AS ?quantityCount) WHERE {
      GRAPH ?document { ?quantity a fg:QuantityClaim ; schema:appearance ?document }
    } GROUP BY ?document
  }
  BIND(COALESCE(?statementCount, 0) AS ?statements_)
  BIND(COALESCE(?quantityCount, 0) AS ?quantities_)
}
GROUP BY ?document
ORDER BY DESC(?datePublished) ?document
"""

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

# The prologue: blanks, comments, BASE and PREFIX declarations, in any order.
_PROLOGUE = re.compile(
    r"""(?: \s+
          | \#[^\n]*
          | BASE \s* <[^>]*>
          | PREFIX \s+ [^\s:]* : \s* <[^>]*>
        )*""",
    re.IGNORECASE | re.VERBOSE,
)
_WORD = re.compile(r"[A-Za-z]+")


def sparql_keyword(sparql: str) -> str | None:
    """The first keyword after the prologue (SELECT, CONSTRUCT, INSERT...), upper-cased.

    A cheap look at the text, not a parse: enough to tell a query's form and to refuse an
    update with a message that says so, while the engine's parser stays the judge of syntax.
    """
    start = _PROLOGUE.match(sparql)
    word = _WORD.match(sparql, start.end() if start else 0)
    return word.group(0).upper() if word else None


def is_update(sparql: str) -> bool:
    """True when the text reads as a SPARQL Update (INSERT, DELETE, LOAD, DROP...)."""
    return sparql_keyword(sparql) in UPDATE_KEYWORDS
