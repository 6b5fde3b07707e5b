"""The SQLite store: schema, migrations, and every query clipper makes.

Only this module speaks SQL. Times are stored as UTC ISO-8601 strings
(`2026-11-22T04:15:00+00:00`), so text comparison orders them.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from clipper.errors import FatalError

migrations = Migrations("clipper")
BUSY_TIMEOUT = 30.0  # seconds to wait for another program's write lock
TEXT_FIELDS = ("title", "summary", "text", "author")  # what people read and search


@migrations()
def create_tables(db: sqlite_utils.Database) -> None:
    db["sources"].create(
        {"id": str, "name": str, "url": str, "lang": str, "kind": str, "weight": float,
         "etag": str, "last_modified": str, "last_attempt_at": str, "last_success_at": str,
         "failing_since": str, "consecutive_failures": int, "last_error": str},
        pk="id", defaults={"consecutive_failures": 0},
    )
    db["fetches"].create(
        {"id": int, "run_id": int, "source_id": str, "url": str, "what": str, "status": int,
         "outcome": str, "bytes": int, "elapsed_ms": int, "error": str, "at": str},
        pk="id",
    )
    db["fetches"].create_index(["source_id", "at"])
    db["articles"].create(
        {"id": int, "url": str, "canonical_url": str, "source_id": str, "media_kind": str,
         "title": str, "summary": str, "text": str, "author": str, "lang": str,
         "published_at": str, "date_source": str, "fetched_at": str,
         "page_status": str, "extraction": str, "content_hash": str,
         "story_id": int, "detected_at": str, "mention_count": int},
        pk="id",
    )
    db["articles"].create_index(["canonical_url"], unique=True)
    db["articles"].create_index(["published_at"])
    db["articles"].create_index(["story_id"])
    db["articles"].create_index(["content_hash"])
    db["pages"].create(
        {"article_id": int, "html": bytes, "encoding": str, "status": int}, pk="article_id"
    )
    db["stories"].create(
        {"id": int, "first_article_id": int, "first_source_id": str, "first_published_at": str,
         "headline": str, "size": int, "outlets": int},
        pk="id",
    )
    db["mentions"].create(
        {"id": int, "article_id": int, "entity": str, "text": str, "start": int, "end": int,
         "sentence": str, "sentence_start": int, "position": str, "lang": str,
         "tone": str, "tone_score": float, "tone_cues": str, "tone_source": str,
         "tone_kind": str},
        pk="id",
    )
    db["mentions"].create_index(["article_id"])
    db["mentions"].create_index(["entity"])
    db["runs"].create(
        {"id": int, "started_at": str, "finished_at": str, "period": str, "date": str,
         "outcome": str, "timings": str, "counts": str},
        pk="id",
    )
    db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61")
    db["corrections"].create(
        {"id": int, "target": str, "target_id": int, "label": str, "note": str, "who": str,
         "at": str},
        pk="id",
    )
    db["corrections"].create_index(["target", "target_id"])


@migrations()
def add_deliveries(db: sqlite_utils.Database) -> None:
    db["deliveries"].create(
        {"id": int, "name": str, "files": str, "subject": str, "body": str, "recipients": str,
         "created_at": str, "attempts": int, "sent_at": str, "last_error": str},
        pk="id", defaults={"attempts": 0},
    )
    db["deliveries"].create_index(["name"], unique=True)


@migrations()
def reindex_text_only_when_it_changes(db: sqlite_utils.Database) -> None:
    # The full-text index was rewritten on every update of an article (its story,
    # its detection time), re-tokenising the whole text each time.
    db.execute("drop trigger if exists articles_au")
    db.execute("""
        create trigger articles_au after update of title, text on articles begin
          insert into articles_fts (articles_fts, rowid, title, text)
            values ('delete', old.rowid, old.title, old.text);
          insert into articles_fts (rowid, title, text) values (new.rowid, new.title, new.text);
        end""")


@migrations()
def add_story_spread(db: sqlite_utils.Database) -> None:
    # Who followed each story's first publisher, and how many minutes later.
    db.create_view("story_spread", """
        select s.id as story_id, s.headline, s.first_source_id, s.first_published_at,
               a.id as article_id, a.source_id, a.published_at, a.url,
               round((julianday(a.published_at) - julianday(s.first_published_at)) * 1440)
                 as minutes_after_first
        from stories s join articles a on a.story_id = s.id
        order by s.id, a.published_at, a.id""")


@migrations()
def add_post_fields(db: sqlite_utils.Database) -> None:
    db["articles"].add_column("views", int)
    db["articles"].add_column("forwarded_from", str)
    db["articles"].add_column("links", str)  # JSON list of outside links in a post


@migrations()
def index_posts_with_links(db: sqlite_utils.Database) -> None:
    # Few articles carry links (channel posts): finding the post that links a page
    # must not read every article.
    db.execute("create index if not exists articles_with_links on articles (published_at) "
               "where links is not null")


@migrations()
def forget_signatures(db: sqlite_utils.Database) -> None:
    # MinHash signatures are recomputed from the text when the story index is built
    # (cheaper than storing 1 KB per article); databases that stored them free the space.
    if "signature" in db["articles"].columns_dict:
        db.execute("update articles set signature = null")


@migrations()
def record_send_attempts(db: sqlite_utils.Database) -> None:
    # A send is recorded before it starts: a run killed while sending must not send twice.
    db["deliveries"].add_column("sending_at", str)


@migrations()
def add_storylines(db: sqlite_utils.Database) -> None:
    # One event across outlets, days and languages, above the reprint groups; the
    # encoder's vector of each storyline's articles is kept for the next nights.
    db["storylines"].create(
        {"id": int, "first_article_id": int, "first_source_id": str,
         "first_published_at": str, "last_published_at": str, "headline": str,
         "size": int, "outlets": int, "languages": str},
        pk="id",
    )
    db["storylines"].create_index(["last_published_at"])
    db["articles"].add_column("storyline_id", int)
    db["articles"].add_column("storylined_at", str)
    db.execute("create index if not exists articles_storyline on articles (storyline_id)")
    db.execute("create index if not exists articles_storyline_pending on articles "
               "(published_at) where storylined_at is null")
    db["article_vectors"].create({"article_id": int, "vector": bytes}, pk="article_id")


@migrations()
def add_last_outcome(db: sqlite_utils.Database) -> None:
    # The kind of a source's last failure, so source health can tell a feed that does
    # not answer from one that answers with nothing usable; failing sources take it
    # from their last feed fetch.
    db["sources"].add_column("last_outcome", str)
    db.execute("update sources set last_outcome = (select outcome from fetches f "
               "where f.source_id = sources.id and f.what = 'feed' order by f.id desc limit 1) "
               "where consecutive_failures > 0")


@migrations()
def index_pending_articles(db: sqlite_utils.Database) -> None:
    # The extraction beside the fetch looks for newly fetched pages every moment, and
    # the detection for newly read articles: neither must read a year of history.
    db.execute("create index if not exists articles_extraction_pending on articles (id) "
               "where extraction is null")
    db.execute("create index if not exists articles_detection_pending on articles (id) "
               "where detected_at is null")


@migrations()
def record_storyline_merges(db: sqlite_utils.Database) -> None:
    # A storyline merged into another (its first report found later, two sides of one
    # issue linked) leaves its id: an alert sent for it stands for the one it joined.
    db["storyline_merges"].create({"old_id": int, "into_id": int, "at": str}, pk="old_id")
    db["storyline_merges"].create_index(["into_id"])


@migrations()
def record_storyline_corrections(db: sqlite_utils.Database) -> None:
    # A press officer's word on which storyline an article (and its reprints) belongs
    # to: applied at once, and the grouping never moves those articles again.
    db["storyline_corrections"].create(
        {"id": int, "article_id": int, "from_id": int, "into_id": int, "note": str,
         "who": str, "at": str}, pk="id")
    db["storyline_corrections"].create_index(["article_id"])


@migrations()
def record_storyline_suggestions(db: sqlite_utils.Database) -> None:
    # A storyline an article came near without joining it: perhaps the same event, for
    # a press officer to look at (`clipper browse`, "perhaps one storyline").
    db["storyline_suggestions"].create(
        {"article_id": int, "storyline_id": int, "chance": float},
        pk=("article_id", "storyline_id"))


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating and migrating as needed) the database at `path`."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, check_same_thread=False)
        db = sqlite_utils.Database(conn)
        db.enable_wal()
        db.execute("PRAGMA foreign_keys = ON")
        migrations.apply(db)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise FatalError(f"{path}: cannot open the database: {exc}") from None
    return db


def path_of(db: sqlite_utils.Database) -> str:
    """The file behind a connection, for a second connection to the same database."""
    return db.execute("pragma database_list").fetchone()[2]


def backup(db: sqlite_utils.Database, target: str | Path) -> None:
    """Copy the database page by page with SQLite's online backup: safe while it is in use."""
    copy_database(db.conn, target)


def restore(source: str | Path, target: str | Path) -> None:
    """Replace the database at `target` with the backup at `source`, checked first."""
    source = Path(source)
    if not source.is_file():
        raise FatalError(f"{source}: no such backup")
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as conn:
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise FatalError(f"{source}: not a clipper backup: {exc}") from None
        if verdict != "ok":
            raise FatalError(f"{source}: the backup is damaged: {verdict}")
        copy_database(conn, target)


def copy_database(conn: sqlite3.Connection, target: str | Path) -> None:
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    destination = sqlite3.connect(str(target))
    try:
        conn.backup(destination)
    finally:
        destination.close()


def queued_any(db, names: list[str]) -> bool:
    """Whether a delivery of any of these names has been queued."""
    marks = ", ".join("?" * len(names))
    return bool(names) and db.execute(
        f"select 1 from deliveries where name in ({marks}) limit 1", names).fetchone() is not None


def queue_delivery(db, row: dict) -> bool:
    """A digest to e-mail; the same name is queued once (a rerun does not send twice).
    Whether it was new."""
    with db.conn:
        before = db["deliveries"].count
        db["deliveries"].insert({**row, "created_at": utc_now()}, ignore=True)
        return db["deliveries"].count > before


def pending_deliveries(db) -> list[dict]:
    """Deliveries to send: never sent, and no send of theirs was cut off midway."""
    return list(db.query("select * from deliveries where sent_at is null "
                         "and sending_at is null order by id"))


def interrupted_deliveries(db) -> list[dict]:
    """Sends a killed run began and never finished: they may have arrived."""
    return list(db.query("select * from deliveries where sent_at is null "
                         "and sending_at is not null order by id"))


def delivery_starts(db, delivery_id: int) -> None:
    with db.conn:
        db["deliveries"].update(delivery_id, {"sending_at": utc_now()})


def delivery_outcome(db, delivery_id: int, error: str | None) -> None:
    """A refused send is tried again by the next run; a sent one never again."""
    changes = ({"last_error": error, "sending_at": None} if error
               else {"sent_at": utc_now(), "last_error": None})
    with db.conn:
        db.execute("update deliveries set attempts = attempts + 1 where id = ?", [delivery_id])
        db["deliveries"].update(delivery_id, changes)


def utc_now() -> str:
    return to_iso(datetime.now(UTC))


def to_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


# ---- sources and fetches -------------------------------------------------


def sync_sources(db, sources: Iterable) -> None:
    """Make the `sources` table list the configured sources, keeping their state."""
    for source in sources:
        db["sources"].upsert(
            {"id": source.id, "name": source.name, "url": source.url, "lang": source.lang,
             "kind": source.kind, "weight": source.weight},
            pk="id",
        )


def ensure_source(db, source_id: str, name: str, kind: str) -> None:
    """A source that is not fetched (an imported newspaper or channel), once."""
    with db.conn:
        db["sources"].insert({"id": source_id, "name": name, "kind": kind, "url": "",
                              "weight": 1.0}, pk="id", ignore=True)


def source_state(db, source_id: str) -> dict:
    return db["sources"].get(source_id)


def record_fetch(db, row: dict) -> None:
    with db.conn:
        db["fetches"].insert(row)


def record_source_outcome(db, source_id: str, ok: bool, at: str, error: str = "",
                          etag: str | None = None, last_modified: str | None = None,
                          outcome: str | None = None) -> None:
    """A source's last attempt; on failure, `outcome` names the kind (timeout, network,
    http_error, too_large, refused, parse, no_items, no_links…) and `error` says it.
    One statement that reads nothing first: safe inside a feed's transaction."""
    if not ok:
        db.execute("update sources set last_attempt_at = ?1, last_error = ?2, "
                   "last_outcome = ?3, "
                   "consecutive_failures = coalesce(consecutive_failures, 0) + 1, "
                   "failing_since = coalesce(failing_since, ?1) where id = ?4",
                   [at, error, outcome, source_id])
        return
    changes = {"last_attempt_at": at, "last_success_at": at, "consecutive_failures": 0,
               "failing_since": None, "last_error": None, "last_outcome": None}
    if etag is not None or last_modified is not None:
        changes.update(etag=etag, last_modified=last_modified)
    columns = ", ".join(f"[{name}] = ?" for name in changes)
    db.execute(f"update sources set {columns} where id = ?", [*changes.values(), source_id])


def record_feed_success(db, source_id: str, rows: list[dict], at: str,
                        etag: str | None = None, last_modified: str | None = None) -> int:
    """A feed's new items and its success, in one transaction; how many were new.

    The validators and the time of the last success are what the next run asks by
    (a conditional GET, a sitemap read since then): saved apart from the items, a
    crash between them would hide the unsaved items from every later run.
    """
    with writing(db):
        new = sum(_insert_new(db, row) for row in rows)
        record_source_outcome(db, source_id, ok=True, at=at, etag=etag,
                              last_modified=last_modified)
    return new


def nfc(row: dict) -> dict:
    """An article's text in one Unicode form (NFC), whatever its source wrote: a "й"
    or "ё" typed as a letter and a combining mark would hide a name from the mention
    search and the full-text index. Every article's text comes in through here."""
    return {key: unicodedata.normalize("NFC", value)
            if key in TEXT_FIELDS and isinstance(value, str) else value
            for key, value in row.items()}


def _insert_new(db, row: dict) -> bool:
    try:
        db["articles"].insert(nfc(row))  # in a savepoint of its own: a duplicate spoils nothing
        return True
    except sqlite3.IntegrityError:
        return False


@contextmanager
def writing(db):
    """A transaction that takes the write lock at its start, waiting its turn as long
    as the busy timeout allows. One that reads before it writes fails at once with
    "database is locked" if another connection (the extraction beside the fetch)
    committed in between: SQLite cannot move its snapshot forward."""
    db.conn.execute("begin immediate")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    db.conn.execute("commit")


def known_urls(db, urls: Iterable[str]) -> set[str]:
    urls = list(urls)
    found = set()
    for start in range(0, len(urls), 500):
        chunk = urls[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"select canonical_url from articles where canonical_url in ({marks})", chunk
        )
        found.update(row[0] for row in rows)
    return found


def insert_listed_article(db, row: dict) -> int | None:
    """Store an item seen in a feed; None when its canonical URL is already stored."""
    try:
        with db.conn:
            return db["articles"].insert(nfc(row)).last_pk
    except sqlite3.IntegrityError:
        return None


def pending_pages(db) -> list[dict]:
    return list(db.query(
        "select id, url, source_id from articles where page_status = 'pending' order by id"
    ))


PAGE_LEVEL = 1  # zlib's fastest: a 147 KB page to a fifth in 0.7 ms of the fetch's process,
               # where the default level took 2 ms for a sixth


def save_page(db, article_id: int, status: str, html: bytes | None = None,
              encoding: str = "", http_status: int | None = None) -> None:
    with db.conn:
        if html is not None:
            db["pages"].upsert(
                {"article_id": article_id, "html": zlib.compress(html, PAGE_LEVEL),
                 "encoding": encoding, "status": http_status},
                pk="article_id",
            )
        db["articles"].update(article_id, {"page_status": status})


def page_html(db, article_id: int) -> str | None:
    packed = packed_page(db, article_id)
    return unpack_page(packed) if packed is not None else None


def packed_page(db, article_id: int) -> bytes | None:
    """The page as stored, compressed (a fifth of its size or less): what the
    extraction hands its workers, which unpack it (`unpack_page`)."""
    row = db.execute("select html from pages where article_id = ?", [article_id]).fetchone()
    return row[0] if row else None


def unpack_page(packed: bytes) -> str:
    return zlib.decompress(packed).decode("utf-8")


# ---- extract, dedupe, detect, tone ---------------------------------------


def pending_extraction(db, batch: int = 500) -> Iterator[dict]:
    """Pages fetched and not yet extracted; the extraction beside the fetch writes while
    the fetch writes from another connection."""
    return _in_batches(db, "select * from articles where extraction is null "
                           "and page_status != 'pending' and id > ? order by id limit ?", batch)


def save_extraction(db, article_id: int, changes: dict) -> None:
    """The caller holds the transaction (one per batch of pages)."""
    changes = nfc(changes)
    columns = ", ".join(f"[{name}] = ?" for name in changes)
    db.execute(f"update articles set {columns} where id = ?", [*changes.values(), article_id])


def pending_dedupe(db, batch: int = 500) -> Iterator[list[dict]]:
    """Articles without a story, oldest first, a batch at a time: a large backlog is
    never all in memory, and each batch's stories are committed before the next."""
    after = ("", 0)
    while True:
        rows = list(db.query(
            "select id, source_id, title, text, content_hash, published_at, links, "
            "canonical_url from articles "
            "where story_id is null and extraction is not null "
            "and (coalesce(published_at, ''), id) > (?, ?) "
            "order by coalesce(published_at, ''), id limit ?", [*after, batch]))
        if rows:
            yield rows
        if len(rows) < batch:
            return
        after = (rows[-1]["published_at"] or "", rows[-1]["id"])


def story_of_urls(db, canonical_urls: list[str]) -> int | None:
    """The story of the first of these pages that is an article clipper has grouped."""
    if not canonical_urls:
        return None
    marks = ",".join("?" * len(canonical_urls))
    row = db.execute(f"select story_id from articles where canonical_url in ({marks}) "
                     "and story_id is not null order by published_at limit 1",
                     canonical_urls).fetchone()
    return row[0] if row else None


LINKING_POST = ("select story_id from articles where story_id is not null and links is not "
                "null and exists (select 1 from json_each(links) where value = ?) "
                "order by published_at limit 1")


def story_linking_to(db, canonical: str) -> int | None:
    """The story of the earliest grouped post that links this page."""
    row = db.execute(LINKING_POST, [canonical]).fetchone()
    return row[0] if row else None


def article_text(db, article_id: int) -> str:
    """The article's text, or its title where it has none."""
    row = db.execute("select text, title from articles where id = ?", [article_id]).fetchone()
    return (row[0] or row[1] or "") if row else ""


def article_by_hash(db, content_hash: str, exclude_id: int) -> dict | None:
    rows = db.query(
        "select id, story_id from articles where content_hash = ? and id != ? "
        "and story_id is not null limit 1",
        [content_hash, exclude_id],
    )
    return next(iter(rows), None)


def recent_story_articles(db, since: str) -> Iterator[dict]:
    return db.query(
        "select id, story_id, title, text, published_at from articles "
        "where story_id is not null and published_at >= ? "
        "order by published_at, id",
        [since],
    )


def recent_articles(db, since: str) -> Iterator[dict]:
    """Articles published (or, without a date, fetched) since `since`: `mentions suggest`."""
    return db.query(
        "select id, title, text, lang from articles "
        "where coalesce(published_at, fetched_at) >= ? order by id",
        [since],
    )


def assign_story(db, article: dict, story_id: int | None) -> int:
    """Put the article in a story (a new one when story_id is None); return the story id.
    The caller holds the transaction."""
    if story_id is None:
        story_id = db.execute(
            "insert into stories (first_article_id, first_source_id, first_published_at, "
            "headline, size, outlets) values (?, ?, ?, ?, 1, 1)",
            [article["id"], article["source_id"], article["published_at"], article["title"]],
        ).lastrowid
    db.execute("update articles set story_id = ? where id = ?", [story_id, article["id"]])
    _refresh_story(db, story_id)
    return story_id


def _refresh_story(db, story_id: int) -> None:
    db.execute(
        "update stories set (first_article_id, first_source_id, first_published_at, headline) = "
        "(select id, source_id, published_at, title from articles where story_id = ?1 "
        " order by published_at, id limit 1), "
        "(size, outlets) = (select count(*), count(distinct source_id) from articles "
        " where story_id = ?1) where id = ?1", [story_id])


def pending_detection(db, batch: int = 500) -> Iterator[dict]:
    """Articles not yet searched for mentions; the dedupe writes beside the detection
    from another connection."""
    return _in_batches(db, "select id, title, text, lang from articles where detected_at is null "
                           "and extraction is not null and id > ? order by id limit ?", batch)


def _in_batches(db, sql: str, batch: int) -> Iterator[dict]:
    """Rows of `sql` (ending in "id > ? order by id limit ?"), each batch read whole, so
    that no read stays open while the caller writes: a read left open across another
    connection's commit makes this connection's next write fail at once with "database
    is locked", whatever the busy timeout (SQLite cannot move a stale read forward)."""
    after = 0
    while rows := list(db.query(sql, [after, batch])):
        yield from rows
        after = rows[-1]["id"]


def save_mentions(db, article_id: int, mentions: list[dict], at: str) -> None:
    with db.conn:
        db.execute("delete from mentions where article_id = ?", [article_id])
        if mentions:
            db["mentions"].insert_all(mentions)
        db["articles"].update(article_id, {"detected_at": at, "mention_count": len(mentions)})


def pending_tone(db, batch: int = 500) -> Iterator[dict]:
    """Mentions without a tone; an analyst's `clipper tone set` may write meanwhile."""
    return _in_batches(db, "select id, entity, sentence, start - sentence_start as rel_start, "
                           "end - sentence_start as rel_end, lang from mentions "
                           "where tone is null and id > ? order by id limit ?", batch)


def clear_model_tones(db) -> None:
    """Leave every mention to be judged again; corrections live apart and still win."""
    with db.conn:
        db.execute("update mentions set tone = null where tone_source = 'model' "
                   "or tone_source is null")


def save_tones(db, rows: list[dict]) -> None:
    """Rows of a mention's id and its tone columns."""
    with db.conn:
        for row in rows:
            db["mentions"].update(row["id"], {k: v for k, v in row.items() if k != "id"})


# ---- storylines -------------------------------------------------------------

STORYLINE_ARTICLE = ("select a.id, a.story_id, a.storyline_id, a.title, "
                     "coalesce(a.text, a.summary, '') as text, "
                     "coalesce(a.lang, s.lang, 'ru') as lang, "
                     "coalesce(a.published_at, a.fetched_at) as published_at, a.mention_count "
                     "from articles a left join sources s on s.id = a.source_id ")


def pending_storylines(db) -> list[int]:
    """Grouped and searched articles not yet placed in a storyline, in the order they
    were published (a storyline's course is read in that order)."""
    return [row[0] for row in db.execute(
        "select id from articles where storylined_at is null and story_id is not null "
        "and detected_at is not null order by published_at, id")]


def storyline_articles(db, ids: list[int]) -> list[dict]:
    marks = ",".join("?" * len(ids))
    return list(db.query(STORYLINE_ARTICLE + f"where a.id in ({marks}) "
                         "order by a.published_at, a.id", ids))


def storylines_of_stories(db, story_ids) -> dict[int, int]:
    """The storyline of each reprint group that has one."""
    ids = list(set(story_ids))
    marks = ",".join("?" * len(ids))
    return dict(db.execute(f"select story_id, max(storyline_id) from articles where story_id "
                           f"in ({marks}) and storyline_id is not null group by story_id", ids))


def entities_of(db, article_ids: list[int]) -> dict[int, frozenset]:
    found: dict[int, set] = {}
    marks = ",".join("?" * len(article_ids))
    for article_id, entity in db.execute(
            f"select article_id, entity from mentions where article_id in ({marks})",
            article_ids):
        found.setdefault(article_id, set()).add(entity)
    return {key: frozenset(value) for key, value in found.items()}


def save_vector(db, article_id: int, vector: bytes) -> None:
    db["article_vectors"].upsert({"article_id": article_id, "vector": vector},
                                 pk="article_id")


def active_storyline_articles(db, since: str) -> list[dict]:
    """The embedded articles of storylines whose latest article is after `since`."""
    return list(db.query(
        STORYLINE_ARTICLE.replace("from articles a", ", v.vector from articles a join "
                                  "article_vectors v on v.article_id = a.id") +
        "where a.storyline_id in (select id from storylines where last_published_at >= ?) "
        "order by a.published_at", [since]))


def new_storyline(db) -> int:
    return db.execute("insert into storylines (size) values (0)").lastrowid


def place_in_storyline(db, article: dict, storyline_id: int) -> None:
    """Put the article, and the rest of its reprint group, in a storyline. The
    storyline's figures wait for `refresh_storylines`."""
    db.execute("update articles set storyline_id = ? where story_id = ? "
               "and storyline_id is null", [storyline_id, article["story_id"]])
    db.execute("update articles set storyline_id = ? where id = ?", [storyline_id, article["id"]])


def suggest_storylines(db, article_id: int, chances: dict[int, float]) -> None:
    db.conn.executemany("insert or replace into storyline_suggestions (article_id, "
                        "storyline_id, chance) values (?, ?, ?)",
                        [(article_id, storyline, round(chance, 3))
                         for storyline, chance in chances.items()])


def mark_storylined(db, article_ids: list[int], at: str) -> None:
    """Articles the storylines stage has seen, placed or not: not read again."""
    marks = ",".join("?" * len(article_ids))
    db.execute(f"update articles set storylined_at = ? where id in ({marks})",
               [at, *article_ids])


def move_to_storyline(db, article_id: int, into: int) -> None:
    """The article, and the rest of its reprint group, move to storyline `into`."""
    db.execute("update articles set storyline_id = ? where story_id = (select story_id "
               "from articles where id = ?)", [into, article_id])
    db.execute("update articles set storyline_id = ? where id = ?", [into, article_id])


def merge_storyline(db, old: int, into: int) -> None:
    """Every article of storyline `old` moves to `into`, and `old` is gone; what was
    said of it (an alert) stands for `into` (`merged_into`)."""
    db.execute("update articles set storyline_id = ? where storyline_id = ?", [into, old])
    db.execute("delete from storylines where id = ?", [old])
    db.execute("update storyline_merges set into_id = ? where into_id = ?", [into, old])
    db.execute("insert or replace into storyline_merges (old_id, into_id, at) "
               "values (?, ?, ?)", [old, into, utc_now()])


def merged_into(db, storyline_id: int) -> list[int]:
    """The storylines that have become part of this one."""
    return [row["old_id"] for row in db.query(
        "select old_id from storyline_merges where into_id = ?", [storyline_id])]


def article_of_mention(db, mention_id: int) -> int:
    row = db.execute("select article_id from mentions where id = ?", [mention_id]).fetchone()
    if row is None:
        raise LookupError(f"no mention with id {mention_id}")
    return row[0]


def storyline_of_article(db, article_id: int) -> int:
    """The storyline an article is in; LookupError naming why it is in none."""
    row = db.execute("select storyline_id from articles where id = ?", [article_id]).fetchone()
    if row is None:
        raise LookupError(f"no article with id {article_id}")
    if row[0] is None:
        raise LookupError(f"article {article_id} is in no storyline (it mentions no "
                          "watched body, or the storylines stage has not run over it)")
    return row[0]


def check_storyline(db, storyline_id: int) -> None:
    """LookupError unless the storyline exists; one merged away names where it went."""
    if db.execute("select 1 from storylines where id = ?", [storyline_id]).fetchone():
        return
    merged = db.execute("select into_id from storyline_merges where old_id = ?",
                        [storyline_id]).fetchone()
    raise LookupError(f"storyline {storyline_id} was merged into storyline {merged[0]}"
                      if merged else f"no storyline with id {storyline_id}")


def correct_storyline(db, article_ids: list[int], into: int | None, note: str,
                      who: str) -> int:
    """Move the articles (each with its reprint group) to storyline `into`, or with
    None to a storyline of their own, as a press officer said; recorded, so that the
    grouping never moves them again (`pinned_articles`). All or nothing (LookupError).
    Returns the storyline they are in."""
    with writing(db):
        return _move_by_hand(db, article_ids, into, note, who, utc_now())


def correct_page(db, tones: list[tuple], moves: list[tuple[int, int | None]],
                 who: str) -> list[int]:
    """A page of corrections in one transaction: the tones (rows as `add_corrections`
    takes them) and the moves ((article, storyline or None), one after the other, each
    "new" one a storyline of its own). All or, when one names no such mention, article
    or storyline (one an earlier move emptied too), none (LookupError). Returns the
    tone corrections' ids."""
    _check_targets(db, tones)
    at = utc_now()
    with writing(db):  # explicit: the workspace's connection commits each statement
        ids = _insert_corrections(db, tones, who, at)
        for article_id, into in moves:
            _move_by_hand(db, [article_id], into, "", who, at)
    return ids


def _move_by_hand(db, article_ids: list[int], into: int | None, note: str, who: str,
                  at: str) -> int:
    """`correct_storyline` inside the caller's transaction: plain statements only
    (sqlite-utils' table methods commit on their own)."""
    sources = {article_id: storyline_of_article(db, article_id) for article_id in article_ids}
    if into is not None:
        check_storyline(db, into)
    into = new_storyline(db) if into is None else into
    for article_id, old in sources.items():
        move_to_storyline(db, article_id, into)
        db.execute("insert into storyline_corrections (article_id, from_id, into_id, note, "
                   "who, at) values (?, ?, ?, ?, ?, ?)",
                   [article_id, old, into, note or None, who, at])
    emptied = {old for old in sources.values() if old != into and not db.execute(
        "select 1 from articles where storyline_id = ?", [old]).fetchone()}
    for old in emptied:  # what was said of it (an alert) stands for `into`
        merge_storyline(db, old, into)
    refresh_storylines(db, (set(sources.values()) - emptied) | {into})
    return into


def storyline_article_ids(db, storyline_id: int) -> list[int]:
    """A storyline's articles, each reprint group once (the one stored first);
    LookupError when there is no such storyline (`check_storyline`)."""
    check_storyline(db, storyline_id)
    return [row[0] for row in db.execute(
        "select min(id) from articles where storyline_id = ? group by coalesce(story_id, -id)",
        [storyline_id])]


def corrected_storylines(db) -> tuple[list[dict], list[dict]]:
    """The storylines a press officer corrected, as they now stand: their grouped
    articles (each reprint group's first, which the grouping compares), in published
    order; and each article moved out of a storyline still there (by its latest
    correction, and not back in it), with that storyline and the note."""
    articles = list(db.query(
        "select a.id, a.story_id, a.storyline_id, a.title, a.text, a.published_at, "
        "coalesce(a.lang, s.lang) as lang, coalesce(s.name, a.source_id) as outlet, "
        "coalesce(a.media_kind, s.kind, 'online') as kind "
        "from articles a join article_vectors v on v.article_id = a.id "
        "left join sources s on s.id = a.source_id where a.storyline_id in "
        "(select into_id from storyline_corrections union select from_id from "
        "storyline_corrections) order by a.published_at, a.id"))
    moved = list(db.query(
        "select c.article_id, b.story_id, c.from_id, c.note from storyline_corrections c "
        "join articles b on b.id = c.article_id where b.storyline_id != c.from_id "
        "and c.from_id in (select id from storylines) and c.id = (select max(id) from "
        "storyline_corrections where article_id = c.article_id) order by c.id"))
    return articles, moved


def pinned_articles(db) -> frozenset[int]:
    """The articles a press officer placed in a storyline, with their reprints."""
    return frozenset(row[0] for row in db.execute(
        "select a.id from articles a where a.story_id in (select b.story_id from "
        "storyline_corrections c join articles b on b.id = c.article_id) or a.id in "
        "(select article_id from storyline_corrections)"))


def refresh_storylines(db, ids) -> None:
    """Each storyline's first article, span, size, outlets and languages, from its articles."""
    for storyline_id in sorted(set(ids)):
        _refresh_storyline(db, storyline_id)


def _refresh_storyline(db, storyline_id: int) -> None:
    db.execute(
        "update storylines set (first_article_id, first_source_id, first_published_at, "
        "headline) = (select id, source_id, published_at, title from articles "
        "where storyline_id = ?1 order by published_at, id limit 1), "
        "(last_published_at, size, outlets, languages) = (select max(a.published_at), "
        "count(*), count(distinct a.source_id), group_concat(distinct coalesce(a.lang, s.lang)) "
        "from articles a left join sources s on s.id = a.source_id where a.storyline_id = ?1) "
        "where id = ?1", [storyline_id])


# ---- runs -----------------------------------------------------------------


def start_run(db, date: str, period: str) -> int:
    """Record a run's start. Runs are one at a time (the lock): a row still `running`
    is a run that was killed (SIGKILL, power), and is closed as crashed."""
    with db.conn:
        db.execute("update runs set outcome = 'crashed', finished_at = ? "
                   "where outcome = 'running'", [utc_now()])
        return db["runs"].insert(
            {"started_at": utc_now(), "date": date, "period": period, "outcome": "running"}
        ).last_pk


def last_finished_day(db) -> str | None:
    """The latest day whose nightly run finished (its digest was written)."""
    row = db.execute("select max(date) from runs where outcome = 'done' and period = 'day' "
                     "and timings like '%\"render\"%'").fetchone()
    return row[0] if row else None


def finish_run(db, run_id: int, outcome: str, timings: dict, counts: dict) -> None:
    with db.conn:
        db["runs"].update(run_id, {
            "finished_at": utc_now(), "outcome": outcome,
            "timings": json.dumps(timings), "counts": json.dumps(counts),
        })


# ---- analysis queries -----------------------------------------------------


_LATEST_CORRECTION = (
    "(select label from corrections c where c.target = '{0}' and c.target_id = {1} "
    "order by c.id desc limit 1)"
)
_LATEST_NOTE = (
    "(select note from corrections c where c.target in ('mention', 'article') and "
    "c.target_id = (case c.target when 'mention' then m.id else a.id end) "
    "order by c.id desc limit 1)"
)
NOT_ABOUT_US = "not_about_us"  # a false detection: the mention leaves every figure


def mention_rows(db, start: str, end: str) -> list[dict]:
    """Every mention of articles published in [start, end), with its article.

    An analyst's correction of the mention replaces the model's tone (and its note
    comes as `note`); one of the article comes as `article_correction`. A mention an
    analyst marked "not about us" is left out.
    """
    mention_fix = _LATEST_CORRECTION.format("mention", "m.id")
    article_fix = _LATEST_CORRECTION.format("article", "a.id")
    return list(db.query(
        # Columns named one by one: sqlite-utils renames a repeated name ("tone_2"),
        # so "m.*, ... as tone" would leave the model's tone under "tone".
        "select m.id, m.article_id, m.entity, m.text, m.start, m.end, m.sentence, "
        "m.sentence_start, m.position, m.lang, m.tone_score, m.tone_cues, m.tone_kind, "
        f"coalesce({mention_fix}, m.tone) as tone, "
        f"case when {mention_fix} is null then m.tone_source else 'analyst' end as tone_source, "
        f"{article_fix} as article_correction, {_LATEST_NOTE} as note, "
        "a.title, a.url, a.source_id, a.published_at, a.date_source, a.story_id, a.storyline_id, "
        "a.lang as article_lang, coalesce(a.media_kind, s.kind, 'online') as media_kind, "
        "a.extraction, a.page_status, s.name as source_name, s.weight as source_weight, "
        "s.kind as source_kind "
        "from mentions m join articles a on a.id = m.article_id "
        "left join sources s on s.id = a.source_id "
        "where a.published_at >= ? and a.published_at < ? "
        f"and coalesce({mention_fix}, '') != '{NOT_ABOUT_US}' order by a.published_at, m.id",
        [start, end],
    ))


def add_correction(db, target: str, target_id: int, label: str, note: str, who: str) -> int:
    return add_corrections(db, [(target, target_id, label, note)], who)[0]


def add_corrections(db, rows: list[tuple], who: str) -> list[int]:
    """Record (target, target_id, label, note) rows in one transaction: all or, when
    one names no such mention or article, none (LookupError)."""
    return correct_page(db, rows, [], who)


def _check_targets(db, rows: list[tuple]) -> None:
    for target, target_id, _, _ in rows:
        table = {"mention": "mentions", "article": "articles"}[target]
        if not db.execute(f"select 1 from {table} where id = ?", [target_id]).fetchone():
            raise LookupError(f"no {target} with id {target_id}")


def _insert_corrections(db, rows: list[tuple], who: str, at: str) -> list[int]:
    return [db.execute("insert into corrections (target, target_id, label, note, who, at) "
                       "values (?, ?, ?, ?, ?, ?)",
                       [target, target_id, label, note or None, who, at]).lastrowid
            for target, target_id, label, note in rows]


def corrected_mentions(db, entity_ids: Iterable[str]) -> list[dict]:
    """Mentions whose tone an analyst set (directly or through their article)."""
    ids = list(entity_ids)
    marks = ",".join("?" * len(ids))
    mention_fix = _LATEST_CORRECTION.format("mention", "m.id")
    article_fix = _LATEST_CORRECTION.format("article", "m.article_id")
    return list(db.query(
        f"select m.sentence, m.text, m.entity, m.start - m.sentence_start as rel_start, "
        f"m.end - m.sentence_start as rel_end, coalesce({mention_fix}, {article_fix}) as label "
        f"from mentions m where m.entity in ({marks}) and label is not null "
        f"and label != '{NOT_ABOUT_US}' order by m.id",
        ids,
    ))


def first_published(db) -> str | None:
    """When the oldest article was published: where the history begins."""
    return db.execute("select min(published_at) from articles").fetchone()[0]


def article_counts(db, start: str, end: str) -> dict:
    row = db.execute(
        "select count(*), count(distinct source_id), count(distinct story_id) from articles "
        "where published_at >= ? and published_at < ?",
        [start, end],
    ).fetchone()
    return {"articles": row[0], "outlets": row[1], "stories": row[2]}


GROUP_MEMBER = ("select a.id, a.story_id, a.storyline_id, a.title, a.url, a.source_id, "
                "a.published_at, coalesce(a.lang, s.lang) as lang, "
                "coalesce(a.date_source, '') != 'import-day' as time_known, "
                "coalesce(a.media_kind, s.kind, 'online') as media_kind, "
                "s.name as source_name, coalesce(s.weight, 1) as weight, s.kind as source_kind "
                "from articles a left join sources s on s.id = a.source_id ")


def story_articles(db, story_ids: Iterable[int], until: str,
                   column: str = "story_id") -> list[dict]:
    """The articles of these stories (or, with column="storyline_id", storylines)
    published before `until`, first publisher first."""
    ids = list(story_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return list(db.query(
        GROUP_MEMBER + f"where a.{column} in ({marks}) and a.published_at < ? "
        "order by a.published_at, a.id", [*ids, until]))


def own_channel_articles(db, start: str, end: str) -> list[dict]:
    """Posts of the organization's own channels in [start, end), with how many other
    outlets carried the same story."""
    return list(db.query(
        "select a.id, a.title, a.url, a.source_id, a.published_at, a.story_id, "
        "a.storyline_id, s.name as source_name, s.kind as source_kind, "
        "(select count(distinct b.source_id) from articles b where b.story_id = a.story_id "
        " and b.source_id != a.source_id and b.published_at < ?2) as picked_up_by "
        "from articles a join sources s on s.id = a.source_id "
        "where s.kind = 'own' and a.published_at >= ?1 and a.published_at < ?2 "
        "order by a.published_at", [start, end]))


def own_channels(db, until: str) -> list[dict]:
    """Each own channel with the time of its latest post before `until` (None if none)."""
    return list(db.query(
        "select s.id, s.name, max(a.published_at) as last_post from sources s "
        "left join articles a on a.source_id = s.id and a.published_at < ? "
        "where s.kind = 'own' group by s.id order by s.name", [until]))


def prune(db, pages_before: str, text_before: str) -> dict:
    """Drop raw pages and article bodies that clipper stored before two moments;
    everything the digests and reports count stays. By when clipper stored them, not
    by their date: a page misdated by years, or an archive imported today, keeps its
    text as long as one read last night."""
    with db.conn:
        pages = db.execute(
            "delete from pages where article_id in (select id from articles "
            "where fetched_at < ?)", [pages_before]).rowcount
        texts = db.execute(
            "update articles set text = null where text is not null "
            "and coalesce(fetched_at, published_at) < ?", [text_before]).rowcount
    return {"pages": pages, "texts": texts}


def monitoring_began(db) -> str | None:
    """When clipper first read a source (UTC ISO), or None when it never has."""
    return db.execute("select min(at) from fetches").fetchone()[0]


def source_health(db) -> list[dict]:
    return list(db.query(
        "select id, name, url, last_success_at, last_attempt_at, failing_since, "
        "consecutive_failures, last_error, last_outcome from sources "
        "order by consecutive_failures desc, id"
    ))
