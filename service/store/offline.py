"""The second wall against outbound requests: code that runs clients' SPARQL has no network.

The parsed-operation check (`service.sparql.outbound`) is the first wall. This one holds even
if that check missed something: the query worker processes, and the one thread that runs
SPARQL Updates, move into a network namespace of their own, which has no interface up. Any
connect() there fails with "Network is unreachable", whatever Oxigraph (Rust code, out of
reach of any Python-level socket guard) tries. A network namespace belongs to a thread, so
the server's other threads keep serving HTTP.

Creating one needs CAP_SYS_ADMIN, or an unprivileged user namespace in a single-threaded
process; where neither is granted, the wall is reported as down and the first wall stands
alone.
"""

from __future__ import annotations

import ctypes
import logging
import os
import threading

__all__ = ["close_network", "network_namespace"]

log = logging.getLogger("factgraph.store")

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def network_namespace() -> str:
    """The network namespace of the calling thread (`net:[inode]`), for checks and tests."""
    return os.readlink(f"/proc/self/task/{threading.get_native_id()}/ns/net")


def close_network() -> bool:
    """Move the calling thread into a new, empty network namespace. True when it worked.

    Tries a plain network namespace (as root), then one inside a new user namespace
    (unprivileged, only in a single-threaded process).
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return True
    errno = ctypes.get_errno()
    log.warning(
        "could not isolate SPARQL evaluation from the network (%s); "
        "SERVICE and LOAD are still refused on the parsed operation",
        os.strerror(errno),
    )
    return False
