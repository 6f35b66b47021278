"""Numbers that are no quantity: they name, date or time something, or stand for a thing.

Years ("in 2019"), days of a month ("Feb. 21"), clock times ("5 am"), durations ("for three
hours", "a five-year plan"; an age, "a 50-year-old man", is a quantity), numbers that label
("category 4", "No. 1", "Unit 3"), numbers in names ("iPhone 11 Pro", "787 Dreamliner",
"Tower 22"), addresses ("575 Wilbraham Road", "9 E 71st St"), ranks ("the bottom three"),
"one of the best" and the pronoun "one" ("the same one"). Each rule looks at a few tokens
around the number, never at a list of names.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from service.pipeline.extract.amounts import Amount, Words
from service.pipeline.extract.quantity_lexicon import QuantityLexicon
from service.pipeline.extract.timex import MONTHS

__all__ = ["is_duration", "not_a_quantity"]

_NAME_ENTITIES = frozenset({"PERSON", "ORG", "FAC", "PRODUCT", "LAW", "WORK_OF_ART", "EVENT"})
_NOT_NAME_BEFORE = frozenset({"GPE", "NORP", "MONEY", "PERSON", "DATE", "TIME", "CARDINAL",
                              "QUANTITY", "PERCENT", "LOC"})
_NOT_NAME_AFTER = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC", "MONEY", "DATE", "TIME",
                             "QUANTITY", "PERCENT", "CARDINAL"})
_YEAR_BEFORE = frozenset({"in", "since", "by", "from", "until", "till", "of", "to", "between",
                          "and", "during", "before", "after", "early", "late", "mid", "the",
                          "through", "circa", "c.", "year", "fiscal", "spring", "summer",
                          "autumn", "fall", "winter", "-", "–"})
_DASHES = frozenset({"-", "–", "—"})
_PRONOUN_BEFORE = frozenset({"DT", "PRP$", "JJ", "JJS", "JJR", "WDT"})


def not_a_quantity(doc: Doc, words: Words, sent: Span, amount: Amount, lex: QuantityLexicon
                   ) -> str | None:
    """Why the amount is no quantity ("year", "date", "duration", "label", ...), or None."""
    if amount.kind in ("fraction", "vague"):
        return None
    token = doc[amount.first]
    before = doc[amount.start - 1] if amount.start > sent.start else None
    after = doc[amount.last] if amount.last < sent.end else None
    if after is not None and after.lower_ in lex.clock_words:
        return "time"
    if token.lower_ == "one" and amount.last - amount.first == 1:
        if after is not None and after.lower_ == "of":
            return "one of"
        if token.tag_ != "CD" or (before is not None and before.tag_ in _PRONOUN_BEFORE
                                  and token.dep_ != "nummod"):
            return "pronoun"
    if token.text.startswith(("-", "−")) and before is not None and before.is_alpha and \
            before.text.isupper():
        return "name"  # "COVID -19"
    if not amount.plain:
        return None
    if _year(doc, amount, before, after):
        return "year"
    if amount.value <= 31 and (_month(before) or _month(after) or _day_range(doc, amount)):
        return "date"
    return _label(amount, before, after, lex) or \
        _name(doc, sent, amount, before, after, lex) or _address(words, sent, amount, lex) or \
        _rank(doc, amount, before, after, lex)


def is_duration(doc: Doc, sent: Span, amount: Amount, lex: QuantityLexicon) -> bool:
    """"for three hours", "a five-year plan", "~25-40min", "the 50 previous years"; not an age
    ("a 50-year-old man")."""
    token = doc[amount.first]
    timed = amount.is_time or (
        token.dep_ == "nummod" and token.head.i >= amount.last and token.head.i < sent.end
        and token.head.lower_ in lex.time_units and amount.kind != "fraction")
    if not timed:
        return False
    return not _age(doc, amount, sent)


def _age(doc: Doc, amount: Amount, sent: Span) -> bool:
    """"50 year-old", "a 66-year-old", "now-18 month-old"."""
    for token in doc[amount.last:min(sent.end, amount.last + 4)]:
        if token.lower_ in ("old", "-old"):
            return True
        if token.text not in _DASHES and not token.lower_.rstrip("s").endswith(
                ("year", "month", "week", "day")):
            return False
    return False


def _year(doc: Doc, amount: Amount, before: Token | None, after: Token | None) -> bool:
    token = doc[amount.first]
    if amount.unit is None and 1600 <= amount.value <= 2199 and len(token.text) == 4:
        if token.ent_type_ == "DATE" or before is None or before.lower_ in _YEAR_BEFORE \
                or _month(before):
            return True
        if after is not None and after.text in _DASHES:
            return True
    if before is not None and before.text in ("'", "’", "‘") and len(token.text) == 2:
        return True  # "in '16"
    # the "20" of "2019-20"
    if before is not None and before.text in _DASHES and amount.start >= 2:
        earlier = doc[amount.start - 2]
        return earlier.text.isdigit() and len(earlier.text) == 4 and \
            1600 <= int(earlier.text) <= 2199 and len(token.text) == 2
    return False


def _month(token: Token | None) -> bool:
    if token is None or not token.text[:1].isupper():
        return False
    word = token.lower_.rstrip(".")
    return word in MONTHS or (word[:3] in MONTHS and word.startswith("sept"))


def _day_range(doc: Doc, amount: Amount) -> bool:
    """The second day of "Dec. 6-9", "February 15-17"."""
    start = amount.start
    return start >= 3 and doc[start - 1].text in _DASHES and doc[start - 2].text.isdigit() \
        and _month(doc[start - 3])


def _label(amount: Amount, before: Token | None, after: Token | None, lex: QuantityLexicon
           ) -> str | None:
    """"category 4", "Unit 3", "No. 1"; not "a week 5 people died" (a plural noun follows)."""
    if before is None or amount.unit is not None:
        return None
    lower = before.lower_
    if lower in lex.capitalised_labels:
        return "label" if before.text[:1].isupper() else None
    if lower in lex.labels and before.pos_ in ("NOUN", "PROPN") and not (
            after is not None and after.tag_ in ("NNS", "NNPS")):
        return "label"
    return None


def _capitalised_name(token: Token) -> bool:
    return token.pos_ == "PROPN" and any(ch.isupper() for ch in token.text) and \
        not token.is_punct and not token.like_num


def _name(doc: Doc, sent: Span, amount: Amount, before: Token | None, after: Token | None,
          lex: QuantityLexicon) -> str | None:
    """A number in a name: "iPhone 11", "Note 20 Ultra", "787 Dreamliner", "Fortune 100"."""
    token = doc[amount.first]
    if amount.unit is not None:
        return None
    if token.ent_type_ in _NAME_ENTITIES and token.ent_iob_ == "I":
        return "name"
    name_before = before is not None and _capitalised_name(before) and \
        before.ent_type_ not in _NOT_NAME_BEFORE and before.i > sent.start
    capitalised_after = after is not None and _capitalised_name(after) and \
        after.lower_ not in lex.units and after.text not in lex.currency_prefixes
    if name_before and (capitalised_after or token.head == before or before.head == token
                        or token.head == before.head):
        return "name"  # "iPhone 11 has", "Note 20 Ultra", "iPhone 12 Mini deal"
    if capitalised_after and after is not None and after.tag_ == "NNP" and \
            after.ent_type_ not in _NOT_NAME_AFTER and token.text.isdigit() and \
            len(token.text) >= 2 and (token.head == after or token.head == after.head):
        return "name"  # "787 Dreamliner", "737 Max jets"; not "53 Senate seats"
    return None


def _address(words: Words, sent: Span, amount: Amount, lex: QuantityLexicon) -> str | None:
    """A house number: capitalised words (or "-", "71st") up to a street type within four tokens;
    not "nine Supreme Court justices" (a noun after the street type)."""
    for i in range(amount.last, min(sent.end, amount.last + 5)):
        text = words.text[i]
        if words.lower[i] in lex.street_types and text[:1].isupper():
            if i + 1 < sent.end and words.lower[i + 1] == words.text[i + 1] and \
                    words.text[i + 1].isalpha() and sent.doc[i + 1].pos_ == "NOUN":
                return None
            return "address"
        if not (text[:1].isupper() or text in _DASHES or text[:1].isdigit()):
            return None
    return None


def _rank(doc: Doc, amount: Amount, before: Token | None, after: Token | None,
          lex: QuantityLexicon) -> str | None:
    """"the bottom three", "the top five" with no noun after."""
    if before is None or before.lower_ not in lex.ranks or amount.start < 2:
        return None
    if doc[amount.start - 2].lower_ != "the":
        return None
    if after is not None and after.pos_ in ("NOUN", "PROPN"):
        return None
    return "rank"
