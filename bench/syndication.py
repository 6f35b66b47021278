"""Near-copies, measured on PolNeAR's 300 development articles (seven outlets, the same campaign
days): how similar distinct articles get, and whether wire-style copies are found.

- Distinct articles: the Jaccard similarity of the word 5-shingles of every pair (44,850
  pairs), the most similar pairs, how many reach `NEAR_COPY` (false near-copies, unless a pair
  really is one), and how many share an LSH band key (candidates compared exactly).
- Copies made from each article as syndication makes them: a new headline; a paragraph of
  another article added; both, with the last paragraph cut. Recall: the copy shares a band
  key with its original (so the store finds it) and reaches `NEAR_COPY` (so it is linked).
- Cost: band keys per article, as a ratio to the plain spaCy model's `nlp.pipe` on the first
  30 articles (the floor of extraction), and one `find_near_copies` against a store of the 300.

    .venv/bin/python -m bench.syndication [--corpus ../shared/corpora/polnear-train/articles]
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import time
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef

from service.pipeline.documents import Document
from service.pipeline.graph import to_ntriples
from service.pipeline.syndication import NEAR_COPY, band_keys, find_near_copies, jaccard, shingles
from service.rdf import iris
from service.rdf.vocab import FG, NIF, RDF, SDO, new_graph
from service.settings import PROJECT_ROOT
from service.store.oxigraph import OxigraphStore

CORPUS = PROJECT_ROOT.parent / "shared" / "corpora" / "polnear-train" / "articles"
BASE = "http://localhost:8000/"


def _texts(folder: Path) -> list[str]:
    paths = sorted(folder.glob("*.json"))
    return [json.loads(p.read_text(encoding="utf-8"))["text"] for p in paths]


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def _copies(texts: list[str]) -> dict[str, list[tuple[int, str]]]:
    """Each article copied three ways (a paragraph borrowed from the next article)."""
    made: dict[str, list[tuple[int, str]]] = {"new headline": [], "added paragraph": [],
                                              "both, last paragraph cut": []}
    for n, text in enumerate(texts):
        parts = _paragraphs(text)
        if len(parts) < 4:
            continue
        extra = max(_paragraphs(texts[(n + 1) % len(texts)]), key=len)
        body = parts[1:]
        made["new headline"].append((n, "\n".join(["Wire: " + parts[0][::-1], *body])))
        made["added paragraph"].append((n, "\n".join([*parts, extra])))
        made["both, last paragraph cut"].append(
            (n, "\n".join(["Wire: " + parts[0][::-1], *body[:-1], extra]))
        )
    return made


def _store(texts: list[str]) -> tuple[OxigraphStore, list[str]]:
    """A store holding each article's text and band keys (what find_near_copies reads)."""
    store = OxigraphStore(None)
    found = []
    for text in texts:
        doc = URIRef(iris.document(BASE, Document(text=text).doc_id))
        graph = new_graph(doc)
        graph.add((doc, RDF.type, SDO.NewsArticle))
        graph.add((doc, FG.text, URIRef(iris.text(str(doc)))))
        graph.add((URIRef(iris.text(str(doc))), NIF.isString, Literal(text)))
        for key in band_keys(text):
            graph.add((doc, FG.shingleBand, Literal(key)))
        store.replace_graph(str(doc), to_ntriples(graph))
        found.append(str(doc))
    return store, found


def _spacy_ms(texts: list[str]) -> float:
    """The plain model's `nlp.pipe` (batch 32) per article: the floor of extraction."""
    import spacy

    from service.bootstrap import configured

    nlp = spacy.load(configured().spacy_model)
    list(nlp.pipe(texts[:2]))  # warm
    started = time.perf_counter()
    list(nlp.pipe(texts, batch_size=32))
    return (time.perf_counter() - started) * 1000 / len(texts)


def measure(folder: Path) -> dict[str, Any]:
    texts = _texts(folder)
    sets = [shingles(t) for t in texts]
    started = time.perf_counter()
    keys = [set(band_keys(t)) for t in texts]
    band_ms = (time.perf_counter() - started) * 1000 / len(texts)
    pairs = []
    for a, b in itertools.combinations(range(len(texts)), 2):
        pairs.append((jaccard(sets[a], sets[b]), bool(keys[a] & keys[b]), a, b))
    pairs.sort(reverse=True)
    recall = {}
    for kind, copies in _copies(texts).items():
        found = [
            bool(keys[n] & set(band_keys(copy))) and jaccard(sets[n], shingles(copy)) >= NEAR_COPY
            for n, copy in copies
        ]
        scores = [jaccard(sets[n], shingles(copy)) for n, copy in copies]
        recall[kind] = {"copies": len(copies), "found": sum(found),
                        "min_jaccard": round(min(scores), 3),
                        "median_jaccard": round(statistics.median(scores), 3)}
    store, _ = _store(texts)
    probe = Document(text=_copies(texts)["added paragraph"][0][1])
    started = time.perf_counter()
    linked = find_near_copies(store, probe, iris.document(BASE, probe.doc_id))
    lookup_ms = (time.perf_counter() - started) * 1000
    spacy_ms = _spacy_ms(texts[:30])
    return {
        "articles": len(texts),
        "pairs": len(pairs),
        "near_copy_threshold": NEAR_COPY,
        "distinct_pairs_at_threshold": sum(1 for s, *_ in pairs if s >= NEAR_COPY),
        "distinct_pairs_sharing_a_band": sum(1 for _, shared, *_ in pairs if shared),
        "most_similar_distinct_pairs": [round(s, 3) for s, *_ in pairs[:5]],
        "copies": recall,
        "band_keys_ms_per_article": round(band_ms, 2),
        "spacy_pipe_ms_per_article": round(spacy_ms, 1),
        "band_keys_to_spacy_ratio": round(band_ms / spacy_ms, 3),
        "find_near_copies_ms_in_300": round(lookup_ms, 1),
        "probe_linked": len(linked),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a folder of article JSON")
    args = parser.parse_args()
    print(json.dumps(measure(args.corpus), indent=1))


if __name__ == "__main__":
    main()
