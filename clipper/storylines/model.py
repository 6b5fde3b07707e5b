"""How likely two articles are to tell one event: a logistic model over signals.

The weights are fitted on the development storylines (`python -m
clipper.storylines.fit`) and shipped as `weights.json`; the figures reported
come from the held-out storylines, which the fit never reads.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from clipper.storylines.signals import Signals

WEIGHTS_PATH = Path(__file__).parent / "weights.json"
FEATURES = ("cosine", "cosine_above_usual", "numbers_shared", "numbers_specific",
            "numbers_differ", "place_shared", "place_differs", "names_shared", "names_specific",
            "entities_shared", "days_apart", "other_language", "cosine_other_language", "bias")
DAYS = 14.0  # days apart beyond which time says nothing more
USUAL = 0.8  # an article's usual cosine with its neighbours, before it has any
PRIOR = 20  # neighbours' worth of weight USUAL keeps: a storyline's own few articles
            # are not what is usual on a quiet first night


def usual(cosines: np.ndarray) -> float:
    """An article's usual cosine with the articles around it: their median, drawn
    towards USUAL while there are few of them."""
    if not len(cosines):
        return USUAL
    return float((len(cosines) * np.median(cosines) + PRIOR * USUAL) / (len(cosines) + PRIOR))


@dataclass
class Item:
    """One article (a reprint group's first article) as the grouping sees it."""

    id: int | str
    published: datetime
    lang: str
    vector: np.ndarray
    signals: Signals
    entities: frozenset = frozenset()
    usual: float = USUAL  # its median cosine with the articles around it


def keys(item: Item) -> list:
    """An article's figures and names, as counted in `features`' `seen`."""
    return [("n", k) for k in item.signals.numbers] + [("m", k) for k in item.signals.names]


def features(item: Item, others: list[Item], cosines: np.ndarray,
             seen: Counter | None = None) -> np.ndarray:
    """[len(others), len(FEATURES)]: `item` against each of `others`. `seen` counts
    the articles around that carry each figure and name: one that few carry says
    more than a number every article of the week has."""
    rows = np.zeros((len(others), len(FEATURES)), dtype=np.float32)
    mine, seen = item.signals, seen or Counter()
    for row, (other, cosine) in enumerate(zip(others, cosines, strict=True)):
        theirs = other.signals
        numbers, names = mine.numbers & theirs.numbers, mine.names & theirs.names
        differ = not numbers and len(mine.numbers) >= 2 and len(theirs.numbers) >= 2
        both_placed = bool(mine.places and theirs.places)
        shared_place = bool(mine.places & theirs.places)
        entities = item.entities | other.entities
        other_language = float(item.lang != other.lang)
        days = abs((item.published - other.published).total_seconds()) / 86400
        rows[row] = (cosine, cosine - (item.usual + other.usual) / 2,
                     min(len(numbers), 3) / 3, _specific(numbers, "n", seen), differ,
                     shared_place, both_placed and not shared_place,
                     min(len(names), 3) / 3, _specific(names, "m", seen),
                     len(item.entities & other.entities) / len(entities) if entities else 0.0,
                     min(days, DAYS) / DAYS, other_language, cosine * other_language, 1.0)
    return rows


def _specific(shared: frozenset, kind: str, seen: Counter) -> float:
    return min(sum(1 / max(seen[kind, key], 1) for key in shared), 2.0)


@dataclass
class PairModel:
    weights: np.ndarray
    threshold: float  # the probability against its closest article to join a storyline
    support: float = 0.0  # ... and on average against its recent articles

    @classmethod
    def load(cls, path: Path = WEIGHTS_PATH) -> PairModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(np.array([data["weights"][name] for name in FEATURES], dtype=np.float32),
                   float(data["threshold"]), float(data.get("support", 0.0)))

    def save(self, path: Path, note: dict) -> None:
        data = {"weights": {name: round(float(w), 4) for name, w in zip(
            FEATURES, self.weights, strict=True)}, "threshold": round(self.threshold, 3),
            "support": round(self.support, 3), **note}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    def probability(self, rows: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-(rows @ self.weights)))


def fit(rows: np.ndarray, same: np.ndarray, weight: np.ndarray, l2: float = 0.001,
        steps: int = 4000) -> np.ndarray:
    """Weighted logistic regression by gradient descent on standardised features
    (the encoder's cosines all lie within 0.7-1.0), returned as weights of the raw
    features; the last column is the bias."""
    mean, scale = rows[:, :-1].mean(axis=0), rows[:, :-1].std(axis=0) + 1e-6
    x = np.c_[(rows[:, :-1] - mean) / scale, np.ones(len(rows))]
    w = np.zeros(x.shape[1])
    total = weight.sum()
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        w -= 1.0 * (x.T @ (weight * (p - same)) / total + l2 * np.r_[w[:-1], 0])
    raw = w[:-1] / scale
    return np.r_[raw, w[-1] - (raw * mean).sum()]


def logit(p: float) -> float:
    return math.log(p / (1 - p))
