"""Alerts between digests: a negative story spreading fast is mailed at once, once."""

from datetime import timedelta

from conftest import make_settings
from test_analyse import DAY, History, at
from test_deliver import smtp, with_delivery  # noqa: F401 - the SMTP server fixture

from clipper import alerts, deliver

NEGATIVE = "Журналисты критикуют Министерство культуры и информации за сбои портала."


def test_a_fast_spreading_negative_story_is_mailed_once(db, tmp_path, smtp):  # noqa: F811
    controller, inbox, _ = smtp
    settings = with_delivery(make_settings(tmp_path, []), controller.port)
    history = History(db, settings)
    for source_id in ("orda", "vlast", "zakon", "nur"):
        history.source(source_id, weight=2.0)
    story = history.article("orda", at(DAY, 9), "Портал снова не работает", NEGATIVE,
                            "negative")
    for source_id, hour in (("vlast", 10), ("zakon", 11)):
        history.article(source_id, at(DAY, hour), "Портал снова не работает", NEGATIVE,
                        "negative", story=story)
    history.article("nur", at(DAY - timedelta(days=1), 9), "Старая жалоба", NEGATIVE,
                    "negative")
    now = at(DAY, 12)

    found = alerts.story_alerts(db, settings, now)
    assert [a["story"]["id"] for a in found] == [story]
    assert alerts.queue(db, settings, found, None, now) == 1
    deliver.send_pending(db, settings.delivery)
    ((_, mail),) = inbox.messages
    assert mail["Subject"] == "Срочно: Портал снова не работает"
    assert "Orda" in mail.get_content() and "3" in mail.get_content()

    assert alerts.queue(db, settings, alerts.story_alerts(db, settings, now), None, now) == 0
    assert alerts.queue(db, settings, [], (12, 13), now) == 1
    deliver.send_pending(db, settings.delivery)
    assert inbox.messages[-1][1]["Subject"].startswith("Срочно: Не прочитано: 12 из 13")


def test_an_alert_says_which_day_of_an_issue_the_story_is(db, tmp_path, smtp):  # noqa: F811
    """The portal down again two days after complaints about the registration: the alert
    names the issue's topic, its day and who began it."""
    controller, inbox, _ = smtp
    settings = with_delivery(make_settings(tmp_path, []), controller.port)
    history = History(db, settings)
    for source_id in ("orda", "vlast", "zakon", "nur"):
        history.source(source_id, weight=2.0)
    history.article("nur", at(DAY - timedelta(days=2), 9), "Жалобы на постановку на учет",
                    "Редакции критикуют Министерство культуры и информации за постановку на учет.",
                    "negative")
    failure = ("Министерство культуры и информации снова сорвало постановку на учет: "
               "портал не работает.")
    story = history.article("orda", at(DAY, 9), "Портал снова не работает", failure, "negative")
    for source_id, hour in (("vlast", 10), ("zakon", 11)):
        history.article(source_id, at(DAY, hour), "Портал снова не работает", failure,
                        "negative", story=story)

    found = alerts.story_alerts(db, settings, at(DAY, 12))
    assert alerts.queue(db, settings, found, None, at(DAY, 12)) == 1
    deliver.send_pending(db, settings.delivery)
    ((_, mail),) = inbox.messages
    assert "Тема «Учет и аккредитация СМИ»: день 3 · начало: Nur" in mail.get_content()


def test_an_issue_alerted_by_one_side_is_not_alerted_again_once_its_sides_are_one(
        db, tmp_path, smtp):  # noqa: F811
    """The complaints were alerted at noon; at night the ministry's answer and the
    reactions, a storyline the complaints then joined, make one storyline of the issue:
    the press office is not told of it a second time."""
    from clipper import store

    controller, inbox, _ = smtp
    settings = with_delivery(make_settings(tmp_path, []), controller.port)
    history = History(db, settings)
    for source_id in ("orda", "vlast", "zakon", "nur", "kursiv", "tengri"):
        history.source(source_id, weight=2.0)
    answer = [history.article(source_id, at(DAY, hour), "Министерство ответило на жалобы",
                              NEGATIVE, "negative")
              for source_id, hour in (("nur", 8), ("kursiv", 8), ("tengri", 9))]
    complaints = [history.article(source_id, at(DAY, hour), "Портал снова не работает",
                                  NEGATIVE, "negative")
                  for source_id, hour in (("orda", 9), ("vlast", 10), ("zakon", 11))]
    with db.conn:
        for storyline, members in ((1, answer), (2, complaints)):
            db["storylines"].insert({"id": storyline})
            for article in members:
                db["articles"].update(article, {"storyline_id": storyline})
        store.refresh_storylines(db, [1, 2])
    now = at(DAY, 12)
    found = alerts.story_alerts(db, settings, now)
    assert {a["name"] for a in found} == {"alert-storyline-1", "alert-storyline-2"}
    assert alerts.queue(db, settings, [a for a in found if a["name"].endswith("-2")],
                        None, now) == 1
    deliver.send_pending(db, settings.delivery)
    assert len(inbox.messages) == 1

    with db.conn:
        store.merge_storyline(db, 2, into=1)
        store.refresh_storylines(db, [1])
    found = alerts.story_alerts(db, settings, now)
    assert found == [] and alerts.queue(db, settings, found, None, now) == 0
    # merged on, the issue's earlier parts still stand for it
    with db.conn:
        db["storylines"].insert({"id": 3})
        store.merge_storyline(db, 1, into=3)
        store.refresh_storylines(db, [3])
    assert sorted(store.merged_into(db, 3)) == [1, 2]
    assert alerts.story_alerts(db, settings, now) == []
