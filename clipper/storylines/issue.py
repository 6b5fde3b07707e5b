"""When two storylines are two sides of one developing issue.

A complaint, an open letter, the body's answer and the reactions to it are each
told in articles of their own, with figures of their own: the pair model keeps
them apart. What they share is what they are about (the registration of online
outlets, the accreditation of their journalists), the people named, the watched
body, and the days: each side begins while the others are still written about.
What they must not have is a sign of two events: different places, or different
figures, or a week between them, as between two weekly releases (`plausible`).
Of the plausible pairs, a logistic model over these signals (`FEATURES`, fitted
on the development storylines by `clipper.storylines.fit`) says how likely two
storylines are one.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta

import numpy as np

FEATURES = ("near", "closeness", "specific", "names_specific", "figures_shared",
            "shares_body", "gap", "other_language", "bias")
GAP = timedelta(days=2)  # how long after the earlier storyline's latest article the
                         # later may begin and still go on with it
RECENT = 20  # a storyline's latest articles whose words are weighed


def features(one: list, other: list, near: float, around: Counter, seen: Counter,
             total: int) -> np.ndarray:
    """The signals of two `plausible` storylines (their articles): `near` is the
    newcomer's chance against the other's closest article; `around` counts the
    articles carrying each word stem, and `seen` each figure and name, among the
    `total` active articles."""
    row = dict.fromkeys(FEATURES, 0.0)
    row["near"], row["bias"] = near, 1.0
    row["closeness"] = closeness(one, other)
    row["specific"] = specific(one, other, around, total)
    mine, theirs = _names(one), _names(other)
    row["names_specific"] = min(sum(1 / max(seen["m", key], 1) for key in mine & theirs), 2.0)
    row["figures_shared"] = bool(figures(one) & figures(other))
    row["shares_body"] = shares_body(one, other)
    row["gap"] = min(_gap(one, other), GAP) / GAP
    row["other_language"] = not {i.lang for i in one} & {i.lang for i in other}
    return np.array([row[name] for name in FEATURES], dtype=np.float32)


def plausible(one: list, other: list) -> bool:
    """Whether two storylines may be one issue at all: the later began within GAP of
    the earlier's latest article (a weekly release a week on is the next week's), and
    neither their places nor their figures tell two events."""
    mine, theirs = figures(one), figures(other)
    here, there = _where(one), _where(other)
    return (_gap(one, other) <= GAP
            and not (mine and theirs and not (mine <= theirs or theirs <= mine))
            and not (here and there and not here & there))


def _gap(one: list, other: list) -> timedelta:
    """How long after the earlier storyline's latest article before it the later one
    began."""
    earlier, later = sorted((one, other), key=lambda items: min(i.published for i in items))
    began = min(item.published for item in later)
    before = [item.published for item in earlier if item.published <= began]
    return began - max(before) if before else timedelta(0)


def figures(items: list) -> set:
    """Every figure the articles give."""
    return set().union(*(item.signals.numbers for item in items))


def _names(items: list) -> set:
    return set().union(*(item.signals.names for item in items))


def _where(items: list) -> set:
    """Where a storyline happened: a place at least half its articles name (an issue of
    the whole country, whose articles each quote editors of other cities, has none)."""
    named = Counter(place for item in items for place in item.signals.places)
    return {place for place, count in named.items() if 2 * count >= len(items)}


def closeness(one: list, other: list) -> float:
    """The cosine of the mean vectors of the two storylines' latest articles."""
    a = np.mean([item.vector for item in one[-RECENT:]], axis=0)
    b = np.mean([item.vector for item in other[-RECENT:]], axis=0)
    return float(a @ b) / float(np.linalg.norm(a) * np.linalg.norm(b))


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
