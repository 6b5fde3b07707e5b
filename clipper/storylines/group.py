"""Articles into storylines, one at a time in the order they were published.

A new article joins the storyline it most likely continues: the highest pair
probability against any article of a storyline still active (its last article
no more than `active_days` before), provided its closest few articles agree
on average (`support`): one close article is not enough to pull a different
event of the same place or body into a storyline, while a developing issue
whose articles each take up another side of it still grows. A side told apart
(the body's answer, an open letter) that began while the storyline was going is
linked to it when the link model finds the two one issue (`issue`). Only active
storylines, and their latest articles, are compared, so the work per article
stays bounded however long the history grows. An article worded like another
whose figures are mostly different, three days or more after it, is the series'
next release, and joins nothing of the storyline holding the release before
(`signals.next_release`, `signals.SERIES`); a retelling of it that came first
moves to it. None of these rules moves an article a press officer placed
(`pinned`); new articles join its storyline as any other.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np

from clipper.storylines import issue
from clipper.storylines.model import Item, PairModel, features, keys, usual
from clipper.storylines.signals import SERIES, alike, next_release


@dataclass
class Storyline:
    id: int
    items: list[Item] = field(default_factory=list)

    @property
    def last(self):
        return max(item.published for item in self.items)

    @property
    def first(self):
        return min(item.published for item in self.items)


RECENT = 20  # a storyline's latest articles a newcomer is compared with
AGREE = 3  # its closest articles among them that must agree on average
NEAR = 0.05  # the newcomer's chance against a storyline's closest article for the two
             # storylines to be weighed as one developing issue
EARLIER = timedelta(hours=24)  # how long before a storyline's first article a lone
                               # article may still turn out to be its first report
SUGGEST = 0.9  # a chance against another storyline, under the bar, worth a press officer's
              # look: out of fold on the development files, 50 of the 82 articles left
              # out of a storyline holding their event had one this high there, and about
              # half of all such storylines (66 of 129) told the same event
THIN = 20  # the most distinct longer words (`signals.terms`) of such a first report: a
           # post of a few lines; a full article the storyline did not draw in is another
           # event (out of fold on the development files: 10 first publishers more found
           # and no look-alike more merged, against any length)


class Grouper:
    def __init__(self, model: PairModel, active_days: float,
                 new_id: Callable[[], int] | None = None):
        """`new_id()` numbers a new storyline (the database's row id in the stage)."""
        self.model = model
        self.active = timedelta(days=active_days)
        self.storylines: dict[int, Storyline] = {}
        self.new_id = new_id or itertools.count(1).__next__
        self.seen = Counter()  # figures and names of the active storylines' articles
        self.absorbed: list[tuple[int | str, int, int]] = []  # (article, from, into)
        self.moved: list[tuple[int | str, int, int]] = []  # (article, from, into)
        self.earlier: dict[int, Item] = {}  # the storylines the newcomer was set apart from
        self.linked: list[tuple[int, int]] = []  # (storyline, into): parts of one issue
        self.terms = Counter()  # the active storylines' articles carrying each word stem
        self.near: dict[int, float] = {}  # the newcomer's highest chance per storyline
        self.watch: Callable | None = None  # sees the storylines weighed as one issue
        self.pinned: frozenset = frozenset()  # articles a press officer placed: never moved

    def seed(self, storyline_id: int, item: Item) -> None:
        """An article grouped by an earlier night (`settle` once all are seeded)."""
        self.storylines.setdefault(storyline_id, Storyline(storyline_id)).items.append(item)
        self.seen.update(keys(item))
        self.terms.update(item.signals.terms)

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
        self.terms.update(item.signals.terms)
        best, chance = self._best(item)
        if best is None or chance < self.model.threshold:
            best, chance = self.new_id(), 0.0
        storyline = self.storylines.setdefault(best, Storyline(best))
        storyline.items.append(item)
        if self.earlier:
            self._take_back_retellings(item, storyline, self.earlier)
        if chance and self.model.earlier:
            self._absorb_first_reports(storyline)
        if self.model.link or self.watch:
            best = self._link(storyline)
        return best, chance

    def suggested(self, joined: int) -> dict[int, float]:
        """The other storylines the last article came near (a chance of SUGGEST or
        more) without joining them: perhaps the same event, for a press officer to look
        at."""
        return {s: chance for s, chance in self.near.items()
                if s != joined and s in self.storylines and chance >= SUGGEST}

    def _link(self, storyline: Storyline) -> int:
        """Another side of a developing issue (the body's answer, a letter, the
        reactions) shares few figures with the storyline it continues, and its articles
        are not close enough to join it one by one. Of the storylines the newcomer came
        near that may be one issue with its own (`issue.plausible`), the one the link
        model (`issue.features`) finds most likely so is taken when at or above the
        model's `link` bar: the later storyline moves into the earlier (recorded in
        `linked`); the storyline the newcomer ended up in is returned. `watch`, where
        set, sees every storyline weighed and its signals."""
        near = [(self.storylines[s], chance) for s, chance in self.near.items()
                if chance >= NEAR and s in self.storylines and s != storyline.id]
        near = [(other, chance) for other, chance in near if self._movable(other)
                and issue.plausible(storyline.items, other.items)]
        if not near or not self._movable(storyline):
            return storyline.id
        total = sum(len(s.items) for s in self.storylines.values())
        rows = np.stack([issue.features(storyline.items, other.items, chance, self.terms,
                                        self.seen, total) for other, chance in near])
        if self.watch:
            self.watch(storyline, [other for other, _ in near], rows)
        if not self.model.link:
            return storyline.id
        chances = self.model.link_probability(rows)
        if chances.max() < self.model.link:
            return storyline.id
        other = near[int(np.argmax(chances))][0]
        earlier, later = sorted((storyline, other), key=lambda s: (s.first, s.id))
        earlier.items = sorted(earlier.items + self.storylines.pop(later.id).items,
                               key=lambda item: item.published)
        self.linked.append((later.id, earlier.id))
        return earlier.id

    def _absorb_first_reports(self, storyline: Storyline) -> None:
        """A short first post (a Telegram channel's two lines) is often too thin to
        draw the next article in; once two or more articles agree on a storyline, a
        lone post (THIN) published shortly before them that they both resemble, and
        whose figures they all repeat, is its first report, and moves in (recorded in
        `absorbed`)."""
        first = min(item.published for item in storyline.items)
        lone = [s for s in self.storylines.values() if len(s.items) == 1 and s is not storyline
                and first - EARLIER <= s.items[0].published < first
                and len(s.items[0].signals.terms) <= THIN and self._movable(s)]
        if not lone:  # the usual case: nothing to weigh on every article that joins
            return
        members = storyline.items[-RECENT:]
        vectors = np.stack([member.vector for member in members])
        figures = issue.figures(members)
        for candidate in lone:
            item = candidate.items[0]
            if not item.signals.numbers <= figures:
                continue  # a figure none of them repeats: another event
            chances = self.model.probability(
                features(item, members, vectors @ item.vector, self.seen))
            if np.sort(chances)[::-1][:2].mean() >= self.model.earlier:
                storyline.items.insert(0, self.storylines.pop(candidate.id).items[0])
                self.absorbed.append((item.id, candidate.id, storyline.id))

    def _movable(self, storyline: Storyline) -> bool:
        """Whether the grouping may move the storyline's articles: none of them is one
        a press officer placed (`pinned`)."""
        return not any(item.id in self.pinned for item in storyline.items)

    def _retire(self, item: Item) -> None:
        since = item.published - self.active
        for storyline_id in [s.id for s in self.storylines.values() if s.last < since]:
            for old in self.storylines.pop(storyline_id).items:
                self.seen.subtract(keys(old))
                self.terms.subtract(old.signals.terms)

    def _set_apart_earlier_releases(self, item: Item, storylines: list[Storyline],
                                    others: list[Item], chances: np.ndarray,
                                    owner: np.ndarray) -> dict[int, Item]:
        """A storyline holding the series' earlier release (`signals.next_release`, SERIES
        or more before) is the earlier release's: its rewrites and versions in other
        languages go with it, and the newcomer joins none of them (`chances` set to 0). A
        storyline with an article worded alike within SERIES of the newcomer is a
        situation reported day by day, and is weighed as usual. Returns the storylines
        set apart, each with its release."""
        earlier = {}
        for i in np.flatnonzero(chances >= NEAR):  # the likely ones: bounded work
            if (abs(item.stamp - others[i].stamp) < SERIES
                    or not next_release(item.signals, others[i].signals)):
                continue
            members = np.flatnonzero(owner == owner[i])
            if not any(abs(item.stamp - others[j].stamp) < SERIES
                       and alike(item.signals, others[j].signals) for j in members):
                chances[members] = 0.0
                earlier[storylines[owner[i]].id] = others[i]
        return earlier

    def _take_back_retellings(self, release: Item, storyline: Storyline,
                              earlier: dict[int, Item]) -> None:
        """An outlet's retelling of the next release published minutes before the
        release itself has only the series' earlier releases to join: once the release
        is set apart, a retelling of the last day (EARLIER) before it that gives more of
        the release's own figures than of the earlier release's moves to the release's
        storyline (recorded in `moved`)."""
        for storyline_id, before in earlier.items():
            now = release.signals.numbers - before.signals.numbers
            then = before.signals.numbers - release.signals.numbers
            old = self.storylines[storyline_id]
            for member in [m for m in old.items if m is not before and m.id not in self.pinned
                           and 0 <= release.stamp - m.stamp <= EARLIER.total_seconds()
                           and len(m.signals.numbers & now) > len(m.signals.numbers & then)]:
                old.items.remove(member)
                storyline.items = sorted([*storyline.items, member], key=lambda i: i.published)
                self.moved.append((member.id, storyline_id, storyline.id))

    def _best(self, item: Item) -> tuple[int | None, float]:
        storylines = list(self.storylines.values())
        others = [other for s in storylines for other in s.items[-RECENT:]]
        self.near, self.earlier = {}, {}
        if not others:
            return None, 0.0
        cosines = np.array([other.vector for other in others]) @ item.vector
        item.usual = usual(cosines)
        chances = self.model.probability(features(item, others, cosines, self.seen))
        sizes = np.array([min(len(s.items), RECENT) for s in storylines])
        owner = np.repeat(np.arange(len(storylines)), sizes)
        self.earlier = self._set_apart_earlier_releases(item, storylines, others, chances,
                                                        owner)
        top, closest = _closest(chances, sizes)
        self.near = {s.id: float(chance) for s, chance in zip(storylines, top, strict=True)}
        agreeing = np.flatnonzero(closest >= self.model.support)
        if not len(agreeing):
            return None, 0.0
        best = agreeing[np.argmax(top[agreeing])]
        return storylines[best].id, float(top[best])


def _closest(chances: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per storyline (its `sizes` consecutive chances): the highest chance, and the
    mean of its AGREE highest."""
    storyline = np.repeat(np.arange(len(sizes)), sizes)
    order = np.lexsort((-chances, storyline))  # by storyline, highest first
    rank = np.arange(len(chances)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    ranked = chances[order]
    top = ranked[rank == 0]
    kept = rank < AGREE
    sums = np.bincount(storyline[kept], weights=ranked[kept], minlength=len(sizes))
    return top, sums / np.minimum(sizes, AGREE)
