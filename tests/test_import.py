"""Print and TV items imported from PDF, DOCX, TXT and CSV files."""

import json
import zipfile
from datetime import date

from click.testing import CliRunner
from conftest import DEFAULT_CONFIG
from weasyprint import HTML

from clipper import store
from clipper.analyse import analyse
from clipper.cli import main
from clipper.config import load_settings
from clipper.periods import Period
from clipper.render import render_html

TRANSCRIPT = ("Хабар 24, выпуск новостей 23 ноября.\n"
              "Министр культуры и информации Аида Балаева рассказала о грантах для районных газет.")
NEWSPAPER = ("<h1>Мәдениет және ақпарат министрлігі жаңа байқау жариялады</h1>"
             "<p>Мәдениет және ақпарат министрлігі өңірлік басылымдарға арналған байқау "
             "жариялады. Өтінімдер желтоқсанның соңына дейін қабылданады.</p>")
VENDOR_CSV = ("Дата;Канал;Тема;Текст\n"
              "23.11.2026;КТК;Аккредитация;Журналисты критикуют Министерство культуры и "
              "информации за задержки с аккредитацией.\n"
              "23.11.2026;Первый канал Евразия;Погода;Синоптики обещают снег в Астане.\n")


def docx(path, paragraphs: list[str]) -> None:
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{namespace}">'
                                              f"<w:body>{body}</w:body></w:document>")


def test_files_of_every_kind_are_imported_once_and_a_corrupt_one_is_named(tmp_path):
    (tmp_path / "efir.txt").write_text(TRANSCRIPT, encoding="utf-8")
    HTML(string=f"<html><body>{NEWSPAPER}</body></html>").write_pdf(tmp_path / "egemen.pdf")
    docx(tmp_path / "radio.docx", ["Радио Шалқар, 23 қараша.",
                                   "Балаеваның айтуынша, жаңа гранттар көктемде басталады."])
    (tmp_path / "vendor.csv").write_text(VENDOR_CSV, encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a pdf at all")
    files = [str(tmp_path / name)
             for name in ("efir.txt", "egemen.pdf", "radio.docx", "vendor.csv", "broken.pdf")]
    arguments = ["import", *files, "--kind", "tv", "--outlet", "Хабар 24", "--date",
                 "2026-11-23", "--config", str(DEFAULT_CONFIG), "--db", str(tmp_path / "c.db")]

    first = CliRunner().invoke(main, arguments)
    assert first.exit_code == 1
    summary = json.loads(first.output.splitlines()[0])
    assert (summary["files"], summary["new"]) == (4, 5) and summary["mentions"] >= 4
    assert f"Error: {tmp_path / 'broken.pdf'}: cannot be read" in first.output

    db = store.open_db(tmp_path / "c.db")
    mentioned = {row["source_id"] for row in db.query(
        "select distinct a.source_id from mentions m join articles a on a.id = m.article_id")}
    assert mentioned == {"khabar24", "ktk"}  # outlets listed in sources.yaml, by name
    outlets = {row["name"] for row in db["sources"].rows}
    assert {"Хабар 24", "КТК", "Первый канал Евразия"} <= outlets
    assert {row["media_kind"] for row in db["articles"].rows} == {"tv"}

    again = CliRunner().invoke(main, arguments)
    assert json.loads(again.output.splitlines()[0])["known"] == 5
    assert db["articles"].count == 5


VENDOR_EXPORT = (  # a vendor's own words for its columns, a column clipper does not use
    "\ufeffДата выхода;Канал / Издание;Заголовок;Хронометраж;Текст;Ссылка\n"
    "23.11.2026 19:40;Хабар 24;Гранты для СМИ;00:02:15;\"Министерство культуры и информации "
    "объявило конкурс\nгрантов для районных газет.\";https://24.kz/ru/news/123\n"
    "23.11.2026;Егемен Қазақстан;Байқау;;Мәдениет және ақпарат министрлігі өңірлік "
    "басылымдарға арналған байқау жариялады.;\n"
)


def test_a_vendor_export_is_read_by_its_own_column_names_and_an_unknown_one_is_named(tmp_path):
    (tmp_path / "export.csv").write_text(VENDOR_EXPORT, encoding="utf-8")
    arguments = ["import", str(tmp_path / "export.csv"), "--kind", "tv", "--outlet", "Неизвестно",
                 "--config", str(DEFAULT_CONFIG), "--db", str(tmp_path / "c.db")]

    result = CliRunner().invoke(main, arguments)

    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0])["new"] == 2
    warnings = [line for line in result.output.splitlines() if "column" in line]
    assert len(warnings) == 1 and '"Хронометраж"' in warnings[0]
    assert "Канал" not in warnings[0] and "Ссылка" not in warnings[0]
    db = store.open_db(tmp_path / "c.db")
    rows = {row["title"]: row for row in db.query(
        "select a.title, a.url, a.text, a.published_at, s.name from articles a "
        "join sources s on s.id = a.source_id")}
    assert set(rows) == {"Гранты для СМИ", "Байқау"}
    assert rows["Гранты для СМИ"]["name"] == "Хабар 24"
    assert rows["Байқау"]["name"] == "Егемен Қазақстан"
    assert rows["Гранты для СМИ"]["url"] == "https://24.kz/ru/news/123"
    assert rows["Гранты для СМИ"]["published_at"] == "2026-11-23T14:40:00+00:00"  # 19:40 Almaty
    assert "конкурс\nгрантов" in rows["Гранты для СМИ"]["text"]


def test_a_csv_without_a_text_column_names_the_columns_it_has(tmp_path):
    (tmp_path / "export.csv").write_text("Дата,Канал,Сюжет\n23.11.2026,КТК,Гранты\n",
                                         encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(tmp_path / "export.csv"), "--kind", "tv",
                                       "--outlet", "КТК", "--config", str(DEFAULT_CONFIG),
                                       "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 1
    assert "no text column" in result.output and "Сюжет" in result.output


def test_a_configured_channel_counts_with_its_weight_and_an_untimed_item_says_so(tmp_path):
    (tmp_path / "efir.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (tmp_path / "vendor.csv").write_text(
        "Дата выхода,СМИ,Заголовок,Текст\n"
        "23.11.2026 21:05,Районное ТВ,Гранты,Министерство культуры и информации "
        "объявило гранты для районных газет.\n", encoding="utf-8")
    arguments = ["import", str(tmp_path / "efir.txt"), str(tmp_path / "vendor.csv"), "--kind",
                 "tv", "--outlet", "khabar24", "--date", "2026-11-23",
                 "--config", str(DEFAULT_CONFIG), "--db", str(tmp_path / "c.db")]

    result = CliRunner().invoke(main, arguments)

    assert result.exit_code == 0, result.output
    assert 'outlet "Районное ТВ" is not in sources.yaml' in result.output
    settings = load_settings(DEFAULT_CONFIG)
    assert settings.outlet("ХАБАР 24").weight == 5 and not settings.outlet("khabar24").url
    assert "khabar24" not in {s.id for s in settings.sources}  # never fetched
    analysis = analyse(store.open_db(tmp_path / "c.db"), settings,
                       Period.of("day", date(2026, 11, 23)))
    clippings = {c["source_name"]: c for c in analysis["clippings"]}
    assert clippings["Хабар 24"]["weight"] == 5.0
    html = render_html(analysis, settings)
    meta = [line for line in html.splitlines() if 'class="meta"' in line]
    khabar = next(line for line in meta if "Хабар 24" in line)
    assert "23.11, время не указано" in khabar and "12:00" not in khabar
    assert "23:59" not in html
    assert any("Районное ТВ · 23.11 21:05" in line for line in meta)
