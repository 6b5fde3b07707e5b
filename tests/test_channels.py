"""YouTube channel feeds and news sitemaps as sources, served on loopback."""

from datetime import UTC, datetime

import pytest
from conftest import make_settings

from clipper import extract, fetch, store
from clipper.config import Source

NOW = datetime(2026, 11, 23, 18, tzinfo=UTC)
ARTICLE = ("<html><body><article><h1>{title}</h1><p>"
           + "Министерство культуры и информации объявило новый конкурс для региональных СМИ. " * 6
           + "</p></article></body></html>")


def youtube_feed(videos) -> str:
    entries = "".join(
        f'<entry><id>yt:video:{vid}</id><yt:videoId>{vid}</yt:videoId><title>{title}</title>'
        f'<link rel="alternate" href="https://www.youtube.com/watch?v={vid}"/>'
        f'<author><name>Khabar 24</name></author><published>{when}</published>'
        f'<media:group><media:title>{title}</media:title>'
        f'<media:description>{description}</media:description>'
        f'<media:community><media:statistics views="{views}"/></media:community></media:group>'
        f'</entry>' for vid, title, when, description, views in videos)
    return ('<?xml version="1.0" encoding="UTF-8"?><feed xmlns:yt="http://www.youtube.com/xml/'
            'schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" '
            f'xmlns="http://www.w3.org/2005/Atom"><title>Khabar 24</title>{entries}</feed>')


def test_a_youtube_channel_gives_videos_with_their_description_and_views(site, db, tmp_path):
    feed = site.add("/feeds/videos.xml", youtube_feed([
        ("abc123", "Аида Балаева о грантах", "2026-11-23T08:00:00+00:00",
         "Министр культуры и информации рассказала о грантах для региональных СМИ.", 15234),
        ("def456", "Погода на неделю", "2026-11-23T06:00:00+00:00", "Снег и мороз.", 870),
    ]))
    settings = make_settings(tmp_path, [Source(id="khabar-yt", name="Khabar 24 (YouTube)",
                                               url=feed, format="youtube", kind="video")])
    fetch.run(db, settings, 1, NOW)
    extract.run(db, settings, 1, NOW)
    videos = {r["url"]: r for r in db["articles"].rows}
    first = videos["https://www.youtube.com/watch?v=abc123"]
    assert first["views"] == 15234 and first["extraction"] == "feed"
    assert first["text"].startswith("Министр культуры и информации рассказала")
    assert not store.pending_pages(db)  # nothing fetched from youtube.com


CHANNEL_ID = "UCk3hSt_JsG4bHvxR2cV9pWq"


@pytest.mark.parametrize("page", [
    # what a channel page carries in its <head>, attributes in YouTube's order
    '<html><head><link rel="alternate" type="application/rss+xml" title="RSS" '
    'href="/feeds/videos.xml?channel_id={id}"></head><body></body></html>',
    # no <link>, only the channel id in the page's embedded data
    '<html><body><script>var ytInitialData = {{"metadata": {{"channelMetadataRenderer": '
    '{{"title": "Tengrinews TV", "externalId": "{id}"}}}}}};</script></body></html>',
])
def test_a_youtube_channel_is_followed_from_its_handle_page(site, db, tmp_path, page):
    site.add("/@TengrinewsTVKZ", page.format(id=CHANNEL_ID))
    site.add(f"/feeds/videos.xml?channel_id={CHANNEL_ID}", youtube_feed([
        ("abc123", "Аида Балаева о грантах", "2026-11-23T08:00:00+00:00", "Гранты.", 10)]))
    settings = make_settings(tmp_path, [Source(id="tengri-yt", name="Tengrinews TV",
                                               url=site.url("/@TengrinewsTVKZ"),
                                               format="youtube", kind="video")])
    assert fetch.run(db, settings, 1, NOW)["sources_ok"] == 1
    assert [r["url"] for r in db["articles"].rows] == ["https://www.youtube.com/watch?v=abc123"]
    assert site.hits(f"/feeds/videos.xml?channel_id={CHANNEL_ID}") == 1


def test_a_channel_id_page_needs_no_page_fetch(site, db, tmp_path):
    site.add(f"/feeds/videos.xml?channel_id={CHANNEL_ID}", youtube_feed([
        ("abc123", "Аида Балаева о грантах", "2026-11-23T08:00:00+00:00", "Гранты.", 10)]))
    settings = make_settings(tmp_path, [Source(id="yt", name="Channel", format="youtube",
                                               url=site.url(f"/channel/{CHANNEL_ID}"))])
    assert fetch.run(db, settings, 1, NOW)["sources_ok"] == 1
    assert site.hits(f"/channel/{CHANNEL_ID}") == 0


def test_a_news_sitemap_index_gives_the_pages_since_the_last_run(site, db, tmp_path):
    pages = {n: site.add(f"/news/{n}.html", ARTICLE.format(title=f"Новость {n}"))
             for n in (1, 2, 3)}
    news = site.add("/sitemap-news.xml", (
        '<?xml version="1.0" encoding="UTF-8"?><urlset '
        'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        + "".join(f"<url><loc>{pages[n]}</loc><news:news><news:publication_date>{when}"
                  f"</news:publication_date><news:title>Новость {n}</news:title></news:news>"
                  "</url>"
                  for n, when in ((1, "2026-11-23T09:00:00+05:00"),
                                  (2, "2026-11-22T21:00:00+05:00"),
                                  (3, "2026-11-10T09:00:00+05:00")))
        + "</urlset>"))
    index = site.add("/sitemap.xml", (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{news}</loc><lastmod>2026-11-23</lastmod></sitemap>"
        f"<sitemap><loc>{site.url('/missing.xml')}</loc><lastmod>2020-01-01</lastmod></sitemap>"
        "</sitemapindex>"))
    settings = make_settings(tmp_path, [Source(id="kapital", name="Kapital.kz", url=index,
                                               format="sitemap")], retries=0)
    counts = fetch.run(db, settings, 1, NOW)
    extract.run(db, settings, 1, NOW)
    assert counts["sources_ok"] == 1 and counts["pages_ok"] == 2
    rows = {r["url"]: r for r in db["articles"].rows}
    assert sorted(rows) == sorted([pages[1], pages[2]])  # 10 November is before the window
    assert {r["extraction"] for r in rows.values()} == {"page"}
    assert rows[pages[1]]["title"] == "Новость 1"


def test_a_child_sitemap_in_windows_1251_is_read_in_the_charset_its_header_names(site, db,
                                                                                   tmp_path):
    page = site.add("/news/1.html", ARTICLE.format(title="Новость"))
    news = site.add("/sitemap-news.xml", (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{page}</loc><news:news><news:publication_date>2026-11-23T09:00:00+05:00"
        "</news:publication_date><news:title>Минкультуры и информации объявило конкурс"
        "</news:title></news:news></url></urlset>").encode("cp1251"),
        content_type="application/xml; charset=windows-1251")
    index = site.add("/sitemap.xml", (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{news}</loc></sitemap></sitemapindex>"))
    settings = make_settings(tmp_path, [Source(id="old", name="Old site", url=index,
                                               format="sitemap")])
    fetch.run(db, settings, 1, NOW)
    titles = [r["title"] for r in db["articles"].rows]
    assert titles == ["Минкультуры и информации объявило конкурс"]


def test_a_page_that_is_not_a_sitemap_fails_the_source_with_a_reason(site, db, tmp_path):
    url = site.add("/sitemap.xml", "<html><body>Главная страница</body></html>")
    settings = make_settings(tmp_path, [Source(id="x", name="X", url=url, format="sitemap")])
    counts = fetch.run(db, settings, 1, NOW)
    assert counts["sources_failed"] == 1
    assert store.source_state(db, "x")["last_error"] == "not a sitemap"


def test_a_section_page_gives_the_links_its_selector_picks(site, db, tmp_path):
    pages = [site.add(f"/kz/news/{n}", ARTICLE.format(title=f"Жаңалық {n}")) for n in (1, 2)]
    section = site.add("/kz/news", (
        '<html><body><nav><a href="/about">О нас</a></nav><div class="list">'
        '<div class="item"><a href="/kz/news/1">Жаңалық 1</a></div>'
        '<div class="item"><a href="/kz/news/2">Жаңалық 2</a></div>'
        '<div class="item"><a href="/kz/news/1">Жаңалық 1 (қайта)</a></div></div></body></html>'))
    settings = make_settings(tmp_path, [Source(id="aikyn", name="Aikyn", url=section,
                                               format="html-list", selector="div.item a")])
    counts = fetch.run(db, settings, 1, NOW)
    extract.run(db, settings, 1, NOW)
    assert counts["pages_ok"] == 2
    assert sorted(r["url"] for r in db["articles"].rows) == sorted(pages)
    assert all(r["date_source"] == "fetched" for r in db["articles"].rows)


@pytest.mark.parametrize("format, body, error, outcome", [
    ("telegram", "<html><body><p>Channel not found</p></body></html>", "no posts", "no_items"),
    ("youtube", "<?xml version='1.0'?><feed><entry><title>broken", "items without links",
     "no_links"),
    ("youtube@", "<html><body><h1>This channel does not exist.</h1></body></html>",
     "no channel feed named on the page", "parse"),
    ("html-list", "<html><body><p>Раздел пуст</p></body></html>", "no links match", "no_items"),
    ("sitemap", "<urlset><url><loc>ftp://x</loc></url>", "", None),
])
def test_a_broken_page_of_each_kind_fails_its_source_by_name_and_spares_the_rest(
        site, db, tmp_path, format, body, error, outcome):
    broken = site.add("/@broken" if format == "youtube@" else "/s/broken", body)
    format = format.rstrip("@")
    good = site.add("/feeds/videos.xml", youtube_feed([
        ("abc123", "Аида Балаева о грантах", "2026-11-23T08:00:00+00:00", "Гранты.", 10)]))
    settings = make_settings(tmp_path, [
        Source(id="broken", name="Broken", url=broken, format=format, selector="div.item a"),
        Source(id="good", name="Good", url=good, format="youtube")], retries=0)
    counts = fetch.run(db, settings, 1, NOW)
    state = store.source_state(db, "broken")
    if format == "sitemap":  # a sitemap with nothing in the period is not a failure
        assert counts["sources_ok"] == 2
    else:
        assert counts["sources_failed"] == 1 and error in state["last_error"]
    assert state["last_outcome"] == outcome
    assert [r["source_id"] for r in db["articles"].rows] == ["good"]
