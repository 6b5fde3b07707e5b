"""Extraction quality against gold text: clipper's own decoding and extraction, scored.

    python bench/bench_extract_quality.py DIRECTORY [--shingle 4] [--worst 10]

DIRECTORY holds one folder per page, each with the page as served (`source.html`)
and the article's gold text as HTML (`expected.html`, UTF-8), the layout of
mozilla/readability's `test/test-pages`. Fetch such a set yourself and keep it
outside the repository. Each page goes through what the night does to it:
`decode_body` on the raw bytes, then `extract.extraction` with no feed summary.

Printed: the mean token F1 (bags of words) and token-shingle F1 (bags of
n-word runs), how many pages gave no text, and the worst pages.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html

from clipper import extract
from clipper.decode import decode_body

_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")  # Chinese, Japanese, Korean: a sign a word
UTC = ZoneInfo("UTC")


def tokens(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFC", text).lower())


def shingles(words: list[str], size: int) -> Counter:
    if len(words) < size:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i:i + size]) for i in range(len(words) - size + 1))


def f1(found: Counter, gold: Counter) -> float:
    if not found and not gold:
        return 1.0
    overlap = sum((found & gold).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(found.values()), overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


def gold_text(path: Path) -> str:
    return lxml.html.fromstring(path.read_text(encoding="utf-8")).text_content()


def extracted_text(path: Path) -> str:
    html, _ = decode_body(path.read_bytes(), "text/html")
    article = {"url": f"https://example.org/{path.parent.name}", "title": "", "summary": "",
               "author": "", "lang": "", "published_at": "2026-01-01T00:00:00+00:00",
               "fetched_at": "2026-01-01T00:00:00+00:00", "page_status": "ok", "id": 1}
    return extract.extraction((article, html), UTC, max_chars=1_000_000)["text"] or ""


def score(folder: Path, size: int) -> tuple[float, float]:
    found, gold = tokens(extracted_text(folder / "source.html")), tokens(
        gold_text(folder / "expected.html"))
    return f1(Counter(found), Counter(gold)), f1(shingles(found, size), shingles(gold, size))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--shingle", type=int, default=4, help="words in a shingle")
    parser.add_argument("--worst", type=int, default=10, help="how many worst pages to list")
    args = parser.parse_args()
    folders = sorted(p for p in args.directory.iterdir()
                     if (p / "source.html").exists() and (p / "expected.html").exists())
    if not folders:
        print(f"{args.directory}: no folder with source.html and expected.html")
        return 2
    scores = {folder.name: score(folder, args.shingle) for folder in folders}
    count = len(scores)
    token = sum(t for t, _ in scores.values()) / count
    shingle = sum(s for _, s in scores.values()) / count
    empty = sum(1 for t, _ in scores.values() if t == 0.0)
    print(f"{count} pages: token F1 {token:.3f}, {args.shingle}-word shingle F1 {shingle:.3f}, "
          f"no text from {empty}")
    for name, (t, s) in sorted(scores.items(), key=lambda item: item[1][1])[:args.worst]:
        print(f"  {s:.3f} shingle  {t:.3f} token  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
