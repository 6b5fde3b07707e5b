"""What a person at a terminal sees (rich): the feeds table and the run's progress bars."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text


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


class RateColumn(ProgressColumn):
    def render(self, task) -> Text:
        elapsed = task.elapsed or 0
        return Text(f"{task.completed / elapsed:6.1f}/s" if elapsed else "")


class TerminalProgress:
    """Bars for feeds and pages with failures and the rate, for a run in a terminal."""

    def __init__(self, console: Console | None = None):
        self._bars = Progress(
            TextColumn("{task.description:<6}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("failed {task.fields[failed]}"), RateColumn(), TimeElapsedColumn(),
            console=console or Console(stderr=True),
        )
        self._tasks: dict[str, int] = {}

    def __enter__(self):
        self._bars.start()
        return self

    def __exit__(self, *exc):
        self._bars.stop()

    def start(self, task: str, total: int) -> None:
        self._tasks[task] = self._bars.add_task(task, total=total, failed=0)

    def advance(self, task: str, failed: bool = False) -> None:
        task_id = self._tasks[task]
        fields = self._bars.tasks[task_id].fields
        self._bars.update(task_id, advance=1, failed=fields["failed"] + failed)
