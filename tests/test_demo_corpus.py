"""The demo corpus (clipper/demo/corpus.yaml) has the shape and the stories the demo promises."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).parent.parent / "clipper" / "demo" / "corpus.yaml"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MINISTRY = re.compile(
    r"культуры и информации|МКИ|МИОР|информации и общественного развития|Мәдениет және ақпарат"
    r"|ҚР МАМ|Мадениет жане акпарат|Culture and Information|culture and information ministry"
    r"|Балаев|Balaeva|Balayeva", re.IGNORECASE)
REPRINT_ROOT = "kazinform-2026-11-10-granty-smi"
NEAR_MISSES = {
    "tengrinews-2026-11-12-film-prokat-rossiya": "Минкультуры России",
    "zakon-2026-11-13-minsk-knizhnaya-vystavka": "Министерство информации Беларуси",
    "astanatimes-2026-11-16-bukhara-turkistan": "Ministry of Culture of Uzbekistan",
    "nur-2026-11-18-kyrgyzstan-festival": "министр культуры Кыргызстана",
}
FORMS = [
    "Министерство культуры и информации", "Министерства культуры и информации",
    "Министерству культуры и информации", "Министерством культуры и информации",
    "о Министерстве культуры и информации", "МКИ РК", "Минкультуры и информации", "в МКИ",
    "министерство культуры и информации", "Министерство информации и общественного развития",
    "бывшее МИОР", "Мәдениет және ақпарат министрлігі", "министрлігінің", "министрлігіне",
    "министрлігінде", "министрлігімен", "ҚР МАМ", "Мадениет жане акпарат министрлигі",
    "the Ministry of Culture and Information", "Kazakhstan's culture and information ministry",
    "министр культуры и информации Аида Балаева", "Аиды Балаевой", "Балаевой", "Балаеву",
    "Балаеваның", "Балаеваға", "Aida Balaeva", "Balayeva",
    "МЦРИАП", "Министерство просвещения", "Оқу-ағарту министрлігі",
]


@pytest.fixture(scope="module")
def corpus():
    return yaml.safe_load(CORPUS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def outlets(corpus):
    return {o["id"]: o for o in corpus["outlets"]}


def day(article) -> date:
    """The Almaty date of an article; undated ones carry it in their slug."""
    if "published" in article:
        return article["published"].date()
    return date.fromisoformat(re.search(r"\d{4}-\d\d-\d\d", article["id"]).group())


def text(article) -> str:
    return "\n".join((article["title"], article["summary"], article["body"]))


def shingles(body: str) -> set:
    words = re.findall(r"\w+", body.lower())
    return {tuple(words[i:i + 5]) for i in range(len(words) - 4)}


def test_period_and_outlets(corpus, outlets):
    first, last = corpus["period"]["first"], corpus["period"]["last"]
    assert first.weekday() == 0 and last - first == timedelta(days=14)
    assert last.weekday() == 0  # the digest's day is a busy Monday
    assert len(outlets) == len(corpus["outlets"]) and 10 <= len(outlets) <= 16
    for o in outlets.values():
        assert SLUG.match(o["id"]) and o["name"] and 1 <= o["weight"] <= 5
        assert o["lang"] in {"ru", "kk", "en"}
        assert o["kind"] in {"online", "agency", "own", "telegram"}
        assert o["feed"] in {"rss", "atom", "telegram"}
        assert o["encoding"] in {"utf-8", "windows-1251"}
        assert (o["kind"] == "telegram") == (o["feed"] == "telegram")
    langs = Counter(o["lang"] for o in outlets.values())
    assert langs["ru"] >= 7 and 2 <= langs["kk"] <= 3 and 1 <= langs["en"] <= 2
    for key, value in (("encoding", "windows-1251"), ("paywall", True), ("kind", "own")):
        (special,) = [o for o in outlets.values() if o[key] == value]
        assert special["lang"] == "ru"


def test_articles(corpus, outlets):
    articles = corpus["articles"]
    first, last = corpus["period"]["first"], corpus["period"]["last"]
    assert 170 <= len(articles) <= 220
    assert len({a["id"] for a in articles}) == len(articles)
    assert sum("published" not in a for a in articles) == 3
    for a in articles:
        post = outlets[a["outlet"]]["feed"] == "telegram"  # a channel post: short, no summary
        assert SLUG.match(a["id"]) and a["id"].startswith(a["outlet"] + "-"), a["id"]
        assert a["outlet"] in outlets and a["title"] and (a["summary"] or post)
        if "published" in a:
            assert isinstance(a["published"], datetime)
            assert a["published"].utcoffset() == timedelta(hours=5), a["id"]
        assert first <= day(a) <= last and a["id"].count(day(a).isoformat()) == 1, a["id"]
        paragraphs = [p for p in a["body"].split("\n\n") if p.strip()]
        if post:
            assert 200 <= len(a["body"]) <= 1500 and len(paragraphs) <= 3, a["id"]
        else:
            assert 800 <= len(a["body"]) <= 3000 and 3 <= len(paragraphs) <= 8, a["id"]
        if outlets[a["outlet"]]["lang"] == "kk":
            assert re.search("[әғқңөұүһі]", a["body"]), a["id"]
    per_day = Counter(day(a) for a in articles)
    for n in range(15):
        d = first + timedelta(days=n)
        assert (3 <= per_day[d] <= 6) if d.weekday() >= 5 else (15 <= per_day[d] <= 20), d
    langs = Counter(outlets[a["outlet"]]["lang"] for a in articles)
    assert langs["kk"] >= 25 and langs["en"] >= 10 and langs["ru"] > langs["kk"] + langs["en"]


def test_mentions_near_misses_and_word_forms(corpus):
    articles = corpus["articles"]
    mentioning = [a for a in articles if MINISTRY.search(text(a))]
    assert 0.3 <= len(mentioning) / len(articles) <= 0.5
    everything = "\n".join(text(a) for a in articles)
    assert [f for f in FORMS if f not in everything] == []
    assert everything.count("Balayeva") == 1
    by_id = {a["id"]: a for a in articles}
    for article_id, phrase in NEAR_MISSES.items():
        assert phrase in text(by_id[article_id]) and not MINISTRY.search(text(by_id[article_id]))


def test_reprint_story(corpus, outlets):
    by_id = {a["id"]: a for a in corpus["articles"]}
    reprints = [a for a in corpus["articles"] if "reprint_of" in a]
    assert all(by_id[a["reprint_of"]].get("reprint_of") is None for a in reprints)
    story = [by_id[REPRINT_ROOT]] + [a for a in reprints if a["reprint_of"] == REPRINT_ROOT]
    assert len({a["outlet"] for a in story}) == len(story) >= 7
    assert {day(a) for a in story} == {date(2026, 11, 10), date(2026, 11, 11)}
    root = shingles(by_id[REPRINT_ROOT]["body"])
    for a in story[1:]:
        assert outlets[a["outlet"]]["lang"] == "ru"
        assert len(root & shingles(a["body"])) / len(root | shingles(a["body"])) > 0.6
    # the Kazakh translation of the same news is its own article, not a reprint
    assert "reprint_of" not in by_id["egemen-2026-11-10-granttar-baspasoz"]


def test_negative_story_grows_and_gets_an_answer(corpus, outlets):
    story = sorted((a for a in corpus["articles"] if "-akkred-" in a["id"]), key=day)
    per_day = Counter(day(a) for a in story)
    days = sorted(per_day)
    assert len(days) >= 4 and days[0] >= date(2026, 11, 16)
    assert [per_day[d] for d in days[:4]] == [1, 2, 4, 6]
    assert {outlets[a["outlet"]]["lang"] for a in story} == {"ru", "kk", "en"}
    answer = [a for a in story if outlets[a["outlet"]]["kind"] == "own"]
    assert len(answer) == 1
    # the answer did not end it: the criticism goes on after it
    assert day(answer[0]) < days[-1] and per_day[days[-1]] >= 3


def test_own_site_posts_with_a_gap(corpus, outlets):
    own = sorted({day(a) for a in corpus["articles"] if outlets[a["outlet"]]["kind"] == "own"})
    posts = [a for a in corpus["articles"] if outlets[a["outlet"]]["kind"] == "own"]
    assert 6 <= len(posts) <= 10
    assert max(b - a for a, b in zip(own, own[1:], strict=False)) >= timedelta(days=4)


def test_the_last_day_has_what_a_morning_digest_exists_for(corpus, outlets):
    last = corpus["period"]["last"]
    today = [a for a in corpus["articles"] if day(a) == last]
    by_id = {a["id"]: a for a in today}
    reprints = [a for a in today if a.get("reprint_of") in by_id]
    roots = {a["reprint_of"] for a in reprints}
    widest = max(roots, key=lambda r: sum(a["reprint_of"] == r for a in reprints))
    story = [by_id[widest]] + [a for a in reprints if a["reprint_of"] == widest]
    assert len({a["outlet"] for a in story}) >= 5
    root = shingles(by_id[widest]["body"])
    for a in story[1:]:
        assert a["published"] > by_id[widest]["published"]
        assert len(root & shingles(a["body"])) / len(root | shingles(a["body"])) > 0.6
    kazakh = [a for a in today if outlets[a["outlet"]]["lang"] == "kk" and MINISTRY.search(text(a))]
    assert len(kazakh) >= 2
    assert any("-akkred-" in a["id"] for a in today)
