"""The occasion of a quantity, read from the dependency parse around its predicate: the event
it belongs to ("in a drone attack on Tower 22", "a Fox News poll shows"), whose key names it
("tower-22/attack") only when the text does, a definite "the poll" being the last poll named
before it; the date its clause is dated by ("in 2008", "four years ago", "on Sunday"); and a
place of its clause or event ("killed in Jordan", "the nightclub in Orlando, where ...").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

__all__ = ["Occasions", "coordinated", "own_phrase"]

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_VERBS = frozenset({"VERB", "AUX", "ADJ", "ADV"})
_NAME_TYPES = frozenset({"NORP", "GPE", "ORG", "EVENT", "PERSON", "FAC", "LOC"})
_EVENT_PREPS = frozenset({"in", "at", "during", "from", "to", "of", "on", "after"})
_DATE_PREPS = frozenset({"in", "on", "during", "by", "through", "throughout", "for"})
_PLACE_PREPS = frozenset({"in", "across", "throughout", "at", "inside"})
_BARE_ADJECTIVES = frozenset({"new", "latest", "same", "recent", "last", "earlier", "previous",
                              "current", "full", "whole", "entire", "final"})


class Occasions:
    """Finds events, dates and places around predicates; `events` are the event nouns."""

    def __init__(self, events: frozenset[str]) -> None:
        self.events = events

    def named_events(self, doc: Doc) -> list[tuple[int, str, str]]:
        """(token index, lemma, key) of every event noun the text names, in order."""
        found = []
        for token in doc:
            if token.pos_ == "NOUN" and token.lemma_.lower() in self.events:
                key = self._event_name(token)
                if key is not None:
                    found.append((token.i, token.lemma_.lower(), key))
        return found

    def event_token(self, verb: Token, skip: set[int]) -> Token | None:
        """The event noun of the predicate's clause (its subject, object, or an "in"/"at"/
        "according to" phrase), else of a clause above it; `skip` the quantity's own tokens."""
        if verb.pos_ == "NOUN" and verb.lemma_.lower() in self.events:
            return verb
        found = self._event_child(verb, skip)
        for above in verb.ancestors:  # "A Fox News poll shows Sanders ... versus Clinton, who
            if found is not None:  # has 44 percent": the poll of the clause above
                break
            if above.pos_ in ("VERB", "AUX"):
                found = self._event_child(above, skip)
        return found

    def _event_child(self, verb: Token, skip: set[int]) -> Token | None:
        for child in (c for v in coordinated(verb) for c in v.children):
            if child.i in skip:
                continue
            if child.dep_ in _SUBJECTS | {"dobj"} and self._is_event(child):
                return child
            target = child
            if child.lower_ == "according":  # "according to the 50-state poll"
                target = next((c for c in child.children if c.dep_ == "prep"), child)
            if target.dep_ == "prep" and target.lower_ in _EVENT_PREPS | {"to"}:
                pobj = next((c for c in target.children if c.dep_ == "pobj"), None)
                if pobj is not None and self._is_event(pobj):
                    return pobj
        return None

    def _is_event(self, token: Token) -> bool:
        return token.pos_ == "NOUN" and token.lemma_.lower() in self.events

    def event(self, token: Token | None, events: list[tuple[int, str, str]]
               ) -> tuple[Span | None, str | None]:
        if token is None:
            return None, None
        doc = token.doc
        end = token.i + 1
        for child in token.rights:
            if child.dep_ == "prep" and child.lower_ in ("on", "of", "in", "at"):
                end = child.right_edge.i + 1
                break
        span = doc[token.left_edge.i:end]
        key = self._event_name(token)
        if key is None and self._refers_back(token):
            lemma = token.lemma_.lower()
            earlier = [k for i, name, k in events if i < token.i and name == lemma]
            key = earlier[-1] if earlier else None
        return span, key

    @staticmethod
    def _refers_back(token: Token) -> bool:
        """"the poll", "the new poll": a definite event described by nothing of its own."""
        definite = any(c.lower_ in ("the", "this", "that") for c in token.children)
        described = any(c.dep_ in ("compound", "nmod", "nummod", "poss") or
                        (c.dep_ == "amod" and c.lower_ not in _BARE_ADJECTIVES)
                        for c in token.lefts)
        return definite and not described

    def _event_name(self, token: Token) -> str | None:
        """"fox-news/poll": the names in the event's phrase, None when it names nothing."""
        names = [t for left in token.lefts for t in left.subtree if self._names(t)]
        for child in token.rights:  # "an attack on Tower 22", "a poll by Quinnipiac"; not the
            if child.dep_ == "prep" and child.lower_ in ("on", "of", "at", "by"):  # place "in"
                names += [t for c in child.children if c.dep_ == "pobj"
                          for t in own_phrase(c) if self._names(t) and t.ent_type_ != "DATE"]
        if not names:
            return None
        words = ["".join(ch for ch in t.lower_ if ch.isalnum()) for t in names]
        return "-".join(w for w in words if w) + "/" + token.lemma_.lower()

    @staticmethod
    def _names(token: Token) -> bool:
        if token.pos_ == "PROPN" or token.ent_type_ in _NAME_TYPES:
            return True
        return token.like_num and token.ent_type_ in ("DATE", "EVENT", "FAC")  # 2012, Tower 22

    def date(self, word: Token, event: Token | None) -> Span | None:
        """A date entity the predicate's clause is dated by ("in 2008", "four years ago")."""
        doc = word.doc
        roots = [*coordinated(word), *([event] if event is not None else [])]
        for child in (c for root in roots for c in root.children):  # "an attack on Sunday"
            target = child
            if child.dep_ == "prep" and child.lower_ in _DATE_PREPS:
                target = next((c for c in child.children if c.dep_ == "pobj"), child)
            elif child.dep_ not in ("npadvmod", "advmod", "tmod"):
                continue
            if target.ent_type_ == "DATE":
                ent = next((e for e in doc.ents if e.start <= target.i < e.end), None)
                if ent is not None and not ent.text.lower().endswith("old"):  # an age
                    start = child.i if child.dep_ == "prep" and child.lower_ == "in" else ent.start
                    return doc[min(start, ent.start):ent.end]
        return None

    def place(self, word: Token, event: Token | None, places: dict[int, Span]) -> Span | None:
        """A place in the predicate's "in ..." phrase, else in the event's phrase, else the
        place a "where" clause hangs on ("the nightclub in Orlando, where 49 were killed")."""
        if word.dep_ == "relcl" and any(c.lower_ == "where" for c in word.children):
            antecedent = word.head
            found = [places[t.i] for t in antecedent.subtree if t.i in places and t.i < word.i]
            if found:
                return found[-1]
        for root in (*coordinated(word), event):
            if root is None:
                continue
            for child in root.children:
                if child.dep_ == "prep" and child.lower_ in _PLACE_PREPS | {"of", "on"}:
                    for token in child.subtree:
                        if token.i in places:
                            return places[token.i]
        return None


def coordinated(word: Token) -> list[Token]:
    """A verb with the verbs coordinated with it: in "were killed and 34 wounded in an attack"
    the attack belongs to both."""
    words = [word, *(c for c in word.children if c.dep_ == "conj" and c.pos_ in _VERBS)]
    if word.dep_ == "conj" and word.head.pos_ in _VERBS:
        words.append(word.head)
    return words


def own_phrase(head: Token) -> list[Token]:
    """A noun and its modifiers, without the phrases and clauses attached to it: "Tower 22" of
    "Tower 22 in Jordan on Sunday"."""
    skip = {t.i for c in head.children if c.dep_ in ("prep", "relcl", "acl", "appos", "conj")
            for t in c.subtree}
    return [t for t in head.subtree if t.i not in skip]
