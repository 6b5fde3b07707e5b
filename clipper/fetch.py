"""The fetch stage: every source's feed, then each new item's article page.

Network work runs in a thread pool; database writes stay in the calling
thread, one transaction per feed or page, so a crash loses at most the item
in flight. Every attempt becomes a row in `fetches`.
"""

from __future__ import annotations

import functools
import json
import logging
import queue
import threading
import time
from collections import defaultdict, deque
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from clipper import sitemap, store, telegram, youtube
from clipper.config import Settings, Source
from clipper.decode import decode_body
from clipper.dedupe import canonical_url
from clipper.errors import FeedError
from clipper.feeds import FeedItem, newest, parse_feed
from clipper.http import HostLimiter, Response, build_client, get
from clipper.robots import RobotsRules

log = logging.getLogger(__name__)

FORBIDDEN = frozenset({401, 402, 403, 451})  # paywalls and geo-blocks: keep the feed summary


COMPLETE_IN_FEED = ("telegram", "youtube")  # the item is the whole text: no page to fetch


@dataclass(frozen=True)
class FeedResult:
    source: Source
    response: Response
    items: tuple[FeedItem, ...] = ()
    error: str = ""
    failure: str = ""  # what was wrong with a good reply: parse, no_items, no_links

    @property
    def outcome(self) -> str:
        """The reply's outcome (ok, timeout, network…), or what was wrong with it."""
        if self.error and self.response.ok:
            return self.failure or "parse"
        return self.response.outcome


class NoProgress:
    """The progress display of a run nobody watches (cron): log lines only."""

    def start(self, task: str, total: int) -> None:
        pass

    def advance(self, task: str, failed: bool = False) -> None:
        pass


def run(db, settings: Settings, run_id: int, now: datetime, progress=None) -> dict:
    """Fetch all enabled sources and the pages of new items; return counts."""
    progress = progress or NoProgress()
    store.sync_sources(db, settings.sources)
    counts = {"sources_ok": 0, "sources_failed": 0, "new_articles": 0,
              "pages_ok": 0, "pages_failed": 0, "pages_disallowed": 0, "pages_deferred": 0}
    limiter = HostLimiter(settings.fetch.per_host)
    for source in settings.sources:
        limiter.set_delay(source.url, source.delay)
    fetched_at = store.to_iso(now)
    progress.start("feeds", sum(s.enabled for s in settings.sources))
    with build_client(settings.fetch) as client:
        for result in _fetch_feeds(db, client, settings, limiter, now):
            failed = _record_feed(db, run_id, result, fetched_at, counts)
            progress.advance("feeds", failed)
    pending = store.pending_pages(db)
    progress.start("pages", len(pending))
    with build_client(settings.fetch, guard_addresses=True) as client:
        for article, response in _fetch_pages(client, settings, limiter, pending):
            _record_page(db, run_id, article, response, fetched_at, counts)
            progress.advance("pages", not response.ok)
    return counts


def _fetch_feeds(db, client, settings: Settings, limiter: HostLimiter, now: datetime):
    sources = [s for s in settings.sources if s.enabled]
    with ThreadPoolExecutor(max_workers=settings.fetch.concurrency) as pool:
        futures = [
            pool.submit(fetch_feed, client, source,
                        {**store.source_state(db, source.id), "now": now}, settings, limiter)
            for source in sources
        ]
        for future in as_completed(futures):
            yield future.result()


def fetch_feed(client, source: Source, state: dict, settings: Settings,
               limiter: HostLimiter) -> FeedResult:
    """GET one feed conditionally and parse it; failures come back as data."""
    if source.format == "telegram":
        return fetch_channel(client, source, state, settings, limiter)
    if source.format == "sitemap":
        return fetch_sitemap(client, source, state, settings, limiter)
    if source.format == "html-list":
        return fetch_link_list(client, source, settings, limiter)
    if source.format == "youtube" and youtube.is_channel_page(source.url):
        return fetch_youtube_channel(client, source, state, settings, limiter)
    return _fetch_feed_at(client, source, source.url, state, settings, limiter)


def _fetch_feed_at(client, source: Source, url: str, state: dict, settings: Settings,
                   limiter: HostLimiter) -> FeedResult:
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    response = get(client, url, settings.fetch, headers, limiter)
    if not response.ok:
        return FeedResult(source, response, error=response.error)
    text = _text_of(response)
    try:
        items = parse_feed(text, str(response.url))
    except FeedError as exc:
        return FeedResult(source, response, error=str(exc), failure=exc.reason)
    return FeedResult(source, response, _newest(source, url, items, settings))


def fetch_youtube_channel(client, source: Source, state: dict, settings: Settings,
                          limiter: HostLimiter) -> FeedResult:
    """A channel given by its page (`youtube.com/@handle`): the page names its feed."""
    feed = youtube.feed_of_page_url(source.url)
    if feed is None:
        response = get(client, source.url, settings.fetch, None, limiter)
        if not response.ok:
            return FeedResult(source, response, error=response.error)
        page = _text_of(response)
        feed = youtube.feed_in_page(page, str(response.url))
        if feed is None:
            return FeedResult(source, response,
                              error=f"no channel feed named on the page {source.url}")
    return _fetch_feed_at(client, source, feed, state, settings, limiter)


def fetch_channel(client, source: Source, state: dict, settings: Settings,
                  limiter: HostLimiter) -> FeedResult:
    """A Telegram channel's preview pages, newest first, back to the last run's
    time (two days before `state["now"]` on the first run) or `telegram_pages` pages."""
    handle = telegram.channel_handle(source.url)
    since = _since(state)
    items, url, first = [], source.url, None
    for _ in range(settings.fetch.telegram_pages):
        response = get(client, url, settings.fetch, None, limiter)
        first = first or response
        if not response.ok:
            break
        text = _text_of(response)
        page = telegram.parse_channel(text, handle)
        items.extend(page)
        url = telegram.earlier_page(source.url, page)
        if not page or min(store.to_iso(i.published) for i in page) < since:
            break
    if not items:
        return FeedResult(source, first, error=first.error or "no posts on the channel's page",
                          failure="no_items")
    return FeedResult(source, first, tuple(items))


def fetch_sitemap(client, source: Source, state: dict, settings: Settings,
                  limiter: HostLimiter) -> FeedResult:
    """A news sitemap, or the newest sitemaps of an index: pages since the last run."""
    since = datetime.fromisoformat(_since(state))
    response = get(client, source.url, settings.fetch, None, limiter)
    if not response.ok:
        return FeedResult(source, response, error=response.error)
    text = _text_of(response)
    items, children = sitemap.parse_sitemap(text, since)
    for child in children:
        reply = get(client, child, settings.fetch, None, limiter)
        if reply.ok:
            items += sitemap.parse_sitemap(_text_of(reply), since)[0]
    if not items and not children and "<urlset" not in text and "<sitemapindex" not in text:
        return FeedResult(source, response, error="not a sitemap")
    return FeedResult(source, response, _newest(source, source.url, items, settings))


def fetch_link_list(client, source: Source, settings: Settings,
                    limiter: HostLimiter) -> FeedResult:
    """A section page's article links; their pages give the text and the date."""
    response = get(client, source.url, settings.fetch, None, limiter)
    if not response.ok:
        return FeedResult(source, response, error=response.error)
    text = _text_of(response)
    items = sitemap.parse_link_list(text, str(response.url), source.selector)
    if not items:
        return FeedResult(source, response, error=f"no links match {source.selector!r}",
                          failure="no_items")
    return FeedResult(source, response, _newest(source, source.url, items, settings))


def _newest(source: Source, url: str, items: list[FeedItem],
            settings: Settings) -> tuple[FeedItem, ...]:
    """At most `max_items_per_feed` items, the newest; the rest dropped with a warning."""
    kept = newest(items, settings.fetch.max_items_per_feed)
    if len(kept) < len(items):
        log.warning("%s: feed %s lists %d items: kept the newest %d "
                    "(fetch.max_items_per_feed), dropped %d", source.id, url, len(items),
                    len(kept), len(items) - len(kept))
    return tuple(kept)


def _text_of(response: Response) -> str:
    """The body as text, in the charset its headers (or the document itself) name."""
    return decode_body(response.body, response.headers.get("content-type", ""))[0]


def _since(state: dict) -> str:
    """Where a source that lists pages by date starts: the last good run, or two days."""
    return state.get("last_success_at") or store.to_iso(
        state.get("now", datetime.now(UTC)) - timedelta(days=2))


@dataclass(frozen=True)
class SourceCheck:
    source: Source
    outcome: str  # ok, or what went wrong: timeout, http_error, parse, …
    status: int | None
    items: int
    newest: datetime | None
    elapsed_ms: int
    error: str


def check_sources(settings: Settings) -> list[SourceCheck]:
    """Fetch every enabled feed once, unconditionally, and say how it went; store nothing."""
    limiter = HostLimiter(settings.fetch.per_host)
    sources = [s for s in settings.sources if s.enabled]
    with build_client(settings.fetch) as client, \
            ThreadPoolExecutor(max_workers=settings.fetch.concurrency) as pool:
        results = pool.map(lambda s: fetch_feed(client, s, {}, settings, limiter), sources)
        return [_check(result) for result in results]


def _check(result: FeedResult) -> SourceCheck:
    response = result.response
    dates = [item.published for item in result.items if item.published]
    return SourceCheck(result.source, result.outcome, response.status, len(result.items),
                       max(dates, default=None), response.elapsed_ms, result.error)


def _record_feed(db, run_id: int, result: FeedResult, fetched_at: str, counts: dict) -> bool:
    """Store the feed's outcome and its new items; True when the feed failed."""
    source, response = result.source, result.response
    failed = bool(result.error) and response.outcome != "not_modified"
    store.record_fetch(db, _fetch_row(run_id, source.id, source.url, "feed", response,
                                      result.outcome, result.error, fetched_at))
    if failed:
        counts["sources_failed"] += 1
        log.warning("%s: feed %s: %s", source.id, source.url, result.error)
        store.record_source_outcome(db, source.id, ok=False, at=fetched_at, error=result.error,
                                    outcome=result.outcome)
        return True
    counts["sources_ok"] += 1
    validators = {}
    if response.ok:  # a 304 keeps the validators already stored
        validators = {"etag": response.headers.get("etag"),
                      "last_modified": response.headers.get("last-modified")}
    rows = _new_rows(db, source, result.items, fetched_at)
    counts["new_articles"] += store.record_feed_success(db, source.id, rows, fetched_at,
                                                        **validators)
    return False


def _new_rows(db, source: Source, items, fetched_at: str) -> list[dict]:
    """Rows of the items not stored yet, in the feed's order."""
    candidates = {canonical_url(item.url): item for item in items}
    known = store.known_urls(db, candidates)
    return [_article_row(source, item, canonical, fetched_at)
            for canonical, item in candidates.items() if canonical not in known]


def _article_row(source: Source, item: FeedItem, canonical: str, fetched_at: str) -> dict:
    return {
        "url": item.url, "canonical_url": canonical, "source_id": source.id,
        "media_kind": source.kind, "title": item.title, "summary": item.summary,
        "author": item.author, "lang": source.lang, "fetched_at": fetched_at,
        "published_at": store.to_iso(item.published) if item.published else None,
        "date_source": "feed" if item.published else None,
        "page_status": "in_feed" if source.format in COMPLETE_IN_FEED else "pending",
        "views": item.views, "forwarded_from": item.forwarded_from or None,
        "links": json.dumps([canonical_url(link) for link in item.links])
        if item.links else None,
    }


class SourceBudget:
    """Seconds of page fetching each source may use in one run, from its first page
    on: one slow or endless site cannot hold the night up. The rest waits."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._first: dict[str, float] = {}
        self._lock = threading.Lock()

    def admit(self, source_id: str) -> bool:
        now = time.monotonic()
        with self._lock:
            first = self._first.setdefault(source_id, now)
        return now - first <= self.seconds


UNSTORED_PER_WORKER = 4  # pages fetched and not yet stored, at most, per connection


def _fetch_pages(client, settings: Settings, limiter: HostLimiter, pending: list[dict]):
    """(article, response) pairs as the pages come in. The worker that finishes a page
    queues the next one of its host, whether or not the caller is busy storing; but a
    worker waits before a request while `UNSTORED_PER_WORKER` pages a connection are
    fetched and not yet stored, so that pages never pile up in memory (150 KB each)
    when the caller falls behind."""
    robots = RobotsRules(client, settings.fetch, limiter)
    budget = SourceBudget(settings.fetch.source_seconds)
    queues = HostQueues(pending, settings.fetch.per_host)
    done: queue.SimpleQueue = queue.SimpleQueue()
    room = threading.Semaphore(settings.fetch.concurrency * UNSTORED_PER_WORKER)

    def fetch(article: dict) -> Response:
        room.acquire()
        return fetch_page(client, article["url"], settings, limiter, robots,
                          functools.partial(budget.admit, article["source_id"]))

    with ThreadPoolExecutor(max_workers=settings.fetch.concurrency) as pool:
        def submit(article: dict) -> None:
            pool.submit(fetch, article).add_done_callback(functools.partial(finished, article))

        def finished(article: dict, future: Future) -> None:
            if (following := queues.after(article)) is not None:
                with suppress(RuntimeError):  # the run is stopping: the page stays pending
                    submit(following)
            done.put((article, future))

        for article in queues.first():
            submit(article)
        try:
            for _ in pending:
                article, future = done.get()
                yield article, future.result()
                room.release()  # stored
        finally:  # a stopped run: what is queued runs without waiting for room
            room.release(len(pending) + 1)


class HostQueues:
    """Pages waiting, host by host. A host gets its next page only when one of its
    pages in flight is done: pages handed out regardless would have workers wait on
    the per-host limit of one slow site while the pages of every other host wait
    behind them in the pool's queue."""

    def __init__(self, articles: list[dict], per_host: int):
        self.per_host = per_host
        self._lock = threading.Lock()
        self._waiting: dict[str, deque] = defaultdict(deque)
        for article in articles:
            self._waiting[_host_of(article)].append(article)

    def first(self) -> list[dict]:
        """Up to `per_host` pages of each host, one of each host in turn."""
        with self._lock:
            return [pages.popleft() for _ in range(self.per_host)
                    for pages in self._waiting.values() if pages]

    def after(self, article: dict) -> dict | None:
        """The next page of the host whose page `article` is done."""
        with self._lock:
            pages = self._waiting[_host_of(article)]
            return pages.popleft() if pages else None


def _host_of(article: dict) -> str:
    return (urlsplit(article["url"]).hostname or "").lower()


def fetch_page(client, url: str, settings: Settings, limiter: HostLimiter,
               robots: RobotsRules, admit=None) -> Response:
    if not robots.allowed(url):
        return Response(url, "robots", error="robots.txt disallows this page")
    return get(client, url, settings.fetch, None, limiter, admit=admit)


def _record_page(db, run_id, article: dict, response: Response, fetched_at, counts) -> None:
    if response.outcome == "deferred":
        counts["pages_deferred"] += 1  # still pending: fetched by the next run
        return
    store.record_fetch(db, _fetch_row(run_id, article["source_id"], article["url"], "page",
                                      response, response.outcome, response.error, fetched_at))
    if not response.ok:
        counts["pages_disallowed" if response.outcome == "robots" else "pages_failed"] += 1
        status = "forbidden" if response.status in FORBIDDEN else response.outcome
        log.info("%s: page %s: %s", article["source_id"], article["url"], response.error)
        store.save_page(db, article["id"], status, http_status=response.status)
        return
    counts["pages_ok"] += 1
    text, encoding = decode_body(response.body, response.headers.get("content-type", ""))
    store.save_page(db, article["id"], "ok", text.encode("utf-8"), encoding, response.status)


def _fetch_row(run_id, source_id, url, what, response: Response, outcome, error, at) -> dict:
    return {
        "run_id": run_id, "source_id": source_id, "url": url, "what": what,
        "status": response.status, "outcome": outcome, "bytes": len(response.body),
        "elapsed_ms": response.elapsed_ms, "error": error or None, "at": at,
    }
