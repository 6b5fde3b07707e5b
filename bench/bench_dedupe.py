"""Story grouping of a large backlog, its growth, and one more night on top of it.

    python bench/bench_dedupe.py [--articles 100000] [--days 30] [--sample 5000]

Articles are generated from a word-bigram model of the demo corpus (so that
different stories share common phrases, as news does); a third of them are
reprints of an earlier article of the last three days with the edits outlets
make (trimmed lead, swapped paragraphs, cut tail, footer). The grouping runs in
a child process so that its peak memory is its own. Printed: wall time, peak
memory, how well the stories were recovered, the all-pairs comparison on a
sample and its extrapolation, and the time to add one more night.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path

from clipper import store
from clipper.config import Settings
from clipper.dedupe import content_hash, same_story, shingle_hashes
from clipper.dedupe_eval import EDITS
from clipper.demo.server import load_corpus
from clipper.stages import run_dedupe

START = datetime(2026, 10, 1, tzinfo=UTC)
REPRINT_SHARE = 0.35
REPRINT_EDITS = ("trim_lead", "swap", "cut_tail", "boilerplate", "attribution")


class Writer:
    """Paragraphs from a word-bigram model of the demo corpus."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.followers: dict[str, list[str]] = defaultdict(list)
        for article in load_corpus().articles:
            words = article["body"].split()
            for left, right in zip(words, words[1:], strict=False):
                self.followers[left].append(right)
        self.starts = [w for w in self.followers if w[:1].isupper()]

    def paragraph(self, words: int) -> str:
        word = self.random.choice(self.starts)
        out = [word]
        for _ in range(words - 1):
            word = self.random.choice(self.followers.get(word) or self.starts)
            out.append(word)
        return " ".join(out)

    def body(self) -> str:
        return "\n\n".join(self.paragraph(self.random.randint(40, 90))
                           for _ in range(self.random.randint(3, 6)))


def generate(count: int, days: int, seed: int = 1):
    """Rows for the articles table, in publication order, with each one's true story."""
    writer, rng = Writer(seed), random.Random(seed)
    step = timedelta(days=days) / count
    rows, truth = [], []
    for number in range(1, count + 1):
        published = START + step * number
        recent = [i for i in range(max(0, len(rows) - 600), len(rows))]
        if recent and rng.random() < REPRINT_SHARE:
            original = rng.choice(recent)
            paragraphs = rows[original]["text"].split("\n\n")
            for edit in rng.sample(REPRINT_EDITS, rng.randint(1, 3)):
                paragraphs = EDITS[edit](paragraphs)
            text, story = "\n\n".join(paragraphs), truth[original]
        else:
            text, story = writer.body(), number
        rows.append({
            "id": number, "url": f"https://outlet{number % 300}.kz/{number}",
            "canonical_url": f"https://outlet{number % 300}.kz/{number}",
            "source_id": f"outlet{number % 300}", "title": f"Статья {number}", "text": text,
            "content_hash": content_hash(text), "published_at": store.to_iso(published),
            "extraction": "page",
        })
        truth.append(story)
    return rows, truth


def group(db_path: str) -> None:
    """Child process: group everything pending and report time and peak memory."""
    db = store.open_db(db_path)
    started = time.perf_counter()
    counts = run_dedupe(db, Settings(path=db_path, organization="bench"), 0, datetime.now(UTC))
    wall = time.perf_counter() - started
    peak = peak_memory_mb()
    print(f"{wall:.1f} {peak:.0f} {counts['new_stories']} {counts['joined_stories']}")


def peak_memory_mb() -> float:
    """This process's own peak resident memory. (getrusage's maxrss would count the
    parent's memory too: a forked child keeps it across exec.)"""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


class TreeMemory:
    """The peak of this process's (or `root`'s) and all its descendants' resident memory
    summed, sampled every `every` seconds while the block runs (workers included)."""

    def __init__(self, every: float = 0.1, root: int | None = None):
        self.every, self.peak_mb, self._done = every, 0.0, threading.Event()
        self.root = root or os.getpid()
        self.peak_pss_mb = 0.0  # the same with each shared page counted once, in shares
        self._cpu: dict[int, float] = {}  # each process's CPU seconds when last seen

    def __enter__(self):
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._done.wait(self.every):
            tree = _tree(self.root)
            self.peak_mb = max(self.peak_mb, sum(_rss_mb(pid) for pid in tree))
            self.peak_pss_mb = max(self.peak_pss_mb, sum(_pss_mb(pid) for pid in tree))
            for pid in tree:
                self._cpu[pid] = _cpu_seconds(pid) or self._cpu.get(pid, 0.0)

    @property
    def cpu_seconds(self) -> float:
        """The CPU time of every process of the tree while the block ran, as last seen
        (a worker's last tenth of a second before it ended is missed)."""
        return sum(self._cpu.values())


def _tree(root: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1]
                                               .split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [root], [root]
    while todo:
        parent = todo.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        todo += children
    return found


def _cpu_seconds(pid: int) -> float:
    """User and system time of a process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        return int(status.split("VmRSS:")[1].split()[0]) / 1024
    except (OSError, IndexError):
        return 0.0


def _pss_mb(pid: int) -> float:
    """Proportional set size: a page shared by n processes counts 1/n in each."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        return int(rollup.split("\nPss:")[1].split()[0]) / 1024
    except (OSError, IndexError):
        return 0.0


def timed_child(db_path: Path) -> tuple[float, float, int, int]:
    out = subprocess.run([sys.executable, __file__, "--group", str(db_path)], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]), int(out[3])


def pair_scores(db, truth: list[int]) -> tuple[float, float]:
    """Pairwise precision and recall of the found stories against the true ones."""
    found = {row["id"]: row["story_id"] for row in db.query("select id, story_id from articles")}
    by_truth, by_found = defaultdict(list), defaultdict(list)
    for number, story in enumerate(truth, 1):
        by_truth[story].append(number)
        by_found[found[number]].append(number)
    true_pairs = sum(len(m) * (len(m) - 1) // 2 for m in by_truth.values())
    found_pairs = sum(len(m) * (len(m) - 1) // 2 for m in by_found.values())
    both = sum(len(m) * (len(m) - 1) // 2 for members in by_found.values()
               for m in _split(members, truth))
    return both / max(found_pairs, 1), both / max(true_pairs, 1)


def _split(members: list[int], truth: list[int]) -> list[list[int]]:
    parts = defaultdict(list)
    for number in members:
        parts[truth[number - 1]].append(number)
    return list(parts.values())


def all_pairs_seconds(rows: list[dict], sample: int) -> float:
    hashes = [shingle_hashes(row["text"], 4) for row in rows[:sample]]
    started = time.perf_counter()
    for left, right in combinations(hashes, 2):
        same_story(left, right, 0.5)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--sample", type=int, default=5_000)
    parser.add_argument("--group", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.group:
        group(args.group)
        return 0
    night = args.articles // args.days
    rows, truth = generate(args.articles + night, args.days + 1)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        db = store.open_db(db_path)
        db["articles"].insert_all(rows[:args.articles], batch_size=2000)
        wall, peak, new, joined = timed_child(db_path)
        precision, recall = pair_scores(db, truth[:args.articles])
        print(f"grouped {args.articles:,} articles in {wall:.1f} s "
              f"({args.articles / wall:,.0f}/s), peak memory {peak:,.0f} MB")
        print(f"  {new:,} stories, {joined:,} articles joined one; pairwise precision "
              f"{precision:.3f}, recall {recall:.3f} against the generated stories")
        db["articles"].insert_all(rows[args.articles:], batch_size=2000)
        night_wall, night_peak, _, _ = timed_child(db_path)
        print(f"one more night ({night:,} articles) on top: {night_wall:.1f} s, "
              f"peak memory {night_peak:,.0f} MB")
    sample = min(args.sample, args.articles)
    brute = all_pairs_seconds(rows, sample)
    scale = (args.articles / sample) ** 2
    print(f"all pairs of {sample:,} articles: {brute:.1f} s; "
          f"for {args.articles:,}: about {brute * scale / 3600:.1f} h")
    return 0


if __name__ == "__main__":
    sys.exit(main())
