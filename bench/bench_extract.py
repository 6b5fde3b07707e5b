"""Extraction stage against its floor: trafilatura alone, in a tight loop, on one core.

    python bench/bench_extract.py [--pages 2000]

Pages are news-shaped HTML (navigation, article, related links, footer) around
bigram-model text of the demo corpus, stored in a real SQLite file as the fetch
stage leaves them. Printed: the floor (extract_page over the same pages in one
process), then the stage reading, extracting and writing them with one worker
and with one per core.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench_dedupe import Writer

from clipper import extract, store
from clipper.config import Settings

TEMPLATE = """<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<nav><a href="/">Главная</a> <a href="/news">Новости</a> <a href="/kz">Қазақша</a></nav>
<main><article><h1>{title}</h1><div class="meta">24.11.2026, 09:{minute:02d}</div>
{paragraphs}</article>
<aside><h3>Читайте также</h3><ul>{related}</ul></aside></main>
<footer>© 2026 Редакция. Все права защищены. Перепечатка только со ссылкой.</footer>
</body></html>"""


def pages(count: int) -> list[tuple[str, str]]:
    writer = Writer(seed=5)
    made = []
    for number in range(count):
        paragraphs = "".join(f"<p>{p}</p>" for p in writer.body().split("\n\n"))
        related = "".join(f'<li><a href="/news/{number + k}">{writer.paragraph(8)}</a></li>'
                          for k in range(5))
        html = TEMPLATE.format(title=writer.paragraph(10), minute=number % 60,
                               paragraphs=paragraphs, related=related)
        made.append((f"https://outlet.kz/news/{number}", html))
    return made


def floor_seconds(made: list[tuple[str, str]]) -> float:
    started = time.perf_counter()
    for url, html in made:
        extract.extract_page(html, url)
    return time.perf_counter() - started


def stage_seconds(made: list[tuple[str, str]], workers: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "bench.db")
        for number, (url, html) in enumerate(made, 1):
            db["articles"].insert({"id": number, "url": url, "canonical_url": url,
                                   "title": "", "page_status": "ok",
                                   "fetched_at": "2026-11-24T04:00:00+00:00",
                                   "published_at": "2026-11-24T04:00:00+00:00"})
            store.save_page(db, number, "ok", html.encode(), "utf-8", 200)
        settings = Settings(path=tmp, organization="bench")
        settings = settings.replace(fetch=dataclasses.replace(settings.fetch, workers=workers))
        started = time.perf_counter()
        extract.run(db, settings, 0, datetime.now(UTC))
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    made = pages(args.pages)
    floor = floor_seconds(made)
    print(f"floor: trafilatura alone on {args.pages:,} pages: {floor:.1f} s "
          f"({args.pages / floor:,.0f} pages/s, one core)")
    for workers in (1, 0):
        wall = stage_seconds(made, workers)
        label = "one worker" if workers == 1 else "one worker per core"
        print(f"extract stage, {label}: {wall:.1f} s ({args.pages / wall:,.0f} pages/s, "
              f"{wall / floor:.2f} × the one-core floor)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
