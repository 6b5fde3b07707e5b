"""Corrections posted from the review page: one pass over a page of mentions.

The form sends `tone_<mention id>` (a label, or a word an analyst typed:
«негатив», «теріс») and `note_<mention id>`. Every field is checked before
anything is written; one bad field refuses the whole request and changes
nothing. What is written goes to the same table `clipper tone set` writes.
"""

from __future__ import annotations

import re

import sqlite_utils

from clipper import store
from clipper.corrections import parse_label

MAX_ROWS = 500
MAX_NOTE = 500
_FIELD = re.compile(r"^(tone|note)_(.+)$")


class BadCorrection(ValueError):
    """A field the workspace cannot take; nothing was written."""


def parse_form(form: dict) -> list[tuple]:
    """(target, mention id, label, note) for every mention given a tone; BadCorrection
    on an id that is not a number, a word that is no label, a note without a tone."""
    tones, notes = {}, {}
    for key, value in form.items():
        match = _FIELD.match(key)
        if not match:
            continue
        kind, raw_id = match.groups()
        if not raw_id.isdigit() or len(raw_id) > 12:
            raise BadCorrection(f"{key}: not a mention id")
        (tones if kind == "tone" else notes)[int(raw_id)] = (value or "").strip()
    rows = []
    for mention_id in sorted(set(tones) | set(notes)):
        rows += _row(mention_id, tones.get(mention_id, ""), notes.get(mention_id, ""))
    if len(rows) > MAX_ROWS:
        raise BadCorrection(f"{len(rows)} corrections in one request (at most {MAX_ROWS})")
    return rows


def _row(mention_id: int, tone: str, note: str) -> list[tuple]:
    if not tone:
        if note:
            raise BadCorrection(f"mention {mention_id}: a note needs a tone")
        return []
    if len(note) > MAX_NOTE:
        raise BadCorrection(f"mention {mention_id}: the note is over {MAX_NOTE} characters")
    try:
        return [("mention", mention_id, parse_label(tone), note)]
    except ValueError as exc:
        raise BadCorrection(f"mention {mention_id}: {exc}") from None


def write(conn, rows: list[tuple], who: str) -> int:
    """Record the rows on Datasette's write connection; LookupError (nothing written)
    when one names no mention."""
    try:
        store.add_corrections(sqlite_utils.Database(conn), rows, who)
    except LookupError as exc:
        raise BadCorrection(str(exc)) from None
    return len(rows)
