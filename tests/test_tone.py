"""The shipped tone model judges the tone towards the entity and says why."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import make_settings

from clipper.stages import run_detect, run_tone
from clipper.tone import classify
from clipper.tone.train import evaluate

MINISTRY = "Министерство культуры и информации"
DATA = Path(__file__).parent / "data"


def about_ministry(sentence: str, name: str = MINISTRY):
    start = sentence.index(name)
    return classify(sentence, start, start + len(name), "ru")


@pytest.mark.parametrize("sentence", [
    f"Редакторы региональных газет раскритиковали {MINISTRY} за затянутую регистрацию.",
    f"{MINISTRY} оштрафовано судом за нарушение сроков рассмотрения обращений.",
    f"Журналисты обвиняют {MINISTRY} в бездействии и цензуре.",
])
def test_criticism_of_the_ministry_is_negative_with_its_cues(sentence):
    result = about_ministry(sentence)
    assert result.label == "negative"
    assert result.cues and all(cue.strip() for cue in result.cues)


def test_praise_is_positive():
    result = about_ministry(f"Журналисты поблагодарили {MINISTRY} за поддержку региональных СМИ.")
    assert result.label == "positive"
    assert any("поддерж" in cue or "поблагодар" in cue for cue in result.cues)


def test_an_announcement_is_neutral():
    result = about_ministry(f"{MINISTRY} опубликовало список документов для аккредитации.")
    assert result.label == "neutral" and result.cues == ()


def test_a_court_case_is_an_event_and_a_quote_is_a_quote():
    event = about_ministry(f"{MINISTRY} оштрафовано судом за нарушение сроков.")
    assert event.source == "event"
    quote = about_ministry(
        f"«Мы подали документы вовремя, а {MINISTRY} их не рассматривает и игнорирует "
        "наши жалобы», — написал редактор.")
    assert quote.label == "negative" and quote.source == "quote"


@pytest.mark.parametrize(("sentence", "lang", "label"), [
    ("Мәдениет және ақпарат министрлігі өңірлік журналистерді қолдады.", "kk", "positive"),
    ("Мәдениет және ақпарат министрлігі өңірлік журналистерді қолдамады.", "kk", "negative"),
    ("Ережелердің қолданылу тәжірибесі министрлікте талқыланды.", "kk", "neutral"),
    ("The Ministry of Culture and Information supported regional newspapers.", "en", "positive"),
    ("The Ministry of Culture and Information did not support regional newspapers.", "en",
     "negative"),
    ("The ministry had not commented on the complaints by the time of publication.", "en",
     "negative"),
])
def test_kazakh_and_english_lexicons_handle_negation(sentence, lang, label):
    assert classify(sentence, 0, 10, lang).label == label


def test_evaluate_scores_a_labelled_file(tmp_path):
    rows = [
        (f"Журналисты раскритиковали {MINISTRY} за задержки.", -1),
        (f"Журналисты поблагодарили {MINISTRY} за поддержку.", 1),
        (f"{MINISTRY} провело брифинг в Астане.", 0),
        (f"Блогеры обвиняют {MINISTRY} в цензуре.", -1),
    ]
    lines = ["sentence\tentity\tentity_tag\tentity_pos_start_rel\tentity_pos_end_rel\tlabel"]
    for sentence, label in rows:
        start = sentence.index(MINISTRY)
        lines.append(f"{sentence}\t{MINISTRY}\tORGANIZATION\t{start}\t"
                     f"{start + len(MINISTRY)}\t{label}")
    path = tmp_path / "heldout.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = evaluate(path)
    assert report.f1_pn > 0.5
    assert "F1_PN" in report.format() and sum(map(sum, report.matrix)) == 4


@pytest.mark.parametrize("lang", ["kk", "en"])
def test_kazakh_and_english_are_measured_on_150_labelled_sentences(lang):
    """The figures stated in the tone README come from these files; this keeps them
    from silently falling."""
    path = DATA / f"tone_{lang}_labelled.tsv"
    report = evaluate(path, lang=lang)
    assert sum(map(sum, report.matrix)) >= 150
    assert report.f1_pn >= 0.55


def test_the_tone_stage_on_worker_processes_agrees_with_the_model_here(db, tmp_path):
    settings = make_settings(tmp_path, [], workers=2)
    sentences = [f"Журналисты обвиняют {MINISTRY} в бездействии и цензуре." if n % 3 == 0
                 else f"{MINISTRY} провело брифинг в Астане." for n in range(120)]
    db["mentions"].insert_all(
        {"article_id": n, "entity": "mki", "sentence": s, "sentence_start": 0,
         "start": s.index(MINISTRY), "end": s.index(MINISTRY) + len(MINISTRY), "lang": "ru"}
        for n, s in enumerate(sentences))
    assert run_tone(db, settings, 1, datetime(2026, 11, 23, tzinfo=UTC)) == {"mentions": 120}
    stored = [row["tone"] for row in db["mentions"].rows]
    here = [classify(s, s.index(MINISTRY), s.index(MINISTRY) + len(MINISTRY), "ru").label
            for s in sentences]
    assert stored == here and {"negative", "neutral"} <= set(stored)


def test_detection_judges_the_tone_of_what_it_finds_on_worker_processes(db, tmp_path):
    settings = make_settings(tmp_path, [], workers=2)
    texts = [f"Журналисты обвиняют {MINISTRY} в бездействии и цензуре." if n % 3 == 0
             else f"{MINISTRY} провело брифинг в Астане." for n in range(90)]
    db["articles"].insert_all({"id": n + 1, "title": "", "text": text, "lang": "ru",
                               "extraction": "page"} for n, text in enumerate(texts))
    at = datetime(2026, 11, 23, tzinfo=UTC)
    assert run_detect(db, settings, 1, at)["articles"] == 90
    mentions = list(db.query("select article_id, tone, tone_cues, tone_source from mentions "
                             "where entity = 'mki' order by article_id"))
    assert len(mentions) == 90 and {m["tone_source"] for m in mentions} == {"model"}
    for mention, text in zip(mentions, texts, strict=True):
        start = text.index(MINISTRY)
        assert mention["tone"] == classify(text, start, start + len(MINISTRY), "ru",
                                           "ORGANIZATION").label
    assert mentions[0]["tone"] == "negative" and "обвиняют" in mentions[0]["tone_cues"]
    assert run_tone(db, settings, 1, at) == {"mentions": 0}  # nothing left to judge


@pytest.mark.parametrize("sentence, cue", [
    ("Сервис подачи заявок на гранты снова не работает, хотя в МКИ обещали всё исправить.",
     "не работает"),
    ("Очередной сбой портала: в МКИ не смогли объяснить причину.", "сбой"),
])
def test_an_outage_is_negative_with_its_words_as_the_cue(sentence, cue):
    result = about_ministry(sentence, "МКИ")
    assert result.label == "negative" and cue in result.cues
    assert result.source == "author"  # "заявок" is an application, not a statement


def test_the_training_command_writes_a_model_that_tone_eval_reads(tmp_path):
    from click.testing import CliRunner

    from clipper.cli import main as cli
    from clipper.tone.train import main as train

    bodies = {-1: ["Журналисты раскритиковали {} за задержки.", "Блогеры обвиняют {} в цензуре.",
                   "Суд оштрафовал {} за нарушение сроков."],
              0: ["{} провело брифинг в Астане.", "{} опубликовало список документов.",
                  "Представители {} приняли участие в форуме."],
              1: ["Редакторы поблагодарили {} за поддержку.", "Журналисты высоко оценили {}.",
                  "Эксперты похвалили {} за открытость."]}
    names = ["министерство", "акимат", "комитет", "агентство", "ведомство", "департамент"]
    lines = ["sentence\tentity\tentity_tag\tentity_pos_start_rel\tentity_pos_end_rel\tlabel"]
    for label, templates in bodies.items():
        for template in templates:
            for name in names:
                sentence = template.format(name).capitalize()
                start = sentence.lower().index(name)
                lines.append(f"{sentence}\t{name}\tORGANIZATION\t{start}\t"
                             f"{start + len(name)}\t{label}")
    data, held, out = tmp_path / "train.tsv", tmp_path / "held.tsv", tmp_path / "model.json.gz"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert train(["--data", str(data), "--out", str(out), "--holdout", str(held)]) == 0
    result = CliRunner().invoke(cli, ["tone-eval", str(held), "--model", str(out)])
    assert result.exit_code == 0, result.output
    # Held-out rows repeat training sentences with another body named: the features
    # stand in for the entity, so a trained model gets them right.
    assert float(result.output.split()[1]) >= 80
    evaluated = sum(int(n) for line in result.output.splitlines()[-3:] for n in line.split())
    assert evaluated == len(held.read_text(encoding="utf-8").splitlines()) - 1 > 0
