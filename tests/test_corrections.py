"""Analysts' tone corrections: recorded with who, when and why, winning over the model
through re-runs, shown as such in the digest, and exported as training rows."""

import dataclasses
from datetime import date

from click.testing import CliRunner
from conftest import pdf_text

from clipper import pipeline, store
from clipper.cli import main
from clipper.config import load_settings
from clipper.demo import default_config_path
from clipper.tone.rows import read_rows

LAWYERS = "Медиаюристы раскритиковали"


def cli(db_path, *args):
    result = CliRunner().invoke(main, [*args[:1], "--config", str(default_config_path()),
                                       "--db", str(db_path), *args[1:]])
    assert result.exit_code == 0, result.output
    return result.output


def lawyers_mention(db):
    (row,) = db.query("select id, tone, tone_cues from mentions where sentence like ? "
                      "and entity = 'mki'", [f"{LAWYERS}%"])
    return row


def test_the_demo_negative_story_is_negative_with_its_cues(demo_db):
    row = lawyers_mention(store.open_db(demo_db))
    assert row["tone"] == "negative" and "раскритиковали" in row["tone_cues"]
    text = " ".join(pdf_text(demo_db.parent / "digest-2026-11-23.pdf").split())
    assert "Признаки: раскритиковали" in text


def test_a_correction_wins_survives_a_rerun_and_shows_in_the_digest(db_path, tmp_path):
    db = store.open_db(db_path)
    mention = lawyers_mention(db)["id"]
    cli(db_path, "tone", "set", str(mention), "neutral", "--note", "a legal opinion, not blame",
        "--who", "aigerim")
    (correction,) = db["corrections"].rows
    assert (correction["target"], correction["target_id"], correction["label"],
            correction["who"], correction["note"]) == (
        "mention", mention, "neutral", "aigerim", "a legal opinion, not blame")
    assert correction["at"]

    db.execute("update mentions set tone = 'positive', tone_cues = '[]'")  # an older model's
    db.conn.commit()
    every = db.execute("select count(*) from mentions").fetchone()[0]
    assert f'"mentions": {every}' in cli(db_path, "tone", "--again")  # all judged anew
    assert lawyers_mention(db)["tone"] == "negative"  # the model's own view is kept ...

    settings = load_settings(default_config_path())
    settings = settings.replace(digest=dataclasses.replace(settings.digest,
                                                           output_dir=str(tmp_path)))
    result = pipeline.run(db, settings, date(2026, 11, 23), only=())
    pdf = next(path for path in result.outputs if path.suffix == ".pdf")
    text = " ".join(pdf_text(pdf).split())
    assert "исправлено аналитиком" in text  # ... but the digest shows the analyst's
    attention = text.split("Требует внимания", 2)[-1].split("Главные сюжеты")[0]
    assert "Юристы: новые правила" not in attention


def test_corrections_export_as_training_rows(db_path, tmp_path):
    db = store.open_db(db_path)
    mention = lawyers_mention(db)["id"]
    cli(db_path, "tone", "set", str(mention), "positive")
    article = db.execute("select article_id from mentions where id = ?", [mention]).fetchone()[0]
    cli(db_path, "tone", "set", str(article), "negative", "--article")
    path = tmp_path / "corrections.tsv"
    cli(db_path, "tone", "export", str(path))
    rows = read_rows(path)
    assert rows and {r.label for r in rows} <= {"negative", "positive"}
    for row in rows:
        assert row.sentence[row.start:row.end].strip()
        assert row.entity_type in ("ORGANIZATION", "PERSON")
    (lawyers,) = [r for r in rows if r.sentence.startswith(LAWYERS)]
    assert lawyers.label == "positive"  # the mention's own correction beats its article's
    assert lawyers.sentence[lawyers.start:lawyers.end].startswith("Министерство культуры")
