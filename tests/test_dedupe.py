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
