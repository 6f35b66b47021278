"""`/documents`: ingest one article (POST) and list what is stored (GET)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextlib import closing
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from service.api.auth import WriteAccess
from service.api.body import content_type, read_capped
from service.api.deps import (
    AnalysisDep,
    IngestorHolder,
    IngestorsDep,
    SettingsDep,
    StoreDep,
    TextIndexDep,
)
from service.api.errors import ApiError
from service.bootstrap import build_fetcher
from service.pipeline.documents import Document, document_from_mapping, json_value
from service.rdf import iris
from service.read.documents import list_documents as read_documents
from service.settings import Settings
from service.sources.html import page_document
from service.sources.inputs import fetched_document
from service.sources.language import with_language

__all__ = ["body_limit", "router"]

router = APIRouter(tags=["documents"])

# JSON may escape one byte of text as six ("\u0001"), and metadata sits around the text.
_JSON_ESCAPE_FACTOR = 6
_METADATA_ALLOWANCE = 64 * 1024
_COUNTS = ("statements", "quantities", "dates", "actors")


def body_limit(max_text_bytes: int) -> int:
    """The largest body that can still hold a text within the limit, however it is escaped.

    The text's own size is then checked exactly by `document_from_json` (413 too).
    """
    return max_text_bytes * _JSON_ESCAPE_FACTOR + _METADATA_ALLOWANCE


def _ingest(holder: IngestorHolder, document: Document) -> Any:
    """Blocking: extraction, graph building, validation, storing (run in a worker thread)."""
    with holder.using() as ingestor:
        return next(iter(ingestor.ingest([document])))


def _fetch(settings: Settings, url: str) -> Document:
    """Blocking: the page at `url`, fetched with the guard on (public addresses only)."""
    with closing(build_fetcher(settings, guard=True)) as fetcher:
        return fetched_document(fetcher.fetch(url), max_text_bytes=settings.max_text_bytes)


async def _document_of(request: Request, settings: Settings) -> Document:
    """The document a request sends: JSON with its text, JSON with only a URL to fetch (when
    the settings allow), or an HTML page (its address, if any, in `?url=`)."""
    kind = content_type(request)
    if kind in ("text/html", "application/xhtml+xml"):
        raw = await read_capped(request, settings.fetch_max_bytes, "the page")
        return page_document(
            raw,
            max_text_bytes=settings.max_text_bytes,
            url=request.query_params.get("url") or None,
            fetched_at=dt.datetime.now(dt.UTC),
        )
    if kind != "application/json":
        raise ApiError(
            415,
            "send the document as application/json or the page as text/html, "
            f"not {kind or 'a body without type'}",
        )
    raw = await read_capped(request, body_limit(settings.max_text_bytes), "the document")
    data = json_value(raw)
    if isinstance(data, Mapping) and "text" not in data and "url" in data:
        if not settings.fetch_from_api:
            raise ApiError(
                403,
                "this service does not fetch pages for clients: send the text as JSON or the "
                "page as text/html (the setting FACTGRAPH_FETCH_FROM_API turns fetching on)",
            )
        url = data["url"]
        if not isinstance(url, str):
            raise ApiError(422, "'url' must be a string")
        return await run_in_threadpool(_fetch, settings, url)
    return document_from_mapping(data, max_text_bytes=settings.max_text_bytes)


# The body as the OpenAPI document shows it (read by hand below, with a size cap).
_DOCUMENT_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "anyOf": [
                    {
                        "type": "object",
                        "required": ["text"],
                        "properties": {
                            "text": {"type": "string", "minLength": 1},
                            "title": {"type": "string"},
                            "publisher": {"type": "string"},
                            "url": {"type": "string", "format": "uri"},
                            "date_published": {"type": "string", "format": "date"},
                            "language": {"type": "string"},
                        },
                    },
                    {
                        "type": "object",
                        "required": ["url"],
                        "properties": {"url": {"type": "string", "format": "uri"}},
                        "description": "a page to fetch (only when the service allows it)",
                    },
                ]
            }
        },
        "text/html": {"schema": {"type": "string"}},
    },
}


@router.post(
    "/documents",
    status_code=201,
    dependencies=[WriteAccess],
    openapi_extra={"requestBody": _DOCUMENT_BODY},
    responses={502: {"description": "The page to fetch could not be had."}},
)
async def post_document(
    request: Request, settings: SettingsDep, ingestors: IngestorsDep, store_unread: bool = False
) -> JSONResponse:
    """Ingest a JSON document `{"text": ..., "title", "publisher", "url", "date_published"}`,
    an HTML page (`text/html`: the story, headline, byline, site and date are extracted), or
    `{"url": ...}` to fetch, when the service allows fetching (public addresses only).

    201 with the document's IRI and counts; 422 naming the language when the text is in one
    the pipeline does not read (`?store_unread=true` stores it without claims, with the reason);
    422 with the SHACL report when its graph does not conform (nothing is stored); 403 for a
    fetch the service does not make; 502 when the page could not be fetched; 503 with
    Retry-After when the ingest queue is full. Posting the same text again replaces its graph.
    """
    document = await _document_of(request, settings)
    document = with_language(
        document, store_unread=store_unread or settings.store_unread_languages
    )
    with ingestors.admitted():  # 503 when the queue is full, before any work is done
        result = await run_in_threadpool(_ingest, ingestors, document)
    if result.unreadable is not None:
        raise ApiError(422, f"factgraph could not read this document: {result.unreadable}")
    if result.fault is not None:
        raise ApiError(500, f"factgraph could not store this document: {result.reason}")
    if not result.stored:
        report = result.report
        raise ApiError(
            422,
            "the document's graph does not conform to the shapes, so nothing was stored; "
            "the report says why",
            extra={"iri": result.iri, "report": report.to_json() if report else None},
        )
    counts = result.counts()
    body: dict[str, Any] = {"iri": result.iri, **{k: counts[k] for k in _COUNTS}}
    if document.claims_withheld:
        body["claims_withheld"] = document.claims_withheld
    return JSONResponse(body, status_code=201, headers={"Location": result.iri})


@router.get("/documents")
def list_documents(store: StoreDep) -> list[dict[str, Any]]:
    """Every stored document with its headline, publisher, date, URL and claim counts."""
    return read_documents(store)


@router.delete("/documents/{doc_id}", status_code=204, dependencies=[WriteAccess])
def delete_document(
    doc_id: str, analysis: AnalysisDep, text: TextIndexDep, settings: SettingsDep
) -> Response:
    """Drop the document's graph and every claim comparison touching it, in one transaction,
    then its entries in the text index (a stop in between: the next start drops them)."""
    iri = iris.document(settings.base_iri, doc_id) if iris.DOC_ID.fullmatch(doc_id) else None
    if iri is None or not analysis.drop_document(iri):
        raise ApiError(
            404, f"no document {doc_id[:40]!r} is stored; GET /documents lists the stored ones"
        )
    if text is not None:
        text.drop_document(iri)
    return Response(status_code=204)
