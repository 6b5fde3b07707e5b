"""Outlets without a usable feed: their news sitemap or sitemap index, or as a last
resort a section page whose article links a CSS selector picks out.

A news sitemap (`<news:news>`) gives each page's publication date and title;
a plain one only `<lastmod>`. Only pages dated after `since` are taken; their
pages are then fetched and extracted like any feed item's. Parsed with the
HTML parser, which expands no entities and fetches nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from clipper.feeds import FeedItem

CHILDREN = 3  # sitemaps of an index read per run, newest first


def parse_sitemap(text: str, since: datetime) -> tuple[list[FeedItem], list[str]]:
    """The pages dated after `since`, and the child sitemaps of an index (newest first)."""
    document = BeautifulSoup(text, "html.parser")
    children = [(_date(node.find("lastmod")), node.find("loc").get_text(strip=True))
                for node in document.find_all("sitemap") if node.find("loc")]
    children.sort(key=lambda child: child[0] or datetime.min.replace(tzinfo=UTC), reverse=True)
    items = [item for node in document.find_all("url") if (item := _page(node, since))]
    return items, [url for _, url in children[:CHILDREN]]


def _page(node, since: datetime) -> FeedItem | None:
    location = node.find("loc")
    published = _date(node.find("news:publication_date")) or _date(node.find("lastmod"))
    if location is None or published is None or published < since:
        return None
    url = location.get_text(strip=True)
    if not url.startswith(("http://", "https://")):
        return None
    title = node.find("news:title")
    return FeedItem(url=url, title=title.get_text(strip=True) if title else "", summary="",
                    published=published, author="")


def parse_link_list(html: str, page_url: str, selector: str) -> list[FeedItem]:
    """The links a CSS selector picks out of a section page, with their text as title."""
    document = BeautifulSoup(html, "html.parser")
    found = {}
    for node in document.select(selector):
        anchor = node if node.name == "a" else node.find("a", href=True)
        if anchor is None or not anchor.get("href"):
            continue
        url = urljoin(page_url, anchor["href"])
        if url.startswith(("http://", "https://")) and url not in found:
            found[url] = FeedItem(url=url, title=anchor.get_text(" ", strip=True), summary="",
                                  published=None, author="")
    return list(found.values())


def _date(node) -> datetime | None:
    if node is None:
        return None
    text = node.get_text(strip=True).replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
