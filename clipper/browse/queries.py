"""The canned queries of the workspace: review, clippings, storylines, needs attention,
one storyline's articles, storylines perhaps one.

Every value an analyst types is a bound parameter (`:since`, `:entity`...), never
text joined into SQL; what is joined in comes from the settings (the time zone's
offset, the watched entities' ids, which the configuration checks against
[a-z0-9_.-]). A period is given in local days (`since`, `until`, YYYY-MM-DD);
without them it is the seven days up to the newest article.
"""

from __future__ import annotations

from datetime import datetime

from clipper.config import Settings
from clipper.store import NOT_ABOUT_US

PAGE = 100  # mentions on one review page: one pass of corrections


def offset_minutes(settings: Settings) -> int:
    return int(datetime.now(settings.tz).utcoffset().total_seconds() // 60)


def _bounds(settings: Settings) -> str:
    off = offset_minutes(settings)
    newest = f"date((select max(published_at) from articles), '{off:+d} minutes')"
    utc = "strftime('%Y-%m-%dT%H:%M:%S', {0}, '{1:+d} minutes')"
    since = utc.format(f"coalesce(nullif(:since, ''), date({newest}, '-6 days'))", -off)
    until = utc.format(f"date(coalesce(nullif(:until, ''), {newest}), '+1 day')", -off)
    return f"bounds as (select {since} as since_utc, {until} as until_utc)"


def _local(column: str, settings: Settings) -> str:
    return f"strftime('%Y-%m-%d %H:%M', {column}, '{offset_minutes(settings):+d} minutes')"


def _latest(column: str, target: str, id_sql: str) -> str:
    return (f"(select {column} from corrections c where c.target = '{target}' "
            f"and c.target_id = {id_sql} order by c.id desc limit 1)")


def _own(settings: Settings) -> str:
    ids = [e.id for e in settings.entities if e.role in ("self", "official")]
    return ", ".join(f"'{i}'" for i in ids if "'" not in i) or "''"


_IN_PERIOD = "a.published_at >= bounds.since_utc and a.published_at < bounds.until_utc"
# who last placed the article's reprint group in its storyline by hand, if anyone did
_PLACED_BY = """(select who from storyline_corrections sc join articles b on b.id = sc.article_id
   where b.story_id = a.story_id or b.id = a.id order by sc.id desc limit 1)"""


def review(settings: Settings) -> str:
    fix = _latest("id", "mention", "m.id")
    return f"""with {_bounds(settings)}
select m.id as mention_id, {_local('a.published_at', settings)} as published,
  a.id as article_id, a.title, a.url, coalesce(s.name, a.source_id) as outlet,
  m.entity, m.lang, m.position,
  substr(m.sentence, 1, m.start - m.sentence_start) as before, m.text as mention,
  substr(m.sentence, m."end" - m.sentence_start + 1) as after,
  m.tone as model_tone, m.tone_cues as cues,
  c.label as correction, c.note, c.who as corrected_by, c.at as corrected_at,
  a.storyline_id, sl.headline as storyline, {_PLACED_BY} as storyline_fixed
from bounds, articles a
join mentions m on m.article_id = a.id
left join sources s on s.id = a.source_id
left join storylines sl on sl.id = a.storyline_id
left join corrections c on c.id = {fix}
where a.published_at >= bounds.since_utc and a.published_at < bounds.until_utc
  and (:tone = '' or coalesce(c.label, m.tone) = :tone)
  and (:unreviewed = '' or c.id is null)
  and (:entity = '' or m.entity = :entity)
  and (:lang = '' or m.lang = :lang)
order by a.published_at desc, m.id desc
limit {PAGE} offset {PAGE} * (max(coalesce(cast(nullif(:page, '') as integer), 1), 1) - 1)"""


def _mention_tones(settings: Settings, within: str = _IN_PERIOD) -> str:
    """Each mention of us with its tone, an analyst's correction first, of the articles
    `within` selects (by default the period's, which needs `bounds`)."""
    return f"""tones as (
  select m.article_id, coalesce({_latest('label', 'mention', 'm.id')}, m.tone) as tone
  from {'bounds, ' if within == _IN_PERIOD else ''}articles a
  join mentions m on m.article_id = a.id
  where {within} and m.entity in ({_own(settings)}))"""


_ARTICLE_TONE = f"""coalesce({_latest('label', 'article', 'a.id')},
    case when sum(t.tone = 'negative') > 0 and sum(t.tone = 'negative') >= sum(t.tone = 'positive')
         then 'negative' when sum(t.tone = 'positive') > 0 then 'positive' else 'neutral' end)"""


def clippings(settings: Settings) -> str:
    return f"""with {_bounds(settings)}, {_mention_tones(settings)}
select {_local('a.published_at', settings)} as date, coalesce(s.name, a.source_id) as outlet,
  a.title as headline, a.url as link, {_ARTICLE_TONE} as tone,
  coalesce(s.weight, 1.0) as reach, a.media_kind, a.id as article_id, a.storyline_id
from tones t join articles a on a.id = t.article_id left join sources s on s.id = a.source_id
where t.tone != '{NOT_ABOUT_US}'
group by a.id order by a.published_at"""


def storylines(settings: Settings, only_negative: bool = False) -> str:
    having = "having negative > 0" if only_negative else ""
    return f"""with {_bounds(settings)}, {_mention_tones(settings)},
by_article as (
  select a.id, a.storyline_id, a.source_id, coalesce(s.weight, 1.0) as weight,
    {_ARTICLE_TONE} as tone
  from tones t join articles a on a.id = t.article_id left join sources s on s.id = a.source_id
  where t.tone != '{NOT_ABOUT_US}' and a.storyline_id is not null group by a.id)
select sl.id as storyline_id, sl.headline, sl.first_source_id as first_outlet,
  {_local('sl.first_published_at', settings)} as began,
  {_local('sl.last_published_at', settings)} as latest,
  count(*) as articles, count(distinct b.source_id) as outlets,
  round(sum(b.weight), 1) as reach, sum(b.tone = 'negative') as negative,
  sum(b.tone = 'positive') as positive, sl.languages
from by_article b join storylines sl on sl.id = b.storyline_id
group by sl.id {having}
order by outlets desc, articles desc, sl.first_published_at"""


def storyline(settings: Settings) -> str:
    """One storyline's articles (`:storyline`), first published first, each with its
    tone towards us as the clippings give it and a mention to move it by."""
    chosen = "a.storyline_id = cast(:storyline as integer)"
    return f"""with {_mention_tones(settings, chosen)}
select a.id as article_id, {_local('a.published_at', settings)} as published,
  coalesce(s.name, a.source_id) as outlet, coalesce(a.lang, s.lang) as lang, a.title, a.url,
  a.story_id, a.storyline_id, sl.headline as storyline, sl.size, sl.languages,
  {_ARTICLE_TONE} as tone,
  (select min(id) from mentions where article_id = a.id) as mention_id,
  {_PLACED_BY} as placed_by
from articles a join storylines sl on sl.id = a.storyline_id
left join sources s on s.id = a.source_id
left join tones t on t.article_id = a.id
where {chosen}
group by a.id order by a.published_at, a.id
limit 500"""


def suggestions(settings: Settings) -> str:
    """Pairs of storylines an article of the period came near without joining (its
    chance under the bar): perhaps one event. A storyline merged since stands for the
    one it went into; an article a press officer placed, and a pair now one storyline,
    are left out."""
    merged = "coalesce((select into_id from storyline_merges where old_id = {0}), {0})"
    return f"""with {_bounds(settings)},
near as (
  select a.storyline_id as one, {merged.format('g.storyline_id')} as other, g.chance
  from bounds, storyline_suggestions g join articles a on a.id = g.article_id
  where a.published_at >= bounds.since_utc and a.published_at < bounds.until_utc
    and a.id not in (select article_id from storyline_corrections)),
pairs as (
  select min(one, other) as first_id, max(one, other) as second_id, max(chance) as chance,
    count(*) as articles
  from near where one != other group by 1, 2)
select p.first_id as storyline_id, a.headline, p.second_id as suggested_id,
  b.headline as suggested_headline, cast(100 * p.chance as integer) as chance_percent,
  p.articles
from pairs p join storylines a on a.id = p.first_id join storylines b on b.id = p.second_id
order by p.chance desc, p.first_id
limit 200"""
