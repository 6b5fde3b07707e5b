"""The digests and reports in the output folder, as the workspace lists and serves them."""

from __future__ import annotations

import re
from pathlib import Path

# digest-2026-11-23.pdf, report-week-2026-11-16.pdf, report-month-2026-11-01.pdf
_NAME = re.compile(r"^(digest|report)(?:-(week|month))?-(\d{4}-\d{2}-\d{2})\.pdf$")


def listing(folder: Path) -> list[dict]:
    """Every PDF clipper wrote there, newest first, with its date and kind."""
    found = []
    for path in folder.glob("*.pdf") if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match:
            kind, span, day = match.groups()
            found.append({"name": path.name, "kind": kind, "span": span or "day", "date": day,
                          "size_kb": max(1, path.stat().st_size // 1024)})
    return sorted(found, key=lambda f: (f["date"], f["name"]), reverse=True)


def find(folder: Path, name: str) -> Path | None:
    """The listed PDF of that name; nothing for any other name (no way out of the folder)."""
    return folder / name if any(f["name"] == name for f in listing(folder)) else None
