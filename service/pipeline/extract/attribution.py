"""Statements: who said what, with which cue, as direct, mixed or indirect speech.

`reporting` finds the candidates of each sentence (reporting verbs, passives, relative
clauses, "according to X", "Name: words"); `continuations` adds the quotations that continue a
speaker; speakers are then resolved in document order by `SpeakerResolver`, against the
registry the actor linker holds.
"""

from __future__ import annotations

import bisect
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from service.pipeline.extract.actors import Mentions, linked_registry
from service.pipeline.extract.component import FindingPipe
from service.pipeline.extract.continuations import continuations
from service.pipeline.extract.extensions import STATEMENTS
from service.pipeline.extract.lexicon import Cues, Sources
from service.pipeline.extract.quotes import Quotes
from service.pipeline.extract.registry import ActorRegistry
from service.pipeline.extract.reporting import Candidate, StatementFinder
from service.pipeline.extract.speakers import SpeakerResolver, speaker_phrase

__all__ = ["Attribution", "make_attribution"]


class _Found(NamedTuple):
    statements: list[Candidate]
    mentions: Mentions


class Attribution(FindingPipe):
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

    def find(self, doc: Doc) -> _Found:
        """The statements in text order, speakers resolved, and the mentions of the speakers
        found on the way (unnamed sources such as "five US officials")."""
        text = doc.text  # Doc.text joins every token anew: read it once
        quotes = Quotes(text)
        finder = StatementFinder(self.cues, self.sources, quotes)
        candidates: list[Candidate] = []
        lines = _line_starts(text)
        for sent in doc.sents:
            here: list[Candidate] = []
            if sent.start_char in lines:
                colon = finder.from_colon(doc, sent.start_char, lines[sent.start_char])
                if colon is not None:
                    here.append(colon)
            for token in sent:
                if token.lower_ == "according" and token.i + 1 < sent.end and \
                        doc[token.i + 1].lower_ == "to":
                    here.extend(finder.from_according(token, sent, candidates + here))
                elif finder.is_cue(token) and quotes.around(token.idx) is None:
                    here.extend(finder.from_verb(token, sent))
                elif token.text == ":" and token.idx not in lines and \
                        quotes.around(token.idx) is None:
                    inline = finder.from_name_colon(token)
                    if inline is not None and not any(
                        c.cue == inline.cue or (c.phrase is not None and c.phrase.end_char
                                                == inline.phrase.end_char) for c in here
                    ):
                        # the name before the colon speaks, not a verb before it
                        here = [c for c in here if not (
                            c.cue[0] < inline.phrase.start_char
                            and c.content[0] < inline.content[1]
                            and inline.content[0] < c.content[1]
                        )]
                        here.append(inline)
            _cut_at_later_cues(here, doc, text)
            candidates.extend(here)
        resolver = SpeakerResolver(doc, self.registry, self.sources)
        resolved = self._resolve(doc, candidates, quotes, resolver)
        return _Found(continuations(text, resolved, quotes), resolver.mentions)

    def set_annotations(self, doc: Doc, found: _Found) -> None:
        """The speakers' mentions; each statement a span over its content, the rest on it."""
        found.mentions.write()
        spans: dict[int, Span] = {}
        for item in found.statements:
            start, end = item.content
            span = doc.char_span(start, end, label=item.type, alignment_mode="expand",
                                 span_id=f"cue:{item.cue[0]}-{item.cue[1]}:{start}")
            spans[id(item)] = span
            if (span.start_char, span.end_char) != item.content:
                span._.factgraph_content_chars = item.content
            span._.factgraph_cue = doc.char_span(*item.cue, alignment_mode="expand")
            span._.factgraph_speaker = item.speaker
            span._.factgraph_speaker_mention = item.phrase
        for item in found.statements:
            span = spans[id(item)]
            if item.nested_in is not None:
                span._.factgraph_nested_in = spans[id(item.nested_in)]
            if item.continues is not None:
                span._.factgraph_continues = spans[id(item.continues)]
        doc.spans[STATEMENTS] = list(spans.values())

    def _resolve(self, doc: Doc, candidates: list[Candidate], quotes: Quotes,
                 resolver: SpeakerResolver) -> list[Candidate]:
        """The candidates in the order of their cues, each with its type and speaker."""
        issuers = _issuer_events(doc, self.sources, resolver)
        ordered = sorted(candidates, key=lambda c: c.cue[0])
        for item in ordered:
            while issuers and issuers[0][0] < item.cue[0]:
                resolver.note_issuer(issuers.pop(0)[1])
            phrase = item.refers_to or item.phrase
            if item.unresolvable or phrase is None:
                item.speaker = None
            elif phrase.text in ("A",) and item.lemma == ":":
                item.speaker = resolver.last_person or resolver.last_speaker
            else:
                item.speaker = resolver.resolve(phrase)
            if item.lemma in self.cues.issuing or (
                phrase is not None and phrase.root.lemma_.lower() in self.sources.document_heads
            ):
                resolver.note_issuer(item.speaker)
            item.type = quotes.type_of(*item.content)
        return ordered


def _line_starts(text: str) -> dict[int, int]:
    """Each line's first non-blank offset -> the line's end."""
    found: dict[int, int] = {}
    start = 0
    for line in text.split("\n"):
        stripped = len(line) - len(line.lstrip())
        if line.strip():
            found[start + stripped] = start + len(line)
        start += len(line) + 1
    return found


_CUTS_TRIED = 4  # later cues looked at per content: the first that qualifies cuts it


def _cut_at_later_cues(candidates: list[Candidate], doc: Doc, text: str) -> None:
    """A content ends where a later cue of the same speaker begins ("..., while stressing")."""
    verbs = sorted((c for c in candidates if not c.according), key=lambda c: c.cue[0])
    cues = [c.cue[0] for c in verbs]
    for item in verbs:
        first = bisect.bisect_right(cues, item.content[0])
        for other in verbs[first : first + _CUTS_TRIED]:
            if other is item or other.cue[0] >= item.content[1]:
                continue
            if other.phrase is not None and item.content[0] <= other.phrase.start_char:
                continue  # another speaker inside the content: reported speech, keep it
            verb = doc.char_span(other.cue[0], other.cue[1], alignment_mode="expand")
            if verb is None:
                continue
            start = min(verb.root.left_edge.idx, other.cue[0])
            end = start
            while end > item.content[0] and text[end - 1] in " ,;:—–\n":
                end -= 1
            if end > item.content[0]:
                item.content = (item.content[0], end)
                break


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
