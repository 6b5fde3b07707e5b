"""A news site on 127.0.0.1 for the demo: feeds and article pages from corpus.yaml.

The server has a clock (`as_of`): a feed lists only what was published by
then, so the demo can replay the fortnight night by night through the real
fetch stage, with ETags and 304s as a real site would send.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

CORPUS = Path(__file__).parent / "corpus.yaml"
FEED_SIZE = 30  # items per feed, newest first, as real outlets do


@dataclass(frozen=True)
class Corpus:
    first: str
    last: str
    outlets: dict
    articles: list
    imports: list = field(default_factory=list)


def load_corpus(path: Path = CORPUS) -> Corpus:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    outlets = {o["id"]: o for o in data["outlets"]}
    articles = sorted(data["articles"], key=lambda a: _published(a) or datetime.min.replace(
        tzinfo=UTC))
    return Corpus(str(data["period"]["first"]), str(data["period"]["last"]), outlets, articles,
                  data.get("imports", []))


def _published(article: dict) -> datetime | None:
    value = article.get("published")
    if value is None:
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


class DemoSite:
    """Serves the corpus; `base_url` is known once started."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.as_of = datetime.max.replace(tzinfo=UTC)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> DemoSite:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def feed_url(self, outlet_id: str) -> str:
        if self.corpus.outlets[outlet_id].get("feed") == "telegram":
            return f"{self.base_url}/s/{outlet_id}"  # as https://t.me/s/<channel>
        return f"{self.base_url}/{outlet_id}/feed.xml"

    def channel_page(self, outlet_id: str, before: int | None) -> bytes:
        """A Telegram channel's preview page: its posts as of the clock, oldest first."""
        outlet = self.corpus.outlets[outlet_id]
        numbered = [(n, a) for n, a in enumerate(
            (a for a in self.corpus.articles if a["outlet"] == outlet_id), 1)
            if _published(a) <= self.as_of and (before is None or n < before)]
        return _telegram(outlet, numbered[-20:]).encode("utf-8")

    def visible(self, outlet_id: str) -> list[dict]:
        """The outlet's newest items as of the clock; undated items are always listed."""
        items = [a for a in self.corpus.articles if a["outlet"] == outlet_id
                 and (_published(a) is None or _published(a) <= self.as_of)]
        return items[::-1][:FEED_SIZE]

    def feed(self, outlet_id: str) -> bytes:
        outlet = self.corpus.outlets[outlet_id]
        items = self.visible(outlet_id)
        render = _atom if outlet.get("feed") == "atom" else _rss
        encoding = outlet.get("encoding", "utf-8")
        return render(self, outlet, items, encoding).encode(encoding, errors="xmlcharrefreplace")

    def page(self, outlet_id: str, article_id: str) -> tuple[int, bytes]:
        outlet = self.corpus.outlets.get(outlet_id)
        article = next((a for a in self.corpus.articles
                        if a["id"] == article_id and a["outlet"] == outlet_id), None)
        if outlet is None or article is None:
            return 404, b"not found"
        if outlet.get("paywall"):
            return 403, _paywall_page(outlet).encode("utf-8")
        encoding = outlet.get("encoding", "utf-8")
        return 200, _article_page(outlet, article, encoding).encode(encoding, "xmlcharrefreplace")


def _handler_for(site: DemoSite):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            parts = self.path.split("?")[0].strip("/").split("/")
            if len(parts) == 2 and parts[1] == "feed.xml" and parts[0] in site.corpus.outlets:
                self._send_feed(parts[0])
            elif len(parts) == 2 and parts[0] == "s" and parts[1] in site.corpus.outlets:
                before = parse_qs(urlsplit(self.path).query).get("before", [""])[0]
                body = site.channel_page(parts[1], int(before) if before.isdigit() else None)
                self._send(200, body, "text/html; charset=utf-8")
            elif len(parts) == 2 and parts[1].endswith(".html"):
                status, body = site.page(parts[0], parts[1][:-5])
                self._send(status, body, "text/html")
            else:
                self._send(404, b"not found", "text/plain")

        def _send_feed(self, outlet_id: str):
            body = site.feed(outlet_id)
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            # the windows-1251 outlet declares nothing in its header, as such sites do
            self._send(200, body, "application/rss+xml", {"ETag": etag})

        def _send(self, status: int, body: bytes, kind: str, extra: dict | None = None):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def _rss(site: DemoSite, outlet: dict, items: list[dict], encoding: str) -> str:
    entries = "".join(
        "<item>"
        f"<title>{escape(a['title'])}</title>"
        f"<link>{site.base_url}/{outlet['id']}/{a['id']}.html</link>"
        f"<guid>{site.base_url}/{outlet['id']}/{a['id']}.html</guid>"
        f"<description>{escape(a.get('summary', ''))}</description>"
        + (f"<pubDate>{format_datetime(_published(a))}</pubDate>" if _published(a) else "")
        + (f"<author>{escape(a['author'])}</author>" if a.get("author") else "")
        + "</item>"
        for a in items
    )
    return (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
            f"<title>{escape(outlet['name'])}</title><link>{site.base_url}/{outlet['id']}/</link>"
            f"<description>{escape(outlet['name'])}</description>{entries}</channel></rss>")


def _atom(site: DemoSite, outlet: dict, items: list[dict], encoding: str) -> str:
    entries = "".join(
        "<entry>"
        f"<title>{escape(a['title'])}</title>"
        f'<link href="{site.base_url}/{outlet["id"]}/{a["id"]}.html"/>'
        f"<id>urn:demo:{a['id']}</id>"
        f"<summary>{escape(a.get('summary', ''))}</summary>"
        + (f"<updated>{_published(a).isoformat()}</updated>" if _published(a) else "")
        + "</entry>"
        for a in items
    )
    return (f'<?xml version="1.0" encoding="{encoding}"?>'
            f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(outlet["name"])}</title>'
            f"<id>urn:demo:{outlet['id']}</id>{entries}</feed>")


def _telegram(outlet: dict, numbered: list[tuple[int, dict]]) -> str:
    posts = "".join(
        f'<div class="tgme_widget_message js-widget_message" data-post="{outlet["id"]}/{n}">'
        f'<div class="tgme_widget_message_text js-message_text" dir="auto">'
        + "<br/><br/>".join(escape(p.strip()) for p in str(a["body"]).split("\n\n") if p.strip())
        + f'</div><div class="tgme_widget_message_footer">'
        f'<span class="tgme_widget_message_views">{1.2 + n / 10:.1f}K</span>'
        f'<a class="tgme_widget_message_date" href="https://t.me/{outlet["id"]}/{n}">'
        f'<time datetime="{_published(a).isoformat()}">{_published(a):%H:%M}</time></a>'
        f"</div></div>"
        for n, a in numbered)
    return (f'<!doctype html><html><head><meta charset="utf-8"></head><body>'
            f'<div class="tgme_channel_info_header_title"><span>{escape(outlet["name"])}</span>'
            f'</div><section class="tgme_channel_history">{posts}</section></body></html>')


def _article_page(outlet: dict, article: dict, encoding: str) -> str:
    paragraphs = "".join(f"<p>{escape(p.strip())}</p>"
                         for p in str(article["body"]).split("\n\n") if p.strip())
    published = _published(article)
    meta = (f'<meta property="article:published_time" content="{published.isoformat()}">'
            if published else "")
    author = article.get("author", "")
    return (f'<!doctype html><html lang="{outlet["lang"]}"><head>'
            f'<meta charset="{encoding}"><title>{escape(article["title"])} — '
            f'{escape(outlet["name"])}</title>{meta}'
            f'<meta name="author" content="{escape(author)}"></head><body>'
            f'<nav><a href="/">{escape(outlet["name"])}</a> · Новости · Экономика · Спорт</nav>'
            f"<article><h1>{escape(article['title'])}</h1>{paragraphs}</article>"
            f"<footer>© {escape(outlet['name'])}. Все права защищены.</footer></body></html>")


def _paywall_page(outlet: dict) -> str:
    return (f"<!doctype html><html><head><title>{escape(outlet['name'])}</title></head>"
            "<body><p>Материал доступен только подписчикам.</p></body></html>")
