"""Web pages in: the story without the site's furniture, its metadata, the raw page kept beside
it, and the same claims as the clean text; a text in another language refused with its name."""

from __future__ import annotations

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
from service.pipeline.documents import Document, document_from_mapping
from service.pipeline.records import Extraction
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
    assert document.raw_page is not None
    assert document.raw_page.sha256 == hashlib.sha256(page).hexdigest()
    assert document.raw_page.fetched_from == "https://mirror.example/x"
    assert document.raw_page.extractor.startswith("trafilatura ")


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
