"""`clipper browse`: the analysts' workspace over the demo database, as an analyst (and
an intruder) would use it: review, one-pass corrections that win in the next digest,
and nothing written without a valid correction or, off this machine, a login."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from datetime import date

import pytest
from click.testing import CliRunner
from conftest import pdf_text

from clipper import pipeline, store
from clipper.browse import LoginNeeded, workspace
from clipper.cli import main
from clipper.config import load_settings
from clipper.corrections import parse_label
from clipper.demo import default_config_path

ADVERTISERS = "Рекламодатели приостанавливают контракты с незарегистрированными СМИ"
LAWYERS = "Юристы: новые правила учета СМИ противоречат закону о масс-медиа"


@pytest.fixture
def settings(tmp_path):
    base = load_settings(default_config_path())
    return base.replace(digest=dataclasses.replace(base.digest, output_dir=str(tmp_path)))


def mention_of(db, title: str, tone: str | None = None) -> int:
    sql = ("select m.id from mentions m join articles a on a.id = m.article_id "
           "where a.title = ? and m.entity = 'mki'" + (" and m.tone = ?" if tone else "")
           + " order by m.id limit 1")
    return db.execute(sql, [title, tone] if tone else [title]).fetchone()[0]


class Browser:
    """Requests to the workspace in-process, keeping cookies like a browser."""

    def __init__(self, ds):
        self.ds, self.cookies = ds, {}

    def get(self, path: str):
        return self._call("get", path)

    def post(self, path: str, data: dict, token: bool = True):
        if token:
            data = {"csrftoken": self.csrftoken(), **data}
        return self._call("post", path, data=data)

    def csrftoken(self) -> str:
        page = self.get("/clipper/review").text
        return re.search(r'name="csrftoken" value="([^"]+)"', page).group(1)

    def _call(self, method: str, path: str, **kwargs):
        response = asyncio.run(getattr(self.ds.client, method)(path, cookies=self.cookies,
                                                                 **kwargs))
        self.cookies.update(dict(response.cookies))
        return response


def corrections(db_path):
    return list(store.open_db(db_path).query("select * from corrections order by id"))


def test_the_review_page_shows_the_periods_mentions_with_the_mention_marked(db_path, settings):
    page = Browser(workspace(settings, db_path, "127.0.0.1")).get("/clipper/review").text
    assert "<mark>Министерство культуры и информации</mark>" in page
    assert ADVERTISERS in page and "Проверка упоминаний" in page
    assert page.index("2026-11-23") < page.index("2026-11-17")  # newest first
    negative = Browser(workspace(settings, db_path, "127.0.0.1")).get(
        "/clipper/review?tone=negative&unreviewed=1&lang=ru").text
    assert ADVERTISERS in negative and "cl-tone cl-negative" in negative
    assert "cl-tone cl-neutral" not in negative and "журналистермен кездесті" not in negative


def test_one_pass_of_corrections_wins_in_the_next_digest(db_path, settings):
    db = store.open_db(db_path)
    lawyers, advertisers = mention_of(db, LAWYERS, "negative"), mention_of(db, ADVERTISERS)
    browser = Browser(workspace(settings, db_path, "127.0.0.1"))
    response = browser.post("/-/clipper/correct", {
        f"tone_{lawyers}": " Нейтрально ", f"note_{lawyers}": "мнение юристов, не упрёк",
        f"tone_{advertisers}": "бізге қатысты емес", f"note_{advertisers}": "другое МКИ",
        f"tone_{mention_of(db, ADVERTISERS) + 10_000_000}": "", "back": "/clipper/review"})
    assert response.status_code == 302 and response.headers["location"] == "/clipper/review"
    rows = corrections(db_path)
    assert sorted((r["target_id"], r["label"], r["who"]) for r in rows) == sorted([
        (lawyers, "neutral", rows[0]["who"]), (advertisers, "not_about_us", rows[0]["who"])])
    assert rows[0]["who"] and rows[0]["at"]
    assert "Сохранено исправлений: 2" in browser.get("/clipper/review").text

    result = pipeline.run(db, settings, date(2026, 11, 23), only=())
    text = " ".join(pdf_text(next(p for p in result.outputs if p.suffix == ".pdf")).split())
    assert ADVERTISERS not in text  # not about us: out of every figure and list
    assert "исправлено аналитиком: мнение юристов, не упрёк" in text
    clipping = text.split(LAWYERS)[-1][:300]
    assert "Признаки" not in clipping.split("Медиаюристы")[0]


@pytest.mark.parametrize("form", [
    {"tone_{m}": "негатив", "tone_{other}": "ужасно"},  # one word that is no label
    {"tone_{m}": "негатив", "tone_999999999": "теріс"},  # a mention that does not exist
    {"tone_{m}": "негатив", "tone_1 or 1=1": "negative"},  # a crafted id
    {"tone_{m}": "негатив", "note_{other}": "a note without a tone"},
    {"tone_{m}": "'; delete from corrections; --"},
])
def test_a_bad_correction_changes_nothing(db_path, settings, form):
    db = store.open_db(db_path)
    m, other = mention_of(db, LAWYERS), mention_of(db, ADVERTISERS)
    data = {key.format(m=m, other=other): value for key, value in form.items()}
    response = Browser(workspace(settings, db_path, "127.0.0.1")).post("/-/clipper/correct", data)
    assert response.status_code == 400 and "nothing saved" in response.text
    assert corrections(db_path) == []


def test_a_correction_another_site_makes_the_browser_send_is_refused(db_path, settings):
    """Cross-site request forgery: a page elsewhere posts to the workspace on this
    machine; the browser sends no cookie (SameSite) and so no CSRF token either."""
    db = store.open_db(db_path)
    lawyers = mention_of(db, LAWYERS)
    ds = workspace(settings, db_path, "127.0.0.1")
    for headers in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}):
        response = asyncio.run(ds.client.post("/-/clipper/correct", headers=headers,
                                              data={f"tone_{lawyers}": "positive"}))
        assert response.status_code == 403
    assert corrections(db_path) == []
    own = Browser(ds).post("/-/clipper/correct", {f"tone_{lawyers}": "positive"})
    assert own.status_code == 302 and len(corrections(db_path)) == 1


def test_arbitrary_sql_and_crafted_parameters_read_nothing_and_write_nothing(db_path, settings):
    browser = Browser(workspace(settings, db_path, "127.0.0.1"))
    for path in ("/clipper", "/clipper.json", "/clipper.csv"):
        assert browser.get(f"{path}?sql=select * from corrections").status_code == 403
        assert browser.get(f"{path}?sql=delete from mentions").status_code in (400, 403)
    before = store.open_db(db_path).execute("select count(*) from mentions").fetchone()[0]
    crafted = ("/clipper/review.json?_shape=array"
               "&entity=mki'%20or%201=1;%20delete%20from%20mentions;--")
    response = browser.get(crafted)
    assert response.status_code == 200 and response.json() == []
    assert browser.post("/clipper/review", {"sql": "delete from mentions"}).status_code != 200
    assert store.open_db(db_path).execute("select count(*) from mentions").fetchone()[0] == before
    assert corrections(db_path) == []


def test_off_this_machine_nothing_without_a_login_and_the_analyst_is_recorded(
        db_path, settings, monkeypatch):
    from datasette_auth_passwords.utils import hash_password

    monkeypatch.setenv("CLIPPER_BROWSE_PASSWORD_HASH_AIGERIM", hash_password("кітап-2026"))
    ds = workspace(settings, db_path, "192.0.2.10")
    stranger = Browser(ds)
    assert stranger.get("/clipper/review").status_code == 403
    assert stranger.get("/").status_code == 403
    mention = mention_of(store.open_db(db_path), LAWYERS)
    token_page = stranger.get("/-/login").text
    token = re.search(r'name="csrftoken" value="([^"]+)"', token_page).group(1)
    refused = stranger.post("/-/clipper/correct", {"csrftoken": token,
                                                    f"tone_{mention}": "negative"}, token=False)
    assert refused.status_code == 403 and corrections(db_path) == []

    analyst = Browser(ds)
    page = analyst.get("/-/login").text
    token = re.search(r'name="csrftoken" value="([^"]+)"', page).group(1)
    wrong = analyst.post("/-/login", {"csrftoken": token, "username": "aigerim",
                                      "password": "китап-2026"}, token=False)
    assert wrong.status_code == 200 and "ds_actor" not in analyst.cookies
    logged = analyst.post("/-/login", {"csrftoken": token, "username": "aigerim",
                                       "password": "кітап-2026"}, token=False)
    assert logged.status_code == 302
    saved = analyst.post("/-/clipper/correct", {f"tone_{mention}": "теріс"})
    assert saved.status_code == 302
    assert [(r["label"], r["who"]) for r in corrections(db_path)] == [("negative", "aigerim")]


def test_off_this_machine_without_accounts_the_workspace_does_not_start(db_path, settings):
    with pytest.raises(LoginNeeded, match="CLIPPER_BROWSE_PASSWORD_HASH_"):
        workspace(settings, db_path, "0.0.0.0", environ={})


@pytest.mark.parametrize("word, label", [
    ("негатив", "negative"), ("Теріс", "negative"), ("  NEGATIVE ", "negative"),
    ("бейтарап", "neutral"), ("нейтрально", "neutral"), ("оң", "positive"),
    ("Позитив", "positive"), ("не о нас", "not_about_us"), ("Бізге  қатысты емес", "not_about_us"),
    ("not about us", "not_about_us"),
])
def test_tones_typed_in_russian_kazakh_or_english(word, label):
    assert parse_label(word) == label


def test_a_word_that_is_no_tone_is_refused_with_what_is_accepted():
    with pytest.raises(ValueError, match="негатив"):
        parse_label("плохо")


def test_tone_set_takes_config_and_db_like_every_command(db_path):
    mention = mention_of(store.open_db(db_path), LAWYERS)
    result = CliRunner().invoke(main, ["tone", "set", str(mention), "теріс", "--note", "ирония",
                                       "--config", str(default_config_path()),
                                       "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert [(r["target_id"], r["label"], r["note"]) for r in corrections(db_path)] == [
        (mention, "negative", "ирония")]
    refused = CliRunner().invoke(main, ["tone", "set", "999999", "негатив", "--db", str(db_path),
                                        "--config", str(default_config_path())])
    assert refused.exit_code == 2 and "no mention with id 999999" in refused.output


def _links(pdf) -> set[str]:
    from pypdf import PdfReader

    found = set()
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if "/URI" in action:
                found.add(str(action["/URI"]))
    return found


def test_the_digest_links_items_to_the_workspace_only_when_it_has_an_address(db_path, settings):
    from clipper.config import BrowseSettings

    db = store.open_db(db_path)
    plain = pipeline.run(db, settings, date(2026, 11, 23), only=())
    plain_pdf = next(p for p in plain.outputs if p.suffix == ".pdf")
    assert not [u for u in _links(plain_pdf) if "/clipper/articles" in u]

    linked = settings.replace(browse=BrowseSettings(base_url="http://clipper.mki.local:8001/"))
    result = pipeline.run(db, linked, date(2026, 11, 23), only=())
    html = next(p for p in result.outputs if p.suffix == ".html").read_text()
    advertisers = db.execute("select id from articles where title = ?", [ADVERTISERS]).fetchone()
    assert f'href="http://clipper.mki.local:8001/clipper/articles/{advertisers[0]}"' in html
    links = _links(next(p for p in result.outputs if p.suffix == ".pdf"))
    assert any("/clipper/storyline?storyline=" in u for u in links)  # stories, attention
    assert f"http://clipper.mki.local:8001/clipper/articles/{advertisers[0]}" in links
