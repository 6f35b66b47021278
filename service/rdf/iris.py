"""Every IRI the service mints, and the parts read back out of one: the only place that knows
the IRI layout of MODEL.md.

IRIs are plain `str` (callers wrap them as `rdflib.URIRef` or `pyoxigraph.NamedNode`). Parts
that come from outside (a URL path, a slug) are checked against strict patterns before an IRI
is built from them, so a request can never make a malformed term.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote

__all__ = [
    "CLAIM_KINDS",
    "DOC_ID",
    "SLUG",
    "ClaimRef",
    "actor",
    "actor_prefix",
    "actors_graph",
    "analysis_graph",
    "appearance",
    "checked_claim",
    "checked_document_actor",
    "claim",
    "claim_ref",
    "claimreview",
    "claimreviews_prefix",
    "comparison",
    "comparison_run",
    "document",
    "document_actor",
    "document_id",
    "documents_prefix",
    "extraction_run",
    "judgement",
    "judgements_graph",
    "minted",
    "own_claim",
    "review_link",
    "reviewer",
    "slug_of",
    "software",
    "span",
    "text",
    "text_reuse",
]

# A document id: the first 16 hex digits of sha256(text). Ids read from URLs are checked here.
DOC_ID = re.compile(r"[0-9a-f]{16}")
# An actor key: the slug of its canonical name ("islamic-resistance-in-iraq").
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The path segment of each kind of claim under its document.
CLAIM_KINDS = ("statement", "quantity", "date")
_NUMBER = re.compile(r"0|[1-9][0-9]{0,8}")
_CLAIM = re.compile(r"/id/document/([0-9a-f]{16})(?:/(statement|quantity|date)/(0|[1-9][0-9]*))?$")
_ACTOR = re.compile(r"/id/actor/([a-z0-9]+(?:-[a-z0-9]+)*)$")


# --- documents and what is in them ------------------------------------------------------------


def minted(base: str) -> str:
    """Every node the service mints lives under `{base}id/` (VoID's uriSpace)."""
    return f"{base}id/"


def documents_prefix(base: str) -> str:
    return f"{base}id/document/"


def document(base: str, doc_id: str) -> str:
    """`{base}id/document/{doc_id}`; the id must look like one (`DOC_ID`)."""
    if not DOC_ID.fullmatch(doc_id):
        raise ValueError(f"{doc_id[:40]!r} is not a document id (16 hex digits)")
    return f"{documents_prefix(base)}{doc_id}"


def text(document_iri: str) -> str:
    """The document's `nif:Context`."""
    return f"{document_iri}/text"


def span(document_iri: str, start: int, end: int) -> str:
    """`{doc}/text#char={start},{end}` (RFC 5147 style; a sentence and a span may share it)."""
    return f"{document_iri}/text#char={start},{end}"


def claim(document_iri: str, kind: str, n: int) -> str:
    """`{doc}/statement/{n}`, `{doc}/quantity/{n}` or `{doc}/date/{n}`."""
    if kind not in CLAIM_KINDS:
        raise ValueError(f"{kind!r} is not a kind of claim ({', '.join(CLAIM_KINDS)})")
    return f"{document_iri}/{kind}/{n}"


def extraction_run(document_iri: str) -> str:
    return f"{document_iri}/extraction"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def appearance(document_iri: str, key: str) -> str:
    """`{doc}/appearance/{16 hex}` of an appearance's key (its URL, else its publisher), so
    posting the same text again from the same place updates its appearance."""
    return f"{document_iri}/appearance/{_digest(key)}"


def raw_page(document_iri: str, sha256: str, fetched_from: str | None) -> str:
    """`{doc}/page/{16 hex}` of the page's sha256 and the address it came from: the same bytes
    from the same place, the same IRI (fetching them again updates the page, never adds one)."""
    return f"{document_iri}/page/{_digest(sha256, fetched_from or '')}"


def text_reuse(base: str, document_a: str, document_b: str) -> str:
    """`{base}id/reuse/{16 hex}`: the same IRI whichever document comes first."""
    return f"{base}id/reuse/{_digest(*sorted((document_a, document_b)))}"


def document_actor(document_iri: str, n: int) -> str:
    """`{doc}/actor/{n}`: a nameless source ("two officials") belongs to its document alone."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"a document's actor number is a positive integer, not {n!r}")
    return f"{document_iri}/actor/{n}"


@dataclass(frozen=True, slots=True)
class ClaimRef:
    """A document or claim IRI taken apart: its document id, and the claim's kind and number."""

    doc_id: str
    kind: str | None = None
    n: int | None = None

    @property
    def anchor(self) -> str | None:
        """"statement-3": the claim's place on its document's page."""
        return None if self.kind is None else f"{self.kind}-{self.n}"


def claim_ref(iri: str | None) -> ClaimRef | None:
    """The parts of a document or claim IRI minted by any base, else None."""
    match = _CLAIM.search(iri or "")
    if not match:
        return None
    doc_id, kind, n = match.groups()
    return ClaimRef(doc_id, kind, int(n) if n is not None else None)


def document_id(iri: str | None) -> str | None:
    ref = claim_ref(iri)
    return ref.doc_id if ref else None


def checked_claim(base: str, doc_id: str, kind: str, n: str) -> str | None:
    """The claim IRI of URL path parts, or None when a part cannot be one."""
    if not DOC_ID.fullmatch(doc_id) or kind not in CLAIM_KINDS or not _NUMBER.fullmatch(n):
        return None
    return claim(document(base, doc_id), kind, int(n))


def checked_document_actor(base: str, doc_id: str, n: str) -> str | None:
    """The IRI of a document's nameless source from URL path parts, or None."""
    if not DOC_ID.fullmatch(doc_id) or not _NUMBER.fullmatch(n) or n == "0":
        return None
    return document_actor(document(base, doc_id), int(n))


def own_claim(base: str, iri: str) -> str | None:
    """`iri` when it is a claim IRI this base mints, else None."""
    ref = claim_ref(iri)
    if ref is None or ref.kind is None or ref.n is None:
        return None
    return iri if checked_claim(base, ref.doc_id, ref.kind, str(ref.n)) == iri else None


# --- actors -----------------------------------------------------------------------------------


def actor_prefix(base: str) -> str:
    """Where shared actors live: the registry file's relative IRIs resolve against it."""
    return f"{base}id/actor/"


def actor(base: str, key: str) -> str:
    """`{base}id/actor/{key}`; the key must be a slug, as `records.actor_key` makes them."""
    if not SLUG.fullmatch(key):
        raise ValueError(f"actor key {key[:60]!r} is not a slug such as 'islamic-state'")
    return f"{actor_prefix(base)}{key}"


def slug_of(iri: str | None) -> str | None:
    """An actor IRI's slug (whatever base minted it), else None."""
    match = _ACTOR.search(iri or "")
    return match.group(1) if match else None


# --- graphs and derived nodes -----------------------------------------------------------------


def actors_graph(base: str) -> str:
    return f"{base}graph/actors"


def analysis_graph(base: str) -> str:
    return f"{base}graph/analysis"


def software(base: str, version: str, *model: str) -> str:
    """The factgraph release (and the spaCy model name and version, for an extractor):
    `{base}id/software/factgraph/{version}[/{model}/{model version}]`."""
    path = "/".join(quote(part, safe="+.-_") for part in (version, *model) if part)
    return f"{base}id/software/factgraph/{path}"


def comparison(base: str, claim_a: str, claim_b: str) -> str:
    """The same IRI whichever claim comes first."""
    first, second = sorted((claim_a, claim_b))
    digest = hashlib.sha256(f"{first}\n{second}".encode()).hexdigest()[:16]
    return f"{base}id/comparison/{digest}"


def comparison_run(base: str, document_iri: str) -> str:
    """The comparison run made for one document: replaced whenever the document is."""
    return f"{base}id/comparison-run/{document_iri.rstrip('/').rsplit('/', 1)[-1]}"


def claimreviews_prefix(base: str) -> str:
    return f"{base}id/claimreview/"


def review_link(review_iri: str, claim_iri: str) -> str:
    """`{review}/link/{16 hex}`: the link of a review to one claim, whoever made it."""
    return f"{review_iri}/link/{_digest(claim_iri)}"


def judgements_graph(base: str) -> str:
    return f"{base}graph/judgements"


def reviewer(base: str, name: str) -> str:
    """`{base}id/reviewer/{slug}`; the slug must be one (`SLUG`)."""
    if not SLUG.fullmatch(name):
        raise ValueError(f"reviewer key {name[:60]!r} is not a slug such as 'ana-pop'")
    return f"{base}id/reviewer/{name}"


def judgement(base: str, judged: str, reviewer_iri: str) -> str:
    """`{base}id/judgement/{16 hex}`: one per thing judged and reviewer (judging again replaces)."""
    return f"{base}id/judgement/{_digest(judged, reviewer_iri)}"


def claimreview(base: str, url: str, claim_reviewed: str) -> str:
    """`{base}id/claimreview/{16 hex}`: the same review (url and claim) keeps its IRI."""
    digest = hashlib.sha256(f"{url}\n{claim_reviewed}".encode()).hexdigest()[:16]
    return f"{claimreviews_prefix(base)}{digest}"
