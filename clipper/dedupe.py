"""Reprints and stories: canonical URLs, exact hashes and near-duplicate sketches.

Everything here is pure: text in, hashes out. `StoryIndex` holds the MinHash
LSH of recent stories in memory; the dedupe runner in `clipper.stages` builds
it from the last window's texts in SQLite, so the index never grows with the
whole history.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import zlib
from collections import deque
from collections.abc import Callable
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from clipper.config import DedupeSettings
from clipper.storylines.signals import SERIES, other_figures

TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|yclid|ysclid|_openstat|from|ref|igshid|mc_cid|mc_eid|amp)$", re.I
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WORD = re.compile(r"\w+")
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: multiplying by it spreads bits
_BOILERPLATE = re.compile(
    r"^\W*(читайте также|читайте нас|подписывайтесь|подпишитесь|фото:|видео:|источник:|"
    r"оқи отырыңыз|оқыңыз|бізді .* оқыңыз|read more|read also|subscribe|follow us|photo:)",
    re.IGNORECASE)
CONTAINED = 0.8  # share of a short text's shingles found in a longer one: a trimmed reprint
MIN_CONTAINED_SHINGLES = 40
CANDIDATE_SHARE = 0.6  # below this a shared quote could pass for a reprint
_SCHEME = "affine32"  # datasketch's default


def canonical_url(url: str) -> str:
    """One spelling per page: no tracking parameters, AMP or mobile variants, default ports."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in ("m.", "amp.", "mobile."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    path = re.sub(r"/amp(?=/|$)", "", parts.path) or "/"
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode(sorted(
        (key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(key)
    ))
    return urlunsplit(("https" if scheme in _DEFAULT_PORTS else scheme, host, path, query, ""))


def words(text: str) -> list[str]:
    """Lower-case words; punctuation and quotes are separators; numbers kept, ё read as е."""
    return _WORD.findall(unicodedata.normalize("NFKC", text or "").lower().replace("ё", "е"))


def core_text(text: str) -> str:
    """The text without an outlet's boilerplate lines ("Читайте также: …")."""
    return "\n".join(line for line in (text or "").splitlines()
                     if not _BOILERPLATE.match(line.strip()))


def content_hash(text: str) -> str:
    return hashlib.sha1(" ".join(words(core_text(text))).encode("utf-8")).hexdigest()


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """The text's word shingles as sorted unique 32-bit hashes: 4 bytes each in memory,
    and the values its MinHash is built from. Each word is hashed once; a shingle's
    hash mixes its words' hashes in order, all in numpy."""
    found = words(core_text(text))
    if not found:
        return np.empty(0, dtype=np.uint32)
    word_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in found), dtype=np.uint64,
                              count=len(found))
    count = max(len(found) - size + 1, 1)
    mixed = np.zeros(count, dtype=np.uint64)
    for offset in range(min(size, len(found))):
        mixed = (mixed ^ word_hashes[offset:offset + count]) * _MIX
    return np.unique((mixed >> np.uint64(32)).astype(np.uint32))


@functools.cache
def _permutations(num_perm: int, seed: int):
    # Drawing the permutations is most of a MinHash's cost; they depend only on these two.
    return MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME).permutations


@functools.cache
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    # datasketch integrates numerically to choose bands and rows: once per setting.
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def _overlap(left: np.ndarray, right: np.ndarray) -> int:
    return len(np.intersect1d(left, right, assume_unique=True))


def jaccard(left: np.ndarray, right: np.ndarray) -> float:
    if not len(left) or not len(right):
        return 0.0
    common = _overlap(left, right)
    return common / (len(left) + len(right) - common)


def same_story(left: np.ndarray, right: np.ndarray, threshold: float) -> bool:
    """Similar enough overall, or the shorter one is a trimmed copy of the longer.

    A trimmed reprint (the agency's first half) has a low Jaccard but lies
    almost wholly inside the original; a long shared quote lies inside both
    yet is a small part of at least one of them, so it passes neither test.
    """
    if jaccard(left, right) >= threshold:
        return True
    shorter, longer = sorted((left, right), key=len)
    if len(shorter) < MIN_CONTAINED_SHINGLES:
        return False
    return _overlap(shorter, longer) / len(shorter) >= CONTAINED


class StoryIndex:
    """Articles of recent stories, queried by MinHash LSH and confirmed on exact shingles.

    The LSH finds candidates cheaply; the exact comparison of shingle hashes
    keeps an LSH false positive from merging two stories. Articles older than
    the window are forgotten as newer ones arrive, so memory holds one window.
    """

    def __init__(self, settings: DedupeSettings,
                 figures_of: Callable[[str], frozenset] | None = None):
        """`figures_of(key)` gives an indexed article's figures
        (`clipper.storylines.signals.numbers`), read only for a likely reprint days
        apart (`match`)."""
        self.settings = settings
        self._figures_of = figures_of
        # Candidates below the threshold too: `same_story` decides on exact shingles,
        # and a trimmed reprint's Jaccard falls under the threshold.
        self._lsh = MinHashLSH(num_perm=settings.num_perm, params=_bands(
            settings.threshold * CANDIDATE_SHARE, settings.num_perm))
        self._stories: dict[str, int] = {}
        self._hashes: dict[str, np.ndarray] = {}
        self._arrivals: deque[tuple[str, str]] = deque()  # (published, key), oldest first
        self._published: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._stories)

    def sketch(self, hashes: np.ndarray) -> LeanMinHash:
        """The MinHash of an article's shingle hashes, for `match` and `add`."""
        minhash = MinHash(
            num_perm=self.settings.num_perm, seed=self.settings.seed, hashfunc=int,
            permutations=_permutations(self.settings.num_perm, self.settings.seed),
            scheme=_SCHEME,
        )
        minhash.update_batch(hashes)
        return LeanMinHash(minhash)

    def add(self, key: str, story_id: int, sketch: LeanMinHash, hashes: np.ndarray,
            published: str | None = None) -> None:
        if key in self._stories:
            return
        self._lsh.insert(key, sketch)
        self._stories[key] = story_id
        self._hashes[key] = hashes
        if published:
            self._arrivals.append((published, key))
            self._published[key] = published

    def forget_before(self, published: str) -> None:
        """Drop the articles published before this moment (ISO text, UTC)."""
        while self._arrivals and self._arrivals[0][0] < published:
            _, key = self._arrivals.popleft()
            self._lsh.remove(key)
            del self._stories[key], self._hashes[key]
            self._published.pop(key, None)

    def match(self, sketch: LeanMinHash, hashes: np.ndarray, published: str | None = None,
              figures: Callable[[], frozenset] | None = None) -> int | None:
        """The story of the most similar indexed article that is the same story, if any.
        Worded alike three days or more apart, with mostly other figures (`figures()`,
        the newcomer's; a weekly release with this week's), is the series' next
        release, not a reprint."""
        candidates = self._lsh.query(sketch)
        scored = sorted(((jaccard(hashes, self._hashes[key]), key) for key in candidates),
                        reverse=True)
        for _, key in scored:
            if not same_story(hashes, self._hashes[key], self.settings.threshold):
                continue
            if published and figures and self._next_release(key, published, figures):
                continue
            return self._stories[key]
        return None

    def _next_release(self, key: str, published: str, figures: Callable) -> bool:
        then = self._published.get(key)
        if not (then and self._figures_of) or abs(_seconds(published) - _seconds(then)) < SERIES:
            return False
        return other_figures(figures(), self._figures_of(key))


def _seconds(published: str) -> float:
    return datetime.fromisoformat(published).timestamp()
