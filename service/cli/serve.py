"""`factgraph serve`: the HTTP service over the store, stopped within seconds by SIGTERM.

On SIGTERM (or Ctrl-C) uvicorn stops taking connections and gives the requests in flight
`FACTGRAPH_SHUTDOWN_GRACE` seconds; then it cancels them, the app closes its ingest workers,
the store its query workers, and every process the server started that is still there is
killed. Some work cannot be cancelled from Python: an extraction or a SPARQL update inside
Oxigraph goes on in its thread. So the process does not wait for those threads (it exits once
the store is closed), and a watchdog started with the signal ends it, workers first, if the
orderly way has not finished `_HARD_STOP_S` seconds after the grace.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import signal
import threading
import time
from types import FrameType
from typing import Annotated

import psutil
import typer
import uvicorn

from service.api.auth import is_loopback
from service.bootstrap import build_app
from service.cli.common import StoreOption, WorkersOption, fail, opened_store, settings_with
from service.settings import Settings
from service.store.backup_socket import serving_backups

__all__ = ["base_iri_for", "serve_command"]

log = logging.getLogger("factgraph.serve")

_HARD_STOP_S = 10.0  # after the grace: closing the workers and the store takes far less


def base_iri_for(host: str, port: int) -> str | None:
    """The base IRI a server listening on `host:port` mints under: `localhost` for this
    machine's addresses (as `factgraph ingest` does by default), the address itself for
    another; None for an unspecified address (0.0.0.0, ::), which names no host."""
    if is_loopback(host):
        return f"http://localhost:{port}/"
    address = ipaddress.ip_address(host)
    if address.is_unspecified:
        return None
    return f"http://[{host}]:{port}/" if address.version == 6 else f"http://{host}:{port}/"


def _kill_children() -> None:
    """Kill every process this one started, and theirs (workers, their resource tracker)."""
    children = psutil.Process().children(recursive=True)
    for child in children:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            continue
    psutil.wait_procs(children, timeout=5)


class _Server(uvicorn.Server):
    """uvicorn's server, whose shutdown has a deadline: `grace` for the requests in flight,
    then `_HARD_STOP_S` for the rest, after which a watchdog kills the workers and exits."""

    def __init__(self, config: uvicorn.Config, grace: float) -> None:
        super().__init__(config)
        self._deadline = grace + _HARD_STOP_S
        self._watchdog: threading.Thread | None = None
        self.signalled = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        self.signalled = True
        if self._watchdog is None:
            self._watchdog = threading.Thread(
                target=self._hard_stop, name="factgraph-shutdown", daemon=True
            )
            self._watchdog.start()

    def _hard_stop(self) -> None:
        time.sleep(self._deadline)
        log.error("not stopped %.0f s after the signal: killing the workers", self._deadline)
        _kill_children()
        logging.shutdown()
        os._exit(1)


def _already_handled(sig: int, frame: FrameType | None) -> None:
    """uvicorn has seen the signal and shut down; what is left to do follows `server.run()`."""


def _base_iri(settings: Settings, host: str, port: int) -> Settings:
    """The settings with the base IRI of `host:port`, unless FACTGRAPH_BASE_IRI set one."""
    if "base_iri" in settings.model_fields_set:
        return settings
    base = base_iri_for(host, port)
    if base is None:
        fail(
            f"--host {host} names no host to mint IRIs under; set FACTGRAPH_BASE_IRI to the "
            "address clients reach this server at (e.g. https://facts.example.org/)"
        )
    return settings.model_copy(update={"base_iri": base})


def serve_command(
    store: StoreOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: WorkersOption = None,
) -> None:
    """Serve SPARQL, documents and export over HTTP until interrupted (SIGTERM, Ctrl-C).

    IRIs are minted under http://localhost:PORT/ (or the --host address), unless
    FACTGRAPH_BASE_IRI names the public base.
    """
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if host != "localhost":
            fail(f"--host {host!r} is not an IP address")
    settings = settings_with(store, extraction_workers=workers)
    if settings.update_token is None and not is_loopback(host):
        fail(
            f"--host {host} would take writes from other machines without a token; set "
            "FACTGRAPH_UPDATE_TOKEN (16+ characters, e.g. `openssl rand -hex 16`) or serve on "
            "127.0.0.1"
        )
    settings = _base_iri(settings, host, port)
    with opened_store(settings, existing=True) as opened, serving_backups(opened):
        config = uvicorn.Config(
            build_app(settings, opened),
            host=host,
            port=port,
            log_level="info",
            timeout_graceful_shutdown=settings.shutdown_grace,
        )
        server = _Server(config, settings.shutdown_grace)
        # uvicorn sends the signal that stopped it on to the handler it found: this one does
        # nothing, so that the store is closed and the workers stopped below, not skipped.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, _already_handled)
        server.run()
    _kill_children()  # any worker a thread still inside cancelled work started
    if server.signalled:
        logging.shutdown()
        os._exit(0)  # threads still inside work that cannot be cancelled end with the process
