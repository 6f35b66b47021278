"""Who "he" and "she" can be: the gender of each person the text names, as the text says it.

A title or gendered noun beside a mention says it ("Mrs. Clinton", "Spokeswoman Jen Psaki",
"Ghazala Khan, his wife"); else the pronouns the text uses of the person where no one else
can be meant ("Khizr Khan recalled his son": the only person named before "his" in its
sentence, or, with none there, in the sentence before), by a clear majority of two or more;
else the given name of the person's full name, where the lexicon (given_names.json, generated
from Faker's name lists) is sure of it; else one such pronoun. A person of no known gender
fits either pronoun.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from spacy.tokens import Doc, Span

from service.pipeline.extract.extensions import MENTIONS
from service.pipeline.extract.quotes import Quotes
from service.pipeline.records import ActorType

__all__ = ["Genders"]

_GENDERS = ("male", "female")
_BOUND = frozenset({"nsubj", "nsubjpass", "poss"})  # may mean the subject of its own sentence


class Genders:
    """The gender of each person actor of a doc ("male", "female"), where the text tells it."""

    def __init__(self, doc: Doc, given_names: Mapping[str, str], gendered: Mapping[str, str],
                 pronouns: Mapping[str, str], quotes: Quotes) -> None:
        self._gendered = gendered
        self._of: dict[str, str] = {}
        people = [s for s in doc.spans.get(MENTIONS, [])
                  if s._.factgraph_actor.type is ActorType.PERSON]
        for span in people:
            said = self._said_beside(span)
            if said is not None:
                self._of.setdefault(span.kb_id_, said)
        votes = _pronoun_votes(doc, people, pronouns, quotes)
        for key, (gender, count) in votes.items():
            if count >= 2:  # the text said it twice: more than a name's usual gender
                self._of.setdefault(key, gender)
        for span in people:
            given = _given_name(span._.factgraph_actor.name, gendered)
            if span.kb_id_ not in self._of and given_names.get(given or "") in _GENDERS:
                self._of[span.kb_id_] = given_names[given or ""]
        for key, (gender, _) in votes.items():
            self._of.setdefault(key, gender)

    def of(self, key: str | None) -> str | None:
        return self._of.get(key) if key else None

    def fits(self, key: str, gender: str) -> bool:
        """Whether a pronoun of `gender` can refer to the person `key`."""
        return self._of.get(key, gender) == gender

    def _said_beside(self, span: Span) -> str | None:
        """The gender a title or noun beside a mention gives: before it ("Mr.", "Congresswoman"),
        in it, or in apposition ("Ghazala Khan, his wife"; "his wife, Ghazala Khan")."""
        doc = span.doc
        root = span.root
        words = list(span[:-1])
        if span.start > 0:
            words.append(doc[span.start - 1])
        words += [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "appos":
            words.append(root.head)
        for token in words:
            gender = self._gendered.get(token.lower_) or (
                self._gendered.get(token.lemma_.lower()) if token.pos_ == "NOUN" else None)
            if gender is not None:
                return gender
        return None


def _given_name(name: str, gendered: Mapping[str, str]) -> str | None:
    """The given name of a full name ("Carly" of "Carly Fiorina"), past any title; none for a
    name of one word (a surname alone says nothing)."""
    words = [w for w in name.split() if w.lower() not in gendered and not w.endswith(".")]
    return words[0] if len(words) >= 2 else None


def _pronoun_votes(doc: Doc, people: list[Span], pronouns: Mapping[str, str], quotes: Quotes
                   ) -> dict[str, tuple[str, int]]:
    """The gender the text's pronouns (outside quotations) give each person, where one person
    alone can be meant: the only one named before the pronoun in its sentence (if the pronoun
    is a subject or a possessive: "Trump attacked her" is not Trump), or, with none there, in
    the sentence before; a clear majority of such pronouns decides (the gender, and how many
    said it)."""
    by_sentence: dict[int, list[Span]] = {}
    for span in people:
        by_sentence.setdefault(span.sent.start, []).append(span)
    votes: dict[str, Counter[str]] = {}
    previous: list[Span] = []
    for sentence in doc.sents:
        here = by_sentence.get(sentence.start, [])
        for token in sentence:
            gender = pronouns.get(token.lower_)
            if gender not in _GENDERS or quotes.around(token.idx) is not None:
                continue  # a quotation's "he" is the speaker's word for someone else
            before = [s.kb_id_ for s in here if s.end <= token.i]
            if before and token.dep_ not in _BOUND and not token.lower_.endswith("self"):
                continue
            before = before or [s.kb_id_ for s in previous]
            if len(set(before)) == 1:
                votes.setdefault(before[0], Counter())[gender] += 1
        previous = here
    found = {}
    for key, count in votes.items():
        (gender, most), *rest = count.most_common()
        if most >= 2 * (rest[0][1] if rest else 0):
            found[key] = gender, most
    return found
