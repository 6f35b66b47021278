"""service.web.links: what the pages may turn into a link."""

from __future__ import annotations

import pytest

from service.web.links import web_url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/",
        "http:alert(1)",
        "",
    ],
)
def test_web_links_only_http_urls_become_links(url: str) -> None:
    assert web_url(url) is None


def test_web_links_http_and_https_urls_stay_as_they_are() -> None:
    assert web_url("https://www.presstv.ir/Detail/2024/01/27/1") == (
        "https://www.presstv.ir/Detail/2024/01/27/1"
    )
    assert web_url(" HTTP://example.org/a ") == "HTTP://example.org/a"
    assert web_url(None) is None
