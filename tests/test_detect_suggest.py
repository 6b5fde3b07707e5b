"""`clipper mentions suggest`: the names the press uses that the configuration lacks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import yaml
from click.testing import CliRunner

from clipper import store
from clipper.cli import main
from clipper.config import Entity
from clipper.detect import Detector
from clipper.detect.suggest import as_yaml, suggest

MINISTRY = Entity(id="mki", name="Министерство культуры и информации", names={
    "ru": ("Министерство культуры и информации",),
    "kk": ("Мәдениет және ақпарат министрлігі",), "en": ("Ministry of Culture and Information",)})
PEER = Entity(id="minedu", name="Министерство просвещения", role="peer", names={
    "ru": ("Министерство просвещения",), "kk": ("Оқу-ағарту министрлігі",)})
TEXTS = [
    ("В 2022 году Министерство информации и общественного развития запустило портал. "
     "Портал работает до сих пор.", "ru"),
    ("Архив Министерства информации и общественного развития передан в музей.", "ru"),
    ("Министерство культуры и информации (МКИ РК) объявило конкурс грантов.", "ru"),
    ("Заявки принимает Министерство культуры и информации (МКИ РК) до декабря.", "ru"),
    ("Министерство просвещения утвердило учебники. Погода в Астане солнечная.", "ru"),
    ("Ақпарат және қоғамдық даму министрлігінің архиві музейге берілді.", "kk"),
    ("Журналисты написали в Министерство культуры и информацыи жалобу.", "ru"),
    ("Они получили информацию о грантах и информацию о сроках.", "ru"),
]


def test_a_former_name_an_abbreviation_and_a_misspelling_are_suggested():
    found = {(s.entity, s.alias): s for s in suggest(Detector((MINISTRY, PEER)), TEXTS)}
    former = found[("mki", "Министерство информации и общественного развития")]
    assert former.count == 2 and "портал" in former.example
    assert found[("mki", "МКИ РК")].count == 2
    assert ("mki", "Ақпарат және қоғамдық даму министрлігі") in found
    assert found[("mki", "Министерство культуры и информацыи")].count == 1
    assert found[("mki", "информацыи")].why.startswith("near spelling")
    # configured names, common words and unrelated bodies are not suggested
    assert not any(alias in ("Министерство культуры и информации", "Министерство просвещения")
                   or alias.startswith("Министерство просвещения") for _, alias in found)


def test_suggestions_are_yaml_ready_to_paste():
    text = as_yaml(suggest(Detector((MINISTRY, PEER)), TEXTS))
    pasted = yaml.safe_load(text)
    names = pasted[0]["names"]
    assert pasted[0]["id"] == "mki"
    assert "Министерство информации и общественного развития" in names["ru"]
    assert "МКИ РК" in names["ru"]


def test_mentions_suggest_reads_the_last_days_of_the_database(tmp_path):
    config = tmp_path / "sources.yaml"
    config.write_text(
        "organization: mki\n"
        "entities:\n"
        "  - id: mki\n    name: {ru: Министерство культуры и информации, kk: МАМ, en: MCI}\n"
        "    names:\n      ru: [Министерство культуры и информации]\n"
        "sources:\n  - {id: local, name: Local, url: 'http://127.0.0.1:9/rss'}\n",
        encoding="utf-8")
    db = store.open_db(tmp_path / "clipper.db")
    recent = store.to_iso(datetime.now(UTC) - timedelta(days=2))
    old = store.to_iso(datetime.now(UTC) - timedelta(days=90))
    for n, (text, lang) in enumerate(TEXTS[:4]):
        db["articles"].insert({"url": f"http://x/{n}", "title": "", "text": text, "lang": lang,
                               "published_at": recent, "fetched_at": recent})
    db["articles"].insert({"url": "http://x/old", "title": "", "lang": "ru", "fetched_at": old,
                           "text": "Министерство культуры и информации (МКИ) ответило.",
                           "published_at": old})
    db.close()
    result = CliRunner().invoke(main, ["mentions", "suggest", "--days", "30", "--config",
                                       str(config), "--db", str(tmp_path / "clipper.db")])
    assert result.exit_code == 0, result.output
    assert "Министерство информации и общественного развития" in result.output
    assert "МКИ РК" in result.output and "(МКИ)" not in result.output
    assert "- МКИ   #" not in result.output  # defined only in an article 90 days old
