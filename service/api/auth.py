"""Who may change the store: the update token, or, when the operator set none, loopback only.

Two kinds of writes:

- checked writes (documents, ClaimReviews, deleting a document) go through the pipeline and
  its shapes: with a token configured they need it; without one they come only from this
  machine (and `factgraph serve` refuses to listen elsewhere without a token);
- unchecked writes (SPARQL Update, Graph Store writes) put any triples anywhere: they need
  the token, and are off while none is set.

Either way a missing token is 401 with a `WWW-Authenticate: Bearer` challenge and a wrong one
403; the comparison takes the same time whatever the guess. Routes declare these as
dependencies, so the OpenAPI document shows which operations need the bearer token.
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.api.deps import SettingsDep
from service.api.errors import ApiError
from service.settings import Settings

__all__ = [
    "BEARER",
    "WriteAccess",
    "is_loopback",
    "require_update_token",
    "require_write_access",
    "update_token_required",
]

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="factgraph"'}
# Declares the scheme in the OpenAPI document; the header itself is read below, so that each
# refusal says what to send.
BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="The operator's update token (FACTGRAPH_UPDATE_TOKEN).",
)
_Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]


def is_loopback(host: str | None) -> bool:
    """True for an address of this machine (127.0.0.0/8, ::1, 'localhost')."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def _check_token(request: Request, settings: Settings) -> None:
    assert settings.update_token is not None
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


def require_update_token(request: Request, settings: Settings) -> None:
    """Refuse an unchecked write (SPARQL Update, Graph Store) unless it carries the token.

    No token configured: 403 (nobody may write this way).
    """
    if settings.update_token is None:
        raise ApiError(
            403,
            "this server does not accept writes through SPARQL Update or the Graph Store "
            "Protocol; its operator can turn them on by setting FACTGRAPH_UPDATE_TOKEN",
        )
    _check_token(request, settings)


def update_token_required(request: Request, settings: SettingsDep, _: _Credentials) -> None:
    """`require_update_token` as a route dependency."""
    require_update_token(request, settings)


def require_write_access(request: Request, settings: SettingsDep, _: _Credentials) -> None:
    """A checked write (documents, reviews): the token when one is set, else loopback only."""
    if settings.update_token is not None:
        _check_token(request, settings)
        return
    client = request.client.host if request.client else None
    if not is_loopback(client):
        raise ApiError(
            403,
            "this server takes writes only from its own machine, as it has no update token; "
            "its operator can set FACTGRAPH_UPDATE_TOKEN to accept them from clients with it",
        )


WriteAccess = Depends(require_write_access)
