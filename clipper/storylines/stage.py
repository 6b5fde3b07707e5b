"""The storylines stage: each new article into the storyline it continues.

Only what the digest needs is embedded: an article that mentions a watched
entity, when its reprint group has no storyline yet; its reprints follow it.
Vectors are kept in `article_vectors`, so a later night compares new articles
with the active storylines without reading them with the encoder again.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import numpy as np

from clipper import store
from clipper.config import Settings
from clipper.storylines.group import Grouper
from clipper.storylines.model import Item, PairModel
from clipper.storylines.signals import lead, signals

CHUNK = 512  # articles read, embedded and written at a time (a night's few dozen
              # articles to embed among them go to the encoder together)
BATCH = 16  # leads the encoder reads at once, of similar length (less padding)


def run(db, settings: Settings, run_id: int, now: datetime) -> dict:
    counts = Counter()
    if not settings.storylines.enabled:
        return counts
    pending = store.pending_storylines(db)
    grouper = None
    for start in range(0, len(pending), CHUNK):
        articles = store.storyline_articles(db, pending[start:start + CHUNK])
        grouper = grouper or _grouper(db, settings, articles[0]["published_at"])
        _place(db, grouper, articles, store.to_iso(now), counts)
    return dict(counts)


def _grouper(db, settings: Settings, earliest: str) -> Grouper:
    """The storylines still open when the earliest new article came out."""
    active = settings.storylines.active_days
    grouper = Grouper(PairModel.load(), active, lambda: store.new_storyline(db))
    grouper.pinned = store.pinned_articles(db)
    since = store.to_iso(datetime.fromisoformat(earliest) - timedelta(days=active))
    rows = store.active_storyline_articles(db, since)
    entities = store.entities_of(db, [row["id"] for row in rows]) if rows else {}
    for row in rows:
        vector = np.frombuffer(row["vector"], dtype=np.float16).astype(np.float32)
        grouper.seed(row["storyline_id"], _item(row, vector, entities))
    grouper.settle()
    return grouper


def _place(db, grouper: Grouper, articles: list[dict], at: str, counts: Counter) -> None:
    # one article a reprint group: the others of the chunk follow it into its storyline
    known = store.storylines_of_stories(db, [a["story_id"] for a in articles])
    first_of_group = {}
    for article in articles:
        if article["mention_count"]:
            first_of_group.setdefault(article["story_id"], article)
    needed = [a for a in first_of_group.values() if a["story_id"] not in known]
    vectors = _vectors(needed)
    entities = store.entities_of(db, list(vectors)) if vectors else {}
    touched = set()
    with db.conn:
        for article in articles:
            storyline_id = known.get(article["story_id"])
            if storyline_id is not None:
                counts["followed_their_reprints"] += 1
            elif article["id"] in vectors:
                item = _item(article, vectors[article["id"]], entities)
                storyline_id, chance = grouper.add(item)
                counts["new_storylines" if not chance else "joined_storylines"] += 1
                suggested = grouper.suggested(storyline_id)
                if suggested:
                    store.suggest_storylines(db, article["id"], suggested)
                    counts["articles_near_another_storyline"] += 1
                store.save_vector(db, article["id"],
                                  vectors[article["id"]].astype(np.float16).tobytes())
                known[article["story_id"]] = storyline_id
            if storyline_id is not None:
                store.place_in_storyline(db, article, storyline_id)
                touched.add(storyline_id)
        for article_id, old, into in grouper.moved:  # a retelling of a series' next release
            store.move_to_storyline(db, article_id, into)
            touched.update((old, into))
            counts["retellings_moved_to_their_release"] += 1
        grouper.moved.clear()
        for _, old, into in grouper.absorbed:  # a first report found once followed
            store.merge_storyline(db, old, into)
            touched.add(into)
            counts["first_reports_found_later"] += 1
        grouper.absorbed.clear()
        for old, into in grouper.linked:  # two sides of one developing issue
            store.merge_storyline(db, old, into)
            touched.add(into)
            counts["storylines_linked_into_one_issue"] += 1
        grouper.linked.clear()
        store.refresh_storylines(db, touched)
        store.mark_storylined(db, [article["id"] for article in articles], at)


def _vectors(articles: list[dict]) -> dict[int, np.ndarray]:
    """Each article's vector of its title and lead."""
    from clipper.encoder import load_encoder

    leads = sorted(((lead(a["title"], a["text"]), a["id"]) for a in articles),
                   key=lambda pair: len(pair[0]))
    vectors = {}
    for start in range(0, len(leads), BATCH):
        batch = leads[start:start + BATCH]
        found = load_encoder().passages([text for text, _ in batch], limit=128)
        vectors.update(zip([article_id for _, article_id in batch], found, strict=True))
    return vectors


def _item(row: dict, vector: np.ndarray, entities: dict) -> Item:
    text = f"{row['title'] or ''}\n{row['text'] or ''}"
    return Item(row["id"], datetime.fromisoformat(row["published_at"]), row["lang"], vector,
                signals(text, row["title"] or ""), entities.get(row["id"], frozenset()))
