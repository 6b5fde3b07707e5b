"""`clipper demo`: the bundled fortnight through the real pipeline, to the last day's PDF."""

import dataclasses
import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta

import pytest
from conftest import pdf_text
from pypdf import PdfReader

from clipper import pipeline, store
from clipper.analyse import analyse, is_significant
from clipper.config import load_settings
from clipper.demo import default_config_path, run_demo
from clipper.periods import Period


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    result = run_demo(out, out / "demo.db")
    return out, result


def test_the_demo_writes_the_last_days_digest(demo):
    out, result = demo
    pdf = out / "digest-2026-11-23.pdf"
    assert pdf in result.outputs and (out / "digest-2026-11-23.html").exists()
    text = pdf_text(pdf)
    assert "Министерство культуры и информации" in text
    assert "накануне" in text  # the previous day's figures stand beside the day's
    assert "МКИ РК подвело итоги госинформзаказа" in text
    for follower in ("Zakon.kz", "Nur.kz", "Inbusiness.kz", "Informburo.kz"):
        assert follower in text
    assert "Мәдениет және ақпарат министрлігі" in text  # a Kazakh clipping
    assert "Требует внимания" in text and "Портал для постановки СМИ" in text


def test_kazakh_letters_are_embedded_as_glyphs(demo):
    out, _ = demo
    reader = PdfReader(out / "digest-2026-11-23.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    html = (out / "digest-2026-11-23.html").read_text(encoding="utf-8")
    kazakh = set("әғқңөұүһі") & set(html)
    assert len(kazakh) >= 5 and kazakh <= set(text)
    assert not re.search("[\ufffd\u25a1]", text)  # no replacement boxes


def test_the_reprints_are_one_story_with_its_first_publisher(demo):
    out, _ = demo
    db = store.open_db(out / "demo.db")
    (story,) = db.query(
        "select s.* from stories s join articles a on a.story_id = s.id "
        "where a.url like '%kazinform-2026-11-23-goszakaz-itogi%'")
    assert story["first_source_id"] == "kazinform" and story["outlets"] == 5
    runs = [r["outcome"] for r in db["runs"].rows]
    assert len(runs) == 15 and set(runs) == {"done"}


def test_a_day_is_set_beside_the_same_weekday_a_week_before(demo):
    out, _ = demo
    db = store.open_db(out / "demo.db")
    settings = load_settings(default_config_path())
    monday = analyse(db, settings, Period.of("day", date(2026, 11, 23)))
    week_before = analyse(db, settings, Period.of("day", date(2026, 11, 16)))
    assert monday["week_ago_figures"] == week_before["figures"]
    assert monday["week_ago_figures"]["articles"] > 0


def test_the_weekly_review_compares_with_the_week_before_in_few_pages(demo, tmp_path):
    out, _ = demo
    db = store.open_db(out / "demo.db")
    settings = load_settings(default_config_path())
    settings = settings.replace(digest=dataclasses.replace(settings.digest,
                                                           output_dir=str(tmp_path)))
    html, pdf = pipeline.report(db, settings, "week", date(2026, 11, 22))
    assert pdf.name == "report-week-2026-11-16.pdf"
    text = pdf_text(pdf)
    assert "Обзор за неделю" in text and "16–22 ноября 2026" in text
    assert "неделей ранее" in text
    assert "Требует внимания" in text and "Портал для постановки" not in text  # that was Monday
    assert len(PdfReader(pdf).pages) <= 4
    # a week of history before it is too little to call any change significant
    week = analyse(db, settings, Period.of("week", date(2026, 11, 22)))
    assert {c["significant"] for c in week["changes"].values()} == {None}


def test_small_numbers_are_not_news():
    assert not is_significant(7, 5.0)  # "mentions +40%" on 5 -> 7
    assert is_significant(30, 5.0)
    assert is_significant(0, 12.0)


def test_the_days_part_of_the_accreditation_crisis_is_led_by_the_telegram_post(demo):
    """On the digest's day the portal is down again: a Telegram post first, Orda.kz
    50 minutes later; the storyline needs attention, spreads, and is led by the post.
    (The crisis's earlier sides, from 17.11, are storylines of their own: the model
    links a developing issue's sides only where its out-of-fold figures allow.)"""
    out, _ = demo
    text = " ".join(pdf_text(out / "digest-2026-11-23.pdf").split())
    assert re.search(r"Требует внимания Портал для постановки СМИ на учет снова не работает\. "
                     r"Первым опубликовал: Медиа Ньюс KZ \(Telegram\), 23\.11 08:40 · "
                     r"2 издания · охват [\d.]+ · распространяется", text)
    assert "Медиа Ньюс KZ (Telegram), 23.11 08:40 · Подхватили: Orda.kz +50 мин" in text
    assert ("Портал для постановки СМИ на учет снова не работает. Медиа Ньюс KZ · 23.11 08:40"
            in text)


def test_the_crisis_shows_its_days_and_course_under_todays_side(demo):
    """The portal down again is the crisis's seventh day: the topic the press office
    named it by ("Учет и аккредитация СМИ") has been covered since 17.11, begun by
    Orda.kz's complaints, then the ministry's answer of 21.11 turning the coverage
    neutral, then negative again. Today's other sides name the topic without repeating
    its course."""
    out, _ = demo
    text = " ".join(pdf_text(out / "digest-2026-11-23.pdf").split())
    start = text.index("Требует внимания Портал")
    attention = text[start:text.index("Главные сюжеты", start)]
    course = re.search(r"Портал для постановки СМИ на учет снова не работает\..*?"
                       r"Тема «Учет и аккредитация СМИ»: день 7 · начало: Orda\.kz, 17\.11 10:20 · "
                       r"(\d+) публикаци\w+, (\d+) сюжет\w* · ход: (.*?) Признаки", attention)
    assert course, attention[:600]
    days = course.group(3).split(" → ")
    assert days[0].startswith("17.11 негатив") and days[-1].startswith("23.11 негатив")
    assert any(d.startswith("21.11 нейтрально") and d.endswith("ответ") for d in days)
    assert int(course.group(1)) > int(course.group(2)) > 1
    assert attention.count("Тема «Учет и аккредитация СМИ»: день 7, с 17.11 · ход темы — выше") >= 1


def test_a_newspaper_page_imported_as_a_file_is_in_the_digest_as_print(demo):
    out, _ = demo
    text = " ".join(pdf_text(out / "digest-2026-11-23.pdf").split())
    assert "Районные газеты получат поддержку государства" in text
    assert "Казахстанская правда (печать)" in text and "печать: 1" in text


def test_the_analysis_is_the_same_whatever_the_hash_seed(demo):
    """Terms, speakers and stories come from sets: their order must not follow the
    process's hash seed, or two runs on the same data print different digests."""
    out, _ = demo
    printed = set()
    for seed in ("1", "2", "3", "4"):
        printed.add(subprocess.run(
            [sys.executable, "-m", "clipper", "--quiet", "analyse", "--json",
             "--config", str(default_config_path()), "--db", str(out / "demo.db"),
             "--date", "2026-11-23"],
            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True,
            check=True).stdout)
    assert len(printed) == 1
    # something to put in order (the demo's day has too few stories for an emerging
    # term once a term counts once per story, not once per reprint)
    analysis = json.loads(printed.pop())
    assert analysis["stories"] and analysis["share_of_voice"]


STATE_OF_NOW = {"last_attempt_at", "last_success_at", "failing_since"}  # source health


def timestamps(tree, key=None):
    """Every ISO time in an analysis, but the sources' present state."""
    if isinstance(tree, dict):
        for name, value in tree.items():
            if name not in STATE_OF_NOW:
                yield from timestamps(value, name)
    elif isinstance(tree, list):
        for value in tree:
            yield from timestamps(value, key)
    elif isinstance(tree, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:]+(\+00:00)?", tree):
        yield key, tree


def test_a_digest_written_later_counts_only_what_was_out_by_the_days_end(demo):
    """A catch-up writes old days' digests after later news came in: a day's reprints,
    follow-ups and channels stop at its end."""
    out, _ = demo
    db = store.open_db(out / "demo.db")
    settings = load_settings(default_config_path())
    checked = 0
    for offset in range(14):
        period = Period.of("day", date(2026, 11, 9) + timedelta(days=offset))
        end = period.bounds(settings.tz)[1]
        times = list(timestamps(analyse(db, settings, period)))
        assert [(key, at) for key, at in times if at >= end] == [], period.first
        checked += len(times)
    assert checked > 200
