"""A YouTube channel named the way people know it: its page, not its feed.

The channel's Atom feed (`/feeds/videos.xml?channel_id=UC…`) is what clipper
reads, but press offices know channels by their page (`youtube.com/@handle`).
A `/channel/UC…` page gives the feed's address directly; a handle page names it
in a `<link rel="alternate">` or, failing that, in its embedded channel id.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

FEED_PATH = "/feeds/videos.xml?channel_id="
_CHANNEL_PAGE = re.compile(r"^/(@[^/]+|c/[^/]+|user/[^/]+|channel/(UC[\w-]+))/?")
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')
_CHANNEL_ID = re.compile(r'"(?:externalId|channelId)"\s*:\s*"(UC[\w-]{10,})"')


def is_channel_page(url: str) -> bool:
    return bool(_CHANNEL_PAGE.match(urlsplit(url).path))


def feed_of_page_url(url: str) -> str | None:
    """The feed of a `/channel/UC…` page, known without fetching it."""
    match = _CHANNEL_PAGE.match(urlsplit(url).path)
    return urljoin(url, FEED_PATH + match.group(2)) if match and match.group(2) else None


def feed_in_page(page: str, page_url: str) -> str | None:
    """The channel's feed as its page names it, or None when the page names none."""
    for tag in _LINK_TAG.findall(page):
        attributes = {k.lower(): html.unescape(v) for k, v in _ATTRIBUTE.findall(tag)}
        if (attributes.get("type") == "application/rss+xml"
                and "videos.xml" in attributes.get("href", "")):
            return urljoin(page_url, attributes["href"])
    match = _CHANNEL_ID.search(page)
    return urljoin(page_url, FEED_PATH + match.group(1)) if match else None
