"""Fetch stage against its floor: N feeds × M items served from loopback with added latency.

    python bench/bench_fetch.py [--feeds 200] [--items 20] [--latency 0.1]

Each feed has its own host (127.0.0.1, 127.0.0.2, …: all loopback on Linux), so
the per-host limit does not hide the global one. The floor is the latency-bound
minimum: every request costs `latency`, at most `concurrency` run at once and
at most `per_host` per host. A second run over the same feeds must be cheap:
304s for the feeds, and no page fetched twice.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from clipper import fetch, store
from clipper.config import FetchSettings, Settings, Source, load_settings

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = ("Министерство культуры и информации сообщило о новых правилах работы "
             "сетевых изданий, журналисты обсуждают сроки постановки на учет. ") * 6


class LatencyHandler(BaseHTTPRequestHandler):
    latency = 0.1
    items = 20
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - the http.server API
        time.sleep(self.latency)
        host = self.headers.get("Host", "")
        if self.path == "/rss":
            if self.headers.get("If-None-Match") == '"v1"':
                return self._send(304, b"")
            return self._send(200, self._feed(host).encode(), "application/rss+xml")
        if self.path.startswith("/a/"):
            return self._send(200, self._page(host, self.path), "text/html; charset=utf-8")
        return self._send(404, b"")

    def _page(self, host: str, path: str) -> bytes:
        body = f"<html><body><article><h1>{path}</h1><p>{PARAGRAPH}</p></article>"
        return (body + "</body></html>").encode()

    def _feed(self, host: str) -> str:
        when = format_datetime(datetime(2026, 11, 23, 9, tzinfo=UTC))
        items = "".join(
            f"<item><title>Новость {n}</title><link>http://{host}/a/{n}.html</link>"
            f"<pubDate>{when}</pubDate></item>" for n in range(self.items))
        return f'<?xml version="1.0" encoding="utf-8"?><rss><channel>{items}</channel></rss>'

    def _send(self, status: int, body: bytes, kind: str = "text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", '"v1"')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(latency: float, items: int) -> tuple[ThreadingHTTPServer, int]:
    LatencyHandler.latency, LatencyHandler.items = latency, items
    server = ThreadingHTTPServer(("0.0.0.0", 0), LatencyHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def bench_settings(feeds: int, port: int, fetch_settings: FetchSettings) -> Settings:
    base = load_settings(ROOT / "sources.yaml")
    sources = tuple(
        Source(id=f"s{n}", name=f"Source {n}",
               url=f"http://127.0.{n // 250}.{n % 250 + 1}:{port}/rss")
        for n in range(feeds))
    return base.replace(sources=sources, fetch=fetch_settings)


def floor_seconds(requests_per_host: int, hosts: int, latency: float,
                  settings: FetchSettings) -> float:
    total = requests_per_host * hosts
    by_concurrency = total * latency / settings.concurrency
    by_host = requests_per_host * latency / settings.per_host
    return max(by_concurrency, by_host)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()
    server, port = serve(args.latency, args.items)
    fetch_settings = FetchSettings(allow_private=True, retries=0)
    settings = bench_settings(args.feeds, port, fetch_settings)
    # a feed, robots.txt (404) and the pages, per host
    floor = floor_seconds(args.items + 2, args.feeds, args.latency, fetch_settings)
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "bench.db")
        timings = []
        for run_id in (1, 2):
            started = time.perf_counter()
            counts = fetch.run(db, settings, run_id, datetime.now(UTC))
            timings.append(time.perf_counter() - started)
            print(f"run {run_id}: {timings[-1]:6.2f} s  {counts}")
    server.shutdown()
    first, second = timings
    print(f"feeds {args.feeds} × items {args.items}, latency {args.latency * 1000:.0f} ms, "
          f"concurrency {fetch_settings.concurrency}, per host {fetch_settings.per_host}")
    print(f"floor {floor:6.2f} s | first run {first:6.2f} s = {first / floor:.2f}× floor "
          f"(target ≤ 1.5×) | second run {second:.2f} s = {second / first:.1%} of the first "
          f"(target < 10%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
