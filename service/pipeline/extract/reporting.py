"""Where a statement is found in a sentence: the shapes news uses to attribute words.

- a reporting verb: its subject is the speaker; its clause ("said that ..."), infinitive,
  quotation or, for verbs such as "endorse" or "call for", its object is the content;
- a passive with its agent ("was asked by the moderator whether ...");
- a relative clause ("Smith, who said ...": the source is written "who", and refers to Smith);
- "according to X", which makes X the speaker of the clause it qualifies;
- a name and a colon at the start of a line ("Rubio: 'You don't win ...'", "A: Well, I think"),
  the headline and transcript convention.

Every lookup runs on token edges (a subtree is a contiguous run in spaCy's projective parse),
so a sentence of thousands of tokens costs linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from service.pipeline.extract.lexicon import Cues, Sources
from service.pipeline.extract.quotes import Quote, Quotes
from service.pipeline.extract.speakers import speaker_phrase

__all__ = ["Candidate", "StatementFinder"]

_CONTENT_DEPS = frozenset({"dobj", "obj", "prep", "dative", "attr", "oprd", "acomp", "xcomp",
                           "ccomp", "pcomp", "advmod", "npadvmod", "punct", "advcl"})
_OBJECT_DEPS = frozenset({"dobj", "obj", "pobj", "attr", "xcomp", "ccomp", "pcomp", "oprd"})
_LEAD = frozenset({"that", ",", ":", "and", "but", "—", "–", "-"})
_TRAIL = ".,;:—– \n\t"
_CLOSING = frozenset(".,!?”\"’»'")
_CLIMB = frozenset({"conj", "advcl", "acl", "xcomp", "dobj", "pobj", "prep", "relcl", "pcomp"})
_RELATIVE = frozenset({"who", "that", "which"})
# A prepositional phrase is content after these ("called for", "warned against", "commented
# on"), and "to" after the verbs in _TO_CONTENT ("pointed to the polls"); other prepositions
# say where or when ("declined in March", "spoke to Iowans").
_CONTENT_PREPOSITIONS = frozenset({"about", "for", "against", "on", "over", "of"})
_TO_CONTENT = frozenset({"refer", "point", "respond", "reply", "object", "appeal"})
_SOURCE_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# "PENCE: ...", "Ryan: ‘...’", "Clinton to Planned Parenthood: ..." (a headline's speaker, and
# whom they spoke to or where, after a lowercase word)
_COLON_NAME = re.compile(
    r"[ \t]*((?:[A-Z][\w.'’-]*[ \t]+){0,4}[A-Z][\w.'’-]*)"
    r"(?:[ \t]+(?:to|at|on|in|for|of|about)[ \t]+(?:[A-Z][\w.'’-]*[ \t]*){1,4})?[ \t]*:[ \t]+\S"
)
_TRANSCRIPT = frozenset({"Q", "A"})
# "CLEVELAND, July 19 (UPI) — ", "WASHINGTON (AP) - ": where a story was filed, not who spoke
_DATELINE = re.compile(
    r"[A-Z][A-Z .'’-]{1,40}(?:, [A-Z][a-z]{2,8}\.? \d{1,2})?(?: \([^)\n]{1,25}\))?"
    r" ?(?:—|–|--|-) ?"
)


@dataclass(slots=True)
class Candidate:
    """A statement while it is found: character offsets of the doc text."""

    cue: tuple[int, int]
    content: tuple[int, int]
    phrase: Span | None  # the speaker as written
    lemma: str
    anchor: int  # an offset inside the sentence it is credited to (the cue's)
    according: bool = False
    nested_in: Candidate | None = None
    type: str = "indirect"
    speaker: str | None = None  # the actor key, once resolved
    continues: Candidate | None = None
    refers_to: Span | None = None  # what the phrase stands for ("who" -> its antecedent)
    unresolvable: bool = field(default=False)  # the phrase names nobody known ("Q:")

    @property
    def end(self) -> int:
        """Where the statement's words end: content, cue or speaker, whichever is last."""
        ends = [self.content[1], self.cue[1]]
        if self.phrase is not None:
            ends.append(self.phrase.end_char)
        return max(ends)


def _edges(token: Token) -> tuple[int, int]:
    """The token range [start, end) of a subtree."""
    return token.left_edge.i, token.right_edge.i + 1


def _bare_apposition(noun: Token) -> bool:
    """"called Mrs. Schlafly an 'Aunt Tom'": a complement the parser took for an apposition
    (no comma between), unlike "called his mother, Mary"."""
    return any(
        c.dep_ == "appos" and c.i > noun.i and not any(
            t.text == "," for t in noun.doc[noun.i : c.left_edge.i]
        )
        for c in noun.children
    )


def _has_word(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens [start, end) hold a word (stops at the first: no count of a long run)."""
    return any(not doc[i].is_punct and not doc[i].is_space for i in range(start, end))


def tidy(text: str, start: int, end: int, cue: tuple[int, int], quotes: Quotes
         ) -> tuple[int, int]:
    """Strip lead words and trailing punctuation; take in whole quotations the span cuts."""
    for quote in quotes.overlapping(start, end):
        if not quote.start <= cue[0] < quote.end:
            start = min(start, quote.start)
            if quote.balanced:
                end = max(end, quote.end)
    while end > start and text[end - 1] in _TRAIL:
        end -= 1
    closing = quotes.ending_by(end + 3)  # a quotation the content ends in: take its close
    if closing is not None and start <= closing.start < end < closing.end and all(
        ch in _CLOSING for ch in text[end : closing.end]
    ):
        end = closing.end
    return start, end


# Particles that turn a reporting verb into another verb: "write off", "call off", "add up".
_NOT_SPEECH_PARTICLES = frozenset({"off", "up", "down", "away", "in", "over", "back"})


class StatementFinder:
    """The candidates of one sentence, from its reporting verbs and the other shapes."""

    def __init__(self, cues: Cues, sources: Sources, quotes: Quotes) -> None:
        self.cues = cues
        self.sources = sources
        self.quotes = quotes

    def can_speak(self, head: Token) -> bool:
        """Whether a subject can be a source: a person, an organisation, a group, a document,
        a pronoun or a name ("54 percent of voters" by its "of" phrase); "the economy
        declined" or "trade hit a wall" attribute nothing."""
        if head.pos_ in ("PRON", "PROPN") or head.ent_type_ in _SOURCE_ENTITIES:
            return True
        lemma = head.lemma_.lower()
        sources = self.sources
        if lemma in sources.group_heads or lemma in sources.organisation_heads or \
                lemma in sources.document_heads:
            return True
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                return any(self.can_speak(g) for g in child.children if g.dep_ == "pobj")
            if child.dep_ == "appos" and (child.pos_ == "PROPN" or child.ent_type_ == "PERSON"):
                return True  # "Her campaign manager, Robby Mook, suggested"
        return False

    # --- reporting verbs ----------------------------------------------------------------------

    def is_cue(self, token: Token) -> bool:
        lemma = token.lemma_.lower()
        if not token.tag_.startswith("VB") or lemma not in self.cues:
            return False
        if lemma in self.cues.finite_only and token.tag_ == "VB":
            return False
        if token.dep_ == "xcomp" and token.head.lemma_.lower() in self.cues.refusal:
            return False  # "declined to say whether ...": the refusal is the statement
        if token.dep_ == "advcl" and token.tag_ == "VBN" and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in token.children
        ):
            return False  # "Asked about it, voters said ...": the one asked, not the asker
        if any(c.dep_ == "prt" and c.lower_ in _NOT_SPEECH_PARTICLES for c in token.children):
            return False  # "has written off their efforts", "added up", "called off"
        if token.dep_ == "acl" and token.tag_ == "VBN" and self._agent(token) is None:
            return False  # "a beer called Swing State Pale Ale": a name, not a statement
        if token.dep_ in ("acl", "advcl", "relcl") and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in token.children
        ):
            return False  # "meetings to discuss the transition": a purpose, not an act
        passive = any(c.dep_ == "auxpass" for c in token.children)
        return not passive or self._agent(token) is not None

    @staticmethod
    def _agent(verb: Token) -> Token | None:
        """The "by X" of a passive: "was asked by the moderator"."""
        for child in verb.children:
            if child.dep_ == "agent":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        return grandchild
        return None

    def _subject(self, verb: Token) -> tuple[Token | None, Token | None]:
        """The speaker's head and, for a relative pronoun, what it stands for."""
        agent = self._agent(verb)
        if agent is not None:
            return agent, None
        node = verb
        for _ in range(8):
            for child in node.children:
                if child.dep_ == "nsubj":
                    if child.lower_ in _RELATIVE:
                        head = node.head if node.dep_ == "relcl" else None
                        return (child, head) if head is not None else (None, None)
                    if _in_dateline(child, self.quotes.text):  # a dateline taken for the subject
                        apposed = [c for c in child.children if c.dep_ == "appos"]
                        return (apposed[0], None) if apposed else (None, None)
                    return child, None
            if node.dep_ not in _CLIMB or node.head.i == node.i:
                return None, None
            node = node.head
        return None, None

    def from_verb(self, verb: Token, sent: Span) -> list[Candidate]:
        subject, antecedent = self._subject(verb)
        if subject is None:
            return []
        if verb.lemma_.lower() not in self.cues.speech and not self.can_speak(
            antecedent or subject
        ):
            return []
        doc = verb.doc
        phrase = speaker_phrase(subject) if antecedent is None else doc[subject.i : subject.i + 1]
        lemma = verb.lemma_.lower()
        cue = (verb.idx, verb.idx + len(verb))
        refers_to = speaker_phrase(antecedent) if antecedent is not None else None
        parts = (
            []
            if lemma in self.cues.quote_only
            else self._content_parts(verb, lemma, subject if antecedent is None else antecedent)
        )
        if not parts:
            quote = self._adjacent_quote(verb, phrase, sent)
            if quote is not None:
                return [Candidate(cue, (quote.start, quote.end), phrase, lemma, verb.idx,
                                  refers_to=refers_to)]
            parts = _as_clause(verb, sent) or _around_parenthetical(verb, phrase, sent)
        found = []
        for start, end in parts:
            # The speaker is never part of the content ("the content, Smith said, ...").
            if phrase.start <= start < phrase.end:
                start = phrase.end
            if start < phrase.start < end and phrase.end >= end:
                end = phrase.start
            start = _after_dateline(doc, start, end, self.quotes.text)
            while start < end and (doc[start].lower_ in _LEAD or doc[start].is_space):
                start += 1
            if not _has_word(doc, start, end):
                continue
            span = tidy(self.quotes.text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), cue,
                        self.quotes)
            if span[1] > span[0]:
                found.append(Candidate(cue, span, phrase, lemma, verb.idx, refers_to=refers_to))
        return found

    def _content_parts(self, verb: Token, lemma: str, subject: Token
                       ) -> list[tuple[int, int]]:
        """The content's token ranges: a that-clause (split at "and that"), an infinitive or
        an object. An infinitive that is itself a cue ("refused to endorse Cruz") gives the
        content to that cue."""
        clauses = [c for c in verb.children if c.dep_ == "ccomp"]
        if clauses:
            clauses.sort(key=lambda c: (c.i < verb.i, abs(c.i - verb.i)))
            return _split_coordinated(clauses[0])
        for child in verb.rights:
            if child.dep_ == "xcomp":
                if lemma not in self.cues.refusal and self.is_cue(child):
                    return []
                return [_edges(child)]
            if child.dep_ == "intj" and child.lower_ in ("yes", "no"):
                return [_edges(child)]  # "72 percent of Democrats said yes"
            if child.dep_ == "prep":  # "announced in a statement that ..."
                clause = self._document_clause(child)
                if clause is not None:
                    return [clause]
        if lemma in self.cues.about:
            for child in verb.rights:
                if child.dep_ == "prep" and child.lower_ in ("about", "of"):
                    return [_edges(child)]
        objects = lemma in self.cues.objects or (
            lemma in self.cues.artefact_objects
            and subject.lemma_.lower() in self.sources.document_heads
        )
        if not objects:
            if lemma not in self.cues.misparsed:
                return self._passive_subject(verb)
            # "say" with a noun object is mostly a clause the parser misread ("say X results")
            rights = [c for c in verb.rights if c.dep_ in ("dobj", "conj", "cc", "prep")
                      and not (c.dep_ == "dobj" and (c.pos_ == "PRON" or lemma == "tell"))]
            if any(c.dep_ == "dobj" for c in rights):
                return [(rights[0].left_edge.i, rights[-1].right_edge.i + 1)]
            return []
        start = end = None
        has_object = False
        kinds: set[str] = set()
        for child in verb.rights:
            if child.dep_ not in _CONTENT_DEPS:
                break
            if child.dep_ in ("punct", "advmod", "npadvmod") and start is None:
                continue
            if child.dep_ == "punct" and child.text in ",;":
                break
            if child.dep_ == "advcl" and start is None:
                marks = [c for c in child.children if c.dep_ == "mark" and c.lower_ == "for"]
                if marks:  # "called for her to quit": the for-clause is what was called for
                    return [(marks[0].i + 1, child.right_edge.i + 1)]
                break
            if child.dep_ == "prep" and (
                (child.lower_ not in _CONTENT_PREPOSITIONS
                 and (child.lower_ != "to" or lemma not in _TO_CONTENT))
                or any(g.ent_type_ in ("DATE", "TIME") for g in child.children)
            ):
                if start is None:
                    continue  # "called Wednesday for ...": an adjunct before the content
                break
            left, right = _edges(child)
            start = left if start is None else start
            end = right
            kinds.add(child.dep_)
            has_object = has_object or child.dep_ in _OBJECT_DEPS or any(
                c.dep_ in _OBJECT_DEPS for c in child.children
            )
        if start is None or end is None or not has_object:
            return self._passive_subject(verb)
        if lemma in self.cues.needs_complement and kinds <= {"dobj", "dative", "punct"} and \
                not any(_bare_apposition(c) for c in verb.rights if c.dep_ == "dobj"):
            return []  # "called my friend's mother": a person called, nothing said
        return [(start, end)]

    def _passive_subject(self, verb: Token) -> list[tuple[int, int]]:
        """"Her stridency was echoed by O'Malley": with an agent, the subject is the content."""
        if self._agent(verb) is None:
            return []
        return [_edges(c) for c in verb.children if c.dep_ == "nsubjpass"][:1]

    def _document_clause(self, prep: Token) -> tuple[int, int] | None:
        """The that-clause of a document noun: "in a statement that it had targeted ..."."""
        for noun in prep.children:
            if noun.dep_ != "pobj" or noun.lemma_.lower() not in self.sources.document_heads:
                continue
            for clause in noun.rights:
                if clause.dep_ in ("acl", "ccomp", "relcl") and any(
                    c.dep_ == "mark" and c.lower_ == "that" for c in clause.children
                ):
                    return _edges(clause)
        return None

    def _adjacent_quote(self, verb: Token, phrase: Span, sent: Span) -> Quote | None:
        """A quotation just before the speaker and cue, or just after the cue."""
        text = self.quotes.text
        left = min(phrase.start_char, verb.idx)
        right = max(phrase.end_char, verb.idx + len(verb))
        before = self.quotes.ending_by(left)
        if before is not None and re.fullmatch(r"[\s,.:;—–-]*", text[before.end:left]):
            return before
        after = self.quotes.starting_from(right)
        if after is not None and after.start <= sent.end_char and re.fullmatch(
            r"[\s,:—–-]*", text[right:after.start]
        ):
            return after
        return None

    # --- "according to X" ---------------------------------------------------------------------

    def from_according(self, token: Token, sent: Span, before: list[Candidate]
                       ) -> list[Candidate]:
        doc = token.doc
        to = doc[token.i + 1]
        objects = [c for c in to.children if c.dep_ == "pobj"]
        if not objects:
            return []
        phrase = speaker_phrase(objects[0])
        cue = (token.idx, to.idx + len(to))
        left, right = token.i, objects[0].right_edge.i + 1
        for other in reversed(before):  # "X stressed that ... according to Y"
            if other.anchor < sent.start_char:
                break
            if not other.according and token.idx - 4 <= other.content[1] <= token.idx + 2:
                return [Candidate(cue, other.content, phrase, "according to", token.idx,
                                  according=True, nested_in=other)]
        clause = token.head
        for _ in range(12):
            if clause.pos_ in ("VERB", "AUX") or clause.head.i == clause.i:
                break
            clause = clause.head
        start, end = max(_edges(clause)[0], sent.start), min(_edges(clause)[1], sent.end)
        for child in clause.rights:  # a clause conjoined after the source is its own
            if child.dep_ in ("conj", "cc") and child.i > right:
                end = min(end, child.left_edge.i)
                break
        first, last = (right, end) if end - right > left - start else (start, left)
        while first < last and (doc[first].lower_ in _LEAD or doc[first].is_space):
            first += 1
        while last > first and (doc[last - 1].is_punct or doc[last - 1].is_space):
            last -= 1
        if not _has_word(doc, first, last):
            return []
        span = tidy(self.quotes.text, doc[first].idx, doc[last - 1].idx + len(doc[last - 1]), cue,
                    self.quotes)
        return [Candidate(cue, span, phrase, "according to", token.idx, according=True)]

    # --- "Name: words" ------------------------------------------------------------------------

    def _names_a_source(self, name: Span) -> bool:
        """Whether the words before a line's colon name who speaks: names ("Cruz", "CNN
        President", as entities or in a headline's capitals) or a source ("Poll"), and never a
        label such as "Related" or "Editor's Note"."""
        if any(t.lower_ in self.sources.not_colon_sources for t in name):
            return False
        if all(t.ent_type_ in _SOURCE_ENTITIES for t in name) or (
            len(name.text) > 1 and name.text.isupper()
        ):
            return True
        head = name[-1]
        if head.pos_ == "PROPN" or self.can_speak(head):
            return True
        # A headline's tagging is unsure ("Cruz: Trump Would ..." reads "Cruz" as a noun):
        # a word the article names elsewhere as a person or body is a name here too.
        return head.is_title and any(
            head.lower_ == t.lower_ for ent in name.doc.ents
            if ent.label_ in _SOURCE_ENTITIES and ent.start > head.i for t in ent
        )

    def from_colon(self, doc: Doc, line_start: int, line_end: int) -> Candidate | None:
        """A line that opens with a name (or a transcript's Q or A) and a colon."""
        text = self.quotes.text  # Doc.text joins every token anew: read it once
        match = _COLON_NAME.match(text, line_start, line_end)
        if match is None:
            return None
        name = doc.char_span(match.start(1), match.end(1), alignment_mode="contract")
        colon = text.index(":", match.end(1))
        if name is None or not (name.text in _TRANSCRIPT or self._names_a_source(name)):
            return None
        start, end = colon + 1, line_end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if len(re.findall(r"[^\W\d_]{2,}", text[start:end])) < 3:
            return None  # "Sanders: 46." is a count, not words
        return Candidate((colon, colon + 1), (start, end), name, ":", colon,
                         unresolvable=name.text == "Q")


def _dateline_end(text: str, offset: int) -> int | None:
    """Where the dateline of the line holding `offset` ends ("WASHINGTON (AP) - "), if it has
    one."""
    match = _DATELINE.match(text, text.rfind("\n", 0, offset) + 1)
    return match.end() if match is not None else None


def _after_dateline(doc: Doc, start: int, end: int, text: str) -> int:
    """Where content that opens a line begins after the line's dateline ("LONDON (Reuters) -
    Shares fell, traders said": the words are "Shares fell")."""
    if start >= end or doc[start].idx != text.rfind("\n", 0, doc[start].idx) + 1:
        return start
    dateline = _dateline_end(text, doc[start].idx)
    while dateline is not None and start < end and doc[start].idx < dateline:
        start += 1
    return start


def _in_dateline(token: Token, text: str) -> bool:
    dateline = _dateline_end(text, token.idx)
    return dateline is not None and token.idx < dateline


def _around_parenthetical(verb: Token, phrase: Span, sent: Span) -> list[tuple[int, int]]:
    """"The investment, Ms. Tanzer said, is a perfect example": the words before and after a
    speaker and cue set off by commas inside the sentence are the content, in two parts; and
    "Clevelanders get nervous, said Christine Link.": the words before a closing cue."""
    doc = verb.doc
    first, last = min(phrase.start, verb.i), max(phrase.end, verb.i + 1)
    while last < sent.end and doc[last].dep_ in ("advmod", "npadvmod", "prep") and \
            doc[last].head.i == verb.i:  # "he said on Sunday, ..."
        last = doc[last].right_edge.i + 1
    if first - 1 <= sent.start or doc[first - 1].text not in (",", "—", "–"):
        return []
    if all(t.is_punct or t.is_space for t in doc[last : sent.end]):
        return [(sent.start, first - 1)]
    if doc[last].text not in (",", "—", "–"):
        return []
    # "Still, he said, officials have to decide": a contiguous stretch of words is one
    # content, so the words either side of the speaker are two, as in the gold format.
    return [(sent.start, first - 1), (last + 1, sent.end)]


def _as_clause(verb: Token, sent: Span) -> list[tuple[int, int]]:
    """"As the Post observed, Republicans now control ...": the main clause is the content."""
    if verb.dep_ != "advcl" or not any(
        c.dep_ == "mark" and c.lower_ == "as" for c in verb.children
    ):
        return []
    start, end = _edges(verb)
    doc = verb.doc
    after = end
    while after < sent.end and (doc[after].is_punct or doc[after].is_space):
        after += 1
    if after < sent.end:
        return [(after, sent.end)]
    return [(sent.start, start)] if start > sent.start else []


_SPLIT_LOOKAHEAD = 200  # tokens of a clause searched for a second "and that"


def _split_coordinated(clause: Token) -> list[tuple[int, int]]:
    """A clause, split where a clause conjoined in it brings its own "that"."""
    start, end = _edges(clause)
    doc = clause.doc
    for token in doc[clause.i + 1 : min(end, clause.i + 1 + _SPLIT_LOOKAHEAD)]:
        if token.dep_ == "conj" and any(
            g.dep_ == "mark" and g.lower_ in ("that", "whether") for g in token.children
        ):
            first_end = token.left_edge.i
            while first_end > start and (doc[first_end - 1].dep_ == "cc"
                                         or doc[first_end - 1].is_punct):
                first_end -= 1
            return [(start, first_end), _edges(token)]
    return [(start, end)]
