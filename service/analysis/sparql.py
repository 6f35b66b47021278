"""The SPARQL of claim comparison: reading claims by key, and replacing a document's comparisons.

Reads pass every value as a binding (the engine substitutes it; the variable is projected, as
pyoxigraph requires). Updates cannot take bindings, so they are written only from terms that
pyoxigraph itself serialised (`str(NamedNode)`, `str(Literal)`, N-Triples): nothing is pasted.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from service.rdf.vocab import FG
from service.read.queries import PREFIX_HEADER

__all__ = [
    "CANDIDATE_DATES",
    "CANDIDATE_QUANTITIES",
    "DOCUMENT_DATES",
    "DOCUMENT_QUANTITIES",
    "LIST_COMPARISONS",
    "REFINING_QUANTITIES",
    "comparisons_scope",
    "delete_document_update",
    "replace_comparisons_update",
]

_QUANTITY = """
  GRAPH ?document {
    ?claim a fg:QuantityClaim ; fg:countedKey ?key ; schema:value ?value ;
        fg:comparator ?comparator .
    OPTIONAL { ?claim schema:minValue ?min }
    OPTIONAL { ?claim schema:maxValue ?max }
    OPTIONAL { ?claim schema:unitText ?unit }
    OPTIONAL { ?claim fg:location ?location OPTIONAL { ?location schema:name ?locationName } }
    OPTIONAL { ?claim fg:time ?time }
    OPTIONAL { ?claim fg:timeStart ?timeStart }
    OPTIONAL { ?claim fg:timeEnd ?timeEnd }
    OPTIONAL { ?claim fg:mention/nif:anchorOf ?mention }
  }
"""
_QUANTITY_VARS = (
    "?document ?claim ?key ?value ?comparator ?min ?max ?unit ?location ?locationName ?time "
    "?timeStart ?timeEnd ?mention"
)

_DATE = """
  GRAPH ?document {
    ?claim a fg:DateClaim ; fg:eventKey ?key ; fg:earliest ?earliest ; fg:latest ?latest .
    OPTIONAL { ?claim fg:dateText ?dateText }
  }
"""
_DATE_VARS = "?document ?claim ?key ?earliest ?latest ?dateText"

# A document's own claims (?document bound).
DOCUMENT_QUANTITIES = PREFIX_HEADER + f"SELECT {_QUANTITY_VARS} WHERE {{{_QUANTITY}}}"
DOCUMENT_DATES = PREFIX_HEADER + f"SELECT {_DATE_VARS} WHERE {{{_DATE}}}"

# Candidates read for one key: the most recently published first, and no more than this, so
# comparing a document costs the same whether 10 or 10,000 articles count the same thing.
# The newest are picked from the key's index entries alone; LATERAL then reads the details of
# those few claims only (joined first, Oxigraph would read every claim's details, then sort).
MAX_CANDIDATES = 60


def _newest(claims: str, details: str, variables: str, key: str = "?key") -> str:
    return f"""
SELECT {variables} WHERE {{
  {{ SELECT {key} ?document ?claim WHERE {{
      {claims}
      OPTIONAL {{ GRAPH ?document {{ ?document schema:datePublished ?published }} }}
    }}
    ORDER BY DESC(?published) ?claim
    LIMIT {MAX_CANDIDATES} }}
  LATERAL {{ {details} }}
}}"""


# Claims of any document with exactly this key (?key bound): an index lookup on the key.
CANDIDATE_QUANTITIES = PREFIX_HEADER + _newest(
    "GRAPH ?document { ?claim fg:countedKey ?key }", _QUANTITY, _QUANTITY_VARS
)
CANDIDATE_DATES = PREFIX_HEADER + _newest(
    "GRAPH ?document { ?claim fg:eventKey ?key }", _DATE, _DATE_VARS
)

# Claims whose key refines this one (?suffix bound to "-troop" finds "us-troop"): one pass
# over the distinct counted keys, the claims' details read only for the newest matches.
REFINING_QUANTITIES = PREFIX_HEADER + _newest(
    """{ SELECT DISTINCT ?suffix ?key WHERE {
        GRAPH ?any { ?anyClaim fg:countedKey ?key } FILTER(STRENDS(?key, ?suffix))
      } }
      GRAPH ?document { ?claim fg:countedKey ?key }""",
    _QUANTITY,
    f"?suffix {_QUANTITY_VARS}",
    key="?suffix ?key",
)


# Every comparison (?analysis bound; ?status bound to filter), one row per side.
LIST_COMPARISONS = (
    PREFIX_HEADER
    + """
SELECT ?analysis ?status ?comparison ?reason ?claim ?document ?publisher ?datePublished
       ?kind ?key ?mention ?sentence ?sentenceText ?begin ?end
       ?value ?comparator ?min ?max ?unit ?time ?timeStart ?timeEnd ?locationName
       ?earliest ?latest ?dateText ?claimant ?run ?endedAt
WHERE {
  GRAPH ?analysis {
    ?comparison a fg:ClaimComparison ; fg:status ?status ; fg:reason ?reason ;
        fg:comparedClaim ?claim .
    OPTIONAL { ?comparison prov:wasGeneratedBy ?run OPTIONAL { ?run prov:endedAtTime ?endedAt } }
  }
  GRAPH ?document {
    ?claim a ?kind ; schema:appearance ?document ; prov:wasDerivedFrom ?sentence .
    ?sentence nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?sentenceText .
    OPTIONAL { ?document schema:publisher/schema:name ?publisher }
    OPTIONAL { ?document schema:datePublished ?datePublished }
    OPTIONAL { ?claim fg:mention/nif:anchorOf ?mention }
    OPTIONAL { ?claim fg:claimedBy/schema:name ?claimant }
    OPTIONAL { ?claim fg:countedKey ?key }
    OPTIONAL { ?claim fg:eventKey ?key }
    OPTIONAL { ?claim schema:value ?value ; fg:comparator ?comparator }
    OPTIONAL { ?claim schema:minValue ?min }
    OPTIONAL { ?claim schema:maxValue ?max }
    OPTIONAL { ?claim schema:unitText ?unit }
    OPTIONAL { ?claim fg:time ?time }
    OPTIONAL { ?claim fg:timeStart ?timeStart }
    OPTIONAL { ?claim fg:timeEnd ?timeEnd }
    OPTIONAL { ?claim fg:location/schema:name ?locationName }
    OPTIONAL { ?claim fg:earliest ?earliest ; fg:latest ?latest }
    OPTIONAL { ?claim fg:dateText ?dateText }
  }
  FILTER(?kind IN (fg:QuantityClaim, fg:DateClaim))
}
ORDER BY ?comparison ?claim
"""
)


def _touching(analysis: ox.NamedNode, document: ox.NamedNode) -> str:
    """Delete every comparison of a claim of this document: an index lookup on the document,
    whatever the number of comparisons stored."""
    return f"""DELETE {{ GRAPH {analysis} {{ ?comparison ?p ?o }} }}
WHERE {{
  GRAPH {analysis} {{ ?comparison fg:comparedDocument {document} ; ?p ?o }}
}}"""


def _drop_run(analysis: ox.NamedNode, run: ox.NamedNode) -> str:
    return f"DELETE WHERE {{ GRAPH {analysis} {{ {run} ?p ?o }} }}"


def comparisons_scope(
    analysis_iri: str, document_iri: str, run_iri: str, agent_iri: str, *, graph: bool = False
) -> str:
    """Every quad that replacing or deleting a document's comparisons can touch: its
    comparisons, its run, the software agent, and with `graph` the document's own graph
    (the pattern the store counts before and after, to keep its quad count exact)."""
    analysis, document = ox.NamedNode(analysis_iri), ox.NamedNode(document_iri)
    run, agent = ox.NamedNode(run_iri), ox.NamedNode(agent_iri)
    compared = ox.NamedNode(str(FG.comparedDocument))
    return (
        f"{{ GRAPH {analysis} {{ ?comparison {compared} {document} ; ?p ?o }} }} "
        f"UNION {{ GRAPH {analysis} {{ {run} ?p ?o }} }} "
        f"UNION {{ GRAPH {analysis} {{ {agent} ?p ?o }} }}"
        + (f" UNION {{ GRAPH {document} {{ ?s ?p ?o }} }}" if graph else "")
    )


def replace_comparisons_update(
    analysis_iri: str, document_iri: str, run_iri: str, triples: Iterable[ox.Triple]
) -> str:
    """One UPDATE request (one transaction): the document's old comparisons and run out,
    the new ones in."""
    analysis, run = ox.NamedNode(analysis_iri), ox.NamedNode(run_iri)
    body = (ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    return (
        PREFIX_HEADER
        + _touching(analysis, ox.NamedNode(document_iri))
        + " ;\n"
        + _drop_run(analysis, run)
        + " ;\n"
        + f"INSERT DATA {{ GRAPH {analysis} {{\n{body}}} }}"
    )


def delete_document_update(analysis_iri: str, document_iri: str, run_iri: str) -> str:
    """One UPDATE request: the document's graph, its comparisons and its run, all gone."""
    analysis, run, document = (
        ox.NamedNode(analysis_iri),
        ox.NamedNode(run_iri),
        ox.NamedNode(document_iri),
    )
    return (
        PREFIX_HEADER
        + f"DROP SILENT GRAPH {document} ;\n"
        + _touching(analysis, document)
        + " ;\n"
        + _drop_run(analysis, run)
    )
