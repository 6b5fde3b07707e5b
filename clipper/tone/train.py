"""Train, cross-validate and evaluate the Russian tone model.

    python -m clipper.tone.train --data train_data.csv --out clipper/tone/model.json.gz

The data is RuSentNE-2023's training file (TSV: sentence, entity, entity_tag,
entity_pos_start_rel, entity_pos_end_rel, label in -1/0/1). Only that file is
used for training and tuning; the shared task's other splits stay unseen.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

from clipper.tone.features import features
from clipper.tone.model import LABELS, MODEL_PATH, LinearModel, load_model

LABEL_OF = {"-1": "negative", "0": "neutral", "1": "positive"}
C = 0.1  # inverse regularisation; chosen by 5-fold CV (README)
MIN_COUNT = 2  # features seen once are noise and bloat the model file


@dataclass(frozen=True)
class Row:
    sentence: str
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class EvalReport:
    f1_pn: float
    per_class: dict  # label -> (precision, recall, f1, support)
    matrix: list  # rows: true label, columns: predicted, in LABELS order

    def format(self) -> str:
        lines = [f"F1_PN {self.f1_pn * 100:.1f}", "label      precision recall   f1  support"]
        for label, (p, r, f, n) in self.per_class.items():
            lines.append(f"{label:<10} {p * 100:8.1f} {r * 100:6.1f} {f * 100:5.1f} {n:7d}")
        lines.append("confusion (rows true, columns predicted: " + ", ".join(LABELS) + ")")
        lines += ["  " + " ".join(f"{n:6d}" for n in row) for row in self.matrix]
        return "\n".join(lines)


def read_rows(path) -> list[Row]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Row(r["sentence"], int(r["entity_pos_start_rel"]), int(r["entity_pos_end_rel"]),
                    LABEL_OF[r["label"].strip()]) for r in reader]


def holdout_split(rows: list[Row], fraction: float = 0.2, seed: int = 7):
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)
    cut = int(len(shuffled) * (1 - fraction))
    return shuffled[:cut], shuffled[cut:]


def train_model(rows: list[Row], c: float = C) -> LinearModel:
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(_feature_dicts(rows))
    keep = np.flatnonzero(np.asarray((matrix > 0).sum(axis=0)).ravel() >= MIN_COUNT)
    matrix = matrix[:, keep]
    names = np.array(vectorizer.get_feature_names_out())[keep]
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    classifier.fit(matrix, [r.label for r in rows])
    order = [list(classifier.classes_).index(label) for label in LABELS]
    vocabulary = {name: i for i, name in enumerate(names)}
    return LinearModel(vocabulary, classifier.coef_[order].astype(np.float32),
                       classifier.intercept_[order].astype(np.float32),
                       {"c": c, "rows": len(rows)})


def _feature_dicts(rows: list[Row]) -> list[dict]:
    return [dict.fromkeys(features(r.sentence, r.start, r.end), 1) for r in rows]


def report(truth: list[str], predicted: list[str]) -> EvalReport:
    p, r, f, n = precision_recall_fscore_support(truth, predicted, labels=LABELS,
                                                 zero_division=0)
    return EvalReport(
        f1_pn=f1_score(truth, predicted, labels=["positive", "negative"], average="macro",
                       zero_division=0),
        per_class={label: (p[i], r[i], f[i], int(n[i])) for i, label in enumerate(LABELS)},
        matrix=confusion_matrix(truth, predicted, labels=LABELS).tolist(),
    )


def cross_validate(rows: list[Row], folds: int = 5, c: float = C) -> EvalReport:
    truth, predicted = [], []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
    for train, test in splitter.split(rows, [r.label for r in rows]):
        model = train_model([rows[i] for i in train], c)
        held = [rows[i] for i in test]
        truth += [r.label for r in held]
        predicted += [model.classify(r.sentence, r.start, r.end).label for r in held]
    return report(truth, predicted)


def evaluate(path, model: LinearModel | None = None, lang: str = "ru") -> EvalReport:
    """Score the model (the shipped one by default) on a labelled file in `lang`."""
    model = model or load_model()
    rows = read_rows(path)
    return report([r.label for r in rows],
                  [model.classify(r.sentence, r.start, r.end, lang).label for r in rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", default=str(MODEL_PATH))
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    rows = read_rows(args.data)
    print(f"{len(rows)} rows; {args.folds}-fold cross-validation, C={args.c}")
    print(cross_validate(rows, args.folds, args.c).format())
    model = train_model(rows, args.c)
    model.save(args.out)
    print(f"{len(model.vocabulary)} features written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
