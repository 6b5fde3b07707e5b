"""Database runners of the dedupe, detect and tone stages.

Each takes only the rows its stage has not processed yet, calls the stage's
pure core, and writes each item in its own transaction.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from datetime import datetime, timedelta

from clipper import store, workers
from clipper.config import Settings
from clipper.dedupe import StoryIndex, shingle_hashes
from clipper.storylines.signals import numbers


def run_dedupe(db, settings: Settings, run_id: int, now: datetime) -> dict:
    counts = {"new_stories": 0, "joined_stories": 0}
    index = None
    for batch in store.pending_dedupe(db):
        if index is None:
            index = _story_index(db, settings, batch[0]["published_at"])
        with db.conn:
            for article in batch:
                joined = _group(db, settings, index, article)
                counts["joined_stories" if joined else "new_stories"] += 1
    return counts


def _group(db, settings: Settings, index: StoryIndex, article: dict) -> bool:
    """Put one article in its story; whether it joined an existing one."""
    text = article["text"] or article["title"] or ""
    hashes = shingle_hashes(text, settings.dedupe.shingle_size)
    sketch = index.sketch(hashes)
    published = article["published_at"]
    if published:
        index.forget_before(_window_start(settings, published))
    twin = store.article_by_hash(db, article["content_hash"], article["id"])
    story_id = twin["story_id"] if twin else _linked_story(db, article) or \
        index.match(sketch, hashes, published, functools.cache(lambda: numbers(text)))
    new_id = store.assign_story(db, article, story_id)
    index.add(str(article["id"]), new_id, sketch, hashes, published)
    return story_id is not None


def _linked_story(db, article: dict) -> int | None:
    """A post and the news article it links are one story, whichever came first."""
    links = json.loads(article["links"]) if article.get("links") else []
    return store.story_of_urls(db, links) or store.story_linking_to(db, article["canonical_url"])


def _window_start(settings: Settings, published: str) -> str:
    since = datetime.fromisoformat(published) - timedelta(days=settings.dedupe.window_days)
    return store.to_iso(since)


def _story_index(db, settings: Settings, earliest: str | None) -> StoryIndex:
    """Stories of the last `window_days` before the earliest new article, rebuilt from SQLite."""
    index = StoryIndex(settings.dedupe, lambda key: numbers(store.article_text(db, int(key))))
    since = _window_start(settings, earliest) if earliest else ""
    for row in store.recent_story_articles(db, since):
        hashes = shingle_hashes(row["text"] or row["title"] or "", settings.dedupe.shingle_size)
        index.add(str(row["id"]), row["story_id"], index.sketch(hashes), hashes,
                  row["published_at"])
    return index


DETECT_CHUNK = 32  # articles a worker reads at once
DETECT_BATCH = 16  # chunks handed out at a time; their mentions judged together here
DETECT_CHUNKS_IN_PROCESS = 2  # fewer chunks are read here: a worker's start costs more


def detect_pool(settings: Settings, detector=None,
                in_process_below: int = DETECT_CHUNKS_IN_PROCESS):
    """The detection's workers, each with its detector built once; fewer chunks than
    `in_process_below` are read in this process. The workers find the mentions; their
    tone is judged by the caller (`Judge`), so the tone model is loaded once, not in
    every worker (a third of a gigabyte each)."""
    return workers.pool(1 if detector else settings.fetch.workers, _set_up_detector,
                        (detector, settings.entities, settings.country), in_process_below)


class Judge:
    """The tone of mentions, judged in this process by one model, loaded at the first
    mention: ONNX Runtime runs the encoder on every core here, where each worker
    would hold a copy of its own. The model is this judge's own (not `load_model`'s
    copy, kept for the process's life): it goes when the judge does, before the
    storylines load the encoder's other half (`workers.give_back_memory`). A judge
    `later` leaves the mentions without a tone for the tone stage, which judges them
    once the workers of the extraction and detection are gone: the model never holds
    memory beside them."""

    def __init__(self, model=None, later: bool = False):
        self.model, self.later = model, later

    def __call__(self, mentions: list) -> list:
        if self.later:
            return [None] * len(mentions)
        return self.classify([(m.sentence, m.start - m.sentence_start,
                               m.end - m.sentence_start, m.lang) for m in mentions])

    def classify(self, items: list[tuple]) -> list:
        """(sentence, start, end, lang) each."""
        if not items:
            return []
        if self.model is None:
            from clipper.tone.model import ToneModel

            self.model = ToneModel.load()
        return self.model.classify_many(items)


def run_detect(db, settings: Settings, run_id: int, now: datetime, detector=None,
               model=None, pool=None, judge: Judge | None = None) -> dict:
    """Mentions of each pending article, with their tone: the mentions a batch of
    workers found are judged at once, which spares the tone stage a pass of its own."""
    if pool is None:
        with detect_pool(settings, detector) as own:
            return run_detect(db, settings, run_id, now, pool=own, judge=judge or Judge(model))
    judge = judge or Judge(model)
    counts = Counter(articles=0, mentions=0)
    texts = ((a["id"], a["title"] or "", a["text"] or "", a["lang"])
             for a in store.pending_detection(db))
    for articles, found in pool.map_chunks(_detect_job, texts, DETECT_CHUNK, DETECT_BATCH):
        counts.update(save_detected(db, [a[0] for a in articles], found, judge, now))
    return dict(counts)


def save_detected(db, article_ids: list[int], found: list[list], judge: Judge,
                  now: datetime) -> dict:
    """Each article's mentions, their tone judged at once (or left to the tone stage)."""
    tones = iter(judge([m for mentions in found for m in mentions]))
    at = store.to_iso(now)
    for article_id, mentions in zip(article_ids, found, strict=True):
        rows = [_mention_row(article_id, m, next(tones)) for m in mentions]
        store.save_mentions(db, article_id, rows, at)
    return {"articles": len(article_ids), "mentions": sum(map(len, found))}


def extract_and_detect(job: tuple, tz, max_chars: int) -> tuple[dict, list]:
    """A page read (`extract.extraction`) and its mentions found at once, in a worker
    whose detector is set up (`detect_pool`): the text is not read back from the
    database and handed out a second time."""
    from clipper.extract import extraction

    changes = store.nfc(extraction(job, tz, max_chars))  # as the database will hold it
    title = changes.get("title", job[0]["title"]) or ""
    return changes, _detector.find_in_article(title, changes["text"], changes["lang"])


_detector = None  # each worker process's own, built once by _set_up_detector


def _set_up_detector(detector, entities, country="KZ") -> None:
    from clipper.detect import Detector

    global _detector
    _detector = detector or Detector(entities, country)


def _detect_job(articles: list[tuple[int, str, str, str | None]]) -> list[list]:
    """Each article's mentions."""
    return [_detector.find_in_article(title, text, lang) for _, title, text, lang in articles]


def _mention_row(article_id: int, mention, tone) -> dict:
    return {
        "article_id": article_id, "entity": mention.entity, "text": mention.text,
        "start": mention.start, "end": mention.end, "sentence": mention.sentence,
        "sentence_start": mention.sentence_start, "position": mention.position,
        "lang": mention.lang, **_tone_columns(tone),
    }


def _tone_columns(tone) -> dict:
    if tone is None:  # judged by the tone stage
        return dict.fromkeys(("tone", "tone_score", "tone_cues", "tone_source", "tone_kind"))
    return {"tone": tone.label, "tone_score": tone.score,
            "tone_cues": json.dumps(list(tone.cues), ensure_ascii=False),
            "tone_source": "model", "tone_kind": tone.source}


def run_tone(db, settings: Settings, run_id: int, now: datetime, model=None) -> dict:
    """Mentions without a tone: those the detection left to this stage (judged here, by
    one model on every core, once the night's workers are gone), and those whose tone
    was cleared to be judged again (after the model changed)."""
    counts = {"mentions": 0}
    judge = Judge(model)
    items = ((row["id"], row["sentence"], row["rel_start"], row["rel_end"], row["lang"])
             for row in store.pending_tone(db))
    for batch in workers.batches(items, TONE_CHUNK * TONE_BATCH):
        judged = judge.classify([item[1:] for item in batch])
        store.save_tones(db, [{"id": item[0], **_tone_columns(result)}
                              for item, result in zip(batch, judged, strict=True)])
        counts["mentions"] += len(batch)
    return counts


TONE_CHUNK = 64  # mentions judged in one batched pass of the encoder
TONE_BATCH = 16  # chunks read and written together
TONE_CHUNKS_IN_PROCESS = 4  # fewer chunks are judged here: a worker's start costs more
_model = None  # each worker process's own, loaded once by _set_up_tone


def _set_up_tone(model) -> None:
    from clipper.tone import load_model

    global _model
    _model = model or load_model()


def _tone_job(chunk: list[tuple]) -> list:
    return _model.classify_many([item[1:] for item in chunk])
