"""Mentions of the watched entities in Russian, Kazakh and English text."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipper.config import Entity, load_settings
from clipper.detect import Detector, Mention, detect_language
from clipper.detect.evaluation import read_labelled, score

ROOT = Path(__file__).resolve().parent.parent
LABELLED = Path(__file__).parent / "data" / "mentions.tsv"


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(load_settings(ROOT / "sources.yaml").entities)


def found(detector: Detector, text: str, lang: str | None = None) -> list[tuple[str, str]]:
    return [(m.entity, m.text) for m in detector.find(text, lang)]


def check_offsets(text: str, mentions: list[Mention]) -> None:
    for m in mentions:
        assert text[m.start:m.end] == m.text
        assert text[m.sentence_start:m.sentence_start + len(m.sentence)] == m.sentence
        assert m.sentence_start <= m.start and m.end <= m.sentence_start + len(m.sentence)


# ---- Russian ----------------------------------------------------------------

@pytest.mark.parametrize("text, form", [
    ("Министерство культуры и информации сообщило.", "Министерство культуры и информации"),
    ("Позиция министерства культуры и информации ясна.", "министерства культуры и информации"),
    ("Письмо направили министерству культуры и информации.", "министерству культуры и информации"),
    ("Депутаты критикуют министерство культуры и информации.",
     "министерство культуры и информации"),
    ("Договор подписан с министерством культуры и информации.",
     "министерством культуры и информации"),
    ("Речь шла о министерстве культуры и информации.", "министерстве культуры и информации"),
    ("МИНИСТЕРСТВО КУЛЬТУРЫ И ИНФОРМАЦИИ РК ответило.", "МИНИСТЕРСТВО КУЛЬТУРЫ И ИНФОРМАЦИИ РК"),
])
def test_every_case_of_the_ministry(detector, text, form):
    assert found(detector, text) == [("mki", form)]


@pytest.mark.parametrize("text, form", [
    ("Ранее этим занимался МИОР.", "МИОР"),
    ("Сотрудник МИОРа рассказал.", "МИОРа"),
    ("Работу Министерства информации и общественного развития оценили.",
     "Министерства информации и общественного развития"),
    ("В МКИ ответили на запрос.", "МКИ"),
    ("Сообщает пресс-служба МКИ РК.", "МКИ РК"),
    ("Минкультуры и информации проверит газеты.", "Минкультуры и информации"),
])
def test_old_name_abbreviations_and_contractions(detector, text, form):
    assert found(detector, text) == [("mki", form)]


@pytest.mark.parametrize("text", [
    "мки и миор в нижнем регистре не аббревиатуры.",
    "Подарки для мам.",
    "КМКИ и МКИС — другие слова.",
    "ПОДАРКИ ДЛЯ МАМ",
])
def test_abbreviations_are_case_sensitive_whole_words(detector, text):
    assert found(detector, text) == []


@pytest.mark.parametrize("text, form", [
    ("Аида Балаева выступила.", "Аида Балаева"),
    ("Слова Аиды Балаевой.", "Аиды Балаевой"),
    ("Вопрос Аиде Балаевой.", "Аиде Балаевой"),
    ("Встреча с Аидой Балаевой.", "Аидой Балаевой"),
    ("Мнение Балаевой.", "Балаевой"),
    ("Пригласили Балаеву.", "Балаеву"),
])
def test_balaeva_in_every_case(detector, text, form):
    assert found(detector, text) == [("balaeva", form)]


@pytest.mark.parametrize("text", [
    "Аида пришла на концерт.",
    "Отец Ержана Балаева рассказал.",
])
def test_bare_given_name_and_namesakes_are_not_balaeva(detector, text):
    assert found(detector, text) == []


@pytest.mark.parametrize("text", [
    "Министерство культуры России объявило конкурс.",
    "Министерство культуры и информации Кыргызстана ответило.",
    "Министерство культуры и информации Республики Узбекистан ответило.",
    "Российское министерство культуры и информации — выдумка.",
    "Министерство культуры выделило деньги.",
    "Министерство просвещения РФ утвердило стандарт.",
])
def test_foreign_and_partial_ministries_are_not_matched(detector, text):
    assert found(detector, text) == []


def test_longest_name_wins_and_nothing_overlaps(detector):
    text = "Министерство культуры и информации РК и МКИ РК, а также МКИ."
    mentions = detector.find(text)
    assert [m.text for m in mentions] == [
        "Министерство культуры и информации РК", "МКИ РК", "МКИ"]
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))


# ---- Kazakh -----------------------------------------------------------------

@pytest.mark.parametrize("ending", [
    "", "нің", "не", "н", "нде", "нен", "мен", "ндегі",
])
def test_kazakh_ministry_with_endings(detector, ending):
    form = f"Мәдениет және ақпарат министрлігі{ending}"
    assert found(detector, f"Бұл {form} туралы.", "kk") == [("mki", form)]


def test_latin_look_alikes_inside_a_cyrillic_word_are_read_as_cyrillic(detector):
    assert found(detector, "Мәдениет және ақпарат министрлiгi хабарлады.", "kk") == [
        ("mki", "Мәдениет және ақпарат министрлiгi")]
    assert found(detector, "Ministry of Culture and Information", "en") == [
        ("mki", "Ministry of Culture and Information")]


def test_kazakh_typed_without_kazakh_letters(detector):
    text = "Мадениет жане акпарат министрлигинин окили келди."
    assert found(detector, text) == [("mki", "Мадениет жане акпарат министрлигинин")]


@pytest.mark.parametrize("text, form", [
    ("ҚР МАМ хабарлады.", "ҚР МАМ"),
    ("Бұл туралы МАМ хабарлады.", "МАМ"),
    ("МАМ-ның мәліметінше.", "МАМ-ның"),
    ("Балаеваның айтуынша.", "Балаеваның"),
    ("Сұрақ Балаеваға жолданды.", "Балаеваға"),
    ("Депутаттар Балаеваны сынады.", "Балаеваны"),
])
def test_kazakh_abbreviations_and_surnames(detector, text, form):
    assert [t for _, t in found(detector, text, "kk")] == [form]


def test_abbreviation_in_a_headline_in_capitals(detector):
    assert found(detector, "МКИ ОТВЕТИЛО НА КРИТИКУ") == [("mki", "МКИ")]
    assert found(detector, "ҚР МАМ ЖАҢА ЗАҢ ДАЙЫНДАДЫ", "kk") == [("mki", "ҚР МАМ")]


def test_kazakh_foreign_ministry(detector):
    assert found(detector, "Қырғызстанның Мәдениет және ақпарат министрлігі.", "kk") == []


# ---- English ----------------------------------------------------------------

@pytest.mark.parametrize("text, form", [
    ("The Ministry of Culture and Information said.", "Ministry of Culture and Information"),
    ("The Culture and Information Ministry said.", "Culture and Information Ministry"),
    ("Kazakhstan's culture and information ministry said.", "culture and information ministry"),
    ("The Ministry of Information and Social Development said.",
     "Ministry of Information and Social Development"),
    ("Minister Aida Balaeva said.", "Aida Balaeva"),
    ("Balayeva's remarks.", "Balayeva's"),
    ("Ms Balaeva's office.", "Balaeva's"),
])
def test_english_forms(detector, text, form):
    assert [t for _, t in found(detector, text, "en")] == [form]


@pytest.mark.parametrize("text", [
    "Uzbekistan's Ministry of Culture and Information said.",
    "The Kyrgyz Ministry of Culture and Information said.",
    "Russia's Ministry of Culture said.",
    "The Ministry of Culture and Information of Uzbekistan said.",
    "The Ministry of Culture and Information of the Republic of Uzbekistan said.",
])
def test_english_foreign_ministries(detector, text):
    assert found(detector, text, "en") == []


# ---- exclude and context ----------------------------------------------------

def hand_made(**fields) -> Detector:
    entity = Entity(id="akim", name="Аким", kind="person", role="peer",
                    names={"ru": ("Ержан Касымов",)}, **fields)
    return Detector((entity,))


def test_exclude_pattern_removes_a_mention_inside_it():
    detector = hand_made(exclude=(r"улиц[аеуы] Касымова", r"проспект\w* Касымова"))
    assert found(detector, "Дом на улице Касымова снесли.") == []
    assert found(detector, "Касымов открыл школу на улице Абая.") == [("akim", "Касымов")]


def test_context_word_in_any_form_must_stand_near():
    detector = hand_made(context=("аким", "город"))
    assert found(detector, "Касымов забил гол в финале чемпионата.") == []
    assert found(detector, "По словам акима, Касымов доволен.") == [("akim", "Касымов")]
    far = "Касымов " + "сказал что работа идёт хорошо и быстро и даже очень " * 2 + "аким."
    assert found(detector, far) == []


# ---- positions, offsets, sentences ------------------------------------------

def test_headline_lead_and_body(detector):
    title = "Балаева ответила критикам"
    text = ("Аида Балаева провела брифинг в МКИ.\n"
            "Во втором абзаце т.е. дальше речь о министерстве культуры и информации. "
            "Потом А. Балаева ушла.")
    mentions = detector.find_in_article(title, text)
    assert [(m.position, m.text) for m in mentions] == [
        ("headline", "Балаева"), ("lead", "Аида Балаева"), ("lead", "МКИ"),
        ("body", "министерстве культуры и информации"), ("body", "Балаева")]
    check_offsets(title, mentions[:1])
    check_offsets(text, mentions[1:])
    assert mentions[3].sentence.startswith("Во втором абзаце т.е. дальше")
    assert mentions[4].sentence == "Потом А. Балаева ушла."
    assert {m.lang for m in mentions} == {"ru"}


def test_sentences_do_not_break_at_abbreviations(detector):
    text = "В 2024 г. МКИ РК, т.е. ведомство, ответило! Затем ответила Балаева… Всё."
    mentions = detector.find(text)
    check_offsets(text, mentions)
    assert mentions[0].sentence == "В 2024 г. МКИ РК, т.е. ведомство, ответило!"
    assert mentions[1].sentence == "Затем ответила Балаева…"


# ---- language ---------------------------------------------------------------

@pytest.mark.parametrize("text, lang", [
    ("Министерство культуры и информации объявило конкурс", "ru"),
    ("Ақорда прокомментировала слова министра", "ru"),
    ("Мәдениет және ақпарат министрлігі хабарлады", "kk"),
    ("Мадениет жане акпарат министрлиги туралы", "kk"),
    ("Президент Токаев министрлерге тапсырма берді", "kk"),
    ("Балаева журналистермен кездесті", "kk"),
    ("Ministry of Culture and Information announced grants", "en"),
    ("Balaeva: МКИ will help", "en"),
    ("", "ru"),
])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


# ---- precision and recall on a labelled set ----------------------------------

def test_precision_and_recall_on_labelled_sentences(detector):
    rows = read_labelled(LABELLED)
    assert len(rows) >= 300
    tallies = score(detector, rows)
    assert set(tallies) == {"ru", "kk", "en"}
    for lang, tally in tallies.items():
        assert tally.precision >= 0.97 and tally.recall >= 0.95, (lang, tally.wrong)


# ---- posts and references -----------------------------------------------------

@pytest.mark.parametrize("text, form", [
    ("Министр культуры и информации провела встречу.", "Министр культуры и информации"),
    ("Вопрос задали министру культуры и информации.", "министру культуры и информации"),
    ("Министр культуры и информации РК выступила.", "Министр культуры и информации"),
    ("Мәдениет және ақпарат министрі кездесу өткізді.", "Мәдениет және ақпарат министрі"),
    ("The Minister of Culture and Information met reporters.",
     "Minister of Culture and Information"),
])
def test_the_post_without_the_name_is_the_minister(detector, text, form):
    assert found(detector, text) == [("balaeva", form)]


@pytest.mark.parametrize("text, expected", [
    ("Министр культуры и информации Аида Балаева выступила.", [("balaeva", "Аида Балаева")]),
    ("Бывший министр культуры и информации дал интервью.", []),
    ("Former Minister of Culture and Information spoke.", []),
    ("Министр культуры и информации Узбекистана посетил Астану.", []),
    ("Вице-министр культуры и информации ответил журналистам.", []),
])
def test_the_post_is_not_counted_twice_nor_for_someone_else(detector, text, expected):
    assert found(detector, text) == expected


def test_head_of_the_ministry_counts_only_in_an_article_about_it(detector):
    body = "Глава ведомства заявила, что закон готов.\nОбсуждение продолжится."
    about = detector.find_in_article("Министерство культуры и информации внесло законопроект",
                                     body)
    assert ("balaeva", "Глава ведомства") in [(m.entity, m.text) for m in about]
    elsewhere = detector.find_in_article("Аким Алматы открыл школу", body)
    assert elsewhere == []


def test_a_name_wrapped_onto_the_next_line_is_found_but_not_across_paragraphs(detector):
    assert found(detector, "Министерство культуры\nи информации сообщило.") == [
        ("mki", "Министерство культуры\nи информации")]
    assert found(detector, "Аида\n\nБалаева") == [("balaeva", "Балаева")]


@pytest.mark.parametrize("text, expected", [
    ("Аида Балаева, министр культуры и информации, открыла форум.",
     [("balaeva", "Аида Балаева")]),
    ("Выступила Аида Балаева. Министр культуры и информации ответила на вопросы.",
     [("balaeva", "Аида Балаева"), ("balaeva", "Министр культуры и информации")]),
])
def test_a_post_in_apposition_to_the_name_is_one_mention(detector, text, expected):
    assert found(detector, text) == expected
