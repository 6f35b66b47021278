"""One module mints every IRI: the layout of MODEL.md, and parts read back out of an IRI."""

from __future__ import annotations

import pytest

from service.rdf import iris

BASE = "http://example.org/"
DOC = "http://example.org/id/document/0123456789abcdef"


def test_iris_follow_the_model_layout() -> None:
    assert iris.document(BASE, "0123456789abcdef") == DOC
    assert iris.text(DOC) == f"{DOC}/text"
    assert iris.span(DOC, 3, 9) == f"{DOC}/text#char=3,9"
    assert iris.claim(DOC, "quantity", 2) == f"{DOC}/quantity/2"
    assert iris.extraction_run(DOC) == f"{DOC}/extraction"
    assert iris.document_actor(DOC, 2) == f"{DOC}/actor/2"
    assert iris.actor(BASE, "islamic-state") == "http://example.org/id/actor/islamic-state"
    assert iris.actors_graph(BASE) == "http://example.org/graph/actors"
    assert iris.analysis_graph(BASE) == "http://example.org/graph/analysis"


def test_iris_refuse_parts_that_cannot_be_one() -> None:
    with pytest.raises(ValueError, match="not a document id"):
        iris.document(BASE, "../../etc")
    with pytest.raises(ValueError, match="not a slug"):
        iris.actor(BASE, "Islamic State")
    with pytest.raises(ValueError, match="not a kind of claim"):
        iris.claim(DOC, "rumour", 1)
    with pytest.raises(ValueError, match="positive integer"):
        iris.document_actor(DOC, 0)
    assert iris.checked_claim(BASE, "0123456789abcdef", "statement", "01") is None
    assert iris.checked_claim(BASE, "0123456789abcdef", "statement", "3") == f"{DOC}/statement/3"


def test_iris_read_a_claim_and_an_actor_back_whatever_base_minted_them() -> None:
    ref = iris.claim_ref("https://other.example/id/document/0123456789abcdef/date/4")
    assert ref is not None
    assert (ref.doc_id, ref.kind, ref.n, ref.anchor) == ("0123456789abcdef", "date", 4, "date-4")
    assert iris.claim_ref(DOC) == iris.ClaimRef("0123456789abcdef")
    assert iris.claim_ref("http://example.org/id/actor/x") is None
    assert iris.slug_of("http://elsewhere/id/actor/united-states") == "united-states"


def test_iris_a_comparison_is_the_same_whichever_claim_comes_first() -> None:
    a, b, c = (f"{DOC}/quantity/{n}" for n in (1, 2, 3))
    assert iris.comparison(BASE, a, b) == iris.comparison(BASE, b, a)
    assert iris.comparison(BASE, a, b) != iris.comparison(BASE, a, c)


def test_iris_one_shape_of_software_agent() -> None:
    assert iris.software(BASE, "0.1.0") == "http://example.org/id/software/factgraph/0.1.0"
    extractor = iris.software(BASE, "0.1.0", "en_core_web_sm", "3.8.0")
    assert extractor == "http://example.org/id/software/factgraph/0.1.0/en_core_web_sm/3.8.0"
