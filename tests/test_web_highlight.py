"""The text highlighter: nested and overlapping spans become well-formed, escaped HTML."""

from __future__ import annotations

from html.parser import HTMLParser

from service.web.highlight import Highlight, render_text


class _Balance(HTMLParser):
    """Checks that every element opened is closed in order; collects text and ids."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        self.ids += [value for name, value in attrs if name == "id" and value]

    def handle_endtag(self, tag: str) -> None:
        assert self.stack.pop() == tag

    def handle_data(self, data: str) -> None:
        self.text += data


def _parse(html: str) -> _Balance:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    assert parser.stack == []
    return parser


def test_web_highlight_quantity_inside_statement_nests() -> None:
    text = "He said roughly 2,500 troops stay."
    spans = [
        Highlight(8, 33, "statement", "statement-0", anchor="statement-0"),
        Highlight(8, 21, "quantity", "quantity-0", anchor="quantity-0"),
    ]
    html = render_text(text, spans)
    parsed = _parse(html)
    assert parsed.text == text
    assert parsed.ids == ["statement-0", "quantity-0"]
    assert html.index('id="statement-0"') < html.index('id="quantity-0"')


def test_web_highlight_overlapping_spans_are_cut_into_segments() -> None:
    text = "abcdefghij"
    spans = [
        Highlight(0, 6, "statement", "statement-0", anchor="statement-0"),
        Highlight(4, 9, "date", "date-0", anchor="date-0"),
    ]
    parsed = _parse(render_text(text, spans))
    assert parsed.text == text
    assert sorted(parsed.ids) == ["date-0", "statement-0"]  # each id once


def test_web_highlight_escapes_the_text_and_drops_spans_outside_it() -> None:
    text = "<script>alert(1)</script> & more"
    html = render_text(text, [Highlight(0, 8, "actor", "actor-x"), Highlight(5, 99, "date", "d")])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert _parse(html).text == text
    assert 'data-ref="d"' not in html
