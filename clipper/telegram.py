"""Public Telegram channels, read from their web preview (https://t.me/s/<handle>).

No account and no API key: the preview page lists the latest posts, and
`?before=<id>` the ones before them. Each post becomes a feed item whose text
is complete, with its view count, the channel it was forwarded from and the
outside links it carries (a post that links a news article joins its story).
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from clipper.feeds import FeedItem

TITLE_CHARS = 140  # a post has no headline: its first line stands in, cut here
_HANDLE = re.compile(r"^/s/([A-Za-z0-9_]{3,64})/?$")
_SUFFIXES = {"K": 1_000, "M": 1_000_000}


def channel_handle(url: str) -> str | None:
    """"durov" for https://t.me/s/durov (the configuration checks the host)."""
    match = _HANDLE.match(urlsplit(url).path)
    return match.group(1) if match else None


def earlier_page(url: str, items: list[FeedItem]) -> str | None:
    """The preview page of the posts before the oldest of these."""
    ids = [int(item.url.rsplit("/", 1)[1]) for item in items]
    return f"{url.split('?')[0]}?before={min(ids)}" if ids else None


def parse_channel(html: str, handle: str) -> list[FeedItem]:
    """The posts on one preview page, oldest first."""
    page = BeautifulSoup(html, "html.parser")
    name = page.select_one(".tgme_channel_info_header_title")
    author = name.get_text(" ", strip=True) if name else handle
    items = [_post(node, author) for node in page.select("div.tgme_widget_message[data-post]")]
    return [item for item in items if item is not None]


def _post(node, author: str) -> FeedItem | None:
    text_node = node.select_one(".tgme_widget_message_text")
    stamp = node.select_one(".tgme_widget_message_date time[datetime]")
    if text_node is None or stamp is None:
        return None  # a photo or sticker without words: nothing to read
    for br in text_node.find_all("br"):
        br.replace_with("\n")
    text = text_node.get_text().strip()
    hrefs = [a["href"] for a in text_node.find_all("a", href=True)]
    links = tuple(dict.fromkeys(h for h in hrefs if _outside(h)))
    forwarded = node.select_one(".tgme_widget_message_forwarded_from_name")
    return FeedItem(
        url=f"https://t.me/{node['data-post']}", title=_first_line(text), summary=text,
        published=datetime.fromisoformat(stamp["datetime"]), author=author,
        views=_count(node.select_one(".tgme_widget_message_views")),
        forwarded_from=forwarded.get_text(strip=True) if forwarded else "", links=links)


def _outside(href: str) -> bool:
    return href.startswith(("http://", "https://")) and urlsplit(href).hostname != "t.me"


def _first_line(text: str) -> str:
    """A post's headline: its first line, or that line's first sentence."""
    line = text.split("\n", 1)[0].strip()
    line = re.split(r"(?<=[.!?])\s+", line, maxsplit=1)[0]
    return line if len(line) <= TITLE_CHARS else line[:TITLE_CHARS - 1].rstrip() + "…"


def _count(node) -> int | None:
    """"1.2K" -> 1200."""
    if node is None:
        return None
    text = node.get_text(strip=True).replace(",", ".")
    scale = _SUFFIXES.get(text[-1:], 1)
    try:
        return int(float(text.rstrip("KM")) * scale)
    except ValueError:
        return None
