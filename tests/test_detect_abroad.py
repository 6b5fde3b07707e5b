"""An article datelined abroad or about another country: a generic ministry
name in it is that country's, unless the home country is named in its sentence
or the one before."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipper.config import Entity, load_settings
from clipper.detect import Detector
from clipper.detect.abroad import Whereabouts, dateline

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def bodies() -> Detector:
    settings = load_settings(DATA / "mentions_bodies.yaml")
    return Detector(settings.entities, settings.country)


@pytest.mark.parametrize("lang, text, code", [
    ("ru", "ВАШИНГТОН, 3 декабря — Пентагон сообщил…", "US"),
    ("ru", "  МОСКВА, 3 декабря. /ТАСС/. Минздрав…", "RU"),
    ("ru", "Анкара, 3 декабря — МИД Турции…", "TR"),
    ("ru", "БЕРЛИН (dpa) — Министерство…", "DE"),
    ("ru", "НУР-СУЛТАН. Сенат принял закон.", "KZ"),
    ("ru", "Усть-Каменогорск, 3 декабря. В городе…", "KZ"),
    ("kk", "АНКАРА. Денсаулық сақтау министрлігі…", "TR"),
    ("kk", "Мәскеу, 3 желтоқсан. ҚазАқпарат – …", "RU"),
    ("kk", "БЕЙЖІҢ. Қытай үкіметі…", "CN"),
    ("kk", "АСТАНА. ҚазАқпарат – …", "KZ"),
    ("en", "LONDON (Reuters) - The Ministry of Defence said…", "GB"),
    ("en", "WASHINGTON, Dec 3 (Reuters) - …", "US"),
    ("en", "New Delhi, Dec. 3 (PTI) — …", "IN"),
    ("en", "ALMATY, December 3 - …", "KZ"),
])
def test_a_dateline_gives_its_country(lang, text, code):
    assert dateline(text, lang) == code


@pytest.mark.parametrize("lang, text", [
    ("ru", "Москва ответила на ноту протестом."),  # a city as the subject
    ("ru", "Вашингтон — столица США."),
    ("ru", "Министерство обороны сообщило…"),
    ("ru", "3 декабря в Лондоне прошла встреча."),
    ("kk", "Астана қаласында жиын өтті."),
    ("en", "London is a city of contrasts."),
    ("en", "The Ministry of Defence said…"),
    ("en", ""),
])
def test_no_dateline(lang, text):
    assert dateline(text, lang) is None


@pytest.mark.parametrize("lang, text, abroad", [
    ("ru", "Власти Турции ужесточили правила. В Турции сезон гриппа.", True),
    ("ru", "Власти Турции ужесточили правила. В Турции сезон гриппа, пишут СМИ Казахстана.",
     False),
    ("ru", "В Астане встретились с делегацией Китая; зерно поедет в Китай.", False),
    ("ru", "Часть семян закупят в России.", False),
    ("ru", "Турецкие сериалы и турецкая музыка популярны.", False),  # adjectives alone
    ("kk", "Түркияда тұмау басталды. Түркия азаматтарына екпе салынады.", True),
    ("kk", "Қазақстан Президенті Түркияға барды. Түркия келісті.", False),
    ("en", "Turkey has tightened rules. Visitors to Turkey need a certificate.", True),
    ("en", "He told us that the US and the U.S. allies differ.", False),  # "us" is no country
    ("en", "Turkey and Turkey's neighbours met in Astana.", False),
])
def test_an_article_about_another_country(lang, text, abroad):
    assert Whereabouts("", text, lang, "KZ").abroad is abroad


def test_the_headline_counts_towards_what_the_article_is_about():
    text = "Министерство здравоохранения ввело карантин. В Турции сезон гриппа."
    assert Whereabouts("Турция закрывает курорты", text, "ru", "KZ").abroad
    assert not Whereabouts("", text, "ru", "KZ").abroad


def found(detector: Detector, text: str, lang: str) -> list[str]:
    return [m.text for m in detector.find(text, lang)]


def test_an_article_datelined_abroad_drops_generic_names_only(bodies):
    text = ("ЛОНДОН, 3 декабря — Министерство обороны закупило дроны. "
            "Самрук-Казына разместил облигации, МИД РК прокомментировал сделку.")
    assert found(bodies, text, "ru") == ["Самрук-Казына", "МИД РК"]


def test_the_home_country_beside_a_generic_name_keeps_it(bodies):
    text = ("ПЕКИН, 3 декабря — Переговоры прошли в столице Китая. Делегация Казахстана "
            "и Министерство сельского хозяйства подписали меморандум. Министерство "
            "сельского хозяйства Китая приветствовало сделку. Министерство обороны молчало.")
    assert found(bodies, text, "ru") == ["Министерство сельского хозяйства"]


def test_an_article_is_judged_with_its_headline(bodies):
    title = "Германия субсидирует электроэнергию"
    text = "Министерство энергетики предложило субсидии. Канцлер Германии поддержал идею."
    assert [m.text for m in bodies.find_in_article(title, text, "ru")] == []
    assert [m.text for m in bodies.find_in_article("Субсидии", text, "ru")] == [
        "Министерство энергетики"]


def test_a_post_without_a_country_is_generic():
    minister = Entity(id="minister", name="Министр обороны", kind="person", role="official",
                      names={"ru": ("Руслан Жаксылыков",)},
                      positions={"ru": ("министр обороны",)})
    detector = Detector((minister,))
    assert found(detector, "АСТАНА. Министр обороны провел совещание.", "ru") == [
        "Министр обороны"]
    assert found(detector, "ВАШИНГТОН. Министр обороны провел совещание.", "ru") == []
    assert found(detector, "ВАШИНГТОН. Руслан Жаксылыков провел совещание.", "ru") == [
        "Руслан Жаксылыков"]


@pytest.mark.parametrize("generic, expected", [
    (None, []), (True, []), (False, ["Министерство обороны", "Антикор"])])
def test_the_configuration_may_say_which_bodies_are_generic(generic, expected):
    entities = (
        Entity(id="mod", name="Минобороны", generic=generic,
               names={"ru": ("Министерство обороны",)}),
        Entity(id="antikor", name="Антикор", generic=generic, names={"ru": ("Антикор",)}),
    )
    text = "ВАШИНГТОН, 3 декабря — Министерство обороны и Антикор сообщили о проверке."
    got = found(Detector(entities), text, "ru")
    if generic is None:  # by default the ministry is generic, the proper name is not
        expected = ["Антикор"]
    assert got == expected


def test_generic_is_a_yes_or_no_in_the_configuration(tmp_path):
    from clipper.errors import ConfigError

    text = (DATA / "mentions_bodies.yaml").read_text(encoding="utf-8")
    path = tmp_path / "sources.yaml"
    path.write_text(text.replace("    role: peer\n", "    role: peer\n    generic: false\n", 1),
                    encoding="utf-8")
    assert load_settings(path).entities[1].generic is False
    path.write_text(text.replace("    role: peer\n", "    role: peer\n    generic: maybe\n", 1),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="generic must be true or false"):
        load_settings(path)
