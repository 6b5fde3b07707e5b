"""Source health in the digest: every configured source that was not read, and why,
in the digest's language; the counts match the configuration."""

from click.testing import CliRunner
from conftest import DEFAULT_CONFIG, pdf_text, rss_feed
from test_pipeline import page

from clipper.cli import main


def config(tmp_path, site) -> str:
    site.add("/ok/1.html", page("Новость", ("Министерство культуры и информации провело "
                                            "совещание с редакторами газет. " * 6,)))
    good = site.add("/ok/rss", rss_feed([("Новость", site.url("/ok/1.html"), None)]))
    linkless = site.add("/nolinks/rss", '<?xml version="1.0"?><rss version="2.0"><channel>'
                        "<item><title>Без ссылки</title></item></channel></rss>")
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    head = text[:text.index("\nsources:")]
    head = head.replace("fetch:\n", "fetch:\n  retries: 0\n  allow_private: true\n", 1)
    head = head.replace("digest:\n", f"digest:\n  output_dir: {tmp_path / 'output'}\n", 1)
    sources = f"""
  - {{id: good, name: Хорошее издание, url: '{good}'}}
  - {{id: good, name: Дубликат, url: '{good}'}}
  - {{id: paused, name: Приостановленное, url: '{good}', enabled: false}}
  - {{id: linkless, name: Лента без ссылок, url: '{linkless}'}}
  - {{id: dead, name: Мёртвый сайт, url: 'http://127.0.0.1:9/rss'}}"""
    path = tmp_path / "sources.yaml"
    path.write_text(f"{head}\nsources:{sources}\n", encoding="utf-8")
    return str(path)


def test_every_source_not_read_is_listed_with_its_reason_in_the_digests_language(
        tmp_path, site):
    path = config(tmp_path, site)
    result = CliRunner().invoke(main, ["run", "--config", path, "--date", "2026-11-22",
                                       "--db", str(tmp_path / "clipper.db")])
    assert result.exit_code == 2, result.output  # one source skipped for its config line
    (pdf,) = (tmp_path / "output").glob("*.pdf")
    text = " ".join(pdf_text(pdf).split())
    health = text[text.index("Состояние источников"):]
    assert "Не прочитано: 4 из 5" in health
    assert "Дубликат ошибка в настройках, строка" in health
    assert "Приостановленное отключён в настройках" in health
    assert "Лента без ссылок в ленте записи без ссылок" in health
    assert "Мёртвый сайт недоступен" in health
    assert "Хорошее издание" not in health
    assert "Все источники доступны" not in text
    for raw in ("ConnectError", "Errno", "SAXParseException", "items without links"):
        assert raw not in text
