"""HTTP to a SPARQL server: the SPARQL Protocol's query and update requests and the Graph Store
Protocol's GET, over one client with the credentials; failures as the store's errors.

Everything a request carries besides the SPARQL text (Virtuoso's `timeout`, its write pragma)
and everything read from an answer besides its body (a cut result) is asked of the dialect.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pyoxigraph as ox

from service.sparql import load, with_base
from service.store.base import (
    Dataset,
    QueryError,
    QueryTimeoutError,
    ResultTooLargeError,
    UnsupportedFormatError,
)
from service.store.evaluate import graph_node
from service.store.remote.dialect import GENERIC, Dialect, dialect_named, dialect_of_server
from service.store.remote.location import RemoteLocation

__all__ = ["CHUNK", "Transport", "base_type"]

INTERNAL_TIMEOUT = 300.0  # seconds for the service's own reads and writes (no client limit)
CONNECT_TIMEOUT = 5.0
GRACE = 5.0  # seconds the HTTP client waits past the limit for the server to stop by itself
CHUNK = 64 * 1024
_TAGS = re.compile(r"<[^>]*>")


def short(text: str, limit: int = 300) -> str:
    """A server's error page as one short line: tags stripped, the echoed query cut off."""
    text = _TAGS.sub(" ", text)
    text = text.split("SPARQL query:")[0]
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def base_type(content_type: str | None) -> str:
    """A Content-Type without its parameters, lower case."""
    return (content_type or "").split(";")[0].strip().lower()


class Transport:
    """One HTTP client for one server's endpoints, safe to share between threads.

    `query_timeout` and `max_result_bytes` bound the queries sent with `client=True`; the
    service's own reads and writes wait up to five minutes.
    """

    def __init__(
        self,
        location: RemoteLocation,
        *,
        base_iri: str,
        query_timeout: float,
        max_result_bytes: int,
        username: str | None,
        password: str | None,
    ) -> None:
        self.location = location
        self.base = graph_node(base_iri, "base IRI")
        self.query_timeout = query_timeout
        self.max_result_bytes = max_result_bytes
        self.authenticated = username is not None
        auth: httpx.Auth | None = None
        if username is not None:
            auth = (
                httpx.DigestAuth(username, password or "")
                if location.auth == "digest"
                else httpx.BasicAuth(username, password or "")
            )
        self._dialect = dialect_named(location.dialect)
        self._client: httpx.Client | None = httpx.Client(
            auth=auth,
            timeout=httpx.Timeout(INTERNAL_TIMEOUT, connect=CONNECT_TIMEOUT),
            headers={"User-Agent": "factgraph"},
        )

    @property
    def dialect(self) -> Dialect:
        """The server's dialect: configured, else from its first answer (asked for one when
        nothing has been sent yet)."""
        if self._dialect is None:
            url = self.location.query_url
            with self.send("POST", url, data={"query": load("store/remote/ping.rq")}) as reply:
                self.raise_for_status(reply, url)
                reply.read()
        return self._dialect or GENERIC  # send() has set it from the answer

    @property
    def _http(self) -> httpx.Client:
        if self._client is None:
            raise RuntimeError("the store is closed")
        return self._client

    @contextlib.contextmanager
    def send(
        self, method: str, url: str, *, time_limit: float | None = None, **kwargs: Any
    ) -> Iterator[httpx.Response]:
        """One request, its answer streamed; transport failures as one-line OSErrors, or a
        QueryTimeoutError when a client's query ran past `time_limit` seconds."""
        seconds = time_limit + GRACE if time_limit is not None else INTERNAL_TIMEOUT
        limit = httpx.Timeout(seconds, connect=CONNECT_TIMEOUT)
        try:
            with self._http.stream(method, url, timeout=limit, **kwargs) as reply:
                if self._dialect is None:
                    self._dialect = dialect_of_server(reply.headers.get("server", ""))
                yield reply
        except httpx.TimeoutException as exc:
            if time_limit is not None:  # a client's query: its time limit ran out
                raise QueryTimeoutError(
                    f"the query ran past the time limit ({self.query_timeout:g} s)"
                ) from None
            raise OSError(f"the SPARQL server at {url} did not answer in time ({exc})") from None
        except httpx.TransportError as exc:
            reason = str(exc) or type(exc).__name__
            raise OSError(f"cannot reach the SPARQL server at {url}: {reason}") from None

    def raise_for_status(self, reply: httpx.Response, url: str) -> None:
        """Map a failed answer onto the store's errors; reads the (short) error body."""
        if reply.is_success:
            return
        status = reply.status_code
        message = short(reply.read().decode("utf-8", "replace")) or reply.reason_phrase
        if status in (401, 403):
            raise OSError(
                f"the SPARQL server at {url} refused access ({status}): {message} (check the "
                f"credentials; {self.dialect.access_hint})"
            )
        if status in (404, 405):
            raise OSError(f"no SPARQL endpoint at {url} ({status} {reply.reason_phrase})")
        if status == 406:
            raise UnsupportedFormatError(f"the SPARQL server cannot serve that format: {message}")
        if 400 <= status < 500:
            raise QueryError(message)
        error = self.dialect.server_error(message)
        if error is not None:
            raise error
        raise OSError(f"the SPARQL server at {url} failed ({status}): {message}")

    @staticmethod
    def read_capped(reply: httpx.Response, limit: int | None) -> bytes:
        """The whole body; ResultTooLargeError as soon as it passes `limit` bytes."""
        body = bytearray()
        for chunk in reply.iter_bytes(CHUNK):
            body += chunk
            if limit is not None and len(body) > limit:
                raise ResultTooLargeError(
                    f"the result grew past the size limit ({limit} bytes) and was stopped"
                )
        return bytes(body)

    def query(
        self,
        sparql: str,
        accept: str,
        *,
        dataset: Dataset | None = None,
        client: bool = False,
    ) -> tuple[bytes, str]:
        """Run a query on the server; the body and its media type. `client` applies the
        client's time and size limits (and the dialect's own time limit, so the work stops)."""
        form: dict[str, str | list[str]] = {"query": with_base(sparql, self.base)}
        if dataset is not None:
            form["default-graph-uri"] = [
                graph_node(g, "default-graph-uri").value for g in dataset.default_graphs
            ]
            form["named-graph-uri"] = [
                graph_node(g, "named-graph-uri").value for g in dataset.named_graphs
            ]
        time_limit = None
        if client:
            time_limit = self.query_timeout
            form.update(self.dialect.query_parameters(self.query_timeout))
        url = self.location.query_url
        with self.send(
            "POST", url, data=form, headers={"Accept": accept}, time_limit=time_limit
        ) as reply:
            self.raise_for_status(reply, url)
            self.dialect.check_answer(reply.headers, self.query_timeout)
            body = self.read_capped(reply, self.max_result_bytes if client else None)
            return body, base_type(reply.headers.get("content-type"))

    def update(self, sparql: str, *, bulk: bool = False) -> None:
        """One SPARQL Update request. `bulk` (the store's own data) lets the dialect add what
        makes many constants cheap to compile."""
        text = with_base(sparql, self.base)
        if bulk:
            text = self.dialect.bulk_write(text)
        url = self.location.update_url
        with self.send(
            "POST",
            url,
            content=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        ) as reply:
            self.raise_for_status(reply, url)
            reply.read()

    def graph_store_url(self) -> str | None:
        """The Graph Store endpoint: the location's `store=`, else the dialect's, else none."""
        if self.location.store_url is not None:
            return self.location.store_url
        return self.dialect.graph_store_url(
            self.location.query_url, authenticated=self.authenticated
        )

    def get_graph(self, url: str, graph: ox.NamedNode, accept: str) -> tuple[bytes, str] | None:
        """A Graph Store Protocol GET of one graph: the body and its media type; None on 404."""
        params, headers = {"graph": graph.value}, {"Accept": accept}
        with self.send("GET", url, params=params, headers=headers) as reply:
            if reply.status_code == 404:
                return None
            self.raise_for_status(reply, url)
            return reply.read(), base_type(reply.headers.get("content-type"))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
