"""`factgraph serve`: the HTTP service over the store."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer
import uvicorn

from service.api.auth import is_loopback
from service.bootstrap import build_app
from service.cli.common import StoreOption, fail, opened_store, settings_with
from service.store.backup_socket import serving_backups

__all__ = ["serve_command"]


def serve_command(
    store: StoreOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Serve SPARQL, documents and export over HTTP until interrupted."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if host != "localhost":
            fail(f"--host {host!r} is not an IP address")
    settings = settings_with(store)
    if settings.update_token is None and not is_loopback(host):
        fail(
            f"--host {host} would take writes from other machines without a token; set "
            "FACTGRAPH_UPDATE_TOKEN (16+ characters, e.g. `openssl rand -hex 16`) or serve on "
            "127.0.0.1"
        )
    with opened_store(settings) as opened, serving_backups(opened):
        uvicorn.run(build_app(settings, opened), host=host, port=port, log_level="info")
