"""A request cut off by the server's shutdown is answered 503, not 500 with a traceback.

After SIGTERM uvicorn gives the requests in flight a grace period, then cancels them; the
cancellation reaches the route as `CancelledError`, which no exception handler sees. This ASGI
middleware answers such a request, if nothing of its answer was sent yet, with the service's
error shape and `Retry-After`, and lets the task end quietly.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ShutdownAnswer"]

_BODY = json.dumps(
    {"error": "the server is shutting down and stopped this request; send it again shortly"}
).encode()


class ShutdownAnswer:
    """Wraps the app: a cancelled HTTP request gets a 503 when its answer has not started."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except asyncio.CancelledError:
            if started:
                raise
            await send(_start())
            await send({"type": "http.response.body", "body": _BODY})


def _start() -> dict[str, Any]:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(_BODY)).encode()),
        (b"retry-after", b"5"),
        (b"connection", b"close"),
    ]
    return {"type": "http.response.start", "status": 503, "headers": headers}
