"""The SPARQL the service runs for its own routes.

Routes hold no SPARQL text: they name a query here and pass user values as bindings
(`Store.select(..., bindings=...)`), which the engine substitutes; nothing is pasted in.
Namespaces come from `service.rdf.vocab`, so no IRI of a vocabulary is spelled twice.
"""

from __future__ import annotations

from service.rdf.vocab import FG, ITSRDF, NIF, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

__all__ = [
    "LIST_DOCUMENTS",
    "PREFIXES",
    "PREFIX_HEADER",
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
