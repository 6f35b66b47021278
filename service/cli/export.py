"""`factgraph export`: the whole dataset in one RDF format, to stdout or a file."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from service.cli.common import StoreOption, fail, opened_store, settings_with
from service.store import UnsupportedFormatError
from service.store.formats import EXPORT_FORMATS, FEED_FORMATS

_NAMES = (*EXPORT_FORMATS, *FEED_FORMATS)

__all__ = ["export_command"]


def export_command(
    store: StoreOption = None,
    output_format: Annotated[
        str, typer.Option("--format", help=f"One of: {', '.join(_NAMES)}.")
    ] = "trig",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Export every graph of the store (documents, actors, analysis), or a schema.org DataFeed:
    `claimreview` (the imported ClaimReviews) or `claims` (every claim, ClaimReview-ready)."""
    name = output_format.lower()
    media_type = EXPORT_FORMATS.get(name)
    if media_type is None and name not in FEED_FORMATS:
        fail(f"unknown format {output_format!r}; use one of: {', '.join(_NAMES)}")
    with opened_store(settings_with(store), existing=True) as opened:
        try:
            if media_type is None:
                from service.claimreview.export import export_chunks  # rdflib: only when asked

                chunks: Iterator[bytes] = export_chunks(opened, name)
            else:
                chunks = opened.export(media_type)
            if output is None:
                for chunk in chunks:
                    sys.stdout.buffer.write(chunk)
                sys.stdout.buffer.flush()
                return
            try:
                with output.open("wb") as sink:
                    for chunk in chunks:
                        sink.write(chunk)
            except OSError as exc:
                fail(f"cannot write {output}: {exc.strerror or exc}")
        except UnsupportedFormatError as exc:
            fail(str(exc))
