"""A broadcast-monitoring vendor's CSV export: one row per item.

Vendors name their columns in Russian, Kazakh or English and in their own words
("Канал/Издание", "СМИ", "Дата выхода"); each known spelling maps to one field.
A column clipper does not know is named in one line, so a user sees at once
why, say, the outlet of every row came from `--outlet`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

COLUMNS = {  # field -> the headers a vendor writes for it (compared lower-case)
    "date": ("date", "published", "дата", "дата выхода", "дата публикации", "дата эфира",
             "күні", "шыққан күні", "жарияланған күні"),
    "time": ("time", "время", "время выхода", "время эфира", "уақыты"),
    "outlet": ("outlet", "source", "media", "channel", "сми", "издание", "канал",
               "канал/издание", "источник", "телеканал", "басылым", "арна", "бақ"),
    "title": ("title", "headline", "заголовок", "тема", "тақырып"),
    "text": ("text", "transcript", "текст", "содержание", "расшифровка", "мәтін"),
    "url": ("url", "link", "ссылка", "сілтеме"),
}
_DAY_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y")


@dataclass(frozen=True)
class Row:
    title: str
    text: str
    outlet: str
    url: str
    published: date | datetime | None  # a datetime only when the row gives the time


@dataclass(frozen=True)
class Table:
    rows: list[Row]
    unknown: tuple[str, ...]  # headers no field takes


def read_csv(path: Path) -> Table:
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h for h in (reader.fieldnames or []) if h and h.strip()]
    columns = {name: _column(header, spellings) for name, spellings in COLUMNS.items()}
    unknown = tuple(h.strip() for h in header if h not in columns.values())
    if columns["text"] is None:
        raise ValueError(f"no text column (one of {', '.join(COLUMNS['text'])}); "
                         f"columns found: {', '.join(h.strip() for h in header)}")
    rows = [_row(record, columns) for record in reader]
    return Table(rows=rows, unknown=unknown)


def unknown_columns_note(path: Path, unknown: tuple[str, ...]) -> str:
    names = ", ".join(f'"{h}"' for h in unknown)
    known = ", ".join(spellings[0] for spellings in COLUMNS.values())
    return f"{path}: column(s) {names} not recognised and ignored (known: {known} " \
           f"and their Russian and Kazakh names, see README)"


def _row(record: dict, columns: dict) -> Row:
    def cell(name: str) -> str:
        return (record.get(columns[name]) or "").strip() if columns[name] else ""

    return Row(title=cell("title"), text=cell("text"), outlet=cell("outlet"), url=cell("url"),
               published=_when(cell("date"), cell("time")))


def _column(header: list[str], spellings: tuple[str, ...]) -> str | None:
    return next((h for h in header if _normal(h) in spellings), None)


def _normal(header: str) -> str:
    name = re.sub(r"\s+", " ", header.strip().lower().replace("ё", "е"))
    return re.sub(r"\s*/\s*", "/", name)


def _when(day_text: str, time_text: str) -> date | datetime | None:
    """The row's day, with its time when the date or a time column gives one."""
    day_text = re.sub(r"^(\d{4}-\d{2}-\d{2})T", r"\1 ", day_text)
    day_part, _, rest = day_text.partition(" ")
    day = _day(day_part or day_text)
    if day is None:
        return None
    clock = _clock(time_text) or _clock(rest)
    return datetime.combine(day, clock) if clock else day


def _day(value: str) -> date | None:
    for pattern in _DAY_FORMATS:
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _clock(value: str) -> time | None:
    match = re.match(r"^\s*(\d{1,2})[:.](\d{2})(?::(\d{2}))?", value or "")
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))
