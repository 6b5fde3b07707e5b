"""Print and TV items imported from PDF, DOCX, TXT and CSV files."""

import json
import zipfile

from click.testing import CliRunner
from conftest import DEFAULT_CONFIG
from weasyprint import HTML

from clipper import store
from clipper.cli import main

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
    assert mentioned == {"import-хабар-24", "import-ктк"}
    outlets = {row["name"] for row in db["sources"].rows}
    assert {"Хабар 24", "КТК", "Первый канал Евразия"} <= outlets
    assert {row["media_kind"] for row in db["articles"].rows} == {"tv"}

    again = CliRunner().invoke(main, arguments)
    assert json.loads(again.output.splitlines()[0])["known"] == 5
    assert db["articles"].count == 5
