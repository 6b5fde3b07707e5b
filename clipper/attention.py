"""Negative drivers: which negative stories need an answer, most urgent first.

A story is urgent when it is negative, reaches many readers, is still spreading
at the end of the period, and the organization has not answered it yet. An
answer is an article of the organization's own channels, or an article in
which the organization or its press service comments, that came after the
story began and belongs to the same story or speaks of the same matter.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from clipper.store import to_iso

SPREADING_HOURS = 24  # other outlets took it up within the period's last day
# The organization speaking in a sentence that names it: a comment, an
# explanation, a denial ("Минкультуры и информации ответило на жалобы").
COMMENT = re.compile(
    r"пресс-служб|\b(ответил[оаи]?|пояснил[оаи]?|прокомментировал[оаи]?|опроверг(ло|ли)?|"
    r"разъяснил[оаи]?|заверил[оаи]?)\b|баспасөз қызмет|түсіндірді|жауап берді|түсініктеме|"
    r"\b(responded|commented|explained|denied|clarified)\b|press service",
    re.IGNORECASE)


_NEGATED = re.compile(r"\b(не|нет|not|never|yet to|no)\b[\w\s]{0,16}$", re.IGNORECASE)


def speaks(sentence: str) -> bool:
    """The organization comments in this sentence (and not "has not commented")."""
    return any(not _NEGATED.search(sentence[max(0, m.start() - 30):m.start()])
               for m in COMMENT.finditer(sentence or ""))


def drivers(stories: list[dict], answers: list[dict], period_end: str, related) -> list[dict]:
    """The negative stories, each with its spread and answer, most urgent first.
    `related(story, article)` tells whether an article speaks of the story's matter."""
    answers = sorted(answers, key=lambda a: a["published_at"])
    found = []
    for story in stories:
        if story["tone"] != "negative" or story["org_speaks"]:
            continue  # a story in which the organization answers is the answer
        answer = _answer(story, answers, related)
        found.append({**story, "answer": answer,
                      "urgency": _urgency(story, story["spreading"], answer)})
    return sorted(found, key=lambda s: (-s["urgency"], s["first"]["published_at"]))


def _answer(story: dict, answers: list[dict], related) -> dict | None:
    """The first answer (answers in time order) after the story began."""
    began = story["first"]["published_at"]
    for article in answers:
        if article["published_at"] < began or article["tone"] == "negative":
            continue
        if article["group"] == story["key"] or related(story, article):
            return article
    return None


def spreading(story: dict, period_end: str) -> bool:
    """Outlets other than the first publisher took it up in the period's last day."""
    since = to_iso(datetime.fromisoformat(period_end) - timedelta(hours=SPREADING_HOURS))
    first = story["first"]["source_id"]
    return any(m["published_at"] >= since and m["source_id"] != first for m in story["members"])


def _urgency(story: dict, spreading: bool, answer: dict | None) -> float:
    return round(story["reach"] * (1.5 if spreading else 1.0) * (0.5 if answer else 1.0), 2)
