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
from clipper.config import Settings
from clipper.dedupe import content_hash
from clipper.detect import detect_language
from clipper.importer import ocr
from clipper.importer.newspaper import read_articles
from clipper.importer.vendor_csv import read_csv, unknown_columns_note

UNTIMED = "import-day"  # date_source of an item whose day is known, not its time
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
                 tz: ZoneInfo, notes: list[str] | None = None,
                 settings: Settings | None = None) -> tuple[dict, list[str]]:
    """Store the files' items as articles; counts, and one line per unreadable file.
    An outlet is the configured source or print/TV outlet of that id or name, with
    its weight. Lines about what was imported but not fully understood go into `notes`."""
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
            source_id = _outlet(db, settings, item.outlet or outlet, kind, notes)
            new = store.insert_listed_article(db, _row(item, kind, source_id, day, tz, path))
            counts["new" if new else "known"] += 1
    return counts, problems


def _outlet(db, settings: Settings | None, name: str, kind: str, notes: list[str]) -> str:
    """The source id an item is counted under; an outlet not configured is named once."""
    source = settings.outlet(name) if settings else None
    if source is not None:
        store.sync_sources(db, [source])
        return source.id
    source_id = _source_id(name)
    note = (f'outlet "{name}" is not in {Path(settings.path).name}: counted with weight 1; '
            f'list it as {{id: ..., name: {name}, kind: {kind}, weight: ...}}') if settings else ""
    if note and note not in notes:
        notes.append(note)
    store.ensure_source(db, source_id, name, kind)
    return source_id


def _source_id(outlet: str) -> str:
    return "import-" + (re.sub(r"[^\w]+", "-", outlet.lower()).strip("-") or "file")


def _row(item: Item, kind: str, source_id: str, day: date | None, tz: ZoneInfo,
         path: Path) -> dict:
    key = "import:" + hashlib.sha1(item.text.encode("utf-8")).hexdigest()[:20]
    published, date_source = _published(item.published or day, path, tz)
    return {
        "url": item.url or key, "canonical_url": key, "source_id": source_id, "media_kind": kind,
        "title": item.title, "summary": "", "text": item.text, "author": "",
        "lang": detect_language(item.text[:2000]), "fetched_at": store.utc_now(),
        "published_at": published, "date_source": date_source, "page_status": "imported",
        "extraction": "import", "content_hash": content_hash(item.text),
    }


def _published(when: date | datetime | None, path: Path, tz: ZoneInfo) -> tuple[str, str]:
    """When an item went out, and "import", or "import-day" when only its day is known:
    then it stands at the day's last second, so it never passes for the first publisher,
    and the digest says its time is not known."""
    if isinstance(when, datetime):
        return store.to_iso(when.replace(tzinfo=when.tzinfo or tz)), "import"
    day = when or date.fromtimestamp(path.stat().st_mtime)
    return store.to_iso(datetime.combine(day, time(23, 59, 59), tz)), UNTIMED


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
