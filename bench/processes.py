"""Which processes of a session are still running (read from /proc): the orphans a killed
program left, for the crash trials (bench/crash.py) and the tests.

The program to be killed is started with `start_new_session=True`; every process it starts
(workers, multiprocessing's resource tracker) shares its session id, even after the program
itself has died and they have been handed to another parent.
"""

from __future__ import annotations

import time
from pathlib import Path

__all__ = ["command_line", "running_in_session", "wait_until_session_ends"]


def _stat(pid_dir: Path) -> tuple[str, int] | None:
    """The state letter and the session id of a process, or None if it is gone."""
    try:
        stat = (pid_dir / "stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the name may hold spaces and parentheses
    return fields[0], int(fields[3])


def running_in_session(session: int) -> list[int]:
    """Pids of the live (not zombie) processes of `session`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(entry)
        if stat is not None and stat[1] == session and stat[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


def command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "(gone)"
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()[:200]


def wait_until_session_ends(session: int, seconds: float) -> list[str]:
    """Wait up to `seconds` for every process of `session` to end; the command lines of those
    still running then (empty: none is left)."""
    deadline = time.monotonic() + seconds
    while True:
        left = running_in_session(session)
        if not left or time.monotonic() > deadline:
            return [f"{pid}: {command_line(pid)}" for pid in left]
        time.sleep(0.1)
