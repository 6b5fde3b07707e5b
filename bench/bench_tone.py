"""Tone of 10,000 mentions, as the nightly stage judges them on every core.

    python bench/bench_tone.py [--mentions 10000] [--distinct]

Mentions are found by the detector in text generated with the demo corpus's
word-bigram model (bench_dedupe.Writer), so they are the ministry, its minister
and its peers in Russian, Kazakh and English sentences, as a night gives them.
Each goes through the whole model: the encoder with its tuned top layers, the
head, and occlusion for the cues of each toned mention. Generated text repeats
sentences more than news does; `--distinct` keeps one mention a sentence, the
worst case. Targets: 15 ms a mention on 2 cores, 10,000 in 150 s, a worker's
peak memory under 600 MB.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from bench_dedupe import Writer

from clipper import stages, workers
from clipper.config import load_settings
from clipper.detect import Detector

ROOT = Path(__file__).resolve().parent.parent


def mentions(count: int, distinct: bool) -> list[tuple]:
    entities = load_settings(ROOT / "sources.yaml").entities
    detector, writer, found, seen = Detector(entities), Writer(seed=5), [], set()
    while len(found) < count:
        for m in detector.find_in_article(writer.paragraph(12), writer.body()):
            if distinct and m.sentence in seen:
                continue
            seen.add(m.sentence)
            found.append((len(found), m.sentence, m.start - m.sentence_start,
                          m.end - m.sentence_start, m.lang))
    return found[:count]


def peak_mb(pid: int) -> float:
    """A worker's peak resident memory (the workers are the fork server's children, so
    getrusage here does not see them)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=10_000)
    parser.add_argument("--distinct", action="store_true",
                        help="one mention a sentence: no repeated sentence to judge once")
    args = parser.parse_args()
    items = mentions(args.mentions, args.distinct)
    print("languages:", dict(Counter(item[4] for item in items)),
          f"distinct sentences: {len({item[1] for item in items}):,}")
    started = time.perf_counter()
    labels: Counter = Counter()
    with workers.pool(0, stages._set_up_tone, (None,), stages.TONE_CHUNKS_IN_PROCESS) as pool:
        for _, results in pool.map_chunks(stages._tone_job, items, stages.TONE_CHUNK,
                                          stages.TONE_BATCH):
            labels.update(r.label for r in results)
        took = time.perf_counter() - started
        worker_peak = max(peak_mb(pid) for pid in pool._executor._processes)
    print(f"{len(items):,} mentions: {took:.1f} s on {workers.worker_count(0)} cores, "
          f"{took / len(items) * 1000:.1f} ms a mention, models loaded in each worker "
          f"(targets 150 s, 15 ms); worker peak {worker_peak:.0f} MB (target 600 MB); "
          f"labels {dict(labels)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
