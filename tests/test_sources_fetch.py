"""Links in: pages fetched politely (user agent, robots.txt, retries), within limits (size,
redirects), each failure one line while the rest go on; the API fetches only when allowed, and
never a loopback or private address."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service import bootstrap
from service.cli.app import app
from service.settings import Settings
from service.sources.fetch import AddressRefusedError, Fetcher, FetchError, FetchPolicy
from service.store.oxigraph import OxigraphStore
from tests.conftest import ON_THIS_MACHINE
from tests.sources_fixtures import Route, Site, news_page, refusals, serving
from tests.test_sources_html import STORY

AGENT = "factgraph-test/1 (+https://w3id.org/factgraph)"
runner = CliRunner()


def _fetcher(**overrides: object) -> Fetcher:
    policy = FetchPolicy(user_agent=AGENT, timeout=5, **overrides)  # type: ignore[arg-type]
    return Fetcher(policy, sleep=lambda _seconds: None)


@pytest.fixture
def site() -> Iterator[Site]:
    with serving() as running:
        yield running


def test_fetch_says_who_it_is_and_follows_a_redirect(site: Site) -> None:
    target = site.page("/story", news_page(STORY))
    start = site.redirect("/old", target)
    with _fetcher() as fetcher:
        fetched = fetcher.fetch(start)
    assert fetched.url == target
    assert fetched.media_type == "text/html"
    assert fetched.content == news_page(STORY)
    assert {agent for _, agent in site.requests} == {AGENT}


def test_fetch_reads_robots_txt_once_and_keeps_out_where_it_says(site: Site) -> None:
    site.routes["/robots.txt"] = Route(
        b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}
    )
    open_page = site.page("/news/a", news_page(STORY))
    closed = site.page("/private/b", news_page(STORY))
    with _fetcher() as fetcher:
        fetcher.fetch(open_page)
        with pytest.raises(FetchError, match=r"robots\.txt"):
            fetcher.fetch(closed)
    paths = [path for path, _ in site.requests]
    assert paths.count("/robots.txt") == 1
    assert "/private/b" not in paths


def test_fetch_retries_a_busy_server_with_back_off(site: Site) -> None:
    site.routes["/busy"] = Route(news_page(STORY), before=[503, 503])
    waits: list[float] = []
    policy = FetchPolicy(user_agent=AGENT, retries=2, backoff=0.25)
    with Fetcher(policy, sleep=waits.append) as fetcher:
        assert fetcher.fetch(site.url("/busy")).content == news_page(STORY)
    assert waits == [0.25, 0.5]


def test_fetch_gives_up_after_its_retries_in_one_line(site: Site) -> None:
    site.routes["/down"] = Route(b"", status=503, before=[503, 503, 503])
    with _fetcher(retries=1) as fetcher, pytest.raises(FetchError, match="HTTP 503"):
        fetcher.fetch(site.url("/down"))


def test_fetch_refuses_a_page_over_the_size_limit(site: Site) -> None:
    site.page("/huge", news_page(STORY * 50))
    with _fetcher(max_bytes=4_000) as fetcher, pytest.raises(FetchError, match="over the limit"):
        fetcher.fetch(site.url("/huge"))


def test_fetch_stops_a_redirect_loop(site: Site) -> None:
    site.redirect("/a", site.url("/b"))
    site.redirect("/b", site.url("/a"))
    with _fetcher() as fetcher, pytest.raises(FetchError, match="redirect loop"):
        fetcher.fetch(site.url("/a"))


def test_fetch_stops_after_the_redirect_limit(site: Site) -> None:
    for n in range(4):
        site.redirect(f"/hop{n}", site.url(f"/hop{n + 1}"))
    with _fetcher(max_redirects=2) as fetcher, pytest.raises(FetchError, match="2 redirects"):
        fetcher.fetch(site.url("/hop0"))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "http://localhost:9/x",
        "http://10.1.2.3/x",
        "http://192.168.0.1/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9/x",
        "http://[::ffff:127.0.0.1]:9/x",
        "file:///etc/passwd",
    ],
)
def test_guarded_fetch_never_reaches_loopback_private_or_link_local_addresses(url: str) -> None:
    with _fetcher(guard=True) as fetcher, pytest.raises(AddressRefusedError):
        fetcher.fetch(url)


def test_guarded_fetch_checks_every_redirect_hop(site: Site) -> None:
    """A public-looking first hop that redirects inside is refused at the inside hop: here the
    test server is exempted by name, and its redirect to 127.0.0.1 is not."""
    site.redirect("/out", "http://127.0.0.1:9/admin")
    policy = FetchPolicy(user_agent=AGENT, guard=True, guard_exempt=frozenset({"localhost"}))
    with Fetcher(policy) as fetcher, pytest.raises(AddressRefusedError, match=r"127\.0\.0\.1"):
        fetcher.fetch(site.url("/out").replace("127.0.0.1", "localhost"))


def test_cli_ingests_links_and_reports_each_failure_in_one_line(
    site: Site, tmp_path: Path
) -> None:
    good = site.page("/story", news_page(STORY))
    site.redirect("/loop", site.url("/loop"))
    missing = site.url("/gone")
    store = str(tmp_path / "store")
    result = runner.invoke(
        app, ["ingest", site.url("/loop"), missing, good, "--store", store]
    )
    assert result.exit_code == 1
    assert result.stdout.count("stored ") == 1
    failures = refusals(result.stderr)
    assert len(failures) == 2
    assert "redirect loop" in failures[0]
    assert "HTTP 404" in failures[1]


# --- over the HTTP API ------------------------------------------------------------------------


def _client(**settings: object) -> TestClient:
    app_ = bootstrap.build_app(Settings(**settings), OxigraphStore(None))  # type: ignore[arg-type]
    return TestClient(app_, client=ON_THIS_MACHINE)


def _post_url(client: TestClient, url: str):
    return client.post(
        "/documents", content=json.dumps({"url": url}),
        headers={"Content-Type": "application/json"},
    )


def test_api_does_not_fetch_unless_the_setting_allows_it(site: Site) -> None:
    url = site.page("/story", news_page(STORY))
    with _client() as client:
        response = _post_url(client, url)
    assert response.status_code == 403
    assert "FACTGRAPH_FETCH_FROM_API" in response.json()["error"]
    assert site.requests == []


def test_api_refuses_a_link_to_a_private_address_even_when_fetching_is_on(site: Site) -> None:
    url = site.page("/story", news_page(STORY))
    with _client(fetch_from_api=True) as client:
        for target in (url, "http://10.0.0.7/story", "http://169.254.169.254/"):
            response = _post_url(client, target)
            assert response.status_code == 403, response.text
            assert "not a public address" in response.json()["error"]
    assert site.requests == []


def test_api_fetches_a_link_when_allowed(site: Site) -> None:
    """The loopback test server is reachable only because the test exempts it by name."""
    url = site.page("/story", news_page(STORY)).replace("127.0.0.1", "localhost")
    with _client(fetch_from_api=True, fetch_guard_exempt=("localhost",)) as client:
        response = _post_url(client, url)
        assert response.status_code == 201, response.text
        assert response.json()["quantities"] >= 1
        missing = _post_url(client, url.replace("/story", "/gone"))
    assert missing.status_code == 502
    assert "HTTP 404" in missing.json()["error"]
