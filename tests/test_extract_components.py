"""The factgraph components as spaCy sees them: what each requires is assigned before it."""

from __future__ import annotations

import pytest
from spacy.language import Language

from service.pipeline.extract import load_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def test_components_requires_are_assigned_by_earlier_components(nlp: Language) -> None:
    problems = nlp.analyze_pipes()["problems"]
    # token.pos is set by the model's attribute_ruler, which declares no assigns
    assert {name: set(missing) - {"token.pos"} for name, missing in problems.items()} == {
        name: set() for name in nlp.pipe_names}
    meta = nlp.get_pipe_meta
    assert "span._.factgraph_actor" in meta("factgraph_actors").assigns
    assert "span._.factgraph_actor" in meta("factgraph_quantities").requires
    assert "span._.factgraph_content_chars" in meta("factgraph_quantities").requires
    assert "span._.factgraph_content_chars" in meta("factgraph_dates").requires


def test_components_order_around_the_model(nlp: Language) -> None:
    names = nlp.pipe_names
    assert names.index("factgraph_paragraphs") < names.index("parser")
    assert names.index("factgraph_actor_ruler") < names.index("ner") < names.index(
        "factgraph_actors")
    assert names[-3:] == ["factgraph_attribution", "factgraph_quantities", "factgraph_dates"]
