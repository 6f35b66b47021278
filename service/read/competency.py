"""The competency questions of MODEL.md (`service/sparql/competency/`): for the README, the
tests and the UI's query editor."""

from __future__ import annotations

from dataclasses import dataclass

from service.sparql import FOLDER, load

__all__ = ["QUESTIONS", "Question"]


@dataclass(frozen=True, slots=True)
class Question:
    key: str  # file stem, e.g. "cq1_language_of_force"
    title: str  # the question, from the file's leading comment lines
    sparql: str  # the whole query, PREFIX lines included


def _load() -> dict[str, Question]:
    questions = {}
    for entry in sorted((FOLDER / "competency").glob("cq*.rq")):
        body = load(f"competency/{entry.name}")
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
