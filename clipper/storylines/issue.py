"""When two storylines are two sides of one developing issue.

A complaint, an open letter, the body's answer and the reactions to it are each
told in articles of their own, with figures of their own: the pair model keeps
them apart. What they share is what they are about (the registration of online
outlets, the accreditation of their journalists) and the days: each side begins
while the others are still written about. What they must not have is a sign of
two events: different places, or different figures.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta

import numpy as np

GAP = timedelta(days=2)  # how long after the earlier storyline's latest article the
                         # later may begin and still continue it
RECENT = 20  # a storyline's latest articles whose words are weighed
FAR = 0.88  # the cosine of the two storylines' mean vectors (title and lead) below
            # which they are not one issue, whatever words they share
CLOSE, WEIGHT = 0.9, 2.0  # that cosine adds WEIGHT times its excess over CLOSE to the
                          # words' evidence (and takes as much away below it)


def continues(one: list, other: list) -> bool:
    """The later storyline began no more than GAP after the earlier one's latest
    article before it."""
    earlier, later = sorted((one, other), key=lambda items: min(i.published for i in items))
    began = min(item.published for item in later)
    before = [item.published for item in earlier if item.published <= began]
    return bool(before) and began - max(before) <= GAP


def conflict(one: list, other: list) -> bool:
    """A sign of two look-alike events (the same kind of news in another city, or with
    other figures): both tell where it happened and no place is the same, or both
    give figures and neither repeats all the other's. Where a storyline happened is
    a place at least half its articles name: an issue of the whole country, whose
    articles each quote editors of other cities, has none."""
    here, there = _where(one), _where(other)
    mine, theirs = figures(one), figures(other)
    return (bool(here and there and not here & there)
            or bool(mine and theirs and not (mine <= theirs or theirs <= mine)))


def figures(items: list) -> set:
    """Every figure the articles give."""
    return set().union(*(item.signals.numbers for item in items))


def _where(items: list) -> set:
    named = Counter(place for item in items for place in item.signals.places)
    return {place for place, count in named.items() if 2 * count >= len(items)}


def closeness(one: list, other: list) -> float:
    """The cosine of the mean vectors of the two storylines' latest articles."""
    a = np.mean([item.vector for item in one[-RECENT:]], axis=0)
    b = np.mean([item.vector for item in other[-RECENT:]], axis=0)
    return float(a @ b) / float(np.linalg.norm(a) * np.linalg.norm(b))


def one_issue(one: list, other: list, around: Counter, total: int) -> float:
    """How surely two storylines are one issue: the subject they share, more when
    their articles read closer than CLOSE, less when further (0 below FAR)."""
    cosine = closeness(one, other)
    if cosine < FAR:
        return 0.0
    return specific(one, other, around, total) + WEIGHT * (cosine - CLOSE)


def shares_body(one: list, other: list) -> bool:
    """A watched body both name (or none named at all, where nothing is watched)."""
    mine = set().union(*(item.entities for item in one))
    theirs = set().union(*(item.entities for item in other))
    return bool(mine & theirs) or not (mine or theirs)


def specific(one: list, other: list, around: Counter, total: int) -> float:
    """The cosine of the two storylines' word stems, each weighed by the share of
    the storyline's articles that carry it and by how rare it is among the period's
    other articles (`around`: the articles carrying each stem, `total` of them): a
    word every article of the week has says nothing, one only these two use says
    what they are about."""
    one, other = one[-RECENT:], other[-RECENT:]
    shared = {item.lang for item in one} & {item.lang for item in other}
    if shared:  # words are compared within a language where both have one
        one = [item for item in one if item.lang in shared]
        other = [item for item in other if item.lang in shared]
    mine, theirs = _counts(one), _counts(other)
    rest = max(total - len(one) - len(other), 0)

    def weights(counts: Counter, size: int) -> dict:
        return {term: count / size * math.log((rest + 1) / (
            max(around[term] - mine[term] - theirs[term], 0) + 1))
            for term, count in counts.items()}

    a, b = weights(mine, len(one)), weights(theirs, len(other))
    dot = sum(weight * b[term] for term, weight in a.items() if term in b)
    norm = math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def _counts(items: list) -> Counter:
    counts = Counter()
    for item in items:
        counts.update(item.signals.terms)
    return counts
