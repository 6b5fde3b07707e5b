"""One careful HTTP GET: size cap, deadline, retries with backoff, address guard,
outcome as data.

A failure is never an exception to the caller: `get()` returns a `Response`
whose `outcome` says what happened, so the runner can log it as a row.

httpx's timeouts bound each socket operation, so a server sending a byte now
and then could hold a worker for as long as it likes. Every attempt here has a
deadline for the whole response (connection, redirects and body), which its
connection enforces on each read and write.
"""

from __future__ import annotations

import ipaddress
import random
import socket
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpcore
import httpx

from clipper import __version__
from clipper.config import FetchSettings
from clipper.errors import RefusedAddress, TooLarge

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0


@dataclass(frozen=True)
class Response:
    url: str
    outcome: str  # ok, not_modified, http_error, timeout, too_large, refused, network
    status: int | None = None
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    elapsed_ms: int = 0
    error: str = ""
    attempts: int = 1
    cut_off: bool = False  # ended by the whole-response deadline: not retried

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def user_agent(settings: FetchSettings) -> str:
    return f"clipper/{__version__} (media monitoring; +{settings.contact})"


def build_client(settings: FetchSettings, guard_addresses: bool = False) -> httpx.Client:
    """A client for feeds (configured, trusted) or pages (links from strangers: guarded,
    every connection and redirect checked on the address it actually connects to)."""
    guarded = guard_addresses and not settings.allow_private
    transport = (GuardedTransport if guarded else DeadlineTransport)(
        limits=httpx.Limits(max_connections=settings.concurrency * 2))
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(settings.timeout, connect=settings.connect_timeout),
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        headers={"User-Agent": user_agent(settings), "Accept-Encoding": "gzip, deflate"},
    )


class HostLimiter:
    """At most `per_host` requests in flight to one host, and a pause between them
    where a source asks for one."""

    def __init__(self, per_host: int):
        self.per_host = per_host
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.Semaphore] = {}
        self._delays: dict[str, float] = {}
        self._last: dict[str, float] = {}

    def set_delay(self, url: str, seconds: float) -> None:
        if seconds > 0:
            self._delays[_host(url)] = seconds

    @contextmanager
    def __call__(self, url: str):
        host = _host(url)
        with self._lock:
            gate = self._hosts.setdefault(host, threading.Semaphore(self.per_host))
        with gate:
            self._wait_turn(host)
            yield

    def _wait_turn(self, host: str) -> None:
        delay = self._delays.get(host)
        if not delay:
            return
        with self._lock:
            turn = max(time.monotonic(), self._last.get(host, 0.0) + delay)
            self._last[host] = turn
        time.sleep(max(0.0, turn - time.monotonic()))


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def get(client: httpx.Client, url: str, settings: FetchSettings, headers: dict | None = None,
        limiter: HostLimiter | None = None, sleep: Callable = time.sleep,
        admit: Callable[[], bool] | None = None) -> Response:
    """GET with retries on timeouts, 429 and 5xx; never raises for network trouble.
    `admit`, asked just before each request goes out, may defer it."""
    attempt = 0
    while True:
        attempt += 1
        started = time.monotonic()
        with limiter(url) if limiter else nullcontext():
            if admit and not admit():
                return Response(url, "deferred", error="the source's time for this run is used")
            response = _attempt(client, url, settings, headers or {})
        elapsed = int((time.monotonic() - started) * 1000)
        response = _with(response, elapsed_ms=elapsed, attempts=attempt)
        delay = _retry_delay(response, attempt, settings)
        if delay is None:
            return response
        sleep(delay)


def _attempt(client, url, settings, headers) -> Response:
    with response_deadline(settings.timeout) as deadline:
        try:
            with client.stream("GET", url, headers=headers) as reply:
                return _reply(reply, settings)
        except TooLarge as exc:
            return Response(url, "too_large", error=str(exc))
        except RefusedAddress as exc:
            return Response(url, "refused", error=str(exc))
        except httpx.TimeoutException as exc:
            return _timed_out(url, exc, settings, deadline)
        except httpx.TooManyRedirects:
            return Response(url, "http_error",
                            error=f"more than {settings.max_redirects} redirects")
        except (httpx.HTTPError, OSError, ValueError) as exc:
            return Response(url, "network", error=f"{type(exc).__name__}: {exc}")


def _reply(reply: httpx.Response, settings: FetchSettings) -> Response:
    if reply.status_code == 304:
        return Response(str(reply.url), "not_modified", 304, headers=dict(reply.headers))
    body = _read_capped(reply, settings.max_bytes)
    outcome = "ok" if reply.status_code < 400 else "http_error"
    error = "" if outcome == "ok" else f"HTTP {reply.status_code} {reply.reason_phrase}"
    return Response(str(reply.url), outcome, reply.status_code, body, dict(reply.headers),
                    error=error)


def _timed_out(url: str, exc: httpx.TimeoutException, settings: FetchSettings,
               deadline: float) -> Response:
    """A server that took no connection within `connect_timeout` may be busy for a
    moment and is tried again; one that did not send the whole response by the
    deadline is not: another attempt would cost as long again."""
    waiting = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
    if waiting and time.monotonic() < deadline:
        return Response(url, "timeout", error=f"timed out ({type(exc).__name__})")
    return Response(url, "timeout", cut_off=True, error=(
        f"no complete response within {settings.timeout:g} s (fetch.timeout)"))


def _read_capped(reply: httpx.Response, max_bytes: int) -> bytes:
    """Read a body (decompressed) and stop past the cap, so a bomb costs no memory."""
    declared = reply.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"declared {int(declared):,} bytes, over the {max_bytes:,} cap")
    chunks, size = [], 0
    for chunk in reply.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(f"over the {max_bytes:,} byte cap")
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_delay(response: Response, attempt: int, settings: FetchSettings) -> float | None:
    retryable = response.outcome in ("timeout", "network") or response.status in RETRY_STATUSES
    if not retryable or response.cut_off or attempt > settings.retries:
        return None
    after = _retry_after(response.headers.get("retry-after", ""))
    if after is not None:
        return min(after, MAX_RETRY_AFTER)
    return settings.backoff * 2 ** (attempt - 1) * random.uniform(0.8, 1.2)


def _retry_after(value: str) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _with(response: Response, **changes) -> Response:
    return Response(**{**response.__dict__, **changes})


def public_address(host: str) -> str:
    """The address to connect to for `host`, if every address it resolves to is public;
    RefusedAddress for private, loopback, link-local or multicast ones."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"{host}: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise RefusedAddress(f"{host} resolves to a non-public address {address}")
    return infos[0][4][0]


_deadline = threading.local()  # when the response being read in this thread must be whole


@contextmanager
def response_deadline(seconds: float):
    """Connections used in this thread meanwhile end every read and write by then."""
    _deadline.at = time.monotonic() + seconds
    try:
        yield _deadline.at
    finally:
        _deadline.at = None


def _within_deadline(timeout: float | None, expired: type[Exception]) -> float | None:
    """The timeout of one socket operation, cut to what is left of the deadline."""
    at = getattr(_deadline, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise expired("the response's deadline has passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose reads and writes end by the deadline of the response that
    the calling thread is reading; pooled connections serve many responses in turn."""

    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes, timeout=None):
        return self._stream.read(max_bytes, _within_deadline(timeout, httpcore.ReadTimeout))

    def write(self, buffer, timeout=None):
        self._stream.write(buffer, _within_deadline(timeout, httpcore.WriteTimeout))

    def close(self):
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        timeout = _within_deadline(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info):
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.SyncBackend):
    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        timeout = _within_deadline(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(super().connect_tcp(host, port, timeout, local_address,
                                                  socket_options))


class GuardedBackend(DeadlineBackend):
    """Resolves once, checks, and connects to the checked address: a DNS answer that
    changes between a check and the connection (rebinding) cannot slip through.
    TLS still verifies the host name, which httpcore takes from the URL."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return super().connect_tcp(public_address(host), port, timeout, local_address,
                                   socket_options)


class DeadlineTransport(httpx.HTTPTransport):
    backend = DeadlineBackend

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # httpx does not take a network backend; its connection pool does.
        self._pool._network_backend = self.backend()


class GuardedTransport(DeadlineTransport):
    backend = GuardedBackend
