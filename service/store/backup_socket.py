"""Backups of a store a running server holds: the server makes them, `factgraph backup` asks.

Only the process that holds a store open can copy it consistently (Oxigraph's backup is taken
under the store's write lock; opening a store another process writes is undefined behaviour),
and RocksDB lets one process hold it. So `factgraph serve` listens on a Unix socket named
after the store's real path, and `factgraph backup` asks it when it finds the store in use.

The socket is in Linux's abstract namespace: no file to leave behind when the server is
killed, no path length limit. It has no file permissions, so the server answers only a peer
of its own user (or root), checked with SO_PEERCRED: the same people who could read the store
directory anyway. A request is one JSON line `{"destination": "/absolute/path"}`; the answer
one JSON line, `{"path": ..., "quads": N}` or `{"error": "one sentence"}`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import socket
import struct
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from service.store.backup import BackupError, Copied, backup_store
from service.store.oxigraph import OxigraphStore

__all__ = ["NoServerError", "ask_for_backup", "serving_backups"]

log = logging.getLogger("factgraph.store")

_TIMEOUT = 600.0  # seconds a client waits for a backup (hard links: milliseconds; a copy: more)
_MAX_REQUEST = 64 * 1024


class NoServerError(OSError):
    """No process that holds the store takes backup requests."""


def _address(store_path: Path) -> str:
    digest = hashlib.sha256(str(store_path.expanduser().resolve()).encode()).hexdigest()[:32]
    return f"\0factgraph-store-{digest}"


def _peer_allowed(connection: socket.socket) -> bool:
    size = struct.calcsize("3i")
    _pid, uid, _gid = struct.unpack(
        "3i", connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, size)
    )
    return uid in (os.getuid(), 0)


def _answer(store: OxigraphStore, connection: socket.socket) -> None:
    with connection, connection.makefile("rwb") as stream:
        if not _peer_allowed(connection):
            reply: dict[str, object] = {"error": "backups are taken for the server's own user"}
        else:
            try:
                request = json.loads(stream.readline(_MAX_REQUEST))
                destination = Path(request["destination"])
                if not destination.is_absolute():
                    raise BackupError(f"{destination} is not an absolute path")
                copied = backup_store(store, destination)
                reply = {"path": str(copied.path), "quads": copied.quads}
                log.info("backed up %d quads to %s", copied.quads, copied.path)
            except BackupError as exc:
                reply = {"error": str(exc)}
            except (ValueError, KeyError, TypeError):
                reply = {"error": "the request is not {\"destination\": \"/absolute/path\"}"}
        stream.write(json.dumps(reply).encode() + b"\n")
        stream.flush()


@contextlib.contextmanager
def serving_backups(store: object) -> Iterator[None]:
    """While in the block, take backups of `store` (an embedded one on disk) when asked.
    Elsewhere than Linux, or for another store, nothing listens (`factgraph backup` then
    asks the operator to stop the server)."""
    if not isinstance(store, OxigraphStore) or store.path is None or sys.platform != "linux":
        yield
        return
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(_address(store.path))
    except OSError as exc:  # another process answers for this store: it holds it, not us
        log.warning("not taking backup requests for %s: %s", store.path, exc)
        listener.close()
        yield
        return
    listener.listen(4)
    stopped = threading.Event()

    def accept() -> None:
        while not stopped.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return  # closed
            with contextlib.suppress(OSError):
                _answer(store, connection)

    thread = threading.Thread(target=accept, name="factgraph-backups", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopped.set()
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        thread.join(5)


def ask_for_backup(store_path: Path, destination: Path) -> Copied:
    """Have the server that holds the store at `store_path` back it up to `destination`.

    Raises NoServerError when nothing answers for that store, BackupError with the server's
    reason when it could not."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(_TIMEOUT)
    with client:
        try:
            client.connect(_address(store_path))
        except OSError as exc:
            raise NoServerError(str(exc)) from None
        with client.makefile("rwb") as stream:
            request = {"destination": str(destination.expanduser().absolute())}
            stream.write(json.dumps(request).encode() + b"\n")
            stream.flush()
            line = stream.readline(_MAX_REQUEST)
    try:
        reply = json.loads(line)
    except ValueError:
        raise BackupError("the server holding the store did not answer the request") from None
    if "error" in reply:
        raise BackupError(str(reply["error"]))
    return Copied(Path(reply["path"]), int(reply["quads"]))
