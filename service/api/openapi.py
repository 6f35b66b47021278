"""The served OpenAPI document, made to say what the routes really answer.

FastAPI documents each route's success as `application/json` and its failures as its own
validation shape. Many routes here negotiate RDF or SPARQL results, and every failure is
`{"error": "<sentence>"}` (service.api.errors). Clients and fuzzers read this document, so
it names the media types each route serves and the one error shape for every 4xx and 503.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from service.api.service_description import DESCRIPTION_FORMATS
from service.store.formats import (
    EXPORT_FORMATS,
    FEED_FORMATS,
    GRAPH_MEDIA_TYPES,
    GRAPH_STORE_MEDIA_TYPES,
    RESULTS_MEDIA_TYPES,
)

__all__ = ["install_openapi"]

_JSONLD = ("application/ld+json",)
# What each path serves on success, where it is not JSON.
_SERVED: dict[str, tuple[str, ...]] = {
    "/sparql": (*RESULTS_MEDIA_TYPES, *GRAPH_MEDIA_TYPES, *DESCRIPTION_FORMATS),
    "/store": GRAPH_STORE_MEDIA_TYPES,
    "/store/{path}": GRAPH_STORE_MEDIA_TYPES,
    "/export": (*EXPORT_FORMATS.values(), *FEED_FORMATS.values()),
    "/claims/claimreview": _JSONLD,
    "/claims/{doc_id}/{kind}/{n}/claimreview": _JSONLD,
    "/claimreviews": _JSONLD,
    "/.well-known/void": tuple(DESCRIPTION_FORMATS),
}
_LINKED = (*GRAPH_MEDIA_TYPES, "text/html")
_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string", "description": "What went wrong, as a sentence."}},
}
_ERROR_RESPONSE = {
    "description": "Refused or failed: the sentence says why.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _served(path: str) -> tuple[str, ...] | None:
    if path.startswith("/id/"):
        return _LINKED
    return _SERVED.get(path)


# Writes that answer with a status alone (201 or 204, no body).
_NO_BODY = {
    ("post", "/update"),
    *((method, path) for method in ("put", "post") for path in ("/store", "/store/{path}")),
}
_DONE = {"description": "Done; there is no body to read."}


def _describe(path: str, method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    if method == "delete" or (method, path) in _NO_BODY:
        responses.update({status: _DONE for status in list(responses) if status.startswith("2")})
    elif (served := _served(path)) is not None:
        content = {kind: {"schema": {}} for kind in dict.fromkeys(served)}
        for status, response in responses.items():
            if status.startswith("2"):
                response["content"] = content
    if path == "/sparql" and method == "post":
        responses["204"] = _DONE  # an update
    for status in list(responses):
        if status.startswith(("4", "5")):
            responses[status] = _ERROR_RESPONSE
    for status in ("4XX", "503"):
        responses.setdefault(status, _ERROR_RESPONSE)
    success = next((s for s in responses if s.startswith("2")), None)
    if success is not None:
        responses.setdefault("2XX", responses[success])


def install_openapi(app: FastAPI) -> None:
    """Serve the completed document at /openapi.json (built once, on first request)."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                routes=app.routes,
            )
            spec.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR
            for path, operations in spec["paths"].items():
                for method, operation in operations.items():
                    _describe(path, method, operation)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]
