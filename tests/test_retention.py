"""Retention ages article bodies by when clipper stored them, not by the date a page
claims: an undated item whose page looks years old keeps its text."""

from datetime import UTC, datetime, timedelta

from conftest import make_settings
from test_extract import GRANTS, night

from clipper import pipeline, store

NOW = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)
# An undated item's page that says it is from 2019 (a template's stale date).
MISDATED = f"""<html><head><title>Гранты</title>
<meta property="article:published_time" content="2019-03-01T09:00:00+05:00"></head><body>
<article><h1>Гранты для СМИ</h1><p>{GRANTS}</p></article></body></html>"""


def test_an_undated_item_misdated_by_its_page_keeps_its_text_after_pruning(site, db, tmp_path):
    site.add("/grants.html", MISDATED)
    articles = night(site, db, tmp_path, [("Гранты для СМИ", site.url("/grants.html"), "")],
                     dated=False)
    article = articles["/grants.html"]
    assert article["published_at"].startswith("2019-03-01")  # the page's own claim
    assert article["date_source"] == "page"

    counts = pipeline.prune(db, make_settings(tmp_path, []), NOW)
    assert counts["texts"] == 0
    assert db["articles"].get(article["id"])["text"] == GRANTS


def test_a_body_stored_over_a_year_ago_is_pruned_whatever_its_date(db, tmp_path):
    long_ago = store.to_iso(NOW - timedelta(days=400))
    for number, published in ((1, long_ago), (2, None)):
        db["articles"].insert({"id": number, "url": f"https://a.kz/{number}", "title": "Т",
                               "text": "Текст", "published_at": published,
                               "fetched_at": long_ago})
    db["articles"].insert({"id": 3, "url": "https://a.kz/3", "title": "Т", "text": "Текст",
                           "published_at": long_ago, "fetched_at": store.to_iso(NOW)})
    counts = pipeline.prune(db, make_settings(tmp_path, []), NOW)
    assert counts["texts"] == 2
    assert [row["text"] for row in db["articles"].rows_where(order_by="id")] == [
        None, None, "Текст"]
