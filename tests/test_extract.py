"""Article pages read right: tables news needs, short posts, titles without the site's name."""

from datetime import UTC, datetime
from html import escape

import pytest
from conftest import make_settings

from clipper import extract, fetch
from clipper.config import Source
from clipper.extract import extract_page, without_site_name

NOW = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)


def feed(items, dated: bool = True) -> str:
    """RSS 2.0 from (title, link, description) triples; an empty description is left out."""
    when = "<pubDate>Sun, 22 Nov 2026 09:00:00 +0500</pubDate>" if dated else ""
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>{link}</link>{when}"
        + (f"<description>{escape(summary)}</description>" if summary else "") + "</item>"
        for title, link, summary in items)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{entries}' \
        "</channel></rss>"


def night(site, db, tmp_path, items, dated: bool = True) -> dict:
    """Fetch and extract one outlet served on loopback; its articles by URL path."""
    source = Source(id="outlet", name="Outlet", url=site.add("/rss", feed(items, dated)))
    settings = make_settings(tmp_path, [source], retries=0)
    fetch.run(db, settings, 1, NOW)
    extract.run(db, settings, 1, NOW)
    return {row["url"].replace(site.base_url, ""): row for row in db["articles"].rows}

LEAD = ("Министерство финансов опубликовало распределение бюджетных средств на ремонт "
        "сельских дорог по областям. Больше всего получит Карагандинская область, меньше "
        "всего — Мангистауская, где основная часть дорог была отремонтирована в прошлом году.")
AFTER = ("В министерстве уточнили, что деньги поступят в регионы до конца первого квартала, "
         "а подрядчиков выберут на открытых конкурсах.")
BUDGET = """<table class="data"><caption>Бюджет по областям, млрд тенге</caption>
<thead><tr><th>Область</th><th>2025</th><th>2026</th></tr></thead>
<tbody><tr><td>Карагандинская</td><td>10,1</td><td>12,4</td></tr>
<tr><td>Акмолинская</td><td>7,8</td><td>8,0</td></tr>
<tr><td>Мангистауская</td><td>3,2</td><td>2,9</td></tr></tbody></table>"""

# An old regional site: the whole page laid out in one table (menu, article, weather, footer).
LAID_OUT = f"""<html><head><meta charset="utf-8"><title>Дороги</title></head><body>
<table width="100%" border="0" cellpadding="0">
<tr><td colspan="3"><a href="/">Главная</a> | <a href="/news">Новости</a> |
<a href="/akimat">Акимат</a> | <a href="/contacts">Контакты</a></td></tr>
<tr><td width="20%" valign="top"><a href="/r/1">Экономика</a><br><a href="/r/2">Общество</a><br>
<a href="/r/3">Спорт</a><br><a href="/r/4">Культура</a></td>
<td valign="top"><h1>Деньги на сельские дороги распределили по областям</h1>
<p>{LEAD}</p>{BUDGET}<p>{AFTER}</p></td>
<td width="20%" valign="top"><a href="/weather">Погода в Караганде: −12</a></td></tr>
<tr><td colspan="3"><a href="/about">О сайте</a> © 2026 Газета «Орталық Қазақстан»</td></tr>
</table></body></html>"""

# An English article whose results table sits inside the article body.
RESULTS = """<html><head><title>Election results</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav><article>
<h1>Governing party keeps its majority in the Mazhilis</h1>
<p>The Central Election Commission published preliminary results on Monday morning, with
turnout at 54 percent and the governing party well ahead in every region of the country.</p>
<table><tr><th>Party</th><th>Share, %</th><th>Seats</th></tr>
<tr><td>Amanat</td><td>53.9</td><td>62</td></tr>
<tr><td>Auyl</td><td>10.9</td><td>8</td></tr>
<tr><td>Respublica</td><td>8.6</td><td>6</td></tr></table>
<p>Final results are due within ten days, after the commission counts postal ballots.</p>
</article><footer>(c) 2026 Astana Times</footer></body></html>"""


def test_an_article_set_in_a_layout_table_is_extracted_without_its_menus():
    extracted = extract_page(LAID_OUT, "https://ortalyq.kz/news/1")
    assert extracted is not None
    assert LEAD in extracted.text and AFTER in extracted.text
    for menu in ("Главная", "Экономика", "Погода", "О сайте"):
        assert menu not in extracted.text


def test_a_budget_table_inside_a_laid_out_article_keeps_its_rows():
    text = extract_page(LAID_OUT, "https://ortalyq.kz/news/1").text
    rows = [line for line in text.split("\n") if line.startswith("|")]
    assert "Бюджет по областям" in rows[0]  # the caption, then the header and three regions
    assert "Карагандинская" in rows[2] and "10,1" in rows[2] and "12,4" in rows[2]
    assert "Мангистауская" in rows[4] and "2,9" in rows[4]
    assert text.index(LEAD) < text.index(rows[0]) < text.index(AFTER)


def test_a_results_table_stays_with_the_article_row_by_row():
    extracted = extract_page(RESULTS, "https://astanatimes.com/2026/results")
    rows = [line for line in extracted.text.split("\n") if line.startswith("|")]
    assert len(rows) == 4 and "Amanat" in rows[1] and "53.9" in rows[1] and "62" in rows[1]
    assert "Final results are due" in extracted.text
    assert "---" not in extracted.text and "Home" not in extracted.text

RECEPTION = ("Аким области провёл приём граждан по вопросам жилья и коммунальных услуг: "
             "пришли сорок человек, большинство из новых микрорайонов на левом берегу.",
             "Жители жаловались на задержки с отоплением и на подрядчиков, которые третий "
             "месяц не могут закончить ремонт кровли в домах по улице Абая.",
             "По итогам приёма даны поручения профильным управлениям и районным акиматам; "
             "исполнение проверят через две недели.")
# An article whose paragraphs are the rows of a table, the date and headline in the first.
IN_ROWS = ("<html><body><div id=menu><a href=/>Главная</a> <a href=/n>Жаңалықтар</a></div>"
           "<table class=news><tr><td>22.11.2026</td><td><b>Приём граждан</b></td></tr>"
           + "".join(f"<tr><td colspan=2>{p}</td></tr>" for p in RECEPTION)
           + "</table><div>© 2026 Облыстық акимат</div></body></html>")


def test_an_article_in_table_rows_is_read_as_paragraphs_without_the_menu():
    extracted = extract_page(IN_ROWS, "https://akimat.kz/news/7")
    assert extracted.text.split("\n\n")[-3:] == list(RECEPTION)
    assert "Главная" not in extracted.text and "|" not in extracted.text


FLASH = "Срочно: в Астане на проспекте Абая перекрыли движение из-за прорыва теплотрассы."
FLASH_KK = "Шұғыл: Абай даңғылында жылу құбыры жарылды, көлік қозғалысы жабылды."
TEASER_PAGE = """<html><head><title>Гранты</title></head><body><nav><a href="/">Главная</a></nav>
<article><h1>Гранты для СМИ</h1><p>Подробности — в полной версии для подписчиков.</p>
</article></body></html>"""
GRANTS = ("Министерство культуры и информации объявило конкурс государственных грантов для "
          "региональных изданий: заявки принимают до конца декабря, победителей назовут в "
          "феврале, а размер одного гранта вырастет вдвое по сравнению с прошлым годом.")


def short_page(title: str, text: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><nav><a href='/'>Главная</a>"
            f"</nav><article><h1>{title}</h1><p>{text}</p></article>"
            "<footer>© 2026</footer></body></html>")


def test_short_posts_keep_their_page_text_when_the_feed_has_no_summary(site, db, tmp_path):
    site.add("/flash.html", short_page("Перекрыто движение", FLASH))
    site.add("/shugyl.html", short_page("Қозғалыс жабылды", FLASH_KK))
    articles = night(site, db, tmp_path, [
        ("Перекрыто движение", site.url("/flash.html"), ""),
        ("Қозғалыс жабылды", site.url("/shugyl.html"), "")])
    assert articles["/flash.html"]["text"] == FLASH
    assert articles["/flash.html"]["extraction"] == "page"
    assert articles["/shugyl.html"]["text"] == FLASH_KK


def test_a_longer_feed_summary_wins_over_a_page_teaser(site, db, tmp_path):
    site.add("/grants.html", TEASER_PAGE)
    articles = night(site, db, tmp_path, [("Гранты для СМИ", site.url("/grants.html"), GRANTS)])
    assert articles["/grants.html"]["text"] == GRANTS
    assert articles["/grants.html"]["extraction"] == "summary"


def test_a_windows_1251_page_declaring_utf8_is_stored_as_its_russian_text(site, db, tmp_path):
    caption = "Новости, 22.11.2026"
    page = (f'<html><head><meta charset="utf-8"><title>Фото</title></head><body>'
            f'<div class="photo"><img src="/1.jpg" alt=""></div><p>{caption}</p></body></html>')
    site.add("/photo.html", page.encode("cp1251"), Content_Type="text/html; charset=utf-8")
    articles = night(site, db, tmp_path, [("Фото", site.url("/photo.html"), "")])
    assert articles["/photo.html"]["text"] == caption
    assert db["pages"].get(articles["/photo.html"]["id"])["encoding"] == "cp1251"



@pytest.mark.parametrize(("title", "url", "sitename", "expected"), [
    ("Vláda schválila rozpočet - Seznam Zprávy", "https://www.seznamzpravy.cz/clanek/1", "",
     "Vláda schválila rozpočet"),
    ("Ministry announces grants for regional media | CBC News", "https://www.cbc.ca/news/1",
     "cbc.ca", "Ministry announces grants for regional media"),
    ("Минкультуры объявило конкурс — Tengrinews.kz", "https://tengrinews.kz/news/1", "",
     "Минкультуры объявило конкурс"),
    ("Tengrinews.kz — Минкультуры объявило конкурс", "https://kaz.tengrinews.kz/news/1", "",
     "Минкультуры объявило конкурс"),
    ("Министрлік гранттар жариялады | Kazinform", "https://www.inform.kz/kz/1", "Kazinform",
     "Министрлік гранттар жариялады"),
    ("Grants for regional papers | The Astana Times", "https://astanatimes.com/2026/11/1", "",
     "Grants for regional papers"),
    # Not a site's name: the headline's own dash, a name inside the headline.
    ("Бюджет-2026 — что изменится для СМИ", "https://tengrinews.kz/news/2", "",
     "Бюджет-2026 — что изменится для СМИ"),
    ("CBC cuts jobs - staff react", "https://www.cbc.ca/news/2", "cbc.ca",
     "CBC cuts jobs - staff react"),
    ("Итоги года: культура", "https://tengrinews.kz/news/3", "", "Итоги года: культура"),
])
def test_a_page_title_loses_the_site_name_only(title, url, sitename, expected):
    assert without_site_name(title, url, sitename) == expected


def test_an_item_without_a_feed_title_takes_the_page_title_without_the_site(site, db, tmp_path):
    head = ('<meta property="og:title" content="Минкультуры объявило конкурс грантов | Kazinform">'
            '<meta property="og:site_name" content="Kazinform">')
    site.add("/grants.html", f"<html><head>{head}</head><body><article><p>{GRANTS}</p>"
                             "</article></body></html>")
    site.add("/titled.html", f"<html><head>{head}</head><body><article><p>{GRANTS} "
                             "Подробности позже.</p></article></body></html>")
    articles = night(site, db, tmp_path, [("", site.url("/grants.html"), ""),
                                          ("Гранты | Kazinform", site.url("/titled.html"), "")])
    assert articles["/grants.html"]["title"] == "Минкультуры объявило конкурс грантов"
    assert articles["/titled.html"]["title"] == "Гранты | Kazinform"  # the feed's, as it is
