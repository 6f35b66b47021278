"""The update token: what unlocks writes by clients (SPARQL Update, Graph Store writes).

Off unless the operator sets FACTGRAPH_UPDATE_TOKEN. Documents still come in through
POST /documents, which checks them with the shapes; these writes are not checked, so they
are for the operator's tools, not for the public.
"""

from __future__ import annotations

import hmac

from fastapi import Request

from service.api.errors import ApiError
from service.settings import Settings

__all__ = ["require_update_token"]

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="factgraph"'}


def require_update_token(request: Request, settings: Settings) -> None:
    """Refuse the request unless it carries the configured bearer token.

    No token configured: 403 (nobody may write). No credentials: 401 with a challenge.
    Other credentials: 403. The comparison takes the same time whatever the guess.
    """
    if settings.update_token is None:
        raise ApiError(
            403,
            "this server does not accept writes through SPARQL Update or the Graph Store "
            "Protocol; its operator can turn them on by setting FACTGRAPH_UPDATE_TOKEN",
        )
    header = request.headers.get("authorization", "")
    if not header.strip():
        raise ApiError(
            401,
            "this request changes the store and needs the update token: "
            "send the header 'Authorization: Bearer <token>'",
            headers=_CHALLENGE,
        )
    scheme, _, given = header.strip().partition(" ")
    expected = settings.update_token.get_secret_value().encode("utf-8")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected):
        raise ApiError(
            403,
            "the credentials do not match this server's update token",
            headers={"WWW-Authenticate": 'Bearer realm="factgraph", error="invalid_token"'},
        )
