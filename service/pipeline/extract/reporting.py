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
# Words said end in punctuation inside their closing quotation mark: '"The risk," said'.
_SPOKEN_END = re.compile(r"[,.!?—–-][”\"’']+\Z")
# A quotation after these names a show, a book or a headline ('On ABC\'s "This Week," Rubio
# said'): a title, not words said.
_TITLE_BEFORE = re.compile(r"(?:\b(?:on|in|at|of|from|to|titled|called|named|dubbed)|['’]s)\s*\Z",
                           re.IGNORECASE)
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
        if token.dep_ == "advcl" and token.tag_ == "VBN" and self._agent(token) is None and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in token.children
        ):
            return False  # "Asked about it, voters said ...": the one asked, not the asker
        if any(c.dep_ == "prt" and c.lower_ in _NOT_SPEECH_PARTICLES for c in token.children):
            return False  # "has written off their efforts", "added up", "called off"
        if lemma in self.cues.quote_only and any(
            c.dep_ == "xcomp" and c.i > token.i and c.pos_ in ("VERB", "AUX")
            for c in token.children
        ):
            return False  # "continued to refute", "continues gaining": an aspect, not speech
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

    def _subject_by_position(self, verb: Token) -> Token | None:
        """The speaker where the parser hung it elsewhere: '"The risk," said Edward Leamer',
        '"...," Gene Sperling, a Clinton adviser, said', 'Clinton, exasperated, responded'."""
        for child in verb.lefts:  # "Clinton, exasperated, ...": the subject of an aside
            if child.dep_ in ("parataxis", "advcl"):
                subjects = [c for c in child.children if c.dep_ == "nsubj" and c.i < child.i]
                if subjects and subjects[0].pos_ in ("PROPN", "NOUN", "PRON"):
                    return subjects[0]
        text = self.quotes.text
        before = self.quotes.ending_by(verb.idx)
        if before is None or not _gap(text, before.end, verb.idx, r"[^\n]*") or \
                not _SPOKEN_END.search(text, before.start, before.end):
            return None  # "a 'Make America Great Again' hat and said": a name, not words
        doc = verb.doc
        if _gap(text, before.end, verb.idx, r"[ \t,—–-]*"):
            if verb.i + 1 >= len(doc):
                return None
            head = doc[verb.i + 1]  # '"...," said the woman'
            while head.dep_ in ("compound", "det", "amod", "poss", "nmod") and \
                    head.head.i > head.i:
                head = head.head
        else:  # '"...," Gene Sperling, a top adviser, said': the noun phrase between
            between = doc.char_span(before.end, verb.idx, alignment_mode="contract")
            if between is None or len(between) > 30 or any(
                t.pos_ in ("VERB", "AUX") for t in between
            ):
                return None
            heads = [t for t in between if not (between.start <= t.head.i < between.end)
                     and t.pos_ in ("PROPN", "NOUN", "PRON")]
            if not heads:
                return None
            head = heads[0]
        if head.pos_ not in ("PROPN", "NOUN", "PRON"):
            return None
        if verb.lemma_.lower() not in self.cues.speech and not self.can_speak(head):
            return None
        return head

    def from_verb(self, verb: Token, sent: Span) -> list[Candidate]:
        subject, antecedent = self._subject(verb)
        beside_quote = False
        if subject is None:
            subject = self._subject_by_position(verb)
            beside_quote = subject is not None and self.quotes.ending_by(subject.idx) is not None
        if subject is None:
            return []
        source = antecedent or subject
        if verb.lemma_.lower() not in self.cues.speech and not self.can_speak(source):
            return []
        if verb.lemma_.lower() in self.cues.document_only and \
                source.lemma_.lower() not in self.sources.document_heads:
            return []
        doc = verb.doc
        phrase = speaker_phrase(subject) if antecedent is None else doc[subject.i : subject.i + 1]
        if beside_quote:  # the parser's phrase may reach into the quotation before it
            opening = self.quotes.ending_by(subject.idx)
            while phrase.start < subject.i and doc[phrase.start].idx < opening.end:
                phrase = doc[phrase.start + 1 : phrase.end]
        lemma = verb.lemma_.lower()
        cue = (verb.idx, verb.idx + len(verb))
        refers_to = speaker_phrase(antecedent) if antecedent is not None else None
        parts = (
            []
            if lemma in self.cues.quote_only or beside_quote
            else self._content_parts(verb, lemma, subject if antecedent is None else antecedent)
        )
        if antecedent is not None and parts and lemma not in self.cues.speech and \
                not any(c.dep_ == "ccomp" for c in verb.children):
            # "a non-profit that advocates for families", "who has long dismissed attempts":
            # a relative clause whose verb is not plainly speech, with an object, describes
            # its antecedent; "who endorsed Clinton", "who added that ..." report an act.
            return []
        spans: list[tuple[int, int]] = []
        if parts:
            parts = [*_fronted(verb, phrase, sent, parts[0][0]), *parts]
            before = self._quote_before(verb, phrase)
            if before is not None and before.start >= sent.start_char and \
                    before.end <= doc[parts[0][0]].idx and phrase.end <= verb.i and \
                    not any(t.pos_ == "VERB" for t in doc[phrase.end : verb.i]):
                spans.append((before.start, before.end))  # '"...," they wrote, that ...'
        else:
            quote = self._adjacent_quote(verb, phrase, sent)
            if quote is not None:
                spans.append((quote.start, quote.end))
                after = doc.char_span(quote.start, quote.end, alignment_mode="expand")
                parts = _fronted(verb, phrase, sent, after.start) if after is not None else []
            else:
                parts = _as_clause(verb, sent) or _around_parenthetical(verb, phrase, sent)
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
                spans.append(span)
        found = [Candidate(cue, span, phrase, lemma, verb.idx, refers_to=refers_to)
                 for span in sorted(spans)]
        return self._with_resumed(found, subject, verb)

    def _content_parts(self, verb: Token, lemma: str, subject: Token
                       ) -> list[tuple[int, int]]:
        """The content's token ranges: a that-clause (with the clauses conjoined in it: "that
        A and that B" is one content, as news annotation counts it), an infinitive or an
        object. An infinitive that is itself a cue ("refused to endorse Cruz") gives the
        content to that cue."""
        clauses = [c for c in verb.children if c.dep_ == "ccomp"]
        if clauses:
            clauses.sort(key=lambda c: (c.i < verb.i, abs(c.i - verb.i)))
            return [_edges(clauses[0])]
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
                    if child.lower_ == "of" and self._quoted_beside(verb, child):
                        break  # '"...," Trump said of terrorists': of whom, not what
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

    def _quote_after(self, offset: int, between: str) -> Quote | None:
        """The quotation that opens just after `offset`, with nothing but `between` before it."""
        after = self.quotes.starting_from(offset)
        if after is not None and _gap(self.quotes.text, offset, after.start, between):
            return after
        return None

    def _quoted_beside(self, verb: Token, phrase: Token) -> bool:
        """Whether a quotation of the verb's sentence ends before it or follows the phrase."""
        before = self.quotes.ending_by(verb.idx)
        if before is not None and before.end > verb.sent.start_char:
            return True
        end = phrase.right_edge.idx + len(phrase.right_edge)
        return self._quote_after(end, r"[ \t,:—–-]*") is not None

    def _passive_subject(self, verb: Token) -> list[tuple[int, int]]:
        """"Her stridency was echoed by O'Malley": with an agent, the subject is the content."""
        if self._agent(verb) is None:
            return []
        doc = verb.doc
        set_off = verb.left_edge.i > 0 and doc[verb.left_edge.i - 1].text == ","
        if verb.dep_ == "acl" and verb.head.i < verb.i and set_off and \
                verb.lemma_.lower() in self.cues.issuing:
            # "The campaign, first reported by The Post, is a key element": the noun, and
            # what the sentence goes on to say of it
            noun = verb.head
            parts = [(noun.left_edge.i, verb.left_edge.i)]
            after = verb.right_edge.i + 1
            if noun.dep_ in ("nsubj", "nsubjpass") and after < len(doc) and doc[after].text == ",":
                parts.append((after + 1, noun.head.right_edge.i + 1))
            return parts
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

    def _quote_before(self, verb: Token, phrase: Span) -> Quote | None:
        """A quotation just before the speaker and cue, in the same paragraph."""
        left = min(phrase.start_char, verb.idx)
        before = self.quotes.ending_by(left)
        text = self.quotes.text
        if before is not None and _gap(text, before.end, left, r"[ \t,.:;—–-]*") and \
                _TITLE_BEFORE.search(text, max(0, before.start - 12), before.start) is None:
            return before
        return None

    def _adjacent_quote(self, verb: Token, phrase: Span, sent: Span) -> Quote | None:
        """A quotation just before the speaker and cue, or just after the cue."""
        before = self._quote_before(verb, phrase)
        if before is not None:
            return before
        text = self.quotes.text
        right = max(phrase.end_char, verb.idx + len(verb))
        for child in verb.rights:  # 'told the crowd, "..."', 'said on Sunday: "..."'
            if child.dep_ in ("dobj", "dative", "prep", "npadvmod", "advmod") and \
                    _has_word(verb.doc, child.left_edge.i, child.right_edge.i + 1) and \
                    _gap(text, right, child.left_edge.idx, r"(?:(?![:—–]| - ).)*"):
                end = child.right_edge.idx + len(child.right_edge)
                if self.quotes.around(end - 1) is None:
                    right = max(right, end)
        after = self._quote_after(right, r"[\s,:—–-]*")
        return after if after is not None and after.start <= sent.end_char else None

    def _with_resumed(self, found: list[Candidate], subject: Token, verb: Token
                      ) -> list[Candidate]:
        """'"The risk," said Edward Leamer, an economist at UCLA, "is that ...": the quotation
        that resumes after the speaker and everything said of them is a second content."""
        if not found or found[0].content[1] > verb.idx:
            return found
        right = max(subject.right_edge.idx + len(subject.right_edge), verb.idx + len(verb))
        after = self._quote_after(right, r"[ \t,:—–-]*")
        if after is None or any(c.content[1] > after.start for c in found):
            return found
        first = found[0]
        return [*found, Candidate(first.cue, (after.start, after.end), first.phrase, first.lemma,
                                  first.anchor, refers_to=first.refers_to)]

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
        stretches = [(right, end)] if end - right > left - start else [(start, left)]
        if stretches[0][0] == right and start < left - 1 and doc[left - 1].text == "," and \
                right < len(doc) and doc[right].text == ",":
            stretches.insert(0, (start, left))  # "Fundraising, according to the campaign, has"
        found = []
        for first, last in stretches:
            while first < last and (doc[first].lower_ in _LEAD or doc[first].is_space):
                first += 1
            while last > first and (doc[last - 1].is_punct or doc[last - 1].is_space):
                last -= 1
            if not _has_word(doc, first, last):
                continue
            span = tidy(self.quotes.text, doc[first].idx, doc[last - 1].idx + len(doc[last - 1]),
                        cue, self.quotes)
            found.append(Candidate(cue, span, phrase, "according to", token.idx, according=True))
        return found

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

    def from_name_colon(self, colon: Token) -> Candidate | None:
        """'Pollsters agree - Carl Bialik: "One of the biggest lessons ..."': a named person or
        body, a colon and a quotation inside a line."""
        doc = colon.doc
        after = self._quote_after(colon.idx + 1, r"[ \t]*")
        if colon.i == 0 or after is None:
            return None
        name = doc[colon.i - 1]
        if name.ent_type_ not in ("PERSON", "ORG") or name.pos_ != "PROPN" or \
                not _SPOKEN_END.search(self.quotes.text, after.start, after.end):
            return None
        start = name.i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        entity = doc[start : colon.i]
        if doc[start].ent_iob_ != "B" or entity.root.dep_ == "pobj":
            return None  # 'later that month on CNN: "..."': where, not who
        return Candidate((colon.idx, colon.idx + 1), (after.start, after.end), entity, ":",
                         colon.idx)

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


_MOST_GAP = 240  # characters between words and their speaker looked at, at most


def _gap(text: str, start: int, end: int, pattern: str) -> bool:
    """Whether text[start:end] is short and all of `pattern` (never a long slice to test)."""
    return 0 <= end - start <= _MOST_GAP and re.fullmatch(pattern, text[start:end]) is not None


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


def _fronted(verb: Token, phrase: Span, sent: Span, content_start: int
             ) -> list[tuple[int, int]]:
    """"In cases of abortion, it said, 'the woman is a victim'": when the speaker and cue are
    set off by commas and the content follows them, the words before are content too, a
    stretch of their own."""
    around = _around_parenthetical(verb, phrase, sent)
    return around[:1] if len(around) == 2 and content_start >= around[1][0] else []


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
