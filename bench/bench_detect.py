"""Mention detection on one core: articles of 3,000 characters per second.

    python bench/bench_detect.py [--articles 100000] [--distinct 2000]

Articles are cut to 3,000 characters from text generated with the demo corpus's
word-bigram model (bench_dedupe.Writer), so they carry the corpus's mentions of
the ministry, its minister and its peers in Russian and Kazakh, plus an
English share. `--distinct` articles are generated and detected in turn until
`--articles` have been read: the detector keeps nothing between articles.
Target: above 500 articles per second.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench_dedupe import Writer

from clipper.config import load_settings
from clipper.detect import Detector

ROOT = Path(__file__).resolve().parent.parent
LENGTH = 3000


def articles(count: int) -> list[tuple[str, str]]:
    writer = Writer(seed=3)
    made = []
    while len(made) < count:
        text = ""
        while len(text) < LENGTH:
            text += writer.body() + "\n\n"
        made.append((writer.paragraph(12), text[:LENGTH]))
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=2_000)
    args = parser.parse_args()
    detector = Detector(load_settings(ROOT / "sources.yaml").entities)
    pool = articles(args.distinct)
    mentions = 0
    started = time.perf_counter()
    for number in range(args.articles):
        title, text = pool[number % len(pool)]
        mentions += len(detector.find_in_article(title, text))
    wall = time.perf_counter() - started
    print(f"{args.articles:,} articles of {LENGTH:,} characters in {wall:.1f} s: "
          f"{args.articles / wall:,.0f} articles/s on one core ({mentions:,} mentions; "
          f"target > 500/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
