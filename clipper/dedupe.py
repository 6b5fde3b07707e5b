"""Reprints and stories: canonical URLs, exact hashes and near-duplicate signatures.

Everything here is pure: text in, hashes and signatures out. `StoryIndex`
holds the MinHash LSH of recent stories in memory; the dedupe runner in
`clipper.stages` rebuilds it from the signatures stored in SQLite, so the
index never grows with the whole history.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from clipper.config import DedupeSettings

TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|yclid|ysclid|_openstat|from|ref|igshid|mc_cid|mc_eid|amp)$", re.I
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_QUOTES = str.maketrans({c: '"' for c in "«»„“”‟″"} | {c: "'" for c in "‘’‚‛′`"})
_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
_SCHEME = "affine32"  # datasketch's default; stored signatures depend on it


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


def normalise_text(text: str) -> str:
    """Lower case, quotes and punctuation folded, numbers kept, ё read as е."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES).lower()
    text = text.replace("ё", "е")
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def content_hash(text: str) -> str:
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()


def shingles(text: str, size: int) -> set[str]:
    words = normalise_text(text).split()
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(text: str, settings: DedupeSettings) -> bytes:
    """MinHash of the text's word shingles, as bytes for the articles table."""
    minhash = MinHash(
        num_perm=settings.num_perm, seed=settings.seed,
        permutations=_permutations(settings.num_perm, settings.seed), scheme=_SCHEME,
    )
    minhash.update_batch([s.encode("utf-8") for s in shingles(text, settings.shingle_size)])
    return minhash.hashvalues.astype(np.uint64).tobytes()


@functools.cache
def _permutations(num_perm: int, seed: int):
    # Drawing the permutations is most of a MinHash's cost; they depend only on these two.
    return MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME).permutations


def jaccard(left: set, right: set) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


class StoryIndex:
    """Articles of recent stories, queried by MinHash LSH and confirmed on exact shingles.

    The LSH finds candidates cheaply; the exact Jaccard on shingles (when the
    texts are at hand) keeps an LSH false positive from merging two stories.
    """

    def __init__(self, settings: DedupeSettings):
        self.settings = settings
        self._lsh = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm)
        self._stories: dict[str, int] = {}
        self._shingles: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._stories)

    def add(self, key: str, story_id: int, sig: bytes, text: str | None = None) -> None:
        if key in self._stories:
            return
        self._lsh.insert(key, self._minhash(sig))
        self._stories[key] = story_id
        if text is not None:
            self._shingles[key] = shingles(text, self.settings.shingle_size)

    def match(self, sig: bytes, text: str | None = None) -> int | None:
        """The story of the most similar indexed article above the threshold, if any."""
        candidates = self._lsh.query(self._minhash(sig))
        if not candidates:
            return None
        if text is None:
            return self._stories[min(candidates)]
        own = shingles(text, self.settings.shingle_size)
        scored = [(jaccard(own, self._shingles.get(key, set())), key) for key in candidates]
        best, key = max(scored)
        return self._stories[key] if best >= self.settings.threshold else None

    def _minhash(self, sig: bytes) -> LeanMinHash:
        values = np.frombuffer(sig, dtype=np.uint64)
        return LeanMinHash(seed=self.settings.seed, hashvalues=values, scheme=_SCHEME)
