"""Tone of 10,000 mentions: on one core, and as the nightly stage runs it on every core.

    python bench/bench_tone.py [--mentions 10000] [--russian-only]

Mentions are found by the detector in text generated with the demo corpus's
word-bigram model (bench_dedupe.Writer), so they are the ministry, its minister
and its peers in Russian, Kazakh and English sentences, as a night gives them.
Each mention goes through the whole model: parse, lemmas, word vectors, the
linear model and the lexicon. Target: under 30 s for 10,000.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import threadpoolctl
from bench_dedupe import Writer

from clipper import stages, workers
from clipper.config import load_settings
from clipper.detect import Detector
from clipper.tone import load_model
from clipper.tone.features import entity_types

ROOT = Path(__file__).resolve().parent.parent


def mentions(count: int, languages: tuple[str, ...]) -> list[tuple]:
    entities = load_settings(ROOT / "sources.yaml").entities
    kinds = entity_types(entities)
    detector, writer, found = Detector(entities), Writer(seed=5), []
    while len(found) < count:
        for m in detector.find_in_article(writer.paragraph(12), writer.body()):
            if m.lang in languages:
                found.append((len(found), m.sentence, m.start - m.sentence_start,
                              m.end - m.sentence_start, m.lang, kinds[m.entity]))
    return found[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=10_000)
    parser.add_argument("--russian-only", action="store_true",
                        help="only Russian mentions: all of them through the model (worst case)")
    args = parser.parse_args()
    items = mentions(args.mentions, ("ru",) if args.russian_only else ("ru", "kk", "en"))
    print("languages:", dict(Counter(item[4] for item in items)))
    model = load_model()
    model.classify(*items[0][1:])  # the parser and word vectors load once, before the clock
    started = time.perf_counter()
    with threadpoolctl.threadpool_limits(1):
        labels = Counter(model.classify(*item[1:]).label for item in items)
    one_core = time.perf_counter() - started
    started = time.perf_counter()
    with workers.pool(0, stages._set_up_tone, (None,)) as pool:
        done = sum(len(results) for _, results in
                   pool.map_batches(stages._tone_job, workers.batches(items, stages.TONE_BATCH)))
    every_core = time.perf_counter() - started
    print(f"{len(items):,} mentions: {one_core:.1f} s on one core, "
          f"{every_core:.1f} s on {workers.worker_count(0)} cores with the models loaded "
          f"in each worker ({done:,} done; target < 30 s); labels {dict(labels)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
