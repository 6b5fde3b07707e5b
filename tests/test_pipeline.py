"""The whole night, end to end, against outlets served on loopback."""

import time
from datetime import UTC, date, datetime

from conftest import make_settings, pdf_text, rss_feed

from clipper import pipeline, store
from clipper.config import Source

DAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)

CRITICISM = (
    "Журналисты региональных изданий критикуют Министерство культуры и информации "
    "за затянутую процедуру аккредитации онлайн-СМИ. По словам редакторов, заявки "
    "рассматриваются по два месяца, а отказы приходят без объяснения причин.",
    "Представители отрасли направили коллективное обращение в ведомство. Они просят "
    "сократить сроки и опубликовать понятные критерии. В министерстве пока не "
    "прокомментировали жалобы, хотя недовольство растёт уже несколько недель.",
    "Эксперты отмечают, что задержки бьют прежде всего по небольшим редакциям в "
    "регионах, у которых нет юристов. Некоторые из них уже приостановили выпуск.",
)
KAZAKH = (
    "Мәдениет және ақпарат министрлігінің мәліметінше, биыл өңірлік басылымдарға "
    "арналған мемлекеттік гранттар саны екі есе артады. Конкурсқа өтінімдер желтоқсанның "
    "соңына дейін қабылданады.",
    "Министрлік өкілдерінің айтуынша, гранттар ең алдымен аудандық газеттерге және "
    "жергілікті телеарналарға беріледі. Бұл шешімді журналистер қауымдастығы құптады.",
)
WEATHER = (
    "В Астане в воскресенье ожидается снег и гололёд, температура опустится до минус "
    "пятнадцати градусов. Синоптики советуют водителям быть осторожнее на дорогах.",
    "В южных регионах, напротив, сохранится тёплая погода без осадков. Ветер северо-"
    "западный, умеренный, к вечеру усилится до пятнадцати метров в секунду.",
)


def page(title: str, paragraphs: tuple[str, ...]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title></head><body><nav>Главная · Новости</nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>© Редакция</footer></body></html>")


def serve_outlets(site) -> list[Source]:
    when = "Sun, 22 Nov 2026 {} +0500"
    site.add("/alpha/1.html", page("Аккредитацию СМИ критикуют", CRITICISM))
    site.add("/alpha/2.html", page("Погода на воскресенье", WEATHER))
    site.add("/beta/7.html", page("Редакторы жалуются на аккредитацию",
                                  CRITICISM + ("Читайте также: новости регионов.",)))
    site.add("/qazaq/5.html", page("Өңірлік БАҚ-қа гранттар көбейеді", KAZAKH))
    alpha = site.add("/alpha/rss", rss_feed([
        ("Аккредитацию СМИ критикуют", site.url("/alpha/1.html?utm_source=rss"),
         when.format("09:00:00")),
        ("Погода на воскресенье", site.url("/alpha/2.html"), when.format("07:30:00")),
    ]))
    beta = site.add("/beta/rss", rss_feed([
        ("Редакторы жалуются на аккредитацию", site.url("/beta/7.html"),
         when.format("11:20:00")),
    ]))
    qazaq = site.add("/qazaq/rss", rss_feed([
        ("Өңірлік БАҚ-қа гранттар көбейеді", site.url("/qazaq/5.html"), when.format("10:00:00")),
    ]))
    return [
        Source(id="alpha", name="Альфа Ньюс", url=alpha),
        Source(id="beta", name="Бета Медиа", url=beta),
        Source(id="qazaq", name="Qazaq Times", url=qazaq, lang="kk"),
        Source(id="dead", name="Мёртвый сайт", url="http://127.0.0.1:9/rss"),
    ]


def test_a_night_from_feeds_to_pdf(site, db, tmp_path):
    settings = make_settings(tmp_path, serve_outlets(site), retries=0)
    result = pipeline.run(db, settings, DAY, now=NOW)

    assert sorted(a["source_id"] for a in db["articles"].rows) == [
        "alpha", "alpha", "beta", "qazaq"]
    assert {a["canonical_url"].rsplit("/", 1)[-1] for a in db["articles"].rows} == {
        "1.html", "2.html", "7.html", "5.html"}  # the utm_ parameter is gone
    by_title = {a["title"]: a for a in db["articles"].rows}
    original = by_title["Аккредитацию СМИ критикуют"]
    reprint = by_title["Редакторы жалуются на аккредитацию"]
    assert original["extraction"] == "page" and "аккредитации" in original["text"]
    assert original["story_id"] == reprint["story_id"]
    story = db["stories"].get(original["story_id"])
    assert story["first_source_id"] == "alpha" and story["outlets"] == 2

    mentions = list(db["mentions"].rows)
    forms = {m["text"] for m in mentions if m["entity"] == "mki"}
    assert "Министерство культуры и информации" in forms
    assert any(f.startswith("Мәдениет және ақпарат министрлігі") for f in forms)
    assert all(m["tone"] in ("positive", "neutral", "negative") for m in mentions)
    ru = [m for m in mentions if m["article_id"] == original["id"] and m["entity"] == "mki"]
    assert ru[0]["tone"] == "negative"

    pdf = tmp_path / "output" / "digest-2026-11-22.pdf"
    assert pdf in result.outputs
    text = pdf_text(pdf)
    assert "Министерство культуры и информации" in text
    assert "Аккредитацию СМИ критикуют" in text
    assert "Альфа Ньюс" in text and "Бета Медиа" in text
    assert "Мәдениет және ақпарат министрлігінің" in text
    assert "Мёртвый сайт" in text  # named in source health


def test_running_the_same_day_twice_adds_nothing(site, db, tmp_path):
    settings = make_settings(tmp_path, serve_outlets(site), retries=0)
    pipeline.run(db, settings, DAY, now=NOW, digest=False)
    before = {t: db[t].count for t in ("articles", "stories", "mentions")}
    pipeline.run(db, settings, DAY, now=NOW, digest=False)
    assert {t: db[t].count for t in ("articles", "stories", "mentions")} == before
    assert before["articles"] == 4 and before["mentions"] >= 3
    runs = list(db["runs"].rows)
    assert [r["outcome"] for r in runs] == ["done", "done"]


def test_a_night_with_no_source_reachable_still_writes_the_digest(db, tmp_path):
    sources = [Source(id=f"s{n}", name=f"Источник {n}", url=f"http://127.0.0.1:9/{n}")
               for n in range(3)]
    settings = make_settings(tmp_path, sources, retries=0)
    result = pipeline.run(db, settings, DAY, now=NOW)
    text = pdf_text(result.outputs[-1])
    assert "Ни один источник не удалось получить" in text
    assert "Источник 2" in text


def test_detection_reads_no_open_cursor_while_the_dedupe_writes_beside_it(tmp_path):
    """The dedupe runs beside the detection on its own connection: the detection's
    reads must be finished before it writes, or its writes fail at once."""
    path = tmp_path / "clipper.db"
    detecting, deduping = store.open_db(path), store.open_db(path)
    detecting["articles"].insert_all({"id": n, "title": "t", "text": "x", "lang": "ru",
                                      "extraction": "page"} for n in range(1, 1201))
    done = 0
    for article in store.pending_detection(detecting):
        with deduping.conn:  # the other connection commits between two of our writes
            deduping["articles"].update(article["id"], {"story_id": article["id"]})
        store.save_mentions(detecting, article["id"], [], "2026-11-23T00:00:00+00:00")
        done += 1
    assert done == 1200
    assert not list(store.pending_detection(detecting))


def test_extraction_beside_the_fetch_reads_no_open_cursor_while_the_fetch_writes(tmp_path):
    path = tmp_path / "clipper.db"
    extracting, fetching = store.open_db(path), store.open_db(path)
    extracting["articles"].insert_all({"id": n, "url": f"https://example.kz/{n}",
                                       "page_status": "in_feed"} for n in range(1, 1201))
    done = 0
    for article in store.pending_extraction(extracting):
        with fetching.conn:  # the fetch stores another page between two of our writes
            fetching["articles"].update(article["id"], {"fetched_at": "2026-12-02T01:00:00"})
        with extracting.conn:
            store.save_extraction(extracting, article["id"], {"text": "x", "extraction": "feed"})
        done += 1
    assert done == 1200
    assert not list(store.pending_extraction(extracting))


def store_and_await(fetching, beside, sentence: str, count: int = 80) -> None:
    """Store `count` articles of `sentence` as the fetch would, and wait until the
    detection beside it has read them all."""
    with fetching.conn:
        fetching["articles"].insert_all(
            {"id": n, "title": "", "text": sentence, "lang": "ru", "extraction": "feed"}
            for n in range(1, count + 1))
    deadline = time.monotonic() + 300  # a condition awaited, not a time budget
    while beside.detected["articles"] < count and time.monotonic() < deadline:
        time.sleep(0.2)


def test_mentions_are_found_and_judged_beside_the_fetch(tmp_path):
    """While the fetch waits on the network, what the extraction has read is searched
    for mentions and their tone judged, on workers of their own."""


    from clipper import extract

    path = tmp_path / "clipper.db"
    fetching = store.open_db(path)
    settings = make_settings(tmp_path, [], workers=2)
    sentence = "Журналисты раскритиковали Министерство культуры и информации за задержки."
    now = datetime(2026, 11, 23, 23, tzinfo=UTC)
    with extract.Alongside(str(path), settings, 1, now, detect=True) as beside:
        store_and_await(fetching, beside, sentence)  # the fetch stores articles the
        # extraction has already read
        found = list(fetching.query("select tone from mentions where entity = 'mki'"))
    assert beside.detected["articles"] == 80 and len(found) == 80
    assert {row["tone"] for row in found} == {"negative"}


def _holds_tone_model(_) -> tuple[int, bool]:
    import os
    import sys

    from clipper import stages

    held = "clipper.tone.model" in sys.modules or getattr(stages, "_model", None) is not None
    return os.getpid(), held


def test_the_tone_model_is_loaded_once_by_the_caller_not_in_every_worker(tmp_path):
    """Each worker holding the encoder took a third of a gigabyte: the workers find
    the mentions, the one model beside the database judges them all."""
    import os

    from clipper import stages

    db = store.open_db(tmp_path / "clipper.db")
    settings = make_settings(tmp_path, [], workers=2)
    texts = ["Журналисты раскритиковали Министерство культуры и информации за задержки.",
             "Мәдениет және ақпарат министрлігі өңірлік басылымдарға грант береді.",
             "В Астане ожидается снег и гололёд, ветер до пятнадцати метров в секунду."]
    db["articles"].insert_all({"id": n, "title": "", "text": texts[n % 3], "lang": None,
                               "extraction": "page"} for n in range(1, 301))
    judge = stages.Judge()
    with stages.detect_pool(settings, in_process_below=1) as pool:
        counts = stages.run_detect(db, settings, 1, NOW, pool=pool, judge=judge)
        in_workers = pool.map(_holds_tone_model, list(range(200)))
    assert counts == {"articles": 300, "mentions": 200}
    assert os.getpid() not in {pid for pid, _ in in_workers}
    assert not any(held for _, held in in_workers)
    assert judge.model is not None
    tones = list(db.query("select article_id, tone from mentions order by article_id"))
    assert len(tones) == 200 and all(row["tone"] for row in tones)
    assert {row["tone"] for row in tones if row["article_id"] % 3 == 0} == {"negative"}


def test_the_extraction_hands_its_workers_the_pages_compressed(tmp_path):
    """A batch of 256 real pages (150 KB of menus, scripts and comments each) read
    whole as text held some 70 MB in the run's process; compressed, a few."""
    from clipper import extract

    db = store.open_db(tmp_path / "clipper.db")
    menu = "".join(f'<li><a href="/news/{n}">Новости региона {n}: аким встретился с '
                   f"жителями</a></li>" for n in range(1200))
    html = page("Аккредитацию СМИ критикуют", CRITICISM).replace(
        "<nav>Главная · Новости</nav>", f"<nav><ul>{menu}</ul></nav><script>"
        + "var a=window.dataLayer||[];" * 1500 + "</script>")
    assert len(html.encode()) > 150_000
    db["articles"].insert({"id": 1, "url": "https://alpha.kz/1.html", "canonical_url":
                           "https://alpha.kz/1.html", "title": "", "summary": "", "author": None,
                           "lang": None, "published_at": "2026-11-22T04:00:00+00:00",
                           "fetched_at": "2026-11-22T05:00:00+00:00", "page_status": "ok"})
    store.save_page(db, 1, "ok", html.encode(), "utf-8", 200)
    article = next(iter(store.pending_extraction(db)))
    job = extract._job(db, article)
    assert isinstance(job[1], bytes) and len(job[1]) < len(html.encode()) / 5
    changes = extract.extraction(job, UTC, max_chars=100_000)
    assert changes == extract.extraction((job[0], html), UTC, max_chars=100_000)
    assert changes["extraction"] == "page" and changes["text"].startswith("Журналисты")
    assert "аким встретился" not in changes["text"] and "dataLayer" not in changes["text"]


def test_the_detections_tone_model_goes_when_the_detection_is_done(tmp_path):
    """The storylines load the encoder's other half after the detection: the tone
    model must not stay beside it for the rest of the night."""
    import gc
    import weakref

    from clipper import stages

    db = store.open_db(tmp_path / "clipper.db")
    settings = make_settings(tmp_path, [], workers=1)
    db["articles"].insert({"id": 1, "title": "", "lang": "ru", "extraction": "page",
                           "text": "Журналисты раскритиковали Министерство культуры и "
                                   "информации за задержки."})
    judge = stages.Judge()
    assert stages.run_detect(db, settings, 1, NOW, judge=judge)["mentions"] == 1
    assert db["mentions"].count == 1 and next(db["mentions"].rows)["tone"] == "negative"
    model = weakref.ref(judge.model)
    del judge
    gc.collect()
    assert model() is None


def test_mentions_found_beside_the_fetch_wait_for_the_tone_stage_when_it_runs(tmp_path):
    """In a whole night the tone model is loaded after the extraction's and detection's
    workers are gone, never beside them: the mentions found beside the fetch wait."""


    from clipper import extract, stages

    path = tmp_path / "clipper.db"
    fetching = store.open_db(path)
    settings = make_settings(tmp_path, [], workers=2)
    sentence = "Журналисты раскритиковали Министерство культуры и информации за задержки."
    with extract.Alongside(str(path), settings, 1, NOW, detect=True, tone_later=True) as beside:
        store_and_await(fetching, beside, sentence)
    assert beside.judge.model is None
    waiting = list(fetching.query("select tone, tone_source from mentions"))
    assert len(waiting) == 80 and {(r["tone"], r["tone_source"]) for r in waiting} == {(None, None)}
    assert stages.run_tone(fetching, settings, 1, NOW) == {"mentions": 80}
    judged = list(fetching.query("select tone, tone_source, tone_cues from mentions"))
    assert {(r["tone"], r["tone_source"]) for r in judged} == {("negative", "model")}
    assert all(r["tone_cues"] != "[]" for r in judged)


def test_pages_are_read_and_searched_as_they_arrive_and_the_rest_once_the_fetch_ends(tmp_path):
    """The extraction beside the fetch takes each page as it is stored, and its workers
    find the article's mentions at once: the first articles are read and searched while
    the fetch goes on; what the fetch stores last is read by the same workers when it
    ends, leaving nothing to the extract and detect stages."""
    from clipper import extract, stages

    path = tmp_path / "clipper.db"
    fetching = store.open_db(path)
    settings = make_settings(tmp_path, [], workers=2)
    pages = [page("Жалобы на аккредитацию", CRITICISM), page("Гранттар", KAZAKH),
             page("Погода", WEATHER)]

    def fetched(first: int, last: int) -> None:
        for n in range(first, last + 1):
            with fetching.conn:
                fetching["articles"].insert(
                    {"id": n, "url": f"https://outlet.kz/{n}.html", "title": "", "summary": "",
                     "author": "", "lang": None, "published_at": "2026-11-22T09:00:00+00:00",
                     "fetched_at": "2026-11-22T10:00:00+00:00", "page_status": "pending",
                     "canonical_url": f"https://outlet.kz/{n}.html"})
            store.save_page(fetching, n, "ok", pages[n % 3].encode())

    with extract.Alongside(str(path), settings, 1, NOW, detect=True, tone_later=True) as beside:
        fetched(1, 90)
        deadline = time.monotonic() + 300  # a condition awaited, not a time budget
        while beside.detected["articles"] < 90 and time.monotonic() < deadline:
            time.sleep(0.2)
        read_while_fetching = dict(beside.detected)
        fetched(91, 120)  # the fetch's last pages, then it ends
    assert read_while_fetching["articles"] == 90
    rows = list(fetching.query("select id, extraction, detected_at, mention_count, lang "
                               "from articles order by id"))
    assert len(rows) == 120 and all(r["extraction"] == "page" and r["detected_at"] for r in rows)
    # the ministry is named in the complaint (ru) and the grants (kk), not the weather
    assert {r["lang"] for r in rows if r["mention_count"]} == {"ru", "kk"}
    assert all(r["mention_count"] == 0 for r in rows if r["id"] % 3 == 2)
    assert beside.counts["from_page"] == 120 and beside.detected["articles"] == 120
    assert extract.run(fetching, settings, 1, NOW) == {"from_page": 0, "from_summary": 0}
    assert stages.run_detect(fetching, settings, 1, NOW)["articles"] == 0
