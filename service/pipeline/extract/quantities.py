"""Quantity claims: numbers in digits or words, with their hedge, unit and what they count.

A hedge before the number gives the comparator ("roughly" -> approximately, "upwards of" ->
greaterOrEqual); a number whose noun is elided ("and 900 in Syria") takes the counted noun,
and the hedge if it has none, from the quantity it is coordinated with. Dates, times,
ordinals, years, numbers in names ("Tower 22") and "one of" are no quantities. What else the
number measures (predicate, event, stock/flow/change, a date or place of its clause) is read
by `measures.MeasureReader`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from service.pipeline.extract.amounts import Amount, AmountReader, Words, join_ranges
from service.pipeline.extract.component import FindingPipe
from service.pipeline.extract.extensions import MENTIONS, QUANTITIES, STATEMENTS, content_chars
from service.pipeline.extract.identifiers import is_duration, not_a_quantity
from service.pipeline.extract.lexicon import Numbers
from service.pipeline.extract.measure_lexicon import MeasureLexicon
from service.pipeline.extract.measures import MeasureReader
from service.pipeline.extract.quantity_lexicon import QuantityLexicon
from service.pipeline.records import AMOUNT_KEY, SHARE_KEY, ActorType

__all__ = ["Quantities", "interval", "make_quantities"]

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
    predicate: Span | None = None  # "killed": what the number is the count of
    predicate_key: str | None = None  # "die", "hillary-clinton/win"
    nature: str = "stock"  # stock, flow or change
    event: Span | None = None  # "a drone attack on Tower 22"
    event_key: str | None = None  # "tower-22/attack"


@dataclass(frozen=True, slots=True)
class _Context:
    """What every quantity of a document is read against: its places, actor mentions (by
    token) and named events."""

    places: dict[int, Span]
    mentions: dict[int, Span]
    events: list[tuple[int, str, str]]


def _same_predicate(a: Span | None, b: Span | None) -> bool:
    return a is not None and b is not None and a.root.lemma_ == b.root.lemma_


def interval(
    value: Decimal, comparator: str, width: Decimal
) -> tuple[Decimal | None, Decimal | None]:
    """[min, max] read into a hedged value; the policy for "approximately" is +-width."""
    if comparator == "approximately":
        return value - abs(value) * width, value + abs(value) * width
    if comparator in ("greaterThan", "greaterOrEqual"):
        return value, None
    if comparator in ("lessThan", "lessOrEqual"):
        return None, value
    return value, value


class Quantities(FindingPipe):
    """Finds quantity claims and writes them to `doc.spans["factgraph_quantities"]`."""

    def __init__(self, name: str, numbers: Numbers, hedges: dict[str, str],
                 width: Decimal, demonyms: dict[str, str], lexicon: QuantityLexicon,
                 measures: MeasureLexicon) -> None:
        self.name = name
        self.numbers = numbers
        self.lexicon = lexicon
        self.measures = MeasureReader(measures, demonyms)
        self.reader = AmountReader(numbers, lexicon)
        self.hedges = hedges
        self.width = width
        self.demonyms = demonyms
        self.longest_hedge = max((len(h.split()) for h in hedges), default=1)

    def find(self, doc: Doc) -> list[_Quantity]:
        """The quantity claims in document order, each with the statement it stands in."""
        places = self._places(doc)
        context = _Context(places, {t.i: s for s in doc.spans.get(MENTIONS, []) for t in s},
                           self.measures.named_events(doc))
        words = Words(doc)
        quantities: list[_Quantity] = []
        for sent in doc.sents:
            amounts = [a for a in self.reader.find(words, sent.start, sent.end)
                       if not_a_quantity(doc, words, sent, a, self.lexicon) is None]
            amounts = [a for a in join_ranges(doc, words, amounts)
                       if not is_duration(doc, sent, a, self.lexicon)]
            previous: tuple[_Quantity, Token | None, Amount] | None = None
            for k, amount in enumerate(amounts):
                limit = amounts[k + 1].start if k + 1 < len(amounts) else sent.end
                info, head = self._claim(doc, words, sent, amount, previous, context, limit)
                quantities.append(info)
                previous = (info, head, amount)
        self._attach_statements(doc, quantities)
        return quantities

    def set_annotations(self, doc: Doc, found: list[_Quantity]) -> None:
        spans = []
        for item in found:
            span = Span(doc, item.start, item.end, label=item.comparator)
            for name, value in (
                    ("factgraph_value", item.value), ("factgraph_hedge", item.hedge),
                    ("factgraph_min_value", item.min_value),
                    ("factgraph_max_value", item.max_value), ("factgraph_unit", item.unit),
                    ("factgraph_counted", item.counted),
                    ("factgraph_counted_key", item.counted_key),
                    ("factgraph_location", item.location), ("factgraph_time", item.time),
                    ("factgraph_statement", item.statement),
                    ("factgraph_predicate", item.predicate),
                    ("factgraph_predicate_key", item.predicate_key),
                    ("factgraph_nature", item.nature), ("factgraph_event", item.event),
                    ("factgraph_event_key", item.event_key)):
                if value is not None:  # an extension never set reads as None
                    span._.set(name, value)
            spans.append(span)
        doc.spans[QUANTITIES] = spans

    def _hedge(self, doc: Doc, words: Words, start: int, floor: int
               ) -> tuple[int, str | None, str | None]:
        for size in range(self.longest_hedge, 0, -1):
            first = start - size
            if first < floor:
                continue
            phrase = " ".join(words.lower[first:start])
            if phrase in self.hedges:
                return first, doc[first:start].text, self.hedges[phrase]
        return start, None, None

    def _claim(self, doc: Doc, words: Words, sent: Span, amount: Amount,
               previous: tuple[_Quantity, Token | None, Amount] | None,
               context: _Context, limit: int) -> tuple[_Quantity, Token | None]:
        first, hedge, comparator = self._hedge(doc, words, amount.start, sent.start)
        if amount.comparator is not None:  # a range, "~45", "sub-7", "or more"
            comparator = amount.comparator
            hedge = hedge if amount.hedge is None else amount.hedge
        unit = amount.unit[5:] if amount.unit and amount.unit.startswith("time:") else amount.unit
        after = amount.end
        head = self._head(doc, amount.first, amount.last, after, limit)
        info = _Quantity(start=first, end=first, value=amount.value,
                         comparator=comparator or "equal", hedge=hedge, unit=unit)
        if previous is not None and comparator is None and \
                self._converts(doc, previous[2], amount):
            info.comparator, info.hedge = previous[0].comparator, previous[0].hedge
        elided = head is None and unit is None
        if elided and previous is not None and previous[1] is not None and \
                doc[amount.first].head.i in (previous[1].i, *(t.i for t in previous[1].children)):
            head = previous[1]
            info.counted, info.counted_key = previous[0].counted, previous[0].counted_key
            if hedge is None and comparator is None:
                info.comparator, info.hedge = previous[0].comparator, previous[0].hedge
        last = after - 1
        if head is not None and head.i >= after:
            counted_end = min(self._counted_end(head), limit)
            info.counted = doc[after:counted_end] if counted_end > after else None
            info.counted_key = self._key(head)
            last = max(last, head.i)
        info.end = last + 1
        if amount.min_value is not None or amount.max_value is not None:
            info.min_value, info.max_value = amount.min_value, amount.max_value
        else:
            info.min_value, info.max_value = interval(info.value, info.comparator, self.width)
        own = head if head is not None and head.i >= after else None
        anchor = own or self._root(doc, amount)
        measure = self.measures.read(anchor, head, info.end, context.mentions, context.places,
                                     context.events)
        info.predicate, info.predicate_key = measure.predicate, measure.predicate_key
        info.nature, info.event, info.event_key = measure.nature, measure.event, measure.event_key
        if info.counted_key is None and unit is not None:
            info.counted_key = self._share_key(anchor) if unit == "percent" else AMOUNT_KEY
        elif info.counted_key is None and previous is not None and \
                _same_predicate(previous[0].predicate, measure.predicate):
            info.counted_key = previous[0].counted_key  # "one says there are 2,400 billionaires,
            # another says there are about 1,800"
        if measure.nation and info.counted_key and \
                measure.nation not in info.counted_key.split("-")[:-1]:
            info.counted_key = f"{measure.nation}-{info.counted_key}"  # "The US has 2,500 troops"
        info.location = self._location(words, last + 1, sent, context.places) or measure.place
        info.time = self._time(doc, words, last + 1, sent) or measure.time
        return info, head

    def _share_key(self, anchor: Token) -> str:
        """What a percentage is a share of: "52 percent of the vote" -> vote; else "share"."""
        for child in anchor.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                whole = next((c for c in child.children if c.dep_ == "pobj"), None)
                if whole is not None and whole.pos_ in ("NOUN", "PROPN"):
                    return self._key(whole)
        return SHARE_KEY

    @staticmethod
    def _root(doc: Doc, amount: Amount) -> Token:
        """The token of the amount as written that the rest of the sentence attaches to."""
        tokens = doc[amount.start:amount.end]
        outside = [t for t in tokens
                   if not amount.start <= t.head.i < amount.end or t.head.i == t.i]
        return outside[0] if outside else tokens.root

    @staticmethod
    def _converts(doc: Doc, earlier: Amount, amount: Amount) -> bool:
        """The amount restates the one before it in another unit: "more than 7.5 million
        Danish crowns (US $1.1 million)", "just under 296 hp (224 kW / 300 PS)"."""
        between = doc[earlier.end:amount.start]
        if len(between) == 0 or len(between) > 4 or between[-1].text not in ("(", "/"):
            return False
        return all(t.is_alpha for t in between[:-1])

    def _head(self, doc: Doc, i: int, end: int, after: int, limit: int) -> Token | None:
        """The counted noun: what the number modifies, after it and before the next number."""
        for token in doc[i:end]:
            head = token.head
            if token.dep_ in ("nummod", "quantmod", "compound", "amod") and head.i >= after and \
                    head.pos_ in ("NOUN", "PROPN", "PRON") and head.i < limit:
                return head
        if after < limit and doc[after].pos_ in ("NOUN", "PROPN") and doc[after].head.i >= after:
            head = doc[after].head if doc[after].head.pos_ == "NOUN" else doc[after]
            return head if head.i < limit else doc[after]
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

    def _location(self, words: Words, start: int, sent: Span, places: dict[int, Span]
                  ) -> Span | None:
        """The first place in an "in ..." phrase right after the quantity."""
        for i in range(start, min(sent.end, start + 3)):
            if words.lower[i] == "in":
                for j in range(i + 1, min(sent.end, i + 4)):
                    if j in places:
                        return places[j]
        return None

    def _time(self, doc: Doc, words: Words, start: int, sent: Span) -> Span | None:
        """A time qualifier after the quantity in its sentence ("since mid-October", "so far")."""
        for i in range(start, sent.end):
            lower = words.lower[i]
            if i > start and (words.digit[i] or lower in self.numbers.words):
                return None
            nxt = words.lower[i + 1] if i + 1 < sent.end else None
            if lower == "since" and nxt is not None and doc[i + 1].ent_type_ == "DATE":
                last = i + 1
                while last + 1 < sent.end and doc[last + 1].ent_type_ == "DATE" and \
                        doc[last + 1].ent_iob_ == "I":
                    last += 1
                return doc[i:last + 1]
            if (lower in ("so", "thus") and nxt == "far") or (lower == "to" and nxt == "date"):
                return doc[i:i + 2]
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
             "span._.factgraph_location", "span._.factgraph_time", "span._.factgraph_statement",
             "span._.factgraph_predicate", "span._.factgraph_predicate_key",
             "span._.factgraph_nature", "span._.factgraph_event", "span._.factgraph_event_key"],
    requires=["doc.sents", "token.dep", "token.head", "token.tag", "token.pos", "token.lemma",
              "token.ent_type", "token.ent_iob", "doc.spans", "span._.factgraph_actor",
              "span._.factgraph_content_chars"],
    default_config={"numbers": {"@misc": "factgraph.numbers.v1"},
                    "hedges": {"@misc": "factgraph.hedges.v1"},
                    "demonyms": {"@misc": "factgraph.demonyms.v1"},
                    "lexicon": {"@misc": "factgraph.quantity_lexicon.v1"},
                    "measures": {"@misc": "factgraph.measures.v1"}},
)
def make_quantities(
    nlp: Language,  # noqa: ARG001
    name: str,
    numbers: Numbers,
    hedges: tuple,
    demonyms: dict,
    lexicon: QuantityLexicon,
    measures: MeasureLexicon,
) -> Quantities:
    table, width = hedges
    return Quantities(name, numbers, dict(table), Decimal(width), dict(demonyms), lexicon,
                      measures)
