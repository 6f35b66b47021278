"""Actor identity, measured: B-cubed precision, recall and F1 over speaker mentions, within each
article and across articles, against a small hand-made gold (bench/identity/gold.json).

The gold lists each statement's speaker mention (its offsets) in 20 PolNeAR articles and the
two seeds, with the entity it names: a global id for a named actor ("bernie-sanders"), an id
starting with '#' for a source of that article alone ("#the-khans", "#author"). A predicted
mention's entity is its statement's speaker: the actor key, scoped to its document for a
nameless source; no speaker is an entity of its own.

    FACTGRAPH_ACTORS=seeds/actors.ttl .venv/bin/python -m bench.identity
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bench.quality import items
from service.pipeline.records import Extraction

GOLD = Path(__file__).resolve().parent / "identity" / "gold.json"

Mention = tuple[str, int, int]  # document, start, end


@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def to_json(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


def b_cubed(gold: Mapping[Mention, Hashable], predicted: Mapping[Mention, Hashable]) -> BCubed:
    """B-cubed over the gold's mentions: for each, how much of its predicted cluster is its
    gold cluster (precision) and how much of its gold cluster its predicted one (recall)."""
    if not gold:
        return BCubed(0.0, 0.0)
    gold_clusters: dict[Hashable, set[Mention]] = defaultdict(set)
    predicted_clusters: dict[Hashable, set[Mention]] = defaultdict(set)
    for mention, entity in gold.items():
        gold_clusters[entity].add(mention)
        predicted_clusters[predicted.get(mention, ("alone", mention))].add(mention)
    precision = recall = 0.0
    for mention, entity in gold.items():
        mine = predicted_clusters[predicted.get(mention, ("alone", mention))]
        theirs = gold_clusters[entity]
        both = len(mine & theirs)
        precision += both / len(mine)
        recall += both / len(theirs)
    return BCubed(precision / len(gold), recall / len(gold))


def within_articles(clusters: Mapping[Mention, Hashable]) -> dict[Mention, Hashable]:
    """The same clusters cut at article borders: what identity within one article is."""
    return {mention: (mention[0], entity) for mention, entity in clusters.items()}


def gold_clusters(path: Path = GOLD) -> dict[Mention, str]:
    found = {}
    for document in json.loads(path.read_text(encoding="utf-8")):
        name = document["document"]
        for m in document["mentions"]:
            entity = m["entity"]
            found[(name, m["start"], m["end"])] = f"{name}{entity}" if entity[0] == "#" else entity
    return found


def predicted_clusters(name: str, extraction: Extraction) -> dict[Mention, str]:
    found = {}
    for statement in extraction.statements:
        if statement.speaker_mention is None or statement.speaker is None:
            continue
        actor = extraction.actors.get(statement.speaker)
        scoped = actor is not None and actor.nameless
        entity = f"{name}#{statement.speaker}" if scoped else statement.speaker
        span = statement.speaker_mention
        found.setdefault((name, span.start, span.end), entity)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="Also write the numbers here.")
    args = parser.parse_args()
    from service.bootstrap import build_pipeline, configured
    from service.pipeline.extract import extract_documents

    gold = gold_clusters()
    wanted = {name for name, _, _ in gold}
    documents = [i for corpus in ("polnear", "seeds") for i in items(corpus, None)
                 if i.name in wanted]
    nlp = build_pipeline(configured())
    predicted: dict[Mention, str] = {}
    for item, extraction in zip(documents, extract_documents(nlp, [i.document for i in documents]),
                                strict=True):
        predicted.update(predicted_clusters(item.name, extraction))
    found = sum(1 for mention in gold if mention in predicted)
    result = {
        "documents": len(documents),
        "mentions": len(gold),
        "mentions_with_a_speaker": found,
        "across_articles": b_cubed(gold, predicted).to_json(),
        "within_articles": b_cubed(within_articles(gold), within_articles(predicted)).to_json(),
    }
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
