"""Print and TV: what the press office receives as files becomes articles.

A newspaper page as PDF (split into its articles), a broadcast transcript as
TXT or DOCX, or a CSV export of a broadcast-monitoring vendor (one row per
item) is read into articles of the given media kind and outlet, which then go
through the whole pipeline. An item is keyed by a hash of its text, so
importing the same file twice changes nothing. A file that cannot be read is
reported in one line; the others go on.
"""

from __future__ import annotations

import csv
import hashlib
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from pdfplumber.utils.exceptions import PdfminerException

from clipper import store
from clipper.dedupe import content_hash
from clipper.detect import detect_language
from clipper.importer import ocr
from clipper.importer.newspaper import read_articles
from clipper.importer.vendor_csv import read_csv, unknown_columns_note

_WORDML = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Item:
    title: str
    text: str
    outlet: str = ""
    published: date | datetime | None = None  # a datetime only when the file gives the time
    url: str = ""  # where the item can be seen, when the file says


class UnreadableFile(Exception):
    """A file clipper cannot read; the message names it."""


def read_items(path: Path, notes: list[str] | None = None) -> list[Item]:
    """The file's items; what was read but not understood goes into `notes`."""
    notes = [] if notes is None else notes
    readers = {".txt": _text_file, ".pdf": _pdf, ".docx": _docx, ".csv": _csv}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise UnreadableFile(f"{path}: not a PDF, DOCX, TXT or CSV file")
    try:
        items = reader(path, notes)
    except (PdfminerException, zipfile.BadZipFile, ElementTree.ParseError, KeyError,
            UnicodeDecodeError, csv.Error, ValueError) as exc:
        raise UnreadableFile(f"{path}: cannot be read ({type(exc).__name__}: {exc})") from None
    items = [item for item in items if item.text.strip()]
    if not items:
        raise UnreadableFile(f"{path}: no text in it")
    return items


def import_files(db, paths: list[Path], kind: str, outlet: str, day: date | None,
                 tz: ZoneInfo, notes: list[str] | None = None) -> tuple[dict, list[str]]:
    """Store the files' items as articles; counts, and one line per unreadable file.
    Lines about what was imported but not fully understood go into `notes`."""
    counts, problems = {"files": 0, "new": 0, "known": 0}, []
    notes = [] if notes is None else notes
    for path in paths:
        try:
            items = read_items(path, notes)
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
    if isinstance(when, datetime):
        published = store.to_iso(when.replace(tzinfo=when.tzinfo or tz))
    else:
        published = store.to_iso(datetime.combine(when, time(12), tz))
    return {
        "url": item.url or key, "canonical_url": key, "source_id": source_id, "media_kind": kind,
        "title": item.title, "summary": "", "text": item.text, "author": name,
        "lang": detect_language(item.text[:2000]), "fetched_at": store.utc_now(),
        "published_at": published, "date_source": "import", "page_status": "imported",
        "extraction": "import", "content_hash": content_hash(item.text),
    }


def _text_file(path: Path, notes: list[str]) -> list[Item]:
    return [_item(path.read_text(encoding="utf-8-sig"))]


def _pdf(path: Path, notes: list[str]) -> list[Item]:
    """A newspaper page: one item per article, its headline the title."""
    try:
        articles = read_articles(path, ocr=_ocr_words)
    except ocr.OcrMissing as exc:
        raise UnreadableFile(f"{path}: {exc}") from None
    return [Item(title=article.title, text=article.text) for article in articles]


def _ocr_words(page) -> list[dict]:
    ocr.check_installed()
    return ocr.page_words(page)


def _docx(path: Path, notes: list[str]) -> list[Item]:
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{_WORDML}t"))
                  for p in root.iter(f"{_WORDML}p")]
    return [_item("\n".join(p for p in paragraphs if p.strip()))]


def _csv(path: Path, notes: list[str]) -> list[Item]:
    table = read_csv(path)
    if table.unknown:
        notes.append(unknown_columns_note(path, table.unknown))
    return [Item(title=row.title, text=row.text, outlet=row.outlet, published=row.published,
                 url=row.url) for row in table.rows]


def _item(text: str) -> Item:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return Item(title=lines[0][:200] if lines else "", text="\n".join(lines))
