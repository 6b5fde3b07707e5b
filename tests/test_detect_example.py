"""examples/health-ministry.yaml: another body, set up from the README, read in
the reader's language: its names, its rubrics and the digest's title in kk and en."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import pdf_text, rss_feed
from pypdf import PdfReader

from clipper import deliver, pipeline
from clipper.analyse import analyse
from clipper.cli import main
from clipper.config import Source, load_settings
from clipper.periods import Period

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "health-ministry.yaml"
DAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)
WHEN = "Sun, 22 Nov 2026 {} +0500"

ARTICLES = {
    "/kk/1.html": ("Тұмауға қарсы екпе науқаны басталды", "kk", (
        "Денсаулық сақтау министрлігінің мәліметінше, тұмауға қарсы екпе науқаны "
        "бүгін басталды. Екпе емханаларда тегін салынады.",
        "Министрлік өкілдерінің айтуынша, вакцина барлық өңірге жеткізілді. "
        "Әлеуметтік медициналық сақтандыру қоры шығынды өтейді.")),
    "/kk/2.html": ("Ауруханаларда инсулин жетіспейді", "kk", (
        "Ауруханаға түскен науқастар инсулин жетіспейтінін айтты. Денсаулық сақтау "
        "министрлігі дәрі-дәрмекті қосымша сатып алатынын мәлімдеді.",
        "Ақмарал Әлназарова мәселені аптаның соңына дейін шешуге уәде берді.")),
    "/en/1.html": ("Flu vaccination starts across Kazakhstan", "en", (
        "Kazakhstan's Ministry of Health said the flu vaccination campaign began on Sunday. "
        "The vaccine is free in every clinic.",
        "Health Minister Akmaral Alnazarova said supplies had reached every region. "
        "Uzbekistan's Ministry of Health announced a similar campaign.")),
    "/ru/1.html": ("Минздрав начал прививочную кампанию", "ru", (
        "Министерство здравоохранения РК объявило о начале вакцинации от гриппа. "
        "Прививки ставят бесплатно в поликлиниках всех областей, запись открыта онлайн.",
        "По словам врачей, в прошлом сезоне привились более двух миллионов человек, "
        "а число тяжелых случаев заметно снизилось по сравнению с предыдущими годами.",
        "Министерство здравоохранения Узбекистана начнет такую же кампанию позже, "
        "в декабре, когда в страну поступит вторая партия вакцины.")),
}


def page(title: str, paragraphs: tuple[str, ...]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{body}</article></body></html>")


@pytest.fixture
def outlets(site) -> list[Source]:
    feeds = {}
    for n, (path, (title, lang, paragraphs)) in enumerate(sorted(ARTICLES.items())):
        site.add(path, page(title, paragraphs))
        feeds.setdefault(lang, []).append((title, site.url(path), WHEN.format(f"0{n + 1}:00:00")))
    return [Source(id=f"news-{lang}", name=f"News {lang}", url=site.add(f"/{lang}/rss", rss_feed(
        items)), lang=lang) for lang, items in feeds.items()]


def settings_in(language: str, outlets, tmp_path):
    base = load_settings(EXAMPLE)
    return base.replace(
        path=str(tmp_path / "sources.yaml"), sources=tuple(outlets),
        fetch=dataclasses.replace(base.fetch, allow_private=True, backoff=0.01, retries=0),
        digest=dataclasses.replace(base.digest, language=language,
                                   output_dir=str(tmp_path / language),
                                   title={"kk": "Денсаулық сақтау медиадайджесі",
                                          "en": "Health media digest"}[language]))


def test_the_example_passes_config_check():
    result = CliRunner().invoke(main, ["config", "check", "--config", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "4 entities" in result.output


def test_names_are_read_in_the_digests_language():
    settings = load_settings(EXAMPLE)
    assert settings.entity("moh").name == "ҚР Денсаулық сақтау министрлігі"
    assert settings.entity("moh").titles["en"] == "Ministry of Health of Kazakhstan"
    assert {t.name for t in settings.topics} == {"Тұмау және екпе", "Дәрі-дәрмек", "Ауруханалар"}


@pytest.mark.parametrize("language, shown, hidden", [
    ("kk", ["ҚР Денсаулық сақтау министрлігі", "Тұмау және екпе", "Денсаулық сақтау медиадайджесі"],
     ["Фонд социального медицинского страхования", "Грипп и прививки", "Flu and vaccination",
      "Ministry of Health of Kazakhstan"]),
    ("en", ["Ministry of Health of Kazakhstan", "Flu and vaccination", "Health media digest",
            "Social Health Insurance Fund"],
     ["Фонд социального медицинского страхования", "Грипп и прививки", "Тұмау және екпе",
      "ҚР Денсаулық сақтау министрлігі"]),
])
def test_a_night_of_the_health_ministry_in_kk_and_en(site, db, tmp_path, outlets,
                                                     language, shown, hidden):
    settings = settings_in(language, outlets, tmp_path)
    result = pipeline.run(db, settings, DAY, now=NOW)

    mentions = list(db["mentions"].rows)
    ours = {m["text"] for m in mentions if m["entity"] == "moh"}
    assert "Министерство здравоохранения" in ours and "Ministry of Health" in ours
    assert "Денсаулық сақтау министрлігінің" in ours
    # the Uzbek ministry is not ours, in either language
    assert not any("Узбекистан" in m["sentence"] and m["entity"] == "moh"
                   and m["text"].startswith("Министерство") for m in mentions)
    assert not any(m["sentence"].startswith("Uzbekistan") for m in mentions)

    pdf = next(p for p in result.outputs if p.suffix == ".pdf")
    text = pdf_text(pdf).casefold()  # the cover sets its kicker in capitals
    for name in shown:
        assert name.casefold() in text, name
    for name in hidden:
        assert name.casefold() not in text, name
    assert PdfReader(pdf).metadata.title.startswith(settings.digest.title)

    analysis = analyse(db, settings, Period.of("day", DAY))
    rubrics = {t["id"]: t["articles"] for t in analysis["topics"]}
    assert rubrics["flu"] >= 2 and rubrics["medicines"] >= 1  # Kazakh keywords found
    subject, _ = deliver.summary(analysis, language)
    assert subject.startswith(settings.digest.title)
