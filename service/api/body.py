"""Request bodies read with a cap: no client, honest or lying, makes us read unbounded data."""

from __future__ import annotations

from fastapi import Request

from service.api.errors import ApiError

__all__ = ["content_type", "read_capped", "request_charset"]


def content_type(request: Request) -> str:
    """The request's media type without parameters, lower-cased ('' when absent)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def request_charset(request: Request) -> str | None:
    """The charset parameter of Content-Type, lower-cased; None when not given."""
    for param in request.headers.get("content-type", "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


async def read_capped(request: Request, limit: int, what: str = "the body") -> bytes:
    """The whole body, or 413 as soon as Content-Length or the bytes read pass `limit`."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise ApiError(400, f"the Content-Length header {declared!r} is not a number") from None
        if size > limit:
            raise ApiError(413, f"{what} is {size} bytes, over the limit of {limit} bytes")
    chunks: list[bytes] = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise ApiError(413, f"{what} is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
