"""Storylines scored on a labelled file: pairs, languages, hard negatives, first publishers.

A file lists articles, each with its `storyline` label, and `hard_negatives`
(pairs that look alike but tell different events). The articles are grouped
exactly as the nightly stage groups them, in the order they were published.

    clipper storylines-eval tests/data/storylines_heldout.yaml
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from pathlib import Path

import yaml

from clipper.storylines.group import Grouper
from clipper.storylines.model import Item, PairModel
from clipper.storylines.signals import lead, signals


def load(*paths: Path) -> tuple[list[dict], list[dict]]:
    """The articles (in published order) and hard negatives of one or more files;
    with several, ids and labels are prefixed with the file's name."""
    articles, hard = [], []
    for path in paths:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        prefix = f"{Path(path).stem}:" if len(paths) > 1 else ""
        articles += [{**a, "id": prefix + a["id"], "storyline": prefix + a["storyline"]}
                     for a in data["articles"]]
        hard += [{**h, "a": prefix + h["a"], "b": prefix + h["b"]}
                 for h in data.get("hard_negatives") or []]
    return sorted(articles, key=lambda a: (_when(a), a["id"])), hard


HEADER = """\
# Storylines as a press office corrected them (`clipper storylines export`): every
# grouped article of each storyline a correction touched, labelled with the storyline
# it is in now; hard_negatives pairs an article moved out of a storyline with the
# articles still in it. Score the grouping on it with `clipper storylines-eval`, or
# fit on it with the development files (`python -m clipper.storylines.fit`).
"""


def write(path: Path, articles: list[dict], moved: list[dict]) -> tuple[int, int]:
    """The corrected storylines (`store.corrected_storylines`) as a labelled file;
    returns how many articles and hard negative pairs were written."""
    rows = [{"id": f"a{a['id']}", "outlet": a["outlet"], "kind": a["kind"], "lang": a["lang"],
             "published": a["published_at"], "title": a["title"] or "", "body": a["text"] or "",
             "storyline": f"sl-{a['storyline_id']}"} for a in articles]
    grouped = {a["story_id"]: a["id"] for a in articles}
    hard = [{"a": f"a{grouped[m['story_id']]}", "b": f"a{a['id']}", "kind": "moved_out",
             "why": m["note"] or "a press officer moved it out"}
            for m in moved if m["story_id"] in grouped
            for a in articles if a["storyline_id"] == m["from_id"]]
    text = yaml.dump({"articles": rows, "hard_negatives": hard}, Dumper=_Dumper,
                     allow_unicode=True, sort_keys=False, width=100)
    Path(path).write_text(HEADER + text, encoding="utf-8")
    return len(rows), len(hard)


class _Dumper(yaml.SafeDumper):
    """Texts of several lines as blocks (`body: |`), as the labelled files are written."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    lines = [line.rstrip() for line in value.splitlines()]
    if len(lines) > 1:
        return dumper.represent_scalar("tag:yaml.org,2002:str", "\n".join(lines) + "\n",
                                       style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)


def _when(article: dict) -> datetime:
    published = article["published"]
    return published if isinstance(published, datetime) else datetime.fromisoformat(published)


def items(articles: list[dict], encoder, detector=None) -> list[Item]:
    """Each article as the stage sees it: the vector of its title and lead, its
    figures, places and names, and the watched entities it mentions."""
    vectors = encoder.passages([lead(a["title"], a["body"]) for a in articles])
    found = []
    for article, vector in zip(articles, vectors, strict=True):
        text = f"{article['title']}\n{article['body']}"
        entities = frozenset(m.entity for m in detector.find(text)) if detector else frozenset()
        found.append(Item(article["id"], _when(article), article["lang"], vector,
                          signals(text, article["title"] or ""), entities))
    return found


def group(found: list[Item], model: PairModel, active_days: float) -> dict:
    grouper = Grouper(model, active_days)
    predicted = {item.id: grouper.add(item)[0] for item in found}
    for article_id, _, into in grouper.moved + grouper.absorbed:
        predicted[article_id] = into
    for old, into in grouper.linked:  # in the order they were found, as the stage moves them
        predicted = {article: into if storyline == old else storyline
                     for article, storyline in predicted.items()}
    return predicted


@dataclass
class Report:
    pairs: int
    precision: float
    recall: float
    cross_language_recall: float
    cross_language_pairs: int
    hard_merged: int
    hard_pairs: int
    first_right: int
    storylines: int
    joined: int = 0  # pairs grouped together, rightly or not
    found: int = 0  # ... rightly
    cross_found: int = 0  # ... rightly, in two languages

    @classmethod
    def pooled(cls, reports: list[Report]) -> Report:
        """The reports of several files as one: their pairs counted together."""
        total = {name: sum(getattr(r, name) for r in reports) for name in (
            "pairs", "cross_language_pairs", "hard_merged", "hard_pairs", "first_right",
            "storylines", "joined", "found", "cross_found")}
        return cls(precision=total["found"] / max(total["joined"], 1),
                   recall=total["found"] / max(total["pairs"], 1),
                   cross_language_recall=total["cross_found"] / max(
                       total["cross_language_pairs"], 1), **total)

    def format(self) -> str:
        return "\n".join([
            f"same-storyline pairs: precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"({self.pairs} labelled pairs)",
            f"cross-language pairs: recall {self.cross_language_recall:.3f} "
            f"({self.cross_language_pairs} pairs)",
            f"hard negatives merged: {self.hard_merged} of {self.hard_pairs} "
            f"({self.hard_merged / max(self.hard_pairs, 1):.1%})",
            f"first publisher right: {self.first_right} of {self.storylines} storylines "
            f"({self.first_right / max(self.storylines, 1):.1%})",
        ])


def score(articles: list[dict], predicted: dict, hard: list[dict]) -> Report:
    by_id = {a["id"]: a for a in articles}
    counts = defaultdict(int)
    for a, b in combinations(articles, 2):
        same = a["storyline"] == b["storyline"]
        joined = predicted[a["id"]] == predicted[b["id"]]
        counts["true", same, joined] += 1
        if same and a["lang"] != b["lang"]:
            counts["cross", joined] += 1
    found = counts["true", True, True]
    merged = sum(predicted[h["a"]] == predicted[h["b"]] for h in hard)
    right, labelled = _first_publishers(articles, predicted)
    return Report(
        pairs=found + counts["true", True, False],
        precision=found / max(found + counts["true", False, True], 1),
        recall=found / max(found + counts["true", True, False], 1),
        cross_language_recall=counts["cross", True] / max(
            counts["cross", True] + counts["cross", False], 1),
        cross_language_pairs=counts["cross", True] + counts["cross", False],
        hard_merged=merged, hard_pairs=len(hard), first_right=right, storylines=labelled,
        joined=found + counts["true", False, True], found=found,
        cross_found=counts["cross", True],
    ) if by_id else None


def _first_publishers(articles: list[dict], predicted: dict) -> tuple[int, int]:
    """For each labelled storyline of two or more articles: does the storyline that
    holds most of its articles name its true first article first?"""
    members = defaultdict(list)
    for article in articles:  # in published order
        members[article["storyline"]].append(article["id"])
    clusters = defaultdict(list)
    for article in articles:
        clusters[predicted[article["id"]]].append(article["id"])
    right = labelled = 0
    for ids in members.values():
        if len(ids) < 2:
            continue
        labelled += 1
        votes = defaultdict(int)
        for article_id in ids:
            votes[predicted[article_id]] += 1
        main = max(votes, key=lambda c: (votes[c], -clusters[c].index(ids[0])
                                         if ids[0] in clusters[c] else 0))
        right += clusters[main][0] == ids[0]
    return right, labelled
