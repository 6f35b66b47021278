"""Stored claims (statements, quantity and date claims) read back as plain records.

The SPARQL is in `service/sparql/claimreview/`; a document IRI is always substituted by the
engine (`store.select` bindings, projected as pyoxigraph requires), never pasted in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from service.claimreview.matching import Candidate
from service.claimreview.proposition import proposition
from service.rdf.vocab import FG
from service.read.rows import decimal
from service.sparql import load
from service.store import Store, iri_term

__all__ = [
    "CLAIM_KINDS",
    "ActorInfo",
    "ClaimData",
    "ClaimInfo",
    "DocumentInfo",
    "load_claim_data",
    "to_candidates",
]

# URL path segment -> fg: class local name
CLAIM_KINDS: Mapping[str, str] = {
    "statement": "Statement",
    "quantity": "QuantityClaim",
    "date": "DateClaim",
}
_KIND_OF_CLASS = {str(FG[cls]): kind for kind, cls in CLAIM_KINDS.items()}


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


def _claims(rows: Iterable[dict[str, str | None]]) -> dict[str, ClaimInfo]:
    claims: dict[str, ClaimInfo] = {}
    for row in rows:
        iri, kind = row["claim"], _KIND_OF_CLASS.get(row["type"] or "")
        if iri is None or kind is None or iri in claims or row["document"] is None:
            continue
        claims[iri] = ClaimInfo(
            iri=iri, kind=kind, document=row["document"], sentence=row["sentence"],
            content=row["content"], mention=row["mention"], value=decimal(row["value"]),
            unit=row["unit"], counted_key=row["countedKey"], event_key=row["eventKey"],
            event=row["event"], date_text=row["dateText"], earliest=row["earliest"],
            latest=row["latest"], author=row["author"],
            statement_content=row["statementContent"],
        )
    return claims


def _actors(rows: Iterable[dict[str, str | None]]) -> dict[str, ActorInfo]:
    found: dict[str, tuple[str, str, set[str], set[str]]] = {}
    for row in rows:
        iri, kind, name = row["actor"], row["type"], row["name"]
        if iri is None or kind is None or name is None:
            continue
        local = kind.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        entry = found.setdefault(iri, (local, name, set(), set()))
        if row["alias"]:
            entry[2].add(row["alias"])
        if row["sameAs"]:
            entry[3].add(row["sameAs"])
    return {
        iri: ActorInfo(iri, kind, name, tuple(sorted(aliases)), tuple(sorted(same)))
        for iri, (kind, name, aliases, same) in found.items()
    }


def load_claim_data(store: Store, document: str | None = None) -> ClaimData:
    """Every claim (or those of one document, given by IRI), its documents and all actors."""
    bindings = None if document is None else {"document": iri_term(document)}
    claims = _claims(store.select(load("claimreview/claims.rq"), bindings))
    documents: dict[str, DocumentInfo] = {}
    for row in store.select(load("claimreview/documents.rq")):
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
    return ClaimData(claims, documents, _actors(store.select(load("claimreview/actors.rq"))))


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
