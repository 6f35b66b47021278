"""Every failure as JSON `{"error": "<a sentence a person understands>", ...}`: the one place
where errors become HTTP answers.

Domain errors carry no HTTP status: `STATUS_OF` says which answer each kind of mistake gets
(the most specific class wins), and routes let them rise instead of catching their own.
`ApiError` is for what only HTTP knows (a wrong method, a missing header, a body too large).
An unexpected failure is a 500 that says only that the server failed (the traceback goes to
the log, never to the client).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.api.clients import TooManyQueriesError
from service.api.deps import IngestQueueFullError, IngestUnavailableError
from service.claimreview.importer import ClaimReviewError
from service.claimreview.judgements import JudgementError, UnknownJudgedError
from service.pipeline.documents import DocumentError, EncodingError, TextTooLargeError
from service.read.actors import UnknownActorError
from service.read.comparisons import UnknownStatusError
from service.read.questions import InvalidInputError
from service.sources.fetch import AddressRefusedError, FetchError
from service.store import (
    QueryError,
    QueryMemoryError,
    QueryTimeoutError,
    ResultTooLargeError,
    UnsupportedFormatError,
)
from service.store.rdf_input import RdfInputError, UnknownRdfFormatError

__all__ = ["STATUS_OF", "ApiError", "error_response", "install_error_handlers"]

log = logging.getLogger("factgraph.api")

# The answer to each kind of mistake; a subclass not listed gets its nearest listed ancestor's.
STATUS_OF: Mapping[type[Exception], int] = {
    DocumentError: 422,  # a document that is not one (no text, bad JSON, a bad date)
    TextTooLargeError: 413,
    EncodingError: 400,  # bytes that are not UTF-8
    FetchError: 502,  # the page a client asked the service to fetch could not be had
    AddressRefusedError: 403,  # a loopback, private or non-http address: never fetched
    ClaimReviewError: 422,
    JudgementError: 400,  # a judgement without verdict, reviewer or what it judges
    UnknownJudgedError: 404,  # the review, claim or comparison judged is not stored
    RdfInputError: 400,  # a graph that does not parse as its media type says
    UnknownRdfFormatError: 415,
    InvalidInputError: 400,  # a question's value (text, IRI, slug) it cannot take
    UnknownStatusError: 400,
    UnknownActorError: 404,
    QueryError: 400,  # SPARQL that does not parse or cannot run
    UnsupportedFormatError: 406,  # no serialisation the client accepts fits the result
    ResultTooLargeError: 422,  # narrow the query or add LIMIT
    QueryMemoryError: 422,  # its worker ran out of memory: narrow the query
    QueryTimeoutError: 503,  # stopped at the time limit; the same query would be again
    IngestUnavailableError: 503,
    IngestQueueFullError: 503,  # the ingest queue is full: post again later
    TooManyQueriesError: 429,  # this client's share of the query workers is taken
}
# Headers that go with a status: a timed-out query may be retried narrower or later, a full
# queue later, a client over its share when one of its queries is answered.
_HEADERS: Mapping[int, Mapping[str, str]] = {
    503: {"Retry-After": "5"},
    429: {"Retry-After": "1"},
}


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


def status_of(exc: Exception) -> int | None:
    """The status `STATUS_OF` gives this error's class or its nearest listed ancestor."""
    for cls in type(exc).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]
    return None


def sentence(exc: Exception) -> str:
    """What the person reads: the error's own sentence where it has one, else its message."""
    if isinstance(exc, QueryError):
        return exc.sentence
    return getattr(exc, "message", None) or str(exc)


_STATUS_SENTENCES = {
    404: "there is nothing at {path}",
    405: "{method} is not allowed on {path}",
}


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, exc.extra, exc.headers)


async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    status = status_of(exc) or 500
    return error_response(status, sentence(exc), headers=_HEADERS.get(status))


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
    """Register the handlers; Starlette picks the handler of the most specific class."""
    app.add_exception_handler(ApiError, _api_error)
    for cls in STATUS_OF:
        app.add_exception_handler(cls, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
