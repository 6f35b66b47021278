"""The claim pages over HTTP: the document page's badges link to the other side of each
comparison and review, each claim has its own page, and the claims page filters by status,
outlet, actor, date and text, in query parameters, paged, with hostile text escaped."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_api_judgements import REVIEW
from test_web_pages import post_site

from service.bootstrap import build_app
from service.read.claims import PAGE_SIZE
from service.settings import Settings
from service.store.oxigraph import OxigraphStore
from tests.conftest import ON_THIS_MACHINE

JSON = {"Content-Type": "application/json"}
_ITEM = re.compile(r'<li class="claim claim-\w+">(.*?)</li>', re.DOTALL)


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[TestClient, list[str], dict[str, Any]]]:
    """Both seeds, the hostile article and one ClaimReview of a seed's troop count."""
    app = build_app(Settings(), OxigraphStore(None))
    with TestClient(app, client=ON_THIS_MACHINE) as client:
        ids = post_site(client)
        imported = client.post("/claimreviews", content=json.dumps(REVIEW), headers=JSON)
        assert imported.status_code == 201, imported.text
        yield client, ids, imported.json()["reviews"][0]


def _items(page: str) -> list[str]:
    return _ITEM.findall(page)


def _claims(client: TestClient, **params: str) -> list[str]:
    response = client.get("/ui/claims", params=params)
    assert response.status_code == 200, response.text
    return _items(response.text)


def _page_of(iri: str) -> str:
    doc_id, kind, n = iri.rsplit("/id/document/", 1)[1].split("/")
    return f"/ui/claims/{doc_id}/{kind}/{n}"


def test_web_claims_document_badges_link_to_the_other_side(site: Any) -> None:
    client, ids, review = site
    page = client.get(f"/ui/documents/{ids[1]}").text  # eurasia.ro
    compared = page.split('id="compared"', 1)[1].split("</section>", 1)[0]
    conflict = re.search(r'class="badge badge-comparison status-conflict" href="([^"]+)"', compared)
    assert conflict is not None
    assert conflict.group(1).startswith(f"/ui/claims/{ids[0]}/date/")  # Press TV's date
    other = client.get(conflict.group(1)).text
    assert "late 2017" in other
    assert f'href="/ui/claims/{ids[1]}/date/' in other  # and back
    # the review's badge links to the review, on the claim it reviews
    claim = review["matches"][0]["claim"]
    anchor = claim.rsplit("/", 2)[-2] + "-" + claim.rsplit("/", 1)[-1]
    marked = compared.split(f'id="marks-{anchor}"', 1)[1].split("</li>", 1)[0]
    assert f'href="{REVIEW["url"]}"' in marked
    assert "review · True · Example Fact Check" in marked


def test_web_claims_claim_page_shows_its_sources_proposition_comparisons_and_reviews(
    site: Any,
) -> None:
    client, _ids, review = site
    match = review["matches"][0]
    response = client.get(_page_of(match["claim"]))
    assert response.status_code == 200
    page = response.text
    assert '<h1 id="proposition">The US has roughly 2,500 troops in Iraq' in page
    assert "The US has roughly 2,500 troops in Iraq and 900 in Syria." in page  # the sentence
    assert re.search(r'id="outlet"><a href="/ui/actors/eurasia-ro">eurasia.ro</a>', page)
    assert "<time>2024-01-31</time>" in page
    assert "Corroboration" in page
    assert "Press TV" in page
    assert 'data-comparison="' in page
    assert f"score {match['score']:.2f}" in page
    assert html.escape(match["method"], quote=True)[:40] in page
    assert f'data-review="{review["iri"]}" data-claim="{match["claim"]}"' in page
    assert "link: machine" in page


@pytest.mark.parametrize(
    "path",
    [
        "/ui/claims/0000000000000000/quantity/0",
        "/ui/claims/not-an-id/quantity/0",
        "/ui/claims/%3Cscript%3E/statement/1",
    ],
)
def test_web_claims_unknown_claim_is_a_404_page(site: Any, path: str) -> None:
    client, ids, _ = site
    for target in (path, f"/ui/claims/{ids[0]}/quantity/999", f"/ui/claims/{ids[0]}/bogus/1"):
        response = client.get(target)
        assert response.status_code == 404
        assert "Not found" in response.text
        assert "<script>" not in response.text


def test_web_claims_status_filter_keeps_the_claims_with_that_status(site: Any) -> None:
    client, _, review = site
    conflicts = _claims(client, status="conflict")
    assert len(conflicts) == 2  # the two dates of the Islamic State's defeat
    assert all("status-conflict" in item for item in conflicts)
    assert {"late 2017", "2019"} == {
        re.search(r'class="claim-link"[^>]*>([^<]+)<', i).group(1) for i in conflicts
    }
    reviewed = _claims(client, status="reviewed")
    assert len(reviewed) == 1
    assert _page_of(review["matches"][0]["claim"]) in reviewed[0]
    everything = _claims(client)
    assert len(_claims(client, status="corroboration")) < len(everything)


def test_web_claims_outlet_actor_and_date_filters(site: Any) -> None:
    client, _, _ = site
    press = _claims(client, outlet="press-tv")
    assert press
    assert all(">Press TV</a>" in item for item in press[:PAGE_SIZE])
    assert not any("eurasia.ro</a> · <time>" in item for item in press)
    said = _claims(client, actor="lloyd-austin")
    assert said
    assert all("Lloyd Austin" in item for item in said)
    late = _claims(client, date_from="2024-01-28", date_to="2024-01-31")
    assert late
    assert all("<time>2024-01-31</time>" in item for item in late)
    assert _claims(client, date_from="2024-02-07") == []
    assert len(_claims(client, date_to="2024-01-27")) == len(press[:PAGE_SIZE])


def test_web_claims_text_search_ignores_case(site: Any) -> None:
    client, _, _ = site
    found = _claims(client, q="TROOPS")
    assert found
    for item in found:
        sentence = item.split('<blockquote class="sentence">', 1)[1].split("</blockquote>")[0]
        assert "troops" in sentence.lower()
    assert _claims(client, q="troops", outlet="press-tv") != found  # filters combine
    assert _claims(client, q="no article says this") == []


def test_web_claims_pages_keep_the_filters(site: Any) -> None:
    client, _, _ = site
    first = client.get("/ui/claims", params={"outlet": "press-tv"}).text
    total = int(re.search(r'id="claims-count">(\d+) claims', first).group(1))
    assert total > PAGE_SIZE, "enough Press TV claims for two pages"
    assert len(_items(first)) == PAGE_SIZE
    link = re.search(r'rel="next" href="([^"]+)"', first).group(1)
    assert html.unescape(link) == "/ui/claims?outlet=press-tv&page=2"
    second = client.get(html.unescape(link)).text
    assert len(_items(second)) == total - PAGE_SIZE
    assert 'rel="prev" href="/ui/claims?outlet=press-tv"' in second
    assert '<option value="press-tv" selected>' in second  # the form shows the filter


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"status": "agree"}, "unknown status"),
        ({"date_from": "yesterday"}, "YYYY-MM-DD"),
        ({"outlet": "<script>alert(1)</script>"}, "slug"),
        ({"page": "0"}, "page"),
        ({"q": "x" * 500}, "longer than"),
    ],
)
def test_web_claims_bad_filters_are_400_pages_with_a_message(
    site: Any, params: dict[str, str], words: str
) -> None:
    client, _, _ = site
    response = client.get("/ui/claims", params=params)
    assert response.status_code == 400
    assert words in response.text
    assert "<script>alert" not in response.text


def test_web_claims_hostile_text_is_escaped(site: Any) -> None:
    client, ids, _ = site
    found = client.get("/ui/claims", params={"q": "<SCRIPT>"}).text
    assert "<script>alert" not in found
    assert "&lt;script&gt;alert" in found
    assert "<b>Evil</b>" not in found
    assert "&lt;b&gt;Evil&lt;/b&gt; Wire" in found
    claim = re.search(r'class="claim-link" href="([^"]+)"', found).group(1)
    assert claim.startswith(f"/ui/claims/{ids[2]}/")
    page = client.get(claim).text
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert" in page


def test_web_claims_a_statement_page_lists_its_numbers_with_their_badges(site: Any) -> None:
    client, ids, _ = site
    found = client.get("/ui/claims", params={"q": "118 attacks", "outlet": "press-tv"}).text
    statement = re.search(r'class="claim-link" href="(/ui/claims/\w+/statement/\d+)"', found)
    assert statement is not None, "Press TV reports the 118 attacks in a statement"
    page = client.get(statement.group(1)).text
    parts = page.split('id="parts"', 1)[1].split("</section>", 1)[0]
    assert re.search(rf'href="/ui/claims/{ids[0]}/quantity/\d+">over 118 attacks</a>', parts)
    assert "badge badge-comparison status-related" in parts  # against eurasia.ro's 150
    assert f'href="/ui/claims/{ids[1]}/quantity/' in parts
