"""Scoring as EVALUATION.md defines it: pure functions over gold and read-back predictions.

Lemmas come in through a callable, so the scoring itself needs no NLP library.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from service.evaluation.gold import GoldDocument, GoldQuantity, GoldStatement

__all__ = [
    "DocumentScore",
    "PredictedQuantity",
    "PredictedStatement",
    "Prf",
    "Scores",
    "combined",
    "line_kinds",
    "miss_kinds",
    "score_document",
    "summarise",
]

Lemmatize = Callable[[str], list[str]]

# Function words never count as the "content word" two speaker descriptions share.
_FUNCTION_WORDS = frozenset(
    (
        "a an the of in on at for to from by with and or its it their they he she his her "
        "this that these those who which s"
    ).split()
)
_AUXILIARIES = frozenset({"have", "has", "had", "be", "is", "was", "do", "will", "would", "also"})
_PREPOSITIONS = frozenset({"of", "in", "on", "at", "against", "for", "from", "by", "with", "since"})
_WORD = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True, slots=True)
class PredictedStatement:
    iri: str
    content_span: tuple[int, int]
    content: str
    cue: str
    type: str  # direct, mixed, indirect
    speaker_mention: str | None
    speaker_name: str | None
    sentence: str
    speaker_span: tuple[int, int] | None = None  # the speaker mention's offsets, when written


@dataclass(frozen=True, slots=True)
class PredictedQuantity:
    iri: str
    span: tuple[int, int]
    text: str
    value: Decimal
    comparator: str
    counted: str | None
    location: str | None
    sentence: str


@dataclass(slots=True)
class Prf:
    """Counts behind precision, recall and F1."""

    correct: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Prf) -> None:
        self.correct += other.correct
        self.predicted += other.predicted
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "correct": self.correct,
            "predicted": self.predicted,
            "gold": self.gold,
        }


@dataclass(slots=True)
class Scores:
    """Every number the evaluation reports, summable over documents."""

    statements: Prf = field(default_factory=Prf)  # content, speaker and cue all right
    # The same, the speaker right only by a shared content word (a pronoun source never is)
    statements_words_only: Prf = field(default_factory=Prf)
    statement_content: Prf = field(default_factory=Prf)  # found (content overlap) only
    speaker_right: int = 0  # among found statements
    cue_right: int = 0  # among found statements
    by_type: dict[str, Prf] = field(default_factory=dict)
    quantities: Prf = field(default_factory=Prf)  # value and comparator right
    quantity_found: Prf = field(default_factory=Prf)  # span overlap only
    counted_head_right: int = 0  # among found quantities
    location_right: int = 0  # among found quantities whose gold has a location
    location_gold: int = 0

    def add(self, other: Scores) -> None:
        for name in (
            "statements",
            "statements_words_only",
            "statement_content",
            "quantities",
            "quantity_found",
        ):
            getattr(self, name).add(getattr(other, name))
        for name in (
            "speaker_right",
            "cue_right",
            "counted_head_right",
            "location_right",
            "location_gold",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, prf in other.by_type.items():
            self.by_type.setdefault(kind, Prf()).add(prf)

    def to_json(self) -> dict:
        found = self.statement_content.correct
        quantities_found = self.quantity_found.correct
        return {
            "statements": self.statements.to_json(),
            "statements_words_only": self.statements_words_only.to_json(),
            "statement_content": self.statement_content.to_json(),
            "speaker_accuracy": round(self.speaker_right / found, 4) if found else 0.0,
            "cue_accuracy": round(self.cue_right / found, 4) if found else 0.0,
            "by_type": {kind: prf.to_json() for kind, prf in sorted(self.by_type.items())},
            "quantities": self.quantities.to_json(),
            "quantity_found": self.quantity_found.to_json(),
            "counted_head_accuracy": (
                round(self.counted_head_right / quantities_found, 4) if quantities_found else 0.0
            ),
            "location_accuracy": (
                round(self.location_right / self.location_gold, 4) if self.location_gold else 0.0
            ),
        }


@dataclass(slots=True)
class DocumentScore:
    gold: GoldDocument
    scores: Scores
    misses: list[str]  # gold items not found or wrong, each with why and its sentence
    false_finds: list[str]  # predictions that match no gold item, with their sentence


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _content_found(gold: tuple[int, int], predicted: tuple[int, int]) -> bool:
    shorter = min(gold[1] - gold[0], predicted[1] - predicted[0])
    return shorter > 0 and _overlap(gold, predicted) * 2 >= shorter


def _content_words(text: str | None) -> set[str]:
    if not text:
        return set()
    words = {w.lower() for w in _WORD.findall(re.sub(r"\([^)]*\)", " ", text) + " " + text)}
    return words - _FUNCTION_WORDS


def _speaker_words_right(gold: GoldStatement, predicted: PredictedStatement) -> bool:
    gold_words = _content_words(gold.speaker) | _content_words(gold.speaker_actor)
    predicted_words = _content_words(predicted.speaker_mention) | _content_words(
        predicted.speaker_name
    )
    return bool(gold_words & predicted_words)


def _speaker_right(gold: GoldStatement, predicted: PredictedStatement) -> bool:
    """A content word shared (EVALUATION.md), or the same mention: where the gold names its
    speaker with a pronoun alone ("he", "who") and has no resolved actor, no word can be
    shared, and the speaker is right when the predicted mention is that span."""
    if _speaker_words_right(gold, predicted):
        return True
    spans = gold.speaker_span, predicted.speaker_span
    return spans[0] is not None and spans[1] is not None and _overlap(*spans) > 0


def cue_key(cue: str | None, lemmatize: Lemmatize) -> str | None:
    """The lemma a cue is compared by: its first word that is not an auxiliary."""
    if not cue:
        return None
    lemmas = [lemma.lower() for lemma in lemmatize(cue)]
    return next(
        (lemma for lemma in lemmas if lemma not in _AUXILIARIES), lemmas[0] if lemmas else None
    )


def _counted_head(counted: str | None, lemmatize: Lemmatize) -> str | None:
    """The head noun of what is counted: the last word before a preposition."""
    if not counted:
        return None
    words = _WORD.findall(counted)
    cut = next((i for i, w in enumerate(words) if w.lower() in _PREPOSITIONS and i), len(words))
    head = words[:cut][-1:] if words[:cut] else []
    return lemmatize(head[0])[-1].lower() if head else None


def _paragraph(text: str, span: tuple[int, int]) -> str:
    """The line of text around a gold span, to show where a miss is."""
    end = text.find("\n", span[1])
    return text[text.rfind("\n", 0, span[0]) + 1 : end if end >= 0 else len(text)]


def _line(kind: str, text: str, sentence: str) -> str:
    return f"{kind}: {text!r} in: {sentence.strip()[:300]!r}"


def _match(gold_items: Sequence, predictions: Sequence, found: Callable, right: Callable) -> dict:
    """One-to-one matching: each gold item takes the best unmatched prediction that finds it."""
    taken: set[int] = set()
    matches: dict[int, int] = {}
    for g_index, gold in enumerate(gold_items):
        candidates = [
            (right(gold, pred), i)
            for i, pred in enumerate(predictions)
            if i not in taken and found(gold, pred)
        ]
        if candidates:
            best = max(candidates, key=lambda c: (c[0], -c[1]))[1]
            matches[g_index] = best
            taken.add(best)
    return matches


def _score_statements(
    gold: GoldDocument,
    predicted: Sequence[PredictedStatement],
    text: str,
    lemmatize: Lemmatize,
    scores: Scores,
    misses: list[str],
    false_finds: list[str],
) -> None:
    def cue_right(g: GoldStatement, p: PredictedStatement) -> bool:
        # A gold statement without a cue (a quote continuing the previous one) has none to miss.
        return g.cue is None or cue_key(g.cue, lemmatize) == cue_key(p.cue, lemmatize)

    def all_right(g: GoldStatement, p: PredictedStatement) -> bool:
        return _speaker_right(g, p) and cue_right(g, p)

    matches = _match(
        gold.statements,
        predicted,
        lambda g, p: _content_found(g.content_span, p.content_span),
        all_right,
    )
    for prf in (scores.statements, scores.statements_words_only):
        prf.gold += len(gold.statements)
        prf.predicted += len(predicted)
    scores.statement_content.gold += len(gold.statements)
    scores.statement_content.predicted += len(predicted)
    for kind in {g.type for g in gold.statements} | {p.type for p in predicted}:
        prf = scores.by_type.setdefault(kind, Prf())
        prf.gold += sum(g.type == kind for g in gold.statements)
        prf.predicted += sum(p.type == kind for p in predicted)
    for g_index, g in enumerate(gold.statements):
        sentence = _paragraph(text, g.content_span)
        if g_index not in matches:
            misses.append(_line("statement not found", g.content[:120], sentence))
            continue
        p = predicted[matches[g_index]]
        scores.statement_content.correct += 1
        speaker_ok, cue_ok = _speaker_right(g, p), cue_right(g, p)
        scores.speaker_right += speaker_ok
        scores.cue_right += cue_ok
        scores.statements_words_only.correct += cue_ok and _speaker_words_right(g, p)
        if speaker_ok and cue_ok:
            scores.statements.correct += 1
            if p.type == g.type:
                scores.by_type[g.type].correct += 1
        else:
            why = (
                []
                if speaker_ok
                else [
                    f"speaker {p.speaker_mention or p.speaker_name!r} "
                    f"for {g.speaker or g.speaker_actor!r}"
                ]
            )
            why += [] if cue_ok else [f"cue {p.cue!r} for {g.cue!r}"]
            misses.append(_line("statement wrong " + ", ".join(why), g.content[:120], p.sentence))
    for index in sorted(set(range(len(predicted))) - set(matches.values())):
        p = predicted[index]
        false_finds.append(
            _line(
                f"statement ({p.speaker_mention or p.speaker_name} {p.cue})",
                p.content[:120],
                p.sentence,
            )
        )


def _score_quantities(
    gold: GoldDocument,
    predicted: Sequence[PredictedQuantity],
    lemmatize: Lemmatize,
    scores: Scores,
    misses: list[str],
    false_finds: list[str],
) -> None:
    def right(g: GoldQuantity, p: PredictedQuantity) -> bool:
        return g.value is not None and p.value == g.value and p.comparator == g.comparator

    matches = _match(gold.quantities, predicted, lambda g, p: _overlap(g.span, p.span) > 0, right)
    for prf in (scores.quantities, scores.quantity_found):
        prf.gold += len(gold.quantities)
        prf.predicted += len(predicted)
    for g_index, g in enumerate(gold.quantities):
        if g_index not in matches:
            misses.append(f"quantity not found: {g.text!r}")
            continue
        p = predicted[matches[g_index]]
        scores.quantity_found.correct += 1
        head = _counted_head(p.counted, lemmatize)
        gold_lemmas = {
            lemma.lower() for word in _WORD.findall(g.counted or "") for lemma in lemmatize(word)
        }
        scores.counted_head_right += head is not None and head in gold_lemmas
        if g.location:
            scores.location_gold += 1
            scores.location_right += bool(_content_words(g.location) & _content_words(p.location))
        if right(g, p):
            scores.quantities.correct += 1
        else:
            misses.append(
                _line(
                    f"quantity wrong: {p.value} {p.comparator} for {g.value} {g.comparator}",
                    g.text,
                    p.sentence,
                )
            )
    for index in sorted(set(range(len(predicted))) - set(matches.values())):
        p = predicted[index]
        false_finds.append(_line(f"quantity ({p.value} {p.comparator})", p.text, p.sentence))


def score_document(
    gold: GoldDocument,
    text: str,
    statements: Sequence[PredictedStatement],
    quantities: Sequence[PredictedQuantity],
    lemmatize: Lemmatize,
) -> DocumentScore:
    """Score one document's read-back claims against its gold."""
    scores, misses, false_finds = Scores(), [], []
    _score_statements(gold, statements, text, lemmatize, scores, misses, false_finds)
    _score_quantities(gold, quantities, lemmatize, scores, misses, false_finds)
    return DocumentScore(gold=gold, scores=scores, misses=misses, false_finds=false_finds)


def summarise(documents: Sequence[DocumentScore]) -> Scores:
    total = Scores()
    for document in documents:
        total.add(document.scores)
    return total


def _kind(line: str) -> str:
    """A miss's kind: its lead up to the colon, the speaker and cue named but not their text."""
    head = line.split(":", 1)[0]
    if head.startswith("statement wrong"):
        wrong = [part for part in ("speaker", "cue") if f"{part} " in head]
        return "statement wrong " + " and ".join(wrong)
    if head.startswith("quantity wrong"):
        return "quantity wrong value or comparator"
    if head.startswith("statement ("):
        return "statement"
    if head.startswith("quantity ("):
        return "quantity"
    return head


def line_kinds(lines: Iterable[str]) -> dict[str, int]:
    """How many lines (misses or false finds) of each kind, most frequent first."""
    counts: dict[str, int] = {}
    for line in lines:
        kind = _kind(line)
        counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def miss_kinds(documents: Sequence[DocumentScore]) -> dict[str, int]:
    """How many misses of each kind ("statement not found", "statement wrong speaker", ...)."""
    return line_kinds(line for document in documents for line in document.misses)


def combined(recall: Prf, precision: Prf) -> dict[str, float]:
    """Recall from one scoring, precision from another (PolNeAR: gold/ and gold-all/), and
    their F1."""
    p, r = precision.precision, recall.recall
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
