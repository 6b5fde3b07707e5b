"""Outlets without a usable feed, through their news sitemap or sitemap index.

A news sitemap (`<news:news>`) gives each page's publication date and title;
a plain one only `<lastmod>`. Only pages dated after `since` are taken; their
pages are then fetched and extracted like any feed item's. Parsed with the
HTML parser, which expands no entities and fetches nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

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


def _date(node) -> datetime | None:
    if node is None:
        return None
    text = node.get_text(strip=True).replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
