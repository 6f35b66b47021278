"""Quantity claims: numbers in digits or words, with their hedge, unit and what they count.

A hedge before the number gives the comparator ("roughly" -> approximately, "upwards of" ->
greaterOrEqual); a number whose noun is elided ("and 900 in Syria") takes the counted noun,
and the hedge if it has none, from the quantity it is coordinated with. Dates, times,
ordinals, years, numbers in names ("Tower 22") and "one of" are no quantities.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from service.pipeline.extract.actors import MENTIONS, doc_actors
from service.pipeline.extract.lexicon import Numbers
from service.pipeline.extract.numerals import is_year, number_value
from service.pipeline.records import ActorType

__all__ = ["QUANTITIES", "Quantities", "QuantityInfo", "make_quantities"]

QUANTITIES = "factgraph_quantities"
_NOT_COUNTS = frozenset({"DATE", "TIME", "ORDINAL", "PERSON", "ORG", "FAC", "PRODUCT", "LAW",
                         "WORK_OF_ART", "EVENT"})
_STOP_PREPS = frozenset({"in", "since", "on", "at", "during", "over", "across", "from", "by",
                         "until", "after", "before", "as", "to", "for", "within"})

if not Doc.has_extension("factgraph_quantities"):
    Doc.set_extension("factgraph_quantities", default=None)


@dataclass(slots=True)
class QuantityInfo:
    """One quantity claim, in character offsets; time is resolved later, with the date."""

    mention: tuple[int, int]
    value: Decimal
    comparator: str
    hedge: str | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    unit: str | None = None
    counted: str | None = None
    counted_key: str | None = None
    location: str | None = None
    time: str | None = None
    statement: int | None = None


def interval(
    value: Decimal, comparator: str, width: Decimal
) -> tuple[Decimal | None, Decimal | None]:
    """[min, max] read into a hedged value; the policy for "approximately" is +-width."""
    if comparator == "approximately":
        return value * (1 - width), value * (1 + width)
    if comparator in ("greaterThan", "greaterOrEqual"):
        return value, None
    if comparator in ("lessThan", "lessOrEqual"):
        return None, value
    return value, value


class Quantities:
    """Finds quantity claims and writes them to `doc.spans["factgraph_quantities"]`."""

    def __init__(self, name: str, numbers: Numbers, hedges: dict[str, str],
                 width: Decimal, demonyms: dict[str, str]) -> None:
        self.name = name
        self.numbers = numbers
        self.hedges = hedges
        self.width = width
        self.demonyms = demonyms
        self.longest_hedge = max((len(h.split()) for h in hedges), default=1)

    def __call__(self, doc: Doc) -> Doc:
        places = self._places(doc)
        found: list[tuple[QuantityInfo, Token | None]] = []
        for sent in doc.sents:
            previous: tuple[QuantityInfo, Token | None] | None = None
            i = sent.start
            while i < sent.end:
                token = doc[i]
                if not self._is_number(token):
                    i += 1
                    continue
                end = i + 1
                while end < sent.end and (self._is_number(doc[end]) or (
                        doc[end].lower_ in self.numbers.scales and doc[end].i > i)):
                    end += 1
                value = number_value([t.text for t in doc[i:end]], self.numbers)
                if value is None:
                    i = end
                    continue
                info, head = self._claim(doc, sent, i, end, value, previous, places)
                found.append((info, head))
                previous = (info, head)
                i = end
        self._attach_statements(doc, [f[0] for f in found])
        self.set_annotations(doc, [f[0] for f in found])
        return doc

    def set_annotations(self, doc: Doc, infos: list[QuantityInfo]) -> None:
        doc._.factgraph_quantities = infos
        spans = [doc.char_span(*q.mention, label=q.comparator, alignment_mode="expand")
                 for q in infos]
        doc.spans[QUANTITIES] = [s for s in spans if s is not None]

    def _is_number(self, token: Token) -> bool:
        lower = token.lower_
        if not (token.like_num or lower in self.numbers.words) or token.ent_type_ in _NOT_COUNTS:
            return False
        if lower in ("one", "a") and token.i + 1 < len(token.doc) and \
                token.doc[token.i + 1].lower_ == "of":
            return False
        if lower == "one" and token.tag_ != "CD":
            return False
        if is_year(token.text):
            return False
        if any(ch.isalpha() for ch in token.text) and lower not in self.numbers.words and \
                not token.text[:-2].replace(".", "").isdigit():
            return False
        prev = token.nbor(-1) if token.i > 0 else None
        return not (prev is not None and prev.pos_ == "PROPN" and prev.ent_type_ not in (
            "GPE", "NORP", "MONEY") and prev.text[:1].isupper() and (
            token.head == prev or prev.head == token))  # "Tower 22", "Article 5"

    def _hedge(self, doc: Doc, start: int, floor: int) -> tuple[int, str | None, str | None]:
        for size in range(self.longest_hedge, 0, -1):
            first = start - size
            if first < floor:
                continue
            words = " ".join(t.lower_ for t in doc[first:start])
            if words in self.hedges:
                return first, doc[first:start].text, self.hedges[words]
        return start, None, None

    def _claim(self, doc: Doc, sent: Span, i: int, end: int, value: Decimal,
               previous: tuple[QuantityInfo, Token | None] | None, places: dict[int, str]
               ) -> tuple[QuantityInfo, Token | None]:
        unit = None
        begin = i
        if i > sent.start and doc[i - 1].text in self.numbers.currency_symbols:
            unit, begin = self.numbers.currency_symbols[doc[i - 1].text], i - 1
        if begin > sent.start and doc[begin - 1].lower_ == "a" and doc[i].lower_ in (
                "dozen", "hundred", "thousand", "million", "billion"):
            begin -= 1
        first, hedge, comparator = self._hedge(doc, begin, sent.start)
        after = end
        for phrase in self.numbers.percent:
            size = len(phrase.split()) if phrase != "%" else 1
            if " ".join(t.lower_ for t in doc[end:end + size]) == phrase:
                unit, after = "percent", end + size
                break
        if unit is None and end < sent.end and doc[end].lower_ in self.numbers.currency_words:
            unit, after = self.numbers.currency_words[doc[end].lower_], end + 1
        head = self._head(doc, i, end, after, sent)
        elided = head is None and unit is None
        info = QuantityInfo(mention=(0, 0), value=value, comparator=comparator or "equal",
                            hedge=hedge, unit=unit)
        if elided and previous is not None and previous[1] is not None and \
                doc[i].head.i in (previous[1].i, *(t.i for t in previous[1].children)):
            head = previous[1]
            info.counted, info.counted_key = previous[0].counted, previous[0].counted_key
            if hedge is None:
                info.comparator, info.hedge = previous[0].comparator, previous[0].hedge
        last = after - 1
        if head is not None and head.i >= end:
            counted_end = self._counted_end(head)
            info.counted = doc[after:counted_end].text or None
            info.counted_key = self._key(head)
            last = max(last, head.i)
        info.mention = (doc[first].idx, doc[last].idx + len(doc[last]))
        info.min_value, info.max_value = interval(value, info.comparator, self.width)
        info.location = self._location(doc, last + 1, sent, places)
        info.time = self._time(doc, last + 1, sent)
        return info, head

    def _head(self, doc: Doc, i: int, end: int, after: int, sent: Span) -> Token | None:
        """The counted noun: what the number modifies, after it."""
        for token in doc[i:end]:
            head = token.head
            if token.dep_ in ("nummod", "quantmod", "compound", "amod") and head.i >= after and \
                    head.pos_ in ("NOUN", "PROPN", "PRON") and head.i < sent.end:
                return head
        if after < sent.end and doc[after].pos_ in ("NOUN", "PROPN") and doc[after].head.i >= after:
            return doc[after].head if doc[after].head.pos_ == "NOUN" else doc[after]
        return None

    def _counted_end(self, head: Token) -> int:
        """After the noun and its "against ..."/"of ..." phrase, before "in"/"since" phrases."""
        end = head.i + 1
        for child in head.rights:
            if child.dep_ != "prep" or child.lower_ in _STOP_PREPS:
                break
            end = child.right_edge.i + 1
            for token in child.subtree:
                if token.i > child.i and (token.lower_ in _STOP_PREPS or token.is_punct):
                    end = token.i
                    break
        return end

    def _key(self, head: Token) -> str:
        nations = []
        for token in head.subtree:
            if token.i >= head.i:
                break
            nation = self.demonyms.get(token.lower_) or self.demonyms.get(token.text.lower())
            if nation and nation not in nations:
                nations.append(nation)
        return "-".join([*nations, head.lemma_.lower()])

    def _places(self, doc: Doc) -> dict[int, str]:
        actors = doc_actors(doc)
        places = {}
        for span in doc.spans.get(MENTIONS, []):
            actor = actors.get(span.kb_id_)
            if actor is not None and actor.type is ActorType.PLACE:
                places[span.start] = span.kb_id_
        return places

    def _location(self, doc: Doc, start: int, sent: Span, places: dict[int, str]) -> str | None:
        """The first place in an "in ..." phrase right after the quantity."""
        for token in doc[start:min(sent.end, start + 3)]:
            if token.lower_ == "in":
                for j in range(token.i + 1, min(sent.end, token.i + 4)):
                    if j in places:
                        return places[j]
        return None

    def _time(self, doc: Doc, start: int, sent: Span) -> str | None:
        """A time qualifier after the quantity in its sentence ("since mid-October", "so far")."""
        for token in doc[start:sent.end]:
            if self._is_number(token) and token.i > start:
                return None
            nxt = token.nbor(1) if token.i + 1 < sent.end else None
            if token.lower_ == "since" and nxt is not None and nxt.ent_type_ == "DATE":
                last = nxt
                while last.i + 1 < sent.end and doc[last.i + 1].ent_type_ == "DATE" and \
                        doc[last.i + 1].ent_iob_ == "I":
                    last = doc[last.i + 1]
                return doc[token.i:last.i + 1].text
            if token.lower_ in ("so", "thus") and nxt is not None and nxt.lower_ == "far":
                return doc[token.i:token.i + 2].text
            if token.lower_ == "to" and nxt is not None and nxt.lower_ == "date":
                return doc[token.i:token.i + 2].text
        return None

    def _attach_statements(self, doc: Doc, infos: list[QuantityInfo]) -> None:
        statements = doc._.factgraph_statements or []
        for info in infos:
            best = None
            for index, statement in enumerate(statements):
                start, end = statement.content
                if start <= info.mention[0] < end and (
                    best is None or end - start <= statements[best].content[1]
                    - statements[best].content[0]
                ):
                    best = index
            info.statement = best


@Language.factory(
    "factgraph_quantities",
    assigns=["doc.spans", "doc._.factgraph_quantities"],
    requires=["doc.ents", "token.dep"],
    default_config={"numbers": {"@misc": "factgraph.numbers.v1"},
                    "hedges": {"@misc": "factgraph.hedges.v1"},
                    "demonyms": {"@misc": "factgraph.demonyms.v1"}},
)
def make_quantities(
    nlp: Language,  # noqa: ARG001
    name: str,
    numbers: Numbers,
    hedges: tuple,
    demonyms: dict,
) -> Quantities:
    table, width = hedges
    return Quantities(name, numbers, dict(table), Decimal(width), dict(demonyms))
