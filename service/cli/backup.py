"""`factgraph backup DEST` and `factgraph restore SRC`: Oxigraph's own backups of the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from service.cli.common import StoreOption, fail, settings_with
from service.store.backup import BackupError, Copied, backup_store, restore_store
from service.store.backup_socket import NoServerError, ask_for_backup
from service.store.oxigraph import OxigraphStore, StoreInUseError

__all__ = ["backup_command", "restore_command"]


def _backup(location: Path, destination: Path) -> Copied:
    """The copy made here, or by the server that holds the store (service.store.backup_socket)."""
    try:
        store = OxigraphStore(location)
    except StoreInUseError:
        try:
            return ask_for_backup(location, destination)
        except NoServerError:
            fail(
                f"the store at {location} is in use by a process that takes no backup "
                "requests; stop it, then back up"
            )
    except OSError as exc:
        fail(str(exc))
    try:
        return backup_store(store, destination)
    finally:
        store.close()


def backup_command(
    destination: Annotated[Path, typer.Argument(help="A directory that does not exist yet.")],
    store: StoreOption = None,
) -> None:
    """Write a consistent copy of the store to DEST (a store directory itself: serve it, or
    restore it with `factgraph restore`). While `factgraph serve` holds the store, the server
    makes the copy, without stopping."""
    settings = settings_with(store)
    if "://" in settings.store:
        fail("backup copies the embedded store; back up a SPARQL server with its own tools")
    location = Path(settings.store).expanduser()
    if not location.is_dir():
        fail(f"there is no store at {location}; give --store the directory to back up")
    if destination.exists():
        fail(f"{destination} already exists; give a directory that does not exist yet")
    try:
        copied = _backup(location, destination)
    except BackupError as exc:
        fail(str(exc))
    typer.echo(f"backed up {copied.quads} quads to {copied.path}")


def restore_command(
    source: Annotated[Path, typer.Argument(help="A backup made by `factgraph backup`.")],
    store: StoreOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a store that is not empty.")
    ] = False,
) -> None:
    """Make the store a copy of the backup SRC. A store that holds data is replaced only
    with --force; a store a running server holds, never (stop the server first)."""
    settings = settings_with(store)
    if "://" in settings.store:
        fail("restore writes the embedded store; restore a SPARQL server with its own tools")
    try:
        copied = restore_store(source, Path(settings.store).expanduser(), force=force)
    except BackupError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"the restore failed: {exc.strerror or exc}")
    typer.echo(f"restored {copied.quads} quads from {source} to {copied.path}")
