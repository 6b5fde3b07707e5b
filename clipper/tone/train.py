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
import scipy.sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from clipper.corrections import LABEL_VALUE, write_training_file
from clipper.tone.features import Described, describe, guess_entity_type
from clipper.tone.model import LABELS, MODEL_PATH, LinearModel, load_model

LABEL_OF = {"-1": "negative", "0": "neutral", "1": "positive"}
C = 0.05  # inverse regularisation; chosen by 5-fold CV, sentences kept whole (README)
MIN_COUNT = 2  # features seen once are noise and bloat the model file
DENSE_SCALE = 0.5  # word vectors against the 0/1 features; chosen by 5-fold CV (README)


@dataclass(frozen=True)
class Row:
    sentence: str
    start: int
    end: int
    label: str
    entity_type: str


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
        return [_row(r) for r in reader]


def _row(record: dict) -> Row:
    start, end = int(record["entity_pos_start_rel"]), int(record["entity_pos_end_rel"])
    sentence = record["sentence"]
    kind = (record.get("entity_tag") or "").strip() or guess_entity_type(sentence[start:end])
    return Row(sentence, start, end, LABEL_OF[record["label"].strip()], kind)


def write_rows(rows: list[Row], path) -> None:
    write_training_file(path, ((r.sentence, r.sentence[r.start:r.end], r.entity_type, r.start,
                                r.end, LABEL_VALUE[r.label]) for r in rows))


def holdout_split(rows: list[Row], fraction: float = 0.2, seed: int = 7):
    """Rows of a random fifth of the sentences set aside: a sentence is labelled once per
    entity in it, and its other rows must not teach the model the held-out answer."""
    sentences = sorted({r.sentence for r in rows})
    random.Random(seed).shuffle(sentences)
    held = set(sentences[int(len(sentences) * (1 - fraction)):])
    return [r for r in rows if r.sentence not in held], [r for r in rows if r.sentence in held]


def describe_rows(rows: list[Row]) -> list[Described]:
    return [describe(r.sentence, r.start, r.end, r.entity_type) for r in rows]


def train_model(rows: list[Row], c: float = C,
                described: list[Described] | None = None) -> LinearModel:
    described = described or describe_rows(rows)
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([dict.fromkeys(d.features, 1) for d in described])
    keep = np.flatnonzero(np.asarray((matrix > 0).sum(axis=0)).ravel() >= MIN_COUNT)
    dense = np.vstack([d.dense for d in described]) * DENSE_SCALE
    matrix = scipy.sparse.hstack([matrix[:, keep], scipy.sparse.csr_matrix(dense)]).tocsr()
    names = np.array(vectorizer.get_feature_names_out())[keep]
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    classifier.fit(matrix, [r.label for r in rows])
    order = [list(classifier.classes_).index(label) for label in LABELS]
    weights = classifier.coef_[order].astype(np.float32)
    return LinearModel({name: i for i, name in enumerate(names)}, weights[:, :len(keep)],
                       classifier.intercept_[order].astype(np.float32),
                       weights[:, len(keep):] * DENSE_SCALE,
                       {"c": c, "dense_scale": DENSE_SCALE, "rows": len(rows)})


def report(truth: list[str], predicted: list[str]) -> EvalReport:
    p, r, f, n = precision_recall_fscore_support(truth, predicted, labels=LABELS,
                                                 zero_division=0)
    return EvalReport(
        f1_pn=f1_score(truth, predicted, labels=["positive", "negative"], average="macro",
                       zero_division=0),
        per_class={label: (p[i], r[i], f[i], int(n[i])) for i, label in enumerate(LABELS)},
        matrix=confusion_matrix(truth, predicted, labels=LABELS).tolist(),
    )


def cross_validate(rows: list[Row], folds: int = 5, c: float = C, by_sentence: bool = True,
                   described: list[Described] | None = None, network=None) -> EvalReport:
    """`by_sentence` keeps all rows of a sentence in one fold: the figure for sentences
    the model has never seen. Splitting rows at random (the common way) lets a sentence's
    other entities sit in training, and reads several points higher. `network`, given,
    trains the network blended with each fold's model (train_network.train_network)."""
    truth, predicted = [], []
    described = described or describe_rows(rows)
    labels = [r.label for r in rows]
    if by_sentence:
        splits = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=7).split(
            rows, labels, [r.sentence for r in rows])
    else:
        splits = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7).split(rows, labels)
    for train, test in splits:
        fold_rows, fold_described = [rows[i] for i in train], [described[i] for i in train]
        model = train_model(fold_rows, c, fold_described)
        if network is not None:
            model.network = network(fold_rows, fold_described)
        held = [rows[i] for i in test]
        truth += [r.label for r in held]
        predicted += [_classify(model, r).label for r in held]
    return report(truth, predicted)


def _classify(model: LinearModel, row: Row, lang: str = "ru"):
    return model.classify(row.sentence, row.start, row.end, lang, row.entity_type)


def evaluate(path, model: LinearModel | None = None, lang: str = "ru") -> EvalReport:
    """Score the model (the shipped one by default) on a labelled file in `lang`."""
    model = model or load_model()
    rows = read_rows(path)
    return report([r.label for r in rows],
                  [_classify(model, r, lang).label for r in rows])


SPLITS = ((True, "sentences kept whole"), (False, "rows split at random"))


def training_rows(path, holdout=None) -> tuple[list[Row], list[Described]]:
    """The labelled rows, described; with `holdout`, a fifth of the sentences' rows
    written there instead, for `clipper tone-eval`."""
    rows = read_rows(path)
    if holdout:
        rows, held = holdout_split(rows)
        write_rows(held, holdout)
        print(f"{len(held)} rows set aside in {holdout}")
    return rows, describe_rows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", default=str(MODEL_PATH))
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--holdout", metavar="FILE",
                        help="set the rows of a fifth of the sentences aside in FILE, unseen "
                             "by training and cross-validation, for `clipper tone-eval FILE "
                             "--model OUT`")
    args = parser.parse_args(argv)
    rows, described = training_rows(args.data, args.holdout)
    for by_sentence, how in SPLITS:
        print(f"{len(rows)} rows; {args.folds}-fold cross-validation, {how}, C={args.c}")
        print(cross_validate(rows, args.folds, args.c, by_sentence, described).format())
    model = train_model(rows, args.c, described)
    model.save(args.out)
    print(f"{len(model.vocabulary)} features written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
