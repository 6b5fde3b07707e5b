"""Calendar periods in the configured time zone, and their UTC bounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from clipper.store import to_iso

KINDS = ("day", "week", "month")


@dataclass(frozen=True)
class Period:
    kind: str  # day, week (Monday to Sunday), month or range
    first: date
    last: date  # inclusive

    @classmethod
    def of(cls, kind: str, day: date) -> Period:
        """The day, week or month that contains `day`."""
        if kind == "day":
            return cls("day", day, day)
        if kind == "week":
            monday = day - timedelta(days=day.weekday())
            return cls("week", monday, monday + timedelta(days=6))
        if kind == "month":
            first = day.replace(day=1)
            following = (first + timedelta(days=32)).replace(day=1)
            return cls("month", first, following - timedelta(days=1))
        raise ValueError(f"period must be one of {', '.join(KINDS)}, not {kind!r}")

    @property
    def length(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        if self.kind == "month":
            return Period.of("month", self.first - timedelta(days=1))
        shift = timedelta(days=self.length)
        return Period(self.kind, self.first - shift, self.last - shift)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.length)]

    def bounds(self, tz: ZoneInfo) -> tuple[str, str]:
        """[start, end) as UTC ISO strings, midnight to midnight in `tz`."""
        start = datetime.combine(self.first, time(0), tz)
        end = datetime.combine(self.last + timedelta(days=1), time(0), tz)
        return to_iso(start), to_iso(end)
