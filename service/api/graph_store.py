"""`/store`: the SPARQL 1.1 Graph Store HTTP Protocol, one graph per request.

Graphs are named indirectly (`/store?graph=<IRI>`, `/store?default`) or directly (the URL
`/store/<path>` names the graph `<base>store/<path>`). GET and HEAD are open like /sparql;
PUT, POST and DELETE need the update token, and each is one transaction in the store.
A POST to `/store` itself creates a new graph and answers with its IRI in `Location`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from service.api.auth import update_token_required
from service.api.body import content_type, read_capped, request_charset
from service.api.deps import SettingsDep, StoreDep
from service.api.errors import ApiError
from service.api.negotiate import acceptable
from service.api.sparql import checked_iri
from service.settings import Settings
from service.store.formats import GRAPH_STORE_MEDIA_TYPES
from service.store.rdf_input import to_ntriples

__all__ = ["MAX_GRAPH_BYTES", "router"]

MAX_GRAPH_BYTES = 50_000_000
_MULTIPART = "multipart/form-data"
_MAX_PARTS = 100
# Text formats say their charset, as clients of the protocol expect.
_RESPONSE_TYPES = {
    "text/turtle": "text/turtle; charset=utf-8",
    "application/n-triples": "application/n-triples; charset=utf-8",
}

router = APIRouter(tags=["graph store"])


@dataclass(frozen=True, slots=True)
class GraphName:
    """The graph a request is about: an IRI, or None for the default graph."""

    iri: str | None

    @property
    def label(self) -> str:
        return f"<{self.iri}>" if self.iri else "the default graph"


def _indirect(request: Request) -> GraphName | None:
    """The graph named by `?graph=` or `?default`; None when the request names neither."""
    params = request.query_params
    graphs = params.getlist("graph")
    has_default = "default" in params
    if len(graphs) > 1 or (graphs and has_default):
        raise ApiError(400, "name one graph: either ?graph=<IRI> or ?default, once")
    unknown = sorted(set(params) - {"graph", "default"})
    if unknown:
        raise ApiError(400, f"unknown parameter {unknown[0]!r}; use ?graph=<IRI> or ?default")
    if has_default:
        return GraphName(None)
    return GraphName(checked_iri(graphs[0], "graph")) if graphs else None


def _addressed(request: Request, settings: SettingsDep) -> GraphName | None:
    """The graph a request names: the URL /store/<path> itself (direct), else ?graph= or
    ?default (indirect); None when a request to /store names none."""
    path = request.path_params.get("path")
    if path is not None:
        if request.query_params:
            raise ApiError(400, "a /store/<path> URL names its graph; drop ?graph= and ?default")
        return GraphName(checked_iri(f"{settings.base_iri}store/{path}", "the graph"))
    return _indirect(request)


def _required(graph: Annotated[GraphName | None, Depends(_addressed)]) -> GraphName:
    if graph is None:
        raise ApiError(
            400, "name the graph: /store?graph=<IRI>, /store?default, or the URL /store/<path>"
        )
    return graph


async def _triples(request: Request, base_iri: str | None) -> bytes:
    """The request's RDF as N-Triples: one body, or each file of a multipart form, merged."""
    kind = content_type(request)
    if kind != _MULTIPART:
        if (charset := request_charset(request)) not in (None, "utf-8", "utf8"):
            raise ApiError(415, f"the graph is sent as {charset}; send it as UTF-8")
        body = await read_capped(request, MAX_GRAPH_BYTES, "the graph")
        return await run_in_threadpool(to_ntriples, body, kind, base_iri)
    form = await request.form(max_files=_MAX_PARTS, max_part_size=MAX_GRAPH_BYTES)
    parts = []
    for name, value in form.multi_items():
        if not isinstance(value, UploadFile):
            raise ApiError(415, f"form field {name!r} is not a file; send each graph as a file")
        media_type = (value.content_type or "").split(";")[0].strip().lower()
        data = await value.read()
        parts.append(await run_in_threadpool(to_ntriples, data, media_type, base_iri))
    return b"".join(parts)


def _get(graph: GraphName, store: StoreDep, accept: str | None, *, head: bool) -> Response:
    wanted = acceptable(accept, GRAPH_STORE_MEDIA_TYPES)
    if not wanted:
        raise ApiError(406, f"a graph is served as one of: {', '.join(GRAPH_STORE_MEDIA_TYPES)}")
    chunks = store.graph_triples(graph.iri, wanted[0])
    if chunks is None:
        raise ApiError(404, f"there is no graph {graph.label} in the store")
    media_type = _RESPONSE_TYPES.get(wanted[0], wanted[0])
    headers = {"Vary": "Accept", "Content-Type": media_type}
    if head:
        chunks.close()  # type: ignore[attr-defined]
        return Response(status_code=200, headers=headers)
    return StreamingResponse(chunks, headers=headers)


async def _write(
    request: Request, store: StoreDep, settings: Settings, graph: GraphName, *, replace: bool
) -> Response:
    ntriples = await _triples(request, graph.iri or settings.base_iri)
    existed = graph.iri is None or await run_in_threadpool(store.has_graph, graph.iri)
    write = store.replace_graph if replace else store.add_triples
    await run_in_threadpool(write, graph.iri, ntriples)
    return Response(status_code=204 if existed else 201)


def _delete(store: StoreDep, graph: GraphName) -> Response:
    if not store.drop_graph(graph.iri) and graph.iri is not None:
        raise ApiError(404, f"there is no graph {graph.label} in the store")
    return Response(status_code=204)


Accept = Annotated[str | None, Header()]
GraphDep = Annotated[GraphName, Depends(_required)]
GraphOrNoneDep = Annotated[GraphName | None, Depends(_addressed)]
_PATHS = ("/store", "/store/{path:path}")


def get_graph(graph: GraphDep, store: StoreDep, accept: Accept = None) -> Response:
    """A graph as Turtle (or the RDF format Accept asks for); 404 when it does not exist."""
    return _get(graph, store, accept, head=False)


def head_graph(graph: GraphDep, store: StoreDep, accept: Accept = None) -> Response:
    """Whether a graph exists, and the type GET would answer with."""
    return _get(graph, store, accept, head=True)


async def put_graph(
    request: Request, graph: GraphDep, store: StoreDep, settings: SettingsDep
) -> Response:
    """Replace a graph with the body (201 when the graph is new, 204 when it existed)."""
    return await _write(request, store, settings, graph, replace=True)


async def post_graph(
    request: Request, graph: GraphOrNoneDep, store: StoreDep, settings: SettingsDep
) -> Response:
    """Merge the body into a graph; POST to /store itself creates a graph and says where (201)."""
    if graph is not None:
        return await _write(request, store, settings, graph, replace=False)
    created = GraphName(f"{settings.base_iri}store/{uuid.uuid4().hex}")
    response = await _write(request, store, settings, created, replace=True)
    response.status_code = 201
    response.headers["Location"] = str(created.iri)
    return response


def delete_graph(graph: GraphDep, store: StoreDep) -> Response:
    """Remove a graph (empty the default graph); 404 when the named graph does not exist."""
    return _delete(store, graph)


# What the OpenAPI document shows of the parameters and bodies read by hand above.
_NAMING = {
    "/store": [
        {"name": "graph", "in": "query", "required": False, "schema": {"type": "string"}},
        {"name": "default", "in": "query", "required": False, "allowEmptyValue": True,
         "schema": {"type": "string"}},
    ],
    "/store/{path}": [
        {"name": "path", "in": "path", "required": True, "schema": {"type": "string"}},
    ],
}  # fmt: skip
_GRAPH_BODY = {
    "required": True,
    "content": {kind: {"schema": {"type": "string"}} for kind in GRAPH_STORE_MEDIA_TYPES},
}
_WRITES = {"PUT": put_graph, "POST": post_graph, "DELETE": delete_graph}
for _path in _PATHS:  # the same operations on both ways of naming a graph
    _documented = _path.replace(":path", "")
    _reads = {"parameters": _NAMING[_documented]}
    router.add_api_route(_path, get_graph, methods=["GET"], openapi_extra=_reads)
    router.add_api_route(_path, head_graph, methods=["HEAD"], openapi_extra=_reads)
    for _method, _route in _WRITES.items():  # the token is checked before the body is read
        extra = {**_reads, "requestBody": _GRAPH_BODY} if _method != "DELETE" else _reads
        router.add_api_route(
            _path,
            _route,
            methods=[_method],
            dependencies=[Depends(update_token_required)],
            openapi_extra=extra,
        )
