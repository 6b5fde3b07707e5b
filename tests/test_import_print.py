"""Newspaper pages (PDF, digital or scanned) imported as articles: split by headline,
columns in order."""

import json

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import DEFAULT_CONFIG
from weasyprint import HTML

from clipper import store
from clipper.cli import main
from clipper.importer import UnreadableFile, read_items

GRANTS = ("Районные газеты получат гранты на цифровые редакции", [
    "Министерство культуры и информации объявило конкурс государственных грантов для "
    "районных и городских газет. Заявки принимаются до конца декабря, а итоги подведут "
    "в феврале следующего года.",
    "По словам организаторов, в этом году на поддержку региональной прессы выделено "
    "вдвое больше средств, чем в прошлом. Деньги пойдут на обновление оборудования, "
    "обучение журналистов и запуск сайтов и мобильных приложений изданий.",
    "На презентации конкурса выступила вице-министр здравоохранения Акмарал Альназарова. "
    "Она предложила выделить отдельную номинацию для материалов о профилактике "
    "заболеваний в сельской местности и о работе фельдшерско-акушерских пунктов.",
    "Редакторы районных изданий из Абайской, Жетысуской и Улытауской областей рассказали, "
    "что многие газеты до сих пор верстаются на компьютерах десятилетней давности. "
    "«Грант для нас — возможность выжить», — сказал главный редактор газеты «Жаңа өмір» "
    "Ерлан Сапаров.",
    "Итоги конкурса будут опубликованы на сайте министерства, а победители подпишут "
    "договоры до первого марта.",
])
CONTEST = ("Мәдениет және ақпарат министрлігі жас журналистерге байқау жариялады", [
    "Мәдениет және ақпарат министрлігі жас журналистерге арналған республикалық "
    "шығармашылық байқау жариялады. Байқауға отыз жасқа дейінгі тілшілер мен "
    "студенттер қатыса алады.",
    "Ұйымдастырушылардың айтуынша, үздік материалдар үш санат бойынша бағаланады: "
    "өңірлер тынысы, мәдени мұра және цифрлық журналистика. Жеңімпаздар Астанадағы "
    "оқу бағдарламасына жолдама алады.",
    "Өтінімдер желтоқсанның жиырма бесіне дейін қабылданады. Қазылар алқасының "
    "құрамында тәжірибелі редакторлар мен университет оқытушылары бар.",
])
THEATRE = ("В Караганде после реконструкции открылся областной драмтеатр", [
    "Областной драматический театр имени Станиславского в Караганде принял первых "
    "зрителей после трёхлетней реконструкции. В здании заменили сцену, кресла, "
    "систему вентиляции и световое оборудование.",
    "На открытии показали премьеру спектакля по пьесе Мухтара Ауэзова. Билеты на "
    "ближайшие две недели были раскуплены за сутки, сообщили в администрации театра.",
    "Реконструкция обошлась областному бюджету в шесть миллиардов тенге. Подрядчик "
    "сдал объект с опозданием на полгода, но без увеличения сметы.",
])
# A newspaper's look: masthead and issue line, justified hyphenated columns, a running
# footer with the page number, indented paragraphs without space between them.
STYLE = """
@page { size: A4; margin: 12mm;
  @bottom-center { content: "Егемен Қазақстан · 3 бет"; font-size: 7pt; } }
body { font-family: 'DejaVu Serif'; font-size: 9.5pt; line-height: 1.25; }
.masthead { text-align: center; font: bold 30pt 'DejaVu Sans'; margin: 0; }
.issue { text-align: center; font-size: 8pt; border-bottom: 1.5pt solid black;
  padding-bottom: 3pt; margin: 2pt 0 10pt 0; }
.flow { column-count: 3; column-gap: 6mm; }
.flow, .cols, .side { text-align: justify; hyphens: auto; }
h2 { font: bold 15pt/1.1 'DejaVu Sans'; margin: 10pt 0 5pt 0; text-align: left; }
p { margin: 0; text-indent: 1em; }
.lead { float: left; width: 64%; } .lead h2 { font-size: 20pt; }
.cols { column-count: 2; column-gap: 6mm; }
.side { float: right; width: 32%; }
"""


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def article(lang: str, title: str, texts: list[str]) -> str:
    return f"<div lang='{lang}'><h2>{title}</h2>{paragraphs(texts)}</div>"


def three_columns() -> str:
    """The three articles flow through three columns, each broken across two."""
    return ("<div class='flow'>" + article("ru", *GRANTS) + article("kk", *CONTEST)
            + article("ru", *THEATRE) + "</div>")


def lead_over_two_columns() -> str:
    """A lead story's headline over its own two columns; two stories in a third."""
    title, texts = GRANTS
    return (f"<div class='lead' lang='ru'><h2>{title}</h2>"
            f"<div class='cols'>{paragraphs(texts)}</div></div>"
            f"<div class='side'>{article('kk', *CONTEST)}{article('ru', *THEATRE)}</div>")


def newspaper_page(path, layout: str) -> None:
    HTML(string=f"<html lang='ru'><head><style>{STYLE}</style></head><body>"
                "<p class='masthead'>ЕГЕМЕН ҚАЗАҚСТАН</p>"
                "<p class='issue'>№ 225 (31012) · 23 қараша 2026 · Жалпыұлттық газет</p>"
                f"{layout}</body></html>").write_pdf(path)


@pytest.mark.parametrize("layout", [three_columns, lead_over_two_columns])
def test_a_newspaper_page_becomes_its_articles_with_whole_sentences(tmp_path, layout):
    newspaper_page(tmp_path / "page.pdf", layout())

    items = read_items(tmp_path / "page.pdf")

    assert [item.title for item in items] == [GRANTS[0], CONTEST[0], THEATRE[0]]
    for item, (_, texts) in zip(items, [GRANTS, CONTEST, THEATRE], strict=True):
        assert item.text == "\n".join(texts)  # no masthead, footer, broken or lost line
    assert "вице-министр здравоохранения Акмарал Альназарова." in items[0].text


def test_an_imported_newspaper_page_is_three_articles_with_their_mentions(tmp_path):
    newspaper_page(tmp_path / "egemen.pdf", three_columns())
    result = CliRunner().invoke(main, [
        "import", str(tmp_path / "egemen.pdf"), "--kind", "print", "--outlet",
        "Egemen Qazaqstan", "--date", "2026-11-23", "--config", str(DEFAULT_CONFIG),
        "--db", str(tmp_path / "c.db")])

    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0])["new"] == 3
    db = store.open_db(tmp_path / "c.db")
    mentioned = {row["title"]: row["positions"] for row in db.query(
        "select a.title, group_concat(distinct m.position) as positions from articles a "
        "join mentions m on m.article_id = a.id where m.entity = 'mki' group by a.id")}
    assert set(mentioned) == {GRANTS[0], CONTEST[0]}
    assert "headline" in mentioned[CONTEST[0]]


def scanned(pdf_path, scan_path) -> None:
    """The page as a scanner gives it: an image of it at 200 dpi and no text at all."""
    with pdfplumber.open(pdf_path) as pdf:
        image = pdf.pages[0].to_image(resolution=200).original.convert("L")
    image.save(scan_path, resolution=200)
    with pdfplumber.open(scan_path) as pdf:
        assert not pdf.pages[0].extract_words()


def test_a_scanned_newspaper_page_is_read_by_ocr_and_its_mentions_found(tmp_path):
    newspaper_page(tmp_path / "page.pdf", three_columns())
    scanned(tmp_path / "page.pdf", tmp_path / "scan.pdf")

    result = CliRunner().invoke(main, [
        "import", str(tmp_path / "scan.pdf"), "--kind", "print", "--outlet",
        "Egemen Qazaqstan", "--date", "2026-11-23", "--config", str(DEFAULT_CONFIG),
        "--db", str(tmp_path / "c.db")])

    assert result.exit_code == 0, result.output
    db = store.open_db(tmp_path / "c.db")
    articles = list(db.query("select id, title, text, lang from articles order by id"))
    assert len(articles) == 3
    assert articles[0]["title"] == GRANTS[0]
    assert "вице-министр здравоохранения Акмарал Альназарова." in articles[0]["text"]
    assert "Реконструкция обошлась областному бюджету" in articles[2]["text"]
    mentioned = {row["lang"]: row["text"] for row in db.query(
        "select m.lang, m.text from mentions m where m.entity = 'mki'")}
    assert {"ru", "kk"} <= set(mentioned)
    assert mentioned["kk"].startswith("Мәдениет және ақпарат министрлі")


def test_a_scan_without_tesseract_names_the_packages_to_install(tmp_path, monkeypatch):
    newspaper_page(tmp_path / "page.pdf", three_columns())
    scanned(tmp_path / "page.pdf", tmp_path / "scan.pdf")
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without Tesseract

    with pytest.raises(UnreadableFile) as error:
        read_items(tmp_path / "scan.pdf")

    assert "apt-get install tesseract-ocr tesseract-ocr-kaz tesseract-ocr-rus" in str(error.value)
