"""The competency questions of MODEL.md as SPARQL: for the README, the tests and the UI."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

__all__ = ["QUESTIONS", "Question"]


@dataclass(frozen=True, slots=True)
class Question:
    key: str  # file stem, e.g. "cq1_language_of_force"
    title: str  # the question, from the file's first comment line
    sparql: str  # with the PREFIX header


def _load() -> dict[str, Question]:
    folder = files(__package__)
    prefixes = folder.joinpath("_prefixes.rq").read_text(encoding="utf-8")
    questions = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.startswith("cq") or not entry.name.endswith(".rq"):
            continue
        body = entry.read_text(encoding="utf-8")
        title = body.splitlines()[0].lstrip("# ").strip()
        key = entry.name.removesuffix(".rq")
        questions[key] = Question(key=key, title=title, sparql=prefixes + body)
    return questions


QUESTIONS: dict[str, Question] = _load()
