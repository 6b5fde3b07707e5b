"""Storylines: one event across outlets, days and languages, night by night, through
the real pipeline against outlets served on loopback."""

from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest
from conftest import LoopbackSite, make_settings, pdf_text, rss_feed
from test_pipeline import page

from clipper import pipeline, store
from clipper.config import Source, StorylineSettings

GRANTS_RU = (
    "Министерство культуры и информации подвело итоги конкурса грантов для региональных "
    "СМИ: 2,4 млрд тенге получат 118 проектов 64 редакций из 17 регионов.",
    "Заявки принимались с 1 августа по 20 сентября, всего поступило 412 заявок. Впервые "
    "отдельная квота в 300 млн тенге выделена районным газетам.",
)
GRANTS_KK = (
    "Мәдениет және ақпарат министрлігі өңірлік БАҚ-қа арналған гранттар конкурсының "
    "қорытындысын шығарды: 64 редакцияның 118 жобасы 2,4 млрд теңге алады.",
    "Конкурсқа барлығы 412 өтінім түскен. Аудандық газеттер үшін алғаш рет 300 млн "
    "теңгелік жеке квота қарастырылған.",
)
GRANTS_EN = (
    "The Ministry of Culture and Information has announced the winners of its grant "
    "competition for regional media: 118 projects from 64 newsrooms will share 2.4 billion "
    "tenge.",
    "The ministry received 412 applications, and for the first time set aside a 300 million "
    "tenge quota for district newspapers.",
)
GRANTS_LATER = (
    "Редакторы районных газет раскритиковали итоги конкурса грантов Министерства культуры и "
    "информации: из 300 млн тенге квоты, по их словам, половина ушла трем холдингам.",
    "В министерстве ответили, что 118 проектов отобрала независимая комиссия, а протоколы "
    "будут опубликованы.",
)
THEATRE = (
    "Министерство культуры и информации сообщило, что ремонт драматического театра в "
    "Уральске завершится к марту, на работы выделено 870 млн тенге.",
    "Актеры театра жалуются, что второй сезон подряд играют в арендованном зале Дома культуры.",
)
WEATHER = ("В Астане в понедельник ожидается снег и гололед, температура опустится до минус "
           "пятнадцати градусов. Синоптики советуют водителям быть осторожнее.",
           "В южных регионах сохранится теплая погода без осадков, ветер умеренный, к вечеру "
           "усилится до пятнадцати метров в секунду.")


def when(day: int, hour: str) -> str:
    return f"{['Sun', 'Mon', 'Tue'][day - 22]}, {day} Nov 2026 {hour}:00 +0500"


def serve(site, night: int) -> list[Source]:
    """Night 1 (22.11): the grants in three languages, a theatre and the weather; night 2
    (23.11) a follow-up of the grants."""
    items = {"ru": [("Итоги конкурса грантов для СМИ", "/ru/1.html", GRANTS_RU, when(22, "10:40")),
                    ("Ремонт театра в Уральске затянулся", "/ru/2.html", THEATRE,
                     when(22, "11:15")),
                    ("Погода", "/ru/3.html", WEATHER, when(22, "08:00"))],
             "kk": [("БАҚ-қа арналған гранттар: 118 жоба", "/kk/1.html", GRANTS_KK,
                     when(22, "11:20"))],
             "en": [("Regional media grants: 118 projects", "/en/1.html", GRANTS_EN,
                     when(22, "16:00"))],
             "tg": [("Гранты для СМИ: итоги", "/tg/1.html", GRANTS_RU, when(22, "09:55"))]}
    if night == 2:
        items["ru"].append(("Районки недовольны итогами грантов", "/ru/4.html", GRANTS_LATER,
                            when(23, "09:30")))
    sources = []
    for lang, entries in items.items():
        for title, path, paragraphs, _ in entries:
            site.add(path, page(title, paragraphs))
        feed = site.add(f"/{lang}/rss", rss_feed([(t, site.url(p), w) for t, p, _, w in entries]))
        sources.append(Source(id=f"out-{lang}", name=f"Outlet {lang.upper()}", url=feed,
                              lang="ru" if lang == "tg" else lang,
                              kind="telegram" if lang == "tg" else "online"))
    return sources


def storyline_of(db, path: str) -> int | None:
    return db.execute("select storyline_id from articles where url like ?",
                      [f"%{path}"]).fetchone()[0]


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("storylines")
    site = LoopbackSite()
    db = store.open_db(tmp / "clipper.db")
    settings = make_settings(tmp, serve(site, 1))
    first = pipeline.run(db, settings, date(2026, 11, 22),
                         now=datetime(2026, 11, 22, 18, 30, tzinfo=UTC))
    settings = make_settings(tmp, serve(site, 2))
    second = pipeline.run(db, settings, date(2026, 11, 23),
                          now=datetime(2026, 11, 23, 18, 30, tzinfo=UTC))
    yield db, settings, first, second
    site.close()


def test_one_event_in_three_languages_and_its_follow_up_is_one_storyline(two_nights):
    db, *_ = two_nights
    grants = storyline_of(db, "/ru/1.html")
    assert grants is not None
    assert {storyline_of(db, p) for p in ("/kk/1.html", "/en/1.html", "/tg/1.html",
                                          "/ru/4.html")} == {grants}
    theatre = storyline_of(db, "/ru/2.html")
    assert theatre is not None and theatre != grants
    assert storyline_of(db, "/ru/3.html") is None  # the weather names no watched body
    row = db["storylines"].get(grants)
    assert row["first_source_id"] == "out-tg"  # a Telegram post was first
    assert row["size"] == 5 and set(row["languages"].split(",")) == {"ru", "kk", "en"}


def test_vectors_are_kept_and_a_night_with_nothing_new_changes_nothing(two_nights):
    db, settings, first, second = two_nights
    assert first.counts["storylines"] == {"new_storylines": 2, "joined_storylines": 2,
                                          "followed_their_reprints": 1}
    assert second.counts["storylines"] == {"joined_storylines": 1}
    # the mentioning articles, a reprint group once (the post and the page it copied);
    # not the weather
    assert db.execute("select count(*) from article_vectors").fetchone()[0] == 5
    before = list(db.query("select id, storyline_id, storylined_at from articles"))
    assert pipeline.run(db, settings, date(2026, 11, 23), only=("storylines",),
                        digest=False).counts.get("storylines", {}) == {}
    assert list(db.query("select id, storyline_id, storylined_at from articles")) == before


def test_the_digest_shows_the_storylines_day_languages_and_course(two_nights):
    db, settings, _, second = two_nights
    text = " ".join(pdf_text(second.outputs[1]).split())
    assert "день 2 · RU, KK, EN" in text
    assert "ход: 22.11 нейтрально (4) → 23.11" in text
    assert "Первым опубликовал: Outlet TG (Telegram)" in text


@pytest.mark.parametrize("name, floors", [
    # precision, recall, cross-language recall, hard negatives merged at most, first
    # publishers right at least
    ("storylines_heldout.yaml", (0.95, 0.73, 0.765, 3, 46)),
    ("storylines_heldout2.yaml", (0.99, 0.735, 0.735, 0, 42)),
    ("storylines_heldout3.yaml", (0.955, 0.895, 0.92, 2, 57)),
    ("storylines_heldout4.yaml", (0.95, 0.82, 0.84, 5, 52)),
    ("storylines_heldout5.yaml", (0.95, 0.77, 0.805, 6, 47)),
    ("storylines_heldout6.yaml", (0.96, 0.705, 0.72, 1, 46)),
    ("storylines_heldout7.yaml", (0.965, 0.705, 0.755, 2, 25)),
    # recurring releases against developing events, the next release told apart
    ("storylines_recurring_heldout2.yaml", (0.83, 0.96, 0.96, 8, 29)),
    ("storylines_recurring_heldout3.yaml", (0.66, 0.80, 0.76, 16, 31)),
    # developing issues told in sides, each side labelled as the one storyline
    ("storylines_issues_heldout.yaml", (0.97, 0.20, 0.17, 1, 22)),
])
def test_the_held_out_storylines_hold_the_figures_reported(name, floors):
    """Storylines written apart from the development files, never used to tune the
    model. Reported (clipper storylines-eval FILE) for the model fitted on the five
    development files, its operating point chosen out of fold: the first file
    precision 0.959, recall 0.737, cross-language 0.774, hard negatives 3/56, first
    publisher 46/51; the second 0.997, 0.743, 0.745, 0/55, 42/47; the third 0.964,
    0.906, 0.929, 2/85, 57/57; the fourth 0.959, 0.832, 0.851, 5/132, 52/55; the fifth
    0.957, 0.781, 0.816, 6/126, 47/50; the sixth and the seventh (each written apart
    and looked at once, with this model) 0.969, 0.715, 0.733, 1/65, 46/49 and 0.978,
    0.718, 0.768, 2/47, 25/29. Precision is met on all seven; recall 0.85 on the
    third only. The files of recurring releases against developing events, with the
    series' next release set apart from the whole storyline of the one before, and
    a retelling that came out first moved to it: 0.837, 0.972, 0.967, 8/63, 29/35
    (0.634, 0.944, 0.922, 17/63, 26/35 when only the release itself was set apart;
    read with the two rules before as well) and 0.670, 0.811, 0.771, 16/74, 31/37
    (written after, the same with each of the three rules). The file of
    developing issues told in sides: 0.977, 0.210, 0.175, 1/38, 22/24: its sides are
    storylines of their own. This guards what was reached, with room for arithmetic
    that differs by platform."""
    _holds(name, floors)


@pytest.mark.parametrize("name, floors", [
    ("storylines_recurring_dev.yaml", (0.99, 0.89, 0.91, 0, 39)),
    ("storylines_recurring_dev2.yaml", (0.88, 0.77, 0.80, 5, 36)),
    ("storylines_recurring_dev3.yaml", (0.95, 0.99, 0.99, 3, 34)),
])
def test_recurring_releases_are_told_apart_as_measured(name, floors):
    """The development files of recurring releases (a series' figures in the same
    words, each release another storyline) against developing events (a flood's daily
    situation report in yesterday's words, one storyline), which the pair model was
    not fitted on. With the next release told apart (`signals.next_release`, three
    days or more apart): precision 1.000, recall 0.901, hard negatives 0/67, first
    publishers 39/40; and 0.888, 0.782, 5/63, 36/38. Without the rule: 0.667, 0.865,
    14/67, 33/40 and 0.635, 0.767, 34/63, 22/38. The third (first written as held
    out): 0.966, 1.000, 1.000, 3/63, 34/35 with the whole storyline of the release
    before set apart and the retellings that came out first moved to their release;
    0.850, 0.909, 0.933, 6/63, 27/35 without the move; 0.560, 0.951, 0.956, 26/63,
    23/35 with the release alone set apart."""
    _holds(name, floors)


def _holds(name: str, floors: tuple) -> None:
    from clipper.config import load_settings
    from clipper.demo import default_config_path
    from clipper.detect import Detector
    from clipper.encoder import load_encoder
    from clipper.storylines import evaluation
    from clipper.storylines.model import PairModel

    articles, hard = evaluation.load(Path(__file__).parent / "data" / name)
    settings = load_settings(default_config_path())
    found = evaluation.items(articles, load_encoder(), Detector(settings.entities))
    predicted = evaluation.group(found, PairModel.load(), settings.storylines.active_days)
    report = evaluation.score(articles, predicted, hard)
    precision, recall, cross, merged, first = floors
    assert report.precision >= precision and report.recall >= recall, report.format()
    assert report.cross_language_recall >= cross, report.format()
    assert report.hard_merged <= merged and report.first_right >= first, report.format()


VERDICT = [  # a suit heard on 2 and 4 November, the verdict nine days after the last hearing
    (datetime(2026, 11, 2, 10, tzinfo=UTC), "ru",
     "Аким Тараза подал в суд на журналиста Ерлана Сапарова",
     "Специализированный межрайонный суд Тараза начал рассматривать иск акима города к "
     "журналисту сайта «Тараз Ньюс» Ерлану Сапарову. Аким требует 5 млн тенге за статью о "
     "закупке 48 автобусов по завышенной цене."),
    (datetime(2026, 11, 2, 15, tzinfo=UTC), "kk",
     "Тараз әкімі журналист Ерлан Сапаровты сотқа берді",
     "Тараз қаласының әкімі «Тараз Ньюс» сайтының журналисі Ерлан Сапаровқа қарсы 5 млн "
     "теңгеге талап арыз берді. Дау 48 автобусты қымбат бағамен сатып алу туралы мақаладан "
     "басталған."),
    (datetime(2026, 11, 4, 11, tzinfo=UTC), "ru",
     "Суд по иску акима Тараза к журналисту Сапарову отложен",
     "Слушание по иску акима Тараза к журналисту Ерлану Сапарову на 5 млн тенге отложено: "
     "сторона истца запросила документы о закупке 48 автобусов у городского отдела "
     "пассажирского транспорта."),
    (datetime(2026, 11, 13, 16, tzinfo=UTC), "ru",
     "Суд отказал акиму Тараза в иске к журналисту Сапарову",
     "Суд Тараза отказал акиму города в иске к журналисту Ерлану Сапарову. Аким требовал 5 млн "
     "тенге за публикацию о закупке 48 автобусов; суд признал сведения в статье "
     "соответствующими действительности."),
]


def test_a_press_office_that_keeps_storylines_open_longer_gets_the_verdict_in_its_storyline():
    """A storyline takes new articles while its latest is `active_days` old (7 by
    default). A verdict nine days after the last hearing starts a storyline of its own
    then; set to 10, it ends the suit's. Measured on the seven held-out event files,
    10 days gives recall 0.792 against 0.774 pooled, but merges 22 look-alike pairs of
    566 against 19 (one file's precision falls to 0.925): the default stays at 7."""
    from clipper.encoder import load_encoder
    from clipper.storylines import evaluation
    from clipper.storylines.model import PairModel

    articles = [{"id": n, "published": published, "lang": lang, "title": title, "body": text}
                for n, (published, lang, title, text) in enumerate(VERDICT)]
    found = evaluation.items(articles, load_encoder())
    predicted = evaluation.group(found, PairModel.load(), 10)
    assert predicted[0] == predicted[1] == predicted[2] == predicted[3]
    default = evaluation.group(found, PairModel.load(), StorylineSettings.active_days)
    assert default[0] == default[1] == default[2] != default[3]


def _article(number: int, hour: int, vector, figures=(), words=()):
    from clipper.storylines.model import Item
    from clipper.storylines.signals import Signals

    vector = np.asarray(vector, dtype=np.float32)
    return Item(number, datetime(2026, 11, 22, hour, tzinfo=UTC), "ru",
                vector / np.linalg.norm(vector),
                Signals(frozenset(figures), frozenset(), frozenset(), frozenset(words)))


def _cosine_model():
    """Two articles tell one event when their cosine is above 0.9 (0.5 at 0.8)."""
    from clipper.storylines.model import FEATURES, PairModel

    weights = np.zeros(len(FEATURES), dtype=np.float32)
    weights[FEATURES.index("cosine")], weights[FEATURES.index("bias")] = 100.0, -80.0
    return PairModel(weights, threshold=0.99, support=0.9, earlier=0.5)


def test_a_thin_first_post_moves_into_the_storyline_two_later_articles_agree_on():
    from clipper.storylines.group import Grouper

    grouper = Grouper(_cosine_model(), active_days=7)
    post = grouper.add(_article(1, 8, [0.981, 0.193, 0.0]))[0]  # too thin to draw the next in
    other = grouper.add(_article(2, 8, [0.8, 0.0, 0.6], figures=["870"]))[0]
    first = grouper.add(_article(3, 10, [1.0, 1.0, 0.0]))[0]
    assert first not in (post, other) and grouper.absorbed == []
    assert grouper.add(_article(4, 11, [1.0, 1.0, 0.05]))[0] == first
    assert grouper.absorbed == [(1, post, first)]
    assert [item.id for item in grouper.storylines[first].items] == [1, 3, 4]
    assert post not in grouper.storylines and other in grouper.storylines


def test_a_full_article_before_the_storyline_is_not_taken_for_its_first_post():
    """As close as the thin post above, but an article of its own (thirty longer words):
    had it told this event, the storyline's articles would have joined it."""
    from clipper.storylines.group import THIN, Grouper

    grouper = Grouper(_cosine_model(), active_days=7)
    words = [f"slovo{n:02}" for n in range(THIN + 10)]
    article = grouper.add(_article(1, 8, [0.981, 0.193, 0.0], words=words))[0]
    first = grouper.add(_article(3, 10, [1.0, 1.0, 0.0]))[0]
    assert grouper.add(_article(4, 11, [1.0, 1.0, 0.05]))[0] == first
    assert grouper.absorbed == [] and article in grouper.storylines


def test_a_lone_earlier_article_with_a_figure_the_storyline_never_repeats_stays_apart():
    from clipper.storylines.group import Grouper

    grouper = Grouper(_cosine_model(), active_days=7)
    earlier = grouper.add(_article(1, 8, [0.981, 0.193, 0.0], figures=["2027"]))[0]
    first = grouper.add(_article(3, 10, [1.0, 1.0, 0.0]))[0]
    assert grouper.add(_article(4, 11, [1.0, 1.0, 0.05]))[0] == first
    assert grouper.absorbed == [] and earlier in grouper.storylines


def test_the_fit_takes_the_most_precise_setting_when_none_reaches_the_precision_asked():
    """A development file harder than the model (look-alikes it cannot tell apart) must
    not make the fit choose the loosest setting, which merges every look-alike."""
    from types import SimpleNamespace

    from clipper.storylines.fit import best_setting

    def report(precision, recall, hard=0, first=10):
        return SimpleNamespace(precision=precision, recall=recall, hard_merged=hard,
                               hard_pairs=20, first_right=first, storylines=10)

    results = [(report(0.60, 0.93), 0.0, 0.8), (report(0.94, 0.84), 0.8, 0.97),
               (report(0.93, 0.86), 0.6, 0.97)]
    assert best_setting(results, 0.96)[1:] == (0.8, 0.97)
    assert best_setting(results, 0.92)[1:] == (0.6, 0.97)  # the best recall above 0.92
    # a setting that merges more hard negatives or names fewer first publishers than
    # the targets allow is not taken while another keeps them
    results += [(report(0.97, 0.90, hard=2), 0.8, 0.9), (report(0.97, 0.91, first=9), 0.7, 0.9)]
    assert best_setting(results, 0.96)[1:] == (0.8, 0.97)


WEEKLY = [  # (day, lang, title, text): two weeks of one ministry's weekly figures
    (9, "ru", "За неделю зарегистрировано 38 400 случаев гриппа",
     "Министерство здравоохранения сообщило, что за неделю зарегистрировано 38 400 случаев "
     "гриппа и ОРВИ, на 14% больше, чем неделей ранее. Больше всего заболевших в Астане."),
    (9, "kk", "Бір аптада тұмаудың 38 400 жағдайы тіркелді",
     "Денсаулық сақтау министрлігінің мәліметінше, бір аптада тұмау мен ЖРВИ-дің 38 400 "
     "жағдайы тіркелді, бұл алдыңғы аптадан 14 пайызға көп. Ең көп науқас Астанада."),
    (16, "ru", "За неделю зарегистрировано 41 900 случаев гриппа",
     "Министерство здравоохранения сообщило, что за неделю зарегистрировано 41 900 случаев "
     "гриппа и ОРВИ, на 9% больше, чем неделей ранее. Больше всего заболевших в Астане."),
    (16, "kk", "Бір аптада тұмаудың 41 900 жағдайы тіркелді",
     "Денсаулық сақтау министрлігінің мәліметінше, бір аптада тұмау мен ЖРВИ-дің 41 900 "
     "жағдайы тіркелді, бұл алдыңғы аптадан 9 пайызға көп. Ең көп науқас Астанада."),
]


def test_next_weeks_figures_are_a_storyline_of_their_own():
    """A weekly release reads almost word for word like the week before, at the same
    hour, while the week before is still active: each week's Russian and Kazakh versions
    are one storyline, and the two weeks are two."""
    from clipper.encoder import load_encoder
    from clipper.storylines import evaluation
    from clipper.storylines.model import PairModel

    articles = [{"id": n, "published": datetime(2027, 3, day, 10, 30 * (lang == "kk"), tzinfo=UTC),
                 "lang": lang, "title": title, "body": text, "storyline": f"week {day}"}
                for n, (day, lang, title, text) in enumerate(WEEKLY)]
    found = evaluation.items(articles, load_encoder())
    predicted = evaluation.group(found, PairModel.load(), StorylineSettings.active_days)
    assert predicted[0] == predicted[1] and predicted[2] == predicted[3]
    assert predicted[0] != predicted[2]


def test_the_next_release_in_the_same_words_is_another_storyline_a_rewrite_is_not():
    """Grouped by closeness alone, all four would be one storyline: the next week's
    release repeats the words with other figures and stays apart, while an outlet's
    rewrite of this week's, in its own words with the same figures, joins."""
    from clipper.storylines.group import Grouper
    from clipper.storylines.model import Item
    from clipper.storylines.signals import signals

    rewrite = ("Грипп: 38 400 заболевших за неделю", "По данным Минздрава, число "
               "заболевших гриппом и ОРВИ за семь дней достигло 38 400, это на 14% выше.")
    texts = [WEEKLY[0][2:], rewrite, WEEKLY[0][2:], WEEKLY[2][2:]]
    grouper = Grouper(_cosine_model(), active_days=7)
    found = [grouper.add(Item(n, datetime(2027, 3, 9 + 6 * (n == 3), 10 + n, tzinfo=UTC), "ru",
                              np.array([1.0, 0.0]), signals(f"{title}\n{text}", title)))[0]
             for n, (title, text) in enumerate(texts)]
    assert found[0] == found[1] == found[2]  # the rewrite and a reprint join
    assert found[3] != found[0]  # the next week's release does not


REWRITES = [  # outlets' own words for the first week's figures of WEEKLY
    ("Грипп: 38 400 заболевших за неделю", "По данным Минздрава, число заболевших гриппом "
     "и ОРВИ за семь дней достигло 38 400, это на 14% выше."),
    ("Заболеваемость гриппом выросла на 14%", "Врачи фиксируют рост: 38 400 обращений с "
     "гриппом и ОРВИ за неделю, лидирует столица."),
    ("38 400 случаев ОРВИ: в Минздраве назвали самый болеющий город", "Столица лидирует по "
     "числу простуженных, всего по стране за неделю их 38 400, прирост составил 14%."),
]


def test_the_next_release_joins_none_of_the_rewrites_of_the_one_before():
    """Outlets retell the first week's release in their own words; the next week's
    release, in the release's words with other figures, reads as close to them as to
    the release itself, but it is the series' next release, not a follow-up of theirs:
    it joins none of the storyline that holds the week before."""
    from clipper.storylines.group import Grouper
    from clipper.storylines.model import Item
    from clipper.storylines.signals import signals

    texts = [WEEKLY[0][2:], *REWRITES, WEEKLY[2][2:]]
    grouper = Grouper(_cosine_model(), active_days=7)
    found = [grouper.add(Item(n, datetime(2027, 3, 9 + 6 * (n == 4), 10 + n, tzinfo=UTC), "ru",
                              np.array([1.0, 0.0]), signals(f"{title}\n{text}", title)))[0]
             for n, (title, text) in enumerate(texts)]
    assert found[0] == found[1] == found[2] == found[3]  # the week's rewrites join
    assert found[4] != found[0]


def test_a_flood_reported_five_mornings_running_stays_one_storyline():
    """Four mornings on, the report reads as the series' next release against the
    first; the reports in between, in the same words a day apart, tell a situation
    followed day by day, and the fifth joins them."""
    from clipper.storylines.group import Grouper
    from clipper.storylines.model import Item
    from clipper.storylines.signals import next_release, signals

    figures = [("140", "62", "230"), ("310", "118", "410"), ("520", "176", "560"),
               ("610", "204", "600"), ("655", "215", "640")]
    texts = [_flood_report(*f) for f in figures]
    grouper = Grouper(_cosine_model(), active_days=7)
    found = [grouper.add(Item(n, datetime(2027, 6, 8 + n, 9, tzinfo=UTC), "ru",
                              np.array([1.0, 0.0]), signals(f"{title}\n{text}", title)))[0]
             for n, (title, text) in enumerate(texts)]
    first, last = (signals(f"{title}\n{text}", title) for title, text in (texts[0], texts[4]))
    assert next_release(first, last)
    assert len(set(found)) == 1


def _flood_report(evacuated: str, houses: str, rescuers: str) -> tuple[str, str]:
    return (f"Паводок в Акколе: эвакуированы {evacuated} человек",
            f"По данным МЧС, на 09:00 из подтопленных районов Аккола эвакуированы "
            f"{evacuated} человек, подтоплены {houses} жилых домов. На месте работают "
            f"{rescuers} спасателей и 40 единиц техники. Уровень воды продолжает расти.")


def test_a_flood_reported_each_morning_in_the_same_words_stays_one_storyline():
    """The emergencies ministry's situation report on one flood, worded as yesterday's
    with today's figures, is the same event developing; the same words with other
    figures a week on read as a weekly bulletin's next release."""
    from clipper.storylines.group import Grouper
    from clipper.storylines.model import Item
    from clipper.storylines.signals import signals

    texts = [_flood_report("140", "62", "230"), _flood_report("310", "118", "410"),
             _flood_report("520", "176", "560")]
    days = [8, 9, 17]  # two mornings running, then a week later
    grouper = Grouper(_cosine_model(), active_days=14)
    found = [grouper.add(Item(n, datetime(2027, 6, day, 9, tzinfo=UTC), "ru",
                              np.array([1.0, 0.0]), signals(f"{title}\n{text}", title)))[0]
             for n, ((title, text), day) in enumerate(zip(texts, days, strict=True))]
    assert found[0] == found[1]  # the next morning's report: the same flood
    assert found[2] != found[1]  # the same words a week on: the series' next release


def test_the_next_release_is_told_apart_though_it_repeats_the_series_own_figure():
    """A weekly fuel-price release repeats "АИ-92" and "АИ-95" every week: two figures
    shared and all of this week's other, still the next release. A reprint under
    another title that adds a figure gives all of the release's own: the same event."""
    from clipper.storylines.signals import next_release, signals

    def release(price: str, change: str, premium: str) -> tuple[str, str]:
        return (f"Средняя цена АИ-92 за неделю выросла до {price} тенге",
                f"По данным биржи, средний литр АИ-92 за неделю подорожал на {change}% и "
                f"стоит {price} тенге, литр АИ-95 — {premium} тенге. Дороже всего бензин "
                "в Мангистауской области, дешевле всего в Павлодарской.")

    this_week, next_week = release("236", "0,4", "291"), release("237", "0,5", "293")
    reprint = ("Больше 230 тенге за литр: как дорожает АИ-92", this_week[1])
    found = [signals(f"{title}\n{text}", title) for title, text in (this_week, next_week,
                                                                    reprint)]
    assert found[0].numbers & found[1].numbers == {"92", "95"}
    assert next_release(found[0], found[1])
    assert not next_release(found[0], found[2])


def test_the_next_release_in_the_same_words_is_told_apart_though_most_figures_repeat():
    """A week when АИ-95 and diesel kept their prices: four of six figures repeat, and
    only the release's words, kept to the letter, with this week's АИ-92 tell the next
    release. A rewrite in other words that repeats them is not taken for it."""
    from clipper.storylines.signals import next_release, signals

    def release(price: str, change: str) -> tuple[str, str]:
        return (f"Средняя цена АИ-92 за неделю выросла до {price} тенге",
                f"По данным биржи, средний литр АИ-92 за неделю подорожал на {change}% и "
                f"стоит {price} тенге, литр АИ-95 — 291 тенге, дизельного топлива — 312 "
                "тенге. Дороже всего бензин в Мангистауской области, дешевле всего в "
                "Павлодарской.")

    rewrite = ("Бензин снова подорожал", "Литр АИ-92 стоит уже 237 тенге (+0,5% за "
               "неделю); АИ-95 и дизель держатся на 291 и 312 тенге.")
    found = [signals(f"{title}\n{text}", title)
             for title, text in (release("236", "0,4"), release("237", "0,5"), rewrite)]
    assert len(found[0].numbers & found[1].numbers) == 4
    assert next_release(found[0], found[1])
    assert not next_release(found[0], found[2])


def test_a_titles_figures_and_places_are_told_apart_from_the_texts():
    from clipper.storylines.signals import signals

    found = signals("Итоги недели на дорогах: 47 погибших\nВ Караганде и Астане 2 340 ДТП",
                    title="Итоги недели на дорогах: 47 погибших")
    assert found.title_numbers == {"47"} and found.numbers == {"47", "2340"}
    assert found.title_places == frozenset() and found.places == {"karaganda", "astana"}


def test_files_scored_together_count_their_pairs_together():
    """The fit's out-of-fold figures: two files' reports pooled are their pairs
    counted as one, not the mean of their precisions."""
    from clipper.storylines.evaluation import Report, score

    def articles(prefix, labels):
        return [{"id": f"{prefix}{n}", "lang": "ru", "storyline": prefix + label,
                 "published": datetime(2026, 11, 22, n, tzinfo=UTC)}
                for n, label in enumerate(labels)]

    one, two = articles("a", "xxxy"), articles("b", "xy")
    both = score(one + two, {**{a["id"]: 1 for a in one}, "b0": 2, "b1": 3}, [])
    pooled = Report.pooled([score(one, {a["id"]: 1 for a in one}, []),
                            score(two, {"b0": 2, "b1": 3}, [])])
    assert (pooled.precision, pooled.recall, pooled.joined) == (0.5, 1.0, 6)
    assert (pooled.precision, pooled.recall, pooled.pairs) == (
        both.precision, both.recall, both.pairs)


BRIEFING = ("Брифинг МКИ: за неделю мониторинг выявил {total} публикаций",
            ("Министерство культуры и информации провело еженедельный брифинг в Службе "
             "центральных коммуникаций. За неделю мониторинг выявил {total} публикаций о работе "
             "ведомства, из них {negative} негативных. На обращения граждан дан {answers} ответ, "
             "справки по номеру 1406.",))
RETOLD = [  # two outlets' own words: the first week's, and the second's recalling the first
    ("МКИ насчитало {negative} негативных публикаций за неделю",
     ("Из {total} материалов о Министерстве культуры и информации за прошедшую неделю "
      "{negative} оказались негативными, сообщили на брифинге в СЦК. Ведомство ответило на "
      "{answers} обращений, горячая линия 1406 работает без выходных.",)),
    ("Негатива о министерстве стало меньше: {negative} публикаций",
     ("На брифинге в СЦК Министерство культуры и информации сообщило, что негативных "
      "материалов за неделю было {negative} из {total} (неделей ранее 86 из 1 240). На "
      "обращения граждан дано {answers} ответов, горячая линия 1406.",)),
]


def weekly_sources(site, week: int) -> list[Source]:
    """The ministry's weekly briefing and an outlet's retelling of it; in the second
    week another outlet's retelling, which a third reprints, comes out ten minutes
    before the briefing's own release."""
    figures = [{"total": "1 240", "negative": "86", "answers": "312"},
               {"total": "1 518", "negative": "71", "answers": "298"}][week - 1]
    day = 9 + 7 * (week - 1)
    entries = {"mki": [(BRIEFING, f"/mki/{week}.html", "10:00")]}
    if week == 1:
        entries["agency"] = [(RETOLD[0], "/agency/1.html", "12:00")]
    else:
        entries["portal"] = [(RETOLD[1], "/portal/2.html", "09:50")]
        entries["daily"] = [(RETOLD[1], "/daily/2.html", "11:00")]
    sources = []
    for outlet, items in entries.items():
        rows = []
        for (title, paragraphs), path, hour in items:
            title = title.format(**figures)
            site.add(path, page(title, [p.format(**figures) for p in paragraphs]))
            rows.append((title, site.url(path), f"Mon, {day:02} Nov 2026 {hour}:00 +0500"))
        sources.append(Source(id=outlet, name=outlet.title(), lang="ru", kind="online",
                              url=site.add(f"/{outlet}/rss", rss_feed(rows))))
    return sources


def test_a_retelling_out_before_the_next_weeks_briefing_ends_in_that_weeks_storyline(tmp_path):
    """The second week's retelling comes out before the briefing's own release, and
    the week before is all it can join; once the release is told apart as the next
    week's, the retelling, with its reprint, moves to it."""
    site = LoopbackSite()
    db = store.open_db(tmp_path / "clipper.db")
    try:
        for week in (1, 2):
            settings = make_settings(tmp_path, weekly_sources(site, week))
            result = pipeline.run(db, settings, date(2026, 11, 9 + 7 * (week - 1)),
                                  now=datetime(2026, 11, 9 + 7 * (week - 1), 18, tzinfo=UTC))
    finally:
        site.close()
    assert result.counts["storylines"]["retellings_moved_to_their_release"] == 1
    first, second = storyline_of(db, "/mki/1.html"), storyline_of(db, "/mki/2.html")
    assert first is not None and second is not None and first != second
    assert storyline_of(db, "/agency/1.html") == first
    assert storyline_of(db, "/portal/2.html") == storyline_of(db, "/daily/2.html") == second
    row = db["storylines"].get(second)
    assert row["size"] == 3 and row["first_source_id"] == "portal"
    assert db["storylines"].get(first)["size"] == 2
