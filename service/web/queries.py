"""The SPARQL behind the web pages, kept apart from the routes (STYLE 9).

Every value that comes from a request (a document's IRI, an actor's IRI) is a variable here,
bound by `Store.select(..., bindings=...)` and projected, since Oxigraph only substitutes
projected variables. Substitution does not reach into subqueries, so none of these use one
for a bound variable.
"""

from __future__ import annotations

from service.read.queries import PREFIX_HEADER

__all__ = [
    "ACTOR",
    "ACTOR_STATEMENTS",
    "COMPARISONS",
    "COMPARISON_COUNT",
    "CORPUS_COUNTS",
    "DOCUMENT",
    "DOCUMENT_DATES",
    "DOCUMENT_MENTIONS",
    "DOCUMENT_QUANTITIES",
    "DOCUMENT_STATEMENTS",
    "RECENT_DOCUMENTS",
]

# Each count in its own subquery, so that no count multiplies another.
CORPUS_COUNTS = (
    PREFIX_HEADER
    + """
SELECT ?documents ?statements ?quantities ?dates ?actors WHERE {
  { SELECT (COUNT(DISTINCT ?d) AS ?documents) WHERE { GRAPH ?d { ?d a schema:NewsArticle } } }
  { SELECT (COUNT(DISTINCT ?s) AS ?statements) WHERE { GRAPH ?g1 { ?s a fg:Statement } } }
  { SELECT (COUNT(DISTINCT ?q) AS ?quantities) WHERE { GRAPH ?g2 { ?q a fg:QuantityClaim } } }
  { SELECT (COUNT(DISTINCT ?t) AS ?dates) WHERE { GRAPH ?g3 { ?t a fg:DateClaim } } }
  { SELECT (COUNT(DISTINCT ?a) AS ?actors) WHERE {
      GRAPH ?g4 { ?g4 a schema:NewsArticle . ?a a ?type }
      VALUES ?type { schema:Person schema:Organization schema:Place fg:Group }
  } }
}
"""
)

# ?analysis: the analysis graph's IRI, bound.
COMPARISON_COUNT = (
    PREFIX_HEADER
    + """
SELECT ?analysis (COUNT(DISTINCT ?comparison) AS ?comparisons) WHERE {
  GRAPH ?analysis { ?comparison fg:comparedClaim ?claim }
}
GROUP BY ?analysis
"""
)

RECENT_DOCUMENTS = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?document ?headline ?publisherName ?datePublished ?url ?excerpt WHERE {
  GRAPH ?document {
    ?document a schema:NewsArticle .
    OPTIONAL { ?document schema:headline ?headline }
    OPTIONAL { ?document schema:publisher/schema:name ?publisherName }
    OPTIONAL { ?document schema:datePublished ?datePublished }
    OPTIONAL { ?document schema:url ?url }
    OPTIONAL { ?document fg:text/nif:isString ?text }
  }
  BIND(SUBSTR(COALESCE(?text, ""), 1, 200) AS ?excerpt)
}
ORDER BY DESC(?datePublished) ?document
LIMIT 50
"""
)

# ?document bound: the article, its text and the run that extracted it.
DOCUMENT = (
    PREFIX_HEADER
    + """
SELECT ?document ?headline ?publisher ?publisherName ?datePublished ?url ?language ?text
       ?run ?started ?ended ?software ?softwareName ?version ?model ?modelVersion ?policy
WHERE {
  GRAPH ?document {
    ?document a schema:NewsArticle ; fg:text/nif:isString ?text .
    OPTIONAL { ?document schema:headline ?headline }
    OPTIONAL { ?document schema:publisher ?publisher
               OPTIONAL { ?publisher schema:name ?publisherName } }
    OPTIONAL { ?document schema:datePublished ?datePublished }
    OPTIONAL { ?document schema:url ?url }
    OPTIONAL { ?document schema:inLanguage ?language }
    OPTIONAL {
      ?run a prov:Activity ; prov:used ?document .
      OPTIONAL { ?run prov:startedAtTime ?started }
      OPTIONAL { ?run prov:endedAtTime ?ended }
      OPTIONAL { ?run fg:approximationPolicy ?policy }
      OPTIONAL {
        ?run prov:wasAssociatedWith ?software .
        OPTIONAL { ?software schema:name ?softwareName }
        OPTIONAL { ?software schema:softwareVersion ?version }
        OPTIONAL { ?software fg:spacyModel ?model }
        OPTIONAL { ?software fg:spacyModelVersion ?modelVersion }
      }
    }
  }
}
LIMIT 1
"""
)

_SENTENCE = """
    ?claim prov:wasDerivedFrom ?sentence .
    ?sentence nif:beginIndex ?sentenceBegin ; nif:endIndex ?sentenceEnd ;
              nif:anchorOf ?sentenceText .
    OPTIONAL { ?claim prov:wasGeneratedBy ?run }
"""

DOCUMENT_STATEMENTS = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?document ?claim ?begin ?end ?content ?cue ?type ?speaker ?speakerName
       ?speakerText ?nestedIn ?reportedBy ?reportedByName
       ?sentence ?sentenceBegin ?sentenceEnd ?sentenceText ?run
WHERE {
  GRAPH ?document {
    ?claim a fg:Statement ; fg:contentSpan ?span .
    ?span nif:beginIndex ?begin ; nif:endIndex ?end .
    OPTIONAL { ?claim fg:content ?content }
    OPTIONAL { ?claim fg:cue ?cue }
    OPTIONAL { ?claim fg:statementType ?type }
    OPTIONAL { ?claim fg:speaker ?speaker }
    OPTIONAL { ?claim fg:speakerMention/nif:anchorOf ?speakerText }
    OPTIONAL { ?claim fg:nestedIn ?nestedIn }
    OPTIONAL { ?claim fg:reportedBy ?reportedBy }
"""
    + _SENTENCE
    + """
  }
  OPTIONAL { ?speaker schema:name ?speakerName }
  OPTIONAL { ?reportedBy schema:name ?reportedByName }
}
ORDER BY ?begin ?claim
"""
)

DOCUMENT_QUANTITIES = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?document ?claim ?begin ?end ?mentionText ?value ?comparator ?hedge ?min ?max
       ?unit ?counted ?location ?locationName ?time ?timeStart ?timeEnd
       ?claimedBy ?claimedByName ?statement
       ?sentence ?sentenceBegin ?sentenceEnd ?sentenceText ?run
WHERE {
  GRAPH ?document {
    ?claim a fg:QuantityClaim ; fg:mention ?span .
    ?span nif:beginIndex ?begin ; nif:endIndex ?end .
    OPTIONAL { ?span nif:anchorOf ?mentionText }
    OPTIONAL { ?claim schema:value ?value }
    OPTIONAL { ?claim fg:comparator ?comparator }
    OPTIONAL { ?claim fg:hedge ?hedge }
    OPTIONAL { ?claim schema:minValue ?min }
    OPTIONAL { ?claim schema:maxValue ?max }
    OPTIONAL { ?claim schema:unitText ?unit }
    OPTIONAL { ?claim fg:counted ?counted }
    OPTIONAL { ?claim fg:location ?location }
    OPTIONAL { ?claim fg:time ?time }
    OPTIONAL { ?claim fg:timeStart ?timeStart }
    OPTIONAL { ?claim fg:timeEnd ?timeEnd }
    OPTIONAL { ?claim fg:claimedBy ?claimedBy }
    OPTIONAL { ?claim fg:statement ?statement }
"""
    + _SENTENCE
    + """
  }
  OPTIONAL { ?location schema:name ?locationName }
  OPTIONAL { ?claimedBy schema:name ?claimedByName }
}
ORDER BY ?begin ?claim
"""
)

DOCUMENT_DATES = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?document ?claim ?begin ?end ?mentionText ?event ?dateText ?earliest ?latest
       ?claimedBy ?claimedByName ?statement
       ?sentence ?sentenceBegin ?sentenceEnd ?sentenceText ?run
WHERE {
  GRAPH ?document {
    ?claim a fg:DateClaim ; fg:mention ?span .
    ?span nif:beginIndex ?begin ; nif:endIndex ?end .
    OPTIONAL { ?span nif:anchorOf ?mentionText }
    OPTIONAL { ?claim fg:event ?event }
    OPTIONAL { ?claim fg:dateText ?dateText }
    OPTIONAL { ?claim fg:earliest ?earliest }
    OPTIONAL { ?claim fg:latest ?latest }
    OPTIONAL { ?claim fg:claimedBy ?claimedBy }
    OPTIONAL { ?claim fg:statement ?statement }
"""
    + _SENTENCE
    + """
  }
  OPTIONAL { ?claimedBy schema:name ?claimedByName }
}
ORDER BY ?begin ?claim
"""
)

DOCUMENT_MENTIONS = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?document ?begin ?end ?actor ?name ?type WHERE {
  GRAPH ?document {
    ?mention itsrdf:taIdentRef ?actor ; nif:beginIndex ?begin ; nif:endIndex ?end .
  }
  OPTIONAL { ?actor schema:name ?name }
  OPTIONAL {
    ?actor a ?type
    VALUES ?type { schema:Person schema:Organization schema:Place fg:Group }
  }
}
ORDER BY ?begin
"""
)

# ?actor bound: how the registry and the documents describe the actor.
ACTOR = (
    PREFIX_HEADER
    + """
SELECT ?actor (SAMPLE(?name_) AS ?name) (SAMPLE(?type_) AS ?type)
       (SAMPLE(?description_) AS ?description)
       (GROUP_CONCAT(DISTINCT ?alias; SEPARATOR="\\u001f") AS ?aliases)
       (GROUP_CONCAT(DISTINCT STR(?same); SEPARATOR="\\u001f") AS ?sameAs)
WHERE {
  ?actor schema:name ?name_ .
  OPTIONAL {
    ?actor a ?type_
    VALUES ?type_ { schema:Person schema:Organization schema:Place fg:Group }
  }
  OPTIONAL { ?actor schema:description ?description_ }
  OPTIONAL { ?actor skos:altLabel ?alias }
  OPTIONAL { ?actor owl:sameAs ?same }
}
GROUP BY ?actor
"""
)

ACTOR_STATEMENTS = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?actor ?claim ?document ?content ?cue ?type ?headline ?outlet ?datePublished
       ?reportedByName ?sentenceBegin ?sentenceEnd
WHERE {
  GRAPH ?document {
    ?claim a fg:Statement ; fg:speaker ?actor .
    OPTIONAL { ?claim fg:content ?content }
    OPTIONAL { ?claim fg:cue ?cue }
    OPTIONAL { ?claim fg:statementType ?type }
    OPTIONAL { ?claim fg:reportedBy/schema:name ?reportedByName }
    OPTIONAL { ?claim prov:wasDerivedFrom ?sentence .
               ?sentence nif:beginIndex ?sentenceBegin ; nif:endIndex ?sentenceEnd }
    OPTIONAL { ?document schema:headline ?headline }
    OPTIONAL { ?document schema:publisher/schema:name ?outlet }
    OPTIONAL { ?document schema:datePublished ?datePublished }
  }
}
ORDER BY DESC(?datePublished) ?document ?sentenceBegin ?claim
"""
)

# ?analysis bound. One row per compared claim; the page groups them by ?comparison. The
# status may be an IRI or a literal; the page reads either.
COMPARISONS = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?analysis ?comparison ?status ?reason ?claim ?kind ?document ?outlet
       ?datePublished ?claimText ?whoName ?sentenceBegin ?sentenceEnd ?sentenceText
WHERE {
  GRAPH ?analysis {
    ?comparison fg:comparedClaim ?claim .
    OPTIONAL { ?comparison fg:status ?status }
    OPTIONAL { ?comparison fg:reason ?reason }
  }
  OPTIONAL {
    GRAPH ?document {
      ?claim schema:appearance ?document ; a ?kind .
      VALUES ?kind { fg:Statement fg:QuantityClaim fg:DateClaim }
      OPTIONAL { ?claim (fg:mention|fg:contentSpan)/nif:anchorOf ?claimText }
      OPTIONAL { ?claim (fg:speaker|fg:claimedBy)/schema:name ?whoName }
      OPTIONAL { ?claim prov:wasDerivedFrom ?sentence .
                 ?sentence nif:beginIndex ?sentenceBegin ; nif:endIndex ?sentenceEnd ;
                           nif:anchorOf ?sentenceText }
      OPTIONAL { ?document schema:publisher/schema:name ?outlet }
      OPTIONAL { ?document schema:datePublished ?datePublished }
    }
  }
}
ORDER BY ?comparison ?datePublished ?claim
"""
)
