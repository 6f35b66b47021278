"""IRIs to page addresses and back, and the small formatting the pages share.

The pages address documents and actors by the last segment of their IRI (`{base}id/document/
{id}`, `{base}id/actor/{slug}`); these are checked against a strict pattern before any IRI is
built from them, so a request can never make a malformed term.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from service.pipeline.documents import DOC_ID
from service.pipeline.graph import analysis_graph_iri, document_iri_for
from service.store import iri_term

__all__ = [
    "actor_iri",
    "analysis_graph",
    "claim_anchor",
    "document_iri",
    "format_number",
    "local_name",
    "slug_of",
    "ui_url",
]

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,199}")
_CLAIM = re.compile(r"/id/document/([0-9a-f]{16})(?:/(statement|quantity|date)/(\d+))?$")
_ACTOR = re.compile(r"/id/actor/([a-z0-9][a-z0-9-]*)$")


def document_iri(base: str, doc_id: str) -> str | None:
    """The document's IRI as an N-Triples term, or None when `doc_id` cannot be one."""
    return iri_term(document_iri_for(base, doc_id)) if DOC_ID.fullmatch(doc_id) else None


def actor_iri(base: str, slug: str) -> str | None:
    """The actor's IRI as an N-Triples term, or None when `slug` cannot be one."""
    return f"<{base}id/actor/{slug}>" if _SLUG.fullmatch(slug) else None


def analysis_graph(base: str) -> str:
    return iri_term(analysis_graph_iri(base))


def slug_of(iri: str | None) -> str | None:
    """An actor IRI's slug (whatever base minted it), else None."""
    match = _ACTOR.search(iri or "")
    return match.group(1) if match else None


def claim_anchor(iri: str | None) -> tuple[str, str | None] | None:
    """(document id, "statement-3" or None) for a document or claim IRI, else None."""
    match = _CLAIM.search(iri or "")
    if not match:
        return None
    doc_id, kind, n = match.groups()
    return doc_id, (f"{kind}-{n}" if kind else None)


def ui_url(iri: str | None) -> str | None:
    """The page that shows this IRI (document, claim anchor, actor), or None."""
    if not iri:
        return None
    claim = claim_anchor(iri)
    if claim is not None:
        doc_id, anchor = claim
        return f"/ui/documents/{doc_id}" + (f"#{anchor}" if anchor else "")
    slug = slug_of(iri)
    return f"/ui/actors/{slug}" if slug else None


def local_name(iri: str | None) -> str:
    """The part after '#' or the last '/': `fg:approximately` -> "approximately"."""
    if not iri:
        return ""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def format_number(lexical: str | None) -> str:
    """A decimal's lexical form for people: "2500.0" -> "2,500", "3.20" -> "3.2"."""
    if lexical is None:
        return ""
    try:
        number = Decimal(lexical)
    except InvalidOperation:
        return lexical
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"
