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
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span, Token

from service.pipeline.extract.extensions import MENTIONS, QUANTITIES, STATEMENTS, content_chars
from service.pipeline.extract.lexicon import Numbers
from service.pipeline.extract.numerals import is_year, number_value
from service.pipeline.records import ActorType

__all__ = ["Quantities", "interval", "make_quantities"]

_NOT_COUNTS = frozenset({"DATE", "TIME", "ORDINAL", "PERSON", "ORG", "FAC", "PRODUCT", "LAW",
                         "WORK_OF_ART", "EVENT"})
_STOP_PREPS = frozenset({"in", "since", "on", "at", "during", "over", "across", "from", "by",
                         "until", "after", "before", "as", "to", "for", "within"})


@dataclass(slots=True)
class _Quantity:
    """A quantity claim while it is found: tokens [start, end) are the quantity as written."""

    start: int
    end: int
    value: Decimal
    comparator: str
    hedge: str | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    unit: str | None = None
    counted: Span | None = None
    counted_key: str | None = None
    location: Span | None = None  # the place's mention
    time: Span | None = None  # resolved later, against the publication date
    statement: Span | None = None


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


class Quantities(Pipe):
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
        error_handler = self.get_error_handler()
        try:
            self.set_annotations(doc, self.find(doc))
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)

    def find(self, doc: Doc) -> list[_Quantity]:
        """The quantity claims in document order, each with the statement it stands in."""
        places = self._places(doc)
        found: list[tuple[_Quantity, Token | None]] = []
        for sent in doc.sents:
            previous: tuple[_Quantity, Token | None] | None = None
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
        quantities = [f[0] for f in found]
        self._attach_statements(doc, quantities)
        return quantities

    def set_annotations(self, doc: Doc, found: list[_Quantity]) -> None:
        spans = []
        for item in found:
            span = Span(doc, item.start, item.end, label=item.comparator)
            span._.factgraph_value = item.value
            span._.factgraph_hedge = item.hedge
            span._.factgraph_min_value = item.min_value
            span._.factgraph_max_value = item.max_value
            span._.factgraph_unit = item.unit
            span._.factgraph_counted = item.counted
            span._.factgraph_counted_key = item.counted_key
            span._.factgraph_location = item.location
            span._.factgraph_time = item.time
            span._.factgraph_statement = item.statement
            spans.append(span)
        doc.spans[QUANTITIES] = spans

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
               previous: tuple[_Quantity, Token | None] | None, places: dict[int, Span]
               ) -> tuple[_Quantity, Token | None]:
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
        info = _Quantity(start=first, end=first, value=value, comparator=comparator or "equal",
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
            info.counted = doc[after:counted_end] if counted_end > after else None
            info.counted_key = self._key(head)
            last = max(last, head.i)
        info.end = last + 1
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

    def _places(self, doc: Doc) -> dict[int, Span]:
        """The mentions of places, by their first token."""
        places = {}
        for span in doc.spans.get(MENTIONS, []):
            if span._.factgraph_actor.type is ActorType.PLACE:
                places[span.start] = span
        return places

    def _location(self, doc: Doc, start: int, sent: Span, places: dict[int, Span]
                  ) -> Span | None:
        """The first place in an "in ..." phrase right after the quantity."""
        for token in doc[start:min(sent.end, start + 3)]:
            if token.lower_ == "in":
                for j in range(token.i + 1, min(sent.end, token.i + 4)):
                    if j in places:
                        return places[j]
        return None

    def _time(self, doc: Doc, start: int, sent: Span) -> Span | None:
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
                return doc[token.i:last.i + 1]
            if token.lower_ in ("so", "thus") and nxt is not None and nxt.lower_ == "far":
                return doc[token.i:token.i + 2]
            if token.lower_ == "to" and nxt is not None and nxt.lower_ == "date":
                return doc[token.i:token.i + 2]
        return None

    def _attach_statements(self, doc: Doc, found: list[_Quantity]) -> None:
        """The statement a quantity stands in: the shortest content holding its start."""
        statements = [(content_chars(s), s) for s in doc.spans.get(STATEMENTS, [])]
        for item in found:
            at = doc[item.start].idx
            best = None
            for (start, end), statement in statements:
                if start <= at < end and (best is None or end - start <= best[0]):
                    best = (end - start, statement)
            item.statement = best[1] if best is not None else None


@Language.factory(
    "factgraph_quantities",
    assigns=["doc.spans", "span._.factgraph_value", "span._.factgraph_hedge",
             "span._.factgraph_min_value", "span._.factgraph_max_value", "span._.factgraph_unit",
             "span._.factgraph_counted", "span._.factgraph_counted_key",
             "span._.factgraph_location", "span._.factgraph_time", "span._.factgraph_statement"],
    requires=["doc.sents", "token.dep", "token.head", "token.tag", "token.pos", "token.lemma",
              "token.ent_type", "token.ent_iob", "doc.spans", "span._.factgraph_actor",
              "span._.factgraph_content_chars"],
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
