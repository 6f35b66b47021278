"""ontology/factgraph.ttl: the fg: vocabulary in step with service.rdf.vocab.FG, and documented."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, URIRef

from service.bootstrap import configured
from service.rdf.vocab import FG, OWL, PROV, RDF, RDFS, SD, SDO

settings = configured()

FG_NS = str(FG._NS)
PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(settings.ontology_dir / "factgraph.ttl", format="turtle")


def _vocab_terms() -> set[URIRef]:
    return {FG[name] for name in FG.__annotations__}


def _defined_terms(ontology: Graph) -> set[URIRef]:
    return {
        s for s in ontology.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(FG_NS)
    }


def test_ontology_defines_every_vocab_term_and_no_other(ontology: Graph) -> None:
    vocab, defined = _vocab_terms(), _defined_terms(ontology)
    assert sorted(vocab - defined) == [], "in vocab.FG but not defined in factgraph.ttl"
    assert sorted(defined - vocab) == [], "defined in factgraph.ttl but not in vocab.FG"


def test_ontology_uses_no_undefined_fg_term(ontology: Graph) -> None:
    used = {
        term for triple in ontology for term in triple
        if isinstance(term, URIRef) and str(term).startswith(FG_NS)
    }
    assert sorted(used - _vocab_terms()) == []


def test_ontology_documents_every_term(ontology: Graph) -> None:
    for term in _vocab_terms():
        assert ontology.value(term, RDFS.label) is not None, f"{term} has no rdfs:label"
        assert ontology.value(term, RDFS.comment) is not None, f"{term} has no rdfs:comment"


def test_ontology_gives_every_property_a_domain_and_range(ontology: Graph) -> None:
    properties = {
        term for term in _vocab_terms()
        if set(ontology.objects(term, RDF.type)) & PROPERTY_TYPES
    }
    assert len(properties) > 30
    for prop in properties:
        assert ontology.value(prop, RDFS.domain) is not None, f"{prop} has no rdfs:domain"
        assert ontology.value(prop, RDFS.range) is not None, f"{prop} has no rdfs:range"


def test_ontology_types_every_term(ontology: Graph) -> None:
    """Each term is a class, a property, a named member of an enumerated class, or a SPARQL
    extension function of the service."""
    kinds = PROPERTY_TYPES | {
        OWL.Class, FG.StatementType, FG.Comparator, FG.QuantityNature, FG.Verdict, SD.Function
    }
    for term in _vocab_terms():
        assert set(ontology.objects(term, RDF.type)) & kinds, f"{term} has no known kind"


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        (FG.Statement, SDO.Claim),
        (FG.Statement, PROV.Entity),
        (FG.QuantityClaim, SDO.Claim),
        (FG.DateClaim, SDO.Claim),
        (FG.Group, PROV.Agent),
        (FG.Extractor, PROV.SoftwareAgent),
    ],
)
def test_ontology_aligns_classes_with_schema_and_prov(
    ontology: Graph, sub: URIRef, sup: URIRef
) -> None:
    assert (sub, RDFS.subClassOf, sup) in ontology


def test_ontology_aligns_attribution_with_prov(ontology: Graph) -> None:
    assert (FG.speaker, RDFS.subPropertyOf, PROV.wasAttributedTo) in ontology
    assert (FG.claimedBy, RDFS.subPropertyOf, PROV.wasAttributedTo) in ontology


def test_ontology_enumerates_statement_types_comparators_and_natures(ontology: Graph) -> None:
    def members(cls: URIRef) -> set:
        head = ontology.value(cls, OWL.oneOf)
        assert isinstance(head, BNode), f"{cls} has no owl:oneOf list"
        return set(ontology.items(head))

    assert members(FG.StatementType) == {FG.Direct, FG.Indirect, FG.Mixed}
    comparators = {
        FG.equal, FG.approximately, FG.greaterThan, FG.greaterOrEqual,
        FG.lessThan, FG.lessOrEqual, FG.range,
    }
    assert members(FG.Comparator) == comparators
    for comparator in comparators:
        assert (comparator, RDF.type, FG.Comparator) in ontology
    assert members(FG.QuantityNature) == {FG.Stock, FG.Flow, FG.Change}


def test_ontology_uses_http_schema_org(ontology: Graph) -> None:
    assert not any("https://schema.org/" in str(term) for triple in ontology for term in triple)


def test_ontology_header_has_a_version(ontology: Graph) -> None:
    header = URIRef(FG_NS.rstrip("#"))
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionInfo) is not None
    assert ontology.value(header, OWL.versionIRI) is not None
