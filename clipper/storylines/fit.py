"""Fit the pair model on the development storylines and choose its threshold.

    python -m clipper.storylines.fit tests/data/storylines_dev.yaml tests/data/storylines_dev2.yaml

Pairs published within `model.DAYS` of each other are the training rows
(hard negatives weigh more); the threshold and the support are those that
give the best recall on the development file with pair precision at
`--precision` or above (where none reaches it, the most precise). The held-out
file is never read here.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np

from clipper.config import load_settings
from clipper.demo import default_config_path
from clipper.detect import Detector
from clipper.encoder import load_encoder
from clipper.storylines import evaluation
from clipper.storylines.model import DAYS, WEIGHTS_PATH, PairModel, features, fit, keys, usual

HARD_WEIGHT = 5.0
ACTIVE_DAYS = 7.0


def training_rows(articles, found, hard) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each pair as the grouping meets it: the later article against the earlier one,
    with what was around the later one (the week before it) as its context."""
    label = {a["id"]: a["storyline"] for a in articles}
    hard_pairs = {frozenset((h["a"], h["b"])) for h in hard}
    vectors = np.stack([item.vector for item in found])
    cosines = vectors @ vectors.T
    times = np.array([item.published.timestamp() for item in found])
    rows, same, weight = [], [], []
    for later, item in enumerate(found):  # in published order
        around = [i for i in range(later) if times[later] - times[i] <= ACTIVE_DAYS * 86400]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--precision", type=float, default=0.96)
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    args = parser.parse_args()
    articles, hard = evaluation.load(*args.files)
    detector = Detector(load_settings(default_config_path()).entities)
    found = evaluation.items(articles, load_encoder(), detector)
    model, report = choose(articles, found, hard, args.precision)
    model.save(args.out, {"fitted_on": [str(f) for f in args.files],
                          "target_precision": args.precision})
    print(f"wrote {args.out}: support {model.support}, threshold {model.threshold}, "
          f"earlier {model.earlier}, link {model.link}: {_line(report)}")


def choose(articles, found, hard, precision: float) -> tuple[PairModel, evaluation.Report]:
    """Fit the weights, then the support and threshold with the best recall at the
    precision asked for, then the `earlier` bar with the most first publishers right
    at that precision and no more hard negatives merged, then the `link` bar (two
    storylines one developing issue) with the best recall that keeps all three."""
    model = PairModel(fit(*training_rows(articles, found, hard)), 0.5)
    results = []
    for support in (0.0, 0.5, 0.6, 0.7, 0.8):
        for threshold in (0.8, 0.85, 0.875, 0.9, 0.925, 0.95, 0.97):
            results.append(_try(model, articles, found, hard, support=support,
                                threshold=threshold))
    report, model.support, model.threshold, _ = best_setting(results, precision)
    results = [_try(model, articles, found, hard, earlier=earlier)
               for earlier in (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)]
    good = [r for r in results if r[0].precision >= min(precision, report.precision)
            and r[0].hard_merged <= report.hard_merged]
    # the most first publishers right; of equals, the stricter bar
    report, _, _, model.earlier = max(good, key=lambda r: (r[0].first_right, r[3]))
    results = [(*_try(model, articles, found, hard, link=link), link)
               for link in (0.0, 0.2, 0.25, 0.3, 0.35)]
    good = [r for r in results if r[0].precision >= min(precision, report.precision)
            and r[0].hard_merged <= report.hard_merged
            and r[0].first_right >= report.first_right]
    # storylines linked into one issue: the best recall; of equals, the stricter bar
    report, *_, model.link = max(good, key=lambda r: (round(r[0].recall, 3), r[-1]))
    return model, report


def best_setting(results: list[tuple], precision: float) -> tuple:
    """Of (report, support, threshold, ...) each: the best recall at the precision
    asked for, of equals the stricter setting; when none reaches it, the most precise
    (not the loosest: the best recall of all would merge every look-alike)."""
    good = [r for r in results if r[0].precision >= precision]
    if not good:
        return max(results, key=lambda r: (round(r[0].precision, 3), r[1], r[2]))
    return max(good, key=lambda r: (round(r[0].recall, 3), r[1], r[2]))


def _try(model: PairModel, articles, found, hard, **setting) -> tuple:
    for name, value in setting.items():
        setattr(model, name, value)
    report = evaluation.score(articles, evaluation.group(found, model, ACTIVE_DAYS), hard)
    print(f"{setting}: {_line(report)}")
    return report, model.support, model.threshold, model.earlier


def _line(report) -> str:
    return (f"precision {report.precision:.3f} recall {report.recall:.3f} "
            f"cross-language {report.cross_language_recall:.3f} "
            f"hard {report.hard_merged}/{report.hard_pairs} "
            f"first {report.first_right}/{report.storylines}")


if __name__ == "__main__":
    main()
