"""Generate a benchmark corpus by varying the seed articles: other numbers, speakers and dates.

The texts keep the seeds' structure (quotes, attributions, hedged numbers), so the extractor
does the same kind of work it does on real news; every text differs, so every document is new.

    .venv/bin/python -m bench.corpus --documents 300 -o bench/out/corpus.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEAKERS = [
    "Lloyd Austin", "Joe Biden", "Antony Blinken", "John Kirby", "Mohammed Shia al-Sudani",
    "Fuad Hussein", "Matthew Miller", "Pat Ryder", "Sabrina Singh", "Jake Sullivan",
]
OUTLETS = ["Reuters", "Politico", "Associated Press", "Al Jazeera", "BBC News", "The Guardian"]
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})*(?![\w.])")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def _vary_numbers(text: str, rng: random.Random) -> str:
    def replace(match: re.Match[str]) -> str:
        if _YEAR.fullmatch(match.group()):
            return match.group()
        value = int(match.group().replace(",", ""))
        new = max(1, int(value * rng.uniform(0.5, 1.5)))
        return f"{new:,}" if "," in match.group() or new >= 1000 else str(new)

    return _NUMBER.sub(replace, text)


def _vary_names(text: str, rng: random.Random) -> str:
    for name in ("Lloyd Austin", "Joe Biden", "Mohammad Shi'a al-Sudani"):
        text = text.replace(name, rng.choice(SPEAKERS))
    for outlet in ("Politico", "Reuters"):
        text = text.replace(outlet, rng.choice(OUTLETS))
    return text


def generate(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    seeds = [json.loads(p.read_text("utf-8")) for p in sorted((ROOT / "seeds").glob("*.json"))]
    documents = []
    for index in range(count):
        base = seeds[index % len(seeds)]
        text = _vary_names(_vary_numbers(base["text"], rng), rng)
        date = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))
        documents.append(
            {
                "text": text,
                "title": base.get("title"),
                "publisher": rng.choice(OUTLETS),
                "url": f"https://example.org/bench/{index}",
                "date_published": date.isoformat(),
                "language": "en",
            }
        )
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "bench/out/corpus.jsonl")
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as sink:
        for document in generate(args.documents, args.seed):
            sink.write(json.dumps(document, ensure_ascii=False) + "\n")
    print(f"wrote {args.documents} documents to {args.output}")


if __name__ == "__main__":
    main()
