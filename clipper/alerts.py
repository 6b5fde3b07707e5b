"""Alerts between digests: a negative story spreading fast, or most sources down.

`clipper watch` (run every hour) fetches and analyses what is new, and queues
an e-mail for each alert at once instead of waiting for the morning. An alert
has a stable name (the story, or the day's outage), so it goes out once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from clipper import deliver, store
from clipper.analyse import analyse
from clipper.config import Settings
from clipper.labels import LABELS
from clipper.periods import Period
from clipper.store import to_iso


def story_alerts(db, settings: Settings, now: datetime) -> list[dict]:
    """Negative stories that reached the alert thresholds within the last hours."""
    rules = settings.alerts
    today = now.astimezone(settings.tz).date()
    analysis = analyse(db, settings, Period("range", today - timedelta(days=1), today))
    since = to_iso(now - timedelta(hours=rules.hours))
    found = []
    for story in analysis["attention"]:
        recent = [m for m in story["members"] if m["published_at"] >= since]
        outlets = {m["source_id"]: m["weight"] for m in recent}
        spreading = len(outlets) >= rules.outlets or sum(outlets.values()) >= rules.reach
        if spreading and not _alerted_as_part(db, story):
            found.append({"name": f"alert-{story['key']}", "story": story,
                          "outlets": len(outlets), "reach": round(sum(outlets.values()), 1)})
    return found


def _alerted_as_part(db, story: dict) -> bool:
    """A storyline that took in another (the other side of one issue, its first report
    found later) is not announced again when the part it took in already was."""
    if not story["storyline"]:
        return False
    parts = store.merged_into(db, story["id"])
    return store.queued_any(db, [f"alert-storyline-{part}" for part in parts])


def queue(db, settings: Settings, alerts: list[dict], failed: tuple[int, int] | None,
          now: datetime) -> int:
    """Queue the alerts' e-mails (each once); how many were new."""
    labels = LABELS[settings.digest.language]
    queued = 0
    for alert in alerts:
        story = alert["story"]
        body = "\n".join([
            story["headline"], "",
            f"{labels['first']}: {story['first']['source_name']}",
            f"{labels['outlets']}: {alert['outlets']} · {labels['reach']} {alert['reach']}",
            f"{labels['cues']}: {', '.join(story['cues'])}" if story["cues"] else "",
            _thread(story, labels), "", story["sentence"] or "",
        ])
        queued += deliver.queue(db, settings.delivery, alert["name"], [],
                                f"{labels['alert']}: {story['headline']}", body)
    if failed:
        day = now.astimezone(settings.tz).date().isoformat()
        text = labels["sources_failed"].format(n=failed[0], total=failed[1])
        queued += deliver.queue(db, settings.delivery, f"alert-sources-{day}", [],
                                f"{labels['alert']}: {text}", text)
    return queued


def _thread(story: dict, labels: dict) -> str:
    """The issue the story is the latest side of (`analyse._threads`), in a line."""
    thread = story.get("thread")
    if not thread:
        return ""
    return (f"{labels['thread'].format(name=thread['name'])}: "
            f"{labels['day'].format(n=thread['day'])} · "
            f"{labels['thread_first'].format(name=thread['first']['source_name'])}")
