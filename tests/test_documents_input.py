"""Documents as users send them: what is accepted, and the words used for what is not."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from service.api.errors import status_of
from service.pipeline.documents import (
    Document,
    DocumentError,
    EncodingError,
    TextTooLargeError,
    document_from_json,
    find_boilerplate,
    read_documents,
)

LIMIT = 1_000_000
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_documents_same_text_gives_same_iri_whatever_the_metadata() -> None:
    first = document_from_json(
        json.dumps({"text": "Officials said so.", "title": "A"}), max_text_bytes=LIMIT
    )
    second = document_from_json(
        json.dumps({"text": "Officials said so.", "title": "B"}), max_text_bytes=LIMIT
    )
    assert first.doc_id == second.doc_id
    assert len(first.doc_id) == 16
    assert first.content_hash.startswith(first.doc_id)


def test_documents_metadata_is_read_and_unknown_keys_are_ignored() -> None:
    raw = json.dumps(
        {
            "text": "The minister said prices rose.",
            "title": "Prices",
            "publisher": "Example News",
            "url": "https://example.org/a",
            "date_published": "2024-01-31",
            "language": "en",
            "tags": ["ignored"],
        }
    ).encode()
    document = document_from_json(raw, max_text_bytes=LIMIT)
    assert document.publisher == "Example News"
    assert document.date_published == dt.date(2024, 1, 31)
    assert document.publication_date == dt.date(2024, 1, 31)


def test_documents_date_time_is_accepted_and_gives_its_date() -> None:
    raw = json.dumps({"text": "x said y.", "date_published": "2024-01-31T10:00:00Z"})
    document = document_from_json(raw, max_text_bytes=LIMIT)
    assert isinstance(document.date_published, dt.datetime)
    assert document.publication_date == dt.date(2024, 1, 31)


@pytest.mark.parametrize(
    ("raw", "status", "words"),
    [
        (b'{"text": ""}', 422, "empty"),
        (b'{"text": "   \\n "}', 422, "empty"),
        (b'{"title": "no text"}', 422, "no 'text'"),
        (b'{"text": 42}', 422, "must be a string"),
        (b'["text"]', 422, "JSON object"),
        (b'{"text": "a", ', 422, "not valid JSON"),
        (b'{"text": "caf\xe9"}', 400, "not UTF-8"),
        (b'{"text": "ok", "date_published": "31/01/2024"}', 422, "ISO date"),
        (b'{"text": "ok", "url": "javascript:alert(1)"}', 422, "http(s)"),
        (b'{"text": "ok", "language": "english please"}', 422, "language tag"),
    ],
)
def test_documents_bad_input_is_refused_with_a_reason(raw: bytes, status: int, words: str) -> None:
    """Bytes that are not text (EncodingError: 400 over HTTP), else a DocumentError (422)."""
    with pytest.raises(DocumentError) as caught:
        document_from_json(raw, max_text_bytes=LIMIT)
    assert isinstance(caught.value, EncodingError) == (status == 400)
    assert status_of(caught.value) == status
    assert words in caught.value.message


def test_documents_text_over_the_limit_is_413() -> None:
    raw = json.dumps({"text": "é" * 600})  # 1200 bytes in UTF-8
    with pytest.raises(TextTooLargeError) as caught:
        document_from_json(raw, max_text_bytes=1000)
    assert status_of(caught.value) == 413
    assert "1200 bytes" in caught.value.message


def test_documents_read_from_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"text": "A said B."}), encoding="utf-8")
    (tmp_path / "many.jsonl").write_text(
        json.dumps({"text": "C said D."})
        + "\n\n"
        + "{broken\n"
        + json.dumps({"text": "E."})
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "plain.txt").write_text("F said G.", encoding="utf-8")
    items = list(read_documents([tmp_path], max_text_bytes=LIMIT, metadata={"publisher": "Wire"}))
    documents = [item for item in items if isinstance(item, Document)]
    errors = [item for item in items if isinstance(item, DocumentError)]
    assert sorted(d.text for d in documents) == ["A said B.", "C said D.", "E.", "F said G."]
    assert [d.publisher for d in documents if d.text == "F said G."] == ["Wire"]
    assert len(errors) == 1
    assert "many.jsonl:3" in str(errors[0])


def test_documents_unknown_file_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "article.docx"
    path.write_bytes(b"PK")
    (error,) = read_documents([path], max_text_bytes=LIMIT)
    assert isinstance(error, DocumentError)
    assert "unknown file type" in error.message


def test_documents_seed_files_keep_the_text_byte_for_byte() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    metadata = json.loads((shared / "metadata.json").read_text(encoding="utf-8"))
    for name, meta in metadata.items():
        seed = json.loads((SEEDS / name.replace(".txt", ".json")).read_text(encoding="utf-8"))
        assert seed["text"].encode("utf-8") == (shared / name).read_bytes()
        assert seed["publisher"] == meta["publisher"]
        assert seed["date_published"] == meta["date_published"]


def test_documents_closing_teaser_block_is_marked_as_boilerplate() -> None:
    article = "Body sentence one.\n\n" * 20 + "Related\n\nAnother story entirely\n\nIts teaser."
    ((start, end),) = find_boilerplate(article)
    assert article[start:].startswith("Related")
    assert end == len(article)


def test_documents_heading_early_in_the_text_is_not_boilerplate() -> None:
    article = "See also\n" + "The article goes on for a long time.\n" * 10
    assert find_boilerplate(article) == ()
