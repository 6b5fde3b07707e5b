"""Feed items from RSS and Atom, including the ugly ones."""

import pytest

from clipper.errors import FeedError
from clipper.feeds import parse_feed

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Zakon.kz</title>
<item><title>Минкультуры и информации &lt;b&gt;объявило&lt;/b&gt; конкурс</title>
<link>/news/123-konkurs.html</link><description>&lt;p&gt;Грант для СМИ&lt;/p&gt;</description>
<pubDate>Mon, 09 Nov 2026 09:15:00 +0500</pubDate></item>
<item><title>Без даты</title><link>https://www.zakon.kz/news/124.html</link></item>
<item><title>Повтор</title><link>https://www.zakon.kz/news/124.html</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>The Astana Times</title>
<entry><title>Ministry of Culture and Information announces grants</title>
<link href="https://astanatimes.com/2026/11/grants/"/><id>urn:1</id>
<updated>2026-11-09T10:00:00+05:00</updated><summary>Grants for regional media.</summary></entry>
</feed>"""


def test_rss_items_with_relative_links_html_titles_and_missing_dates():
    items = parse_feed(RSS, "https://www.zakon.kz/rss/all.xml")
    assert [i.url for i in items] == [
        "https://www.zakon.kz/news/123-konkurs.html", "https://www.zakon.kz/news/124.html"]
    assert items[0].title == "Минкультуры и информации объявило конкурс"
    assert items[0].summary == "Грант для СМИ"
    assert items[0].published.isoformat() == "2026-11-09T04:15:00+00:00"
    assert items[1].published is None


def test_atom_entries():
    (item,) = parse_feed(ATOM, "https://astanatimes.com/feed/")
    assert item.url == "https://astanatimes.com/2026/11/grants/"
    assert item.summary == "Grants for regional media."
    assert item.published.isoformat() == "2026-11-09T05:00:00+00:00"


def test_broken_xml_that_still_yields_items_is_used():
    broken = RSS.replace("</channel></rss>", "<item><title>обрыв")
    items = parse_feed(broken, "https://www.zakon.kz/rss/all.xml")
    assert len(items) >= 2


@pytest.mark.parametrize("document, reason", [
    ("<html><body><h1>Новости</h1><p>Это страница, а не лента</p></body></html>", "parse"),
    ("", "parse"),
    ("<?xml version='1.0'?><rss><channel><title>пусто</title></channel></rss>", "no_items"),
])
def test_a_document_without_items_is_a_feed_error(document, reason):
    with pytest.raises(FeedError, match="no items") as error:
        parse_feed(document, "https://example.kz/rss")
    assert error.value.reason == reason


def test_a_feed_whose_items_have_no_links_says_so():
    items = "<item><title>Без ссылки</title></item><item><link>ftp://x.kz/1</link></item>"
    with pytest.raises(FeedError) as error:
        parse_feed(f"<rss version='2.0'><channel>{items}</channel></rss>", "https://x.kz/rss")
    assert error.value.reason == "no_links"
    assert str(error.value) == (
        "items without links: none of the 2 items in the feed has an http(s) link")


def test_max_items_caps_a_huge_feed():
    items = "".join(f"<item><title>{n}</title><link>https://x.kz/{n}</link></item>"
                    for n in range(500))
    feed = f"<rss version='2.0'><channel>{items}</channel></rss>"
    assert len(parse_feed(feed, "https://x.kz/rss", max_items=50)) == 50


def test_a_feed_listed_oldest_first_keeps_its_newest_items_and_then_undated_ones():
    def item(title, day=None):
        date = f"<pubDate>Sun, {day:02d} Nov 2026 09:00:00 +0500</pubDate>" if day else ""
        return f"<item><title>{title}</title><link>https://x.kz/{title}</link>{date}</item>"

    items = [item("u0"), *(item(f"d{n}", n) for n in range(1, 21)), item("u1"), item("u2")]
    feed = f"<rss version='2.0'><channel>{''.join(items)}</channel></rss>"
    assert [i.title for i in parse_feed(feed, "https://x.kz/rss", max_items=5)] == [
        "d16", "d17", "d18", "d19", "d20"]
    assert [i.title for i in parse_feed(feed, "https://x.kz/rss", max_items=22)] == [
        "u0", *(f"d{n}" for n in range(1, 21)), "u1"]
