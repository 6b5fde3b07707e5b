"""The analyse stage: one period of coverage against the previous one.

`analyse()` returns a plain dict tree that the digest, the JSON export and the
tests all read; templates only format it.
"""

from __future__ import annotations

import functools
import json
import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from clipper import attention, store, topics
from clipper.config import Settings
from clipper.periods import Period
from clipper.storylines import course

TONES = ("positive", "neutral", "negative")
POSITION_WEIGHT = {"headline": 2.0, "lead": 1.5, "body": 1.0}
TONE_SIGN = {"positive": 1, "neutral": 0, "negative": -1}
TRAILING_DAYS = 28  # the baseline a day's volume is tested against
THREAD_DAYS = 14  # how far back a configured topic's unbroken coverage is followed
SIGNIFICANCE = 0.05


def analyse(db, settings: Settings, period: Period) -> dict:
    own_ids = _own_entities(settings)
    rows = MentionRows(db, settings, period)
    # a digest written later (a catch-up) counts only what was out by the period's end
    context = _GroupContext(settings, period, rows, own_ids)
    current = _period_data(db, settings, rows, period, own_ids, context)
    previous = _period_data(db, settings, rows, period.previous(), own_ids, context)
    figures, before = current["figures"], previous["figures"]
    baseline = _baseline(db, settings, period, rows, own_ids)
    week_ago = _week_ago(period, rows, own_ids)
    threads = _threads(settings, period, rows, own_ids, context)
    return {
        "organization": settings.entity(settings.organization).shown(settings.digest.language),
        "title": settings.digest.title,
        "period": _period_dict(period),
        "previous_period": _period_dict(period.previous()),
        "figures": figures,
        "previous_figures": before,
        "week_ago_figures": week_ago,
        "changes": {key: _change(figures[key], before[key], baseline.get(key))
                    for key in ("articles", "mentions", "stories", "outlets", "negative")},
        "tone_share": _shares(figures),
        "previous_tone_share": _shares(before),
        "trend": _trend(settings, period, rows, own_ids),
        "stories": current["stories"],
        "attention": _in_threads(attention.drivers(
            current["stories"], _answers(db, settings, period, current),
            period.bounds(settings.tz)[1], _relatedness(settings, current)), threads),
        "own_channels": _own_channels(db, settings, period),
        "speakers": _speakers(settings, current["officials"], current["articles"]),
        "topics": _topics(settings, current["terms"], previous["terms"], current["articles"],
                          threads),
        "emerging_terms": _emerging(settings, period, rows, own_ids),
        "clippings": current["clippings"],
        "outlets": _with_previous(current["outlets"], previous["outlets"]),
        "share_of_voice": current["share_of_voice"],
        "health": _health(db, settings),
        "monitoring_began": _monitoring_began(db, settings, period, figures),
    }


def _monitoring_began(db, settings: Settings, period: Period, figures: dict) -> str | None:
    """The local day monitoring began, when the period ended before it and holds
    nothing: the digest then says so instead of "no publications"."""
    began = store.monitoring_began(db)
    began_day = _local_date(began, settings) if began else None
    if figures["articles"] or (began_day and began_day <= period.last):
        return None
    return (began_day or datetime.now(settings.tz).date()).isoformat()


class MentionRows:
    """The mention rows of every window one analysis looks at (the periods compared,
    the trailing weeks, the trend), read from SQLite once and sliced by time."""

    def __init__(self, db, settings: Settings, period: Period):
        trend_days = max(settings.digest.trend_days, 2 * period.length)
        first = min(period.previous().first, period.first - timedelta(days=TRAILING_DAYS),
                    period.last - timedelta(days=trend_days - 1))
        self.tz = settings.tz
        self.rows = store.mention_rows(db, *Period("range", first, period.last).bounds(self.tz))
        self.times = [row["published_at"] for row in self.rows]  # in time order
        self._terms: dict[int, set[str]] = {}  # each article's, once: windows overlap

    def terms(self, mentions: list[dict]) -> dict[int, set[str]]:
        """The terms of the articles of these mention rows (`_terms`), each worked out
        once however many windows hold it."""
        self._terms.update(_terms([m for m in mentions if m["article_id"] not in self._terms]))
        return {m["article_id"]: self._terms[m["article_id"]] for m in mentions}

    def within(self, period: Period) -> list[dict]:
        start, end = period.bounds(self.tz)
        return self.rows[bisect_left(self.times, start):bisect_left(self.times, end)]


def _week_ago(period: Period, rows: MentionRows, own_ids: set[str]) -> dict | None:
    """A day is also set beside the same weekday a week before: news has a weekly rhythm."""
    if period.length != 1:
        return None
    own = _own_rows(rows, Period.of("day", period.first - timedelta(days=7)), own_ids)
    return _figures(_articles(own), own)


def _own_entities(settings: Settings) -> set[str]:
    """The organization and its officials: what 'coverage of us' means."""
    return {e.id for e in settings.entities if e.role in ("self", "official")}


def _period_data(db, settings: Settings, rows: MentionRows, period: Period,
                 own_ids: set[str], context: _GroupContext) -> dict:
    within = rows.within(period)
    own = [r for r in within if r["entity"] in own_ids]
    articles = _articles(own)
    for mention in own:  # only the periods compared need this, not the trailing windows
        article = articles[mention["article_id"]]
        article["org_speaks"] = article.get("org_speaks") or attention.speaks(mention["sentence"])
    stories = _stories(db, articles, context)
    return {
        "articles": articles,
        "officials": [r for r in own if settings.entity(r["entity"]).role == "official"],
        "terms": rows.terms(own),
        "figures": _figures(articles, own),
        "stories": stories,
        "clippings": _by_story(articles),
        "outlets": _outlets(articles),
        "share_of_voice": _share_of_voice(within, settings),
    }


def _by_story(articles: dict[int, dict]) -> list[dict]:
    """Clippings by storyline (the strongest first), and within one, each reprint
    group together under its first publisher."""
    best, began = defaultdict(float), {}
    for article in articles.values():
        best[article["group"]] = max(best[article["group"]], article["rank"])
        began[article["story_id"]] = min(began.get(article["story_id"], "~"),
                                         article["published_at"])
    return sorted(articles.values(), key=lambda a: (
        -best[a["group"]], a["group"], began[a["story_id"]], a["story_id"] or 0,
        a["published_at"]))


def group_key(article: dict) -> str:
    """What an article is grouped under: its storyline, or its reprint group when it
    has none (an article the storylines did not need)."""
    if article.get("storyline_id"):
        return f"storyline-{article['storyline_id']}"
    return f"story-{article['story_id']}"


def _articles(mentions: list[dict]) -> dict[int, dict]:
    """Mentions folded into articles, each with its tone towards the organization."""
    return {article_id: _article(ms) for article_id, ms in _by_article(mentions).items()}


def _by_article(mentions: list[dict]) -> dict[int, list[dict]]:
    grouped = defaultdict(list)
    for mention in mentions:
        grouped[mention["article_id"]].append(mention)
    return grouped


def _final_tone(mentions: list[dict], tone: str) -> str:
    """An analyst's correction of the article stands over the model's tone."""
    return mentions[0]["article_correction"] or tone


def _article(mentions: list[dict]) -> dict:
    first = mentions[0]
    tone, cues = article_tone(mentions)
    corrected = bool(first["article_correction"]) or any(
        m["tone_source"] == "analyst" for m in mentions)
    # a corrected article shows the analyst's note, no longer the model's cues
    note = next((m["note"] for m in mentions if m.get("note")), "") if corrected else ""
    cues = [] if corrected else cues
    quoted = _quoted_mention(mentions)
    return {
        "id": first["article_id"], "title": first["title"], "url": first["url"],
        "source_id": first["source_id"], "source_name": first["source_name"] or first["source_id"],
        "weight": first["source_weight"] or 1.0, "published_at": first["published_at"],
        "time_known": first["date_source"] != "import-day",  # an imported item's day only
        "story_id": first["story_id"], "storyline_id": first["storyline_id"],
        "group": group_key(first), "lang": first["article_lang"],
        "media_kind": first["media_kind"],
        "summary_only": first["extraction"] == "summary",
        "tone": _final_tone(mentions, tone), "cues": cues, "corrected": corrected,
        "note": note,
        "mentions": len(mentions),
        "entities": sorted({m["entity"] for m in mentions}),
        "in_headline": any(m["position"] == "headline" for m in mentions),
        "sentence": quoted["sentence"],
        "rank": sum(POSITION_WEIGHT.get(m["position"], 1.0) for m in mentions),
    }


def _quoted_mention(mentions: list[dict]) -> dict:
    """The mention whose sentence the digest quotes: one from the text, since the
    headline is printed anyway; the one whose tone decided, when there is one."""
    in_text = [m for m in mentions if m["position"] != "headline"] or mentions
    toned = [m for m in in_text if (m["tone"] or "neutral") != "neutral"]
    return sorted(toned or in_text, key=lambda m: m["start"] if m["position"] == "lead"
                  else m["start"] + 1_000_000)[0]


def article_tone(mentions: list[dict]) -> tuple[str, list[str]]:
    """An article's tone: its mentions' tones weighted by where they stand; the cues of
    the mentions that share it (a neutral article shows none)."""
    score = 0.0
    for mention in mentions:
        sign = TONE_SIGN.get(mention["tone"] or "neutral", 0)
        score += sign * POSITION_WEIGHT.get(mention["position"], 1.0) * (mention["tone_score"] or 1)
    label = "positive" if score > 0.5 else "negative" if score < -0.5 else "neutral"
    cues = [cue for m in mentions if label != "neutral" and m["tone"] == label
            for cue in json.loads(m["tone_cues"] or "[]")]
    return label, list(dict.fromkeys(cues))[:4]


def _figures(articles: dict[int, dict], mentions: list[dict]) -> dict:
    tones = Counter(a["tone"] for a in articles.values())
    return {
        "articles": len(articles),
        "mentions": len(mentions),
        "stories": len({a["story_id"] for a in articles.values()}),
        "outlets": len({a["source_id"] for a in articles.values()}),
        "reach": round(sum(a["weight"] for a in articles.values()), 1),
        "by_kind": dict(Counter(a["media_kind"] for a in articles.values()).most_common()),
        **{tone: tones.get(tone, 0) for tone in TONES},
    }


def _shares(figures: dict) -> dict:
    total = sum(figures[t] for t in TONES)
    shares = {t: (figures[t] / total if total else 0.0) for t in TONES}
    shares["net"] = shares["positive"] - shares["negative"]
    return shares


def _change(current: float, previous: float, baseline: float | None) -> dict:
    delta = current - previous
    relative = delta / previous if previous else None
    return {"current": current, "previous": previous, "delta": delta, "relative": relative,
            "significant": is_significant(current, baseline)}


def is_significant(observed: float, mean: float | None) -> bool | None:
    """Is `observed` unlikely under a Poisson of the trailing daily mean?"""
    if mean is None:
        return None
    mean = max(mean, 0.5)
    upper = 1 - _poisson_cdf(int(observed) - 1, mean) if observed > mean else 1.0
    lower = _poisson_cdf(int(observed), mean) if observed < mean else 1.0
    return min(upper, lower) < SIGNIFICANCE / 2


def _poisson_cdf(k: int, mean: float) -> float:
    if k < 0:
        return 0.0
    term = total = math.exp(-mean)
    for n in range(1, k + 1):
        term *= mean / n
        total += term
    return min(total, 1.0)


def _baseline(db, settings: Settings, period: Period, rows: MentionRows,
              own_ids: set[str]) -> dict:
    """Mean figures per period-length over the trailing 28 days of history.

    With less history than two periods' worth there is no telling what is
    ordinary, so nothing is called significant.
    """
    oldest = store.first_published(db)
    if oldest is None:
        return {}
    first = max(period.first - timedelta(days=TRAILING_DAYS), _local_date(oldest, settings))
    covered = (period.first - first).days
    if covered < max(2 * period.length, 7):
        return {}
    window = Period("range", first, period.first - timedelta(days=1))
    own = _own_rows(rows, window, own_ids)
    figures = _figures(_articles(own), own)
    scale = period.length / covered
    # counts of distinct outlets do not add up over days, so they are not tested
    return {key: figures[key] * scale for key in ("articles", "mentions", "negative")}


def _own_rows(rows: MentionRows, period: Period, own_ids: set[str]) -> list[dict]:
    return [r for r in rows.within(period) if r["entity"] in own_ids]


def _trend(settings: Settings, period: Period, rows: MentionRows,
           own_ids: set[str]) -> list[dict]:
    days = max(settings.digest.trend_days, 2 * period.length)
    window = Period("range", period.last - timedelta(days=days - 1), period.last)
    by_day = defaultdict(Counter)
    for article in _articles(_own_rows(rows, window, own_ids)).values():
        by_day[_local_date(article["published_at"], settings)][article["tone"]] += 1
    return [{"date": day.isoformat(), **{t: by_day[day][t] for t in TONES}}
            for day in window.days()]


def _local_date(iso: str, settings: Settings) -> date:
    return datetime.fromisoformat(iso).astimezone(settings.tz).date()


def _officials(settings: Settings) -> dict[str, str]:
    return {e.id: e.shown(settings.digest.language) for e in settings.entities
            if e.role == "official"}


class _GroupContext:
    """What a storyline's summary needs beyond the period's own articles: the tone of
    every earlier article the analysis read, and which of them were answers."""

    def __init__(self, settings: Settings, period: Period, rows: MentionRows, own_ids: set):
        self.until = period.bounds(settings.tz)[1]
        self.tz, self.lang, self.last_day = settings.tz, settings.digest.language, period.last
        self.officials = _officials(settings)
        # each article's tone as `_article` has it, without the rest of its summary
        history = _by_article([r for r in rows.rows if r["entity"] in own_ids])
        self.tones = {article_id: _final_tone(mentions, article_tone(mentions)[0])
                      for article_id, mentions in history.items()}
        self.answers = {row["article_id"] for row in rows.rows if row["entity"] in own_ids
                        and (row["source_kind"] == "own" or attention.speaks(row["sentence"]))}


def _stories(db, articles: dict[int, dict], context: _GroupContext) -> list[dict]:
    by_group = defaultdict(list)
    for article in articles.values():
        by_group[article["group"]].append(article)
    members = defaultdict(list)
    for kind, column in (("story", "story_id"), ("storyline", "storyline_id")):
        ids = [int(key.split("-")[1]) for key in by_group if key.startswith(f"{kind}-")]
        for row in store.story_articles(db, ids, context.until, column):
            members[f"{kind}-{row[column]}"].append(row)
    stories = [_story(key, members[key], ours, context)
               for key, ours in by_group.items() if members[key]]
    return sorted(stories, key=lambda s: (-s["outlets"], -s["rank"], s["first"]["published_at"]))


def _story(key: str, members: list[dict], ours: list[dict], context: _GroupContext) -> dict:
    tone, cues = article_tone([
        {"tone": a["tone"], "position": "body", "tone_score": 1.0,
         "tone_cues": json.dumps(a["cues"])}
        for a in ours
    ])
    lead = max(ours, key=lambda a: a["rank"])
    weights = {m["source_id"]: m["weight"] for m in members}
    named = {e for a in ours for e in a["entities"] if e in context.officials}
    first = members[0]
    # the headline in the digest's language where the storyline has one
    titled = next((m for m in members if m["lang"] == context.lang), first)
    return {
        "id": int(key.split("-")[1]), "key": key,
        "storyline": key.startswith("storyline-"), "headline": titled["title"],
        "first": first, "followers": members[1:], "members": members, "size": len(members),
        "outlets": len(weights), "reach": round(sum(weights.values()), 1),
        "tone": tone, "cues": cues, "officials": sorted(context.officials[e] for e in named),
        "notes": list(dict.fromkeys(a["note"] for a in ours if a.get("note"))),
        "org_speaks": any(a["org_speaks"] for a in ours),
        "sentence": lead["sentence"], "rank": sum(a["rank"] for a in ours),
        "languages": course.languages(members),
        "day": course.day_number(first["published_at"], context.last_day, context.tz),
        "days": course.day_number(first["published_at"], course.local_day(
            members[-1]["published_at"], context.tz), context.tz),
        "course": course.course(members, context.tones, context.answers, context.tz),
        "spreading": attention.spreading({"first": first, "members": members}, context.until),
    }


SPEECH = re.compile(
    r"заяв|сказал|отметил|подчеркнул|сообщил|пояснил|считает|по словам|деді|айтты|атап өтті|"
    r"мәлімдеді|said|told|noted|according to", re.IGNORECASE)


def _speakers(settings: Settings, mentions: list[dict], articles: dict) -> list[dict]:
    """The organization's officials in the period: articles, their tone, and what
    they were quoted saying (sentences that attribute speech to them)."""
    by_official = defaultdict(list)
    for mention in mentions:
        by_official[mention["entity"]].append(mention)
    speakers = []
    for entity_id, found in by_official.items():
        article_ids = {m["article_id"] for m in found}
        tones = Counter(articles[aid]["tone"] for aid in article_ids)
        quotes = list(dict.fromkeys(m["sentence"] for m in found
                                    if SPEECH.search(m["sentence"] or "")))
        speakers.append({"id": entity_id,
                         "name": settings.entity(entity_id).shown(settings.digest.language),
                         "articles": len(article_ids), **{t: tones.get(t, 0) for t in TONES},
                         "quotes": quotes[:3]})
    return sorted(speakers, key=lambda s: -s["articles"])


def _terms(mentions: list[dict]) -> dict[int, set[str]]:
    """Each article's terms: of its headline and the sentences that mention us."""
    texts = defaultdict(list)
    for m in mentions:
        texts[m["article_id"]] += [m["title"] or ""] if not texts[m["article_id"]] else []
        texts[m["article_id"]].append(m["sentence"] or "")
    langs = {m["article_id"]: m["article_lang"] for m in mentions}
    return {aid: set(topics.terms(" ".join(parts), langs[aid])) for aid, parts in texts.items()}


def _group_terms(mentions: list[dict], rows: MentionRows) -> dict[str, set[str]]:
    """The terms of each storyline or reprint group: the union of its articles' terms."""
    groups = {m["article_id"]: group_key(m) if m["story_id"] or m.get("storyline_id")
              else f"article-{m['article_id']}" for m in mentions}
    found = defaultdict(set)
    for article_id, terms in rows.terms(mentions).items():
        found[groups[article_id]] |= terms
    return found


def _topics(settings: Settings, terms: dict, previous_terms: dict, articles: dict,
            threads: list[tuple[dict, set[str]]]) -> list[dict]:
    """Each configured rubric: its articles and negative ones, against the previous
    period, and the day its coverage has run to (`_threads`)."""
    days = {thread["id"]: thread["day"] for thread, _ in threads}
    now, then = topics.Index(terms), topics.Index(previous_terms)
    rows = []
    for topic in settings.topics:
        rubric = topics.rubric_terms(topic.keywords)
        ours = sorted(now.holding(rubric))
        before = len(then.holding(rubric))
        rows.append({"id": topic.id, "name": topic.shown(settings.digest.language),
                     "articles": len(ours),
                     "previous": before, "article_ids": ours, "day": days.get(topic.id),
                     "negative": sum(articles[aid]["tone"] == "negative" for aid in ours)})
    return sorted(rows, key=lambda r: (-r["articles"], r["name"]))


def _emerging(settings: Settings, period: Period, rows: MentionRows,
              own_ids: set[str]) -> list[dict]:
    """Terms of this period's coverage unusually frequent against the trailing weeks;
    a term counts once per storyline (or reprint group), not once per reprinted copy."""
    window = Period("range", period.first - timedelta(days=TRAILING_DAYS),
                    period.first - timedelta(days=1))
    terms = _group_terms(_own_rows(rows, period, own_ids), rows)
    before = _group_terms(_own_rows(rows, window, own_ids), rows)
    names = frozenset(t for e in settings.entities for lang, forms in e.names.items()
                      for name in forms for t in topics.terms(name, lang))
    return topics.keyness(Counter(t for found in terms.values() for t in found),
                          Counter(t for found in before.values() for t in found), names)


def _threads(settings: Settings, period: Period, rows: MentionRows, own_ids: set[str],
             context: _GroupContext) -> list[tuple[dict, set[str]]]:
    """Each configured topic whose coverage of us runs into the period's last day
    without a long pause (`topics.run_began`), over THREAD_DAYS at most: the day it
    began, its articles, the storylines they make and its course. The sides of one
    issue (complaints, a letter, the answer, a new failure) are storylines of their
    own; the topic the press office named them by holds them together. Each comes
    with the keys of the storylines (or reprint groups) it holds."""
    window = Period("range", period.last - timedelta(days=THREAD_DAYS - 1), period.last)
    own = _own_rows(rows, window, own_ids)
    articles, index = _articles(own), topics.Index(rows.terms(own))
    threads = []
    for topic in settings.topics:
        days = {aid: _local_date(articles[aid]["published_at"], settings)
                for aid in index.holding(topics.rubric_terms(topic.keywords))}
        began = topics.run_began(set(days.values()), period.last)
        if began is None:
            continue
        members = sorted((articles[aid] for aid, day in days.items() if day >= began),
                         key=lambda a: (a["published_at"], a["id"]))
        groups = {a["group"] for a in members}
        threads.append(({
            "id": topic.id, "name": topic.shown(settings.digest.language),
            "began": began.isoformat(), "day": (period.last - began).days + 1,
            "articles": len(members), "storylines": len(groups),
            "first": {key: members[0][key] for key in ("source_name", "published_at")},
            "course": course.course(members, context.tones, context.answers, settings.tz)},
            groups))
    return threads


def _in_threads(stories: list[dict], threads: list[tuple[dict, set[str]]]) -> list[dict]:
    """Each story that is the latest side of a topic covered since before it began
    gets that topic's thread (the one with most articles, where several hold it)."""
    for story in stories:
        holding = [thread for thread, groups in threads
                   if story["key"] in groups and thread["day"] > story["day"]]
        if holding:
            story["thread"] = max(holding, key=lambda t: (t["articles"], t["day"]))
    return stories


SAME_MATTER = 0.3  # Jaccard of terms: an answer published as a story of its own


def _relatedness(settings: Settings, current: dict):
    """Whether an article speaks of a story's matter: one rubric, or mostly the same terms.
    Each story's and each article's terms and rubrics are worked out once."""
    rubrics = [topics.rubric_terms(t.keywords) for t in settings.topics]
    story_terms = defaultdict(set)
    for article in current["articles"].values():
        story_terms[article["group"]] |= current["terms"].get(article["id"], set())

    @functools.cache
    def article_terms(article_id: int, title: str, lang: str | None) -> frozenset:
        return frozenset(current["terms"].get(article_id) or topics.terms(title or "", lang))

    @functools.cache
    def in_rubrics(terms: frozenset) -> frozenset:
        return frozenset(i for i, rubric in enumerate(rubrics) if topics.in_rubric(terms, rubric))

    def related(story: dict, article: dict) -> bool:
        ours = frozenset(story_terms[story["key"]])
        theirs = article_terms(article["id"], article["title"], article.get("lang"))
        if ours and theirs and len(ours & theirs) / len(ours | theirs) >= SAME_MATTER:
            return True
        return bool(in_rubrics(ours) & in_rubrics(theirs))

    return related


def _answers(db, settings: Settings, period: Period, current: dict) -> list[dict]:
    """Articles in which the organization speaks: its own channels' posts since a
    week before the period (an answer may precede a story's reprints), and the
    period's articles that quote its comment."""
    start, end = period.bounds(settings.tz)
    week_before = store.to_iso(datetime.fromisoformat(start) - timedelta(days=7))
    own = [dict(post, tone="neutral", group=group_key(post))
           for post in store.own_channel_articles(db, week_before, end)]
    return own + [a for a in current["articles"].values() if a["org_speaks"]]


def _own_channels(db, settings: Settings, period: Period) -> list[dict]:
    """Each own channel: posts in the period, how many the media picked up, and
    how long it has been silent at the period's end."""
    start, end = period.bounds(settings.tz)
    posts = defaultdict(list)
    for post in store.own_channel_articles(db, start, end):
        posts[post["source_id"]].append(post)
    channels = []
    for channel in store.own_channels(db, end):
        last = channel["last_post"]
        silent = (datetime.fromisoformat(end) - datetime.fromisoformat(last)).days if last else None
        channels.append({
            "id": channel["id"], "name": channel["name"], "posts": len(posts[channel["id"]]),
            "picked_up": sum(1 for p in posts[channel["id"]] if p["picked_up_by"]),
            "last_post": last, "silent_days": silent,
            "too_quiet": silent is None or silent > settings.digest.own_silence_days,
        })
    return channels


def _outlets(articles: dict[int, dict]) -> list[dict]:
    table = defaultdict(lambda: {"articles": 0, **{t: 0 for t in TONES}})
    for article in articles.values():
        row = table[(article["source_id"], article["source_name"])]
        row["articles"] += 1
        row[article["tone"]] += 1
    rows = [{"id": sid, "name": name, **row} for (sid, name), row in table.items()]
    return sorted(rows, key=lambda r: (-r["articles"], r["name"]))


def _with_previous(outlets: list[dict], before: list[dict]) -> list[dict]:
    """Each outlet's articles beside its count in the previous period: who moved."""
    earlier = {row["id"]: row["articles"] for row in before}
    return [dict(row, previous=earlier.get(row["id"], 0)) for row in outlets]


def _share_of_voice(rows: list[dict], settings: Settings) -> list[dict]:
    articles = defaultdict(set)
    for row in rows:
        entity = settings.entity(row["entity"])
        key = settings.organization if entity.role == "official" else entity.id
        articles[key].add(row["article_id"])
    total = sum(len(ids) for ids in articles.values()) or 1
    shares = [
        {"id": e.id, "name": e.shown(settings.digest.language), "articles": len(articles[e.id]),
         "share": len(articles[e.id]) / total}
        for e in settings.entities if e.role in ("self", "peer")
    ]
    return sorted(shares, key=lambda s: -s["articles"])


def _health(db, settings: Settings) -> list[dict]:
    """Every configured source, read or not, and why not: failing (the kind of its
    last failure), switched off, or skipped for a mistake in the configuration."""
    stored = {row["id"]: row for row in store.source_health(db)}
    rows = [_source_health(source, stored.get(source.id) or {}) for source in settings.sources]
    rows += [{"id": problem.source_id, "name": problem.source_name or problem.source_id or "?",
              "state": "config", "reason": "config", "line": problem.line, "status": None,
              "failing": True, "failing_since": None, "last_error": problem.message}
             for problem in settings.problems]
    return sorted(rows, key=lambda row: (row["state"] == "ok", row["name"] or ""))


def _source_health(source, row: dict) -> dict:
    failing = bool(row.get("consecutive_failures"))
    state = ("disabled" if not source.enabled else "failing" if failing
             else "ok" if row.get("last_attempt_at") else "unread")
    reason = {"failing": row.get("last_outcome") or "error"}.get(state, state)
    status = re.search(r"HTTP (\d{3})", row.get("last_error") or "")
    return {"id": source.id, "name": source.name, "state": state, "reason": reason,
            "line": None, "status": status.group(1) if status else None,
            "failing": state != "ok", "failing_since": row.get("failing_since"),
            "last_error": row.get("last_error")}


def _period_dict(period: Period) -> dict:
    return {"kind": period.kind, "first": period.first.isoformat(),
            "last": period.last.isoformat()}
