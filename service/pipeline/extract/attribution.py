"""Statements: who said what, with which cue, as direct, mixed or indirect speech.

Reads the dependency parse: a reporting verb's subject is the speaker, its clause, quote,
infinitive or (for verbs such as "dismiss") object is the content; "according to X" makes X
the speaker of the clause it qualifies, nested in a statement whose content it shares. A
quotation standing alone right after a quoted statement continues it. Speakers are resolved
in document order by `SpeakerResolver`, against the registry the actor linker holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span, Token

from service.pipeline.extract.actors import Mentions, linked_registry
from service.pipeline.extract.extensions import STATEMENTS
from service.pipeline.extract.lexicon import Cues, Sources
from service.pipeline.extract.quotes import Quote, find_quotes, quote_type
from service.pipeline.extract.registry import ActorRegistry
from service.pipeline.extract.speakers import SpeakerResolver, speaker_phrase

__all__ = ["Attribution", "make_attribution"]

_CONTENT_DEPS = frozenset({"dobj", "obj", "prep", "dative", "attr", "oprd", "acomp", "xcomp",
                           "ccomp", "pcomp", "advmod", "npadvmod", "punct"})
_LEAD = frozenset({"that", ",", ":", "and", "but", "—", "–"})
_TRAIL = ".,;:—– \n\t"
_CLIMB = frozenset({"conj", "advcl", "acl", "xcomp", "dobj", "pobj", "prep", "relcl"})


@dataclass(slots=True)
class _Candidate:
    """A statement while it is found: character offsets of the doc text."""

    cue: tuple[int, int]
    content: tuple[int, int]
    phrase: Span | None  # the speaker as written
    lemma: str
    anchor: int  # an offset inside the sentence it is credited to (the cue's)
    according: bool = False
    nested_in: _Candidate | None = None
    type: str = "indirect"
    speaker: str | None = None  # the actor key, once resolved
    continues: _Candidate | None = None


class _Found(NamedTuple):
    statements: list[_Candidate]
    mentions: Mentions


def _char_span(tokens: list[Token]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _tidy(text: str, start: int, end: int, cue: tuple[int, int], quotes: list[Quote]
          ) -> tuple[int, int]:
    """Strip lead words and trailing punctuation; take in whole quotations the span cuts."""
    for quote in quotes:
        if quote.start < end and quote.end > start and not quote.start <= cue[0] < quote.end:
            start = min(start, quote.start)
            if quote.balanced:
                end = max(end, quote.end)
    while end > start and text[end - 1] in _TRAIL:
        end -= 1
    if (end < len(text) and text[end] in "”\"’»" and text[end - 1] in ".,!?") or (
        end + 1 < len(text) and text[end] in ".,!?" and text[end + 1] in "”\"»"
        and any(q.start >= start and q.end == end + 2 for q in quotes)
    ):
        end += 1 if text[end] in "”\"’»" else 2
    return start, end


def _lead_trimmed(tokens: list[Token]) -> list[Token]:
    while len(tokens) > 1 and tokens[0].lower_ in _LEAD:
        tokens = tokens[1:]
    return tokens


class Attribution(Pipe):
    """Finds statements and writes them to `doc.spans["factgraph_statements"]`.

    Reads the registry from the actor linker named `linker` (as a listener names its upstream
    tok2vec), so the registry is held, initialised and saved in one place.
    """

    def __init__(self, nlp: Language, name: str, cues: Cues, sources: Sources, linker: str
                 ) -> None:
        self.nlp = nlp
        self.name = name
        self.cues = cues
        self.sources = sources
        self.linker = linker

    @property
    def registry(self) -> ActorRegistry:
        return linked_registry(self.nlp, self.linker)

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            self.set_annotations(doc, self.find(doc))
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)

    def find(self, doc: Doc) -> _Found:
        """The statements in the order of their cues, speakers resolved, and the mentions of
        the speakers found on the way (unnamed sources such as "five US officials")."""
        quotes = find_quotes(doc.text)
        candidates: list[_Candidate] = []
        for sent in doc.sents:
            for token in sent:
                if token.lower_ == "according" and token.i + 1 < sent.end and \
                        doc[token.i + 1].lower_ == "to":
                    candidates.extend(self._according(token, sent, candidates, quotes))
                elif self._is_cue(token) and not _quoted(token.idx, quotes):
                    candidates.extend(self._cue(token, sent, quotes))
            _cut_at_later_cues(candidates, sent)
        resolver = SpeakerResolver(doc, self.registry, self.sources)
        resolved = self._resolve(doc, candidates, quotes, resolver)
        return _Found(self._continuations(doc.text, resolved, quotes), resolver.mentions)

    def set_annotations(self, doc: Doc, found: _Found) -> None:
        """The speakers' mentions; each statement a span over its content, the rest on it."""
        found.mentions.write()
        spans: dict[int, Span] = {}
        for item in found.statements:
            start, end = item.content
            span = doc.char_span(start, end, label=item.type, alignment_mode="expand",
                                 span_id=f"cue:{item.cue[0]}-{item.cue[1]}")
            spans[id(item)] = span
            if (span.start_char, span.end_char) != item.content:
                span._.factgraph_content_chars = item.content
            span._.factgraph_cue = doc.char_span(*item.cue)
            span._.factgraph_speaker = item.speaker
            span._.factgraph_speaker_mention = item.phrase
        for item in found.statements:
            span = spans[id(item)]
            if item.nested_in is not None:
                span._.factgraph_nested_in = spans[id(item.nested_in)]
            if item.continues is not None:
                span._.factgraph_continues = spans[id(item.continues)]
        doc.spans[STATEMENTS] = list(spans.values())

    # -- finding -------------------------------------------------------------------------
    def _is_cue(self, token: Token) -> bool:
        if not token.tag_.startswith("VB") or token.lemma_.lower() not in self.cues:
            return False
        return not any(c.dep_ in ("neg", "auxpass") for c in token.children)

    def _subject(self, verb: Token) -> Token | None:
        node = verb
        for _ in range(8):
            for child in node.children:
                if child.dep_ == "nsubj" and child.lower_ not in ("which", "that", "who"):
                    return child
            if node.dep_ not in _CLIMB or node.head.i == node.i:
                return None
            node = node.head
        return None

    def _cue(self, verb: Token, sent: Span, quotes: list[Quote]) -> list[_Candidate]:
        subject = self._subject(verb)
        if subject is None:
            return []
        phrase = speaker_phrase(subject)
        lemma = verb.lemma_.lower()
        cue = (verb.idx, verb.idx + len(verb))
        parts = self._content_parts(verb, lemma)
        text = verb.doc.text
        if not parts:
            quote = self._adjacent_quote(verb, phrase, sent, quotes)
            if quote is None:
                return []
            return [_Candidate(cue, (quote.start, quote.end), phrase, lemma, verb.idx)]
        found = []
        for tokens in parts:
            tokens = _lead_trimmed([t for t in tokens if not (phrase.start <= t.i < phrase.end)])
            if not tokens or all(t.is_punct for t in tokens):
                continue
            span = _tidy(text, *_char_span(tokens), cue, quotes)
            if span[1] > span[0]:
                found.append(_Candidate(cue, span, phrase, lemma, verb.idx))
        return found

    def _content_parts(self, verb: Token, lemma: str) -> list[list[Token]]:
        """The content's tokens: a that-clause (split at "and that"), an infinitive or object."""
        clauses = [c for c in verb.children if c.dep_ == "ccomp"]
        clauses.sort(key=lambda c: (c.i < verb.i, abs(c.i - verb.i)))
        if clauses:
            return _split_coordinated(clauses[0])
        for child in verb.rights:
            if child.dep_ == "xcomp":
                return [list(child.subtree)]
        if lemma not in self.cues.objects:
            if lemma not in self.cues.misparsed:
                return []
            # "say" with a noun object is mostly a clause the parser misread ("say X results")
            rights = [c for c in verb.rights if c.dep_ in ("dobj", "conj", "cc", "prep")
                      and not (c.dep_ == "dobj" and (c.pos_ == "PRON" or lemma == "tell"))]
            if any(c.dep_ == "dobj" for c in rights):
                return [[t for c in rights for t in c.subtree]]
            return []
        tokens: list[Token] = []
        for child in verb.rights:
            if child.dep_ not in _CONTENT_DEPS:
                break
            if child.dep_ in ("punct", "advmod", "npadvmod") and not tokens:
                continue
            if child.dep_ == "punct" and child.text in ",;":
                break
            tokens.extend(child.subtree)
        if not any(t.dep_ in ("dobj", "obj", "pobj", "attr", "xcomp", "ccomp", "pcomp")
                   for t in tokens):
            return []
        return [tokens]

    def _adjacent_quote(self, verb: Token, phrase: Span, sent: Span, quotes: list[Quote]
                        ) -> Quote | None:
        """A quotation just before the speaker and cue, or just after the cue."""
        text = verb.doc.text
        left = min(phrase.start_char, verb.idx)
        right = max(phrase.end_char, verb.idx + len(verb))
        for quote in quotes:
            if quote.end <= left and re.fullmatch(r"[\s,.:;—–-]*", text[quote.end:left]):
                return quote
            if right <= quote.start <= sent.end_char and re.fullmatch(
                r"[\s,:—–-]*", text[right:quote.start]
            ):
                return quote
        return None

    def _according(self, token: Token, sent: Span, candidates: list[_Candidate],
                   quotes: list[Quote]) -> list[_Candidate]:
        to = token.doc[token.i + 1]
        objects = [c for c in to.children if c.dep_ == "pobj"]
        if not objects:
            return []
        phrase = speaker_phrase(objects[0])
        cue = (token.idx, to.idx + len(to))
        doc = token.doc
        left, right = token.i, objects[0].right_edge.i + 1
        for other in candidates:  # "X stressed that ... according to Y"
            if other.anchor >= sent.start_char and not other.according and \
                    token.idx - 4 <= other.content[1] <= token.idx + 2:
                return [_Candidate(cue, other.content, phrase, "according to", token.idx,
                                   according=True, nested_in=other)]
        clause = token.head
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
            clause = clause.head
        dropped = {t.i for c in clause.rights if c.dep_ in ("conj", "cc") and c.i > right
                   for t in c.subtree}
        scope = [t for t in clause.subtree if t.i not in dropped and sent.start <= t.i < sent.end]
        before = [t for t in scope if t.i < left and not t.is_space]
        after = [t for t in scope if t.i >= right and not t.is_space]
        tokens = after if len(_words(after)) > len(_words(before)) else before
        tokens = _lead_trimmed(tokens)
        if not _words(tokens):
            return []
        span = _tidy(doc.text, *_char_span(tokens), cue, quotes)
        return [_Candidate(cue, span, phrase, "according to", token.idx, according=True)]

    # -- resolving -----------------------------------------------------------------------
    def _resolve(self, doc: Doc, candidates: list[_Candidate], quotes: list[Quote],
                 resolver: SpeakerResolver) -> list[_Candidate]:
        """The candidates in the order of their cues, each with its type and speaker."""
        issuers = _issuer_events(doc, self.sources, resolver)
        ordered = sorted(candidates, key=lambda c: c.cue[0])
        for item in ordered:
            while issuers and issuers[0][0] < item.cue[0]:
                resolver.note_issuer(issuers.pop(0)[1])
            phrase = item.phrase
            item.speaker = resolver.resolve(phrase) if phrase is not None else None
            if item.lemma in self.cues.issuing or (
                phrase is not None and phrase.root.lemma_.lower() in self.sources.document_heads
            ):
                resolver.note_issuer(item.speaker)
            item.type = quote_type(*item.content, quotes)
        return ordered

    def _continuations(self, text: str, found: list[_Candidate], quotes: list[Quote]
                       ) -> list[_Candidate]:
        """A quotation alone in its paragraph right after a quoted statement continues it."""
        result = list(found)
        added = []
        for quote in quotes:
            if any(s.content[0] < quote.end and s.content[1] > quote.start for s in result):
                continue
            line_start = text.rfind("\n", 0, quote.start) + 1
            line_end = text.find("\n", quote.start)
            line_end = len(text) if line_end < 0 else line_end
            if text[line_start:quote.start].strip() or text[quote.end:line_end].strip(" .\t"):
                continue
            before = [s for s in result + added if s.content[1] <= quote.start]
            if not before:
                continue
            last = max(before, key=lambda s: s.content[1])
            gap = text[last.content[1]:line_start]
            if last.type == "indirect" or gap.count("\n") > 2 or len(gap) > 120:
                continue
            added.append(replace(last, content=(quote.start, quote.end), type="direct",
                                 anchor=quote.start, nested_in=None, according=False,
                                 continues=last))
        return result + added


def _quoted(offset: int, quotes: list[Quote]) -> bool:
    return any(q.balanced and q.start < offset < q.end for q in quotes)


def _cut_at_later_cues(candidates: list[_Candidate], sent: Span) -> None:
    """A content ends where a later cue of the same speaker begins ("..., while stressing")."""
    doc = sent.doc
    here = [c for c in candidates if c.anchor >= sent.start_char and not c.according]
    for item in here:
        for other in here:
            if other is item or not item.content[0] < other.cue[0] < item.content[1]:
                continue
            if other.phrase is not None and item.content[0] <= other.phrase.start_char:
                continue  # another speaker inside the content: reported speech, keep it
            verb = doc.char_span(other.cue[0], other.cue[1], alignment_mode="expand")
            if verb is None:
                continue
            start = min(verb.root.left_edge.idx, other.cue[0])
            end = start
            while end > item.content[0] and doc.text[end - 1] in " ,;:—–\n":
                end -= 1
            if end > item.content[0]:
                item.content = (item.content[0], end)


def _words(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if not t.is_punct and not t.is_space]


def _split_coordinated(clause: Token) -> list[list[Token]]:
    """A clause, split where a conjoined clause brings its own "that"."""
    cut = None
    for child in clause.subtree:
        if child.dep_ == "conj" and child.i > clause.i and any(
            g.dep_ == "mark" and g.lower_ in ("that", "whether") for g in child.children
        ):
            cut = child
            break
    if cut is None:
        return [list(clause.subtree)]
    rest = {t.i for t in cut.subtree}
    first = [t for t in clause.subtree if t.i not in rest and t.i < cut.left_edge.i]
    while first and (first[-1].dep_ == "cc" or first[-1].is_punct):
        first = first[:-1]
    return [first, list(cut.subtree)]


def _issuer_events(
    doc: Doc, sources: Sources, resolver: SpeakerResolver
) -> list[tuple[int, str]]:
    """Who issued a document noun ("made the remarks in a statement"), by its offset."""
    events = []
    for token in doc:
        if token.lemma_.lower() not in sources.document_heads or token.pos_ != "NOUN":
            continue
        if not any(c.lower_ in ("a", "an") for c in token.children):
            continue
        node = token.head
        for _ in range(4):
            subjects = [c for c in node.children if c.dep_ == "nsubj"]
            if subjects:
                key = resolver.mention_key(subjects[0]) or resolver.inside(
                    speaker_phrase(subjects[0]))
                if key:
                    events.append((token.idx, key))
                break
            if node.head.i == node.i:
                break
            node = node.head
    return events


@Language.factory(
    "factgraph_attribution",
    assigns=["doc.spans", "span._.factgraph_cue", "span._.factgraph_speaker",
             "span._.factgraph_speaker_mention", "span._.factgraph_nested_in",
             "span._.factgraph_continues", "span._.factgraph_content_chars",
             "span._.factgraph_actor"],
    requires=["doc.sents", "token.dep", "token.head", "token.tag", "token.pos", "token.lemma",
              "doc.spans", "span._.factgraph_actor"],
    default_config={"cues": {"@misc": "factgraph.cues.v1"},
                    "sources": {"@misc": "factgraph.sources.v1"},
                    "linker": "factgraph_actors"},
)
def make_attribution(
    nlp: Language, name: str, cues: Cues, sources: Sources, linker: str
) -> Attribution:
    """`linker`: the actor linker whose registry resolves speakers; the statements of unnamed
    sources ("five US officials") add their mentions to the linker's."""
    return Attribution(nlp, name, cues, sources, linker)
