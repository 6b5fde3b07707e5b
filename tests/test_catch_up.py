"""Missed nights are caught up; a night with most sources down exits 1; old data is pruned."""

import os
from datetime import UTC, date, datetime, timedelta

from click.testing import CliRunner
from conftest import DEFAULT_CONFIG, make_settings, pdf_text

from clipper import pipeline, store
from clipper.cli import main
from clipper.config import load_settings


def config_with_dead_sources(tmp_path) -> str:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    head = text[:text.index("\nsources:")]
    head = head.replace("fetch:\n", "fetch:\n  retries: 0\n  allow_private: true\n", 1)
    head = head.replace("digest:\n", f"digest:\n  output_dir: {tmp_path / 'output'}\n", 1)
    sources = "".join(f"\n  - {{id: s{n}, name: Источник {n}, url: 'http://127.0.0.1:9/{n}'}}"
                      for n in range(3))
    path = tmp_path / "sources.yaml"
    path.write_text(f"{head}\nsources:{sources}\n", encoding="utf-8")
    return str(path)


def test_missed_nights_are_due_oldest_first(db):
    last = date(2026, 11, 23)
    assert pipeline.missed_days(db, last) == [last]
    run_id = store.start_run(db, "2026-11-20", "day")
    store.finish_run(db, run_id, "done", {"fetch": 1.0, "render": 0.5}, {})
    assert pipeline.missed_days(db, last) == [date(2026, 11, 21), date(2026, 11, 22), last]
    assert pipeline.missed_days(db, last, since=date(2026, 11, 23)) == [last]


def test_a_fetch_without_a_digest_does_not_count_as_a_finished_night(db):
    run_id = store.start_run(db, "2026-11-22", "day")
    store.finish_run(db, run_id, "done", {"fetch": 1.0}, {})
    assert pipeline.missed_days(db, date(2026, 11, 23))[0] == date(2026, 11, 23)


def test_since_writes_each_missed_digest_and_dead_sources_exit_1(tmp_path):
    config = config_with_dead_sources(tmp_path)
    yesterday = pipeline.yesterday(load_settings(config))
    since = yesterday - timedelta(days=2)
    result = CliRunner().invoke(main, ["run", "--config", config, "--db",
                                       str(tmp_path / "clipper.db"), "--since", str(since)])
    assert result.exit_code == 1
    assert "3 source(s) failed" in result.output
    written = sorted(p.name for p in (tmp_path / "output").glob("*.pdf"))
    assert written == [f"digest-{since + timedelta(days=n)}.pdf" for n in range(3)]


def test_retention_prunes_old_pages_bodies_and_html_but_keeps_pdfs_and_figures(db, tmp_path):
    settings = make_settings(tmp_path, [])
    now = datetime(2026, 11, 24, tzinfo=UTC)
    for number, age in ((1, 400), (2, 40), (3, 2)):
        when = store.to_iso(now - timedelta(days=age))
        db["articles"].insert({"id": number, "url": f"https://a.kz/{number}", "title": "T",
                               "text": "Текст", "published_at": when, "fetched_at": when})
        db["pages"].insert({"article_id": number, "html": b"<p>page</p>"})
        db["mentions"].insert({"article_id": number, "entity": "mki", "sentence": "Текст"})
    out = tmp_path / settings.digest.output_dir
    out.mkdir(parents=True, exist_ok=True)
    for name in ("digest-old", "digest-new"):
        (out / f"{name}.html").write_text("<p/>")
        (out / f"{name}.pdf").write_bytes(b"%PDF-")
    old = (now - timedelta(days=100)).timestamp()
    os.utime(out / "digest-old.html", (old, old))

    assert pipeline.prune(db, settings, now) == {"pages": 2, "texts": 1, "html": 1}
    assert [r["article_id"] for r in db["pages"].rows] == [3]
    assert [r["text"] for r in db["articles"].rows] == [None, "Текст", "Текст"]
    assert db["mentions"].count == 3
    assert sorted(p.name for p in out.iterdir()) == [
        "digest-new.html", "digest-new.pdf", "digest-old.pdf"]


def test_a_day_still_to_come_is_refused_and_the_catch_up_stays_on(tmp_path):
    config = config_with_dead_sources(tmp_path)
    tomorrow = pipeline.yesterday(load_settings(config)) + timedelta(days=2)
    db_path = tmp_path / "clipper.db"
    for command in (["digest"], ["run"], ["report"]):
        result = CliRunner().invoke(main, [*command, "--config", config, "--db", str(db_path),
                                           "--date", str(tomorrow)])
        assert result.exit_code == 2, result.output
        assert f"--date {tomorrow}: that day has not come yet" in result.output
    assert not (tmp_path / "output").exists()
    db = store.open_db(db_path)
    assert store.last_finished_day(db) is None and db["runs"].count == 0


def test_a_digest_of_a_day_before_monitoring_began_says_so(site, tmp_path):
    from test_pipeline import DAY, NOW, serve_outlets

    settings = make_settings(tmp_path, serve_outlets(site))
    db = store.open_db(tmp_path / "clipper.db")
    pipeline.run(db, settings, DAY, now=NOW, digest=False)
    _, pdf = pipeline.run(db, settings, DAY - timedelta(days=30), only=()).outputs
    text = " ".join(pdf_text(pdf).split())
    assert "Мониторинг ведётся с 22 ноября 2026" in text
    assert "Все источники доступны" not in text and "не найдено" not in text
    _, pdf = pipeline.run(db, settings, DAY, only=()).outputs
    assert "Мониторинг ведётся" not in pdf_text(pdf)
