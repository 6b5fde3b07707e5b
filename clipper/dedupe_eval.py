"""Precision and recall of story grouping on labelled pairs of articles.

A pair file lists two articles and whether they are one story. An article is
written out (`title`, `body`) or taken from the demo corpus (`demo: <id>`),
optionally with the edits outlets make when they reprint (`edits: [...]`).
Each pair is judged the way the dedupe stage judges a new article: the first
is indexed, the second is matched against it.

    clipper dedupe-eval tests/data/dedupe_pairs.yaml tests/data/dedupe_hard_pairs.yaml
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from clipper.config import DedupeSettings
from clipper.dedupe import StoryIndex, content_hash, shingle_hashes

SAME_BY_KIND = {"reprint": True, "edit": True, "same_event": False, "shared_quote": False,
                "different": False}
FOOTER = ("Читайте также: В Астане прошел форум молодых журналистов\n"
          "Подписывайтесь на наш канал в Telegram\n"
          "Если вы заметили ошибку, выделите её и нажмите Ctrl+Enter.")


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def _trim_lead(paragraphs: list[str]) -> list[str]:
    first = re.split(r"(?<=[.!?])\s+", paragraphs[0], maxsplit=1)[0]
    return [first, *paragraphs[1:]]


def _swap(paragraphs: list[str]) -> list[str]:
    if len(paragraphs) < 3:
        return paragraphs
    return [paragraphs[0], paragraphs[2], paragraphs[1], *paragraphs[3:]]


def _attribution(paragraphs: list[str]) -> list[str]:
    first = re.sub(r"\.(\s|$)", ", сообщает корреспондент издания.\\1", paragraphs[0], count=1)
    return [first, *paragraphs[1:]]


EDITS = {
    "headline": lambda paragraphs: paragraphs,  # the title changes; the text does not
    "trim_lead": _trim_lead,
    "swap": _swap,
    "attribution": _attribution,
    "cut_tail": lambda paragraphs: paragraphs[:-1] if len(paragraphs) > 2 else paragraphs,
    "boilerplate": lambda paragraphs: [*paragraphs, FOOTER],
}


@dataclass(frozen=True)
class Pair:
    id: str
    kind: str
    lang: str
    same: bool
    first: str
    second: str


def load_pairs(path: str | Path, demo_articles: dict | None = None) -> list[Pair]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if demo_articles is None and any("demo" in str(p) for p in data["pairs"]):
        from clipper.demo.server import load_corpus

        demo_articles = {a["id"]: a for a in load_corpus().articles}
    return [_pair(entry, demo_articles or {}) for entry in data["pairs"]]


def _pair(entry: dict, demo_articles: dict) -> Pair:
    kind = entry["kind"]
    return Pair(entry["id"], kind, entry.get("lang", "ru"), entry.get("same", SAME_BY_KIND[kind]),
                _text(entry["a"], demo_articles), _text(entry["b"], demo_articles))


def _text(spec: dict, demo_articles: dict) -> str:
    body = demo_articles[spec["demo"]]["body"] if "demo" in spec else spec["body"]
    paragraphs = _paragraphs(body)
    for edit in spec.get("edits", ()):
        paragraphs = EDITS[edit](paragraphs)
    return "\n\n".join(paragraphs)


def judged_same(pair: Pair, settings: DedupeSettings) -> bool:
    if content_hash(pair.first) == content_hash(pair.second):
        return True
    index = StoryIndex(settings)
    first, second = (shingle_hashes(text, settings.shingle_size)
                     for text in (pair.first, pair.second))
    index.add("first", 1, index.sketch(first), first)
    return index.match(index.sketch(second), second) == 1


@dataclass
class Scores:
    outcomes: Counter = dataclasses.field(default_factory=Counter)  # (kind, truth, judged)

    def add(self, pair: Pair, judged: bool) -> None:
        self.outcomes[pair.kind, pair.same, judged] += 1

    def count(self, truth: bool, judged: bool) -> int:
        return sum(n for (_, t, j), n in self.outcomes.items() if (t, j) == (truth, judged))

    @property
    def precision(self) -> float:
        found = self.count(True, True) + self.count(False, True)
        return self.count(True, True) / found if found else 1.0

    @property
    def recall(self) -> float:
        actual = self.count(True, True) + self.count(True, False)
        return self.count(True, True) / actual if actual else 1.0

    def format(self) -> str:
        total = sum(self.outcomes.values())
        lines = [f"{total} pairs: precision {self.precision:.3f}, recall {self.recall:.3f}",
                 f"  same story joined {self.count(True, True)}, missed {self.count(True, False)};"
                 f" different stories kept apart {self.count(False, False)},"
                 f" merged {self.count(False, True)}"]
        for kind in sorted({k for k, _, _ in self.outcomes}):
            right = sum(n for (k, t, j), n in self.outcomes.items() if k == kind and t == j)
            of = sum(n for (k, _, _), n in self.outcomes.items() if k == kind)
            lines.append(f"  {kind:<13} {right}/{of} right")
        return "\n".join(lines)


def evaluate(pairs: list[Pair], settings: DedupeSettings) -> Scores:
    scores = Scores()
    for pair in pairs:
        scores.add(pair, judged_same(pair, settings))
    return scores


def sweep(pairs: list[Pair], settings: DedupeSettings, thresholds, shingle_sizes) -> str:
    """Precision and recall over a grid of thresholds and shingle sizes."""
    lines = ["shingle  threshold  precision  recall"]
    for size in shingle_sizes:
        for threshold in thresholds:
            tried = dataclasses.replace(settings, threshold=threshold, shingle_size=size)
            scores = evaluate(pairs, tried)
            lines.append(f"{size:>7}  {threshold:>9.2f}  {scores.precision:>9.3f}"
                         f"  {scores.recall:>6.3f}")
    return "\n".join(lines)
