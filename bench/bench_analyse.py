"""The analysis of a month, and of a day, over a large history.

    python bench/bench_analyse.py [--articles 100000] [--days 120]

A real SQLite file holds `--articles` articles over `--days` days from 40
outlets, each with one to three mentions (the organization, its minister, the
peers), tones mixed, a fifth of them reprints in stories. Timed: `analyse()`
of the last month and of the last day, as the report and the digest call it.
Targets: a month over 100,000 articles under 10 s; a day's analysis and digest
against a year of history (2,000,000 articles) under 30 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench_dedupe import Writer

from clipper import render, store
from clipper.analyse import analyse
from clipper.config import load_settings
from clipper.periods import Period

ROOT = Path(__file__).resolve().parent.parent
LAST = date(2026, 11, 23)
ENTITIES = ("mki", "mki", "mki", "balaeva", "mcri", "minedu")
TONES = ("neutral", "neutral", "neutral", "negative", "positive")


def fill(db, count: int, days: int) -> None:
    writer, rng = Writer(seed=9), random.Random(9)
    sentences = [writer.paragraph(18) for _ in range(2000)]
    titles = [writer.paragraph(9) for _ in range(2000)]
    db["sources"].insert_all([{"id": f"outlet{n}", "name": f"Outlet {n}", "kind": "online",
                               "weight": 1 + n % 5, "url": f"https://o{n}.kz/rss", "lang": "ru"}
                              for n in range(40)], pk="id")
    start = datetime.combine(LAST - timedelta(days=days - 1), datetime.min.time(), UTC)
    step = timedelta(days=days) / count
    articles, mentions = [], []
    for number in range(1, count + 1):
        story = number - rng.randint(1, 50) if number > 50 and rng.random() < 0.2 else number
        articles.append({
            "id": number, "url": f"https://o.kz/{number}", "canonical_url": f"https://o.kz/{number}",
            "source_id": f"outlet{number % 40}", "title": rng.choice(titles), "text": "",
            "published_at": store.to_iso(start + step * number), "story_id": story,
            "lang": "ru", "extraction": "page"})
        for _ in range(rng.randint(1, 3)):
            mentions.append({
                "article_id": number, "entity": rng.choice(ENTITIES), "text": "Министерство",
                "start": 0, "end": 12, "sentence": rng.choice(sentences), "sentence_start": 0,
                "position": rng.choice(("headline", "lead", "body")), "lang": "ru",
                "tone": rng.choice(TONES), "tone_score": 0.8, "tone_cues": json.dumps(["cue"]),
                "tone_source": "model"})
    db["articles"].insert_all(articles, batch_size=5000)
    db["mentions"].insert_all(mentions, batch_size=5000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=120)
    args = parser.parse_args()
    settings = load_settings(ROOT / "sources.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "bench.db")
        fill(db, args.articles, args.days)
        settings = settings.replace(
            digest=dataclasses.replace(settings.digest, output_dir=tmp))
        for kind, target in (("month", 10), ("day", 30)):
            started = time.perf_counter()
            analysis = analyse(db, settings, Period.of(kind, LAST))
            wall = time.perf_counter() - started
            print(f"analyse {kind} over {args.articles:,} articles: {wall:.1f} s "
                  f"({analysis['figures']['articles']:,} articles in the {kind}; "
                  f"target < {target} s)")
        started = time.perf_counter()
        render.write_digest(analysis, settings, "digest-bench")
        print(f"the day's digest (HTML and PDF): {time.perf_counter() - started:.1f} s more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
