"""`factgraph export`: the whole dataset in one RDF format, to stdout or a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from service.cli.common import StoreOption, fail, opened_store, settings_with
from service.store import UnsupportedFormatError
from service.store.formats import EXPORT_FORMATS

__all__ = ["export_command"]


def export_command(
    store: StoreOption = None,
    output_format: Annotated[
        str, typer.Option("--format", help=f"One of: {', '.join(EXPORT_FORMATS)}.")
    ] = "trig",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Export every graph of the store (documents, actors, analysis)."""
    media_type = EXPORT_FORMATS.get(output_format.lower())
    if media_type is None:
        fail(f"unknown format {output_format!r}; use one of: {', '.join(EXPORT_FORMATS)}")
    with opened_store(settings_with(store).store) as opened:
        try:
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
