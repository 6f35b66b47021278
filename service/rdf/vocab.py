"""The RDF terms of factgraph, in one place: the fg: namespace and the standard ones it uses.

Every IRI the code writes comes from here; nothing else spells a namespace as a string.
"""
# The fg: term names are the IRIs' local names, so they keep the vocabulary's camelCase.
# ruff: noqa: N815

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
)

__all__ = [
    "DCTERMS",
    "ENTAILMENT",
    "FG",
    "FORMATS",
    "ITSRDF",
    "NIF",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SD",
    "SDO",
    "SH",
    "SKOS",
    "VOID",
    "WD",
    "XSD",
    "bind_prefixes",
    "new_graph",
    "prefixes",
    "sparql_prologue",
]


class FG(DefinedNamespace):
    """The factgraph vocabulary (ontology/factgraph.ttl is its documented form)."""

    _fail = True
    _NS = Namespace("https://w3id.org/factgraph/ns#")

    # classes
    Statement: URIRef  # one source-cue-content attribution (PARC)
    QuantityClaim: URIRef  # a number that is a claim about the world
    DateClaim: URIRef  # an event and when it happened, as a claim
    Group: URIRef  # an unnamed collective source ("five US officials")
    NamelessSource: URIRef  # a source its document does not name; minted under that document
    StatementType: URIRef  # the kinds of speech reporting
    Comparator: URIRef  # how a stated number bounds the true one
    QuantityNature: URIRef  # what kind of number a quantity is: stock, flow or change
    Extractor: URIRef  # the software that made a graph
    # statement types
    Direct: URIRef  # the whole content in quotation marks
    Indirect: URIRef  # paraphrase without quotation marks
    Mixed: URIRef  # paraphrase with quoted fragments
    # comparators
    equal: URIRef
    approximately: URIRef
    greaterThan: URIRef
    greaterOrEqual: URIRef
    lessThan: URIRef
    lessOrEqual: URIRef
    range: URIRef
    # quantity natures
    Stock: URIRef  # a total at a time or of one event ("2,500 troops", "three were killed")
    Flow: URIRef  # a rate per period ("300 megawatts a year")
    Change: URIRef  # a difference ("rose by 5 percent")
    # document properties
    text: URIRef  # the document's nif:Context
    contentHash: URIRef  # sha256 hex of the text
    sentenceIndex: URIRef  # 0-based position of a sentence
    # statement properties
    speaker: URIRef  # the actor who made the statement, resolved
    speakerMention: URIRef  # the span naming the speaker, as written
    speakerUnresolved: URIRef  # true when the speaker could not be resolved to an actor
    cue: URIRef  # the attribution cue as written
    cueSpan: URIRef  # the span of the cue
    content: URIRef  # the content as written
    contentSpan: URIRef  # the span of the content
    statementType: URIRef  # fg:Direct, fg:Indirect or fg:Mixed
    nestedIn: URIRef  # the outer statement that reports this one
    reportedBy: URIRef  # the publisher that reported the statement
    # actor properties
    memberOf: URIRef  # what a nameless source belongs to ("US officials": the United States)
    # quantity properties
    comparator: URIRef  # one of the fg comparators
    hedge: URIRef  # the hedge words as written
    counted: URIRef  # what is counted, as written
    countedKey: URIRef  # normalised key of what is counted, for matching
    location: URIRef  # the place actor a claim is about
    time: URIRef  # the time qualifier as written
    timeStart: URIRef  # start of the time qualifier, resolved
    timeEnd: URIRef  # end of the time qualifier, resolved
    mention: URIRef  # the span of the claim as written
    claimedBy: URIRef  # who claims it: the statement's speaker, else the publisher
    statement: URIRef  # the statement a claim stands in
    predicate: URIRef  # the verb or event noun a quantity is the count of, as written
    predicateKey: URIRef  # normalised "[participant/]class" of the predicate, for matching
    nature: URIRef  # fg:Stock, fg:Flow or fg:Change
    # date (and quantity) claim properties
    event: URIRef  # the event as written
    eventKey: URIRef  # normalised key of the event, for matching across documents
    dateText: URIRef  # the date as written
    earliest: URIRef  # earliest date the claim allows
    latest: URIRef  # latest date the claim allows
    # extraction run properties
    spacyModel: URIRef  # name of the spaCy model used
    spacyModelVersion: URIRef  # version of the spaCy model used
    approximationPolicy: URIRef  # how "roughly N" is read into an interval
    # claim comparisons (the analysis graph)
    ClaimComparison: URIRef  # two claims of different documents, compared
    ComparisonStatus: URIRef  # the outcomes of a comparison
    Conflict: URIRef  # same thing, intervals do not overlap
    Corroboration: URIRef  # same thing, intervals overlap
    Related: URIRef  # about the same thing but not comparable (place, period, unit)
    status: URIRef  # the outcome of a comparison
    reason: URIRef  # why, in one sentence
    comparedClaim: URIRef  # one of the two claims compared
    comparedDocument: URIRef  # a document one of the compared claims appears in
    # ClaimReview properties
    reviews: URIRef  # a ClaimReview is about this stored claim (found by matching)
    # syndication: one text, several appearances; near-copies of a text
    firstPublication: URIRef  # the earliest known appearance (schema:PublicationEvent) of a text
    recordedAt: URIRef  # when factgraph first received an appearance
    shingleBand: URIRef  # a MinHash LSH band key of the text: shared keys mark candidate copies
    TextReuse: URIRef  # one document's text is a near-copy of another's
    copy: URIRef  # the later text of a text reuse
    original: URIRef  # the earlier text of a text reuse
    # scored links: review-to-claim links and text reuse carry how they were found
    score: URIRef  # 0..1, how strongly the method found the link
    method: URIRef  # how the link was found, in words a person can check
    ReviewLink: URIRef  # a ClaimReview linked to the stored claim it reviews
    linkedReview: URIRef  # the ClaimReview of a review link
    linkedClaim: URIRef  # the claim of a review link
    # people judge the machine
    Judgement: URIRef  # a reviewer's confirmation or rejection of a review link or a comparison
    Verdict: URIRef  # the outcomes of a judgement
    Confirmed: URIRef  # the reviewer says the machine's link or comparison is right
    Rejected: URIRef  # the reviewer says it is wrong
    judged: URIRef  # the review link or claim comparison judged
    verdict: URIRef  # fg:Confirmed or fg:Rejected
    # sources: the web page a text was extracted from, and texts stored without claims
    RawPage: URIRef  # the page as received, kept beside the text extracted from it
    rawHash: URIRef  # sha256 hex of the page's bytes
    fetchedFrom: URIRef  # the address the page's bytes came from
    fetchedAt: URIRef  # when factgraph fetched the page
    extractedWith: URIRef  # the software that extracted the text from the page
    byline: URIRef  # the author as the page names them, not resolved to an actor
    claimsWithheld: URIRef  # why no claims were extracted from a stored document
    # SPARQL extension functions of the service
    textScore: URIRef  # fg:textScore(?node, "words"): BM25 score in the text index, or unbound


SDO = Namespace("http://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")  # unique IRIs of media formats
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
WD = Namespace("http://www.wikidata.org/entity/")  # Wikidata entities: owl:sameAs targets

_PREFIXES = {
    "fg": FG._NS,
    "schema": SDO,
    "prov": PROV,
    "nif": NIF,
    "itsrdf": ITSRDF,
    "skos": SKOS,
    "owl": OWL,
    "rdfs": RDFS,
    "xsd": XSD,
    "dcterms": DCTERMS,
    "void": VOID,
    "sh": SH,
    "sd": SD,
    "formats": FORMATS,
    "wd": WD,
    "rdf": RDF,
}


def prefixes() -> dict[str, str]:
    """Prefix -> namespace IRI: what every `.rq` file's PREFIX lines must agree with."""
    return {prefix: str(namespace) for prefix, namespace in _PREFIXES.items()}


def sparql_prologue() -> str:
    """The project's prefixes as SPARQL PREFIX lines, for queries written in tests and tools."""
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in prefixes().items())


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes; schema: explicitly to http, as ClaimReview expands to."""
    for prefix, namespace in _PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def new_graph(identifier: URIRef | None = None) -> Graph:
    """An empty graph with the project's prefixes bound."""
    return bind_prefixes(Graph(identifier=identifier, bind_namespaces="core"))
