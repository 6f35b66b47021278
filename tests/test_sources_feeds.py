"""Feeds in: each entry's page ingested; a watcher ingests only what is new, by address and by
text, and remembers what it saw across restarts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli.app import app
from service.pipeline.documents import DocumentError
from service.sources.feeds import feed_entries
from service.sources.watch import parse_interval
from tests.sources_fixtures import Route, Site, news_page, refusals, rss, serving
from tests.test_sources_html import STORY

OTHER_STORY = (
    "Officials said 300 families were evacuated from the valley on Tuesday after the floods.\n"
    '"The water rose faster than anyone expected," the mayor said in a statement.'
)
THIRD_STORY = (
    "The central bank said inflation fell to 3 percent in December, its lowest in two years.\n"
    "Analysts said the bank would hold rates steady at its next meeting in March."
)
FEED = {"Content-Type": "application/rss+xml"}
runner = CliRunner()


@pytest.fixture
def site() -> Iterator[Site]:
    with serving() as running:
        running.page("/a", news_page(STORY, title="Troops arrive"))
        running.page("/b", news_page(OTHER_STORY, title="Floods in the valley"))
        running.page("/c", news_page(THIRD_STORY, title="Inflation falls"))
        # The same story as /a, syndicated under another address.
        running.page("/a-copy", news_page(STORY, title="Troops arrive (wire)", site="Wire"))
        yield running


def _feed(site: Site, *paths: str) -> bytes:
    return rss([(f"Story {path}", site.url(path)) for path in paths])


def _fetches(site: Site, path: str) -> int:
    return sum(1 for requested, _ in site.requests if requested == path)


def test_feed_entries_are_the_links_in_order_and_a_page_is_not_a_feed(site: Site) -> None:
    entries = feed_entries(_feed(site, "/a", "/b"))
    assert [entry.link for entry in entries] == [site.url("/a"), site.url("/b")]
    assert entries[0].title == "Story /a"
    with pytest.raises(DocumentError, match="not an RSS or Atom feed"):
        feed_entries(news_page(STORY))


def test_interval_reads_seconds_minutes_and_hours() -> None:
    assert [parse_interval(t) for t in ("15m", "30s", "2h", "90")] == [900, 30, 7200, 90]
    with pytest.raises(ValueError, match="not an interval"):
        parse_interval("soon")


def test_ingest_of_a_feed_file_ingests_each_entrys_page(site: Site, tmp_path: Path) -> None:
    feed = tmp_path / "planet.xml"
    feed.write_bytes(_feed(site, "/a", "/b", "/gone"))
    result = runner.invoke(app, ["ingest", str(feed), "--store", str(tmp_path / "store")])
    assert result.stdout.count("stored ") == 2
    assert result.exit_code == 1  # the entry whose page is gone
    failures = refusals(result.stderr)
    assert len(failures) == 1
    assert "/gone" in failures[0]


def test_ingest_of_a_feed_address_ingests_each_entrys_page(site: Site, tmp_path: Path) -> None:
    site.routes["/feed.xml"] = Route(_feed(site, "/a", "/b"), headers=FEED)
    result = runner.invoke(
        app, ["ingest", site.url("/feed.xml"), "--store", str(tmp_path / "store")]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("stored ") == 2


def test_watch_ingests_a_new_entry_between_two_polls_and_nothing_twice(
    site: Site, tmp_path: Path
) -> None:
    site.routes["/feed.xml"] = Route(
        _feed(site, "/a"), headers=FEED, later=[_feed(site, "/b", "/a")]
    )
    store = tmp_path / "store"
    result = runner.invoke(
        app, ["watch", site.url("/feed.xml"), "--every", "0s", "--polls", "3",
              "--store", str(store)],
    )
    assert result.exit_code == 0, result.stderr
    stored = [line for line in result.stdout.splitlines() if line.startswith("stored ")]
    assert len(stored) == 2
    assert _fetches(site, "/feed.xml") == 3
    assert _fetches(site, "/a") == _fetches(site, "/b") == 1  # seen addresses are not fetched
    seen = json.loads((tmp_path / "store.watch.json").read_text())
    assert set(seen["urls"]) == {site.url("/a"), site.url("/b")}
    assert len(seen["hashes"]) == 2


def test_watch_restarted_ingests_only_what_it_has_not_seen_by_address_or_by_text(
    site: Site, tmp_path: Path
) -> None:
    site.routes["/feed.xml"] = Route(_feed(site, "/a"), headers=FEED)
    store = str(tmp_path / "store")
    arguments = ["watch", site.url("/feed.xml"), "--polls", "1", "--store", store]
    first = runner.invoke(app, arguments)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.count("stored ") == 1
    # Restarted: the feed now also holds the same story under another address, and a new one.
    site.routes["/feed.xml"] = Route(_feed(site, "/c", "/a-copy", "/a"), headers=FEED)
    second = runner.invoke(app, arguments)
    assert second.exit_code == 0, second.stderr
    stored = [line for line in second.stdout.splitlines() if line.startswith("stored ")]
    assert len(stored) == 1  # /c only: /a by its address, /a-copy by its text
    assert _fetches(site, "/a") == 1
    assert _fetches(site, "/a-copy") == 1


def test_watch_tries_a_failed_page_again_at_the_next_poll(site: Site, tmp_path: Path) -> None:
    site.routes["/flaky"] = Route(news_page(THIRD_STORY), before=[404])
    site.routes["/feed.xml"] = Route(_feed(site, "/flaky"), headers=FEED)
    result = runner.invoke(
        app, ["watch", site.url("/feed.xml"), "--every", "0s", "--polls", "2",
              "--store", str(tmp_path / "store")],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("stored ") == 1
    assert _fetches(site, "/flaky") == 2
