"""Worker processes end with the process that started them, even when it is killed (SIGKILL).

Each worker (SHACL, extraction, query) calls `exit_with_parent` first. A daemon thread then
waits for the parent to end and ends the worker at once with `os._exit`: on Linux it blocks
on a pidfd of the parent (readable when the parent exits: no polling); elsewhere, or where
pidfds are refused, it polls `os.getppid()` twice a second. Once no worker holds its pipe,
multiprocessing's resource tracker sees end-of-file and exits too.

Why not `prctl(PR_SET_PDEATHSIG)`: Linux sends that signal when the *thread* that started the
child ends, not the process, and the service starts workers from threads that come and go
(the request thread that builds the ingest pipeline on the first POST, the thread that
replaces a query worker stopped at its time limit), so it would kill live workers.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import threading
import time

__all__ = ["ORPHANED", "exit_with_parent"]

ORPHANED = 75  # the exit status of a worker whose parent ended (nobody reads it but a test)
_POLL_SECONDS = 0.5


def exit_with_parent(parent_pid: int | None = None) -> None:
    """End this process as soon as `parent_pid` (default: the multiprocessing parent, else
    the process's parent) ends. Give the pid the parent passed, where it can: a parent that
    died before this call would otherwise go unnoticed."""
    if parent_pid is None:
        parent = multiprocessing.parent_process()
        parent_pid = parent.pid if parent is not None and parent.pid else os.getppid()
    watcher = threading.Thread(
        target=_watch, args=(parent_pid,), name="factgraph-lifeline", daemon=True
    )
    watcher.start()


def _watch(parent_pid: int) -> None:
    pidfd: int | None = None
    with contextlib.suppress(AttributeError, OSError):  # not Linux 5.3+, or already gone
        pidfd = os.pidfd_open(parent_pid)
    # Checked after opening: while the parent is still ours, its pid was not reused, so the
    # pidfd (if any) is the parent's own.
    if os.getppid() != parent_pid:
        os._exit(ORPHANED)
    if pidfd is not None:
        select.select([pidfd], [], [])  # readable once the parent has exited
        os._exit(ORPHANED)
    while os.getppid() == parent_pid:
        time.sleep(_POLL_SECONDS)
    os._exit(ORPHANED)
