"""People judge the machine: a reviewer confirms or rejects a review-to-claim link or a claim
comparison, and the judgement wins over the machine's.

Each judgement is a resource of its own in `<{base}graph/judgements>`: `fg:judged` the link or
comparison, `fg:verdict` (`fg:Confirmed` or `fg:Rejected`), `prov:wasAttributedTo` the reviewer
(a `prov:Person` minted from the name given), `prov:generatedAtTime` when. A reviewer judging
the same thing again replaces their judgement; of several reviewers', the latest wins. A link
a reviewer confirms that the matcher never made is stored with the judgement, so it exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from service.pipeline.records import actor_key
from service.rdf import iris
from service.rdf.vocab import FG, PROV, RDF, RDFS, SDO, XSD
from service.read.rows import Row, local_name
from service.sparql import DataBlock, fill, load
from service.store import Store, iri_term

__all__ = [
    "VERDICTS",
    "Judgement",
    "JudgementError",
    "UnknownJudgedError",
    "judge",
    "latest_judgements",
    "review_links",
]

VERDICTS = {"confirmed": FG.Confirmed, "rejected": FG.Rejected}
_MAX_NAME = 200
_MAX_NOTE = 2000
_CLAIM_TYPES = {str(FG.Statement), str(FG.QuantityClaim), str(FG.DateClaim)}


class JudgementError(ValueError):
    """The request is no judgement the service can store; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownJudgedError(JudgementError):
    """The review, claim or comparison to judge is not stored."""


@dataclass(frozen=True, slots=True)
class Judgement:
    iri: str
    judged: str
    verdict: str  # "confirmed" or "rejected"
    reviewer: str  # the reviewer's IRI
    reviewer_name: str | None
    at: str  # xsd:dateTime
    note: str | None = None
    review: str | None = None  # for a review link
    claim: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "iri": self.iri, "judged": self.judged, "verdict": self.verdict,
            "reviewer": self.reviewer_name, "reviewer_iri": self.reviewer, "at": self.at,
            "note": self.note, "review": self.review, "claim": self.claim,
        }


def _text(body: dict[str, Any], key: str, limit: int, *, required: bool) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise JudgementError(f"'{key}' must be a non-empty string")
    if len(value) > limit:
        raise JudgementError(f"'{key}' is longer than {limit} characters")
    return value.strip()


def _types(store: Store, iri: str) -> set[str]:
    rows = store.select(load("judgements/judged_exists.rq"), {"target": iri_term(iri)})
    return {row["type"] for row in rows if row["type"]}


def _target(store: Store, body: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """(the IRI judged, the review, the claim) of a request naming a link or a comparison."""
    comparison, review, claim = (body.get(k) for k in ("comparison", "review", "claim"))
    if comparison is not None and (review is not None or claim is not None):
        raise JudgementError("judge either a comparison, or a review's link to a claim: not both")
    if comparison is not None:
        iri = _iri(comparison, "comparison")
        if str(FG.ClaimComparison) not in _types(store, iri):
            raise UnknownJudgedError(f"there is no stored claim comparison <{iri}>")
        return iri, None, None
    if review is None or claim is None:
        raise JudgementError(
            "name what is judged: {\"review\": IRI, \"claim\": IRI} for a review's link to a "
            "claim, or {\"comparison\": IRI}"
        )
    review_iri, claim_iri = _iri(review, "review"), _iri(claim, "claim")
    if str(SDO.ClaimReview) not in _types(store, review_iri):
        raise UnknownJudgedError(f"there is no stored ClaimReview <{review_iri}>")
    if not _types(store, claim_iri) & _CLAIM_TYPES:
        raise UnknownJudgedError(f"there is no stored claim <{claim_iri}>")
    return iris.review_link(review_iri, claim_iri), review_iri, claim_iri


def _iri(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise JudgementError(f"'{key}' must be an http(s) IRI")
    try:
        ox.NamedNode(value)
    except ValueError:
        raise JudgementError(f"'{key}' is not a valid IRI") from None
    return value


def _triples(judgement: Judgement, verdict: ox.NamedNode) -> Iterator[ox.Triple]:
    def node(term: object) -> ox.NamedNode:
        return ox.NamedNode(str(term))

    this, judged, reviewer = node(judgement.iri), node(judgement.judged), node(judgement.reviewer)
    yield ox.Triple(this, node(RDF.type), node(FG.Judgement))
    yield ox.Triple(this, node(RDF.type), node(PROV.Entity))
    yield ox.Triple(this, node(FG.judged), judged)
    yield ox.Triple(this, node(FG.verdict), verdict)
    yield ox.Triple(this, node(PROV.wasAttributedTo), reviewer)
    yield ox.Triple(this, node(PROV.generatedAtTime),
                    ox.Literal(judgement.at, datatype=node(XSD.dateTime)))
    if judgement.note:
        yield ox.Triple(this, node(RDFS.comment), ox.Literal(judgement.note))
    yield ox.Triple(reviewer, node(RDF.type), node(PROV.Person))
    yield ox.Triple(reviewer, node(SDO.name), ox.Literal(judgement.reviewer_name or ""))
    if judgement.review and judgement.claim:  # the link itself, whoever made it
        yield ox.Triple(judged, node(RDF.type), node(FG.ReviewLink))
        yield ox.Triple(judged, node(FG.linkedReview), node(judgement.review))
        yield ox.Triple(judged, node(FG.linkedClaim), node(judgement.claim))


def judge(store: Store, base: str, body: Any, now: dt.datetime | None = None) -> Judgement:
    """Store a reviewer's judgement from a request body: `{"review", "claim"}` or
    `{"comparison"}`, with `"verdict"` ("confirmed" or "rejected"), `"reviewer"` (a name) and
    an optional `"note"`. JudgementError when it cannot be stored."""
    if not isinstance(body, dict):
        raise JudgementError('send a JSON object: {"review", "claim", "verdict", "reviewer"}')
    verdict = body.get("verdict")
    if verdict not in VERDICTS:
        raise JudgementError(f"'verdict' must be one of: {', '.join(VERDICTS)}")
    name = str(_text(body, "reviewer", _MAX_NAME, required=True))
    note = _text(body, "note", _MAX_NOTE, required=False)
    judged, review, claim = _target(store, body)
    reviewer = iris.reviewer(base, actor_key(name))
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    at = moment.isoformat().replace("+00:00", "Z")  # as the store writes it back
    judgement = Judgement(
        iris.judgement(base, judged, reviewer), judged, verdict, reviewer, name, at, note,
        review, claim,
    )
    store.update(fill(
        load("judgements/replace_judgement.ru"),
        graph=ox.NamedNode(iris.judgements_graph(base)),
        judgement=ox.NamedNode(judgement.iri),
        data=DataBlock.of(_triples(judgement, ox.NamedNode(str(VERDICTS[verdict])))),
    ), trial=False)
    return judgement


def _judgement(row: Row) -> Judgement:
    return Judgement(
        iri=row["judgement"] or "", judged=row["judged"] or "",
        verdict=local_name(row["verdict"]).lower(), reviewer=row["reviewer"] or "",
        reviewer_name=row["reviewerName"], at=row["at"] or "", note=row["note"],
        review=row["review"], claim=row["claim"],
    )


def latest_judgements(store: Store) -> dict[str, Judgement]:
    """The judgement that wins for each judged link or comparison, by its IRI."""
    found: dict[str, Judgement] = {}
    for row in store.select(load("judgements/latest.rq")):
        if row["judged"] and row["judged"] not in found:
            found[row["judged"]] = _judgement(row)
    return found


def review_links(store: Store) -> list[dict[str, Any]]:
    """Every review-to-claim link with the matcher's score and method (where the matcher made
    it), the review's rating, URL and author, and the link's status: "confirmed" or
    "rejected" by a reviewer (who and when), else "machine"."""
    judged = latest_judgements(store)
    links: dict[str, dict[str, Any]] = {}
    for row in store.select(load("claimreview/links.rq")):
        link = row["link"] or ""
        entry = links.setdefault(link, {
            "link": link, "review": row["review"], "claim": row["claim"], "score": None,
            "method": None, "claimReviewed": row["claimReviewed"],
            "rating": row["rating"] or row["ratingValue"], "url": row["url"],
            "author": row["author"],
        })
        if row["score"] is not None:
            entry["score"], entry["method"] = float(row["score"]), row["method"]
    for entry in links.values():
        judgement = judged.get(entry["link"])
        entry["status"] = judgement.verdict if judgement else "machine"
        entry["judgement"] = judgement.to_json() if judgement else None
    return list(links.values())
