"""Any government body: namesakes abroad, hard names, Kazakh plurals, a home
country from the configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipper.config import Entity, load_settings
from clipper.detect import Detector

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
