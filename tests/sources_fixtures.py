"""News as it arrives, made by the tests themselves: pages saved as a browser would (the story
inside site furniture), feeds, WARC archives, and a loopback site that serves them."""

from __future__ import annotations

import html
import io
import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.json"))

FRENCH = (
    "Le ministère de la Défense a déclaré lundi que 2 500 soldats étaient arrivés dans la "
    "région du nord. « Nous sommes prêts », a affirmé le général, ajoutant que d'autres "
    "renforts suivraient dans les prochaines semaines selon le calendrier prévu par le "
    "gouvernement."
)


def refusals(stderr: str) -> list[str]:
    """The CLI's one-line refusals (a progress bar or a log line is not one)."""
    return [line for line in stderr.splitlines() if line.startswith("factgraph:")]


def seed(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def news_page(
    text: str,
    *,
    title: str = "Troops arrive in the north",
    site: str = "The Daily Planet",
    author: str | None = "Jane Roe",
    date: str | None = "2024-01-28",
    url: str | None = None,
    lang: str = "en",
    teasers: tuple[str, ...] = (
        "Elections postponed again as parties trade blame",
        "Markets rally on hopes of a rate cut next spring",
    ),
) -> bytes:
    """A news page as a browser saves it: navigation, a cookie banner, scripts, the story (one
    paragraph a line of `text`), "Check Also" teasers, reader comments, a footer."""
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n"))
    meta = [f'<meta property="og:site_name" content="{html.escape(site)}">']
    if author:
        meta.append(f'<meta name="author" content="{html.escape(author)}">')
    if date:
        meta.append(f'<meta property="article:published_time" content="{date}">')
    if url:
        meta.append(f'<link rel="canonical" href="{url}">')
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(site)}</title>
{"".join(meta)}
<script>window.dataLayer = [{{"event": "pageview"}}]; function track() {{ return 1; }}</script>
<style>.nav {{ color: red; }}</style>
</head><body>
<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<header><nav class="nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<!-- story starts -->
<main><article>
<h1>{html.escape(title)}</h1>
<div class="byline">By {html.escape(author or site)}</div>
{paragraphs}
</article>
<aside class="related"><h3>Check Also</h3>
<ul>{"".join(f'<li><a href="/more/{n}">{html.escape(t)}</a></li>' for n, t in enumerate(teasers))}
</ul></aside>
<section id="comments"><h3>Comments</h3>
<div class="comment">Great article, thanks! Posted by reader42</div></section>
</main>
<footer><p>© 2024 {html.escape(site)}. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
<script src="/static/app.js"></script>
</body></html>""".encode()


def seed_page(data: Mapping[str, Any]) -> bytes:
    """A seed's original page as a browser saves it: its headline in <h1>, its paragraphs in
    the article, and what the seed's text carries after "Check Also" as teaser links."""
    lines = [line.strip() for line in data["text"].split("\n") if line.strip()]
    title = data.get("title") or None
    if title and lines[0] == title:
        lines = lines[1:]
    cut = next((n for n, line in enumerate(lines) if line.lower() == "check also"), len(lines))
    return news_page(
        "\n".join(lines[:cut]),
        title=title or f"{data.get('publisher') or 'News'}: the day's report",
        site=data.get("publisher") or "News",
        author=None,
        date=data.get("date_published"),
        url=data.get("url"),
        teasers=tuple(lines[cut + 1 :]),
    )


def rss(entries: list[tuple[str, str]], *, title: str = "The Daily Planet") -> bytes:
    """An RSS 2.0 feed of (headline, link) entries."""
    items = "".join(
        f"<item><title>{html.escape(headline)}</title><link>{html.escape(link)}</link>"
        f"<guid>{html.escape(link)}</guid>"
        f"<pubDate>{format_datetime(__import__('datetime').datetime(2024, 1, 28, 10))}</pubDate>"
        "</item>"
        for headline, link in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>http://planet.example/</link>"
        f"<description>News</description>{items}</channel></rss>"
    ).encode()


def warc_record(
    url: str,
    body: bytes,
    *,
    media_type: str = "text/html; charset=utf-8",
    kind: str = "response",
    gzip: bool = True,
) -> bytes:
    """One WARC record (its own gzip member when `gzip`), written by warcio."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    if kind == "response":
        headers = StatusAndHeaders("200 OK", [("Content-Type", media_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers
        )
    else:
        record = writer.create_warc_record(
            url, kind, payload=io.BytesIO(body), warc_content_type=media_type
        )
    writer.write_record(record)
    return buffer.getvalue()


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    # Answers before this one (e.g. 503s that a retry gets past), taken in order.
    before: list[int] = field(default_factory=list)
    # Bodies served after `body`, one a request, the last one from then on (a feed that grows).
    later: list[bytes] = field(default_factory=list)


class Site:
    """A web site on a loopback port: `routes` maps a path to its answer (changeable while it
    runs); `requests` lists (path, user agent) of every request received."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, self.headers.get("User-Agent", "")))
                route = site.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = route.before.pop(0) if route.before else route.status
                body = route.body if status == route.status else b""
                if status == route.status and route.later:
                    route.body = route.later.pop(0)
                self.send_response(status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def page(self, path: str, body: bytes, media_type: str = "text/html") -> str:
        self.routes[path] = Route(body, headers={"Content-Type": media_type})
        return self.url(path)

    def redirect(self, path: str, to: str) -> str:
        self.routes[path] = Route(status=302, headers={"Location": to})
        return self.url(path)


@contextmanager
def serving() -> Iterator[Site]:
    site = Site()
    thread = threading.Thread(target=site._server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site._server.shutdown()
        site._server.server_close()
