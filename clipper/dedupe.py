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
_BOILERPLATE = re.compile(
    r"^\W*(читайте также|читайте нас|подписывайтесь|подпишитесь|фото:|видео:|источник:|"
    r"оқи отырыңыз|оқыңыз|бізді .* оқыңыз|read more|read also|subscribe|follow us|photo:)",
    re.IGNORECASE)
CONTAINED = 0.8  # share of a short text's shingles found in a longer one: a trimmed reprint
MIN_CONTAINED_SHINGLES = 40
CANDIDATE_SHARE = 0.6  # below this a shared quote could pass for a reprint
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


def core_text(text: str) -> str:
    """The text without an outlet's boilerplate lines ("Читайте также: …")."""
    return "\n".join(line for line in (text or "").splitlines()
                     if not _BOILERPLATE.match(line.strip()))


def content_hash(text: str) -> str:
    return hashlib.sha1(normalise_text(core_text(text)).encode("utf-8")).hexdigest()


def shingles(text: str, size: int) -> set[str]:
    words = normalise_text(core_text(text)).split()
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


def same_story(left: set, right: set, threshold: float) -> bool:
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
    return len(shorter & longer) / len(shorter) >= CONTAINED


class StoryIndex:
    """Articles of recent stories, queried by MinHash LSH and confirmed on exact shingles.

    The LSH finds candidates cheaply; the exact Jaccard on shingles (when the
    texts are at hand) keeps an LSH false positive from merging two stories.
    """

    def __init__(self, settings: DedupeSettings):
        self.settings = settings
        # Candidates below the threshold too: `same_story` decides on exact shingles,
        # and a trimmed reprint's Jaccard falls under the threshold.
        self._lsh = MinHashLSH(threshold=settings.threshold * CANDIDATE_SHARE,
                               num_perm=settings.num_perm)
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
        scored = sorted(((jaccard(own, self._shingles.get(key, set())), key)
                         for key in candidates), reverse=True)
        for _, key in scored:
            if same_story(own, self._shingles.get(key, set()), self.settings.threshold):
                return self._stories[key]
        return None

    def _minhash(self, sig: bytes) -> LeanMinHash:
        values = np.frombuffer(sig, dtype=np.uint64)
        return LeanMinHash(seed=self.settings.seed, hashvalues=values, scheme=_SCHEME)
