"""How likely two articles are to tell one event: a logistic model over signals.

The weights are fitted on the development storylines (`python -m
clipper.storylines.fit`) and shipped as `weights.json`; the figures reported
come from the held-out storylines, which the fit never reads.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from clipper.storylines import issue
from clipper.storylines.signals import Signals

WEIGHTS_PATH = Path(__file__).parent / "weights.json"
FEATURES = ("cosine", "cosine_above_usual", "numbers_shared", "numbers_specific",
            "numbers_differ", "place_shared", "place_differs", "names_shared", "names_specific",
            "entities_shared", "days_apart", "cosine_above_usual_by_days", "other_language",
            "cosine_other_language",
            "title_numbers_shared", "title_numbers_differ", "title_places_shared",
            "title_places_differ", "cosine_above_usual_other_title_figures", "bias")
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
    stamp: float = field(init=False, repr=False)  # `published` in seconds, compared often

    def __post_init__(self):
        self.stamp = self.published.timestamp()


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
    column = {name: rows[:, i] for i, name in enumerate(FEATURES)}
    column["cosine"][:] = cosines
    around = np.fromiter((other.usual for other in others), np.float32, len(others))
    column["cosine_above_usual"][:] = cosines - (item.usual + around) / 2
    if mine.numbers:
        theirs = [other.signals.numbers for other in others]
        _shared(mine.numbers, theirs, "n", seen, column["numbers_shared"],
                column["numbers_specific"])
        if len(mine.numbers) >= 2:
            column["numbers_differ"][:] = [len(t) >= 2 and not mine.numbers & t for t in theirs]
    if mine.names:
        _shared(mine.names, [other.signals.names for other in others], "m", seen,
                column["names_shared"], column["names_specific"])
    if mine.places:
        for row, other in enumerate(others):
            if other.signals.places:
                shared = bool(mine.places & other.signals.places)
                column["place_shared"][row], column["place_differs"][row] = shared, not shared
    if item.entities:
        column["entities_shared"][:] = [
            len(item.entities & other.entities) / len(item.entities | other.entities)
            for other in others]
    days = np.fromiter((other.stamp for other in others), np.float64, len(others))
    column["days_apart"][:] = np.minimum(np.abs(item.stamp - days) / 86400,
                                         DAYS) / DAYS
    # a template a week later (the weekly figures, the next leg of a match) reads as close
    # as a rewrite the same day: closeness counts for less the further apart they are
    column["cosine_above_usual_by_days"][:] = column["cosine_above_usual"] * column["days_apart"]
    _titles(mine, [other.signals for other in others], column)
    # ... and so does the week's release with this week's figures in its title
    column["cosine_above_usual_other_title_figures"][:] = (column["cosine_above_usual"]
                                                         * column["title_numbers_differ"])
    column["other_language"][:] = [other.lang != item.lang for other in others]
    column["cosine_other_language"][:] = cosines * column["other_language"]
    column["bias"][:] = 1.0
    return rows


def _titles(mine, theirs: list, column: dict) -> None:
    """Whether the two titles give the same figures, and the same places, where both
    give any."""
    for kind in ("numbers", "places"):
        own = getattr(mine, f"title_{kind}")
        if not own:
            continue
        shared, differ = column[f"title_{kind}_shared"], column[f"title_{kind}_differ"]
        for row, other in enumerate(theirs):
            found = getattr(other, f"title_{kind}")
            if found:
                shared[row], differ[row] = bool(own & found), not own & found


def _shared(mine: frozenset, theirs: list[frozenset], kind: str, seen: Counter,
            count: np.ndarray, specific: np.ndarray) -> None:
    """How many of `mine` each of `theirs` shares (up to 3, as a share of 3), and how
    rare they are around (the sum of 1 / articles carrying each, up to 2)."""
    rarity = {key: 1 / max(seen[kind, key], 1) for key in mine}
    for row, keys in enumerate(theirs):
        shared = mine & keys
        if shared:
            count[row] = min(len(shared), 3) / 3
            specific[row] = min(sum(rarity[key] for key in shared), 2.0)


@dataclass
class PairModel:
    weights: np.ndarray
    threshold: float  # the probability against its closest article to join a storyline
    support: float = 0.0  # ... and on average against its recent articles
    earlier: float = 0.0  # a lone earlier article's against a storyline's two closest,
                          # to be taken as its first report (0: never)
    link: float = 0.0  # the link model's probability for two storylines to be taken
                       # as one developing issue (0: never)
    link_weights: np.ndarray | None = None  # over `issue.FEATURES`

    @classmethod
    def load(cls, path: Path = WEIGHTS_PATH) -> PairModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        linking = data.get("link_weights")
        return cls(np.array([data["weights"][name] for name in FEATURES], dtype=np.float32),
                   float(data["threshold"]), float(data.get("support", 0.0)),
                   float(data.get("earlier", 0.0)), float(data.get("link", 0.0)),
                   None if linking is None else np.array(
                       [linking[name] for name in issue.FEATURES], dtype=np.float32))

    def save(self, path: Path, note: dict) -> None:
        data = {"weights": {name: round(float(w), 4) for name, w in zip(
            FEATURES, self.weights, strict=True)}, "threshold": round(self.threshold, 3),
            "support": round(self.support, 3), "earlier": round(self.earlier, 3),
            "link": round(self.link, 3), **note}
        if self.link_weights is not None:
            data["link_weights"] = {name: round(float(w), 4) for name, w in zip(
                issue.FEATURES, self.link_weights, strict=True)}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    def probability(self, rows: np.ndarray) -> np.ndarray:
        return _logistic(rows @ self.weights)

    def link_probability(self, rows: np.ndarray) -> np.ndarray:
        """How likely each pair of storylines (`issue.features`) is one issue."""
        return _logistic(rows @ self.link_weights)


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


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
        p = _logistic(x @ w)
        w -= 1.0 * (x.T @ (weight * (p - same)) / total + l2 * np.r_[w[:-1], 0])
    raw = w[:-1] / scale
    return np.r_[raw, w[-1] - (raw * mean).sum()]


def logit(p: float) -> float:
    return math.log(p / (1 - p))
