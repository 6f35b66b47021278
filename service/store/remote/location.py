"""A remote store's location taken apart: the query, update and Graph Store endpoints,
credentials, the server's dialect, and which graphs are the service's.

Location syntax (the `--store` flag or `FACTGRAPH_STORE`)::

    sparql+http://[user:password@]host[:port]/path[?option=value&...]
    sparql+https://...

`http(s)://host:port/path` is the query endpoint. Options:

- `update=` the SPARQL Update endpoint: a path on the same host (`/update`) or a full URL;
  default: the query endpoint (Virtuoso, Oxigraph, GraphDB take updates there).
- `store=` the Graph Store Protocol endpoint, used to read a graph back (`graph_triples`);
  default: `/sparql-graph-crud` on Virtuoso (`/sparql-graph-crud-auth` with credentials),
  else none, and graphs are read with CONSTRUCT through the query endpoint.
- `auth=basic|digest` how the credentials in the userinfo (or the settings `store_username`
  and `store_password`) are sent; default basic. Virtuoso's `/sparql-auth` wants digest.
- `dialect=virtuoso|generic` the server's extensions to use; default: found from the
  `Server` header of its first answer. With `virtuoso`, queries carry Virtuoso's `timeout`
  parameter (ms) and writes its `define sql:big-data-const 1` pragma; nothing else does
  (`service.store.remote.dialect` has every difference).
- `default=IRI` the named graph that stands for the store's default graph (why: in
  `service.store.remote.store`); default `{base_iri}graph/default`.
- `graphs=PREFIX|*` which graphs are the service's data for `quad_count` and `export`;
  default `{base_iri}`: only graphs whose IRI starts with the service's base IRI.
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
