"""Analysts' tone corrections as training rows, so the model learns the office's judgement."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from clipper import store
from clipper.config import Settings

LABEL_VALUE = {"negative": -1, "neutral": 0, "positive": 1}
NOT_ABOUT_US = store.NOT_ABOUT_US
LABELS = (*LABEL_VALUE, NOT_ABOUT_US)
# what an analyst may type, in the office's three languages, for each label
_WORDS = {
    "negative": ("negative", "neg", "негатив", "негативно", "негативный", "негативная",
                 "отрицательно", "отрицательный", "теріс", "жағымсыз", "-"),
    "neutral": ("neutral", "нейтрально", "нейтральный", "нейтрал", "бейтарап", "0"),
    "positive": ("positive", "pos", "позитив", "позитивно", "позитивный", "положительно",
                 "положительный", "оң", "жағымды", "+"),
    NOT_ABOUT_US: ("not about us", "not_about_us", "irrelevant", "не о нас", "не про нас",
                   "ложное", "бізге қатысты емес", "бізге қатысы жоқ", "қатысы жоқ"),
}
_LABEL_OF_WORD = {word: label for label, words in _WORDS.items() for word in words}


def parse_label(word: str) -> str:
    """The label an analyst meant: «негатив», «теріс», "Negative " and "negative" are one
    label; anything else is a ValueError naming what is accepted."""
    label = _LABEL_OF_WORD.get(" ".join(str(word).lower().replace("ё", "е").split()))
    if label is None:
        raise ValueError(f"unknown tone {word!r} (expected negative, neutral, positive or "
                         "not about us; or негатив, нейтрально, позитив, не о нас; "
                         "теріс, бейтарап, оң, бізге қатысты емес)")
    return label


NEW_STORYLINE = ("new", "новый", "новый сюжет", "жаңа", "жаңа сюжет")  # a storyline of its own


def parse_storyline(word: str) -> int | None:
    """The storyline a press officer typed: its id ("40", "#40"), or None for a storyline
    of its own («новый», «жаңа», "new"); anything else is a ValueError saying what is
    accepted."""
    text = " ".join(str(word).lower().split()).lstrip("#№ ")
    if text in NEW_STORYLINE:
        return None
    if text.isdigit() and len(text) <= 12:
        return int(text)
    raise ValueError(f"unknown storyline {word!r} (expected a storyline's number, or new, "
                     "новый, жаңа for a storyline of its own)")


_ONE_LINE = re.compile(r"[\t\r\n]")
_TYPE_OF_KIND = {"organization": "ORGANIZATION", "person": "PERSON"}  # sources.yaml kinds
COLUMNS = ("sentence", "entity", "entity_tag", "entity_pos_start_rel", "entity_pos_end_rel",
           "label")


def export_corrections(db, settings: Settings, path: Path) -> int:
    """Write one row per corrected mention in the training set's format; return the count."""
    types = entity_types(settings.entities)
    rows = store.corrected_mentions(db, types)
    write_training_file(path, ((row["sentence"], row["text"], types[row["entity"]],
                                row["rel_start"], row["rel_end"], LABEL_VALUE[row["label"]])
                               for row in rows))
    return len(rows)


def entity_types(entities) -> dict[str, str]:
    """Each configured entity's id and its tag in the training file (PERSON, ...)."""
    return {e.id: _TYPE_OF_KIND[e.kind] for e in entities}


def write_training_file(path, rows: Iterable[tuple]) -> None:
    """Tab-separated and never quoted, as the training file is read: a tab or line break
    inside a sentence becomes a space, so the entity's offsets still hold."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_NONE, quotechar=None,
                            lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([_ONE_LINE.sub(" ", v) if isinstance(v, str) else v for v in row]
                         for row in rows)
