"""Stored claims (statements, quantity and date claims) read back as plain records.

The SPARQL is in `service/sparql/claimreview/`; every value is substituted by the engine
(`store.select` bindings, projected as pyoxigraph requires), never pasted in. Nothing here
reads every claim except `load_claim_data` for a whole export: one claim comes with the claims
that share its key (`load_claim`), and a review with the few claims it may be about
(`find_candidates`), each through the store's indexes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TypeVar

from service.claimreview.matching import Candidate, ReviewSignals, numbers_in, text_similarity
from service.claimreview.proposition import proposition
from service.rdf.vocab import FG, XSD
from service.read.rows import decimal
from service.sparql import load
from service.store import Store, iri_term, literal_term

__all__ = [
    "CLAIM_KINDS",
    "ActorInfo",
    "ClaimData",
    "ClaimInfo",
    "DocumentInfo",
    "FirstAppearances",
    "find_candidates",
    "load_claim",
    "load_claim_data",
    "review_slots",
    "to_candidates",
]

# URL path segment -> fg: class local name
CLAIM_KINDS: Mapping[str, str] = {
    "statement": "Statement",
    "quantity": "QuantityClaim",
    "date": "DateClaim",
}
_KIND_OF_CLASS = {str(FG[cls]): kind for kind, cls in CLAIM_KINDS.items()}
_SAME_STATEMENT = 0.8  # content similarity at which two statements of a speaker are one claim
# The slots of claimreview/candidates.rq: words, numbers and claimant names of a review.
_WORD_SLOTS, _NUMBER_SLOTS, _CLAIMANT_SLOTS = 8, 3, 2
_NAMED_IDS = 5  # itemReviewed IRIs looked up, at most
_REVIEW_WORD = re.compile(r"\d[\d,.]*\d|\w+")
_WORD = re.compile(r"\w{4,}")
_Info = TypeVar("_Info")  # what a lookup reads: ClaimInfo, DocumentInfo, ActorInfo


@dataclass(frozen=True, slots=True)
class ActorInfo:
    iri: str
    type: str  # "Person", "Organization", "Place" or "Group"
    name: str
    aliases: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    iri: str
    url: str | None = None
    headline: str | None = None
    date_published: str | None = None
    publisher: str | None = None
    urls: tuple[str, ...] = ()  # its own and every other appearance's (syndication)


@dataclass(frozen=True, slots=True)
class ClaimInfo:
    iri: str
    kind: str  # a key of CLAIM_KINDS
    document: str
    sentence: str | None = None
    content: str | None = None
    mention: str | None = None
    value: Decimal | None = None
    unit: str | None = None
    counted_key: str | None = None
    event_key: str | None = None
    event: str | None = None
    date_text: str | None = None
    earliest: str | None = None
    latest: str | None = None
    author: str | None = None
    statement_content: str | None = None  # of the statement a number or date stands in
    published: str | None = None  # its document's datePublished

    @property
    def proposition(self) -> str:
        """The claim as a fact-checker reviews it: a sentence that states it."""
        return proposition(
            self.kind, sentence=self.sentence, content=self.content, mention=self.mention,
            statement_content=self.statement_content,
        )

    @property
    def text(self) -> str:
        """The claim as written: a statement's content, a quantity's mention, a date claim's
        sentence (its mention alone, "late 2017", says nothing)."""
        if self.kind == "statement" and self.content:
            return self.content
        if self.kind == "quantity" and self.mention:
            return self.mention
        return self.sentence or self.mention or self.content or ""


@dataclass(frozen=True, slots=True)
class ClaimData:
    """Claims with the documents they appear in and the actors they name."""

    claims: dict[str, ClaimInfo]
    documents: dict[str, DocumentInfo]
    actors: dict[str, ActorInfo]


def _claims(rows: Iterable[Mapping[str, str | None]]) -> dict[str, ClaimInfo]:
    """One record a claim (the first row of each: an OPTIONAL with two values repeats it);
    columns a query does not select are None."""
    claims: dict[str, ClaimInfo] = {}
    for row in rows:
        iri, kind = row["claim"], _KIND_OF_CLASS.get(row["type"] or "")
        if iri is None or kind is None or iri in claims or row["document"] is None:
            continue
        claims[iri] = ClaimInfo(
            iri=iri, kind=kind, document=row["document"], sentence=row.get("sentence"),
            content=row.get("content"), mention=row.get("mention"),
            value=decimal(row.get("value")), unit=row.get("unit"),
            counted_key=row.get("countedKey"), event_key=row.get("eventKey"),
            event=row.get("event"), date_text=row.get("dateText"),
            earliest=row.get("earliest"), latest=row.get("latest"), author=row.get("author"),
            statement_content=row.get("statementContent"), published=row.get("published"),
        )
    return claims


def _actors(rows: Iterable[dict[str, str | None]]) -> dict[str, ActorInfo]:
    """Actors from rows that each carry one of an actor's type and name, alias, or link."""
    kinds: dict[str, tuple[str, str]] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    same_as: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        iri = row["actor"]
        if iri is None:
            continue
        if row["type"] is not None and row["name"] is not None:
            local = row["type"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            kinds[iri] = min(kinds.get(iri, (local, row["name"])), (local, row["name"]))
        if row["alias"]:
            aliases[iri].add(row["alias"])
        if row["sameAs"]:
            same_as[iri].add(row["sameAs"])
    return {
        iri: ActorInfo(iri, kind, name, tuple(sorted(aliases[iri])), tuple(sorted(same_as[iri])))
        for iri, (kind, name) in kinds.items()
    }


def _documents(rows: Iterable[dict[str, str | None]]) -> dict[str, DocumentInfo]:
    """The documents of claimreview/documents.rq's rows (one per appearance of a text), each
    with every URL its text appeared at."""
    documents: dict[str, DocumentInfo] = {}
    for row in rows:
        iri = row["document"]
        if iri is None:
            continue
        known = documents.get(iri) or DocumentInfo(
            iri=iri, url=row["url"], headline=row["headline"],
            date_published=row["datePublished"], publisher=row["publisher"],
        )
        urls = (known.urls or tuple(u for u in [row["url"]] if u))
        if row["appearanceUrl"] and row["appearanceUrl"] not in urls:
            urls = (*urls, row["appearanceUrl"])
        documents[iri] = replace(known, urls=urls)
    return documents


def load_claim_data(store: Store, document: str | None = None) -> ClaimData:
    """Every claim (or those of one document, given by IRI), its documents and all actors:
    for a whole export, one read of each, in time linear in the store."""
    bindings = None if document is None else {"document": iri_term(document)}
    claims = _claims(store.select(load("claimreview/claims.rq"), bindings))
    documents = _documents(store.select(load("claimreview/documents.rq")))
    return ClaimData(claims, documents, _actors(store.select(load("claimreview/actors.rq"))))


# ---------------------------------------------------------------- the same claim elsewhere


def _date(claim: ClaimInfo) -> str | None:
    return claim.published[:10] if claim.published else None


def _same_key(claim: ClaimInfo) -> tuple[object, ...] | None:
    """What two claims must share to be the same one: a quantity's counted key, value and
    unit; a date claim's event key and dates; a statement's speaker (then its content)."""
    if claim.kind == "quantity" and claim.counted_key:
        return claim.kind, claim.counted_key, claim.value, claim.unit
    if claim.kind == "date" and claim.event_key:
        return claim.kind, claim.event_key, claim.earliest, claim.latest
    if claim.kind == "statement" and claim.author:
        return claim.kind, claim.author
    return None


def _key_lookup(claim: ClaimInfo) -> tuple[str, dict[str, str]] | None:
    """The index entry that finds the claims of the same key published before this one
    (claimreview/same_key.rq), and the field of ClaimInfo the key fills."""
    before = literal_term(_date(claim) or "9999")  # undated: any dated document is earlier
    if claim.kind == "quantity" and claim.counted_key:
        field, prop, key = "countedKey", FG.countedKey, literal_term(claim.counted_key)
    elif claim.kind == "date" and claim.event_key:
        field, prop, key = "eventKey", FG.eventKey, literal_term(claim.event_key)
    elif claim.kind == "statement" and claim.author:
        field, prop, key = "author", FG.speaker, iri_term(claim.author)
    else:
        return None
    return field, {"keyProperty": iri_term(str(prop)), "key": key, "before": before}


class FirstAppearances:
    """Where each claim first appeared: the earliest-dated other document holding the same
    claim (a quantity with the same counted key, value and unit; a date claim with the same
    event key and dates; a statement by the same speaker with nearly the same content), when
    it is earlier than the claim's own.

    Claims are grouped by their key, so a claim is compared only with the claims of its key;
    a statement then only with its speaker's statements that share at least half the words
    (of four letters or more) of the shorter of the two, before their contents are compared:
    a speaker's hundreds of statements would otherwise cost a text comparison each pair.
    """

    def __init__(self, claims: Iterable[ClaimInfo]) -> None:
        groups: dict[tuple[object, ...], list[tuple[str, ClaimInfo]]] = defaultdict(list)
        for claim in claims:
            key, date = _same_key(claim), _date(claim)
            if key is not None and date is not None:  # an undated document is never first
                groups[key].append((date, claim))
        for group in groups.values():
            group.sort(key=lambda dated: (dated[0], dated[1].iri))
        self._groups = groups
        self._words: dict[str, frozenset[str]] = {}
        self._similar: dict[tuple[str, str], bool] = {}

    def _statement_words(self, text: str) -> frozenset[str]:
        if text not in self._words:
            self._words[text] = frozenset(_WORD.findall(text.lower()))
        return self._words[text]

    def _same_text(self, text: str, other: str) -> bool:
        if text == other:
            return True
        words, others = self._statement_words(text), self._statement_words(other)
        if words and others and 2 * len(words & others) < min(len(words), len(others)):
            return False
        if (text, other) not in self._similar:
            self._similar[text, other] = text_similarity(text, other) >= _SAME_STATEMENT
        return self._similar[text, other]

    def earliest(self, claim: ClaimInfo) -> ClaimInfo | None:
        """The claim's earliest appearance in another, earlier document; None when none."""
        key, own = _same_key(claim), _date(claim)
        for date, other in self._groups.get(key, ()) if key is not None else ():
            if own is not None and date >= own:
                break
            if other.document != claim.document and (
                claim.kind != "statement" or self._same_text(claim.text, other.text)
            ):
                return other
        return None


def _looked_up(
    store: Store,
    query: str,
    variable: str,
    iris: Iterable[str | None],
    read: Callable[[list[dict[str, str | None]]], dict[str, _Info]],
) -> dict[str, _Info]:
    """What `read` makes of `query` asked once for each distinct IRI bound to `variable` (an
    index lookup each), in their order; an id the store does not take as an IRI names
    nothing."""
    found: dict[str, _Info] = {}
    for iri in dict.fromkeys(i for i in iris if i):
        try:
            rows = store.select(load(query), {variable: iri_term(iri)})
        except ValueError:  # not an IRI: it names nothing stored
            continue
        found |= read(rows)
    return found


def _actors_named(store: Store, iris: Iterable[str | None]) -> dict[str, ActorInfo]:
    return _looked_up(store, "claimreview/actors.rq", "actor", iris, _actors)


def _documents_named(store: Store, iris: Iterable[str]) -> dict[str, DocumentInfo]:
    return _looked_up(store, "claimreview/documents.rq", "document", iris, _documents)


def load_claim(store: Store, iri: str) -> ClaimData | None:
    """One claim (None when it is not stored), with the claims that share its key, so its
    first appearance can be told, and the documents and actors its export names: a few
    index lookups, however many claims the store holds."""
    claims = _claims_named(store, [iri])
    claim = claims.get(iri)
    if claim is None:
        return None
    lookup = _key_lookup(claim)
    if lookup is not None:
        field, bindings = lookup
        rows = store.select(load("claimreview/same_key.rq"), bindings)
        claims = {**_claims({**row, field: row["key"]} for row in rows), iri: claim}
    first = FirstAppearances(claims.values()).earliest(claim)
    documents = _documents_named(
        store, [claim.document, *([first.document] if first is not None else [])]
    )
    publishers = (doc.publisher for doc in documents.values())
    return ClaimData(claims, documents, _actors_named(store, [claim.author, *publishers]))


# ---------------------------------------------------------------- candidates for a review


def review_slots(review: ReviewSignals) -> dict[str, str]:
    """The bindings of claimreview/candidates.rq for a review: its words most worth looking
    for (lower case, numbers as written, the longest first: long words are the rare ones),
    its numbers, its claimant's names; "" in every slot the review does not fill."""
    words = dict.fromkeys(w.lower() for w in _REVIEW_WORD.findall(review.claim_reviewed))
    kept = [w for w in words if len(w) >= 4 or (len(w) >= 2 and w[0].isdigit())]
    kept.sort(key=len, reverse=True)
    numbers = sorted(numbers_in(review.claim_reviewed))[:_NUMBER_SLOTS]
    decimal_type = iri_term(str(XSD.decimal))
    slots = {f"w{i + 1}": literal_term(w) for i, w in enumerate(kept[:_WORD_SLOTS])}
    slots |= {f"n{i + 1}": f"{literal_term(format(n, 'f'))}^^{decimal_type}"
              for i, n in enumerate(numbers)}
    claimants = review.author_names[:_CLAIMANT_SLOTS]
    slots |= {f"c{i + 1}": literal_term(n) for i, n in enumerate(claimants)}
    names = [f"w{i}" for i in range(1, _WORD_SLOTS + 1)]
    names += [f"n{i}" for i in range(1, _NUMBER_SLOTS + 1)]
    names += [f"c{i}" for i in range(1, _CLAIMANT_SLOTS + 1)]
    return {name: slots.get(name, literal_term("")) for name in names}


def _claims_named(store: Store, ids: Iterable[str | None]) -> dict[str, ClaimInfo]:
    """The stored claims of these IRIs, in their order; an id that is no stored claim's IRI
    names nothing."""
    return _looked_up(store, "claimreview/claims.rq", "claim", ids, _claims)


def find_candidates(store: Store, review: ReviewSignals) -> list[Candidate]:
    """The claims a review may be about, for `match_review`: those its itemReviewed names,
    else the best 25 of those holding its words, stating its number or made by its
    claimant (claimreview/candidates.rq): a bounded answer, whatever the store holds."""
    claims = _claims_named(store, review.item_ids[:_NAMED_IDS])
    if not claims:
        rows = store.select(load("claimreview/candidates.rq"), review_slots(review))
        claims = _claims_named(store, (row["claim"] for row in rows if row["claim"]))
    documents = _documents_named(store, (c.document for c in claims.values()))
    actors = _actors_named(store, (c.author for c in claims.values()))
    return to_candidates(ClaimData(claims, documents, actors))


def to_candidates(data: ClaimData) -> list[Candidate]:
    """The claims as the matcher sees them: proposition, sentence, number, claimant names, and
    every URL the claim's text appeared at."""
    candidates = []
    for claim in data.claims.values():
        actor = data.actors.get(claim.author or "")
        names = (actor.name, *actor.aliases) if actor else ()
        doc = data.documents.get(claim.document)
        candidates.append(
            Candidate(
                iri=claim.iri, kind=claim.kind, text=claim.proposition, sentence=claim.sentence,
                value=claim.value if claim.kind == "quantity" else None,
                claimant_names=names, document_urls=doc.urls if doc else (),
            )
        )
    return candidates
