"""Database runners of the dedupe, detect and tone stages.

Each takes only the rows its stage has not processed yet, calls the stage's
pure core, and writes each item in its own transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from clipper import store
from clipper.config import Settings
from clipper.dedupe import StoryIndex, signature


def run_dedupe(db, settings: Settings, run_id: int, now: datetime) -> dict:
    pending = store.pending_dedupe(db)
    counts = {"new_stories": 0, "joined_stories": 0}
    if not pending:
        return counts
    index = _story_index(db, settings, pending[0]["published_at"])
    for article in pending:
        text = article["text"] or article["title"] or ""
        sig = signature(text, settings.dedupe)
        twin = store.article_by_hash(db, article["content_hash"], article["id"])
        story_id = twin["story_id"] if twin else index.match(sig, text)
        counts["joined_stories" if story_id else "new_stories"] += 1
        story_id = store.assign_story(db, article, story_id, sig)
        index.add(str(article["id"]), story_id, sig, text)
    return counts


def _story_index(db, settings: Settings, earliest: str) -> StoryIndex:
    """Stories of the last `window_days` before the earliest new article, rebuilt from SQLite."""
    since = datetime.fromisoformat(earliest) - timedelta(days=settings.dedupe.window_days)
    index = StoryIndex(settings.dedupe)
    for row in store.recent_signatures(db, store.to_iso(since)):
        index.add(str(row["id"]), row["story_id"], row["signature"], row["text"])
    return index


def run_detect(db, settings: Settings, run_id: int, now: datetime, detector=None) -> dict:
    from clipper.detect import Detector

    detector = detector or Detector(settings.entities)
    counts = {"articles": 0, "mentions": 0}
    at = store.to_iso(now)
    for article in list(store.pending_detection(db)):
        found = detector.find_in_article(article["title"] or "", article["text"] or "")
        rows = [_mention_row(article["id"], m) for m in found]
        store.save_mentions(db, article["id"], rows, at)
        counts["articles"] += 1
        counts["mentions"] += len(rows)
    return counts


def _mention_row(article_id: int, mention) -> dict:
    return {
        "article_id": article_id, "entity": mention.entity, "text": mention.text,
        "start": mention.start, "end": mention.end, "sentence": mention.sentence,
        "sentence_start": mention.sentence_start, "position": mention.position,
        "lang": mention.lang,
    }


def run_tone(db, settings: Settings, run_id: int, now: datetime, model=None) -> dict:
    from clipper.tone import load_model

    pending = store.pending_tone(db)
    if not pending:
        return {"mentions": 0}
    model = model or load_model()
    results = model.classify_many(
        [(row["sentence"], row["rel_start"], row["rel_end"], row["lang"]) for row in pending]
    )
    store.save_tones(db, [
        {"id": row["id"], "tone": result.label, "tone_score": result.score,
         "tone_cues": list(result.cues), "tone_kind": result.source}
        for row, result in zip(pending, results, strict=True)
    ])
    return {"mentions": len(pending)}
