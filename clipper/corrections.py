"""Analysts' tone corrections as training rows, so the model learns the office's judgement."""

from __future__ import annotations

import csv
from pathlib import Path

from clipper import store
from clipper.config import Settings

LABEL_VALUE = {"negative": -1, "neutral": 0, "positive": 1}
ENTITY_TAG = {"organization": "ORGANIZATION", "person": "PERSON"}
COLUMNS = ("sentence", "entity", "entity_tag", "entity_pos_start_rel", "entity_pos_end_rel",
           "label")


def export_corrections(db, settings: Settings, path: Path) -> int:
    """Write one row per corrected mention in the training set's format; return the count."""
    kinds = {e.id: e.kind for e in settings.entities}
    rows = store.corrected_mentions(db, kinds)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow((row["sentence"], row["text"], ENTITY_TAG[kinds[row["entity"]]],
                             row["rel_start"], row["rel_end"], LABEL_VALUE[row["label"]]))
    return len(rows)
