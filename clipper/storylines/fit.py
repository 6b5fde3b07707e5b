"""Fit the pair model on the development storylines and choose its operating point.

    python -m clipper.storylines.fit tests/data/storylines_dev*.yaml

Pairs published within `model.DAYS` of each other are the training rows (hard
negatives weigh more). The operating point (the support, threshold and
`earlier` bar, then the link model and its bar) is chosen out of fold: each
development file is grouped with weights fitted on the other files, and the
files' pairs are counted together. The link model learns from the pairs of
storylines each newcomer came near while a file was grouped so. Of the settings
that keep the hard negatives merged and the first publishers to the issue's
targets, the one with the best recall at `--precision` or above is taken (where
none reaches it, the most precise).
Chosen on the files the weights were fitted on, the precision read 1.5-4 points
higher than on unseen storylines. The weights shipped are then fitted on all the
files. The held-out files are never read here.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from clipper.config import StorylineSettings, load_settings
from clipper.demo import default_config_path
from clipper.detect import Detector
from clipper.encoder import load_encoder
from clipper.storylines import evaluation
from clipper.storylines.group import Grouper
from clipper.storylines.model import DAYS, WEIGHTS_PATH, PairModel, features, fit, keys, usual

HARD_WEIGHT = 5.0
HARD_SHARE, FIRST_SHARE = 0.05, 0.95  # the targets: hard negatives merged at
                                      # most, first publishers right at least
NOISE = 0.005  # pair precision out of fold that one wrong merge more or less moves
ACTIVE_DAYS = float(StorylineSettings.active_days)  # the files are grouped as the night does
WEEK = 7.0  # days before an article whose articles are its context in the training rows


def training_rows(articles, found, hard) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each pair as the grouping meets it: the later article against the earlier one,
    with what was around the later one (the week before it) as its context."""
    label = {a["id"]: a["storyline"] for a in articles}
    hard_pairs = {frozenset((h["a"], h["b"])) for h in hard}
    vectors = np.stack([item.vector for item in found])
    cosines = vectors @ vectors.T
    times = np.array([item.stamp for item in found])
    rows, same, weight = [], [], []
    for later, item in enumerate(found):  # in published order
        around = [i for i in range(later) if times[later] - times[i] <= WEEK * 86400]
        item.usual = usual(cosines[later, around])
        seen = Counter(key for i in [*around, later] for key in keys(found[i]))
        for earlier in around:
            if times[later] - times[earlier] > DAYS * 86400:
                continue
            other = found[earlier]
            rows.append(features(item, [other], cosines[later, [earlier]], seen)[0])
            same.append(float(label[item.id] == label[other.id]))
            weight.append(HARD_WEIGHT if frozenset((item.id, other.id)) in hard_pairs else 1.0)
    same, weight = np.array(same), np.array(weight)
    weight[same == 1] *= (same == 0).sum() / max((same == 1).sum(), 1) / 4  # balance a bit
    return np.array(rows), same, weight


@dataclass
class File:
    """One development file: its articles, hard negatives, and the articles as the
    grouping sees them."""

    articles: list[dict]
    hard: list[dict]
    found: list

    def score(self, model: PairModel) -> evaluation.Report:
        return evaluation.score(self.articles, evaluation.group(self.found, model, ACTIVE_DAYS),
                                self.hard)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--precision", type=float, default=0.96)
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    args = parser.parse_args()
    detector = Detector(load_settings(default_config_path()).entities)
    encoder = load_encoder()
    files = []
    for path in args.files:
        articles, hard = evaluation.load(path)
        files.append(File(articles, hard, evaluation.items(articles, encoder, detector)))
    model, report = choose(files, args.precision)
    model.save(args.out, {"fitted_on": [str(f) for f in args.files],
                          "target_precision": args.precision})
    print(f"wrote {args.out}: support {model.support}, threshold {model.threshold}, "
          f"earlier {model.earlier}, link {model.link}; out of fold: {_line(report)}")


def weights(files: list[File]) -> np.ndarray:
    rows = [training_rows(f.articles, f.found, f.hard) for f in files]
    return fit(*(np.concatenate(part) for part in zip(*rows, strict=True)))


def choose(files: list[File], precision: float) -> tuple[PairModel, evaluation.Report]:
    """The support, threshold and `earlier` bar together (`best_setting`), then the
    link model and its bar (two storylines one developing issue) with the best recall
    that keeps precision, hard negatives and first publishers; all out of fold (one
    file alone is scored in sample). Returns the model fitted on all files, and the
    out-of-fold report of its setting."""
    folds = [(file, PairModel(weights([f for f in files if f is not file] or files), 0.5))
             for file in files]
    results = [_try(folds, support=support, threshold=threshold, earlier=earlier)
               for support in (0.5, 0.6, 0.7, 0.8)
               for threshold in (0.85, 0.9, 0.925, 0.95, 0.96, 0.97, 0.975, 0.98)
               for earlier in (0.0, 0.4, 0.6, 0.8)]
    report, support, threshold, earlier = best_setting(results, precision)
    _set(folds, support=support, threshold=threshold, earlier=earlier)
    rows = {id(file): link_rows(file, model) for file, model in folds}
    for file, model in folds:
        model.link_weights = fit(*_joined([rows[id(f)] for f in files if f is not file]
                                          or [rows[id(file)]]))
    results = [(*_try(folds, link=link), link) for link in (0.0, 0.8, 0.85, 0.9, 0.95)]
    good = [r for r in results if r[0].precision >= min(precision, report.precision)
            and r[0].hard_merged <= report.hard_merged
            and r[0].first_right >= report.first_right]
    # storylines linked into one issue: the best recall; of equals, the stricter bar
    report, *_, link = max(good, key=lambda r: (round(r[0].recall, 3), r[-1]))
    return PairModel(weights(files), threshold, support, earlier, link,
                     fit(*_joined(list(rows.values())))), report


def link_rows(file: File, model: PairModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of storylines the grouping weighs as one issue (`Grouper.watch`) as
    it groups the file with `model` (linking nothing): its signals, the share of the
    pairs of articles across the two that are one storyline, and how many pairs."""
    label = {a["id"]: a["storyline"] for a in file.articles}
    rows, same, weight = [], [], []

    def watch(storyline, others, found):
        mine = Counter(label[item.id] for item in storyline.items)
        for other, row in zip(others, found, strict=True):
            theirs = Counter(label[item.id] for item in other.items)
            pairs = len(storyline.items) * len(other.items)
            rows.append(row)
            same.append(sum(count * theirs[key] for key, count in mine.items()) / pairs)
            weight.append(pairs)

    grouper = Grouper(replace(model, link=0.0), ACTIVE_DAYS)
    grouper.watch = watch
    for item in file.found:
        grouper.add(item)
    return np.array(rows), np.array(same), np.array(weight, dtype=float)


def _joined(parts: list[tuple]) -> tuple:
    return tuple(np.concatenate(part) for part in zip(*parts, strict=True))


def best_setting(results: list[tuple], precision: float) -> tuple:
    """Of (report, support, threshold, ...) each: of those that keep the hard negatives
    merged to the issue's target, and of them those that keep the first publishers to
    theirs (each target where any setting reaches it), the best recall at the precision
    asked for, of equals the stricter setting. When none reaches that precision, the
    most precise (not the loosest: the best recall of all would merge every look-alike);
    of those within NOISE of it, the one with the most first publishers right."""
    kept = [r for r in results if r[0].hard_merged <= HARD_SHARE * r[0].hard_pairs] or results
    kept = [r for r in kept if r[0].first_right >= FIRST_SHARE * r[0].storylines] or kept
    good = [r for r in kept if r[0].precision >= precision]
    if good:
        return max(good, key=lambda r: (round(r[0].recall, 3), r[1], r[2]))
    top = max(r[0].precision for r in kept)
    near = [r for r in kept if r[0].precision >= top - NOISE]
    return max(near, key=lambda r: (r[0].first_right, round(r[0].recall, 3), r[1], r[2]))


def _try(folds: list[tuple[File, PairModel]], **setting) -> tuple:
    _set(folds, **setting)
    report = evaluation.Report.pooled([file.score(model) for file, model in folds])
    print(f"{setting}: {_line(report)}")
    model = folds[0][1]
    return report, model.support, model.threshold, model.earlier


def _set(folds: list[tuple[File, PairModel]], **setting) -> None:
    for _, model in folds:
        for name, value in setting.items():
            setattr(model, name, value)


def _line(report) -> str:
    return (f"precision {report.precision:.3f} recall {report.recall:.3f} "
            f"cross-language {report.cross_language_recall:.3f} "
            f"hard {report.hard_merged}/{report.hard_pairs} "
            f"first {report.first_right}/{report.storylines}")


if __name__ == "__main__":
    main()
