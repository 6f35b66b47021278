"""IRIs to the pages that show them, and the small formatting the pages share."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from service.rdf import iris

__all__ = [
    "claim_anchor",
    "claim_page",
    "format_number",
    "provenance_url",
    "ui_url",
    "web_url",
]


def claim_anchor(iri: str | None) -> tuple[str, str | None] | None:
    """(document id, "statement-3" or None) for a document or claim IRI, else None."""
    ref = iris.claim_ref(iri)
    return None if ref is None else (ref.doc_id, ref.anchor)


def ui_url(iri: str | None) -> str | None:
    """The page that shows this IRI (document, claim anchor, actor), or None."""
    ref = iris.claim_ref(iri)
    if ref is not None:
        return f"/ui/documents/{ref.doc_id}" + (f"#{ref.anchor}" if ref.anchor else "")
    slug = iris.slug_of(iri)
    return f"/ui/actors/{slug}" if slug else None


def claim_page(iri: str | None) -> str | None:
    """The claim's own page (`/ui/claims/{document}/{kind}/{n}`), or None for no claim IRI."""
    ref = iris.claim_ref(iri)
    if ref is None or ref.kind is None or ref.n is None:
        return None
    return f"/ui/claims/{ref.doc_id}/{ref.kind}/{ref.n}"


def web_url(url: str | None) -> str | None:
    """A stored URL as a link target only when it is http(s): anything can be written into the
    store (SPARQL Update), and a `javascript:` or `data:` link would run in the reader's page."""
    if url is None:
        return None
    cleaned = url.strip()
    return cleaned if re.match(r"https?://[^\s]", cleaned, re.IGNORECASE) else None


def provenance_url(iri: str | None) -> str | None:
    """The provenance panel of a claim on its document's page, or None."""
    ref = iris.claim_ref(iri)
    if ref is None or ref.anchor is None:
        return None
    return f"/ui/documents/{ref.doc_id}#provenance-{ref.anchor}"


def format_number(lexical: str | None) -> str:
    """A decimal's lexical form for people: "2500.0" -> "2,500", "3.20" -> "3.2"."""
    if lexical is None:
        return ""
    try:
        number = Decimal(str(lexical))
    except InvalidOperation:
        return str(lexical)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"
