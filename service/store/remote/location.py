"""A remote store's location, `sparql+http(s)://[user:pass@]host[:port]/path[?options]`, taken
apart: the query, update and Graph Store endpoints, credentials and the server's dialect.

The syntax and the options are documented in `service.store.remote.store`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit

from service.store.evaluate import graph_node

__all__ = ["SCHEMES", "RemoteLocation", "parse_location"]

SCHEMES = ("sparql+http://", "sparql+https://")


@dataclass(frozen=True, slots=True)
class RemoteLocation:
    """A `sparql+http(s)://` location, taken apart."""

    query_url: str
    update_url: str
    store_url: str | None  # None: no Graph Store endpoint was given (maybe found later)
    username: str | None
    password: str | None
    auth: Literal["basic", "digest"]
    dialect: Literal["virtuoso", "generic"] | None  # None: found from the server's answers
    default_graph: str | None
    graphs: str | None  # a prefix, "*" for all, None for the base IRI


def parse_location(location: str) -> RemoteLocation:
    """Take a `sparql+http(s)://` location apart; ValueError naming what is wrong."""
    if not location.startswith(SCHEMES):
        raise ValueError(f"{location!r} is not a sparql+http:// or sparql+https:// location")
    parts = urlsplit(location[len("sparql+") :])
    if not parts.hostname:
        raise ValueError(f"{location!r} names no host")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{location!r}: {exc}") from None
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc += f":{port}" if port is not None else ""
    query_url = urlunsplit((parts.scheme, netloc, parts.path or "/", "", ""))
    known = {"update", "store", "auth", "dialect", "default", "graphs"}
    options: dict[str, str] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True, errors="strict"):
        if name not in known:
            raise ValueError(
                f"unknown option {name!r} in the store location; known: {', '.join(sorted(known))}"
            )
        options[name] = value
    auth = options.get("auth", "basic")
    if auth not in ("basic", "digest"):
        raise ValueError(f"auth={auth!r}: use basic or digest")
    dialect = options.get("dialect")
    if dialect not in (None, "virtuoso", "generic"):
        raise ValueError(f"dialect={dialect!r}: use virtuoso or generic (or leave it out)")
    default = options.get("default")
    if default is not None:
        graph_node(default, "default=")
    store = options.get("store")
    return RemoteLocation(
        query_url=query_url,
        update_url=urljoin(query_url, options["update"]) if options.get("update") else query_url,
        store_url=urljoin(query_url, store) if store else None,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        auth=auth,  # type: ignore[arg-type]
        dialect=dialect,  # type: ignore[arg-type]
        default_graph=default,
        graphs=options.get("graphs"),
    )
