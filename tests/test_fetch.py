"""Fetching from a real server on loopback that misbehaves on purpose."""

import gzip
import socket
import sqlite3
import threading
import time
from datetime import UTC, datetime

import httpcore
import pytest
import sqlite_utils
from click.testing import CliRunner
from conftest import Route, make_settings, rss_feed

from clipper import fetch, store
from clipper.cli import main
from clipper.config import FetchSettings, Source
from clipper.errors import RefusedAddress
from clipper.http import GuardedBackend, build_client, get

FAST = FetchSettings(timeout=1.0, connect_timeout=1.0, retries=2, backoff=0.01,
                     allow_private=True, max_bytes=100_000)
NOW = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)


def rss(*items: tuple[str, str]) -> str:
    return rss_feed([(title, url, "Sun, 22 Nov 2026 09:00:00 +0500") for title, url in items])


def fails_then_succeeds(failures: int, failure: Route, success: Route):
    calls = []

    def handler(request):
        calls.append(1)
        return failure if len(calls) <= failures else success

    return handler


def test_500_then_200_is_retried(site):
    url = site.add_handler("/flaky", fails_then_succeeds(1, Route(500), Route(200, b"ok")))
    with build_client(FAST) as client:
        response = get(client, url, FAST)
    assert response.ok and response.body == b"ok"
    assert response.attempts == 2


def test_429_with_retry_after_is_honoured(site):
    url = site.add_handler("/busy", fails_then_succeeds(
        1, Route(429, headers={"Retry-After": "1"}), Route(200, b"ok")))
    delays = []
    with build_client(FAST) as client:
        response = get(client, url, FAST, sleep=delays.append)
    assert response.ok
    assert delays == [1.0]


def test_404_is_not_retried(site):
    url = site.add("/gone", b"", status=404)
    with build_client(FAST) as client:
        response = get(client, url, FAST)
    assert response.outcome == "http_error" and response.status == 404
    assert site.hits("/gone") == 1


def test_slow_response_times_out(site):
    def slow(request):
        time.sleep(1.5)
        return Route(200, b"late")

    url = site.add_handler("/slow", slow)
    settings = FetchSettings(timeout=0.3, retries=0, allow_private=True)
    with build_client(settings) as client:
        response = get(client, url, settings)
    assert response.outcome == "timeout"


def trickle(body: bytes, pieces: int, every: float):
    """A handler that sends `body` in `pieces`, `every` seconds apart: each read of the
    client is answered well within its timeout, the whole takes pieces × every."""
    size = -(-len(body) // pieces)

    def handler(request):
        request.send_response(200)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        for start in range(0, len(body), size):
            time.sleep(every)
            try:
                request.wfile.write(body[start:start + size])
            except OSError:  # the client gave up
                return None
        return None

    return handler


def test_a_trickling_response_is_cut_off_at_the_deadline_and_not_retried(site):
    url = site.add_handler("/trickle", trickle(b"x" * 40, pieces=40, every=0.25))
    settings = FetchSettings(timeout=1.0, retries=2, backoff=0.01, allow_private=True)
    with build_client(settings) as client:
        response = get(client, url, settings)
    assert response.outcome == "timeout" and response.attempts == 1
    assert response.error == "no complete response within 1 s (fetch.timeout)"
    assert site.hits("/trickle") == 1


def test_a_trickling_feed_and_page_time_out_and_the_other_sources_are_stored(site, db,
                                                                           tmp_path):
    slow_feed = rss(("Медленно", site.url("/slow/1.html"))).encode()
    site.add_handler("/slow/rss", trickle(slow_feed, pieces=20, every=0.5))
    page = b"<html><body><p>" + "Текст ".encode() * 50 + b"</p></body></html>"
    site.add_handler("/quick/slow.html", trickle(page, pieces=20, every=0.5))
    pages = [(f"Быстро {n}", site.add(f"/quick/{n}.html", "<p>ok</p>")) for n in range(3)]
    settings = make_settings(tmp_path, [
        Source(id="slow", name="Slow", url=site.url("/slow/rss")),
        Source(id="quick", name="Quick", url=site.add("/quick/rss", rss(
            *pages, ("Медленная страница", site.url("/quick/slow.html"))))),
    ], timeout=2.0)
    counts = fetch.run(db, settings, 1, NOW)
    (feed,) = [r for r in db["fetches"].rows if r["source_id"] == "slow"]
    assert feed["outcome"] == "timeout" and "within 2 s" in feed["error"]
    assert site.hits("/slow/rss") == 1 and counts["sources_failed"] == 1
    status = {a["title"]: a["page_status"] for a in db["articles"].rows}
    assert status == {"Быстро 0": "ok", "Быстро 1": "ok", "Быстро 2": "ok",
                      "Медленная страница": "timeout"}


def test_a_slow_host_leaves_the_workers_to_the_pages_of_other_hosts(site, db, tmp_path):
    """Two workers, one page per host at a time: a page of the slow host that is still
    loading must not have the other worker wait on that host while quick pages wait."""
    quick_done, released_early = threading.Event(), []

    def slow(request):
        released_early.append(quick_done.wait(timeout=5))
        return Route(200, b"<p>slow</p>")

    def quick(request):
        if all(site.hits(f"/q/{n}.html") for n in range(6)):
            quick_done.set()
        return Route(200, b"<p>quick</p>")

    slow_items = [(f"Медленно {n}", site.add_handler(f"/s/{n}.html", slow).replace(
        "127.0.0.1", "localhost")) for n in range(4)]
    quick_items = [(f"Быстро {n}", site.add_handler(f"/q/{n}.html", quick)) for n in range(6)]
    settings = make_settings(tmp_path, [
        Source(id="slow", name="Slow", url=site.add("/s/rss", rss(*slow_items))),
        Source(id="quick", name="Quick", url=site.add("/q/rss", rss(*quick_items))),
    ], concurrency=2, per_host=1, robots=False)
    counts = fetch.run(db, settings, 1, NOW)
    assert counts["pages_ok"] == 10
    assert released_early[0], "the quick pages waited for the slow host's first page"


def test_body_over_the_cap_is_refused(site):
    url = site.add("/big", b"x" * 200_000)
    with build_client(FAST) as client:
        response = get(client, url, FAST)
    assert response.outcome == "too_large"


def test_gzip_bomb_stops_at_the_decompressed_cap(site):
    bomb = gzip.compress(b"\0" * 5_000_000)
    url = site.add("/bomb", bomb, Content_Encoding="gzip")
    with build_client(FAST) as client:
        response = get(client, url, FAST)
    assert len(bomb) < FAST.max_bytes
    assert response.outcome == "too_large"


def test_redirect_loop_ends_as_an_error(site):
    site.add("/a", status=302, Location="/b")
    site.add("/b", status=302, Location="/a")
    with build_client(FAST) as client:
        response = get(client, site.url("/a"), FAST)
    assert response.outcome == "http_error"
    assert "redirects" in response.error


def test_loopback_article_links_are_refused_unless_allowed(site):
    url = site.add("/page", b"<p>hi</p>")
    guarded = FetchSettings(allow_private=False, retries=0)
    with build_client(guarded, guard_addresses=True) as client:
        response = get(client, url, guarded)
    assert response.outcome == "refused"
    assert site.hits("/page") == 0


def test_one_broken_source_does_not_spoil_the_others(site, db, tmp_path):
    good = site.add("/good/rss", rss(("Новость", site.url("/good/1.html"))),
                    Content_Type="application/rss+xml", ETag='"v1"')
    site.add("/good/1.html", "<html><body><p>Текст</p></body></html>")
    site.add("/broken/rss", "<html><body>Это не лента</body></html>")
    settings = make_settings(tmp_path, [
        Source(id="good", name="Good", url=good),
        Source(id="broken", name="Broken", url=site.url("/broken/rss")),
        Source(id="down", name="Down", url="http://127.0.0.1:9/rss"),
    ], retries=0)
    counts = fetch.run(db, settings, 1, NOW)
    assert counts["sources_ok"] == 1 and counts["sources_failed"] == 2
    assert [r["title"] for r in db["articles"].rows] == ["Новость"]
    outcomes = {r["source_id"]: r["outcome"] for r in db["fetches"].rows if r["what"] == "feed"}
    assert outcomes == {"good": "ok", "broken": "parse", "down": "network"}
    health = {r["id"]: r for r in store.source_health(db)}
    assert health["broken"]["consecutive_failures"] == 1
    assert "no items" in health["broken"]["last_error"]


def test_each_failing_source_keeps_the_kind_of_its_failure(site, db, tmp_path):
    no_links = "<rss version='2.0'><channel>" + "<item><title>Без ссылки</title></item>" * 3
    settings = make_settings(tmp_path, [
        Source(id="good", name="Good", url=site.add("/good/rss", rss(("Да", site.url("/1"))))),
        Source(id="nolinks", name="No links", url=site.add("/nolinks/rss",
                                                           no_links + "</channel></rss>")),
        Source(id="empty", name="Empty", url=site.add(
            "/empty/rss", "<rss version='2.0'><channel><title>Пусто</title></channel></rss>")),
        Source(id="broken", name="Broken", url=site.add("/broken/rss", "<html>не лента</html>")),
        Source(id="down", name="Down", url="http://127.0.0.1:9/rss"),
        Source(id="gone", name="Gone", url=site.add("/gone/rss", status=404)),
    ], retries=0)
    fetch.run(db, settings, 1, NOW)
    health = {r["id"]: r for r in store.source_health(db)}
    assert {id: r["last_outcome"] for id, r in health.items()} == {
        "good": None, "nolinks": "no_links", "empty": "no_items", "broken": "parse",
        "down": "network", "gone": "http_error"}
    assert health["nolinks"]["last_error"] == (
        "items without links: none of the 3 items in the feed has an http(s) link")
    outcomes = {r["source_id"]: r["outcome"] for r in db["fetches"].rows if r["what"] == "feed"}
    assert outcomes == {id: r["last_outcome"] or "ok" for id, r in health.items()}


def test_a_database_from_before_keeps_the_kind_of_each_failing_source(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    store.migrations.apply(old, stop_before="add_last_outcome")
    old["sources"].insert_all([{"id": "down", "consecutive_failures": 2},
                               {"id": "good", "consecutive_failures": 0}])
    old["fetches"].insert_all([{"source_id": "down", "what": "feed", "outcome": "timeout"},
                               {"source_id": "down", "what": "feed", "outcome": "network"},
                               {"source_id": "good", "what": "feed", "outcome": "ok"}])
    old.close()
    db = store.open_db(path)
    assert {r["id"]: r["last_outcome"] for r in store.source_health(db)} == {
        "down": "network", "good": None}


def test_second_run_gets_304_and_fetches_no_page_twice(site, db, tmp_path):
    def conditional(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Route(304, headers={"ETag": '"v1"'})
        return Route(200, rss(("Новость", site.url("/1.html"))).encode(), {"ETag": '"v1"'})

    url = site.add_handler("/rss", conditional)
    site.add("/1.html", "<html><body><p>Текст</p></body></html>")
    settings = make_settings(tmp_path, [Source(id="s", name="S", url=url)])
    fetch.run(db, settings, 1, NOW)
    counts = fetch.run(db, settings, 2, NOW)
    assert counts["new_articles"] == 0
    assert site.hits("/1.html") == 1
    second = [r for r in db["fetches"].rows if r["run_id"] == 2]
    assert [r["outcome"] for r in second] == ["not_modified"]


def power_cut_at_article(db, n: int) -> None:
    """The run dies (once) while it stores the n-th article, as a killed process would."""
    cuts = []

    def power_cut():
        if not cuts:
            cuts.append(n)
            raise RuntimeError("power cut")

    db.conn.create_function("power_cut", 0, power_cut)
    db.execute("create temp trigger power_cut after insert on main.articles "
               f"when (select count(*) from articles) >= {n} begin select power_cut(); end")


def test_a_run_killed_while_storing_a_feed_leaves_its_validators_to_the_next(site, db,
                                                                              tmp_path):
    news = [(f"Новость {n}", site.url(f"/{n}.html")) for n in range(5)]

    def conditional(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Route(304, headers={"ETag": '"v1"'})
        return Route(200, rss(*news).encode(), {"ETag": '"v1"'})

    settings = make_settings(tmp_path, [Source(id="s", name="S",
                                               url=site.add_handler("/rss", conditional))])
    power_cut_at_article(db, 3)
    with pytest.raises(sqlite3.OperationalError):
        fetch.run(db, settings, 1, NOW)
    fetch.run(db, settings, 2, NOW)
    assert sorted(r["title"] for r in db["articles"].rows) == [title for title, _ in news]
    assert store.source_state(db, "s")["etag"] == '"v1"'


def test_a_run_killed_while_storing_a_sitemap_reads_it_again_from_the_last_success(
        site, db, tmp_path):
    urls = [site.url(f"/news/{n}.html") for n in range(5)]
    sitemap = site.add("/sitemap.xml", (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{url}</loc><lastmod>2026-11-22T1{n}:00:00+00:00</lastmod></url>"
                  for n, url in enumerate(urls)) + "</urlset>"))
    settings = make_settings(tmp_path, [Source(id="s", name="S", url=sitemap,
                                               format="sitemap")])
    power_cut_at_article(db, 3)
    with pytest.raises(sqlite3.OperationalError):
        fetch.run(db, settings, 1, datetime(2026, 11, 22, 23, tzinfo=UTC))
    fetch.run(db, settings, 2, datetime(2026, 11, 23, 23, tzinfo=UTC))
    assert sorted(r["url"] for r in db["articles"].rows) == urls


def test_a_big_feed_listed_oldest_first_keeps_its_newest_items_and_says_so(site, db,
                                                                            tmp_path, caplog):
    url = site.add("/rss", rss_feed([(f"Новость {n}", site.url(f"/{n}.html"),
                                      f"Sun, 22 Nov 2026 {n:02d}:00:00 +0500")
                                     for n in range(12)]))
    settings = make_settings(tmp_path, [Source(id="big", name="Big", url=url)],
                             max_items_per_feed=5)
    fetch.run(db, settings, 1, NOW)
    assert [r["title"] for r in db["articles"].rows] == [f"Новость {n}" for n in range(7, 12)]
    (warning,) = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warning == (f"big: feed {url} lists 12 items: kept the newest 5 "
                       "(fetch.max_items_per_feed), dropped 7")


def test_windows_1251_feed_without_charset_header(site, db, tmp_path):
    feed = rss(("Министерство культуры и информации", site.url("/p.html")))
    feed = feed.replace('encoding="utf-8"', 'encoding="windows-1251"').encode("cp1251")
    url = site.add("/rss", feed, Content_Type="application/rss+xml")
    site.add("/p.html", b"", status=403)
    settings = make_settings(tmp_path, [Source(id="s", name="S", url=url)])
    fetch.run(db, settings, 1, NOW)
    (article,) = db["articles"].rows
    assert article["title"] == "Министерство культуры и информации"
    assert article["page_status"] == "forbidden"


def test_robots_txt_keeps_disallowed_pages_to_their_feed_summary(site, db, tmp_path):
    site.add("/robots.txt", "User-agent: clipper\nDisallow: /private/\n",
             Content_Type="text/plain")
    site.add("/private/1.html", "<html><body><p>Закрытый текст</p></body></html>")
    site.add("/open/2.html", "<html><body><p>Открытый текст</p></body></html>")
    url = site.add("/rss", rss(("Закрытая", site.url("/private/1.html")),
                               ("Открытая", site.url("/open/2.html"))))
    settings = make_settings(tmp_path, [Source(id="s", name="S", url=url)])
    counts = fetch.run(db, settings, 1, NOW)
    status = {a["title"]: a["page_status"] for a in db["articles"].rows}
    assert status == {"Закрытая": "robots", "Открытая": "ok"}
    assert site.hits("/private/1.html") == 0 and site.hits("/robots.txt") == 1
    assert counts["pages_disallowed"] == 1 and counts["pages_failed"] == 0


def test_a_source_delay_spaces_requests_to_its_host(site, db, tmp_path):
    pages = [site.add(f"/{n}.html", "<html><body><p>Текст</p></body></html>") for n in range(3)]
    url = site.add("/rss", rss(*((f"Новость {n}", page) for n, page in enumerate(pages))))
    settings = make_settings(tmp_path, [Source(id="s", name="S", url=url, delay=0.2)])
    started = time.monotonic()
    fetch.run(db, settings, 1, NOW)
    # the feed, robots.txt and three pages: four pauses of 0.2 s between five requests
    assert time.monotonic() - started >= 0.8


def test_sources_check_prints_each_feed_and_exits_1_when_one_fails(site, tmp_path):
    url = site.add("/rss", rss(("Новость", site.url("/1.html"))))
    html = site.add("/page", "<html><body><p>Это не лента</p></body></html>",
                    Content_Type="text/html")
    config = tmp_path / "sources.yaml"
    config.write_text(
        "organization: mki\nentities:\n  - id: mki\n    name: МКИ\n"
        "    names: {ru: [Министерство культуры и информации]}\n"
        f"sources:\n  - {{id: good, name: Good, url: '{url}'}}\n"
        f"  - {{id: htmlpage, name: Html, url: '{html}'}}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sources", "check", "--config", str(config)],
                                terminal_width=200)
    assert result.exit_code == 1
    good = next(line for line in result.output.splitlines() if "good" in line)
    assert "ok 200" in good and " 1 " in good and "2026-11-22 09:00" in good
    bad = next(line for line in result.output.splitlines() if "htmlpage" in line)
    assert "parse" in bad and "no items" in bad
    assert "1 of 2 feeds failed" in result.output


def test_pages_are_handed_out_one_host_at_a_time_in_turn():
    pages = [{"url": f"https://{host}/{n}"} for host in ("a.kz", "b.kz", "c.kz") for n in range(3)]
    queues = fetch.HostQueues(pages, per_host=2)
    assert [p["url"] for p in queues.first()] == [
        "https://a.kz/0", "https://b.kz/0", "https://c.kz/0",
        "https://a.kz/1", "https://b.kz/1", "https://c.kz/1"]
    assert queues.after({"url": "https://b.kz/0"})["url"] == "https://b.kz/2"
    assert queues.after({"url": "https://b.kz/1"}) is None


class RecordingProgress:
    def __init__(self):
        self.totals, self.done, self.failed = {}, {}, {}

    def start(self, task, total):
        self.totals[task], self.done[task], self.failed[task] = total, 0, 0

    def advance(self, task, failed=False):
        self.done[task] += 1
        self.failed[task] += failed


def test_progress_counts_feeds_pages_and_failures(site, db, tmp_path):
    site.add("/1.html", "<html><body><p>Текст</p></body></html>")
    url = site.add("/rss", rss(("Есть", site.url("/1.html")), ("Нет", site.url("/gone.html"))))
    sources = [Source(id="s", name="S", url=url),
               Source(id="dead", name="D", url="http://127.0.0.1:9/rss")]
    progress = RecordingProgress()
    fetch.run(db, make_settings(tmp_path, sources, retries=0), 1, NOW, progress=progress)
    assert progress.totals == {"feeds": 2, "pages": 2}
    assert progress.done == progress.totals
    assert progress.failed == {"feeds": 1, "pages": 1}


def test_the_guard_connects_to_the_very_address_it_checked(monkeypatch):
    """DNS rebinding: a name that answers public first and loopback next must not
    reach loopback; the guard resolves once and connects to what it checked."""
    answers = iter([[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 0))],
                    [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 0))]])
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: next(answers))
    connected = []
    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp",
                        lambda self, host, port, *rest: connected.append(host))
    GuardedBackend().connect_tcp("rebind.example", 80)
    assert connected == ["93.184.216.34"]
    with pytest.raises(RefusedAddress):
        GuardedBackend().connect_tcp("rebind.example", 80)


def test_a_name_resolving_to_loopback_is_refused_before_connecting(site, monkeypatch):
    url = site.add("/page", b"<p>hi</p>").replace("127.0.0.1", "intranet.example")
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *rest, **kw: real(
        "127.0.0.1" if host == "intranet.example" else host, *rest, **kw))
    guarded = FetchSettings(allow_private=False, retries=0)
    with build_client(guarded, guard_addresses=True) as client:
        response = get(client, url, guarded)
    assert response.outcome == "refused" and "127.0.0.1" in response.error
    assert site.hits("/page") == 0


def test_a_slow_source_uses_its_time_budget_and_the_rest_waits(site, db, tmp_path):
    def slow(request):
        time.sleep(0.3)
        return Route(200, b"<html><body><p>slow</p></body></html>")

    slow_items = [(f"Медленно {n}", site.add_handler(f"/slow/{n}.html", slow))
                  for n in range(8)]
    quick_items = [(f"Быстро {n}", site.add(f"/quick/{n}.html", "<p>ok</p>")) for n in range(4)]
    settings = make_settings(tmp_path, [
        Source(id="slow", name="Slow", url=site.add("/slow/rss", rss(*slow_items))),
        Source(id="quick", name="Quick", url=site.add("/quick/rss", rss(*quick_items))),
    ], retries=0, source_seconds=0.5, per_host=1)
    counts = fetch.run(db, settings, 1, datetime(2026, 11, 22, tzinfo=UTC))
    assert counts["pages_deferred"] > 0 and counts["pages_ok"] == 12 - counts["pages_deferred"]
    waiting = {r["source_id"] for r in store.pending_pages(db)}
    assert waiting == {"slow"}


def test_pages_wait_on_the_network_while_the_caller_has_too_many_to_store(site, tmp_path):
    """A caller slower than the network (a page decoded, compressed and written while
    sixteen more arrive) once let every page of the night pile up in memory; now a
    connection fetches at most a few pages ahead of what is stored."""
    from clipper.http import HostLimiter

    settings = make_settings(tmp_path, [], retries=0, concurrency=2, per_host=2, robots=False)
    page = "<html><body><article><p>Страница новостей.</p></article></body></html>" * 50
    pending = [{"id": n, "url": site.add(f"/a/{n}.html", page), "source_id": "alpha"}
               for n in range(120)]
    limit = settings.fetch.concurrency * fetch.UNSTORED_PER_WORKER
    fetched = lambda: sum(1 for path, _ in site.requests if path.startswith("/a/"))  # noqa: E731
    with build_client(settings.fetch, guard_addresses=True) as client:
        pages = fetch._fetch_pages(client, settings, HostLimiter(2), pending)
        stored = []
        for article, response in pages:
            if not stored:  # the caller is busy until the network has had its chance
                deadline = time.monotonic() + 60  # a condition awaited, not a time budget
                while fetched() < limit and time.monotonic() < deadline:
                    time.sleep(0.01)
            assert response.ok and fetched() <= len(stored) + limit
            stored.append(article["id"])
    assert sorted(stored) == list(range(120)) and fetched() == 120
