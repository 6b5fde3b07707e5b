import pytest

from clipper.config import DedupeSettings
from clipper.dedupe import StoryIndex, canonical_url, content_hash, signature

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
    settings = DedupeSettings()
    index = StoryIndex(settings)
    index.add("1", 10, signature(AGENCY, settings), AGENCY)
    assert index.match(signature(REPRINT, settings), REPRINT) == 10


def test_different_story_of_the_same_ministry_stays_apart():
    settings = DedupeSettings()
    index = StoryIndex(settings)
    index.add("1", 10, signature(AGENCY, settings), AGENCY)
    assert index.match(signature(OTHER_STORY, settings), OTHER_STORY) is None


def test_signature_survives_the_round_trip_through_bytes():
    settings = DedupeSettings()
    stored = signature(AGENCY, settings)
    assert isinstance(stored, bytes) and len(stored) == settings.num_perm * 8
    index = StoryIndex(settings)
    index.add("1", 3, stored)
    assert index.match(signature(AGENCY, settings)) == 3


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
    settings = DedupeSettings()
    index = StoryIndex(settings)
    original = AGENCY + "\n" + DETAILS
    index.add("1", 10, signature(original, settings), original)
    trimmed = AGENCY + "\nПодписывайтесь на наш Telegram-канал."
    assert index.match(signature(trimmed, settings), trimmed) == 10


def test_two_stories_quoting_the_same_statement_stay_apart():
    settings = DedupeSettings()
    index = StoryIndex(settings)
    index.add("1", 10, signature(BRIEFING, settings), BRIEFING)
    assert index.match(signature(COURT, settings), COURT) is None


def test_boilerplate_lines_do_not_change_the_content_hash():
    assert content_hash(AGENCY + "\nЧитайте также: погода на выходные") == content_hash(AGENCY)
