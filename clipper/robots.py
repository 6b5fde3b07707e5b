"""robots.txt for article pages, read once per host per run.

Feeds are published to be polled and are fetched regardless; article pages
follow the site's robots.txt for clipper's user agent. A robots.txt that is
missing (4xx) allows everything; one that cannot be had (timeout, 5xx) allows
everything too, so a flaky server costs the night nothing but its rule.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from clipper.http import get

AGENT = "clipper"


class RobotsRules:
    def __init__(self, client, settings, limiter=None):
        self._client, self._settings, self._limiter = client, settings, limiter
        self._lock = threading.Lock()
        self._hosts: dict[str, RobotFileParser | None] = {}
        self._host_locks: dict[str, threading.Lock] = {}

    def allowed(self, url: str) -> bool:
        if not self._settings.robots:
            return True
        parts = urlsplit(url)
        origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        with self._lock:
            host_lock = self._host_locks.setdefault(origin, threading.Lock())
        with host_lock:  # one robots.txt request per host, however many pages wait
            if origin not in self._hosts:
                self._hosts[origin] = self._read(origin)
        rules = self._hosts[origin]
        return rules is None or rules.can_fetch(AGENT, url)

    def _read(self, origin: str) -> RobotFileParser | None:
        response = get(self._client, f"{origin}/robots.txt", self._settings, None, self._limiter)
        if not response.ok:
            return None
        rules = RobotFileParser()
        rules.parse(response.body.decode("utf-8", errors="replace").splitlines())
        return rules
