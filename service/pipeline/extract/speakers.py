"""Who a speaker phrase refers to, read in document order.

A named speaker is the actor its mention links to; a surname alone, a family ("the Khans",
"Khizr and Ghazala Khan") and an organisation named after a person ("the Obama
administration") are resolved by the names the article gives. "he" and "she" refer to the last
person quoted if the gender fits, else to the nearest person named whose gender does; "it" to
the nearest organisation, "they" to the last group or organisation quoted; "I" and "we",
outside a "Name:" line, to the author, and inside a quotation ("they" too) to whoever is
quoted. "the statement" refers to whoever issued one, "his assessment" to whom "his" refers;
an indefinite document ("polls", "text messages") is a source of its own. A definite title
("the spokesman") refers to the person the text gave that title, else to the last person
quoted; "the resistance" to the organisation named before whose name it heads; an unnamed
source ("five US officials") becomes a Group actor named as written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from service.pipeline.extract.actors import Mentions
from service.pipeline.extract.extensions import MENTIONS
from service.pipeline.extract.gender import Genders
from service.pipeline.extract.lexicon import Sources, load_given_names
from service.pipeline.extract.quotes import Quotes
from service.pipeline.extract.registry import ActorRegistry, normalise_name
from service.pipeline.records import Actor, ActorType, actor_key

__all__ = ["SpeakerResolver", "speaker_phrase"]

_ONE = frozenset({"a", "an", "one", "another"})  # "a senior official": one unnamed person
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_MANY = frozenset({"number", "majority", "minority", "plurality", "percent", "half", "third",
                   "quarter", "lot", "handful", "dozen", "couple", "rest", "share", "pair"})
_PHRASE_DEPS = frozenset({"compound", "amod", "nummod", "poss", "det", "nmod", "appos", "prep",
                          "case", "quantmod", "advmod", "punct", "nn"})
_LABELLED_LINE = re.compile(r"\s*([A-Z][\w.'’ -]{0,40}):")  # "A:", "SANDERS:" open a Q&A line
_AUTHOR = Actor(key="the-author", name="the author", type=ActorType.PERSON, nameless=True,
                description="The article's author, who speaks in the first person.")


def speaker_phrase(head: Token) -> Span:
    """The noun phrase of a speaker as written, without relative clauses or trailing commas."""
    doc = head.doc
    start = head.left_edge.i
    end = head.i + 1
    named = [c for c in head.rights if c.dep_ == "appos" and head.pos_ != "PROPN"
             and (c.pos_ == "PROPN" or c.ent_type_ == "PERSON")]
    for child in [] if named else head.rights:
        if child.dep_ in ("relcl", "acl", "cc", "conj") or child.text in (",", ";", "—", "–"):
            break
        if child.dep_ in _PHRASE_DEPS:
            end = child.right_edge.i + 1
        else:
            break
    if named:  # "the water chief, Rosa Alvarez,": the role, and the name that says who
        end = named[0].right_edge.i + 1
    while end - 1 > start and doc[end - 1].is_punct and doc[end - 1].text not in ")]":
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].dep_ == "cc"):
        start += 1
    return doc[start:end]


@dataclass
class SpeakerResolver:
    """Keeps the discourse state (who was quoted, issued, named where) while statements are
    read in order."""

    doc: Doc
    registry: ActorRegistry
    sources: Sources
    last_speaker: str | None = None
    last_person: str | None = None
    last_issuer: str | None = None
    mentions: Mentions = field(init=False)  # the doc's, and the unnamed sources found
    genders: Genders = field(init=False)
    quotes: Quotes = field(init=False)
    _mention_of: dict[int, Span] = field(default_factory=dict)
    _orgs: list[tuple[int, str, str]] = field(default_factory=list)  # start, head word, key
    _people: list[tuple[int, str]] = field(default_factory=list)  # named or quoted, by start
    _heard: list[tuple[int, str]] = field(default_factory=list)  # speakers and issuers
    _roles: list[tuple[int, str, str]] = field(default_factory=list)  # "spokesman" of whom
    _surnames: dict[str, set[str]] = field(default_factory=dict)  # "khan" -> persons' keys
    _at: int = 0  # the token where the phrase read last starts
    _answerer: str | None = None  # who speaks in the "A:" lines of an interview
    _headline_end: int = 0  # where the text's first line ends

    def __post_init__(self) -> None:
        self.mentions = Mentions(self.doc)
        first_line = self.doc.text.find("\n")
        self._headline_end = first_line if first_line >= 0 else len(self.doc.text)
        self.quotes = Quotes(self.doc.text)
        self.genders = Genders(self.doc, load_given_names(), self.sources.gendered,
                               self.sources.pronouns, self.quotes)
        for span in self.doc.spans.get(MENTIONS, []):
            for token in span:
                self._mention_of[token.i] = span
            actor = span._.factgraph_actor
            if actor.type is ActorType.ORGANIZATION:
                self._orgs.append((span.start, span.root.lemma_.lower(), span.kb_id_))
            elif actor.type is ActorType.PERSON:
                self._people.append((span.start, span.kb_id_))
                self._roles.extend((span.start, role, span.kb_id_) for role in self._roles_of(span))
                words = actor.name.split()
                if len(words) >= 2:
                    self._surnames.setdefault(normalise_name(words[-1]), set()).add(actor.key)
        self._orgs.sort()
        self._people.sort()

    def actor(self, key: str | None) -> Actor | None:
        return (self.mentions.actors.get(key) or self.registry.get(key)) if key else None

    def mention_key(self, token: Token) -> str | None:
        span = self._mention_of.get(token.i)
        return span.kb_id_ if span is not None else None

    def last_organisation(self, before: int) -> str | None:
        """The organisation mentioned last before token `before`: what "the group" refers to."""
        found = [key for start, _, key in self._orgs if start < before]
        return found[-1] if found else None

    def inside(self, phrase: Span) -> str | None:
        """The actor a phrase names inside it: in apposition to its head ("the adviser,
        Farhad Alaaldin"), modifying it ("a Pentagon spokesperson", "Obama's statement",
        "Clinton's campaign": the campaign), or, for a document, as who made it ("a report by
        the Congressional Budget Office", "a poll from Gallup", "the poll, released by the
        institute"); never a name deeper in ("the families of those killed in Newtown,
        Connecticut", "the anchor for Univision")."""
        head = phrase.root
        for child in head.children:
            if child.dep_ == "appos" and self.mention_key(child):
                return self.mention_key(child)
        near = [c for c in head.children if c.dep_ in ("compound", "poss", "nmod", "nn")]
        if head.lemma_.lower() in self.sources.document_heads:  # "The poll, released by"
            makers = [c for c in head.children if c.lower_ == "from"]
            makers += [t for t in head.subtree if t.lower_ == "by"]
            objects = [o for p in makers for o in p.children if o.dep_ == "pobj"]
            near += objects + [c for o in objects for c in o.children
                               if c.dep_ in ("appos", "compound")]
        found = next((self.mention_key(t) for t in near if self.mention_key(t)), None)
        return (self._of_person(phrase) or found) if found else None

    def note_issuer(self, key: str | None) -> None:
        if key:
            self.last_issuer = key
            self._heard.append((self._at, key))

    def resolve(self, phrase: Span) -> str | None:
        """The actor key a speaker phrase refers to (minting a Group for an unnamed source)."""
        self._at = phrase.start
        head = phrase.root
        lemma = head.lemma_.lower()
        named = self._named(phrase)
        if named:
            return self._hear(named, phrase)
        direct = self.mention_key(head)
        if direct:
            return self._hear(direct, phrase)
        for child in head.children:  # "the adviser, Farhad Alaaldin,": the name says who
            if child.dep_ == "appos" and phrase.start <= child.i < phrase.end:
                named = self.mention_key(child)
                if named:
                    return self._hear(named, phrase)
        kind = self.sources.pronouns.get(head.lower_)
        if kind in ("first", "group") and self.quotes.around(head.idx) is not None:
            return self._hear(self.last_speaker, phrase)  # a quotation's "we": who speaks it
        if kind is not None:
            return self._hear(self._pronoun(kind, phrase), phrase)
        if lemma in self.sources.document_heads:
            return self._hear(self._document(phrase), phrase)
        titled = self._titled(phrase) or self._organisation_named(phrase)
        if titled:
            return self._hear(titled, phrase)
        person = self.last_person or self._last_of(self._people, phrase.start)
        if self._is_title(phrase) and person is not None:
            return self._hear(person, phrase)  # "Bernie Sanders said ... the senator said"
        if lemma in self.sources.group_heads or head.tag_ in ("NNS", "NNPS"):
            known = self.registry.lookup(phrase.text)
            if known and known in self.registry:
                self.mentions.add(phrase.start, phrase.end, self.registry.actors[known])
                return self._hear(known, phrase)
            if lemma in self.sources.group_heads:
                return self._hear(self._group(phrase), phrase)
        if lemma in self.sources.organisation_heads and head.pos_ != "PROPN" and (
            not self.inside(phrase) and phrase[0].lower_ == "the"
        ):
            key = self.last_organisation(phrase.start) or self.last_speaker
            if key is not None:
                return self._hear(key, phrase)
        inner = self.inside(phrase)
        if inner:
            return self._hear(inner, phrase)
        return self._hear(self._group(phrase), phrase)

    # -- names the article gives ------------------------------------------------------------

    def _named(self, phrase: Span) -> str | None:
        """A family, an organisation named after its person, a full name heading a headline
        phrase, or a surname alone: what the article's names say, before any entity does."""
        return (self._family(phrase) or self._of_person(phrase) or self._headline_name(phrase)
                or self._surname(phrase))

    def _family(self, phrase: Span) -> str | None:
        """"the Khans", "Khizr and Ghazala Khan" (the phrase may stop at "Khizr"), "the Khan
        family": the family of a surname the article gives a person, one actor of its own."""
        words = [t for t in phrase if t.lower_ != "the"]
        if not words:
            return None
        couple = self.doc[words[0].i : words[0].i + 5]
        surname = None
        if len(words) == 1 and words[0].is_title and words[0].text[-1:] == "s":
            text = words[0].text
            surname = next((s for s in (text[:-1], text[:-2]) if self._is_surname(s)), None)
        elif (len(couple) >= 4 and couple[1].lower_ == "and"
              and all(t.is_title and t.pos_ == "PROPN" for t in (couple[0], *couple[2:4]))
              and (len(couple) == 4 or not couple[4].is_title)):
            surname = couple[3].text if self._is_surname(couple[3].text) else None
        elif phrase.root.lemma_.lower() == "family":
            names = [c for c in phrase.root.children if c.dep_ == "compound" and c.is_title]
            surname = names[-1].text if names and self._is_surname(names[-1].text) else None
        if surname is None:
            return None
        name = f"the {surname} family"
        actor = self.mentions.actors.get(actor_key(name)) or Actor(
            key=actor_key(name), name=name, type=ActorType.GROUP, nameless=True,
            description=f"The {surname} family, as the text names it together.")
        self.mentions.add(phrase.start, phrase.end, actor)
        return actor.key

    def _is_surname(self, word: str) -> bool:
        return normalise_name(word) in self._surnames

    def _of_person(self, phrase: Span) -> str | None:
        """"the Obama administration", "Clinton's campaign": an organisation of its own, named
        after its person's canonical name, the same in every article."""
        head = phrase.root
        lemma = head.lemma_.lower()
        if lemma not in self.sources.of_person_heads or head.pos_ != "NOUN":
            return None
        for child in head.children:
            person = self.actor(self.mention_key(child))
            if child.dep_ in ("compound", "poss") and person is not None and (
                person.type is ActorType.PERSON
            ):
                name = f"{person.name} {lemma}"
                actor = self.mentions.actors.get(actor_key(name)) or Actor(
                    key=actor_key(name), name=name, type=ActorType.ORGANIZATION,
                    description=f"The {lemma} of {person.name}.")
                self.mentions.add(phrase.start, phrase.end, actor)
                return actor.key
        return None

    def _headline_name(self, phrase: Span) -> str | None:
        """A headline's speaker phrase that starts with a person's full name the article gives
        ("Carly Fiorina Endorses Ted Cruz": title case misleads the parser): that person."""
        if self._headline_end < phrase.start_char:
            return None
        text = normalise_name(phrase.text)
        people = {self.actor(key) for _, key in self._people}
        for person in sorted((p for p in people if p is not None), key=lambda p: -len(p.name)):
            name = normalise_name(person.name)
            if " " in name and text.startswith(name + " "):
                return person.key
        return None

    def _surname(self, phrase: Span) -> str | None:
        """A surname standing alone as a speaker ("Cruz:" in a headline) that no entity
        covers: the one person of the article with that surname."""
        if len(phrase) != 1 or not phrase[0].is_title or self.mention_key(phrase[0]):
            return None
        keys = self._surnames.get(normalise_name(phrase.text), set())
        return next(iter(keys)) if len(keys) == 1 else None

    # -- what refers back --------------------------------------------------------------------

    def _pronoun(self, kind: str, phrase: Span) -> str | None:
        """"he", "she": the last person quoted if the gender fits, else the nearest person
        named or quoted whose gender does; "it": an organisation named before it in its
        sentence, else the last one quoted or named; "they": the last group or organisation
        quoted; "I", "we": the author, or in a "Name:" line who it names."""
        at = phrase.start
        if kind in ("male", "female"):
            return self._person(kind, at)
        things = [(start, key) for start, key in self._heard if self._is_thing(key)]
        if kind == "group":
            return self._last_of(things, at)
        if kind == "thing":
            sentence = phrase.sent.start
            here = [(s, k) for s, _, k in self._orgs if sentence <= s]
            return self._last_of(here, at) or self._last_of(
                sorted(things + [(s, k) for s, _, k in self._orgs]), at)
        text = self.doc.text
        line = text.rfind("\n", 0, phrase.start_char) + 1
        label = _LABELLED_LINE.match(text, line, phrase.start_char)
        if label is None:
            self.mentions.add(phrase.start, phrase.end, _AUTHOR)
            return _AUTHOR.key
        if len(label.group(1)) > 1:  # "SANDERS: I ...": the label, read just before
            name = self.doc.char_span(*label.span(1), alignment_mode="expand")
            named = (self.mention_key(t) for t in name or () if self.mention_key(t))
            return next(named, self.last_speaker)
        if self._answerer is None:  # "A: I came home ...": whom the interview is with
            self._answerer = self._most_named() or self.last_person or self.last_speaker
        return self._answerer

    def _person(self, gender: str, before: int) -> str | None:
        """The last person quoted if `gender` fits, else the nearest person named or quoted
        whose gender does, in that sentence one the text says is of that gender first, then
        its subject ("Sperling hired Brainard under Bill Clinton. He said": Sperling)."""
        last = self.last_person
        if last is not None and self.genders.fits(last, gender):
            return last
        fitting = [(at, key) for at, key in self._people
                   if at < before and key != last and self.genders.fits(key, gender)]
        if not fitting:
            return None
        sentence = self.doc[fitting[-1][0]].sent
        here = [(at, key) for at, key in fitting if sentence.start <= at < sentence.end]
        return min(here, key=lambda found: (self.genders.of(found[1]) is None,
                                            not self._is_subject(found[0]), -found[0]))[1]

    def _most_named(self) -> str | None:
        """The person the text names most often (the first of equals): whom an interview's
        "A:" lines are with."""
        named = Counter(span.kb_id_ for span in self.doc.spans.get(MENTIONS, [])
                        if span._.factgraph_actor.type is ActorType.PERSON)
        return max(named, key=lambda key: named[key], default=None)

    def _is_subject(self, at: int) -> bool:
        span = self._mention_of.get(at)
        token = span.root if span is not None else self.doc[at]
        while token.dep_ in ("compound", "appos", "flat", "amod") and token.head.i != token.i:
            token = token.head
        return token.dep_ in ("nsubj", "nsubjpass")

    def _is_thing(self, key: str) -> bool:
        actor = self.actor(key)
        return actor is not None and actor.type is not ActorType.PERSON

    def _document(self, phrase: Span) -> str | None:
        """"his assessment": whom "his" refers to; "a Gallup poll", "a report by the CBO",
        "released a statement that": who is named; "the statement": who issued one, else the
        last speaker; "polls", "text messages": a source of their own."""
        head = phrase.root
        for child in head.children:
            kind = self.sources.pronouns.get(child.lower_) if child.dep_ == "poss" else None
            if kind is not None:
                return self._pronoun(kind, phrase)
        inner = self.inside(phrase) or self._made_by(phrase)
        if inner:
            return inner
        if any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in head.children):
            return self.last_issuer or self.last_speaker
        return self._group(phrase)

    def _made_by(self, phrase: Span) -> str | None:
        """Who released or wrote the document a phrase names, as the subject of the verb whose
        object it is ("Trump released a marketing video that said ...": Trump)."""
        head = phrase.root
        if head.dep_ != "dobj":
            return None
        subjects = [c for c in head.head.children if c.dep_ == "nsubj"]
        if not subjects:
            return None
        kind = self.sources.pronouns.get(subjects[0].lower_)
        if kind in ("male", "female"):
            return self._person(kind, subjects[0].i)
        return self.mention_key(subjects[0]) or self.inside(speaker_phrase(subjects[0]))

    def _titled(self, phrase: Span) -> str | None:
        """"the spokesman", "the prime minister": the person the text gave that title
        ("Pentagon spokesman John Kirby", "Sen. Bernie Sanders", "Rosa Alvarez, the water
        chief"): the one quoted last if it is theirs, else the one named last."""
        head = phrase.root
        if not self._definite_noun(phrase):
            return None
        role = head.lemma_.lower()
        found = [(start, key) for start, title, key in self._roles
                 if title == role and start < phrase.start]
        if any(key == self.last_person for _, key in found):
            return self.last_person  # the governor quoted last, not another named governor
        return self._last_of(found, phrase.start)

    def _organisation_named(self, phrase: Span) -> str | None:
        """"the resistance", "the tribunal": the organisation named before whose name that noun
        heads ("the Islamic Resistance in Iraq", "the Special Tribunal for Lebanon"); not a
        noun any organisation goes by ("the group": the one named last)."""
        lemma = phrase.root.lemma_.lower()
        if not self._definite_noun(phrase) or lemma in self.sources.organisation_heads:
            return None
        return self._last_of([(s, k) for s, word, k in self._orgs if word == lemma],
                             phrase.start)

    def _definite_noun(self, phrase: Span) -> bool:
        """"the spokesman", "the Vermont senator": a definite, singular common noun that names
        no actor inside it."""
        head = phrase.root
        return (phrase[0].lower_ == "the" and head.tag_ == "NN" and head.pos_ == "NOUN"
                and not any(self.mention_key(t) for t in phrase))

    def _roles_of(self, span: Span) -> list[str]:
        """The titles a person's mention gives it: before the name ("Pentagon spokesman John
        Kirby", "Sen. Bernie Sanders") or in apposition ("Rosa Alvarez, the water chief"; "the
        water chief, Rosa Alvarez")."""
        doc = span.doc
        words = [t for t in span if t.i < span.root.i]
        i = span.start - 1
        while i >= 0 and doc[i].dep_ in ("compound", "amod", "nmod") and (
            span.start <= doc[i].head.i < span.end or doc[i].head.i == i + 1
        ):
            words.append(doc[i])
            i -= 1
        words += [c for c in span.root.children if c.dep_ == "appos"]
        if span.root.dep_ == "appos":
            words.append(span.root.head)
        titles = self.sources.title_abbreviations
        return [titles.get(t.lower_) or t.lemma_.lower() for t in words
                if t.lower_ in titles or t.pos_ in ("NOUN", "PROPN")]

    @staticmethod
    def _last_of(found: list[tuple[int, str]], before: int) -> str | None:
        """The key of the last entry that starts before token `before`."""
        keys = [key for start, key in found if start < before]
        return keys[-1] if keys else None

    def _is_title(self, phrase: Span) -> bool:
        """"the senator", "the Vermont senator", "the actor": a definite, singular person noun
        that names no person inside it, which news uses for the person it quoted last."""
        head = phrase.root
        inner = self.actor(self.inside(phrase))
        lemma = head.lemma_.lower()
        return (phrase[0].lower_ == "the" and head.tag_ == "NN" and head.pos_ == "NOUN"
                and (lemma in self.sources.group_heads or lemma in self.sources.gendered)
                and not any(c.dep_ == "relcl" for c in head.children)  # "the woman who ..."
                and (inner is None or inner.type is not ActorType.PERSON))

    # -- nameless sources --------------------------------------------------------------------

    def _group(self, phrase: Span) -> str:
        """A nameless source, as the text names it: its document's own actor, never shared."""
        name = phrase.text.strip()
        key = actor_key(name)
        actor = self.mentions.actors.get(key) or Actor(
            key=key, name=name, type=self._nameless_type(phrase),
            description=f"An unnamed source, as the text names it: {name}.",
            nameless=True, member_of=self._member_of(phrase),
        )
        self.mentions.add(phrase.start, phrase.end, actor)
        return key

    def _nameless_type(self, phrase: Span) -> ActorType:
        """"the ministry" is an organisation; "a senior official", "what a partner at the
        firm", "the head of the rules committee" a person; "polls", a document, "a number
        of voters", "part of the problem" a group."""
        head = phrase.root
        lemma = head.lemma_.lower()
        if lemma in self.sources.organisation_heads:
            return ActorType.ORGANIZATION
        if head.tag_ == "NN" and lemma not in self.sources.document_heads | _MANY and (
            phrase[0].lower_ in _ONE or any(c.lower_ in _ONE for c in head.children)
            or lemma in self.sources.group_heads or lemma in self.sources.gendered
            or any(self._is_organisation(o) for c in head.children if c.lower_ == "of"
                   for o in c.children if o.dep_ == "pobj")
        ):
            return ActorType.PERSON
        return ActorType.GROUP

    def _is_organisation(self, token: Token) -> bool:
        """"the FBI", "the rules committee": what a person can head ("the director of ...")."""
        actor = self.actor(self.mention_key(token))
        return (actor.type is ActorType.ORGANIZATION if actor is not None
                else token.lemma_.lower() in self.sources.organisation_heads)

    def _member_of(self, phrase: Span) -> str | None:
        """The organisation or country named in a nameless source ("US officials", "a Pentagon
        spokesperson"), or whose demonym it bears ("Iraqi officials")."""
        for token in phrase:
            key = self.mention_key(token)
            actor = self.actor(key)
            if actor is not None and actor.type in (ActorType.ORGANIZATION, ActorType.PLACE):
                return key
        for token in phrase:
            key = self.registry.by_demonym(token.text)
            if key is not None:
                return key
        return None

    def _hear(self, key: str | None, phrase: Span) -> str | None:
        if key is None:
            return None
        self.last_speaker = key
        self._heard.append((phrase.start, key))
        actor = self.actor(key)
        if actor is not None and actor.type is ActorType.PERSON and key != _AUTHOR.key:
            self.last_person = key  # whom "he" or "she" may mean: never who says "I"
            self._people.append((phrase.start, key))
            self._people.sort()
        return key
