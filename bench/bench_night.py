"""A whole night end to end against its floor.

    python bench/bench_night.py [--feeds 300] [--items 20] [--latency 0.1]

N feeds × M items on their own loopback hosts with added latency; the pages
are news-shaped HTML of bigram-model text from the demo corpus (so they carry
mentions of the ministry), a fifth of them reprints of another outlet's item.
The night is `pipeline.run` with every stage and the digest. Floors: fetch —
the latency-bound minimum at the configured concurrency (bench_fetch); extract
— trafilatura alone over the same pages on one core (bench_extract), divided by
the cores. The fetch waits on the network while the extraction works beside it,
so the night's floor is the larger of the two, not their sum. Printed: each
stage's wall time, the peak memory of the process and of its whole tree
(workers included), and the night against the floor. Targets: typical night
(300 × 20) ≤ 1.2×, heavy (1,000 × 30) ≤ 1.25×; memory of the tree ≤ 800 MB and
≤ 1.2 GB.
`--mentioning 0.05` keeps the entities' names in one article in twenty, as in a
real night (the generated text names the ministry in about six in ten).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path

from bench_dedupe import TreeMemory, peak_memory_mb
from bench_extract import TEMPLATE
from bench_fetch import LatencyHandler, bench_settings, floor_seconds

from clipper import extract, pipeline, store
from clipper.config import FetchSettings

DAY = date(2026, 11, 23)
REPRINTS = 0.2


class Night:
    """The pages and feeds of every host, made once before the clock starts."""

    def __init__(self, feeds: int, items: int, seed: int = 11,
                 mentioning: float | None = None):
        from bench_dedupe import Writer

        writer, rng = Writer(seed), random.Random(seed)
        self.items, self.pages = items, {}
        bodies = []
        unmentioned = _Unmentioned() if mentioning is not None else None
        for n in range(feeds * items):
            if bodies and rng.random() < REPRINTS:
                body = rng.choice(bodies[-200:])
            else:
                body = writer.body()
                if unmentioned and rng.random() >= mentioning:
                    body = unmentioned(body)
                bodies.append(body)
            paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            self.pages[n] = TEMPLATE.format(title=writer.paragraph(9), minute=n % 60,
                                            paragraphs=paragraphs, related="").encode()

    def page(self, host: str, number: int) -> bytes:
        return self.pages[(self.host_index(host) * self.items + number) % len(self.pages)]

    @staticmethod
    def host_index(host: str) -> int:
        third, fourth = host.split(":")[0].split(".")[2:]
        return int(third) * 250 + int(fourth) - 1


class _Unmentioned:
    """A body without the paragraphs that name a configured entity: most of a night's
    news is about something else (the generated text names the ministry in most)."""

    def __init__(self):
        from clipper.config import load_settings
        from clipper.detect import Detector

        root = Path(__file__).resolve().parent.parent
        self.detector = Detector(load_settings(root / "sources.yaml").entities)

    def __call__(self, body: str) -> str:
        kept = [p for p in body.split("\n\n") if not self.detector.find_in_article("", p)]
        return "\n\n".join(kept) or "Погода в Астане: снег, ветер до 15 м/с."


class Handler(LatencyHandler):
    """bench_fetch's latency server, with the night's news pages."""

    night: Night

    def _page(self, host: str, path: str) -> bytes:
        return self.night.page(host, int(path[3:-5]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--mentioning", type=float, metavar="SHARE",
                        help="share of the articles that name a configured entity (the "
                             "generated text names one in about 60 %%; real nights, ~5 %%)")
    args = parser.parse_args()
    Handler.night = Night(args.feeds, args.items, mentioning=args.mentioning)
    Handler.latency = args.latency
    Handler.items = args.items
    server = ThreadingHTTPServer(("0.0.0.0", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetch_settings = FetchSettings(allow_private=True, retries=0)
    fetch_floor = floor_seconds(args.items + 2, args.feeds, args.latency, fetch_settings)
    started = time.perf_counter()
    for number, html in Handler.night.pages.items():
        extract.extract_page(html.decode(), f"https://outlet.kz/a/{number}.html")
    extract_floor = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(args.feeds, server.server_address[1], fetch_settings)
        settings = settings.replace(digest=dataclasses.replace(settings.digest, output_dir=tmp))
        db = store.open_db(Path(tmp) / "night.db")
        started = time.perf_counter()
        with TreeMemory() as tree:
            result = pipeline.run(db, settings, DAY, now=datetime(2026, 11, 23, 23, tzinfo=UTC))
        wall = time.perf_counter() - started
    server.shutdown()
    cores = os.cpu_count() or 1
    floor = max(fetch_floor, extract_floor / cores)
    print(f"{args.feeds} feeds × {args.items} items, {args.latency * 1000:.0f} ms latency: "
          f"{result.counts['fetch']['pages_ok']:,} pages")
    for stage, seconds in result.timings.items():
        print(f"  {stage:<8} {seconds:7.1f} s  {result.counts.get(stage, '')}")
    print(f"floor: the larger of fetch {fetch_floor:.1f} s and extract {extract_floor:.1f} s "
          f"on one core / {cores} cores = {floor:.1f} s")
    print(f"night {wall:.1f} s = {wall / floor:.2f}× the floor "
          f"({wall / (fetch_floor + extract_floor):.2f}× the sum of the floors); peak memory "
          f"{peak_memory_mb():,.0f} MB in this process, {tree.peak_mb:,.0f} MB the whole tree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
