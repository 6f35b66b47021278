"""Every failure as JSON `{"error": "<a sentence a person understands>", ...}`.

A user's mistake is a 4xx with what to change; an unexpected failure is a 500 that says only
that the server failed (the traceback goes to the log, never to the client).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.pipeline.documents import DocumentError
from service.store import (
    QueryError,
    QueryTimeoutError,
    ResultTooLargeError,
    UnsupportedFormatError,
)

__all__ = ["ApiError", "error_response", "install_error_handlers"]

log = logging.getLogger("factgraph.api")


class ApiError(Exception):
    """A request the service refuses, with the status and the sentence to send back."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})


def error_response(
    status: int,
    message: str,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse({"error": message, **(extra or {})}, status_code=status, headers=headers)


_STATUS_SENTENCES = {
    404: "there is nothing at {path}",
    405: "{method} is not allowed on {path}",
}


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, exc.extra, exc.headers)


async def _document_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DocumentError)
    return error_response(exc.status, exc.message)


async def _query_error(_: Request, exc: Exception) -> JSONResponse:
    text = str(exc)
    # The parser's messages start with where it stopped ("error at 1:18: expected ...").
    syntax = text.startswith("error at")
    lead = "the query is not valid SPARQL" if syntax else "the query cannot run"
    return error_response(400, f"{lead}: {text}")


async def _query_timeout(_: Request, exc: Exception) -> JSONResponse:
    # 503: the service could not answer in time; the same query will be stopped again, so
    # Retry-After is for a narrower query or a quieter moment.
    return error_response(503, str(exc), headers={"Retry-After": "5"})


async def _result_too_large(_: Request, exc: Exception) -> JSONResponse:
    return error_response(422, str(exc))


async def _unsupported_format(_: Request, exc: Exception) -> JSONResponse:
    return error_response(406, str(exc))


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        problems.append(f"{where}: {error.get('msg', 'invalid')}" if where else error["msg"])
    message = "the request is not valid: " + "; ".join(problems or ["it could not be read"])
    return error_response(422, message)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    template = _STATUS_SENTENCES.get(exc.status_code)
    if template is not None:
        message = template.format(path=request.url.path, method=request.method)
    elif isinstance(exc.detail, str) and exc.detail:
        message = exc.detail[0].lower() + exc.detail[1:]
    else:
        message = f"the request failed with status {exc.status_code}"
    return error_response(exc.status_code, message, headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        500, "the server failed while handling this request; the error has been logged"
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers; the most specific exception class wins."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(DocumentError, _document_error)
    app.add_exception_handler(QueryError, _query_error)
    app.add_exception_handler(UnsupportedFormatError, _unsupported_format)
    app.add_exception_handler(QueryTimeoutError, _query_timeout)
    app.add_exception_handler(ResultTooLargeError, _result_too_large)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
