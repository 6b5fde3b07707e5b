"""Labelled rows in the training set's format, the held-out split, and the scores.

The format is RuSentNE-2023's (TSV: sentence, entity, entity_tag,
entity_pos_start_rel, entity_pos_end_rel, label in -1/0/1); the domain sets in
`clipper/tone/data/`, the held-out sets in `tests/data/` and analysts'
corrections (`clipper tone export`) are written in it too.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass

from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from clipper.corrections import LABEL_VALUE, write_training_file

LABELS = ("negative", "neutral", "positive")
LABEL_OF = {"-1": "negative", "0": "neutral", "1": "positive"}
KAZAKH_LETTERS = frozenset("әіңғүұқөһӘІҢҒҮҰҚӨҺ")


@dataclass(frozen=True)
class Row:
    sentence: str
    start: int
    end: int
    label: str
    entity_type: str = ""
    # Whose labelling: "office" (a press office's reading, the guidelines in
    # clipper/tone/data/GUIDELINES.md) or "news" (RuSentNE's annotators, who call many
    # events about a body neutral); the model learns each with a marker of its own.
    convention: str = "office"

    @property
    def lang(self) -> str:
        return language_of(self.sentence)


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


def language_of(text: str) -> str:
    """kk where a Kazakh letter is present, ru for other Cyrillic, en otherwise."""
    if any(c in KAZAKH_LETTERS for c in text):
        return "kk"
    return "ru" if any("а" <= c.lower() <= "я" or c in "ёЁ" for c in text) else "en"


def read_rows(path) -> list[Row]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [_row(r) for r in reader]


def _row(record: dict) -> Row:
    start, end = int(record["entity_pos_start_rel"]), int(record["entity_pos_end_rel"])
    return Row(record["sentence"], start, end, LABEL_OF[record["label"].strip()],
               (record.get("entity_tag") or "").strip())


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


def report(truth: list[str], predicted: list[str]) -> EvalReport:
    p, r, f, n = precision_recall_fscore_support(truth, predicted, labels=LABELS,
                                                 zero_division=0)
    return EvalReport(
        f1_pn=f1_score(truth, predicted, labels=["positive", "negative"], average="macro",
                       zero_division=0),
        per_class={label: (p[i], r[i], f[i], int(n[i])) for i, label in enumerate(LABELS)},
        matrix=confusion_matrix(truth, predicted, labels=LABELS).tolist(),
    )


def evaluate(path, model=None, lang: str | None = None) -> EvalReport:
    """Score the model (the shipped one by default) on a labelled file, or on its rows
    in `lang`."""
    from clipper.tone.model import LABELS as ORDER
    from clipper.tone.model import load_model

    model = model or load_model()
    rows = [r for r in read_rows(path) if lang is None or r.lang == lang]
    found = model.probabilities(model.windows([(r.sentence, r.start, r.end) for r in rows]))
    return report([r.label for r in rows], [ORDER[i] for i in found.argmax(axis=1)])
