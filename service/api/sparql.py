"""`/sparql` and `/update`: the SPARQL 1.1 Protocol (query and update operations).

The protocol is read by an async dependency (it reads the body); the operation itself runs in
a plain `def` route, in the thread pool: a query waits there on a query worker process, an
update on the store's write lock. GET /sparql with no parameters is the Service Description.
Updates are off unless the operator sets an update token (service.api.auth).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Header, Request, Response

from service.api.auth import require_update_token
from service.api.body import content_type, read_capped, request_charset
from service.api.clients import ClientQuerySlot
from service.api.deps import SettingsDep, StoreDep
from service.api.errors import ApiError
from service.api.negotiate import acceptable
from service.api.service_description import DESCRIPTION_FORMATS, describe_service
from service.pipeline.documents import decode_utf8
from service.sparql.text import is_update, update_with_using
from service.store import Dataset
from service.store.formats import GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES

__all__ = [
    "MAX_QUERY_BYTES",
    "OFFERED",
    "ProtocolOperation",
    "checked_iri",
    "read_protocol_operation",
    "router",
]

MAX_QUERY_BYTES = 1_000_000

# What the endpoint advertises, in the server's order of preference; the store serialises
# each with Oxigraph (it maps media types with from_media_type). application/json is an
# alias clients send for either JSON form.
OFFERED = (*RESULTS_MEDIA_TYPES, *GRAPH_MEDIA_TYPES, "application/json")

_FORM = "application/x-www-form-urlencoded"
_DIRECT_QUERY = "application/sparql-query"
_DIRECT_UPDATE = "application/sparql-update"
_QUERY_DATASET = ("default-graph-uri", "named-graph-uri")
_UPDATE_DATASET = ("using-graph-uri", "using-named-graph-uri")
# An absolute IRI as SPARQL's IRIREF allows it: a scheme, then no space, quote or bracket.
_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|^`\\]*')

router = APIRouter(tags=["sparql"])


@dataclass(frozen=True, slots=True)
class ProtocolOperation:
    """One query or update operation as the protocol delivered it, with its dataset.

    For a query the dataset is `default-graph-uri`/`named-graph-uri`; for an update it is
    `using-graph-uri`/`using-named-graph-uri`.
    """

    kind: Literal["query", "update"]
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


def checked_iri(value: str, parameter: str) -> str:
    """A graph IRI given in a request parameter; 400 naming the parameter when it is not one."""
    if not _IRI.fullmatch(value):
        raise ApiError(400, f"{parameter} {value!r} is not an absolute IRI")
    return value


def _dataset(fields: dict[str, list[str]], names: tuple[str, str]) -> Dataset | None:
    defaults = [checked_iri(v, names[0]) for v in fields.get(names[0], [])]
    named = [checked_iri(v, names[1]) for v in fields.get(names[1], [])]
    return Dataset(tuple(defaults), tuple(named)) if defaults or named else None


async def _post_fields(request: Request, params: dict[str, list[str]]) -> dict[str, list[str]]:
    """The operation of a POST as fields: a form's own, or the direct body as `query`/`update`.

    Parameters in the URL (the dataset) are kept next to those of the body.
    """
    kind = content_type(request)
    if kind not in (_FORM, _DIRECT_QUERY, _DIRECT_UPDATE):
        raise ApiError(
            415,
            f"a SPARQL operation cannot be sent as {kind or 'a body without Content-Type'}; "
            f"POST it as {_FORM} (query=... or update=...), as {_DIRECT_QUERY} "
            f"or as {_DIRECT_UPDATE}",
        )
    charset = request_charset(request)
    if charset not in (None, "utf-8", "utf8"):
        raise ApiError(400, f"the request is sent as {charset}; send it as UTF-8")
    body = await read_capped(request, MAX_QUERY_BYTES, "the request")
    if kind == _FORM:
        fields = _pairs(body, "form body")
        for name, values in params.items():
            fields.setdefault(name, []).extend(values)
        return fields
    text = decode_utf8(body, what="the request")
    key = "query" if kind == _DIRECT_QUERY else "update"
    return {**params, key: [*params.get(key, []), text]}


async def read_protocol_operation(request: Request) -> ProtocolOperation | None:
    """The one query or update a request carries (GET parameters, a form, or a direct body).

    None for a GET without any parameter: the client asks what the service is.
    """
    if request.method == "GET" and not request.scope.get("query_string"):
        return None
    params = _pairs(request.scope.get("query_string", b""), "query string")
    if request.method == "POST":
        fields = await _post_fields(request, params)
    else:
        fields = params
        if "update" in fields:
            raise ApiError(400, "a SPARQL update must be sent with POST, never with GET")
    queries, updates = fields.get("query", []), fields.get("update", [])
    if queries and updates:
        raise ApiError(400, "the request holds both a query and an update; send one operation")
    kind: Literal["query", "update"] = "update" if updates else "query"
    texts = updates or queries
    if not texts:
        raise ApiError(
            400,
            "the request has no query; send it as the 'query' parameter or as the POST body "
            "(an update as 'update' or as application/sparql-update)",
        )
    if len(texts) > 1:
        raise ApiError(
            400,
            f"the request holds {len(texts)} {'queries' if kind == 'query' else 'updates'}; "
            "send exactly one",
        )
    sparql = texts[0]
    if not sparql.strip():
        raise ApiError(400, f"the {kind} is empty")
    wrong = _UPDATE_DATASET if kind == "query" else _QUERY_DATASET
    if given := [name for name in wrong if name in fields]:
        right = _QUERY_DATASET if kind == "query" else _UPDATE_DATASET
        raise ApiError(
            400, f"{', '.join(given)} does not apply to a {kind}; use {' or '.join(right)}"
        )
    if kind == "query" and is_update(sparql):
        raise ApiError(
            400,
            "this is an update sent as a query; "
            "send it as 'update' or as application/sparql-update",
        )
    names = _QUERY_DATASET if kind == "query" else _UPDATE_DATASET
    return ProtocolOperation(kind, sparql, _dataset(fields, names))


ProtocolOperationDep = Annotated[ProtocolOperation | None, Depends(read_protocol_operation)]

_PARAMETERS = [
    {"name": "query", "in": "query", "required": False, "schema": {"type": "string"}},
    *(
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": {"type": "array", "items": {"type": "string"}},
            "style": "form",
            "explode": True,
        }
        for name in (*_QUERY_DATASET, *_UPDATE_DATASET)
    ),
]


def _query(operation: ProtocolOperation, store: StoreDep, accept: str | None) -> Response:
    wanted = acceptable(accept, OFFERED)
    if not wanted:
        raise ApiError(
            406,
            f"nothing this endpoint serves matches your Accept header ({accept}); "
            f"it serves {', '.join(RESULTS_MEDIA_TYPES)} for SELECT and ASK, and "
            f"{', '.join(GRAPH_MEDIA_TYPES)} for CONSTRUCT and DESCRIBE",
        )
    result = store.query(operation.sparql, wanted, operation.dataset)
    return Response(result.body, media_type=result.media_type, headers={"Vary": "Accept"})


def _update(
    operation: ProtocolOperation, request: Request, store: StoreDep, settings: SettingsDep
) -> Response:
    """Run an update in one transaction, with the Protocol's USING dataset written in."""
    require_update_token(request, settings)
    using = operation.dataset or Dataset()
    store.update(update_with_using(operation.sparql, using.default_graphs, using.named_graphs))
    return Response(status_code=204)


def _run(
    operation: ProtocolOperation,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    accept: str | None,
) -> Response:
    if operation.kind == "update":
        return _update(operation, request, store, settings)
    return _query(operation, store, accept)


def _description(request: Request, settings: SettingsDep, accept: str | None) -> Response:
    """The Service Description, as Turtle unless the client asks for another RDF format."""
    wanted = acceptable(accept, tuple(DESCRIPTION_FORMATS))
    if not wanted:
        raise ApiError(
            406, f"the service description is served as {', '.join(DESCRIPTION_FORMATS)}"
        )
    endpoint = str(request.url.replace(query=""))
    graph = describe_service(
        endpoint,
        updates=settings.update_token is not None,
        text_search=request.app.state.text is not None,
    )
    body = graph.serialize(format=DESCRIPTION_FORMATS[wanted[0]], encoding="utf-8")
    return Response(body, media_type=wanted[0], headers={"Vary": "Accept"})


@router.get(
    "/sparql", dependencies=[ClientQuerySlot], openapi_extra={"parameters": _PARAMETERS}
)
def sparql_get(
    operation: ProtocolOperationDep,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """Run a query given in the URL; with no parameters at all, describe the service."""
    if operation is None:
        return _description(request, settings, accept)
    return _run(operation, request, store, settings, accept)


_BODIES = {
    _FORM: {
        "schema": {
            "type": "object",
            "properties": {"query": {"type": "string"}, "update": {"type": "string"}},
        }
    },
    _DIRECT_QUERY: {"schema": {"type": "string"}},
    _DIRECT_UPDATE: {"schema": {"type": "string"}},
}


# A query needs no credentials, an update the bearer token.
_UPDATE_SECURITY = [{}, {"bearer": []}]


@router.post(
    "/sparql",
    dependencies=[ClientQuerySlot],
    openapi_extra={"requestBody": {"content": _BODIES}, "security": _UPDATE_SECURITY},
)
def sparql_post(
    operation: ProtocolOperationDep,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """Run a query or an update sent as a form (`query=`, `update=`) or as the body.

    An update needs the update token (`Authorization: Bearer ...`).
    """
    assert operation is not None  # only GET can come without an operation
    return _run(operation, request, store, settings, accept)


@router.post(
    "/update",
    openapi_extra={"requestBody": {"content": _BODIES}, "security": [{"bearer": []}]},
)
def update_post(
    operation: ProtocolOperationDep,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
) -> Response:
    """The update operation on its own endpoint, for clients configured with one."""
    assert operation is not None
    if operation.kind != "update":
        raise ApiError(400, "this endpoint runs updates; send queries to /sparql")
    return _update(operation, request, store, settings)
