"""The extract stage: full text, title, author and date from each page (trafilatura).

When the page could not be had (paywall, 403, timeout), the feed's summary
stands in and the article is marked `extraction = 'summary'`, so the digest
can say so.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from collections import Counter, deque
from dataclasses import dataclass
from datetime import datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from clipper import store, workers
from clipper.config import Settings
from clipper.dedupe import content_hash
from clipper.detect import detect_language

log = logging.getLogger(__name__)

MIN_TEXT = 200  # characters: below this a page may have given boilerplate, not the article
LAYOUT_CELL = 200  # characters: a table cell this long holds prose, not a figure
_BLOCKS = " | ".join(f".//{tag}" for tag in (
    "table", "h1", "h2", "h3", "h4", "ul", "ol", "article", "section", "blockquote", "nav", "form"))


@dataclass(frozen=True)
class Extracted:
    title: str
    text: str
    author: str
    date: str  # YYYY-MM-DD as found on the page, or ""


def extract_page(html: str, url: str) -> Extracted | None:
    """The article on a page, or None when the page holds no text. Text shorter than
    MIN_TEXT is looked for again with trafilatura favouring recall, the longer kept."""
    tree = _page_tree(html)
    if tree is None:
        return None
    extracted = _extracted(tree, url, favor_recall=False)
    if extracted is None or len(extracted.text) < MIN_TEXT:
        again = _extracted(tree, url, favor_recall=True)
        if again is not None and (extracted is None or len(again.text) > len(extracted.text)):
            extracted = again
    return extracted


def _extracted(tree: HtmlElement, url: str, favor_recall: bool) -> Extracted | None:
    document = trafilatura.bare_extraction(  # works on a copy: the tree serves twice
        tree, url=url, with_metadata=True, include_comments=False, include_tables=True,
        favor_recall=favor_recall)
    if document is None or not document.text:
        return None
    title = (document.title or "").strip()
    text = _paragraphs(document.text, title)
    if not text:
        return None
    title = without_site_name(title, url, document.sitename or "")
    return Extracted(title, text, (document.author or "").strip(), document.date or "")


_SEPARATOR = re.compile(r"\s+[|\-–—:/·•»]{1,2}\s+")


def without_site_name(title: str, url: str, sitename: str = "") -> str:
    """A page's title without the site's name at its end or start ("… - Seznam
    Zprávy", "… | CBC News", "Tengrinews.kz — …"), which the page's <title> carries
    and a digest does not need: it names the outlet beside the headline."""
    marks = list(_SEPARATOR.finditer(title))
    if not marks:
        return title
    names = _site_keys(url, sitename)
    if _key(title[marks[-1].end():]) in names:
        return title[:marks[-1].start()].strip()
    if _key(title[:marks[0].start()]) in names:
        return title[marks[0].end():].strip()
    return title


def _site_keys(url: str, sitename: str) -> set[str]:
    """The ways a title writes the site's name, as `_key` reduces them."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    labels = host.split(".")
    core = labels[-2] if len(labels) > 1 else labels[0]
    keys = {_key(host), core, core + labels[-1], core + "news", core + "ru", core + "kz"}
    return (keys | {_key(sitename)}) - {""}


def _key(name: str) -> str:
    """Letters and digits only, lower case, without accents or a leading "the"."""
    plain = unicodedata.normalize("NFKD", name.lower())
    key = "".join(c for c in plain if c.isalnum())
    return key.removeprefix("the") if len(key) > 6 else key


def _page_tree(html: str) -> HtmlElement | None:
    """The page parsed as trafilatura parses it, without its menus, its layout tables
    turned into blocks."""
    try:
        tree = load_html(html)
    except (TypeError, ValueError):
        return None
    if tree is None:
        return None
    for menu in tree.xpath("//nav | //*[@role='navigation']"):
        menu.drop_tree()  # a short page goes to trafilatura's fallback, menus and all
    for table in [t for t in tree.iter("table") if _is_layout(t)]:
        _unwrap(table)
    return tree


def _is_layout(table: HtmlElement) -> bool:
    """A table that lays out a page (a frame, a menu, a whole article) rather than
    figures in rows and columns (results, a budget by region)."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    rows = [row.xpath("./td | ./th") for row in _rows(table)]
    if sum(len(cells) > 1 for cells in rows) * 2 <= len(rows):
        return True  # mostly rows of one cell: a frame around text, not a grid
    cells = [cell for row in rows for cell in row]
    text = sum(len(cell.text_content().strip()) for cell in cells)
    links = sum(len(a.text_content().strip()) for cell in cells for a in cell.iter("a"))
    return links > 0.8 * text or any(_holds_prose(cell) for cell in cells)


def _holds_prose(cell: HtmlElement) -> bool:
    """Long text, a heading, a list, another table, or paragraphs: not a figure."""
    if len(cell.text_content().strip()) > LAYOUT_CELL or cell.xpath(_BLOCKS):
        return True
    return sum(1 for p in cell.xpath(".//p | .//div") if p.text_content().strip()) > 1


def _rows(table: HtmlElement) -> list[HtmlElement]:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _unwrap(table: HtmlElement) -> None:
    """Rows and cells become blocks, so the article in them reads as any other."""
    for row in _rows(table):
        for cell in row.xpath("./td | ./th"):
            cell.tag = "div"
        row.tag = "div"
    for part in table.xpath("./thead | ./tbody | ./tfoot | ./caption"):
        part.tag = "div"
    table.tag = "div"


def _paragraphs(text: str, title: str) -> str:
    """Paragraphs apart by a blank line; a table's rows kept together, one to a line."""
    blocks: list[str] = []
    in_table = False
    for line in (line.strip() for line in text.split("\n")):
        if not line or _RULE.fullmatch(line):
            continue
        row = line.startswith("|")
        if row and in_table:
            blocks[-1] += "\n" + line
        else:
            blocks.append(line)
        in_table = row
    if blocks and blocks[0] == title:
        blocks = blocks[1:]
    return "\n\n".join(blocks)


_RULE = re.compile(r"\|(?:-+\|)+")  # the line under a table's header


LANGUAGE_SAMPLE = 2000  # characters: the language is plain long before the end
BATCH = 256  # pages read, extracted in the worker processes, and written together
CHUNK = 16  # pages handed out at a time beside the fetch, as they arrive
UNDER_WAY = 3  # chunks a worker beside the fetch has under way: one being read, more
               # waiting, so that none idles while the last is written


ARTICLE_FIELDS = ("url", "title", "summary", "author", "lang", "published_at", "fetched_at",
                  "page_status")


def run(db, settings: Settings, run_id: int, now: datetime, pool=None) -> dict:
    if pool is None:
        with workers.pool(settings.fetch.workers) as own:
            return run(db, settings, run_id, now, own)
    counts = Counter(from_page=0, from_summary=0)
    job = functools.partial(extraction, tz=settings.tz, max_chars=settings.fetch.max_article_chars)
    jobs = (_job(db, article) for article in store.pending_extraction(db))
    for batch, results in pool.map_batches(job, workers.batches(jobs, BATCH)):
        _save_extractions(db, batch, results, counts)
    return dict(counts)


def _save_extractions(db, batch: list, results: list, counts: Counter) -> None:
    """A batch's extractions in one transaction, counted by where the text came from."""
    with db.conn:
        for (article, _), changes in zip(batch, results, strict=True):
            counts["from_page" if changes["extraction"] == "page" else "from_summary"] += 1
            store.save_extraction(db, article["id"], changes)


class Alongside:
    """Extracts the pages as the fetch stores them, while it goes on: the fetch waits
    on the network and leaves the cores free. A thread with its own connection (SQLite
    lets one writer at a time; each waits its turn) keeps one pool of workers busy
    without a pause: chunks of the pages that have arrived are handed out, a few a
    worker under way, each written as it comes back. When the fetch ends (`finish`)
    the same workers read what is left. With `detect`, each worker also finds the
    mentions in the article it has just read, and this thread judges their tone (or
    leaves it to the tone stage, `tone_later`)."""

    PAUSE = 0.5  # seconds between two looks for newly fetched pages while none is new

    def __init__(self, db_path: str, settings: Settings, run_id: int, now: datetime,
                 detect: bool = False, tone_later: bool = False):
        self.db_path, self.settings, self.run_id, self.now = db_path, settings, run_id, now
        self.detect = detect
        self.counts = Counter(from_page=0, from_summary=0)
        self.detected = Counter(articles=0, mentions=0)
        from clipper.stages import Judge

        # the tone model, loaded at the first mention (the detection after the fetch goes
        # on with it), or none: the tone stage judges the mentions after the workers
        self.judge = Judge(later=tone_later)
        self._fetched = threading.Event()  # the fetch has ended: drain, then stop
        self._abort = threading.Event()  # the fetch failed or was stopped: stop now
        self._ready: deque[dict] = deque()  # fetched, not yet handed to the workers
        self._handed: set[int] = set()
        self._thread = threading.Thread(target=self._follow, daemon=True)

    def __enter__(self) -> Alongside:
        self._thread.start()
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is not None:
            self._abort.set()
        self.finish()

    def finish(self) -> None:
        """Extract what the fetch left (and find its mentions), then end."""
        self._fetched.set()
        self._thread.join()

    def _follow(self) -> None:
        from clipper import stages

        db = store.open_db(self.db_path)
        # Always on the workers: this process is busy fetching. One pool for both
        # stages (its workers' detector built once, the tone judged here by one model):
        # two pools would put twice the workers, and their memory, on the same cores.
        pool = stages.detect_pool(self.settings, in_process_below=1) if self.detect \
            else workers.pool(self.settings.fetch.workers, in_process_below=1)
        job = functools.partial(stages.extract_and_detect if self.detect else extraction,
                                tz=self.settings.tz,
                                max_chars=self.settings.fetch.max_article_chars)
        try:
            with pool as both:
                take = functools.partial(self._take, db, both)
                depth = UNDER_WAY * workers.worker_count(self.settings.fetch.workers)
                for batch, results in both.stream(job, take, depth):
                    self._save(db, batch, results)
        except Exception as exc:  # the stages after the fetch do the rest
            log.warning("extraction alongside the fetch stopped: %s", exc)
        finally:
            db.close()

    def _take(self, db, pool, wait: bool) -> list | None:
        """The next pages fetched and not yet handed out (up to CHUNK), as they arrive;
        [] while none is; None once the fetch has ended and all are read. With nothing
        under way (`wait`), the mentions of articles read elsewhere (a post's text
        from its feed) are found, then it waits for pages."""
        while not self._abort.is_set():
            ended = self._fetched.is_set()  # before looking: a page stored earlier is seen
            if not self._ready:
                self._ready.extend(a for a in store.pending_extraction(db)
                                   if a["id"] not in self._handed)
                self._handed.update(article["id"] for article in self._ready)
            if self._ready:
                chunk = [self._ready.popleft() for _ in range(min(CHUNK, len(self._ready)))]
                return [_job(db, article) for article in chunk]
            if not wait:
                return []
            if self.detect:
                self._detect_the_rest(db, pool)
            if ended:
                return None
            self._fetched.wait(self.PAUSE)
        return None

    def _save(self, db, batch: list, results: list) -> None:
        if not batch:
            return
        if self.detect:
            results, found = zip(*results, strict=True)
        _save_extractions(db, batch, results, self.counts)
        if self.detect:
            from clipper import stages

            ids = [article["id"] for article, _ in batch]
            self.detected.update(stages.save_detected(db, ids, found, self.judge, self.now))

    def _detect_the_rest(self, db, pool) -> None:
        from clipper import stages

        self.detected.update(stages.run_detect(db, self.settings, self.run_id, self.now,
                                               pool=pool, judge=self.judge))


def _job(db, article: dict) -> tuple[dict, bytes | None]:
    """The article and its page as stored, compressed: a batch of pages read whole
    stays a few megabytes here, and the workers unpack their own."""
    packed = store.packed_page(db, article["id"]) if article["page_status"] == "ok" else None
    return {key: article[key] for key in ARTICLE_FIELDS + ("id",)}, packed


def extraction(job: tuple[dict, str | bytes | None], tz: ZoneInfo, max_chars: int) -> dict:
    """What one article's page (or, without a page, its feed summary) adds to its row;
    the page as text, or compressed as the store keeps it."""
    article, html = job
    if isinstance(html, bytes):
        html = store.unpack_page(html)
    extracted = extract_page(html, article["url"]) if html else None
    if extracted is None or not _beats(extracted.text, article["summary"] or ""):
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


def _beats(text: str, summary: str) -> bool:
    """The page's text stands unless it is short and the feed's summary says more."""
    return len(text) >= MIN_TEXT or len(text) > len(summary)


def _undated(extracted: Extracted | None, tz: ZoneInfo, fetched_at: str) -> dict:
    """A feed item without a date takes the page's date, else the time it was fetched."""
    if extracted and extracted.date:
        day = datetime.fromisoformat(extracted.date[:10]).date()
        return {"published_at": store.to_iso(datetime.combine(day, time(12), tz)),
                "date_source": "page"}
    return {"published_at": fetched_at, "date_source": "fetched"}
