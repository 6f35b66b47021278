"""Fetching a page politely and safely: httpx with a user agent that says who asks, timeouts,
a size cap, a redirect limit, robots.txt honoured, and retries with back-off.

Redirects are followed here, one hop at a time, so that every hop is checked like the first.
With `guard` on (a fetch a remote client asked for, over the HTTP API) every address a host
resolves to must be public: loopback, private, link-local, multicast and reserved addresses are
refused, and the connection goes to the address that was checked (the host name is kept for
the Host header and TLS), so a second DNS answer cannot point the request elsewhere.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from service.pipeline.documents import DocumentError

__all__ = ["AddressRefusedError", "FetchError", "FetchPolicy", "Fetched", "Fetcher"]

log = logging.getLogger("factgraph.fetch")

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_ROBOTS_MAX_BYTES = 512 * 1024


class FetchError(DocumentError):
    """A page that could not be fetched, with why (one line, the address as its source)."""


class AddressRefusedError(FetchError):
    """The address is not one the service may reach (loopback, private, not http)."""


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How to fetch; the defaults are a polite crawler's."""

    user_agent: str
    timeout: float = 10.0  # seconds to connect, and between two reads
    max_bytes: int = 5_000_000  # of a response body
    max_redirects: int = 5
    retries: int = 2  # after the first try, on a network error, 429 or 5xx
    backoff: float = 0.5  # seconds before the first retry, doubled for each next one
    guard: bool = False  # refuse non-public addresses (the API's fetches)
    # Hosts the guard lets through whatever they resolve to: for tests that serve pages on a
    # loopback port, never for production.
    guard_exempt: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A page as received."""

    url: str  # where the bytes came from, after redirects
    content: bytes
    media_type: str  # Content-Type without parameters, lower-cased
    fetched_at: dt.datetime


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved)


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"the host {host!r} cannot be resolved ({exc.strerror})") from None
    return sorted({str(info[4][0]) for info in infos})


class Fetcher:
    """One HTTP client for many fetches (connections and robots.txt answers are reused).

    `sleep` is injectable so that tests of the back-off need not wait."""

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy
        self._sleep = sleep
        self._robots: dict[str, RobotFileParser] = {}
        self._client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(policy.timeout),
            headers={"User-Agent": policy.user_agent},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def fetch(self, url: str) -> Fetched:
        """The page at `url`, following redirects; `FetchError` saying why not."""
        seen: set[str] = set()
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            if current in seen:
                raise FetchError(f"redirect loop: {current} redirects back to itself", url)
            seen.add(current)
            if not self._robots_allow(current):
                raise FetchError(f"robots.txt of {_origin(current)} disallows {current}", url)
            response, content = self._get(current, self.policy.max_bytes, source=url)
            if response.status_code in _REDIRECTS and "location" in response.headers:
                current = urljoin(current, response.headers["location"])
                continue
            if response.status_code >= 400:
                raise FetchError(f"{current} answered HTTP {response.status_code}", url)
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return Fetched(current, content, media_type, dt.datetime.now(dt.UTC))
        raise FetchError(f"more than {self.policy.max_redirects} redirects", url)

    # ------------------------------------------------------------ one request

    def _target(self, url: str, source: str) -> tuple[str, dict[str, str], dict[str, str]]:
        """The URL to connect to, the headers and the extensions: with the guard on, the
        checked address itself, the host name kept for Host and TLS."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise AddressRefusedError(f"{url!r} is not an http(s) address", source)
        if not self.policy.guard or parts.hostname in self.policy.guard_exempt:
            return url, {}, {}
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = _resolve(parts.hostname, port)
        refused = [a for a in addresses if not _public(a)]
        if refused or not addresses:
            raise AddressRefusedError(
                f"{parts.hostname} resolves to {', '.join(refused) or 'no address'}, "
                "which is not a public address; the service fetches public pages only",
                source,
            )
        address = addresses[0]
        literal = f"[{address}]" if ":" in address else address
        netloc = f"{literal}:{parts.port}" if parts.port else literal
        pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        return pinned, {"Host": parts.netloc.rpartition("@")[2]}, {"sni_hostname": parts.hostname}

    def _get(self, url: str, limit: int, *, source: str) -> tuple[httpx.Response, bytes]:
        """One GET with retries on network errors, 429 and 5xx; the body capped at `limit`."""
        target, headers, extensions = self._target(url, source)
        attempts = self.policy.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                request = self._client.build_request(
                    "GET", target, headers=headers, extensions=extensions
                )
                response = self._client.send(request, stream=True)
                try:
                    if response.status_code in _RETRY_STATUS and not last:
                        log.info("fetch %s: HTTP %s, retrying", url, response.status_code)
                    else:
                        return response, _read_capped(response, limit, url, source)
                finally:
                    response.close()
            except httpx.TransportError as exc:
                if last:
                    reason = type(exc).__name__.replace("Error", " error").lower()
                    raise FetchError(f"{url}: {reason} after {attempts} tries", source) from None
                log.info("fetch %s: %s, retrying", url, exc)
            self._sleep(self.policy.backoff * 2**attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    # ------------------------------------------------------------ robots.txt

    def _robots_allow(self, url: str) -> bool:
        origin = _origin(url)
        parser = self._robots.get(origin)
        if parser is None:
            parser = self._robots[origin] = self._read_robots(origin)
        return parser.can_fetch(self.policy.user_agent, url)

    def _read_robots(self, origin: str) -> RobotFileParser:
        """robots.txt as RFC 9309 reads it: none (4xx) allows all; unreachable (5xx, no
        answer) disallows all for now."""
        parser = RobotFileParser(f"{origin}/robots.txt")
        try:
            response, content = self._get(f"{origin}/robots.txt", _ROBOTS_MAX_BYTES, source=origin)
        except AddressRefusedError:
            raise
        except FetchError:
            parser.parse(["User-agent: *", "Disallow: /"])
            return parser
        if response.status_code >= 500:
            parser.parse(["User-agent: *", "Disallow: /"])
        elif response.status_code >= 400 or response.status_code in _REDIRECTS:
            parser.parse([])
        else:
            parser.parse(content.decode("utf-8", errors="replace").splitlines())
        return parser


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _read_capped(response: httpx.Response, limit: int, url: str, source: str) -> bytes:
    """The body, or `FetchError` as soon as Content-Length or the bytes read pass `limit`."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(f"{url} is {declared} bytes, over the limit of {limit} bytes", source)
    chunks: list[bytes] = []
    received = 0
    for chunk in response.iter_bytes():
        received += len(chunk)
        if received > limit:
            raise FetchError(f"{url} is over the limit of {limit} bytes", source)
        chunks.append(chunk)
    return b"".join(chunks)
