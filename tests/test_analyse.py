"""The analysis on a generated history whose answers are known."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from conftest import DEFAULT_CONFIG, make_settings

from clipper import attention, topics
from clipper.analyse import analyse, article_tone
from clipper.cli import main
from clipper.periods import Period
from clipper.store import to_iso

DAY = date(2026, 11, 20)
ALMATY = ZoneInfo("Asia/Almaty")
ORDINARY = "Министерство культуры и информации провело совещание с редакторами."


class History:
    """Articles with one mention each, written straight into a real database."""

    def __init__(self, db, settings):
        self.db, self.settings, self.next_id = db, settings, 1

    def source(self, source_id: str, kind: str = "online", weight: float = 1.0) -> None:
        self.db["sources"].upsert({"id": source_id, "name": source_id.title(), "kind": kind,
                                   "weight": weight, "url": f"https://{source_id}.kz/rss",
                                   "lang": "ru"}, pk="id")

    def article(self, source_id: str, when: datetime, title: str, sentence: str = ORDINARY,
                tone: str = "neutral", story: int | None = None, mention: bool = True,
                entity: str = "mki") -> int:
        number, self.next_id = self.next_id, self.next_id + 1
        self.db["articles"].insert({
            "id": number, "url": f"https://{source_id}.kz/{number}", "source_id": source_id,
            "canonical_url": f"https://{source_id}.kz/{number}", "title": title,
            "text": sentence, "published_at": to_iso(when),
            "story_id": story or number, "lang": "ru", "extraction": "page"})
        if mention:
            self.db["mentions"].insert({
                "article_id": number, "entity": entity, "text": "Министерство", "start": 0,
                "end": 12, "sentence": sentence, "sentence_start": 0, "position": "lead",
                "lang": "ru", "tone": tone, "tone_score": 0.9, "tone_cues": json.dumps(["cue"]),
                "tone_source": "model"})
        return number

    def ordinary_days(self, last: date, days: int, per_day: int) -> None:
        for back in range(1, days + 1):
            for n in range(per_day):
                self.article("tengrinews", at(last - timedelta(days=back), 9 + n),
                             f"Совещание {back}-{n}")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ALMATY)


@pytest.fixture
def history(db, tmp_path):
    settings = make_settings(tmp_path, [])
    made = History(db, settings)
    for source_id in ("tengrinews", "zakon", "orda", "vlast"):
        made.source(source_id, weight=3.0)
    made.source("mki-site", kind="own")
    return made


def day_analysis(history, day: date = DAY, kind: str = "day") -> dict:
    return analyse(history.db, history.settings, Period.of(kind, day))


def test_a_spike_is_significant_and_a_small_rise_is_not(history):
    history.ordinary_days(DAY, 28, per_day=2)
    for n in range(12):
        history.article("zakon", at(DAY, 8, n), f"Новость {n}")
    spike = day_analysis(history)["changes"]["articles"]
    assert (spike["current"], spike["significant"]) == (12, True)

    later = DAY + timedelta(days=1)
    for n in range(3):
        history.article("zakon", at(later, 8, n), f"Заметка {n}")
    rise = day_analysis(history, later)["changes"]["articles"]
    assert rise["current"] == 3 and rise["significant"] is False


def test_a_spreading_negative_story_comes_first_until_it_is_answered(history):
    history.ordinary_days(DAY, 7, per_day=1)
    negative = "Журналисты критикуют Министерство культуры и информации за аккредитацию."
    story = history.article("orda", at(DAY, 9), "Жалобы на аккредитацию", negative, "negative")
    for source_id, hour in (("vlast", 19), ("zakon", 21)):
        history.article(source_id, at(DAY, hour), "Жалобы на аккредитацию", negative,
                        "negative", story=story)
    history.article("tengrinews", at(DAY, 10), "Мелкая претензия", negative, "negative")

    first, second = day_analysis(history)["attention"]
    assert first["id"] == story and first["spreading"] and first["answer"] is None
    assert first["first"]["source_id"] == "orda" and first["outlets"] == 3
    assert first["urgency"] > second["urgency"]

    history.article("mki-site", at(DAY + timedelta(days=1), 11),
                    "Разъяснение о порядке аккредитации СМИ", mention=False)
    week = day_analysis(history, DAY + timedelta(days=1), kind="week")
    answered = next(s for s in week["attention"] if s["id"] == story)
    assert answered["answer"]["source_id"] == "mki-site"


def test_the_latest_side_of_an_issue_shows_the_topics_days_and_course(history):
    """Complaints about accreditation on two days, a day without, the ministry's answer,
    and today a new failure: today's story is the issue's fifth day, with its course;
    a negative story of no configured topic has none."""
    history.ordinary_days(DAY, 7, per_day=1)
    sides = [(4, "orda", "Жалобы на аккредитацию",
              "Журналисты критикуют Министерство культуры и информации за аккредитацию.",
              "negative"),
             (3, "vlast", "Открытое письмо об аккредитации",
              "Редакции просят Министерство культуры и информации отменить аккредитацию.",
              "negative"),
             (1, "tengrinews", "Аккредитации продлены",
              "Министерство культуры и информации ответило на жалобы: аккредитация продлена.",
              "neutral"),
             (0, "zakon", "Портал снова не работает",
              "Министерство культуры и информации не может запустить портал: постановка на "
              "учет снова сорвана.", "negative")]
    for back, source_id, title, sentence, tone in sides:
        history.article(source_id, at(DAY - timedelta(days=back), 10), title, sentence, tone)
    history.article("tengrinews", at(DAY, 12), "Жалоба на театр",
                    "Зрители критикуют Министерство культуры и информации за ремонт.", "negative")

    analysis = day_analysis(history)
    stories = {s["headline"]: s for s in analysis["attention"]}
    thread = stories["Портал снова не работает"]["thread"]
    assert (thread["name"], thread["day"], thread["began"]) == (
        "Учет и аккредитация СМИ", 5, (DAY - timedelta(days=4)).isoformat())
    assert (thread["articles"], thread["storylines"]) == (4, 4)
    assert thread["first"]["source_name"] == "Orda"
    assert [(d["date"], d["tone"], d["answer"]) for d in thread["course"]] == [
        ((DAY - timedelta(days=back)).isoformat(), tone, tone == "neutral")
        for back, *_, tone in sides]
    assert "thread" not in stories["Жалоба на театр"]
    assert {t["id"]: t["day"] for t in analysis["topics"]}["registration"] == 5


@pytest.mark.parametrize(("days", "began"), [
    ((1, 2, 6, 7), 6),  # three days without an article end the run
    ((3, 5, 7), 3),     # a day without does not
    ((1, 4, 7), 1),     # nor do two
    ((5, 6), None),     # nothing on the last day: no run
])
def test_a_topics_run_of_coverage_pauses_two_days_at_most(days, began):
    found = topics.run_began({date(2026, 11, d) for d in days}, date(2026, 11, 7))
    assert found == (date(2026, 11, began) if began else None)


def test_a_rubrics_articles_found_through_the_index_are_those_it_holds():
    """The index finds the articles a rubric holds in every form of its keywords and
    languages, a phrase only where all its words are, as each article read in turn."""
    texts = ["Журналисты жалуются на постановку на учет", "Учета СМИ не будет",
             "Аккредитациясы тоқтатылды", "Тіркеуге тұру қиын", "Registration of outlets",
             "Поставили на место", "Учебный год начался", "Гранты для СМИ"]
    terms_of = {n: set(topics.terms(text, "kk" if n in (2, 3) else "ru"))
                for n, text in enumerate(texts)}
    rubric = topics.rubric_terms(("учет", "аккредитация", "постановка на учет", "тіркеу",
                                  "registration"))
    found = topics.Index(terms_of).holding(rubric)
    assert found == {n for n, terms in terms_of.items() if topics.in_rubric(terms, rubric)}
    assert found == {0, 1, 2, 3, 4}


def test_a_term_of_the_latest_week_only_surfaces(history):
    history.ordinary_days(DAY - timedelta(days=7), 21, per_day=2)
    for n in range(5):
        history.article("vlast", at(DAY - timedelta(days=n), 12),
                        f"Обзор {n}", "Министерство культуры и информации обсудило нейросети.")
    terms = [t["term"] for t in day_analysis(history, DAY, kind="week")["emerging_terms"]]
    assert "нейросеть" in terms and "совещание" not in terms


def test_an_own_channel_silent_for_twenty_days_is_flagged(history):
    history.article("mki-site", at(DAY - timedelta(days=20), 10), "Анонс", mention=False)
    (channel,) = day_analysis(history)["own_channels"]
    assert (channel["silent_days"], channel["too_quiet"], channel["posts"]) == (20, True, 0)


def test_an_official_quoted_in_the_period_is_a_speaker(history):
    history.article("vlast", at(DAY, 10), "Совещание")
    history.article("zakon", at(DAY, 11), "Балаева о грантах",
                    "Мы увеличим гранты, — заявила Аида Балаева.", entity="balaeva")
    history.article("orda", at(DAY, 12), "Форум", "На форуме была Аида Балаева.",
                    entity="balaeva")
    (speaker,) = day_analysis(history)["speakers"]
    assert (speaker["name"], speaker["articles"]) == ("Аида Балаева", 2)
    assert speaker["quotes"] == ["Мы увеличим гранты, — заявила Аида Балаева."]


@pytest.mark.parametrize("sentence, speaks", [
    ("Минкультуры и информации ответило на жалобы журналистов.", True),
    ("В пресс-службе министерства пояснили, что сроки продлены.", True),
    ("Министрлік баспасөз қызметі түсініктеме берді.", True),
    ("The ministry responded to the complaints on Friday.", True),
    ("В министерстве пока не ответили на запрос редакции.", False),
    ("The ministry had not publicly commented on the complaints.", False),
    ("Журналисты критикуют министерство за задержки.", False),
])
def test_the_organization_speaking_is_told_from_its_silence(sentence, speaks):
    assert attention.speaks(sentence) is speaks


def test_the_analysis_is_printed_as_json_and_as_a_summary(history, tmp_path):
    negative = "Журналисты критикуют Министерство культуры и информации за аккредитацию."
    history.article("orda", at(DAY, 9), "Жалобы на аккредитацию", negative, "negative")
    arguments = ["analyse", "--config", str(DEFAULT_CONFIG), "--db", str(tmp_path / "clipper.db"),
                 "--date", DAY.isoformat()]
    printed = json.loads(CliRunner().invoke(main, [*arguments, "--json"]).output)
    assert printed["figures"]["negative"] == 1 and printed["attention"][0]["headline"]
    summary = CliRunner().invoke(main, arguments).output
    assert "! Жалобы на аккредитацию — Orda, 1 outlet(s), unanswered" in summary


def _mention(tone, position, cues, score=0.8):
    return {"tone": tone, "position": position, "tone_score": score,
            "tone_cues": json.dumps(cues, ensure_ascii=False)}


def test_an_article_shows_the_cues_of_its_own_tone_only():
    praised_headline = [_mention("positive", "headline", ["поблагодарил"]),
                        _mention("negative", "body", ["раскритиковали"])]
    assert article_tone(praised_headline) == ("positive", ["поблагодарил"])
    balanced = [_mention("positive", "body", ["поблагодарил"], 0.6),
                _mention("negative", "body", ["раскритиковали"], 0.6)]
    assert article_tone(balanced) == ("neutral", [])
