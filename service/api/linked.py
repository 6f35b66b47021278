"""Dereferenceable IRIs: every `{base}id/...` IRI by content negotiation, and the VoID.

`text/turtle`, `application/ld+json`, `application/n-triples` get the resource's description
(serialised by Oxigraph); `text/html` (browsers) gets a 303 to the web UI's page for it
(`/ui/documents/{id}#statement-{n}`, `/ui/actors/{slug}`). The IRI is `settings.base_iri`
plus the request path under `id/`, so the service answers for its public IRIs wherever it runs.
The module's routes are exact forms (no catch-all), so they shadow no other router's paths.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from service.api.deps import SettingsDep, StoreDep
from service.api.errors import ApiError
from service.api.negotiate import acceptable
from service.pipeline.documents import DOC_ID
from service.pipeline.graph import document_iri_for
from service.read.linked import DescriptionKind, count_graphs, describe_query, exists, void_graph
from service.store import Store

__all__ = ["RDF_MEDIA_TYPES", "router"]

router = APIRouter(tags=["linked data"])

RDF_MEDIA_TYPES = ("text/turtle", "application/ld+json", "application/n-triples")
_HTML = "text/html"
_NUMBER = re.compile(r"0|[1-9][0-9]{0,8}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_HASH = DOC_ID
_REST = re.compile(r"[A-Za-z0-9._~+-]+(?:/[A-Za-z0-9._~+-]+)*")
_CLAIM_KINDS = ("statement", "quantity", "date")
_DOC_PARTS = ("text", "extraction")

AcceptHeader = Annotated[str | None, Header()]


def _missing(iri: str) -> ApiError:
    return ApiError(404, f"there is nothing at <{iri}>: no stored triple names it")


def _serve(
    request: Request,
    store: Store,
    iri: str,
    kind: DescriptionKind,
    accept: str | None,
    page: str | None = None,
) -> Response:
    """The description in the best accepted RDF type, or a 303 to `page` for HTML."""
    if not exists(store, iri):
        raise _missing(iri)
    offered = (*RDF_MEDIA_TYPES, _HTML) if page is not None else RDF_MEDIA_TYPES
    wanted = acceptable(accept, offered)
    if not wanted:
        raise ApiError(
            406,
            f"<{iri}> is served as {', '.join(offered)}; nothing of that matches your Accept "
            f"header ({accept})",
        )
    if wanted[0] == _HTML and page is not None:
        root = request.scope.get("root_path", "").rstrip("/")
        return RedirectResponse(f"{root}{page}", status_code=303, headers={"Vary": "Accept"})
    result = store.query(describe_query(iri, kind), [t for t in wanted if t != _HTML])
    return Response(
        result.body,
        media_type=result.media_type,
        headers={"Vary": "Accept", "Content-Location": iri},
    )


def _check(value: str, pattern: re.Pattern[str], iri: str) -> None:
    if not pattern.fullmatch(value):
        raise _missing(iri)


@router.get("/id/document/{doc_id}")
def document(
    doc_id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    accept: AcceptHeader = None,
) -> Response:
    """A document: its own description and its text node (not its whole graph)."""
    iri = document_iri_for(settings.base_iri, doc_id)
    _check(doc_id, DOC_ID, iri)
    page = f"/ui/documents/{doc_id}"
    return _serve(request, store, iri, DescriptionKind.DOCUMENT, accept, page)


@router.get("/id/document/{doc_id}/{part}")
def document_part(
    doc_id: str,
    part: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    accept: AcceptHeader = None,
) -> Response:
    """A document's text node or extraction run."""
    iri = f"{document_iri_for(settings.base_iri, doc_id)}/{part}"
    _check(doc_id, DOC_ID, iri)
    if part not in _DOC_PARTS:
        raise _missing(iri)
    page = f"/ui/documents/{doc_id}"
    return _serve(request, store, iri, DescriptionKind.SUBJECT, accept, page)


@router.get("/id/document/{doc_id}/{kind}/{n}")
def claim(
    doc_id: str,
    kind: str,
    n: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    accept: AcceptHeader = None,
) -> Response:
    """A statement, quantity or date claim, with its spans and what points to it."""
    iri = f"{document_iri_for(settings.base_iri, doc_id)}/{kind}/{n}"
    _check(doc_id, DOC_ID, iri)
    _check(n, _NUMBER, iri)
    if kind not in _CLAIM_KINDS:
        raise _missing(iri)
    page = f"/ui/documents/{doc_id}#{kind}-{n}"
    return _serve(request, store, iri, DescriptionKind.CLAIM, accept, page)


@router.get("/id/actor/{slug}")
def actor(
    slug: str, request: Request, store: StoreDep, settings: SettingsDep, accept: AcceptHeader = None
) -> Response:
    """An actor: its type, names, aliases, Wikidata link, from every graph."""
    iri = f"{settings.base_iri}id/actor/{slug}"
    _check(slug, _SLUG, iri)
    return _serve(request, store, iri, DescriptionKind.SUBJECT, accept, f"/ui/actors/{slug}")


@router.get("/id/claimreview/{digest}")
def claimreview(
    digest: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    accept: AcceptHeader = None,
) -> Response:
    """An imported ClaimReview: its whole graph (the review, its rating, its item)."""
    iri = f"{settings.base_iri}id/claimreview/{digest}"
    _check(digest, _HASH, iri)
    return _serve(request, store, iri, DescriptionKind.GRAPH, accept)


@router.get("/id/{kind}/{rest:path}")
def other(
    kind: str,
    rest: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    accept: AcceptHeader = None,
) -> Response:
    """Any other IRI under `id/` (comparisons, software agents): its triples both ways.
    Registered last, and the app includes this router last, so specific routes win."""
    iri = f"{settings.base_iri}id/{kind}/{rest}"
    _check(f"{kind}/{rest}", _REST, iri)
    return _serve(request, store, iri, DescriptionKind.NODE, accept)


_VOID_TYPES = ("text/turtle", "application/ld+json", "application/n-triples")
_RDFLIB_FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld",
                   "application/n-triples": "nt"}  # fmt: skip


def _void(store: Store, base_iri: str, media_type: str) -> bytes:
    graph = void_graph(base_iri, count_graphs(store, base_iri))
    return graph.serialize(format=_RDFLIB_FORMATS[media_type], encoding="utf-8")


@router.get("/.well-known/void")
async def void(store: StoreDep, settings: SettingsDep, accept: AcceptHeader = None) -> Response:
    """The VoID description of the dataset (Turtle by default, JSON-LD or N-Triples on request)."""
    wanted = acceptable(accept, _VOID_TYPES)
    if not wanted:
        raise ApiError(406, f"the VoID description is served as {', '.join(_VOID_TYPES)}")
    body = await run_in_threadpool(_void, store, settings.base_iri, wanted[0])
    return Response(body, media_type=wanted[0], headers={"Vary": "Accept"})
