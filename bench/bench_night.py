"""A whole night end to end against its floor.

    python bench/bench_night.py [--feeds 300] [--items 20] [--latency 0.1]

N feeds × M items on their own loopback hosts with added latency; the pages
are news-shaped HTML of bigram-model text from the demo corpus (so they carry
mentions of the ministry), a fifth of them reprints of another outlet's item,
each in its outlet's frame of menus, sidebars, comments, styles and scripts to
147 KB on average, as real pages are (`--page-kb`; bench/boilerplate.py).
The night is `pipeline.run` with every stage and the digest. Floors: fetch —
the latency-bound minimum at the configured concurrency (bench_fetch); extract
— clipper's page extraction alone (trafilatura's bare extraction, plus its second
pass for a short text) over the same pages on one core, divided by the cores. It
is some 15 % faster than `trafilatura.extract(with_metadata=True)`, also timed (on
one page in ten) and printed: the floor taken is the stricter of the two. The
fetch waits on the network while the extraction works beside it, so the night's
floor is the larger of the two, not their sum. The night runs in a process of
its own, as `clipper run` does (`--in-process`: in this one, beside the server).
Printed: each stage's wall time, the peak memory of the night's process
and of its whole tree (workers included; resident, and with shared pages counted
once), and the night against the floor. Targets: typical night
(300 × 20) ≤ 1.2×, heavy (1,000 × 30) ≤ 1.25×; memory of the tree ≤ 800 MB and
≤ 1.2 GB.
`--mentioning 0.05` keeps the entities' names in one article in twenty, as in a
real night (the generated text names the ministry in about six in ten).
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import os
import queue
import random
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path

from bench_dedupe import TreeMemory, _rss_mb, peak_memory_mb
from bench_extract import TEMPLATE
from bench_fetch import LatencyHandler, bench_settings, floor_seconds
from boilerplate import Shells

from clipper import extract, pipeline, store
from clipper.config import FetchSettings

DAY = date(2026, 11, 23)
REPRINTS = 0.2
PAGE_KB = 147  # a real article page's average size, markup and scripts included


class Night:
    """The pages and feeds of every host, made once before the clock starts."""

    def __init__(self, feeds: int, items: int, seed: int = 11,
                 mentioning: float | None = None, page_kb: float = PAGE_KB):
        from bench_dedupe import Writer

        writer, rng = Writer(seed), random.Random(seed)
        self.items, self.articles = items, {}
        self.shells = Shells(writer.paragraph, page_kb) if page_kb else None
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
            self.articles[n] = (writer.paragraph(9), paragraphs)

    def __len__(self) -> int:
        return len(self.articles)

    def page_of(self, n: int) -> bytes:
        """Page `n`: its article in its outlet's frame (or the small page without one)."""
        title, paragraphs = self.articles[n]
        if self.shells is None:
            return TEMPLATE.format(title=title, minute=n % 60, paragraphs=paragraphs,
                                   related="").encode()
        return self.shells.page(n // self.items, f'<article><h1>{title}</h1><div class="meta">'
                                f'23.11.2026, 09:{n % 60:02d}</div>{paragraphs}</article>')

    def page(self, host: str, number: int) -> bytes:
        return self.page_of((self.host_index(host) * self.items + number) % len(self))

    @staticmethod
    def host_index(host: str) -> int:
        third, fourth = host.split(":")[0].split(".")[2:]
        return int(third) * 250 + int(fourth) - 1


def extraction_floor(night: Night, every: int = 1) -> tuple[float, float, float]:
    """On one core: clipper's extraction alone (`extract.extract_page`: trafilatura's
    bare extraction, a second pass favouring recall for a short text) over every
    `every`-th page, scaled to all; `trafilatura.extract(with_metadata=True)` alone
    over every tenth of those pages, scaled likewise (seconds); the mean page size."""
    import trafilatura

    seconds = reference = size = 0
    numbers = range(0, len(night), every)
    for number in numbers:
        html = night.page_of(number).decode()
        url = f"https://outlet.kz/a/{number}.html"
        size += len(html.encode())
        started = time.perf_counter()
        extract.extract_page(html, url)
        seconds += time.perf_counter() - started
        if number % (every * REFERENCE_EVERY) == 0:
            started = time.perf_counter()
            trafilatura.extract(html, url=url, with_metadata=True)
            reference += time.perf_counter() - started
    scale = len(night) / len(numbers)
    return seconds * scale, reference * scale * REFERENCE_EVERY, size / len(numbers)


REFERENCE_EVERY = 10  # trafilatura.extract is timed on one page in ten of the floor's


NOW = datetime(2026, 11, 23, 23, tzinfo=UTC)


def night_here(settings, db_path: str):
    """The night in this process (the loopback server and its pages beside it)."""
    started = time.perf_counter()
    with TreeMemory() as tree:
        result = pipeline.run(store.open_db(db_path), settings, DAY, now=NOW)
    return result, time.perf_counter() - started, peak_memory_mb(), tree


def night_apart(settings, db_path: str):
    """The night in a process of its own, as `clipper run` is, its memory measured from
    outside: the benchmark's server and pages are not counted. The wall time is the
    run's, without the process's start."""
    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    child = context.Process(target=_night, args=(settings, db_path, answers))
    child.start()
    with TreeMemory(root=child.pid) as tree:
        while True:
            try:
                result, wall, own_mb = answers.get(timeout=1)
                break
            except queue.Empty:
                if not child.is_alive():
                    raise SystemExit(f"the night's process ended with {child.exitcode}") from None
    child.join()
    return result, wall, own_mb, tree


def _night(settings, db_path: str, answers) -> None:
    started = time.perf_counter()
    result = pipeline.run(store.open_db(db_path), settings, DAY, now=NOW)
    wall = time.perf_counter() - started
    answers.put((result, wall, peak_memory_mb()))


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
    parser.add_argument("--in-process", action="store_true",
                        help="run the night in this process, beside the loopback server and "
                             "its pages (counted in the tree), rather than in a child process")
    parser.add_argument("--floor-sample", type=int, default=1, metavar="N",
                        help="time the extraction floor on one page in N, scaled to all "
                             "(the heavy night's 30,000 pages take 25 min on one core)")
    parser.add_argument("--page-kb", type=float, default=PAGE_KB, metavar="KB",
                        help="average page size: the article in its outlet's menus, sidebars, "
                             "comments, styles and scripts (0: the article alone, ~5 KB)")
    args = parser.parse_args()
    Handler.night = Night(args.feeds, args.items, mentioning=args.mentioning,
                          page_kb=args.page_kb)
    Handler.latency = args.latency
    Handler.items = args.items
    server = ThreadingHTTPServer(("0.0.0.0", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetch_settings = FetchSettings(allow_private=True, retries=0)
    fetch_floor = floor_seconds(args.items + 2, args.feeds, args.latency, fetch_settings)
    extract_floor, reference, size = extraction_floor(Handler.night, args.floor_sample)
    before_mb = _rss_mb(os.getpid())
    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(args.feeds, server.server_address[1], fetch_settings)
        settings = settings.replace(digest=dataclasses.replace(settings.digest, output_dir=tmp))
        night = night_here if args.in_process else night_apart
        result, wall, own_mb, tree = night(settings, str(Path(tmp) / "night.db"))
    server.shutdown()
    cores = os.cpu_count() or 1
    floor = max(fetch_floor, extract_floor / cores)
    print(f"{args.feeds} feeds × {args.items} items, {args.latency * 1000:.0f} ms latency: "
          f"{result.counts['fetch']['pages_ok']:,} pages of {size / 1024:.0f} KB on average; "
          f"the benchmark's own pages and server {before_mb:,.0f} MB"
          f"{', counted in the tree' if args.in_process else ''}")
    for stage, seconds in result.timings.items():
        print(f"  {stage:<8} {seconds:7.1f} s  {result.counts.get(stage, '')}")
    print(f"  CPU time of the night's processes: {tree.cpu_seconds:.1f} s "
          f"({tree.cpu_seconds / wall / (os.cpu_count() or 1):.0%} of {os.cpu_count()} cores "
          f"through the night; the extraction floor is {extract_floor:.1f} s of it)")
    sample = f", timed on 1 page in {args.floor_sample}" if args.floor_sample > 1 else ""
    print(f"floor: the larger of fetch {fetch_floor:.1f} s and extract {extract_floor:.1f} s "
          f"on one core{sample} / {cores} cores = {floor:.1f} s (trafilatura.extract with "
          f"metadata alone: {reference:.1f} s on one core, "
          f"{max(fetch_floor, reference / cores):.1f} s as the floor)")
    print(f"night {wall:.1f} s = {wall / floor:.2f}× the floor "
          f"({wall / (fetch_floor + extract_floor):.2f}× the sum of the floors); peak memory "
          f"{own_mb:,.0f} MB in the night's process, {tree.peak_mb:,.0f} MB its whole tree "
          f"(resident; {tree.peak_pss_mb:,.0f} MB with shared pages counted once)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
