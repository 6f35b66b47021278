"""One place that turns a store location (a setting or a flag) into a `Store`."""

from __future__ import annotations

from pathlib import Path

from service.settings import settings
from service.store.base import Store
from service.store.oxigraph import OxigraphStore, QueryLimits

__all__ = ["open_store"]

_REMOTE_SCHEMES = ("sparql+http://", "sparql+https://")


def open_store(location: str, *, base_iri: str | None = None) -> Store:
    """A directory path opens the embedded Oxigraph store (created if missing).

    `base_iri` resolves relative IRIs in queries; it defaults to the service's public base.
    Raises ValueError for a location this version cannot open, OSError when the directory
    cannot be used (not a store, or held by another process).
    """
    if not location or not location.strip():
        raise ValueError("the store location is empty; give a directory")
    if location.startswith(_REMOTE_SCHEMES):
        raise ValueError(
            f"remote SPARQL stores ({location.split('://', 1)[0]}://...) are not supported yet; "
            "give a directory for the embedded store"
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
    limits = QueryLimits(
        timeout=settings.query_timeout,
        max_result_bytes=settings.max_result_bytes,
        workers=settings.query_workers,
    )
    base = base_iri if base_iri is not None else settings.base_iri
    return OxigraphStore(path, base_iri=base, limits=limits)
