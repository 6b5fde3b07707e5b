"""Feed items from RSS 0.9x/1.0/2.0 and Atom documents (feedparser).

feedparser objects stop here: the rest of clipper sees `FeedItem`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import feedparser
from bs4 import BeautifulSoup

from clipper.errors import FeedError, NoItems, NoLinks

_PROLOG_ENCODING = re.compile(r"""(^\s*<\?xml[^>]*encoding=["'])[^"']*(["'])""")


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str
    summary: str
    published: datetime | None
    author: str
    views: int | None = None  # Telegram posts carry these three
    forwarded_from: str = ""
    links: tuple = ()


def parse_feed(text: str, feed_url: str, max_items: int | None = None) -> list[FeedItem]:
    """Items of a feed document (the `max_items` newest, if given); raise FeedError when
    it yields none.

    A feed with XML errors ("bozo") that still yields items is used as it is.
    """
    # The text is already decoded: a stale prolog (encoding="windows-1251") must not
    # make feedparser decode it a second time.
    data = _PROLOG_ENCODING.sub(r"\1utf-8\2", text, count=1).encode("utf-8")
    try:
        parsed = feedparser.parse(
            data, sanitize_html=True, resolve_relative_uris=True,
            response_headers={"content-type": "application/xml; charset=utf-8"},
        )
    except Exception as exc:  # feedparser's loose parser trips on some garbage
        raise FeedError(f"the feed could not be parsed: {type(exc).__name__}: {exc}") from None
    items, seen = [], set()
    for entry in parsed.entries:
        item = _item(entry, feed_url)
        if item is None or item.url in seen:
            continue
        seen.add(item.url)
        items.append(item)
    if not items:
        raise _without_items(parsed)
    return items if max_items is None else newest(items, max_items)


def _without_items(parsed) -> FeedError:
    """Why a feed gave no items: none has a link, it lists none, or it is no feed."""
    reason = parsed.get("bozo_exception")
    why = f"{type(reason).__name__}: {reason}" if reason else ""
    if parsed.entries:
        return NoLinks(f"items without links: none of the {len(parsed.entries)} items in the "
                       "feed has an http(s) link" + (f" ({why})" if why else ""))
    error = NoItems if parsed.get("version") else FeedError
    return error("no items in the feed" + (f": {why}" if why else ""))


def newest(items: list[FeedItem], limit: int) -> list[FeedItem]:
    """The `limit` newest items, in the order given: a feed listed oldest first keeps its
    latest news. Dated items go before undated ones, whose age is unknown; among
    undated items, and items of the same time, the order given decides."""
    if len(items) <= limit:
        return list(items)
    oldest = datetime.min.replace(tzinfo=UTC)
    by_age = sorted(range(len(items)), key=lambda i: items[i].published or oldest, reverse=True)
    return [items[i] for i in sorted(by_age[:limit])]  # a stable sort, reversed or not


def _item(entry, feed_url: str) -> FeedItem | None:
    link = entry.get("link") or _guid_link(entry)
    if not link:
        return None
    try:
        url = urljoin(feed_url, link.strip())
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            return None
    except ValueError:  # "https://[host/…": not a URL anyone can fetch
        return None
    return FeedItem(
        url=url,
        title=_plain(entry.get("title", "")),
        summary=_plain(entry.get("summary", "")),
        published=_published(entry),
        author=_plain(entry.get("author", "")),
        views=_views(entry),
    )


def _views(entry) -> int | None:
    """A YouTube feed's view count (media:statistics)."""
    views = (entry.get("media_statistics") or {}).get("views", "")
    return int(views) if str(views).isdigit() else None


def _guid_link(entry) -> str:
    guid = entry.get("id", "")
    return guid if guid.startswith(("http://", "https://")) else ""


def _published(entry) -> datetime | None:
    # dict.get: feedparser's own get() maps a missing key to another, with a warning
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)


def _plain(html: str) -> str:
    """Feed titles and summaries may carry HTML; the digest wants their text."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
