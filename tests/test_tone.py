"""The shipped tone model judges the tone towards the entity and says why, in three languages."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import make_settings

from clipper.stages import run_detect, run_tone
from clipper.tone import classify, load_model
from clipper.tone.lexicon import NEGATIVE, POSITIVE, found
from clipper.tone.rows import evaluate

MINISTRY = "Министерство культуры и информации"
HEALTH = "Министерство здравоохранения"
DATA = Path(__file__).parent / "data"


def about(sentence: str, name: str = MINISTRY, lang: str = "ru"):
    start = sentence.index(name)
    return classify(sentence, start, start + len(name), lang)


@pytest.mark.parametrize("sentence", [
    f"Редакторы региональных газет раскритиковали {MINISTRY} за затянутую регистрацию.",
    f"Суд оштрафовал {MINISTRY} за нарушение сроков рассмотрения обращений.",
    f"Журналисты обвиняют {MINISTRY} в бездействии и цензуре.",
])
def test_criticism_of_the_ministry_is_negative_with_its_cues(sentence):
    result = about(sentence)
    assert result.label == "negative"
    assert result.cues and all(cue.split()[-1] in sentence.lower() for cue in result.cues)


def test_praise_is_positive_and_an_announcement_neutral():
    praise = about(f"Журналисты поблагодарили {MINISTRY} за поддержку региональных СМИ.")
    assert praise.label == "positive" and praise.cues
    announcement = about(f"{MINISTRY} опубликовало список документов для аккредитации.")
    assert announcement.label == "neutral" and announcement.cues == ()


# The cases a health ministry's press office met when it tried clipper.
@pytest.mark.parametrize(("sentence", "name", "wrong"), [
    (f"Родители детей с инвалидностью вышли на акцию протеста у здания {HEALTH[:-1]}а, "
     "требуя обеспечить детей лекарствами.", f"{HEALTH[:-1]}а", {"positive", "neutral"}),
    ("Фельдшеры скорой помощи пожаловались на задержку зарплаты и потребовали от "
     "Министерства здравоохранения пересмотреть тарифы.", "Министерства здравоохранения",
     {"positive"}),
    ("Президент высоко оценил работу Министерства здравоохранения в период эпидемии.",
     "Министерства здравоохранения", {"negative", "neutral"}),
])
def test_the_health_ministrys_cases_come_out_as_its_press_office_reads_them(sentence, name,
                                                                            wrong):
    result = about(sentence, name)
    assert result.label not in wrong
    assert not any(found(POSITIVE["ru"], cue) for cue in result.cues
                   if result.label == "negative" and not cue.startswith("не "))


@pytest.mark.parametrize(("sentence", "name", "lang", "label"), [
    ("Ата-аналар Денсаулық сақтау министрлігін балаларды дәрімен қамтамасыз етпеді деп сынады.",
     "Денсаулық сақтау министрлігін", "kk", "negative"),
    ("Президент Мәдениет және ақпарат министрлігінің жұмысын жоғары бағалады.",
     "Мәдениет және ақпарат министрлігінің", "kk", "positive"),
    ("Мәдениет және ақпарат министрлігі ертең брифинг өткізеді.",
     "Мәдениет және ақпарат министрлігі", "kk", "neutral"),
    ("Parents protested outside the Ministry of Health, accusing it of leaving children "
     "without medicine.", "Ministry of Health", "en", "negative"),
    ("The President praised the Ministry of Culture and Information for its work with "
     "regional media.", "Ministry of Culture and Information", "en", "positive"),
    ("The Ministry of Culture and Information will hold a briefing on Tuesday.",
     "Ministry of Culture and Information", "en", "neutral"),
])
def test_kazakh_and_english_go_through_the_same_model(sentence, name, lang, label):
    assert about(sentence, name, lang).label == label


def test_the_cues_are_never_the_organizations_own_name():
    for sentence in (f"Депутаты раскритиковали {HEALTH} за дефицит лекарств в аптеках.",
                     f"Жители поблагодарили {HEALTH} за новую поликлинику."):
        result = about(sentence, HEALTH)
        assert result.label != "neutral" and result.cues
        assert not any(word in cue for cue in result.cues
                       for word in ("министерств", "здравоохранен"))


def test_a_negative_cue_never_reads_as_praise():
    result = about(f"Журналисты обвинили {MINISTRY} в том, что поддержка СМИ не работает.")
    assert result.label == "negative"
    assert not any(found(POSITIVE["ru"], cue) and not cue.startswith("не ")
                   for cue in result.cues)
    assert not any(found(NEGATIVE["ru"], cue) for cue in about(
        f"Журналисты поблагодарили {MINISTRY} за поддержку.").cues)


def test_a_repeated_sentence_is_judged_once(monkeypatch):
    model = load_model()
    judged = []
    original = model.probabilities
    monkeypatch.setattr(model, "probabilities",
                        lambda ws, **kw: judged.append(len(ws)) or original(ws, **kw))
    sentence = f"{MINISTRY} провело брифинг в Астане для редакторов районных газет."
    results = model.classify_many([(sentence, 0, len(MINISTRY), "ru")] * 50)
    assert judged == [1] and len({r.label for r in results}) == 1 and len(results) == 50
    again = model.classify(sentence, 0, len(MINISTRY), "ru")  # a reprint the next hour
    assert judged == [1] and again == results[0]


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_each_language_is_measured_on_its_held_out_sentences(lang):
    """The figures stated in the tone README come from these files, written apart from the
    training sets and never trained or tuned on; this keeps them from silently falling."""
    report = evaluate(DATA / f"tone_heldout_{lang}.tsv")
    assert sum(map(sum, report.matrix)) >= 150
    assert report.f1_pn >= 0.75, report.format()


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


def test_the_tone_stage_on_worker_processes_agrees_with_the_model_here(db, tmp_path):
    settings = make_settings(tmp_path, [], workers=2)
    sentences = [f"Журналисты обвиняют {MINISTRY} в бездействии и цензуре. {n}" if n % 3 == 0
                 else f"{MINISTRY} провело брифинг в Астане. {n}" for n in range(300)]
    db["mentions"].insert_all(
        {"article_id": n, "entity": "mki", "sentence": s, "sentence_start": 0,
         "start": s.index(MINISTRY), "end": s.index(MINISTRY) + len(MINISTRY), "lang": "ru"}
        for n, s in enumerate(sentences))
    assert run_tone(db, settings, 1, datetime(2026, 11, 23, tzinfo=UTC)) == {"mentions": 300}
    stored = [row["tone"] for row in db["mentions"].rows]
    here = [about(s).label for s in sentences]
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
        assert mention["tone"] == about(text).label
    assert mentions[0]["tone"] == "negative" and mentions[0]["tone_cues"] != "[]"
    assert run_tone(db, settings, 1, at) == {"mentions": 0}  # nothing left to judge


def test_the_training_command_writes_a_model_that_tone_eval_reads(tmp_path):
    """Retraining needs PyTorch (the `train` extra); clipper itself runs without it."""
    pytest.importorskip("torch")
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
    data, held, out = tmp_path / "news.tsv", tmp_path / "held.tsv", tmp_path / "adapter.npz"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert train(["--rusentne", str(data), "--holdout", str(held), "--out", str(out),
                  "--layers", "2", "--epochs", "6", "--lr", "2e-3", "--threads", "1"]) == 0
    result = CliRunner().invoke(cli, ["tone-eval", str(held), "--model", str(out),
                                      "--convention", "news"])
    assert result.exit_code == 0, result.output
    # Held-out rows repeat training sentences with another body named.
    assert float(result.output.split()[1]) >= 80
    evaluated = sum(int(n) for line in result.output.splitlines()[-3:] for n in line.split())
    assert evaluated == len(held.read_text(encoding="utf-8").splitlines()) - 1 > 0
