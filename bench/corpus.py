"""Generate a benchmark corpus by varying the seed articles: other numbers, speakers and dates.

The texts keep the seeds' structure (quotes, attributions, hedged numbers), so the extractor
does the same kind of work it does on real news; every text differs, so every document is new.

With `news_cycle=True` (`--news-cycle`; the growth benchmark uses it) the articles also vary
what they count and who they are about, the way a stream of real news does: the counted things
("2,500 American troops", "118 attacks", "26,000 Palestinians"), the places, the groups whose
defeat is dated, the years and the speakers change, and each topic lives for a while and then
gives way to others, as stories do. Publication dates run forward with the article index. So a
counted key ("france-marine") is shared by a bounded number of articles (about `CYCLE_STRIDE`
per use of the key) however large the corpus grows, instead of every article counting the
same dozen things: claim comparison then meets the few related claims real use would give it.

    .venv/bin/python -m bench.corpus --documents 300 -o bench/out/corpus.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEAKERS = [
    "Lloyd Austin", "Joe Biden", "Antony Blinken", "John Kirby", "Mohammed Shia al-Sudani",
    "Fuad Hussein", "Matthew Miller", "Pat Ryder", "Sabrina Singh", "Jake Sullivan",
]
OUTLETS = ["Reuters", "Politico", "Associated Press", "Al Jazeera", "BBC News", "The Guardian"]
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})*(?![\w.])")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")

# --- news cycle vocabulary: every adjective is in the extractor's demonyms.json, so the
# counted key is "<nation>-<noun>"; every place is a place of ontology/actors.ttl.
NATIONS = [
    "American", "British", "French", "German", "Turkish", "Iranian", "Russian", "Italian",
    "Canadian", "Australian", "Dutch", "Polish", "Spanish", "Japanese", "Korean", "Jordanian",
    "Egyptian", "Qatari", "Emirati", "Kurdish", "Lebanese", "Saudi", "Pakistani", "Ukrainian",
]
FORCES = [
    "troops", "soldiers", "marines", "advisers", "contractors", "trainers", "commandos",
    "pilots", "engineers", "medics", "paratroopers", "instructors",
]
ATTACKS = ["attacks", "strikes", "raids", "ambushes", "assaults", "bombings"]
SITES = ["bases", "outposts", "camps", "airfields", "depots", "compounds", "garrisons"]
PEOPLE = ["civilians", "residents", "villagers", "refugees", "workers", "farmers", "students"]
OFFICIALS = ["officials", "diplomats", "lawmakers", "aides", "sources", "commanders"]
REGIONS = ["countries", "provinces", "regions", "territories", "districts", "cities"]
PLACES = ["Iraq", "Syria", "Israel", "Baghdad"]
GROUP_TOWNS = [
    "Basra", "Mosul", "Kirkuk", "Anbar", "Sinjar", "Homs", "Aleppo", "Idlib", "Raqqa", "Tikrit",
    "Fallujah", "Najaf", "Karbala", "Diyala", "Hama", "Daraa",
]
GROUP_KINDS = [
    "Liberation Front", "Revolutionary Brigades", "Resistance Movement", "Islamic Front",
    "Revolutionary Council", "Resistance Units",
]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]
FIRST_NAMES = [
    "Maria", "Ahmed", "Laura", "Hassan", "Peter", "Fatima", "David", "Leila", "Thomas", "Sara",
    "Omar", "Anna", "Michael", "Nadia", "Karim", "Julia", "Daniel", "Rana", "Samuel", "Hiba",
]
LAST_NAMES = [
    "Lopez", "Haddad", "Schneider", "Rahimi", "Novak", "Karimi", "Walsh", "Mansour", "Becker",
    "Jaber", "Fischer", "Kazemi", "Moreau", "Khalil", "Brennan", "Saleh", "Lindqvist", "Nasser",
]
# A topic is picked from a window that moves on by one every CYCLE_STRIDE articles.
CYCLE_STRIDE = 12
CYCLE_WINDOW = 6
_FIRST_DAY = dt.date(2015, 1, 1)
_DAYS_PER_ARTICLE = 0.5


def _vary_numbers(text: str, rng: random.Random) -> str:
    def replace(match: re.Match[str]) -> str:
        if _YEAR.fullmatch(match.group()):
            return match.group()
        value = int(match.group().replace(",", ""))
        new = max(1, int(value * rng.uniform(0.5, 1.5)))
        return f"{new:,}" if "," in match.group() or new >= 1000 else str(new)

    return _NUMBER.sub(replace, text)


def _vary_names(text: str, rng: random.Random, pick_speaker: Callable[[], str] | None = None
                ) -> str:
    speaker = pick_speaker or (lambda: rng.choice(SPEAKERS))
    for name in ("Lloyd Austin", "Joe Biden", "Mohammad Shi'a al-Sudani"):
        text = text.replace(name, speaker())
    for outlet in ("Politico", "Reuters"):
        text = text.replace(outlet, rng.choice(OUTLETS))
    return text


class _Cycle:
    """Topics for article `index`: each family's combinations in a fixed shuffled order, of
    which the article picks one from a window that moves with its index."""

    def __init__(self, seed: int) -> None:
        order = random.Random(seed * 7919 + 1)
        self.families: dict[str, list[tuple[str, ...]]] = {}
        for name, words in (
            ("force", FORCES), ("attack", ATTACKS), ("site", SITES), ("people", PEOPLE),
            ("official", OFFICIALS), ("region", REGIONS),
        ):
            combos = [(nation, word) for nation in NATIONS for word in words]
            order.shuffle(combos)
            self.families[name] = combos
        groups = [(f"the {town} {kind}",) for town in GROUP_TOWNS for kind in GROUP_KINDS]
        order.shuffle(groups)
        self.families["group"] = groups

    def pick(self, family: str, index: int, rng: random.Random) -> tuple[str, ...]:
        combos = self.families[family]
        return combos[(index // CYCLE_STRIDE + rng.randrange(CYCLE_WINDOW)) % len(combos)]


def _speaker_picker(rng: random.Random) -> Callable[[], str]:
    def pick() -> str:
        if rng.random() < 0.3:
            return rng.choice(SPEAKERS)
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    return pick


def _news_cycle(text: str, index: int, cycle: _Cycle, rng: random.Random) -> str:
    """The seed's counted things, places, groups, years and days, as article `index` has them."""

    def two(family: str) -> str:
        return " ".join(cycle.pick(family, index, rng))

    force = two("force")  # the same troops throughout one article
    place_a, place_b = rng.sample(PLACES, 2)
    group = cycle.pick("group", index, rng)[0]
    year = str(rng.randrange(2001, 2024))
    month = rng.choice(MONTHS)
    seed_000: list[tuple[str, str]] = [
        (r"two US military occupation bases", f"two {two('site').replace(' ', ' military ')}"),
        (
            r"roughly (\S+) American troops in Iraq and some (\S+) in Syria",
            rf"roughly \1 {force} in {place_a} and some \2 in {place_b}",
        ),
        (
            r"over (\S+) attacks against American troops in Iraq and Syria have been reported "
            r"since mid-October",
            rf"over \1 {two('attack')} against {force} in {place_a} and {place_b} have been "
            rf"reported since mid-{month}",
        ),
        (r"More than (\S+) Palestinians", rf"More than \1 {two('people')}"),
        (r"upwards of (\S+) others", rf"upwards of \1 {two('people')}"),
        (r"against Daesh", f"against {group}"),
        (r"defeated the Takfiri terrorist group in late 2017", f"defeated {group} in late {year}"),
        (r"in August 2023", f"in {month} {rng.randrange(2001, 2024)}"),
    ]
    seed_002: list[tuple[str, str]] = [
        (
            r"The US has roughly (\S+) troops in Iraq and (\S+) in Syria\.",
            rf"The US has roughly \1 {force} in {place_a} and \2 in {place_b}.",
        ),
        (r"fight ISIS", f"fight {group}"),
        (
            r"the notorious extremist group was defeated in 2019",
            f"{group} was defeated in {year}",
        ),
        (r"American forces from two countries", f"American forces from two {two('region')}"),
        (r"according to five US officials", f"according to five {two('official')}"),
        (
            r"roughly (\S+) attacks against US forces in Iraq and Syria since \S+ October",
            rf"roughly \1 {two('attack')} against {force} in {place_a} and {place_b} since "
            rf"{rng.randrange(1, 29)} {month}",
        ),
    ]
    for swaps in (seed_000, seed_002):
        if not re.search(swaps[0][0], text):
            continue
        for pattern, replacement in swaps:  # every phrase of the seed, exactly once
            text, found = re.subn(pattern, replacement, text)
            if found != 1:
                raise ValueError(f"the seed no longer reads {pattern!r} once ({found} times)")
    return text


def generate(count: int, seed: int = 7, *, news_cycle: bool = False) -> list[dict]:
    """`count` articles from the seeds; `news_cycle` also varies topics (module docstring)."""
    rng = random.Random(seed)
    seeds = [json.loads(p.read_text("utf-8")) for p in sorted((ROOT / "seeds").glob("*.json"))]
    cycle = _Cycle(seed) if news_cycle else None
    pick_speaker = _speaker_picker(rng) if news_cycle else None
    documents = []
    for index in range(count):
        base = seeds[index % len(seeds)]
        text = _vary_numbers(base["text"], rng)
        if cycle is not None:
            text = _news_cycle(text, index, cycle, rng)
        text = _vary_names(text, rng, pick_speaker)
        if cycle is not None:  # a timeline: later articles are published later
            days = int(index * _DAYS_PER_ARTICLE) + rng.randrange(0, 3)
            date = _FIRST_DAY + dt.timedelta(days=days)
        else:
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
    parser.add_argument("--news-cycle", action="store_true", help="Also vary the topics.")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "bench/out/corpus.jsonl")
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as sink:
        for document in generate(args.documents, args.seed, news_cycle=args.news_cycle):
            sink.write(json.dumps(document, ensure_ascii=False) + "\n")
    print(f"wrote {args.documents} documents to {args.output}")


if __name__ == "__main__":
    main()
