"""WARC archives in: HTML responses taken, every other record passed over, a broken record
reported while the rest go on, pages over the limit refused, `--limit` and `--resume`."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli.app import app
from service.sources.warc import WarcPage, WarcProblem, html_records
from tests.sources_fixtures import news_page, refusals, warc_record
from tests.test_sources_feeds import OTHER_STORY, THIRD_STORY
from tests.test_sources_html import STORY

runner = CliRunner()


def _crawl(path: Path, *, compressed: bool = True) -> Path:
    """A small crawl as CC-NEWS has them: requests, responses of every kind, metadata, and
    one record that is broken (garbage where a record should start)."""
    gz = compressed
    broken = b"THIS IS NOT A WARC RECORD\r\nContent-Length: banana\r\n\r\n"
    parts = [
        warc_record("http://planet.example/a", b"GET /a HTTP/1.1\r\nHost: planet.example\r\n\r\n",
                    media_type="application/http; msgtype=request", kind="request", gzip=gz),
        warc_record("http://planet.example/a", news_page(STORY), gzip=gz),
        warc_record("http://planet.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(300),
                    media_type="image/png", gzip=gz),
        warc_record("http://planet.example/api", b'{"headline": "x"}',
                    media_type="application/json", gzip=gz),
        gzip.compress(broken) if gz else broken,
        warc_record("http://planet.example/a", b'{"outlinks": 3}', media_type="application/json",
                    kind="metadata", gzip=gz),
        warc_record("http://planet.example/b", news_page(OTHER_STORY, title="Floods"), gzip=gz),
        warc_record("http://planet.example/c", news_page(THIRD_STORY, title="Inflation"),
                    gzip=gz),
    ]
    path.write_bytes(b"".join(parts))
    return path


@pytest.mark.parametrize("compressed", [True, False], ids=["warc.gz", "warc"])
def test_archive_yields_html_responses_and_reports_the_broken_record(
    tmp_path: Path, compressed: bool
) -> None:
    name = "crawl.warc.gz" if compressed else "crawl.warc"
    items = list(html_records(_crawl(tmp_path / name, compressed=compressed), max_bytes=100_000))
    pages = [item for item in items if isinstance(item, WarcPage)]
    problems = [item for item in items if isinstance(item, WarcProblem)]
    assert [page.url for page in pages] == [f"http://planet.example/{x}" for x in "abc"]
    assert pages[0].content == news_page(STORY)
    assert pages[0].fetched_at is not None
    assert len(problems) == 1
    assert "broken record" in problems[0].reason
    assert [item.offset for item in items] == sorted(item.offset for item in items)


def test_archive_refuses_a_page_over_the_size_limit_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    path.write_bytes(
        warc_record("http://planet.example/huge", news_page(STORY * 40))
        + warc_record("http://planet.example/b", news_page(OTHER_STORY))
    )
    items = list(html_records(path, max_bytes=5_000))
    assert isinstance(items[0], WarcProblem)
    assert "over the limit of 5000 bytes" in items[0].reason
    assert isinstance(items[1], WarcPage)


def test_archive_reading_resumes_after_the_last_record_done(tmp_path: Path) -> None:
    path = _crawl(tmp_path / "crawl.warc.gz")
    first = next(item for item in html_records(path, max_bytes=100_000))
    rest = list(html_records(path, max_bytes=100_000, start=first.offset, skip_first=True))
    assert first.url == "http://planet.example/a"
    assert [item.url for item in rest if isinstance(item, WarcPage)] == [
        "http://planet.example/b", "http://planet.example/c"
    ]


def test_cli_ingests_an_archive_with_limit_then_resume(tmp_path: Path) -> None:
    crawl = _crawl(tmp_path / "crawl.warc.gz")
    store = str(tmp_path / "store")
    first = runner.invoke(app, ["ingest", str(crawl), "--limit", "1", "--store", store])
    assert first.exit_code == 0, first.stderr
    assert first.stdout.count("stored ") == 1
    assert (tmp_path / "store.warc-progress.json").exists()
    rest = runner.invoke(app, ["ingest", str(crawl), "--resume", "--store", store])
    assert rest.stdout.count("stored ") == 2
    assert rest.exit_code == 1  # the broken record, in one line
    failures = refusals(rest.stderr)
    assert len(failures) == 1
    assert "broken record" in failures[0]
    again = runner.invoke(app, ["ingest", str(crawl), "--resume", "--store", store])
    assert again.exit_code == 0, again.stderr
    assert again.stdout.count("stored ") == 0
