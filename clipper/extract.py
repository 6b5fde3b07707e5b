"""The extract stage: full text, title, author and date from each page (trafilatura).

When the page could not be had (paywall, 403, timeout), the feed's summary
stands in and the article is marked `extraction = 'summary'`, so the digest
can say so.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

import trafilatura

from clipper import store, workers
from clipper.config import Settings
from clipper.dedupe import content_hash
from clipper.detect import detect_language

log = logging.getLogger(__name__)

MIN_TEXT = 200  # characters: below this a page gave boilerplate, not an article


@dataclass(frozen=True)
class Extracted:
    title: str
    text: str
    author: str
    date: str  # YYYY-MM-DD as found on the page, or ""


def extract_page(html: str, url: str) -> Extracted | None:
    """The article on a page, or None when the page holds no article text."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None or not document.text:
        return None
    title = (document.title or "").strip()
    paragraphs = [line.strip() for line in document.text.split("\n") if line.strip()]
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    text = "\n\n".join(paragraphs)
    if len(text) < MIN_TEXT:
        return None
    return Extracted(title, text, (document.author or "").strip(), document.date or "")


LANGUAGE_SAMPLE = 2000  # characters: the language is plain long before the end
BATCH = 256  # pages read, extracted in the worker processes, and written together


ARTICLE_FIELDS = ("url", "title", "summary", "author", "lang", "published_at", "fetched_at",
                  "page_status")


def run(db, settings: Settings, run_id: int, now: datetime, pool=None) -> dict:
    if pool is None:
        with workers.pool(settings.fetch.workers) as own:
            return run(db, settings, run_id, now, own)
    counts = {"from_page": 0, "from_summary": 0}
    job = functools.partial(extraction, tz=settings.tz, max_chars=settings.fetch.max_article_chars)
    jobs = (_job(db, article) for article in store.pending_extraction(db))
    for batch, results in pool.map_batches(job, workers.batches(jobs, BATCH)):
        with db.conn:
            for (article, _), changes in zip(batch, results, strict=True):
                counts["from_page" if changes["extraction"] == "page" else "from_summary"] += 1
                store.save_extraction(db, article["id"], changes)
    return counts


class Alongside:
    """Extracts the pages the fetch has stored while it goes on: the fetch waits on
    the network and leaves the cores free. A thread with its own connection (SQLite
    lets one writer at a time; each waits its turn) and its own worker pool. With
    `detect`, it then finds the mentions in what it extracted and judges their tone
    (the encoder is the night's largest piece of work after the fetch)."""

    PAUSE = 1.0  # seconds between two looks for newly fetched pages

    def __init__(self, db_path: str, settings: Settings, run_id: int, now: datetime,
                 detect: bool = False):
        self.db_path, self.settings, self.run_id, self.now = db_path, settings, run_id, now
        self.detect = detect
        self.counts = Counter(from_page=0, from_summary=0)
        self.detected = Counter(articles=0, mentions=0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._follow, daemon=True)

    def __enter__(self) -> Alongside:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _follow(self) -> None:
        from clipper import stages

        db = store.open_db(self.db_path)
        # Always on the workers: this process is busy fetching.
        finding = stages.detect_pool(self.settings, in_process_below=1) if self.detect \
            else nullcontext()
        try:
            with workers.pool(self.settings.fetch.workers) as pool, finding as found:
                while not self._stop.wait(self.PAUSE):
                    self.counts.update(run(db, self.settings, self.run_id, self.now, pool))
                    if found is not None:
                        self.detected.update(stages.run_detect(
                            db, self.settings, self.run_id, self.now, pool=found))
        except Exception as exc:  # the stages after the fetch do the rest
            log.warning("extraction alongside the fetch stopped: %s", exc)
        finally:
            db.close()


def _job(db, article: dict) -> tuple[dict, str | None]:
    html = store.page_html(db, article["id"]) if article["page_status"] == "ok" else None
    return {key: article[key] for key in ARTICLE_FIELDS + ("id",)}, html


def extraction(job: tuple[dict, str | None], tz: ZoneInfo, max_chars: int) -> dict:
    """What one article's page (or, without a page, its feed summary) adds to its row."""
    article, html = job
    extracted = extract_page(html, article["url"]) if html else None
    if extracted is None:
        # A Telegram post's text is all there is; a feed summary stands in for a page.
        complete = article["page_status"] == "in_feed"
        changes = {"text": article["summary"] or "",
                   "extraction": "feed" if complete else "summary"}
    else:
        changes = {"text": extracted.text[:max_chars], "extraction": "page",
                   "title": article["title"] or extracted.title,
                   "author": article["author"] or extracted.author}
    title = changes.get("title", article["title"]) or ""
    sample = f"{title}\n{changes['text'][:LANGUAGE_SAMPLE]}"
    changes["lang"] = detect_language(sample) or article["lang"]
    changes["content_hash"] = content_hash(changes["text"])
    if not article["published_at"]:
        changes.update(_undated(extracted, tz, article["fetched_at"]))
    return changes


def _undated(extracted: Extracted | None, tz: ZoneInfo, fetched_at: str) -> dict:
    """A feed item without a date takes the page's date, else the time it was fetched."""
    if extracted and extracted.date:
        day = datetime.fromisoformat(extracted.date[:10]).date()
        return {"published_at": store.to_iso(datetime.combine(day, time(12), tz)),
                "date_source": "page"}
    return {"published_at": fetched_at, "date_source": "fetched"}
