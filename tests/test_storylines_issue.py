"""A developing issue (complaints, a letter, the body's answer, the reactions, in
Russian and Kazakh over five days) is one storyline, whose day and course the
digest shows; the same body's other announcement of those days and its briefing
of the next week stay apart. Through the real pipeline against outlets on loopback."""

from datetime import UTC, date, datetime

import numpy as np
import pytest
from conftest import LoopbackSite, make_settings, pdf_text, rss_feed
from test_pipeline import page
from test_storylines import storyline_of

from clipper import pipeline, store

# path, language, day of November, hour, title, paragraphs
ARTICLES = (
    ("/ru/complaints.html", "ru", 17, "10", "Сетевые издания неделями не могут встать на учет",
     ("Редакции интернет-изданий жалуются, что заявления о постановке на учет по новым "
      "правилам Министерства культуры и информации не рассматриваются с начала месяца.",
      "Без постановки на учет их корреспонденты не получают аккредитационные карточки и не "
      "попадают в единый реестр журналистов. «Мы подали все документы через портал еще "
      "3 ноября», — говорит главный редактор одного из сайтов.")),
    ("/ru/briefing-door.html", "ru", 18, "12",
     "Корреспондентов интернет-изданий не пустили на брифинг",
     ("Журналистов трех сетевых изданий во вторник не пустили на брифинг в акимате: их нет "
      "в новом реестре аккредитованных журналистов.",
      "Редакции объясняют, что заявления на постановку на учет лежат в Министерстве "
      "культуры и информации без движения, а старую аккредитацию больше не признают.")),
    ("/kk/complaints.html", "kk", 18, "15", "Интернет-басылымдар есепке тұра алмай жүр",
     ("Желілік басылымдардың редакциялары Мәдениет және ақпарат министрлігінің жаңа "
      "ережелері бойынша есепке қою рәсімі апталап созылып жатқанына шағымданды.",
      "Есепке қойылмаған басылымдардың журналистері аккредитация карточкасын ала алмай, "
      "брифингтерге кіре алмай жүр.")),
    ("/ru/letter.html", "ru", 19, "11",
     "Медиаорганизации просят ввести переходный период для учета сетевых изданий",
     ("Ассоциация сетевых изданий и две правозащитные организации направили открытое письмо "
      "в Министерство культуры и информации.",
      "Авторы письма просят продлить действие прежних аккредитаций журналистов, пока "
      "заявления редакций о постановке на учет не рассмотрены, и не штрафовать издания, "
      "подавшие документы вовремя.")),
    ("/ru/books.html", "ru", 19, "14",
     "Минкультуры и информации объявило конкурс на издание детских книг",
     ("Министерство культуры и информации объявило конкурс на издание книг для детей и "
      "подростков: на поддержку отобранных рукописей направят 450 млн тенге.",
      "Заявки от издательств принимаются до 15 января, победителей назовут в феврале.")),
    ("/ru/answer.html", "ru", 20, "10",
     "Министерство продлило прежние аккредитации журналистов сетевых изданий",
     ("Министерство культуры и информации ответило на жалобы редакций: прежние аккредитации "
      "журналистов интернет-изданий будут действовать до 1 марта.",
      "В ведомстве признали, что заявления о постановке на учет рассматривались с "
      "опозданием из-за сбоя портала, и пообещали рассмотреть все до конца месяца.")),
    ("/kk/answer.html", "kk", 20, "13",
     "Министрлік журналистердің бұрынғы аккредитациясын ұзартты",
     ("Мәдениет және ақпарат министрлігі желілік басылымдардың шағымына жауап берді: "
      "журналистердің бұрынғы аккредитациясы 1 наурызға дейін жарамды.",
      "Ведомство есепке қою туралы өтініштер портал ақаулығына байланысты кешіктірілгенін "
      "мойындады.")),
    ("/ru/reactions.html", "ru", 21, "12",
     "Редакторы: продление аккредитаций не решает проблему с учетом изданий",
     ("Главные редакторы сетевых изданий приветствуют продление старых аккредитаций, но "
      "говорят, что сами правила постановки на учет остаются прежними.",
      "Медиаюристы напоминают, что требования к документам, которых нет в законе о "
      "масс-медиа, Министерство культуры и информации так и не отменило.")),
)
# a week after the letter: the ministry's weekly briefing, about the registration too
BRIEFING = ("/ru/briefing-week.html", "ru", 26, "11",
            "На брифинге в Минкультуры и информации рассказали о планах на декабрь",
            ("На еженедельном брифинге в Министерстве культуры и информации представитель "
             "ведомства рассказал о подготовке к фестивалю детского кино и о ремонте "
             "областных библиотек.",
             "Отдельно он сообщил, что с начала месяца на учет поставлены 146 сетевых "
             "изданий."))
ISSUE = [path for path, *_ in ARTICLES if path != "/ru/books.html"]


def serve(site, articles) -> list:
    from clipper.config import Source

    sources = []
    for lang in ("ru", "kk"):
        entries = []
        for path, language, day, hour, title, paragraphs in articles:
            if language == lang:
                entries.append((title, site.add(path, page(title, paragraphs)),
                                f"{_weekday(day)}, {day} Nov 2026 {hour}:00 +0500"))
        feed = site.add(f"/{lang}/rss", rss_feed(entries))
        sources.append(Source(id=f"outlet-{lang}", name=f"Outlet {lang.upper()}", url=feed,
                              lang=lang, kind="online"))
    return sources


def _weekday(day: int) -> str:
    return ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[date(2026, 11, day).weekday()]


@pytest.fixture(scope="module")
def issue(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("issue")
    site = LoopbackSite()
    db = store.open_db(tmp / "clipper.db")
    settings = make_settings(tmp, serve(site, ARTICLES))
    first = pipeline.run(db, settings, date(2026, 11, 21),
                         now=datetime(2026, 11, 21, 18, 30, tzinfo=UTC))
    settings = make_settings(tmp, serve(site, (*ARTICLES, BRIEFING)))
    second = pipeline.run(db, settings, date(2026, 11, 26),
                          now=datetime(2026, 11, 26, 18, 30, tzinfo=UTC))
    yield db, first, second
    site.close()


@pytest.mark.xfail(strict=True, reason=(
    "the pair model fitted on the five development files links no sides of an issue "
    "(its out-of-fold figures set the link bar at 0; see issue 22's note)"))
def test_a_developing_issue_over_five_days_and_two_languages_is_one_storyline(issue):
    db, first, _ = issue
    storylines = {storyline_of(db, path) for path in ISSUE}
    assert len(storylines) == 1 and None not in storylines
    row = db["storylines"].get(storylines.pop())
    assert row["size"] == len(ISSUE) and set(row["languages"].split(",")) == {"ru", "kk"}
    assert row["first_published_at"].startswith("2026-11-17")


def test_the_same_bodys_other_announcement_and_next_weeks_briefing_stay_apart(issue):
    db, *_ = issue
    the_issue = storyline_of(db, "/ru/complaints.html")
    books, briefing = storyline_of(db, "/ru/books.html"), storyline_of(db, "/ru/briefing-week.html")
    assert None not in (books, briefing)
    assert len({the_issue, books, briefing}) == 3


@pytest.mark.xfail(strict=True, reason=(
    "the pair model fitted on the five development files links no sides of an issue "
    "(its out-of-fold figures set the link bar at 0; see issue 22's note)"))
def test_the_digest_shows_the_issues_day_and_course(issue):
    _, first, _ = issue
    text = " ".join(pdf_text(first.outputs[1]).split())
    # day 5 of the issue, both languages, its course from the complaints (negative) to
    # the ministry's answer on the fourth day
    assert "день 5 · RU, KK · ход: 17.11 негатив (1) → 18.11 негатив (2)" in text
    assert "20.11 нейтрально (2), ответ → 21.11" in text


# the grouping alone, over articles given as vectors and word stems: the parts of an
# issue read alike (cosine 0.95), but no article is close enough to draw in the next
def _model():
    """Pairs join at a cosine of 0.99 and above; two storylines are one issue when
    their words' specific subject and their closeness, `specific + 2 (closeness - 0.9)`,
    reach 0.25 and both name the body (of the storylines `issue.plausible` lets be
    weighed: the later began within two days, neither places nor figures differ)."""
    from clipper.storylines import issue
    from clipper.storylines.model import FEATURES, PairModel

    weights = np.zeros(len(FEATURES), dtype=np.float32)
    weights[FEATURES.index("cosine")], weights[FEATURES.index("bias")] = 50.0, -47.5
    linking = dict.fromkeys(issue.FEATURES, 0.0)
    linking.update(specific=10.0, closeness=20.0, shares_body=20.0, bias=-40.5)
    return PairModel(weights, threshold=0.99, support=0.9, link=0.5, link_weights=np.array(
        [linking[name] for name in issue.FEATURES], dtype=np.float32))


SUBJECT = ("akredi", "ucheta", "setevi", "izdani", "zhurna", "minist", "kultur")
AROUND = ("pogoda", "morozi", "teatra", "remont", "minist", "kultur")


def _item(number, day, hour, vector, words, places=(), body="mki", figures=()):
    from clipper.storylines.model import Item
    from clipper.storylines.signals import Signals

    vector = np.asarray(vector, dtype=np.float32)
    return Item(number, datetime(2026, 11, day, hour, tzinfo=UTC), "ru",
                vector / np.linalg.norm(vector),
                Signals(frozenset(figures), frozenset(places), frozenset(), frozenset(words)),
                frozenset([body]))


def _group(parts):
    """The storyline of each of `parts`' articles, with the period's other news around."""
    from clipper.storylines.group import Grouper

    grouper = Grouper(_model(), active_days=7)
    around = [_item(100 + n, 16, n, np.eye(4)[n % 2 + 2], AROUND[n % 3:n % 3 + 4])
              for n in range(8)]
    found = {}
    for item in sorted(around + parts, key=lambda item: item.published):
        found[item.id] = grouper.add(item)[0]
    for old, into in grouper.linked:
        found = {k: into if v == old else v for k, v in found.items()}
    return [found[item.id] for item in parts]


COMPLAINT, ANSWER = [1.0, 0.33, 0.0, 0.0], [1.0, -0.33, 0.0, 0.0]  # cosine 0.8 apart: no
# pair joins them; both 0.95 from the issue's middle ground
MIDDLE = [1.0, 0.0, 0.0, 0.0]


def test_the_parts_of_an_issue_that_began_while_the_other_was_going_are_linked():
    parts = [_item(1, 17, 10, COMPLAINT, SUBJECT), _item(2, 17, 15, MIDDLE, SUBJECT),
             _item(3, 18, 11, ANSWER, SUBJECT[1:])]
    assert len(set(_group(parts))) == 1


def test_the_same_subject_a_week_later_is_another_storyline():
    """A weekly briefing: the same body, the same words, a week apart."""
    parts = [_item(1, 17, 10, COMPLAINT, SUBJECT), _item(2, 17, 15, MIDDLE, SUBJECT),
             _item(3, 21, 11, ANSWER, SUBJECT[1:])]
    first, _, later = _group(parts)
    assert first != later


def test_two_look_alike_incidents_in_two_cities_stay_apart():
    parts = [_item(1, 17, 10, COMPLAINT, SUBJECT, ["pavlodar"]),
             _item(2, 17, 15, MIDDLE, SUBJECT, ["pavlodar"]),
             _item(3, 18, 11, ANSWER, SUBJECT[1:], ["taraz"])]
    first, _, later = _group(parts)
    assert first != later


def test_the_same_kind_of_news_with_other_figures_stays_apart():
    """Grants of 870 million to one newsroom, 450 million to another: two events."""
    parts = [_item(1, 17, 10, COMPLAINT, SUBJECT, figures=["870"]),
             _item(2, 17, 15, MIDDLE, SUBJECT, figures=["870"]),
             _item(3, 18, 11, ANSWER, SUBJECT[1:], figures=["450", "146"])]
    first, _, later = _group(parts)
    assert first != later


def test_a_part_that_repeats_the_issues_figure_is_linked():
    parts = [_item(1, 17, 10, COMPLAINT, SUBJECT, figures=["146"]),
             _item(2, 17, 15, MIDDLE, SUBJECT),
             _item(3, 18, 11, ANSWER, SUBJECT[1:], figures=["146", "4000"])]
    assert len(set(_group(parts))) == 1


def test_another_bodys_storyline_on_the_same_subject_stays_apart():
    parts = [_item(1, 17, 10, COMPLAINT, SUBJECT), _item(2, 17, 15, MIDDLE, SUBJECT),
             _item(3, 18, 11, ANSWER, SUBJECT[1:], body="mcri")]
    first, _, later = _group(parts)
    assert first != later


def test_the_same_body_on_another_subject_the_same_days_stays_apart():
    parts = [_item(1, 17, 10, COMPLAINT, SUBJECT), _item(2, 17, 15, MIDDLE, SUBJECT),
             _item(3, 18, 11, ANSWER, ("grantt", "detski", "knigam", "minist", "kultur"))]
    first, _, later = _group(parts)
    assert first != later


def test_the_fit_learns_linking_from_the_storylines_each_newcomer_came_near():
    """Each pair of storylines the grouping weighed as one issue is a training row, its
    label the share of the pairs of articles across the two that are one storyline."""
    from clipper.storylines import issue
    from clipper.storylines.fit import File, link_rows

    parts = [_item(1, 17, 10, COMPLAINT, SUBJECT), _item(2, 17, 15, MIDDLE, SUBJECT),
             _item(3, 18, 11, ANSWER, SUBJECT[1:]),
             _item(4, 18, 12, ANSWER, ("grantt", "detski", "knigam", "minist", "kultur"))]
    label = {1: "issue", 2: "issue", 3: "issue", 4: "books"}
    articles = [{"id": item.id, "storyline": label[item.id]} for item in parts]
    rows, same, weight = link_rows(File(articles, [], parts), _model())
    assert rows.shape == (4, len(issue.FEATURES))
    # nothing is linked while the rows are taken: each storyline is one article; the
    # issue's second and third parts came near its first (one issue), the books near
    # the issue's parts (not)
    assert list(weight) == [1.0] * 4
    assert sorted(same) == [0.0, 0.0, 1.0, 1.0]


def test_the_link_model_is_kept_with_the_pair_model(tmp_path):
    from clipper.storylines.model import PairModel

    model = _model()
    model.save(tmp_path / "weights.json", {"fitted_on": []})
    again = PairModel.load(tmp_path / "weights.json")
    assert again.link == model.link
    assert np.allclose(again.link_weights, model.link_weights)
    assert np.allclose(again.weights, model.weights)
