"""One place that turns a store location (a setting or a flag) into a `Store`."""

from __future__ import annotations

from pathlib import Path

from service.store.base import Store
from service.store.oxigraph import OxigraphStore, QueryLimits
from service.store.remote import SCHEMES as _REMOTE_SCHEMES
from service.store.remote import RemoteSparqlStore

__all__ = ["open_store"]


def open_store(
    location: str,
    *,
    base_iri: str,
    limits: QueryLimits | None = None,
    username: str | None = None,
    password: str | None = None,
) -> Store:
    """A directory path opens the embedded Oxigraph store (created if missing);
    `sparql+http://host:port/path` (or `sparql+https://`) a SPARQL 1.1 server
    (service/store/remote/location.py has the options).

    `base_iri` resolves relative IRIs in queries (the service's public base); `limits` bound
    clients' queries (time, result size, worker processes of the embedded store); `username`
    and `password` are a remote server's credentials (the location's userinfo wins).
    Raises ValueError for a location this version cannot open, OSError when the directory
    cannot be used (not a store, or held by another process). A remote server is not
    contacted here: the first request to it says whether it answers.
    """
    if not location or not location.strip():
        raise ValueError("the store location is empty; give a directory or a sparql+http:// URL")
    limits = limits or QueryLimits()
    if location.startswith(_REMOTE_SCHEMES):
        return RemoteSparqlStore(
            location,
            base_iri=base_iri,
            query_timeout=limits.timeout,
            max_result_bytes=limits.max_result_bytes,
            username=username,
            password=password,
        )
    if "://" in location:
        raise ValueError(f"{location!r} is not a directory path, and no other scheme is known")
    path = Path(location).expanduser()
    if path.exists() and not path.is_dir():
        raise ValueError(f"{path} is a file, not a store directory")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # Oxigraph creates the last level only
    except OSError as exc:
        raise OSError(f"cannot open the store at {path}: {exc.strerror or exc}") from None
    return OxigraphStore(path, base_iri=base_iri, limits=limits)
