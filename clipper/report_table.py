"""Tables for the terminal (rich): what `clipper sources check` prints."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table


def source_table(checks, tz: ZoneInfo, console: Console | None = None) -> None:
    table = Table(title="Feeds", title_justify="left")
    for column, justify in (("source", "left"), ("status", "left"), ("items", "right"),
                            ("newest item", "left"), ("time", "right"), ("error", "left")):
        table.add_column(column, justify=justify, overflow="fold")
    for check in checks:
        status = f"{check.outcome} {check.status or ''}".strip()
        style = "green" if check.outcome == "ok" else "red"
        newest = check.newest.astimezone(tz).strftime("%Y-%m-%d %H:%M") if check.newest else "—"
        table.add_row(check.source.id, f"[{style}]{status}[/]", str(check.items), newest,
                      f"{check.elapsed_ms / 1000:.1f} s", check.error)
    (console or Console()).print(table)
