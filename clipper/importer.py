"""Print and TV: what the press office receives as files becomes articles.

A newspaper page as PDF, a broadcast transcript as TXT or DOCX, or a CSV export
of a broadcast-monitoring vendor (one row per item) is read into articles of
the given media kind and outlet, which then go through the whole pipeline. An
item is keyed by a hash of its text, so importing the same file twice changes
nothing. A file that cannot be read is reported in one line; the others go on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from clipper import store
from clipper.dedupe import content_hash
from clipper.detect import detect_language

_WORDML = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
COLUMNS = {  # a vendor's CSV header, in any of these spellings
    "date": ("date", "дата", "published", "күні"),
    "outlet": ("outlet", "source", "media", "сми", "издание", "канал", "басылым"),
    "title": ("title", "headline", "заголовок", "тема", "тақырып"),
    "text": ("text", "transcript", "текст", "содержание", "мәтін"),
}


@dataclass(frozen=True)
class Item:
    title: str
    text: str
    outlet: str = ""
    published: date | None = None


class UnreadableFile(Exception):
    """A file clipper cannot read; the message names it."""


def read_items(path: Path) -> list[Item]:
    readers = {".txt": _text_file, ".pdf": _pdf, ".docx": _docx, ".csv": _csv}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise UnreadableFile(f"{path}: not a PDF, DOCX, TXT or CSV file")
    try:
        items = reader(path)
    except (PdfReadError, zipfile.BadZipFile, ElementTree.ParseError, KeyError,
            UnicodeDecodeError, csv.Error, ValueError) as exc:
        raise UnreadableFile(f"{path}: cannot be read ({type(exc).__name__}: {exc})") from None
    items = [item for item in items if item.text.strip()]
    if not items:
        raise UnreadableFile(f"{path}: no text in it")
    return items


def import_files(db, paths: list[Path], kind: str, outlet: str, day: date | None,
                 tz: ZoneInfo) -> tuple[dict, list[str]]:
    """Store the files' items as articles; counts, and one line per unreadable file."""
    counts, problems = {"files": 0, "new": 0, "known": 0}, []
    for path in paths:
        try:
            items = read_items(path)
        except UnreadableFile as exc:
            problems.append(str(exc))
            continue
        counts["files"] += 1
        for item in items:
            name = item.outlet or outlet
            store.ensure_source(db, _source_id(name), name, kind)
            new = store.insert_listed_article(db, _row(item, kind, outlet, day, tz, path))
            counts["new" if new else "known"] += 1
    return counts, problems


def _source_id(outlet: str) -> str:
    return "import-" + (re.sub(r"[^\w]+", "-", outlet.lower()).strip("-") or "file")


def _row(item: Item, kind: str, outlet: str, day: date | None, tz: ZoneInfo, path: Path) -> dict:
    name = item.outlet or outlet
    source_id = _source_id(name)
    when = item.published or day or date.fromtimestamp(path.stat().st_mtime)
    key = "import:" + hashlib.sha1(item.text.encode("utf-8")).hexdigest()[:20]
    published = store.to_iso(datetime.combine(when, time(12), tz))
    return {
        "url": key, "canonical_url": key, "source_id": source_id, "media_kind": kind,
        "title": item.title, "summary": "", "text": item.text, "author": name,
        "lang": detect_language(item.text[:2000]), "fetched_at": store.utc_now(),
        "published_at": published, "date_source": "import", "page_status": "imported",
        "extraction": "import", "content_hash": content_hash(item.text),
    }


def _text_file(path: Path) -> list[Item]:
    return [_item(path.read_text(encoding="utf-8-sig"))]


def _pdf(path: Path) -> list[Item]:
    pages = PdfReader(path).pages
    return [_item("\n".join(page.extract_text() or "" for page in pages))]


def _docx(path: Path) -> list[Item]:
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{_WORDML}t"))
                  for p in root.iter(f"{_WORDML}p")]
    return [_item("\n".join(p for p in paragraphs if p.strip()))]


def _csv(path: Path) -> list[Item]:
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    columns = {key: _column(rows[0].keys() if rows else [], names)
               for key, names in COLUMNS.items()}
    if columns["text"] is None:
        raise ValueError(f"no text column (one of {', '.join(COLUMNS['text'])})")
    return [Item(title=(row.get(columns["title"]) or "").strip() if columns["title"] else "",
                 text=row[columns["text"]] or "",
                 outlet=(row.get(columns["outlet"]) or "").strip() if columns["outlet"] else "",
                 published=_day(row.get(columns["date"])) if columns["date"] else None)
            for row in rows]


def _column(header, names: tuple[str, ...]) -> str | None:
    return next((h for h in header if h and h.strip().lower() in names), None)


def _day(value: str | None) -> date | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime((value or "").strip()[:10], pattern).date()
        except ValueError:
            continue
    return None


def _item(text: str) -> Item:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return Item(title=lines[0][:200] if lines else "", text="\n".join(lines))
