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

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from test_api_judgements import REVIEW

from tests.conftest import live_server, post_seeds
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
TOKEN = "browser-judgements-token-0123456789"


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

    page.goto(f"{server}/ui/comparisons")
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


def test_web_browser_badges_on_a_document_lead_to_the_other_side(
    server: str, documents: list[str], page: Page
) -> None:
    page.goto(f"{server}/ui/documents/{documents[1]}")  # eurasia.ro
    badge = page.locator("#compared a.badge.status-conflict").first
    expect(badge).to_contain_text("Press TV")
    badge.click()
    expect(page).to_have_url(re.compile(rf"/ui/claims/{documents[0]}/date/\d+$"))
    expect(page.locator("h1#proposition")).to_contain_text("2017")
    expect(page.locator("#outlet")).to_contain_text("Press TV")
    expect(page.locator("#date")).to_contain_text("2024-01-27")
    conflict = page.locator("#comparisons .comparison.status-conflict")
    expect(conflict).to_contain_text("eurasia.ro")
    conflict.get_by_role("link", name="the other claim").click()
    expect(page).to_have_url(re.compile(rf"/ui/claims/{documents[1]}/date/\d+$"))
    expect(page.locator("#sentence")).to_contain_text("2019")


def _listed(page: Page) -> list[str]:
    return page.locator("ol.claims > li").all_inner_texts()


def _filtered(page: Page, server: str, fields: dict[str, str], url: str) -> list[str]:
    """The claims page with `fields` set through its form: the URL says them, some are listed."""
    page.goto(f"{server}/ui/claims")
    for selector, value in fields.items():
        if selector in ("#filter-actor", "#filter-outlet", "#filter-status"):
            page.select_option(selector, value)
        else:
            page.locator(selector).fill(value)
    page.locator("#filter-apply").click()
    expect(page).to_have_url(re.compile(url))
    listed = _listed(page)
    assert listed
    return listed


def test_web_browser_claims_filters_and_search_are_links(
    server: str, documents: list[str], page: Page
) -> None:
    assert documents
    _filtered(page, server, {"#filter-status": "conflict"}, r"status=conflict")
    expect(page.locator("ol.claims > li")).to_have_count(2)
    expect(page.locator("ol.claims > li .badge.status-conflict")).to_have_count(2)
    listed = _filtered(page, server, {"#filter-outlet": "press-tv"}, r"outlet=press-tv")
    assert all("Press TV" in item for item in listed)
    page.locator("a[rel=next]").click()  # the next page keeps the filter
    expect(page).to_have_url(re.compile(r"outlet=press-tv&page=2$"))
    expect(page.locator("#filter-outlet")).to_have_value("press-tv")
    assert all("Press TV" in item for item in _listed(page))

    listed = _filtered(page, server, {"#filter-actor": "lloyd-austin"}, r"actor=lloyd-austin")
    assert all("Lloyd Austin" in item for item in listed)
    dates = {"#filter-from": "2024-01-28", "#filter-to": "2024-01-31"}
    listed = _filtered(page, server, dates, r"date_from=2024-01-28&date_to=2024-01-31")
    assert all("2024-01-31" in item for item in listed)
    _filtered(page, server, {"#filter-q": "TROOPS"}, r"q=TROOPS")
    sentences = page.locator("ol.claims > li blockquote.sentence").all_inner_texts()
    assert all("troops" in sentence.lower() for sentence in sentences)


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str], dict]]:
    """A server of its own with an update token, both seeds and one ClaimReview of a troop
    count: the judgement tests change what it shows."""
    env = {"FACTGRAPH_UPDATE_TOKEN": TOKEN}
    with live_server(tmp_path_factory.mktemp("guarded"), env) as base:
        answers = post_seeds(base, TOKEN)
        imported = httpx.post(
            f"{base}/claimreviews",
            content=json.dumps(REVIEW).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
            timeout=60,
        )
        assert imported.status_code == 201, imported.text
        ids = [answers[path.stem]["iri"].rsplit("/", 1)[1] for path in SEEDS]
        yield base, ids, imported.json()["reviews"][0]


def _claim_page(iri: str) -> str:
    return "/ui/claims/" + iri.rsplit("/id/document/", 1)[1]


def _sign(page: Page, token: str) -> None:
    page.locator("#reviewer").fill("Ana Pop")
    page.locator("#token").fill(token)


def test_web_browser_a_judgement_without_the_token_is_refused(guarded: tuple, page: Page) -> None:
    base, _, review = guarded
    page.goto(base + _claim_page(review["matches"][0]["claim"]))
    _sign(page, "")
    page.locator("#reviews .review button.confirm").first.click()
    expect(page.locator("#judge-status")).to_contain_text("HTTP 401")
    _sign(page, "not-the-token-at-all-0000")
    page.locator("#reviews .review button.confirm").first.click()
    expect(page.locator("#judge-status")).to_contain_text("HTTP 403")
    page.reload()
    expect(page.locator("#reviews .review .link-status")).to_contain_text("link: machine")
    expect(page.locator("#reviews .judgement")).to_have_count(0)


def test_web_browser_confirming_a_review_link_shows_on_the_claim_page(
    guarded: tuple, page: Page
) -> None:
    base, _, review = guarded
    page.goto(base + _claim_page(review["matches"][0]["claim"]))
    expect(page.locator("#reviews .review .link-status")).to_contain_text("link: machine")
    _sign(page, TOKEN)
    page.locator("#reviews .review button.confirm").first.click()
    expect(page.locator("#reviews .review .judgement")).to_contain_text("Confirmed by Ana Pop")
    expect(page.locator("#reviews .review .link-status")).to_contain_text("link: confirmed")
    expect(page.locator("#token")).to_have_value(TOKEN)  # kept for this tab after the reload


def test_web_browser_rejecting_a_comparison_takes_it_off_the_conflicts(
    guarded: tuple, page: Page
) -> None:
    base, ids, _ = guarded
    page.goto(f"{base}/ui/claims?status=conflict")
    expect(page.locator("ol.claims > li")).to_have_count(2)
    page.locator("ol.claims > li a.claim-link").first.click()
    _sign(page, TOKEN)
    page.locator("#comparisons .comparison.status-conflict button.reject").click()
    rejected = page.locator("#comparisons .comparison.status-rejected")
    expect(rejected.locator(".judgement")).to_contain_text("Rejected by Ana Pop")
    expect(rejected.locator(".judgement")).to_contain_text("the analysis said conflict")
    page.goto(f"{base}/ui/claims?status=conflict")
    expect(page.locator("ol.claims > li")).to_have_count(0)
    page.goto(f"{base}/ui/documents/{ids[1]}")
    expect(page.locator("article.text")).to_be_visible()
    expect(page.locator("#compared a.badge.status-conflict")).to_have_count(0)


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
