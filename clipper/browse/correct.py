"""Corrections posted from the review page: one pass over a page of mentions.

The form sends `tone_<mention id>` (a label, or a word an analyst typed:
«негатив», «теріс»), `note_<mention id>`, `storyline_<mention id>` (the
storyline the mention's article belongs to: a number, or «новый» for one of its
own), and, from a storyline's page, `merge_<storyline id>` (the storyline all its
articles go to). Every field is checked before anything is written; one bad
field refuses the whole request and changes nothing. What is written goes where
`clipper tone set` and `clipper storylines move` write.
"""

from __future__ import annotations

import re

import sqlite_utils

from clipper import store
from clipper.corrections import parse_label, parse_storyline

MAX_ROWS = 500
MAX_NOTE = 500
_FIELD = re.compile(r"^(tone|note|storyline|merge)_(.+)$")


class BadCorrection(ValueError):
    """A field the workspace cannot take; nothing was written."""


def parse_form(form: dict) -> list[tuple]:
    """(target, mention id, label, note) for every mention given a tone, and
    ("storyline", mention id, storyline or None for a new one, "") for every mention
    whose article is moved, and ("merge", storyline id, into, "") for a storyline all
    of whose articles are; BadCorrection on an id that is not a number, a word that is
    no label or storyline, a note without a tone."""
    fields = {"tone": {}, "note": {}, "storyline": {}, "merge": {}}
    for key, value in form.items():
        match = _FIELD.match(key)
        if not match:
            continue
        kind, raw_id = match.groups()
        if not raw_id.isdigit() or len(raw_id) > 12:
            raise BadCorrection(f"{key}: not a mention id")
        fields[kind][int(raw_id)] = (value or "").strip()
    tones, notes = fields["tone"], fields["note"]
    rows = []
    for mention_id in sorted(set(tones) | set(notes)):
        rows += _row(mention_id, tones.get(mention_id, ""), notes.get(mention_id, ""))
    for mention_id, value in sorted(fields["storyline"].items()):
        if value:
            rows.append(("storyline", mention_id, _storyline(f"mention {mention_id}", value), ""))
    for storyline_id, value in sorted(fields["merge"].items()):
        into = _storyline(f"storyline {storyline_id}", value) if value else False
        if into is None or into == storyline_id:
            raise BadCorrection(f"storyline {storyline_id}: merged into another storyline's "
                                "number")
        if into:
            rows.append(("merge", storyline_id, into, ""))
    if len(rows) > MAX_ROWS:
        raise BadCorrection(f"{len(rows)} corrections in one request (at most {MAX_ROWS})")
    return rows


def _storyline(what: str, value: str) -> int | None:
    try:
        return parse_storyline(value)
    except ValueError as exc:
        raise BadCorrection(f"{what}: {exc}") from None


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
    """Record the rows on Datasette's write connection in one transaction; BadCorrection
    (nothing written) when one names no mention, no article in a storyline, or no
    storyline."""
    db = sqlite_utils.Database(conn)
    try:
        moves = [(store.article_of_mention(db, mention_id), into)
                 for target, mention_id, into, _ in rows if target == "storyline"]
        moves += [(article_id, into) for target, old, into, _ in rows if target == "merge"
                  for article_id in store.storyline_article_ids(db, old)]
        store.correct_page(db, [row for row in rows if row[0] in ("mention", "article")],
                           moves, who)
    except LookupError as exc:
        raise BadCorrection(str(exc)) from None
    return len(rows)
