"""The web UI for people who do not write SPARQL: server-rendered pages over the store.

`/` (the corpus), `/ui/documents/{id}` (an article with its claims marked), `/ui/claims`
(claims, filtered), `/ui/claims/{id}/{kind}/{n}` (one claim, its comparisons and reviews, to
confirm or reject), `/ui/comparisons` (claim comparisons), `/ui/actors/{slug}` (what an actor
said), `/ui/search` (claims and actors found by their words), `/ui/sparql` (a query editor),
`/ui/add` (a form to add an article by its text or its link).
Routes are thin: `service.web.views` reads the store, the templates render with autoescaping
on. Routes are plain `def`: queries run in the thread pool.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from service import __version__
from service.api.clients import ClientQuerySlot
from service.api.deps import SettingsDep, StoreDep, TextIndexDep
from service.api.errors import ApiError
from service.api.sparql import MAX_QUERY_BYTES
from service.read.claims import CLAIM_STATUSES, ClaimFilterError, ClaimFilters
from service.read.competency import QUESTIONS
from service.read.questions import InvalidInputError
from service.read.rows import local_name
from service.store import (
    QueryError,
    QueryMemoryError,
    QueryTimeoutError,
    ResultTooLargeError,
    UnsupportedFormatError,
)
from service.web import editor, views
from service.web.links import claim_page, format_number, provenance_url, ui_url

__all__ = ["router", "templates"]

_WEB = Path(__file__).resolve().parent.parent / "web"

_env = Environment(
    loader=FileSystemLoader(_WEB / "templates"),
    autoescape=True,  # every page holds text from articles and queries people sent
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["number"] = format_number
_env.filters["local"] = local_name
_env.filters["ui_url"] = ui_url
_env.filters["provenance_url"] = provenance_url
_env.filters["claim_page"] = claim_page
_env.globals["version"] = __version__
_env.globals["claim_statuses"] = CLAIM_STATUSES
templates = Jinja2Templates(env=_env)

router = APIRouter(tags=["ui"], include_in_schema=False)
router.mount("/static", StaticFiles(directory=_WEB / "static"), name="static")


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def _not_found(request: Request, what: str) -> HTMLResponse:
    return _page(request, "not_found.html", {"what": what}, status=404)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """What the corpus holds, and its newest documents."""
    return _page(request, "home.html", views.home_page(store, settings.base_iri))


@router.get("/ui/documents/{doc_id}", response_class=HTMLResponse)
def document(request: Request, doc_id: str, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """One article, its claims and actors marked in the text, each with its provenance."""
    page = views.document_page(store, settings.base_iri, doc_id)
    if page is None:
        return _not_found(request, f"document {doc_id}")
    return _page(request, "document.html", page)


@router.get("/ui/add", response_class=HTMLResponse)
def add(request: Request, settings: SettingsDep) -> HTMLResponse:
    """A form to paste an article's text or give its link; it posts to /documents (with the
    update token, when the server has one) and opens the new document."""
    context = {
        "token_required": settings.update_token is not None,
        "fetching": settings.fetch_from_api,
    }
    return _page(request, "add.html", context)


@router.get("/ui/comparisons", response_class=HTMLResponse)
def comparisons(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Claim comparisons across documents, conflicts first."""
    return _page(request, "comparisons.html", views.comparisons_page(store, settings.base_iri))


@router.get("/ui/claims", response_class=HTMLResponse)
def claims(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    q: str = "",
    status: str = "",
    outlet: str = "",
    actor: str = "",
    date_from: str = "",
    date_to: str = "",
    page: str = "1",
) -> HTMLResponse:
    """Claims, newest first, filtered by text, status, outlet, actor and date: every filter a
    query parameter, so a filtered view is a link. A filter that is none is a 400 page."""
    try:
        filters = ClaimFilters.parse(
            q=q, status=status, outlet=outlet, actor=actor, date_from=date_from,
            date_to=date_to, page=page,
        )
    except ClaimFilterError as exc:
        context = {
            "claims": [], "total": 0, "page": 1, "pages": 1, "previous": None, "next": None,
            "facets": {"outlet": [], "actor": []}, "filters": ClaimFilters(q=q[:200]),
            "error": str(exc),
        }
        return _page(request, "claims.html", context, status=400)
    return _page(request, "claims.html", views.claims_page(store, settings.base_iri, filters))


@router.get("/ui/claims/{doc_id}/{kind}/{n}", response_class=HTMLResponse)
def claim(
    request: Request, doc_id: str, kind: str, n: str, store: StoreDep, settings: SettingsDep
) -> HTMLResponse:
    """One claim: its sentence, proposition and sources, its comparisons and review links,
    each with the reviewers' judgements and buttons to confirm or reject it."""
    page = views.claim_page_view(store, settings.base_iri, doc_id, kind, n)
    if page is None:
        return _not_found(request, f"claim {doc_id}/{kind}/{n}")
    return _page(request, "claim.html", page)


@router.get("/ui/search", response_class=HTMLResponse)
def search(
    request: Request, store: StoreDep, text: TextIndexDep, q: Annotated[str, Query()] = ""
) -> HTMLResponse:
    """Statements, quantity claims and actors found by their words, best first."""
    try:
        page = views.search_page(store, text.index if text is not None else None, q)
    except InvalidInputError as exc:
        return _page(request, "search.html", {"q": q[:200], "hits": [], "search": None,
                                              "error": str(exc)}, status=400)
    return _page(request, "search.html", {**page, "error": None})


@router.get("/ui/actors/{slug}", response_class=HTMLResponse)
def actor(request: Request, slug: str, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """What one actor said, where, when and reported by whom."""
    page = views.actor_page(store, settings.base_iri, slug)
    if page is None:
        return _not_found(request, f"actor {slug}")
    return _page(request, "actor.html", page)


def _editor(request: Request, store: StoreDep, sparql: str, *, run: bool = True) -> HTMLResponse:
    context: dict[str, Any] = {
        "query": sparql,
        "examples": list(QUESTIONS.values()),
        "result": None,
        "error": None,
        "downloads": editor.DOWNLOADS,
    }
    status = 200
    if len(sparql.encode("utf-8")) > MAX_QUERY_BYTES:
        context["error"] = f"the query is longer than {MAX_QUERY_BYTES} bytes"
        status = 413
    elif run and sparql.strip():
        try:
            context["result"] = editor.run_query(store, sparql)
        except QueryError as exc:
            context["error"] = str(exc)
            status = 400
        except (QueryTimeoutError, ResultTooLargeError, QueryMemoryError) as exc:
            context["error"] = str(exc)
            status = 503 if isinstance(exc, QueryTimeoutError) else 422
    return _page(request, "sparql.html", context, status=status)


@router.get("/ui/sparql", response_class=HTMLResponse, dependencies=[ClientQuerySlot])
def sparql_page(
    request: Request,
    store: StoreDep,
    query: Annotated[str, Query()] = "",
    example: Annotated[str, Query()] = "",
) -> HTMLResponse:
    """The editor; `example=cq1_...` fills it with a competency question, `query=` runs one."""
    if example and not query and example in QUESTIONS:
        return _editor(request, store, QUESTIONS[example].sparql, run=False)
    return _editor(request, store, query)


@router.post("/ui/sparql", response_class=HTMLResponse, dependencies=[ClientQuerySlot])
def sparql_run(
    request: Request, store: StoreDep, query: Annotated[str, Form()] = ""
) -> HTMLResponse:
    """Run the editor's query (a form post: long queries do not fit in a URL)."""
    return _editor(request, store, query)


def _download(store: StoreDep, query: str, output: str) -> Response:
    if output not in editor.DOWNLOADS:
        raise ApiError(400, f"output must be one of: {', '.join(editor.DOWNLOADS)}")
    try:
        body, media_type, filename = editor.download(store, query, output)
    except UnsupportedFormatError as exc:
        raise ApiError(406, str(exc)) from None
    disposition = f'attachment; filename="{filename}"'
    return Response(body, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("/ui/sparql/download", dependencies=[ClientQuerySlot])
def sparql_download_get(
    store: StoreDep, query: Annotated[str, Query()], output: Annotated[str, Query()] = "json"
) -> Response:
    """The whole result as a file, in the format `output=` names (json, csv, turtle...)."""
    return _download(store, query, output)


@router.post("/ui/sparql/download", dependencies=[ClientQuerySlot])
def sparql_download_post(
    store: StoreDep, query: Annotated[str, Form()], output: Annotated[str, Form()] = "json"
) -> Response:
    """The same as GET, for queries too long for a URL."""
    return _download(store, query, output)
