"""`GET /export?format=...`: the whole dataset as one download, streamed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from service.api.deps import StoreDep
from service.api.errors import ApiError
from service.claimreview.export import export_chunks
from service.store.formats import EXPORT_FORMATS, FEED_FORMATS

__all__ = ["router"]

router = APIRouter(tags=["export"])

# File name extensions for the download, by the names users type.
_EXTENSIONS = {
    "trig": "trig",
    "nquads": "nq",
    "turtle": "ttl",
    "ntriples": "nt",
    "jsonld": "jsonld",
    "claimreview": "claimreview.jsonld",
    "claims": "claims.jsonld",
}
_NAMES = (*EXPORT_FORMATS, *FEED_FORMATS)


@router.get("/export", response_class=StreamingResponse)
def export(
    store: StoreDep,
    format: Annotated[  # the name users type
        str, Query(description=f"One of: {', '.join(_NAMES)}.")
    ] = "trig",
) -> Response:
    """Every graph of the store; quad formats keep the named graphs, triple formats merge them.
    `claimreview` and `claims` are schema.org DataFeeds (ClaimReviews; ClaimReview-ready Claims).
    """
    name = format.strip().lower()
    if name in FEED_FORMATS:
        disposition = f'attachment; filename="factgraph.{_EXTENSIONS[name]}"'
        return StreamingResponse(
            export_chunks(store, name),  # reads the store before the first byte is sent
            media_type=FEED_FORMATS[name],
            headers={"Content-Disposition": disposition},
        )
    media_type = EXPORT_FORMATS.get(name)
    if media_type is None:
        raise ApiError(400, f"unknown export format {format!r}; use one of: {', '.join(_NAMES)}")
    chunks = store.export(media_type)  # checks the format before the first byte is sent
    filename = f"factgraph.{_EXTENSIONS.get(name, name)}"
    return StreamingResponse(
        chunks,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
