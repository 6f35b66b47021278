"""What every command shares: settings from flags, one-line failures, the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console

from service.bootstrap import configured, open_configured_store
from service.settings import Settings
from service.store import Store

__all__ = [
    "StoreOption",
    "WorkersOption",
    "err_console",
    "fail",
    "one_line",
    "opened_store",
    "settings_with",
    "state_file",
]

err_console = Console(stderr=True, highlight=False, soft_wrap=True)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Store directory, or sparql+http://host:port/path of a SPARQL server "
        "(default: the FACTGRAPH_STORE setting, else ./var/store).",
        show_default=False,
    ),
]

WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="Extraction processes, each loading spaCy once (default: the "
        "FACTGRAPH_EXTRACTION_WORKERS setting, else the usable cores).",
        show_default=False,
    ),
]


_LONGEST_LINE = 400


def one_line(message: str) -> str:
    """A message folded onto one line and cut to a readable length (parser messages run long)."""
    line = " ".join(message.split())
    return line if len(line) <= _LONGEST_LINE else line[: _LONGEST_LINE - 1] + "…"


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line of explanation and exit non-zero: never a traceback for a user's mistake."""
    err_console.print(f"factgraph: {one_line(message)}", markup=False)
    raise typer.Exit(code)


def settings_with(store: str | None = None, **flags: object) -> Settings:
    """The settings, with the flags a user gave (those not None) taking precedence; a bad one
    fails with one line naming it, never echoing its value (it may be a secret)."""
    try:
        return configured(store=store, **flags)
    except ValidationError as exc:
        problem = exc.errors(include_input=False)[0]
        name = "FACTGRAPH_" + "_".join(str(part) for part in problem["loc"]).upper()
        fail(f"the setting {name} is not valid: {problem['msg']}")


@contextmanager
def opened_store(settings: Settings, *, existing: bool = False) -> Iterator[Store]:
    """Open the settings' store or fail with one line (a missing store, or one held by another
    process). `existing`: a local store must be there already (a query of a store that was never
    made is a mistyped path, not an empty answer)."""
    location = settings.store
    if existing and "://" not in location and not Path(location).exists():
        fail(f"there is no store at {location}; give --store the directory `factgraph ingest` "
             "wrote, or ingest documents into this one first")
    try:
        store = open_configured_store(settings)
    except (OSError, ValueError) as exc:
        fail(str(exc))  # open_store's messages name the location and the reason
    try:
        yield store
    except OSError as exc:  # a remote store that stopped answering: one line, no traceback
        fail(str(exc))
    finally:
        store.close()


def state_file(settings: Settings, name: str) -> Path:
    """A file of a command's state beside the store (`var/store.{name}.json` for the store
    `var/store`); for a remote store, in the working folder."""
    location = settings.store
    if "://" in location:
        return Path(f".factgraph.{name}.json")
    store = Path(location)
    return store.with_name(f"{store.name}.{name}.json")
