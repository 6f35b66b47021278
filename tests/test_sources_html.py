"""Web pages in: the story without the site's furniture, its metadata, the raw page kept beside
it, and the same claims as the clean text; a text in another language refused with its name."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service import bootstrap
from service.bootstrap import build_pipeline
from service.cli.app import app
from service.pipeline.documents import Document, RawPage, document_from_mapping
from service.pipeline.ingest import plan_jobs
from service.pipeline.records import Extraction
from service.pipeline.syndication import merge_raw_pages
from service.rdf.vocab import sparql_prologue
from service.settings import Settings
from service.sources.html import page_document
from service.sources.language import LanguageNotReadError, detect, with_language
from service.store.oxigraph import OxigraphStore
from tests.conftest import ON_THIS_MACHINE, settings
from tests.sources_fixtures import FRENCH, SEEDS, news_page, refusals, seed, seed_page

STORY = (
    "The ministry said 2,500 troops arrived in the northern province on Monday.\n"
    '"We are ready to defend every village," General Ali Hassan told reporters in the capital.\n'
    "Officials said the deployment had been planned for months and would last until spring."
)
runner = CliRunner()


def _claims(extraction: Extraction, after: int = 0) -> tuple[set, set, set]:
    """What a reader compares: who said what, which numbers of what, which dated events (those
    that begin at or after character `after`)."""
    statements = {
        (s.speaker, s.content.text, s.type)
        for s in extraction.statements
        if s.content.start >= after
    }
    quantities = {
        (q.value, q.counted_key, q.comparator)
        for q in extraction.quantities
        if q.mention.start >= after
    }
    dates = {
        (d.event_key, d.earliest, d.latest) for d in extraction.dates if d.mention.start >= after
    }
    return statements, quantities, dates


def test_page_text_is_the_story_without_menus_teasers_scripts_comments_or_banners() -> None:
    page = news_page(STORY, url="https://planet.example/2024/01/28/troops")
    document = page_document(page, max_text_bytes=100_000, url="https://planet.example/t")
    assert document.text == STORY
    for furniture in ("cookies", "Home", "Check Also", "Elections postponed", "reader42",
                      "dataLayer", "All rights reserved", "Troops arrive in the north"):
        assert furniture not in document.text


def test_page_metadata_gives_headline_byline_site_date_address_and_language() -> None:
    page = news_page(STORY, url="https://planet.example/2024/01/28/troops")
    document = page_document(page, max_text_bytes=100_000, url="https://mirror.example/x")
    assert document.title == "Troops arrive in the north"
    assert document.author == "Jane Roe"
    assert document.publisher == "The Daily Planet"
    assert str(document.date_published) == "2024-01-28"
    assert document.url == "https://planet.example/2024/01/28/troops"  # the page's own address
    assert document.language == "en"
    [raw_page] = document.raw_pages
    assert raw_page.sha256 == hashlib.sha256(page).hexdigest()
    assert raw_page.fetched_from == "https://mirror.example/x"
    assert raw_page.extractor.startswith("trafilatura ")


def test_page_without_a_story_is_refused_in_words() -> None:
    with pytest.raises(ValueError, match="no story text"):
        page_document(b"<html><body><script>track()</script><img src=a.png></body></html>",
                      max_text_bytes=1000)


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(settings)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_saved_as_a_web_page_gives_the_same_claims_as_the_clean_seed(
    path: Path, nlp: object
) -> None:
    from service.pipeline.extract import extract_documents

    data = seed(path)
    clean = document_from_mapping(data, max_text_bytes=1_000_000)
    page = page_document(seed_page(data), max_text_bytes=1_000_000)
    assert page.publisher == data["publisher"]
    assert page.url == data["url"]
    clean_extraction, page_extraction = extract_documents(nlp, [clean, page], batch_size=2)
    # A seed whose text opens with its headline: on the page the headline is the title (the
    # <h1>), not a sentence of the story, so the headline's own claims are not the story's.
    headline = clean.text.split("\n")[0]
    story_starts = len(headline) + 1 if headline == data.get("title") else 0
    clean_claims = _claims(clean_extraction, after=story_starts)
    page_claims = _claims(page_extraction)
    assert clean_claims[0], "the seed has statements to compare"
    assert page_claims == clean_claims


# --- languages --------------------------------------------------------------------------------


def test_language_is_detected_and_a_short_text_keeps_the_declared_one() -> None:
    found = detect(FRENCH)
    assert found is not None
    assert (found.code, found.name) == ("fr", "French")
    assert detect(STORY).code == "en"
    assert detect("2,500 troops") is None


def test_french_text_is_refused_naming_french_or_kept_without_claims_with_the_reason() -> None:
    document = Document(text=FRENCH)
    with pytest.raises(LanguageNotReadError, match=r"French \(fr"):
        with_language(document, store_unread=False)
    kept = with_language(document, store_unread=True)
    assert kept.language == "fr"
    assert "French" in kept.claims_withheld


@pytest.fixture(scope="module")
def real_client() -> Iterator[tuple[TestClient, OxigraphStore]]:
    store = OxigraphStore(None)
    with TestClient(bootstrap.build_app(Settings(), store), client=ON_THIS_MACHINE) as client:
        yield client, store


def _ask(client: TestClient, where: str) -> bool:
    query = sparql_prologue() + f"ASK {{ GRAPH ?g {{ {where} }} }}"
    answer = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["boolean"]


def test_api_takes_an_html_page_and_keeps_the_raw_page_beside_the_text(
    real_client: tuple[TestClient, OxigraphStore],
) -> None:
    client, _ = real_client
    page = news_page(STORY)
    response = client.post(
        "/documents?url=https://planet.example/a",
        content=page,
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["quantities"] >= 1
    iri = response.json()["iri"]
    sha = hashlib.sha256(page).hexdigest()
    assert _ask(client, f"""<{iri}> schema:url <https://planet.example/a> ; fg:byline "Jane Roe" ;
        schema:headline "Troops arrive in the north" ; prov:wasDerivedFrom ?page .
        ?page a fg:RawPage ; fg:rawHash "{sha}" ; fg:fetchedFrom <https://planet.example/a> ;
            fg:fetchedAt ?when ; fg:extractedWith ?software .""")


def test_api_refuses_a_french_article_with_422_naming_the_language(
    real_client: tuple[TestClient, OxigraphStore],
) -> None:
    client, _ = real_client
    response = client.post(
        "/documents", content=json.dumps({"text": FRENCH}),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert "French" in response.json()["error"]


def test_api_stores_a_french_article_without_claims_when_asked_with_the_reason(
    real_client: tuple[TestClient, OxigraphStore],
) -> None:
    client, _ = real_client
    response = client.post(
        "/documents?store_unread=true", content=json.dumps({"text": FRENCH}),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["statements"] == body["quantities"] == 0
    assert "French" in body["claims_withheld"]
    iri = body["iri"]
    assert _ask(client, f'<{iri}> schema:inLanguage "fr" ; fg:claimsWithheld ?why .')
    assert not _ask(client, f"?claim schema:appearance <{iri}>")


def test_cli_ingests_a_saved_page_and_refuses_a_french_text_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "story.html").write_bytes(news_page(STORY))
    (tmp_path / "article.txt").write_text(FRENCH, encoding="utf-8")
    store = str(tmp_path / "store")
    result = runner.invoke(app, ["ingest", str(tmp_path), "--store", store])
    assert result.exit_code == 1
    assert result.stdout.count("stored ") == 1
    refused = refusals(result.stderr)
    assert len(refused) == 1
    assert "article.txt" in refused[0]
    assert "French" in refused[0]
    kept = runner.invoke(
        app, ["ingest", str(tmp_path / "article.txt"), "--store", store, "--store-unread"]
    )
    assert kept.exit_code == 0, kept.stderr
    assert "no claims" in kept.stdout
    assert "French" in kept.stdout


def test_page_whose_canonical_link_is_not_http_keeps_the_address_it_came_from() -> None:
    page = news_page(STORY, url="javascript:alert(1)")
    document = page_document(page, max_text_bytes=100_000, url="https://planet.example/a")
    assert document.url == "https://planet.example/a"


# --- one text read from several pages ---------------------------------------------------------

WIRE_TEASERS = ("Wire: floods close roads in the south", "Wire: central bank holds rates")


def _story(place: str) -> str:
    """A story of its own for each test (they share one store): troops arrive in `place`."""
    return STORY.replace("the northern province", f"{place} province")


def _post_page(client: TestClient, page: bytes, url: str) -> str:
    response = client.post(
        "/documents", params={"url": url}, content=page,
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    assert response.status_code == 201, response.text
    return response.json()["iri"]


def _raw_pages(client: TestClient, iri: str) -> list[dict]:
    """Each page the stored document is derived from: its hash, address and fetch time."""
    query = sparql_prologue() + f"""SELECT ?hash ?from ?at WHERE {{ GRAPH <{iri}> {{
        <{iri}> prov:wasDerivedFrom ?page . ?page a fg:RawPage ; fg:rawHash ?hash .
        OPTIONAL {{ ?page fg:fetchedFrom ?from }} OPTIONAL {{ ?page fg:fetchedAt ?at }} }} }}"""
    answer = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200, answer.text
    return [
        {name: cell["value"] for name, cell in row.items()}
        for row in answer.json()["results"]["bindings"]
    ]


def test_text_ingested_again_from_another_page_keeps_both_raw_pages(
    real_client: tuple[TestClient, OxigraphStore],
) -> None:
    client, _ = real_client
    story = _story("Kassar")
    planet = news_page(story, url="https://planet.example/kassar")
    wire = news_page(story, title="Troops reach Kassar", site="Example Wire",
                     author=None, url="https://wire.example/kassar", teasers=WIRE_TEASERS)
    assert page_document(wire, max_text_bytes=100_000).text == story  # other furniture only
    first = _post_page(client, planet, "https://planet.example/kassar")
    again = _post_page(client, wire, "https://wire.example/kassar")
    assert again == first
    pages = {(p["hash"], p.get("from")) for p in _raw_pages(client, first)}
    assert pages == {
        (hashlib.sha256(planet).hexdigest(), "https://planet.example/kassar"),
        (hashlib.sha256(wire).hexdigest(), "https://wire.example/kassar"),
    }


def test_the_same_page_ingested_again_stays_one_raw_page_with_its_first_fetch_time(
    real_client: tuple[TestClient, OxigraphStore],
) -> None:
    client, _ = real_client
    page = news_page(_story("Ardan"), url="https://planet.example/ardan")
    iri = _post_page(client, page, "https://planet.example/ardan")
    [first] = _raw_pages(client, iri)
    _post_page(client, page, "https://planet.example/ardan")
    assert _raw_pages(client, iri) == [first]
    # The same bytes from another address were found there too: a page of their own.
    _post_page(client, page, "https://mirror.example/ardan")
    assert sorted(p["from"] for p in _raw_pages(client, iri)) == [
        "https://mirror.example/ardan", "https://planet.example/ardan"
    ]


def test_text_sent_as_plain_text_after_its_page_keeps_the_raw_page(
    real_client: tuple[TestClient, OxigraphStore],
) -> None:
    client, _ = real_client
    story = _story("Tessel")
    page = news_page(story, url="https://planet.example/tessel")
    iri = _post_page(client, page, "https://planet.example/tessel")
    response = client.post(
        "/documents", content=json.dumps({"text": story, "publisher": "Example Wire"}),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["iri"] == iri
    assert [p["hash"] for p in _raw_pages(client, iri)] == [hashlib.sha256(page).hexdigest()]


def test_same_text_from_two_pages_in_one_batch_is_planned_with_both_pages() -> None:
    story = _story("Orvel")
    at = dt.datetime(2024, 1, 28, 9, tzinfo=dt.UTC)
    planet = page_document(news_page(story), max_text_bytes=100_000,
                           url="https://planet.example/orvel", fetched_at=at)
    wire = page_document(news_page(story, site="Example Wire", teasers=WIRE_TEASERS),
                         max_text_bytes=100_000, url="https://wire.example/orvel",
                         fetched_at=at + dt.timedelta(hours=1))
    store = OxigraphStore(None)
    first, second = plan_jobs(store, settings.base_iri, [planet, wire], at)
    store.close()
    assert first.document.raw_pages == planet.raw_pages
    assert second.iri == first.iri
    assert second.document.raw_pages == (*planet.raw_pages, *wire.raw_pages)


def test_raw_pages_merge_as_one_page_per_bytes_and_address_keeping_the_first_fetch() -> None:
    early, late = dt.datetime(2024, 1, 28, 9, tzinfo=dt.UTC), dt.datetime(2024, 2, 3, 9)
    stored = [RawPage("a" * 64, "https://planet.example/x", late, extractor="trafilatura 1")]
    # An archive's older fetch of the same bytes at the same address, ingested later.
    crawled = RawPage("a" * 64, "https://planet.example/x", early, extractor="trafilatura 2")
    mirrored = RawPage("a" * 64, "https://mirror.example/x", late)
    merged = merge_raw_pages(Document(STORY, raw_pages=(crawled, mirrored)), stored)
    assert merged.raw_pages == (crawled, mirrored)
    assert merge_raw_pages(Document(STORY), stored).raw_pages == tuple(stored)
