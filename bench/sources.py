"""News as it arrives: HTML extraction beside claim extraction, and a WARC ingest's memory.

    .venv/bin/python -m bench.sources --pages 200                 # pages per second
    .venv/bin/python -m bench.sources --warc-mb 1024 --warc-pages 200   # memory of an ingest
    .venv/bin/python -m bench.sources --warc-mb 1024 --read-only   # reading and HTML alone

Pages: the generated corpus (bench/corpus.py, the seeds varied) saved as a browser would (the
story inside a site's furniture, tests/sources_fixtures.py), then trafilatura's extraction
(`page_document`) and the extractor's (`extract_documents`, spaCy and our components) over the
same pages, each as pages per second on one core.

WARC: an archive of `--warc-mb` MB written by warcio in bench/out/: HTML pages spread among
incompressible 512 KB image records (a crawl's usual mix, by bytes), ingested by the real
`factgraph ingest` in a subprocess while its memory (the process and its workers, RSS) is
sampled; the report gives the RSS at each quarter of the ingest and the peak. Flat means the
archive's size does not reach memory.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench.corpus import generate
from service.bootstrap import build_pipeline, configured
from service.sources.html import page_document
from tests.sources_fixtures import seed_page

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
_FILLER = 512 * 1024


def pages_per_second(count: int) -> dict[str, float]:
    """HTML extraction and claim extraction over the same `count` pages."""
    from service.pipeline.extract import extract_documents

    pages = [seed_page(article) for article in generate(count)]
    start = time.perf_counter()
    documents = [page_document(page, max_text_bytes=1_000_000) for page in pages]
    html_seconds = time.perf_counter() - start
    nlp = build_pipeline(configured())
    list(extract_documents(nlp, documents[:2], batch_size=2))  # warm-up
    start = time.perf_counter()
    extractions = list(extract_documents(nlp, documents, batch_size=32))
    claims_seconds = time.perf_counter() - start
    assert len(extractions) == count
    return {
        "pages": count,
        "html_pages_per_second": round(count / html_seconds, 1),
        "claims_pages_per_second": round(count / claims_seconds, 1),
        "html_share_of_both": round(html_seconds / (html_seconds + claims_seconds), 3),
    }


def write_warc(path: Path, megabytes: int, pages: int) -> int:
    """An archive of about `megabytes` MB with `pages` HTML responses spread through it."""
    fillers = max(1, megabytes * 1024 * 1024 // _FILLER)
    every = max(1, fillers // max(1, pages))
    articles = iter(generate(pages))
    html_left = pages
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n in range(fillers):
            if html_left and n % every == 0:
                _record(writer, f"http://news.example/{n}", seed_page(next(articles)), "text/html")
                html_left -= 1
            _record(writer, f"http://news.example/{n}.jpg", os.urandom(_FILLER), "image/jpeg")
        for article in articles:
            _record(writer, "http://news.example/late", seed_page(article), "text/html")
    return path.stat().st_size


def _record(writer: WARCWriter, url: str, body: bytes, media_type: str) -> None:
    headers = StatusAndHeaders("200 OK", [("Content-Type", media_type)], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
    )


def _tree_rss(process: psutil.Process) -> tuple[int, int]:
    """RSS of the process itself and of its workers (spaCy, SHACL), in bytes."""
    own = process.memory_info().rss
    workers = 0
    for member in process.children(recursive=True):
        try:
            workers += member.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return own, workers


def warc_memory(megabytes: int, pages: int) -> dict[str, object]:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"crawl-{megabytes}mb-{pages}p.warc.gz"
    size = path.stat().st_size if path.exists() else write_warc(path, megabytes, pages)
    with tempfile.TemporaryDirectory() as store:
        command = [sys.executable, "-m", "service.cli.app", "ingest", str(path),
                   "--store", f"{store}/store"]
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        watched = psutil.Process(child.pid)
        samples: list[tuple[float, int]] = []
        split: list[tuple[int, int]] = []
        while child.poll() is None:
            try:
                own, workers = _tree_rss(watched)
                samples.append((time.perf_counter() - start, own + workers))
                split.append((own, workers))
            except psutil.NoSuchProcess:
                break
            time.sleep(0.5)
        stored = child.stdout.read().decode().count("stored ") if child.stdout else 0
        seconds = time.perf_counter() - start
    quarters = [
        max((rss for t, rss in samples if t <= seconds * q / 4), default=0) // 2**20
        for q in (1, 2, 3, 4)
    ]
    return {
        "archive_mb": round(size / 2**20),
        "html_pages": pages,
        "stored": stored,
        "seconds": round(seconds, 1),
        "archive_mb_per_second": round(size / 2**20 / seconds, 1),
        "rss_mb_by_quarter": quarters,
        "peak_rss_mb": max((rss for _, rss in samples), default=0) // 2**20,
        "cli_rss_mb_first_last": [split[0][0] // 2**20, split[-1][0] // 2**20] if split else [],
        "workers_rss_mb_first_last": [split[0][1] // 2**20, split[-1][1] // 2**20]
        if split
        else [],
    }


def warc_reading(megabytes: int, pages: int) -> dict[str, object]:
    """The archive read and its pages extracted in this process, nothing stored: the part of
    an ingest whose work grows with the archive's size."""
    from service.sources.warc import WarcPage, html_records

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"crawl-{megabytes}mb-{pages}p.warc.gz"
    size = path.stat().st_size if path.exists() else write_warc(path, megabytes, pages)
    me = psutil.Process()
    start = time.perf_counter()
    by_quarter = [0, 0, 0, 0]
    taken = 0
    for item in html_records(path, max_bytes=5_000_000):
        if isinstance(item, WarcPage):
            page_document(item.content, max_text_bytes=1_000_000, url=item.url)
            taken += 1
        quarter = min(3, item.offset * 4 // size)
        by_quarter[quarter] = max(by_quarter[quarter], me.memory_info().rss // 2**20)
    seconds = time.perf_counter() - start
    return {
        "archive_mb": round(size / 2**20),
        "html_pages": taken,
        "seconds": round(seconds, 1),
        "archive_mb_per_second": round(size / 2**20 / seconds, 1),
        "rss_mb_by_quarter": by_quarter,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=0, help="pages for the speed comparison")
    parser.add_argument("--warc-mb", type=int, default=0, help="size of the archive to ingest")
    parser.add_argument("--warc-pages", type=int, default=200, help="HTML pages in the archive")
    parser.add_argument(
        "--read-only", action="store_true", help="read and extract the archive, store nothing"
    )
    args = parser.parse_args()
    report: dict[str, object] = {}
    if args.pages:
        report["pages"] = pages_per_second(args.pages)
    if args.warc_mb:
        measure = warc_reading if args.read_only else warc_memory
        report["warc"] = measure(args.warc_mb, args.warc_pages)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
