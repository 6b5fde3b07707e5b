"""Any government body: namesakes abroad, hard names, Kazakh plurals, a home
country from the configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipper.config import Entity, load_settings
from clipper.detect import Detector
from clipper.detect.evaluation import read_labelled, score

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def bodies() -> Detector:
    settings = load_settings(DATA / "mentions_bodies.yaml")
    return Detector(settings.entities, settings.country)


def found(detector: Detector, text: str, lang: str) -> list[tuple[str, str]]:
    return [(m.entity, m.text) for m in detector.find(text, lang)]


# ---- namesakes abroad -------------------------------------------------------

@pytest.mark.parametrize("lang, text", [
    ("ru", "Эксперты Минсельхоза США ждут рекордного урожая."),
    ("ru", "Официальный представитель МИД Великобритании промолчал."),
    ("ru", "Источник в греческом министерстве обороны подтвердил сделку."),
    ("ru", "Министерство здравоохранения Республики Корея ввело карантин."),
    ("ru", "Министерство юстиции Соединенных Штатов Америки подало иск."),
    ("kk", "АҚШ Қорғаныс министрлігі келісімшартқа қол қойды."),
    ("kk", "Түркияның Сыртқы істер министрлігі нота жіберді."),
    ("kk", "Өзбекстан Республикасының Денсаулық сақтау министрлігі ескерту жасады."),
    ("en", "Britain's Foreign Office said nothing."),
    ("en", "The U.S. Department of Defense signed the contract."),
    ("en", "Officials of the Ministry of Health of the Kyrgyz Republic arrived."),
])
def test_another_countrys_ministry_is_not_ours(bodies, lang, text):
    assert found(bodies, text, lang) == []


@pytest.mark.parametrize("lang, text, form", [
    ("kk", "Сыртқы істер министрлігі Қытай аумағындағы азаматтарға көмектесті.",
     "Сыртқы істер министрлігі"),
    ("kk", "Қазақстан Республикасының Денсаулық сақтау министрлігі хабарлады.",
     "Денсаулық сақтау министрлігі"),
    ("ru", "Минобороны Казахстана ответило Reuters.", "Минобороны"),
    ("ru", "Посол Германии посетил Министерство иностранных дел.",
     "Министерство иностранных дел"),
    ("en", "The Kazakh Ministry of Justice answered the US request.", "Ministry of Justice"),
    ("en", "told us Ministry of Health officials", "Ministry of Health"),
])
def test_our_ministry_beside_another_country_is_ours(bodies, lang, text, form):
    assert [t for _, t in found(bodies, text, lang)] == [form]


def test_the_home_country_comes_from_the_configuration():
    entity = Entity(id="moh-uz", name="Минздрав", names={
        "ru": ("Министерство здравоохранения",), "kk": ("Денсаулық сақтау министрлігі",),
        "en": ("Ministry of Health",)})
    uzbek = Detector((entity,), "UZ")
    assert found(uzbek, "Министерство здравоохранения Узбекистана сообщило.", "ru") == [
        ("moh-uz", "Министерство здравоохранения")]
    assert found(uzbek, "Министерство здравоохранения Казахстана сообщило.", "ru") == []
    assert found(uzbek, "Uzbekistan's Ministry of Health said.", "en") == [
        ("moh-uz", "Ministry of Health")]
    assert found(uzbek, "Қазақстанның Денсаулық сақтау министрлігі хабарлады.", "kk") == []


def test_an_unknown_home_country_is_a_configuration_error(tmp_path):
    from clipper.errors import ConfigError

    text = (DATA / "mentions_bodies.yaml").read_text(encoding="utf-8")
    path = tmp_path / "sources.yaml"
    path.write_text(text.replace("country: KZ", "country: Kazakhstan"), encoding="utf-8")
    with pytest.raises(ConfigError, match="two-letter ISO code"):
        load_settings(path)


# ---- forms the dictionaries do not give -------------------------------------

@pytest.mark.parametrize("lang, text, form", [
    ("ru", "Проверку провели сотрудники Антикора.", "Антикора"),
    ("ru", "Активы вернули Самрук-Казыне.", "Самрук-Казыне"),
    ("ru", "Бизнес поддержан НПП Атамекеном.", "НПП Атамекеном"),
    ("kk", "Сұрау Сыртқы істер министрлікке жіберілді.", "Сыртқы істер министрлікке"),
    ("kk", "Жауап Сыбайлас жемқорлыққа қарсы іс-қимыл агенттіктен келді.",
     "Сыбайлас жемқорлыққа қарсы іс-қимыл агенттіктен"),
    ("kk", "Әділет министрлігіміздің қызметкерлері.", "Әділет министрлігіміздің"),
    ("ru", "Он ведет страницу Вконтакте.", "Вконтакте"),
])
def test_names_declined_by_rule(bodies, lang, text, form):
    assert [t for _, t in found(bodies, text, lang)] == [form]


def test_a_list_of_kazakh_bodies_ending_in_one_plural_noun(bodies):
    text = "Денсаулық сақтау, Көлік және Энергетика министрліктерінің өкілдері келді."
    assert found(bodies, text, "kk") == [
        ("moh", "Денсаулық сақтау"), ("mot", "Көлік"),
        ("moe", "Энергетика министрліктерінің")]
    # a field word alone is a plain word
    assert found(bodies, "Көлік, жол және құрылыс салалары дамыды.", "kk") == []
    assert found(bodies, "Энергетика мен көлік туралы айтылды.", "kk") == []


@pytest.mark.parametrize("text", [
    "Мы в контакте с коллегами.",
    "В контакте с больными были трое.",
])
def test_a_camel_case_name_spaced_needs_its_capitals(bodies, text):
    assert found(bodies, text, "ru") == []


def test_abbreviations_still_need_their_capitals(bodies):
    assert found(bodies, "Сообщил мид.", "ru") == []
    assert found(bodies, "Сообщил МИД.", "ru") == [("mfa", "МИД")]


# ---- the labelled set ---------------------------------------------------------

def test_precision_and_recall_on_the_bodies_set(bodies):
    rows = read_labelled(DATA / "mentions_bodies.tsv")
    assert len(rows) >= 100
    tallies = score(bodies, rows)
    assert set(tallies) == {"ru", "kk", "en"}
    for lang, tally in tallies.items():
        assert tally.expected >= 10, lang
        assert tally.precision >= 0.98 and tally.recall >= 0.98, (lang, tally.wrong)
