import re
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import DEFAULT_CONFIG, make_settings

from clipper import store
from clipper.cli import main
from clipper.config import DedupeSettings
from clipper.dedupe import StoryIndex, canonical_url, content_hash, shingle_hashes
from clipper.stages import run_dedupe

AGENCY = (
    "Министерство культуры и информации Казахстана объявило итоги конкурса государственных "
    "грантов для независимых средств массовой информации. В 2027 году поддержку получат "
    "сорок два издания из четырнадцати регионов страны, общая сумма составит 1,8 млрд тенге. "
    "По словам вице-министра, приоритет отдан региональным газетам и детским журналам, а также "
    "проектам на казахском языке. Прием заявок проходил с 1 по 30 октября на портале ведомства."
)
REPRINT = (
    "Гранты получат 42 издания. " + AGENCY.replace("объявило итоги", "подвело итоги")
    + " Читайте также: В Астане открылся медиафорум."
)
OTHER_STORY = (
    "Министерство культуры и информации Казахстана проверит работу районных библиотек. "
    "Комиссия побывает в пятнадцати районах Туркестанской области и оценит состояние фондов, "
    "доступ к интернету и число читателей. Итоги проверки обещают опубликовать до конца года."
)


SETTINGS = DedupeSettings()
NOW = datetime(2026, 11, 24, tzinfo=UTC)


def index_of(text: str, story_id: int = 10) -> StoryIndex:
    index = StoryIndex(SETTINGS)
    hashes = shingle_hashes(text, SETTINGS.shingle_size)
    index.add("1", story_id, index.sketch(hashes), hashes)
    return index


def story_of(index: StoryIndex, text: str) -> int | None:
    hashes = shingle_hashes(text, SETTINGS.shingle_size)
    return index.match(index.sketch(hashes), hashes)


@pytest.mark.parametrize(("variant", "canonical"), [
    ("https://tengrinews.kz/news/granty-123/?utm_source=tg&utm_medium=social",
     "https://tengrinews.kz/news/granty-123"),
    ("http://m.tengrinews.kz/news/granty-123/amp/", "https://tengrinews.kz/news/granty-123"),
    ("https://TENGRINEWS.kz:443/news/granty-123?fbclid=abc#comments",
     "https://tengrinews.kz/news/granty-123"),
    ("https://zakon.kz/news?id=5&yclid=9&page=2", "https://zakon.kz/news?id=5&page=2"),
])
def test_canonical_url_folds_tracking_amp_and_mobile_variants(variant, canonical):
    assert canonical_url(variant) == canonical


def test_content_hash_ignores_case_quotes_and_spacing():
    assert content_hash("«Гранты»  для СМИ.") == content_hash('"гранты" для сми')
    assert content_hash("Гранты для СМИ 2027") != content_hash("Гранты для СМИ 2028")


def test_reprint_with_new_headline_and_boilerplate_joins_the_story():
    assert story_of(index_of(AGENCY), REPRINT) == 10


def test_different_story_of_the_same_ministry_stays_apart():
    assert story_of(index_of(AGENCY), OTHER_STORY) is None


def test_shingle_hashes_ignore_case_punctuation_and_yo():
    assert np.array_equal(shingle_hashes("«Объём» грантов, как и прежде: 1,8 млрд.", 4),
                          shingle_hashes("объем ГРАНТОВ как и прежде 1 8 млрд", 4))
    assert len(shingle_hashes("один два", 4)) == 1 and len(shingle_hashes("", 4)) == 0


DETAILS = (
    "Комиссия рассмотрела 318 заявок, что на треть больше, чем годом ранее. Больше всего "
    "проектов пришло из Алматинской, Карагандинской и Восточно-Казахстанской областей. "
    "Средний размер гранта составит около 43 млн тенге, а крупнейший получит детский журнал "
    "из Шымкента, который выпускает приложение с аудиосказками на казахском языке. Победители "
    "подпишут договоры до 20 декабря, первые транши поступят в январе. В министерстве "
    "напомнили, что отчеты о расходовании средств будут опубликованы на портале открытых "
    "данных, а редакции, нарушившие условия, лишатся права участвовать в конкурсе три года."
)
STATEMENT = (
    "«Мы продлеваем действие прежних аккредитаций до 1 марта 2027 года, чтобы редакции могли "
    "спокойно пройти постановку на учет. Все заявления, поданные до 15 ноября, будут "
    "рассмотрены в течение десяти рабочих дней, а портал переведен на новые серверы», — "
    "говорится в сообщении пресс-службы министерства."
)
BRIEFING = (
    "В понедельник в Астане прошел брифинг для главных редакторов региональных изданий. "
    "Участники обсуждали, как будут распределяться гранты на следующий год, сколько получат "
    "районные газеты и почему в списке нет телеканалов. Редакторы из Актобе и Уральска "
    "попросили провести отдельную встречу по рекламному рынку. " + STATEMENT
)
COURT = (
    "Специализированный административный суд Алматы рассмотрел иск сетевого издания к "
    "ведомству. Редакция требовала признать незаконным отказ в постановке на учет и "
    "компенсировать потерянные рекламные контракты. Суд частично удовлетворил иск, обязав "
    "повторно рассмотреть документы. " + STATEMENT
)


def test_a_trimmed_reprint_with_boilerplate_joins_the_story():
    trimmed = AGENCY + "\nПодписывайтесь на наш Telegram-канал."
    assert story_of(index_of(AGENCY + "\n" + DETAILS), trimmed) == 10


def test_two_stories_quoting_the_same_statement_stay_apart():
    assert story_of(index_of(BRIEFING), COURT) is None


def test_boilerplate_lines_do_not_change_the_content_hash():
    assert content_hash(AGENCY + "\nЧитайте также: погода на выходные") == content_hash(AGENCY)


def add_article(db, number: int, text: str, published: str, source: str = "tengrinews") -> None:
    db["articles"].insert({
        "id": number, "url": f"https://{source}.kz/{number}", "source_id": source,
        "canonical_url": f"https://{source}.kz/{number}", "title": f"Статья {number}",
        "text": text, "content_hash": content_hash(text), "published_at": published,
        "extraction": "page",
    })


def stories(db) -> dict[int, int]:
    return {row["id"]: row["story_id"] for row in db["articles"].rows}


def test_a_night_of_articles_joins_recent_stories_and_rerunning_changes_nothing(db, tmp_path):
    settings = make_settings(tmp_path, [])
    add_article(db, 1, AGENCY + "\n" + DETAILS, "2026-11-02T04:00:00+00:00", "kazinform")
    add_article(db, 2, BRIEFING, "2026-11-02T05:00:00+00:00")
    run_dedupe(db, settings, 1, NOW)
    add_article(db, 3, AGENCY + "\nПодписывайтесь на наш Telegram-канал.",
                "2026-11-05T06:00:00+00:00", "zakon")
    add_article(db, 4, COURT, "2026-11-05T07:00:00+00:00", "orda")
    assert run_dedupe(db, settings, 2, NOW) == {"new_stories": 1, "joined_stories": 1}
    grouped = stories(db)
    assert grouped[3] == grouped[1] and grouped[4] not in (grouped[1], grouped[2])
    story = db["stories"].get(grouped[1])
    assert (story["first_source_id"], story["size"], story["outlets"]) == ("kazinform", 2, 2)
    assert run_dedupe(db, settings, 3, NOW) == {"new_stories": 0, "joined_stories": 0}
    assert stories(db) == grouped


def test_a_reprint_after_the_window_starts_a_new_story(db, tmp_path):
    settings = make_settings(tmp_path, [])
    add_article(db, 1, AGENCY, "2026-11-01T04:00:00+00:00")
    add_article(db, 2, AGENCY + " Обновлено.", "2026-11-03T04:00:00+00:00")
    add_article(db, 3, AGENCY + " Обновлено вновь.", "2026-11-20T04:00:00+00:00")
    run_dedupe(db, settings, 1, NOW)  # one batch: the index forgets as it goes
    grouped = stories(db)
    assert grouped[1] == grouped[2] != grouped[3]


WEEKLY_RELEASE = (
    "Министерство здравоохранения сообщает, что за неделю в стране зарегистрировано {cases} "
    "случаев гриппа и ОРВИ, что на {rise}% больше, чем неделей ранее. Госпитализированы {beds} "
    "человек, в том числе дети. Больше всего заболевших в Астане, Алматы и Шымкенте. "
    "Министерство напоминает о вакцинации и просит при первых симптомах оставаться дома и "
    "вызывать врача. Справки по телефону горячей линии 1406 круглосуточно.")


def test_next_weeks_release_in_the_same_words_is_not_a_reprint(db, tmp_path):
    """A weekly release repeats last week's words with this week's figures: three days
    or more later and with mostly other figures, it is the series' next release, not a
    reprint. A reprint days later with the figures it had, and one corrected within
    the hour, are reprints."""
    settings = make_settings(tmp_path, [])
    this_week = WEEKLY_RELEASE.format(cases="38 400", rise="14", beds="1 210")
    add_article(db, 1, this_week, "2026-11-02T05:00:00+00:00", "minzdrav")
    add_article(db, 2, WEEKLY_RELEASE.format(cases="38 400", rise="14", beds="1 201"),
                "2026-11-02T05:40:00+00:00", "zakon")  # the figure corrected
    add_article(db, 3, this_week, "2026-11-04T08:00:00+00:00", "orda")
    add_article(db, 4, WEEKLY_RELEASE.format(cases="41 900", rise="9", beds="1 420"),
                "2026-11-09T05:00:00+00:00", "minzdrav")
    run_dedupe(db, settings, 1, NOW)
    grouped = stories(db)
    assert grouped[1] == grouped[2] == grouped[3] != grouped[4]


def test_a_backlog_larger_than_a_batch_is_read_whole(db):
    for number in range(1, 8):
        add_article(db, number, f"Текст {number}", f"2026-11-0{number}T04:00:00+00:00")
    batches = list(store.pending_dedupe(db, batch=3))
    assert [[row["id"] for row in batch] for batch in batches] == [[1, 2, 3], [4, 5, 6], [7]]


def test_full_text_search_follows_the_text_not_the_story(db, tmp_path):
    add_article(db, 1, "Первая версия текста", "2026-11-02T04:00:00+00:00")
    db["articles"].update(1, {"text": "Министерство продлило аккредитацию"})
    run_dedupe(db, make_settings(tmp_path, []), 1, NOW)
    assert [row["id"] for row in db["articles"].search("аккредитацию")] == [1]
    assert not list(db["articles"].search("версия"))


def test_the_database_shows_who_followed_a_story_and_when(db, tmp_path):
    add_article(db, 1, AGENCY, "2026-11-02T04:00:00+00:00", "kazinform")
    add_article(db, 2, AGENCY + " Обновлено.", "2026-11-02T04:40:00+00:00", "zakon")
    run_dedupe(db, make_settings(tmp_path, []), 1, NOW)
    spread = [(r["source_id"], r["minutes_after_first"]) for r in db["story_spread"].rows]
    assert spread == [("kazinform", 0), ("zakon", 40)]


def test_precision_and_recall_on_the_labelled_pairs_are_printed_by_a_command():
    pairs = Path(__file__).parent / "data" / "dedupe_pairs.yaml"
    result = CliRunner().invoke(main, ["dedupe-eval", str(pairs), "--config", str(DEFAULT_CONFIG)])
    assert result.exit_code == 0, result.output
    counted, precision, recall = re.match(
        r"(\d+) pairs: precision ([\d.]+), recall ([\d.]+)", result.output).groups()
    assert int(counted) >= 100 and float(precision) >= 0.99 and float(recall) >= 0.95
