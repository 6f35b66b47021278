"""The web pages over HTTP: each renders, shows what the graph holds, 404s for unknown ids, and
escapes text people sent (an article holding `<script>`, a hostile query or slug)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import build_app
from service.settings import Settings
from service.store.oxigraph import OxigraphStore
from tests.conftest import ON_THIS_MACHINE

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.json"))
JSON = {"Content-Type": "application/json"}
HOSTILE = {
    "text": "The minister said that <script>alert('owned')</script> prices rose by 3 percent.",
    "publisher": "<b>Evil</b> Wire",
    "title": "<img src=x onerror=alert(1)>",
    "date_published": "2024-02-06",
}


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[TestClient, list[str]]]:
    """An app over an in-memory store with both seeds and the hostile article ingested."""
    settings = Settings()
    app = build_app(settings, OxigraphStore(None))
    with TestClient(app, client=ON_THIS_MACHINE) as client:
        yield client, post_site(client)


def post_site(client: TestClient) -> list[str]:
    """Both seeds and the hostile article posted; their document ids, in that order."""
    ids = []
    for body in [*(p.read_bytes() for p in SEEDS), json.dumps(HOSTILE).encode()]:
        response = client.post("/documents", content=body, headers=JSON)
        assert response.status_code == 201, response.text
        ids.append(response.json()["iri"].rsplit("/", 1)[1])
    return ids


def test_web_pages_home_counts_and_lists_documents(site: tuple[TestClient, list[str]]) -> None:
    client, ids = site
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "documents</li>" in response.text
    assert "statements</li>" in response.text
    for doc_id in ids:
        assert f'href="/ui/documents/{doc_id}"' in response.text
    # newest first: the hostile article (2024-02-06) before eurasia.ro (2024-01-31)
    assert response.text.index(ids[2]) < response.text.index(ids[1]) < response.text.index(ids[0])


def test_web_pages_document_marks_claims_with_anchors_and_provenance(
    site: tuple[TestClient, list[str]],
) -> None:
    client, ids = site
    html = client.get(f"/ui/documents/{ids[0]}").text
    for anchor in ("statement-0", "quantity-1", "date-0"):
        assert f'id="{anchor}"' in html
        assert f'id="detail-{anchor}"' in html
        assert f'id="provenance-{anchor}"' in html
    assert 'data-ref="actor-islamic-resistance-in-iraq"' in html
    assert "/extraction" in html
    assert "language of force" in html
    assert "roughly" in html
    assert "approximately" in html


def test_web_pages_document_escapes_hostile_text(site: tuple[TestClient, list[str]]) -> None:
    client, ids = site
    response = client.get(f"/ui/documents/{ids[2]}")
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert" in response.text
    assert "<img src=x" not in response.text
    assert "<b>Evil</b>" not in response.text
    assert "<b>Evil</b>" not in client.get("/").text


@pytest.mark.parametrize(
    "path",
    [
        "/ui/documents/0000000000000000",
        "/ui/documents/not-an-id",
        "/ui/documents/%3Cscript%3E",
        "/ui/actors/nobody-at-all",
        "/ui/actors/%3Cscript%3Ealert(1)",
    ],
)
def test_web_pages_unknown_ids_are_404_pages(site: tuple[TestClient, list[str]], path: str) -> None:
    client, _ = site
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Not found" in response.text
    assert "<script>" not in response.text


def test_web_pages_actor_lists_statements_in_both_outlets(
    site: tuple[TestClient, list[str]],
) -> None:
    client, ids = site
    response = client.get("/ui/actors/islamic-resistance-in-iraq")
    assert response.status_code == 200
    assert "Islamic Resistance in Iraq" in response.text
    assert "Press TV" in response.text
    assert "eurasia.ro" in response.text
    assert f"/ui/documents/{ids[0]}#statement-" in response.text
    assert f"/ui/documents/{ids[1]}#statement-" in response.text


def test_web_pages_comparisons_list_the_seeds_conflicts_first(
    site: tuple[TestClient, list[str]],
) -> None:
    """The seeds disagree (when the Islamic State was defeated): the page
    shows those conflicts first, each side linking to its claim in its document."""
    client, ids = site
    html = client.get("/ui/comparisons").text
    assert "Claim comparisons" in html
    assert "No comparisons yet" not in html
    statuses = [part.split("</span>")[0] for part in html.split('<span class="status">')[1:]]
    assert statuses
    assert statuses[0] == "Conflict"
    assert statuses == sorted(statuses, key=["Conflict", "Corroboration", "Related"].index)
    assert "#date-0" in html
    assert all(f"/ui/documents/{doc_id}#" in html for doc_id in ids[:2])


def test_web_pages_sparql_editor_offers_examples_and_runs_a_query(
    site: tuple[TestClient, list[str]],
) -> None:
    client, _ = site
    page = client.get("/ui/sparql")
    assert page.status_code == 200
    assert "/ui/sparql?example=cq1_language_of_force" in page.text
    filled = client.get("/ui/sparql", params={"example": "cq1_language_of_force"})
    assert "language of force" in filled.text
    assert 'id="results"' not in filled.text
    query = "SELECT ?n WHERE { ?s <http://schema.org/name> ?n } ORDER BY ?n LIMIT 5"
    ran = client.post("/ui/sparql", data={"query": query})
    assert ran.status_code == 200
    assert 'id="results"' in ran.text
    assert '<button type="submit" name="output" value="csv">' in ran.text


def test_web_pages_sparql_editor_escapes_the_query_and_reports_errors(
    site: tuple[TestClient, list[str]],
) -> None:
    client, _ = site
    hostile = "SELECT * WHERE { </textarea><script>alert(1)</script> }"
    response = client.post("/ui/sparql", data={"query": hostile})
    assert response.status_code == 400
    assert "<script>alert(1)" not in response.text
    assert 'class="error"' in response.text
    update = client.post("/ui/sparql", data={"query": "DROP ALL"})
    assert update.status_code == 400
    assert "updates are not accepted" in update.text


_SELECT = "SELECT ?s WHERE { ?s a <http://schema.org/NewsArticle> }"
_CONSTRUCT = "CONSTRUCT WHERE { ?s a <http://schema.org/NewsArticle> }"


@pytest.mark.parametrize(
    ("query", "output", "media_type"),
    [
        (_SELECT, "csv", "text/csv"),
        (_SELECT, "tsv", "text/tab-separated-values"),
        (_SELECT, "json", "application/sparql-results+json"),
        (_SELECT, "xml", "application/sparql-results+xml"),
        (_CONSTRUCT, "turtle", "text/turtle"),
        (_CONSTRUCT, "ntriples", "application/n-triples"),
        (_CONSTRUCT, "jsonld", "application/ld+json"),
    ],
)
def test_web_pages_sparql_download_in_each_format(
    site: tuple[TestClient, list[str]], query: str, output: str, media_type: str
) -> None:
    client, ids = site
    response = client.get("/ui/sparql/download", params={"query": query, "output": output})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["content-disposition"].startswith("attachment")
    assert ids[0] in response.text


def test_web_pages_sparql_download_refuses_a_format_that_does_not_fit(
    site: tuple[TestClient, list[str]],
) -> None:
    client, _ = site
    for output, status in (("csv", 406), ("pdf", 400)):
        params = {"query": _CONSTRUCT, "output": output}
        assert client.get("/ui/sparql/download", params=params).status_code == status


def test_web_pages_static_files_are_served(site: tuple[TestClient, list[str]]) -> None:
    client, _ = site
    assert client.get("/static/style.css").status_code == 200
    assert "data-ref" in client.get("/static/app.js").text


def test_web_pages_document_shows_every_appearance_of_a_syndicated_text(
    site: tuple[TestClient, list[str]],
) -> None:
    client, ids = site
    again = {**HOSTILE, "publisher": "<i>Second</i> Desk", "date_published": "2024-02-07",
             "url": "https://second.example/story"}
    response = client.post("/documents", content=json.dumps(again).encode(), headers=JSON)
    assert response.json()["iri"].endswith(ids[2])  # the same text: the same document
    html = client.get(f"/ui/documents/{ids[2]}").text
    assert "Published 2 times" in html
    assert "&lt;b&gt;Evil&lt;/b&gt; Wire" in html
    assert "&lt;i&gt;Second&lt;/i&gt; Desk" in html
    assert "<i>Second</i>" not in html
    assert html.index("Evil") < html.index("first appearance") < html.index("Second")
    assert 'href="https://second.example/story"' in html
