"""The competency questions of MODEL.md as SPARQL: for the README, the tests and the UI."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

__all__ = ["QUESTIONS", "Question"]


@dataclass(frozen=True, slots=True)
class Question:
    key: str  # file stem, e.g. "cq1_language_of_force"
    title: str  # the question, from the file's leading comment lines
    sparql: str  # the whole query, PREFIX lines included


def _load() -> dict[str, Question]:
    folder = files(__package__)
    questions = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.startswith("cq") or not entry.name.endswith(".rq"):
            continue
        body = entry.read_text(encoding="utf-8")
        comments = []
        for line in body.splitlines():
            if not line.startswith("#"):
                break
            comments.append(line.lstrip("# ").strip())
        title = " ".join(comments)
        key = entry.name.removesuffix(".rq")
        questions[key] = Question(key=key, title=title, sparql=body)
    return questions


QUESTIONS: dict[str, Question] = _load()
