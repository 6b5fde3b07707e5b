"""Articles into storylines, one at a time in the order they were published.

A new article joins the storyline it most likely continues: the highest pair
probability against any article of a storyline still active (its last article
no more than `active_days` before), provided its closest few articles agree
on average (`support`): one close article is not enough to pull a different
event of the same place or body into a storyline, while a developing issue
whose articles each take up another side of it still grows. Only active
storylines, and their latest articles, are compared, so the work per article
stays bounded however long the history grows.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np

from clipper.storylines.model import Item, PairModel, features, keys, usual


@dataclass
class Storyline:
    id: int
    items: list[Item] = field(default_factory=list)

    @property
    def last(self):
        return max(item.published for item in self.items)


RECENT = 20  # a storyline's latest articles a newcomer is compared with
AGREE = 3  # its closest articles among them that must agree on average


class Grouper:
    def __init__(self, model: PairModel, active_days: float,
                 new_id: Callable[[], int] | None = None):
        """`new_id()` numbers a new storyline (the database's row id in the stage)."""
        self.model = model
        self.active = timedelta(days=active_days)
        self.storylines: dict[int, Storyline] = {}
        self.new_id = new_id or itertools.count(1).__next__
        self.seen = Counter()  # figures and names of the active storylines' articles

    def seed(self, storyline_id: int, item: Item) -> None:
        """An article grouped by an earlier night (`settle` once all are seeded)."""
        self.storylines.setdefault(storyline_id, Storyline(storyline_id)).items.append(item)
        self.seen.update(keys(item))

    def settle(self) -> None:
        """The seeded articles' usual cosine with each other."""
        items = [item for s in self.storylines.values() for item in s.items]
        if len(items) > 1:
            vectors = np.stack([item.vector for item in items])
            for item, cosines in zip(items, vectors @ vectors.T, strict=True):
                item.usual = usual(cosines[cosines < 0.9999])

    def add(self, item: Item) -> tuple[int, float]:
        """The storyline the article joins (a new one when none is likely enough),
        and the probability it was joined with (0 for a new one)."""
        self._retire(item)
        self.seen.update(keys(item))
        best, chance = self._best(item)
        if best is None or chance < self.model.threshold:
            best, chance = self.new_id(), 0.0
        self.storylines.setdefault(best, Storyline(best)).items.append(item)
        return best, chance

    def _retire(self, item: Item) -> None:
        since = item.published - self.active
        for storyline_id in [s.id for s in self.storylines.values() if s.last < since]:
            for old in self.storylines.pop(storyline_id).items:
                self.seen.subtract(keys(old))

    def _best(self, item: Item) -> tuple[int | None, float]:
        storylines = list(self.storylines.values())
        others = [other for s in storylines for other in s.items[-RECENT:]]
        if not others:
            return None, 0.0
        cosines = np.stack([other.vector for other in others]) @ item.vector
        item.usual = usual(cosines)
        chances = self.model.probability(features(item, others, cosines, self.seen))
        best, best_chance, start = None, 0.0, 0
        for storyline in storylines:
            mine = chances[start:start + len(storyline.items[-RECENT:])]
            start += len(mine)
            closest = np.sort(mine)[::-1][:AGREE]
            if closest.mean() >= self.model.support and closest[0] > best_chance:
                best, best_chance = storyline.id, float(closest[0])
        return best, best_chance
