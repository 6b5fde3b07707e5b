"""Shared fixtures: a real HTTP server on 127.0.0.1, a real SQLite file, settings from YAML."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pypdf import PdfReader

from clipper import store
from clipper.config import Settings, Source, load_settings


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    handler: Callable | None = None  # handler(request) -> Route, for stateful routes


class LoopbackSite:
    """Routes by path; records every request it receives."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def add(self, path: str, body: bytes | str = b"", status: int = 200, **headers) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = {k.replace("_", "-"): v for k, v in headers.items()}
        self.routes[path] = Route(status, body, headers)
        return self.url(path)

    def add_handler(self, path: str, handler: Callable) -> str:
        self.routes[path] = Route(handler=handler)
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def close(self):
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                site.requests.append((self.path, dict(self.headers)))
                route = site.routes.get(self.path) or site.routes.get(self.path.split("?")[0])
                if route is None:
                    route = Route(404, b"not found")
                elif route.handler:
                    route = route.handler(self)
                    if route is None:
                        return
                self.send_response(route.status)
                headers = {"Content-Length": str(len(route.body)), **route.headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def site():
    server = LoopbackSite()
    yield server
    server.close()


@pytest.fixture
def db(tmp_path):
    database = store.open_db(tmp_path / "clipper.db")
    yield database
    database.close()


DEFAULT_CONFIG = Path(__file__).parent.parent / "sources.yaml"


def make_settings(tmp_path: Path, sources: list[Source], **fetch) -> Settings:
    """The default entities with the given sources; output and database under tmp_path.

    Tests opt in to loopback addresses and use short back-off delays.
    """
    base = load_settings(DEFAULT_CONFIG)
    return base.replace(
        path=str(tmp_path / "sources.yaml"),
        sources=tuple(sources),
        fetch=dataclasses.replace(base.fetch, allow_private=True, backoff=0.01, **fetch),
        digest=dataclasses.replace(base.digest, output_dir=str(tmp_path / "output")),
    )


def rss_feed(items, encoding: str = "utf-8") -> str:
    """An RSS 2.0 document from (title, link, RFC 822 date or None) triples."""
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        + (f"<pubDate>{when}</pubDate>" if when else "")
        + "</item>"
        for title, link, when in items
    )
    head = f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0">'
    return f"{head}<channel>{entries}</channel></rss>"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The demo's database, built once a test module."""
    from clipper.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    run_demo(out, out / "demo.db")
    return out / "demo.db"


@pytest.fixture
def db_path(demo_db, tmp_path):
    """A copy of the demo's database for one test to change."""
    from clipper import store

    copy = tmp_path / "clipper.db"
    store.backup(store.open_db(demo_db), copy)  # a file copy would miss what is still in the WAL
    return copy
