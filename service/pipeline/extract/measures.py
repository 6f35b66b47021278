"""What a quantity measures besides the counted thing, read from the dependency parse.

- The predicate: the verb or event noun the count is the count of ("three US troops were
  killed": kill; "the deaths of three soldiers": death; "There are 2,500 troops": be), folded
  into a class by the lexicon (`data/measures.json`: killed and died are one class). A verb
  that only reports or carries out what is counted ("118 attacks were reported") leaves the
  counted thing's own class ("occur" for events).
- The participant: the predicate's other core argument ("Clinton won 52 percent": Clinton;
  "50 percent chose Clinton": Clinton), as the actor it names, else its lemma. A pronoun is
  unknown ("?"): two "he won" are never the same measure. A nation that holds what is counted
  ("The US has 2,500 troops") goes into the counted key instead ("us-troop").
- The nature: a change ("rose by 5 percent", "a 5 percent increase"), a flow per period ("300
  megawatts a year", "annual output") or else a stock.
- The occasion (`occasions.Occasions`): the event the count belongs to ("in a drone attack on
  Tower 22"), and a date and a place of the predicate's clause ("four years ago", "in Jordan").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from service.pipeline.extract.measure_lexicon import MeasureLexicon
from service.pipeline.extract.occasions import Occasions
from service.pipeline.records import UNKNOWN_PARTY as UNKNOWN

__all__ = ["Measure", "MeasureReader"]

_NOUNS = frozenset({"NOUN", "PROPN", "NUM", "PRON"})
_VERBS = frozenset({"VERB", "AUX", "ADJ", "ADV"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_OBJECTS = frozenset({"dobj", "attr", "oprd", "dative", "acomp", "npadvmod"})
_MODIFIERS = frozenset({"compound", "amod", "nummod", "nmod", "quantmod"})
_RELATIVE = frozenset({"who", "whom", "which", "that"})
_SAME_KEY_PREPS = frozenset({"by", "with", "of"})  # "lead by 5 points" is "a 5-point lead"
_HYPOTHETICAL = frozenset({"whether", "if", "unless"})
_QUALIFYING_PREPS = frozenset({"among", "from", "against", "over", "toward", "towards", "about"})
_NOT_RATE = frozenset({("ago",), ("earlier",), ("later",), ("old",), ("before",), ("after",)})


@dataclass(frozen=True, slots=True)
class Measure:
    """What one quantity measures; None where the text does not say."""

    predicate: Span | None = None  # the governing word as written ("killed", "carried out")
    predicate_key: str | None = None  # "[participant/]class": "hillary-clinton/win", "die"
    nature: str = "stock"  # stock, flow or change
    event: Span | None = None  # "a drone attack on Tower 22"
    event_key: str | None = None  # "tower-22/attack": only for a named event
    time: Span | None = None  # a date of the predicate's clause ("four years ago")
    place: Span | None = None  # a place mention of the predicate's clause or event
    nation: str | None = None  # the nation that holds what is counted, for the counted key


@dataclass(frozen=True, slots=True)
class _Governor:
    word: Token  # the verb, event noun or "with" the count hangs on
    role: str  # subject, object, of, modifier, or the preposition ("by", "from")
    attached: Token  # the token of the quantity's phrase attached to it


class MeasureReader:
    """Reads the measure of each quantity of a document; `named_events` first, once a doc."""

    def __init__(self, lexicon: MeasureLexicon, demonyms: dict[str, str]) -> None:
        self.lex = lexicon
        self.demonyms = demonyms
        self.occasions = Occasions(lexicon.events)

    def named_events(self, doc: Doc) -> list[tuple[int, str, str]]:
        """(token index, lemma, key) of every event the text names: read once a document."""
        return self.occasions.named_events(doc)

    # --- one quantity -------------------------------------------------------------------------

    def read(self, anchor: Token, counted: Token | None, end: int,
             mentions: dict[int, Span], places: dict[int, Span],
             events: list[tuple[int, str, str]]) -> Measure:
        """The measure of the quantity whose phrase hangs on `anchor` (its counted noun, else
        its own head token); `end` is the token after the quantity as written."""
        governor = self._governor(anchor)
        event_token = self._event_token(governor, counted)
        event, event_key = self.occasions.event(event_token, events)
        if governor is None:
            return Measure(nature=self._nature(None, anchor, counted, end), event=event,
                           event_key=event_key)
        word = governor.word
        if any(c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL for c in word.children):
            return Measure(event=event, event_key=event_key)  # "whether there are 2,400 or"
        if word.lemma_ == "be":  # "28% who would be scared": the adjective is the predicate
            word = next((c for c in word.children if c.dep_ == "acomp"
                         and c.i != governor.attached.i), word)
        key = self._class(self._lemma(word), counted)
        party = self._participant(governor, event_token) or self._owner(counted)
        if governor.role == "at" and self._lemma(word) in self.lex.estimates:
            key = "present"  # "Hurun lists Trump's wealth at $6.5 billion": the wealth is
            party = next((c for c in word.children if c.dep_ == "dobj"), None)
        elif governor.role not in _SAME_KEY_PREPS | {"subject", "object", "modifier"}:
            key = f"{key}-{governor.role}"
        nation = None
        if party is not None and key == "present":
            nation = self._nation(party, mentions)
        key += "".join(f"+{q}" for q in self._qualifiers(governor, word, party, event_token,
                                                          anchor, mentions))
        if nation is None and party is not None:
            key = f"{self._participant_key(party, mentions)}/{key}"
        return Measure(
            predicate=word.doc[word.i:word.i + 1], predicate_key=key,
            nature=self._nature(governor, anchor, counted, end),
            event=event, event_key=event_key, time=self.occasions.date(governor.word, event_token),
            place=self.occasions.place(governor.word, event_token, places), nation=nation,
        )

    def _event_token(self, governor: _Governor | None, counted: Token | None) -> Token | None:
        if governor is None:
            return None
        verb = governor.word.head if governor.role == "with" else governor.word
        skip = {governor.attached.i, *(t.i for t in (counted,) if t is not None)}
        return self.occasions.event_token(verb, skip)

    def _governor(self, anchor: Token) -> _Governor | None:
        """The word the quantity's phrase hangs on, climbing coordination and "one of"."""
        t = anchor
        for _ in range(6):
            for child in t.rights:
                role = self._clause_role(child)
                if role is not None and not self._held(t, child):
                    return _Governor(child, role, t)
            head, dep = t.head, t.dep_
            if head.i == t.i:
                return None
            if dep in ("conj", "appos"):
                t = head
                continue
            if dep in _SUBJECTS and head.pos_ in _VERBS:
                return _Governor(head, "subject", t)
            if dep in _OBJECTS and head.pos_ in _VERBS:
                return _Governor(head, "object", t)
            if dep == "pobj" and head.dep_ in ("prep", "agent", "dative"):
                return self._through_preposition(head, t)
            if dep in _MODIFIERS and head.pos_ == "NOUN":
                return _Governor(head, "modifier", t)
            return None
        return None

    def _held(self, noun: Token, clause: Token) -> bool:
        """ "France keeps 900 soldiers stationed in Jordan": being there is said twice, and the
        verb the noun is the object of names who holds them."""
        verb = noun.head
        return (noun.dep_ in _OBJECTS and verb.pos_ in ("VERB", "AUX")
                and self._class(self._lemma(clause), None) == "present"
                and self._class(self._lemma(verb), None) == "present")

    @staticmethod
    def _clause_role(clause: Token) -> str | None:
        """How a noun is in the clause that modifies it: "troops stationed in Syria" (subject
        of a participle), "troops who were killed", "troops that the US sent" (object)."""
        if clause.pos_ not in ("VERB", "AUX"):
            return None
        if clause.dep_ == "acl":
            return "subject"
        if clause.dep_ != "relcl" or clause.doc[clause.left_edge.i - 1].text == ",":
            return None  # ", which is the lowest": a comment on the number, not its predicate
        for child in clause.children:
            if child.lower_ in _RELATIVE and child.dep_ in _SUBJECTS:
                return "subject"
            if child.lower_ in _RELATIVE and child.dep_ == "dobj":
                return "object"
        return None

    def _through_preposition(self, prep: Token, attached: Token) -> _Governor | None:
        above = prep.head
        word = prep.lower_
        if word == "with":
            return _Governor(prep, "with", attached)
        if word == "of" and above.pos_ in _NOUNS:
            lemma = above.lemma_.lower()
            if lemma in self.lex.predicates or lemma in self.lex.change:
                return _Governor(above, "of", attached)  # "the deaths of three soldiers"
            return self._governor(above)  # "one of 3 people", "a group of 50"
        if above.pos_ in _VERBS or (above.pos_ == "NOUN" and above.lemma_.lower() in
                                    self.lex.change):
            return _Governor(above, word, attached)
        return None

    def _lemma(self, word: Token) -> str:
        lemma = word.lemma_.lower()
        particle = [c.lower_ for c in word.children if c.dep_ == "prt"]
        return f"{lemma} {particle[0]}" if particle else lemma

    def _class(self, lemma: str, counted: Token | None) -> str:
        if lemma in self.lex.transparent and counted is not None:
            noun = counted.lemma_.lower()
            if noun in self.lex.predicates:
                return self.lex.predicates[noun]  # "5 deaths were reported": die
            if noun in self.lex.transparent_nouns:
                return "occur"  # "118 attacks were reported", "carried out 150 attacks"
        return self.lex.predicates.get(lemma, lemma)

    # --- the other core argument ----------------------------------------------------------------

    def _participant(self, governor: _Governor, event: Token | None) -> Token | None:
        word, role = governor.word, governor.role
        if role == "with":  # "Sanders with 47 percent", "shows Sanders with 47 percent"
            head = word.head
            if head.pos_ in ("NOUN", "PROPN"):
                return head
            found = next((c for c in head.children if c.dep_ == "dobj"), None)
            return found if found is not None else self._subject(head)
        if word.pos_ == "ADJ" and word.dep_ == "amod":  # "the 83-year-old justice"
            return word.head
        if word.pos_ == "NOUN":  # "Trump's lead", else what the noun's phrase hangs on
            own = next((c for c in word.children if c.dep_ == "poss"), None)
            if own is not None:
                return own
            above = self._governor(word)
            return self._participant(above, event) if above is not None and \
                above.word.i != word.i else None
        if role == "subject":
            found = next((c for c in word.children if c.dep_ == "dobj"), None)
        else:
            found = self._subject(word)
        if found is None or (event is not None and found.i == event.i):
            return None
        return found

    @staticmethod
    def _owner(counted: Token | None) -> Token | None:
        """Whose the counted things are: "their two children", "Trump's delegates"."""
        if counted is None:
            return None
        return next((c for c in counted.children if c.dep_ == "poss"), None)

    def _qualifiers(self, governor: _Governor, word: Token, party: Token | None,
                    event: Token | None, anchor: Token, mentions: dict[int, Span]) -> list[str]:
        """What else the predicate is about, each part of the measure: the other side ("leads
        Sanders 49 percent to 41"), a group ("among Democrats"), a source or target ("comes
        from women", "a lead over Cruz"), and what a clause says ("saying they will support
        Clinton")."""
        skip = {governor.attached.i, anchor.i, *(t.i for t in (party, event) if t is not None)}
        found = []
        for child in [*word.children, *(c for c in anchor.children if c.lower_ == "among")]:
            if child.i in skip:
                continue
            if child.dep_ == "dobj" and governor.role != "subject":
                found.append(self._participant_key(child, mentions))
            elif child.dep_ == "prep" and (child.lower_ == "among" or (
                    child.lower_ in _QUALIFYING_PREPS and governor.role != "object")):
                whole = next((c for c in child.children if c.dep_ == "pobj"), None)
                if whole is not None and whole.i not in skip and whole.ent_type_ != "DATE":
                    found.append(f"{child.lower_}:{self._participant_key(whole, mentions)}")
            elif child.dep_ in ("ccomp", "xcomp") and child.pos_ in ("VERB", "AUX"):
                said = [self._lemma(child)] + [self._participant_key(c, mentions)
                                               for c in child.children
                                               if c.dep_ in ("dobj", "attr", "acomp")]
                found.append("that:" + "-".join(said))
        return found

    def _subject(self, verb: Token) -> Token | None:
        for _ in range(3):
            for child in verb.children:
                if child.dep_ == "expl":
                    return None  # "There are 2,500 troops"
                if child.dep_ in ("nsubj", "nsubjpass"):
                    if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                        return verb.head  # "Clinton, who has 44 percent"
                    return child
            if verb.dep_ not in ("conj", "xcomp", "advcl", "ccomp", "acomp") or \
                    verb.head.i == verb.i:
                return None
            verb = verb.head
        return None

    def _participant_key(self, token: Token, mentions: dict[int, Span]) -> str:
        if token.i in mentions:
            return mentions[token.i].kb_id_
        if token.pos_ == "PRON":
            return UNKNOWN
        owner = [self._participant_key(c, mentions) for c in token.lefts if c.dep_ == "poss"]
        words = [c.lower_ for c in token.lefts if c.dep_ == "compound"]
        return "-".join([*owner, *words, token.lemma_.lower()])

    def _nation(self, token: Token, mentions: dict[int, Span]) -> str | None:
        text = mentions[token.i].text if token.i in mentions else token.text
        name = text.lower().removeprefix("the ").strip()
        return self.demonyms.get(name)

    # --- stock, flow or change ------------------------------------------------------------------

    def _nature(self, governor: _Governor | None, anchor: Token, counted: Token | None,
                end: int) -> str:
        if governor is not None:
            lemma = governor.word.lemma_.lower()
            if lemma in self.lex.change and governor.role in ("by", "object", "modifier", "of"):
                return "change"
        if any(c.lower_ in ("up", "down") and c.dep_ in ("advmod", "quantmod")
               for c in anchor.children):
            return "change"  # "up 5 percent"
        doc = anchor.doc
        words = tuple(t.lower_ for t in doc[end:min(len(doc), end + 3)])
        for size in (1, 2):  # right after the quantity: "300 megawatts a year", not "a year ago"
            if words[:size] in self.lex.flow_after and words[size:size + 1] not in _NOT_RATE:
                return "flow"
        nouns = [t for t in (counted, governor.word if governor else None) if t is not None]
        if any(c.lower_ in self.lex.flow_modifiers for t in nouns for c in t.children):
            return "flow"
        if counted is not None and any(c.lower_ == "per" for c in counted.children):
            return "flow"
        return "stock"

