"""The web UI in a real browser: Debian's chromium driven by Playwright, against a real server.

The server is `factgraph serve` on a free loopback port with a fresh store and both seeds
posted, as in test_e2e_competency.py. Chromium comes from `scripts/install-browser.sh`
(`make test` runs it); Playwright's own browser download is not used.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import live_server
from tests.sources_fixtures import FRENCH

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.json"))
TEXTS = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in SEEDS]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path("/tmp/factgraph-document-page.png")


@pytest.fixture(scope="module")
def documents(ingested: dict[str, dict]) -> list[str]:
    """The seeds' document ids, in seed order."""
    return [ingested[path.stem]["iri"].rsplit("/", 1)[1] for path in SEEDS]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; run: bash scripts/install-browser.sh")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def test_web_browser_statement_leads_to_its_provenance(
    server: str, documents: list[str], page: Page
) -> None:
    page.goto(f"{server}/ui/documents/{documents[0]}")
    # a first segment with nothing nested in it, so pointing at it points at the statement
    statement = page.locator("article.text mark.hl-statement[id^='statement-']:not(:has(*))").first
    expect(statement).to_be_visible()
    ref = statement.get_attribute("id")
    assert ref is not None

    statement.hover()
    detail = page.locator(f"#detail-{ref}")
    expect(detail).to_be_visible()
    statement.click()
    expect(detail).to_contain_text("Speaker")
    expect(detail).to_contain_text("Cue")
    page.screenshot(path=str(SCREENSHOT), full_page=False)

    detail.get_by_role("link", name="provenance").click()
    expect(page).to_have_url(re.compile(f"#provenance-{ref}$"))
    provenance = page.locator(f"#provenance-{ref}")
    expect(provenance).to_be_in_viewport()
    offsets = provenance.locator(".offsets").first.inner_text()
    begin, end = (int(n) for n in re.findall(r"\d+", offsets))
    expect(provenance.locator("blockquote.sentence")).to_have_text(TEXTS[0][begin:end])
    expect(provenance).to_contain_text(f"/id/document/{documents[0]}")
    expect(provenance).to_contain_text("/extraction")


def test_web_browser_anchor_from_a_link_opens_the_claims_detail(
    server: str, documents: list[str], page: Page
) -> None:
    page.goto(f"{server}/ui/documents/{documents[0]}#quantity-1")
    expect(page.locator("#detail-quantity-1")).to_be_visible()
    expect(page.locator("#detail-quantity-1")).to_contain_text("Comparator")


def test_web_browser_example_query_shows_a_results_table(
    server: str, documents: list[str], page: Page
) -> None:
    assert documents
    page.goto(f"{server}/ui/sparql")
    page.locator("a.example[data-example='cq1_language_of_force']").click()
    expect(page.locator("#query")).to_have_value(re.compile("language of force"))
    page.locator("#run").click()
    table = page.locator("table#results")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first).to_be_visible()
    expect(table).to_contain_text("Islamic Resistance in Iraq")
    expect(page.locator("form.downloads button[value='csv']")).to_be_visible()


def test_web_browser_home_claims_and_actor_pages_render(
    server: str, documents: list[str], page: Page
) -> None:
    page.goto(f"{server}/")
    expect(page.locator("h1")).to_have_text("What the graph holds")
    expect(page.locator("ol.documents li")).to_have_count(len(documents))

    page.locator("ol.documents a").first.click()
    expect(page.locator("article.text")).to_be_visible()

    page.goto(f"{server}/ui/claims")
    expect(page.locator("h1")).to_have_text("Claim comparisons")
    conflict = page.locator("section.comparison.status-conflict").first
    expect(conflict.locator(".status")).to_have_text("Conflict")  # the seeds disagree
    conflict.locator("a", has_text="see it in the document").first.click()
    expect(page).to_have_url(re.compile(r"/ui/documents/[0-9a-f]{16}#(quantity|date)-\d+$"))

    page.goto(f"{server}/ui/actors/islamic-resistance-in-iraq")
    expect(page.locator("h1")).to_contain_text("Islamic Resistance in Iraq")
    rows = page.locator("table.statements tbody tr")
    expect(rows.first).to_be_visible()
    rows.first.locator("td a").first.click()
    expect(page).to_have_url(re.compile(r"/ui/documents/[0-9a-f]{16}#statement-\d+$"))
    expect(page.locator("aside.panel .detail.active")).to_be_visible()


TOKEN = "a-long-enough-update-token"


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own (the shared one's document count stays the seeds'), with a token."""
    with live_server(
        tmp_path_factory.mktemp("add-store"), env={"FACTGRAPH_UPDATE_TOKEN": TOKEN}
    ) as base:
        yield base


def test_web_browser_add_form_needs_the_token_and_opens_the_new_document(
    guarded_server: str, page: Page
) -> None:
    story = (
        "The ministry said 2,500 troops arrived in the northern province on Monday.\n"
        '"We are ready," General Ali Hassan told reporters in the capital.'
    )
    page.goto(f"{guarded_server}/ui/add")
    expect(page.locator("#add-url")).to_be_disabled()  # this server does not fetch pages
    page.locator("#add-text").fill(story)
    page.locator("#add-token").fill("not-the-token-at-all")
    page.locator("#add-submit").click()
    expect(page.locator("#add-error")).to_contain_text("do not match")
    page.locator("#add-token").fill(TOKEN)
    page.locator("#add-submit").click()
    expect(page).to_have_url(re.compile(r"/ui/documents/[0-9a-f]{16}$"), timeout=120_000)
    expect(page.locator("article.text")).to_contain_text("2,500 troops")


def test_web_browser_add_form_names_the_language_it_cannot_read(
    guarded_server: str, page: Page
) -> None:
    page.goto(f"{guarded_server}/ui/add")
    page.locator("#add-text").fill(FRENCH)
    page.locator("#add-token").fill(TOKEN)
    page.locator("#add-submit").click()
    expect(page.locator("#add-error")).to_contain_text("French", timeout=60_000)
    expect(page).to_have_url(re.compile("/ui/add$"))
