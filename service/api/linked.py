"""Dereferenceable IRIs: every `{base}id/...` IRI by content negotiation, and the VoID.

`text/turtle`, `application/ld+json`, `application/n-triples` get the resource's description
(serialised by Oxigraph); `text/html` (browsers) gets a 303 to the web UI's page for it
(`/ui/documents/{id}#statement-{n}`, `/ui/actors/{slug}`). The IRI is `settings.base_iri`
plus the request path under `id/`, so the service answers for its public IRIs wherever it runs.
The module's routes are exact forms (no catch-all), so they shadow no other router's paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from service.api.clients import ClientQuerySlot
from service.api.deps import SettingsDep, StoreDep
from service.api.errors import ApiError
from service.api.negotiate import acceptable
from service.rdf import iris
from service.read.linked import (
    DescriptionKind,
    count_graphs,
    describe_query,
    exists,
    merged_triples,
    void_graph,
)
from service.settings import Settings
from service.store import Store
from service.web.links import claim_page, ui_url

__all__ = ["RDF_MEDIA_TYPES", "router"]

# Each description is a DESCRIBE run on a query worker: it counts toward the client's share.
router = APIRouter(tags=["linked data"], dependencies=[ClientQuerySlot])

RDF_MEDIA_TYPES = ("text/turtle", "application/ld+json", "application/n-triples")
_HTML = "text/html"
_REST = re.compile(r"[A-Za-z0-9._~+-]+(?:/[A-Za-z0-9._~+-]+)*")

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


def _requested(request: Request, settings: Settings) -> str:
    """The IRI the request names: the public base and the path under it."""
    root = request.scope.get("root_path", "").rstrip("/")
    return f"{settings.base_iri}{request.url.path[len(root):].lstrip('/')}"


def _describe(
    request: Request,
    store: Store,
    settings: Settings,
    iri: str | None,
    kind: DescriptionKind,
    accept: str | None,
    page_of: str | None = None,
) -> Response:
    """The description of a checked IRI (None: the path cannot name one), with the UI page of
    the IRI (a claim's own page), or of `page_of` (the document a text node belongs to)."""
    if iri is None:
        raise _missing(_requested(request, settings))
    page = ui_url(page_of) if page_of else claim_page(iri) or ui_url(iri)
    return _serve(request, store, iri, kind, accept, page)


def _or_none(mint: Callable[[], str]) -> str | None:
    """The IRI, or None when a part from the path cannot be one (`iris` refuses it)."""
    try:
        return mint()
    except ValueError:
        return None


@router.get("/id/document/{doc_id}")
def document(
    doc_id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    accept: AcceptHeader = None,
) -> Response:
    """A document: its own description and its text node (not its whole graph)."""
    iri = _or_none(lambda: iris.document(settings.base_iri, doc_id))
    return _describe(request, store, settings, iri, DescriptionKind.DOCUMENT, accept)


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
    parts = {"text": iris.text, "extraction": iris.extraction_run}
    document = _or_none(lambda: iris.document(settings.base_iri, doc_id))
    iri = parts[part](document) if document is not None and part in parts else None
    return _describe(request, store, settings, iri, DescriptionKind.SUBJECT, accept, document)


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
    """A statement, quantity or date claim, with its spans and what points to it; or a
    nameless source of the document (`actor/{n}`), shown on the document's page."""
    if kind == "actor":
        iri = iris.checked_document_actor(settings.base_iri, doc_id, n)
        document = _or_none(lambda: iris.document(settings.base_iri, doc_id))
        return _describe(request, store, settings, iri, DescriptionKind.NODE, accept, document)
    iri = iris.checked_claim(settings.base_iri, doc_id, kind, n)
    return _describe(request, store, settings, iri, DescriptionKind.CLAIM, accept)


@router.get("/id/actor/{slug}")
def actor(
    slug: str, request: Request, store: StoreDep, settings: SettingsDep, accept: AcceptHeader = None
) -> Response:
    """An actor: its type, names, aliases, Wikidata link, from every graph."""
    iri = _or_none(lambda: iris.actor(settings.base_iri, slug))
    return _describe(request, store, settings, iri, DescriptionKind.SUBJECT, accept)


@router.get("/id/claimreview/{digest}")
def claimreview(
    digest: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    accept: AcceptHeader = None,
) -> Response:
    """An imported ClaimReview: its whole graph (the review, its rating, its item)."""
    iri = _requested(request, settings) if iris.DOC_ID.fullmatch(digest) else None
    return _describe(request, store, settings, iri, DescriptionKind.GRAPH, accept)


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
    iri = _requested(request, settings) if _REST.fullmatch(f"{kind}/{rest}") else None
    return _describe(request, store, settings, iri, DescriptionKind.NODE, accept)


_VOID_TYPES = ("text/turtle", "application/ld+json", "application/n-triples")
_RDFLIB_FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld",
                   "application/n-triples": "nt"}  # fmt: skip


def _void(store: Store, base_iri: str, media_type: str) -> bytes:
    graph = void_graph(base_iri, count_graphs(store, base_iri), merged_triples(store))
    return graph.serialize(format=_RDFLIB_FORMATS[media_type], encoding="utf-8")


@router.get("/.well-known/void")
async def void(store: StoreDep, settings: SettingsDep, accept: AcceptHeader = None) -> Response:
    """The VoID description of the dataset (Turtle by default, JSON-LD or N-Triples on request)."""
    wanted = acceptable(accept, _VOID_TYPES)
    if not wanted:
        raise ApiError(406, f"the VoID description is served as {', '.join(_VOID_TYPES)}")
    body = await run_in_threadpool(_void, store, settings.base_iri, wanted[0])
    return Response(body, media_type=wanted[0], headers={"Vary": "Accept"})
