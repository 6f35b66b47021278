"""Backups of the embedded store, and restoring one, with Oxigraph's own backup.

`Store.backup` is a RocksDB checkpoint: a consistent copy of the store as of one moment, taken
while the store stays open (writes wait for it, a few milliseconds); on the same file system
its immutable files are hard links, so a backup costs little space until the store changes.
A backup is itself a store directory: `factgraph serve --store BACKUP` would serve it as is.

Restoring never writes into a store: the backup is copied beside the target (again with
Oxigraph's backup, so what lands is a store Oxigraph has opened), then moved in by renames,
and the old store goes only once the new one is in place.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from service.store.oxigraph import OxigraphStore, StoreInUseError

__all__ = ["BackupError", "Copied", "backup_store", "restore_store"]


class BackupError(ValueError):
    """A backup or restore that cannot be done, with the reason in one sentence."""


@dataclass(frozen=True, slots=True)
class Copied:
    """Where a copy went and how many quads it holds."""

    path: Path
    quads: int


def _is_store(path: Path) -> bool:
    """A directory RocksDB (so Oxigraph) made: it has a CURRENT file naming its manifest."""
    return (path / "CURRENT").is_file()


def _quads(path: Path) -> int:
    """The quads of a store that no process writes (a backup, or one just made)."""
    try:
        return len(ox.Store.read_only(str(path)))
    except OSError as exc:
        raise BackupError(f"{path} is not a store Oxigraph can open: {exc}") from None


def _new_directory(path: Path) -> None:
    if path.exists():
        raise BackupError(f"{path} already exists; give a directory that does not exist yet")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot write to {path.parent}: {exc.strerror or exc}") from None


def backup_store(store: OxigraphStore, destination: Path) -> Copied:
    """A consistent copy of the open `store` in `destination` (a directory not there yet)."""
    if store.path is None:
        raise BackupError("an in-memory store has nothing on disk to back up")
    _new_directory(destination)
    try:
        store.checkpoint(destination)
    except OSError as exc:
        shutil.rmtree(destination, ignore_errors=True)
        raise BackupError(f"the backup to {destination} failed: {exc}") from None
    return Copied(destination, _quads(destination))


def _target_quads(target: Path) -> int:
    """The quads in the store at `target` (0 when there is none), taking its lock to count, so
    a store a server holds is never replaced under it."""
    if not target.exists():
        return 0
    if not target.is_dir():
        raise BackupError(f"{target} is a file, not a store directory")
    if not _is_store(target):
        if any(target.iterdir()):
            raise BackupError(f"{target} holds files that are not a store; restore elsewhere")
        return 0
    try:
        held = OxigraphStore(target)
    except StoreInUseError:
        raise BackupError(
            f"the store at {target} is in use by another process (a running server?); "
            "stop it, then restore"
        ) from None
    except OSError as exc:
        raise BackupError(f"{target} is not a store Oxigraph can open: {exc}") from None
    try:
        return held.quad_count()
    finally:
        held.close()  # releases the lock


def restore_store(source: Path, target: Path, *, force: bool = False) -> Copied:
    """Make the store at `target` a copy of the backup at `source`.

    Refuses a target that holds quads unless `force`, a target another process holds, and a
    source that is not a store.
    """
    if not source.is_dir() or not _is_store(source):
        raise BackupError(f"{source} is not a store backup (no Oxigraph store there)")
    if source.resolve() == target.resolve():
        raise BackupError("the backup and the store are the same directory")
    quads = _target_quads(target)
    if quads and not force:
        raise BackupError(
            f"the store at {target} is not empty ({quads} quads); give --force to replace it"
        )
    staging = target.parent / f".{target.name}.restoring-{os.getpid()}"
    aside = target.parent / f".{target.name}.replaced-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        ox.Store.read_only(str(source)).backup(str(staging))
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"cannot copy the backup at {source}: {exc}") from None
    if target.exists():
        target.rename(aside)
    staging.rename(target)
    shutil.rmtree(aside, ignore_errors=True)
    return Copied(target, _quads(target))
