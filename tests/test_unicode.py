"""Text from every kind of source is stored in one Unicode form (NFC), so a name typed
with a decomposed "й" or "ё" (a letter and a combining mark) is still found."""

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from conftest import make_settings
from test_extract import feed

from clipper import extract, fetch, store
from clipper.config import Source, load_settings
from clipper.detect import Detector

NOW = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)
PEER = "Министерство цифрового развития, инноваций и аэрокосмической промышленности"
SENTENCE = (f"{PEER} и Министерство культуры и информации объявили о совместной работе: "
            "её итоги подведут в конце года, а отчёт опубликуют на сайтах обоих ведомств.")


def decomposed(text: str) -> str:
    """As some editors and phones write it: й and ё as и, е plus a combining mark."""
    return unicodedata.normalize("NFD", text)


def test_decomposed_text_really_hides_the_name_until_normalized():
    detector = Detector(load_settings(Path(__file__).parent.parent / "sources.yaml").entities)
    assert decomposed(SENTENCE) != SENTENCE
    assert "mcri" not in {m.entity for m in detector.find(decomposed(SENTENCE), "ru")}
    assert "mcri" in {m.entity for m in detector.find(store.nfc({"text": decomposed(
        SENTENCE)})["text"], "ru")}


def test_pages_and_feed_summaries_are_stored_in_nfc_and_their_names_found(site, db, tmp_path):
    title = decomposed("Ведомства объявили о совместной работе")
    page = (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{decomposed(SENTENCE)}</p><p>{decomposed(SENTENCE)}</p></article></body></html>")
    site.add("/page.html", page)
    source = Source(id="outlet", name="Outlet", url=site.add("/rss", feed([
        (title, site.url("/page.html"), ""),
        (decomposed("Её отчёт"), site.url("/gone.html"), decomposed(SENTENCE))])))
    settings = make_settings(tmp_path, [source], retries=0)
    fetch.run(db, settings, 1, NOW)
    extract.run(db, settings, 1, NOW)
    rows = list(db["articles"].rows_where(order_by="id"))
    assert [row["extraction"] for row in rows] == ["page", "summary"]
    assert rows[0]["title"] == "Ведомства объявили о совместной работе"
    assert rows[1]["title"] == "Её отчёт"
    detector = Detector(settings.entities)
    for row in rows:
        assert SENTENCE in row["text"]
        assert "mcri" in {m.entity for m in detector.find(row["text"], "ru")}


def test_imported_items_are_stored_in_nfc(db):
    row = {"url": "file:///scan.pdf#1", "canonical_url": "file:///scan.pdf#1",
           "title": decomposed("Её отчёт"), "text": decomposed(SENTENCE),
           "author": decomposed("Алёна Сейтқали")}
    article_id = store.insert_listed_article(db, row)
    stored = db["articles"].get(article_id)
    assert stored["text"] == SENTENCE and stored["author"] == "Алёна Сейтқали"
    assert stored["url"] == row["url"]
