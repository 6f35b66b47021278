"""Quotation marks: pairs, apostrophes, straight quotes and unbalanced marks."""

from __future__ import annotations

from service.pipeline.extract.quotes import find_quotes, quote_type


def test_quotes_apostrophe_after_word_is_no_quote() -> None:
    text = "“the blessings of the martyrs' blood and Iraq’s future,” it said."
    (quote,) = find_quotes(text)
    assert text[quote.start:quote.end] == "“the blessings of the martyrs' blood and Iraq’s future,”"


def test_quotes_straight_quotes_pair_up() -> None:
    text = 'He confirmed meetings "in the coming days" and a "transition".'
    assert [text[q.start:q.end] for q in find_quotes(text)] == ['"in the coming days"',
                                                                 '"transition"']


def test_quotes_unbalanced_quote_runs_to_paragraph_end() -> None:
    text = "She said “this will never happen\nNext paragraph."
    (quote,) = find_quotes(text)
    assert not quote.balanced
    assert quote.end == text.index("\n")


def test_quotes_statement_types() -> None:
    text = "“All of it,” and part “of it” here"
    quotes = find_quotes(text)
    assert quote_type(0, 12, quotes) == "direct"
    assert quote_type(17, 34, quotes) == "mixed"
    assert quote_type(13, 20, quotes) == "indirect"
