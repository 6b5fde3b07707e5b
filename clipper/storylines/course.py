"""A storyline's course: day by day, how many articles, in what tone, and when the
organization answered; which day of the storyline a period ends on."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

TONES = ("negative", "neutral", "positive")


def local_day(iso: str, tz: ZoneInfo) -> date:
    return datetime.fromisoformat(iso).astimezone(tz).date()


def day_number(first_published: str, last_day: date, tz: ZoneInfo) -> int:
    """Day 1 is the day of the first article."""
    return (last_day - local_day(first_published, tz)).days + 1


def course(members: list[dict], tones: dict[int, str], answers: set[int],
           tz: ZoneInfo) -> list[dict]:
    """One entry a day with articles: their count, the tone towards the organization
    that prevailed (of the articles that mention it), and whether it answered."""
    days = defaultdict(lambda: {"articles": 0, "answer": False, **dict.fromkeys(TONES, 0)})
    for member in members:
        day = days[local_day(member["published_at"], tz)]
        day["articles"] += 1
        if member["id"] in tones:
            day[tones[member["id"]]] += 1
        day["answer"] |= member["id"] in answers
    return [{"date": day.isoformat(), **counts, "tone": _prevailing(counts)}
            for day, counts in sorted(days.items())]


def _prevailing(counts: dict) -> str:
    if counts["negative"] > counts["positive"]:
        return "negative"
    return "positive" if counts["positive"] > counts["negative"] else "neutral"


def languages(members: list[dict]) -> list[str]:
    """The storyline's languages, in the order they appeared."""
    return list(dict.fromkeys(m["lang"] for m in members if m.get("lang")))
