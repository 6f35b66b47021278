"""`/sparql`: the SPARQL 1.1 Protocol's query operation (GET, POST form, POST direct).

The protocol is read by an async dependency (it reads the body); the query itself runs in
a plain `def` route, so it runs in the thread pool while Oxigraph releases the GIL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Header, Request, Response

from service.api.body import content_type, read_capped
from service.api.deps import StoreDep
from service.api.errors import ApiError
from service.api.negotiate import acceptable
from service.documents import DocumentError, decode_utf8
from service.queries import is_update
from service.store import Dataset, UnsupportedFormatError
from service.store.formats import GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES

__all__ = ["MAX_QUERY_BYTES", "OFFERED", "ProtocolQuery", "read_protocol_query", "router"]

MAX_QUERY_BYTES = 1_000_000

# What the endpoint advertises, in the server's order of preference; the store serialises
# each with Oxigraph (it maps media types with from_media_type). application/json is an
# alias clients send for either JSON form.
OFFERED = (*RESULTS_MEDIA_TYPES, *GRAPH_MEDIA_TYPES, "application/json")

_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"

router = APIRouter(tags=["sparql"])


@dataclass(frozen=True, slots=True)
class ProtocolQuery:
    """One query operation as the protocol delivered it."""

    sparql: str
    dataset: Dataset | None


def _pairs(raw: bytes, where: str) -> dict[str, list[str]]:
    """URL-encoded pairs, refusing anything that is not UTF-8 (no silent U+FFFD)."""
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise ApiError(400, f"the {where} is not UTF-8; percent-encode UTF-8 bytes") from None
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    return values


def _charset(request: Request) -> str | None:
    """The charset parameter of Content-Type, lower-cased; None when not given."""
    for param in request.headers.get("content-type", "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


async def read_protocol_query(request: Request) -> ProtocolQuery:
    """The query and its dataset from GET parameters, a form body, or a direct body."""
    params = _pairs(request.scope.get("query_string", b""), "query string")
    fields = params
    queries = params.get("query", [])
    if request.method == "POST":
        kind = content_type(request)
        if kind not in (_FORM, _DIRECT):
            raise ApiError(
                415,
                f"a SPARQL query cannot be sent as {kind or 'a body without Content-Type'}; "
                f"POST it as {_FORM} (query=...) or as {_DIRECT}",
            )
        body = await read_capped(request, MAX_QUERY_BYTES, "the query")
        if kind == _FORM:
            fields = _pairs(body, "form body")
            for name, values in params.items():  # dataset parameters may also be in the URL
                fields.setdefault(name, []).extend(values)
            queries = fields.get("query", [])
        else:
            charset = _charset(request)
            if charset not in (None, "utf-8", "utf8"):
                raise ApiError(400, f"the query is sent as {charset}; send it as UTF-8")
            try:
                queries = [*queries, decode_utf8(body)]
            except DocumentError as exc:
                raise ApiError(400, exc.message.replace("the input", "the query")) from None
    if "update" in fields:
        raise ApiError(400, "updates are not accepted here; this endpoint only answers queries")
    if not queries:
        raise ApiError(
            400, "the request has no query; send it as the 'query' parameter or as the POST body"
        )
    if len(queries) > 1:
        raise ApiError(400, f"the request holds {len(queries)} queries; send exactly one")
    sparql = queries[0]
    if not sparql.strip():
        raise ApiError(400, "the query is empty")
    if is_update(sparql):
        raise ApiError(
            400,
            "updates are not accepted here; this endpoint answers SELECT, ASK, CONSTRUCT "
            "and DESCRIBE queries only",
        )
    defaults = fields.get("default-graph-uri", [])
    named = fields.get("named-graph-uri", [])
    dataset = Dataset(tuple(defaults), tuple(named)) if defaults or named else None
    return ProtocolQuery(sparql, dataset)


ProtocolQueryDep = Annotated[ProtocolQuery, Depends(read_protocol_query)]

_PARAMETERS = [
    {"name": "query", "in": "query", "required": True, "schema": {"type": "string"}},
    *(
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": {"type": "array", "items": {"type": "string"}},
            "style": "form",
            "explode": True,
        }
        for name in ("default-graph-uri", "named-graph-uri")
    ),
]


def _run(operation: ProtocolQuery, store: StoreDep, accept: str | None) -> Response:
    wanted = acceptable(accept, OFFERED)
    if not wanted:
        raise ApiError(
            406,
            f"nothing this endpoint serves matches your Accept header ({accept}); "
            f"it serves {', '.join(RESULTS_MEDIA_TYPES)} for SELECT and ASK, and "
            f"{', '.join(GRAPH_MEDIA_TYPES)} for CONSTRUCT and DESCRIBE",
        )
    try:
        result = store.query(operation.sparql, wanted, operation.dataset)
    except UnsupportedFormatError as exc:
        raise ApiError(406, str(exc)) from None
    return Response(result.body, media_type=result.media_type, headers={"Vary": "Accept"})


@router.get("/sparql", openapi_extra={"parameters": _PARAMETERS})
def sparql_get(
    operation: ProtocolQueryDep, store: StoreDep, accept: Annotated[str | None, Header()] = None
) -> Response:
    """Run a query given in the URL (`query`, `default-graph-uri`, `named-graph-uri`)."""
    return _run(operation, store, accept)


@router.post(
    "/sparql",
    openapi_extra={
        "requestBody": {
            "content": {
                _FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
                _DIRECT: {"schema": {"type": "string"}},
            }
        }
    },
)
def sparql_post(
    operation: ProtocolQueryDep, store: StoreDep, accept: Annotated[str | None, Header()] = None
) -> Response:
    """Run a query sent as a form (`query=`) or as the body (application/sparql-query)."""
    return _run(operation, store, accept)
