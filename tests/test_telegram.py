"""Public Telegram channels from their web preview, served on loopback."""

from datetime import UTC, datetime

from conftest import make_settings, rss_feed

from clipper import extract, fetch, store
from clipper.config import Source
from clipper.stages import run_dedupe
from clipper.telegram import parse_channel

NOW = datetime(2026, 11, 23, 18, tzinfo=UTC)


def post(channel: str, number: int, when: str, text: str, views: str = "1.2K",
         forwarded: str = "") -> str:
    forward = (f'<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
               f'<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/x">'
               f'{forwarded}</a></div>') if forwarded else ""
    body = (f'<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>'
            if text else '<a class="tgme_widget_message_photo_wrap" href="#"></a>')
    return (f'<div class="tgme_widget_message_wrap js-widget_message_wrap">'
            f'<div class="tgme_widget_message js-widget_message" data-post="{channel}/{number}">'
            f'{forward}{body}<div class="tgme_widget_message_footer">'
            f'<span class="tgme_widget_message_views">{views}</span>'
            f'<a class="tgme_widget_message_date" href="https://t.me/{channel}/{number}">'
            f'<time datetime="{when}" class="time">12:00</time></a></div></div></div>')


def channel_page(*posts: str, title: str = "Министерство культуры и информации РК") -> str:
    return (f'<html><body><div class="tgme_channel_info_header_title"><span>{title}</span>'
            f'</div><section class="tgme_channel_history">{"".join(posts)}</section>'
            f'</body></html>')


LATEST = channel_page(
    post("mki_kz", 41, "2026-11-23T05:10:00+00:00",
         "Министерство культуры и информации продлило прием заявок на гранты.<br/>"
         "Подробности: <a href=\"{news}\">на сайте</a> и <a href=\"https://t.me/mki_kz/40\">"
         "в прошлом посте</a>."),
    post("mki_kz", 42, "2026-11-23T07:00:00+00:00", ""),
    post("mki_kz", 43, "2026-11-23T09:30:00+00:00",
         "Мәдениет және ақпарат министрлігі жаңа байқау жариялады.", views="987",
         forwarded="Kazinform"),
)
OLDER = channel_page(
    post("mki_kz", 39, "2026-11-20T08:00:00+00:00", "Старый пост о театрах.", views="15K"),
    post("mki_kz", 40, "2026-11-22T08:00:00+00:00", "Анонс брифинга Аиды Балаевой."),
)


def test_posts_keep_their_text_views_forwards_and_outside_links():
    (first, second) = parse_channel(LATEST.replace("{news}", "https://zakon.kz/1"), "mki_kz")
    assert first.url == "https://t.me/mki_kz/41"
    assert first.title == "Министерство культуры и информации продлило прием заявок на гранты."
    assert "Подробности: на сайте" in first.summary and first.views == 1200
    assert first.links == ("https://zakon.kz/1",)  # the channel's own post is not outside
    assert (second.views, second.forwarded_from) == (987, "Kazinform")
    assert second.published == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_a_channel_is_read_back_and_a_story_that_starts_in_a_post_spreads_to_the_news(
        site, db, tmp_path):
    news = site.add("/zakon/1.html", "<html><body><article><h1>Гранты</h1><p>"
                    + "Министерство культуры и информации продлило прием заявок. " * 8
                    + "</p></article></body></html>")
    site.add("/s/mki_kz", LATEST.replace("{news}", news))
    site.add("/s/mki_kz?before=41", OLDER)
    settings = make_settings(tmp_path, [
        Source(id="mki-tg", name="МКИ в Telegram", url=site.url("/s/mki_kz"), format="telegram",
               kind="telegram"),
        Source(id="zakon", name="Zakon.kz", url=site.add("/zakon/rss", rss_feed(
            [("Гранты", news, "Mon, 23 Nov 2026 11:00:00 +0500")]))),
    ], retries=0)
    counts = fetch.run(db, settings, 1, NOW)
    assert counts["sources_ok"] == 2
    extract.run(db, settings, 1, NOW)
    run_dedupe(db, settings, 1, NOW)
    posts = {r["url"]: r for r in db["articles"].rows_where("source_id = 'mki-tg'")}
    assert sorted(posts) == [f"https://t.me/mki_kz/{n}" for n in (39, 40, 41, 43)]
    assert posts["https://t.me/mki_kz/39"]["views"] == 15000
    assert posts["https://t.me/mki_kz/43"]["forwarded_from"] == "Kazinform"
    assert {p["extraction"] for p in posts.values()} == {"feed"}
    assert site.hits("/s/mki_kz?before=41") == 1 and not store.pending_pages(db)
    article = next(db["articles"].rows_where("source_id = 'zakon'"))
    assert posts["https://t.me/mki_kz/41"]["story_id"] == article["story_id"]
    story = db["stories"].get(article["story_id"])  # the post came first: the story starts there
    assert (story["first_source_id"], story["outlets"]) == ("mki-tg", 2)


def test_finding_the_post_that_links_a_page_reads_only_posts_with_links(db):
    plan = " ".join(str(row) for row in db.execute(
        "explain query plan " + store.LINKING_POST, ["https://a.kz/1"]).fetchall())
    assert "articles_with_links" in plan
    assert store.story_linking_to(db, "https://a.kz/1") is None
