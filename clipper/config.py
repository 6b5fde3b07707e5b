"""One settings object, validated on load.

`load_settings()` is the only function that reads the configuration file.
Every stage receives a frozen `Settings` (or one of its parts) as an argument.
Errors name the file and the line. A problem inside one source entry disables
that source and is kept in `Settings.problems`, so the night's run goes on
with the others; any other problem stops the run before anything is fetched.
"""

from __future__ import annotations

import dataclasses
import os
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from clipper.errors import ConfigError
from clipper.yamlines import LinedDict, LinedList, load_yaml

LANGUAGES = ("ru", "kk", "en")
# rss: RSS and Atom; youtube: a channel's page (@handle) or Atom feed (the video's
# description is its text); telegram: https://t.me/s/<handle>; sitemap: a news
# sitemap or sitemap index; html-list: a section page whose article links
# `selector` picks out (last resort)
SOURCE_FORMATS = ("rss", "youtube", "telegram", "sitemap", "html-list")
MEDIA_KINDS = ("online", "agency", "telegram", "video", "print", "tv", "own")
OFFLINE_KINDS = ("print", "tv")  # may be listed without a URL: their items are imported
ENTITY_KINDS = ("organization", "person")
ENTITY_ROLES = ("self", "official", "peer")


@dataclass(frozen=True)
class FetchSettings:
    timeout: float = 20.0  # seconds for a whole response (connection, redirects, body)
    connect_timeout: float = 10.0
    concurrency: int = 16  # requests in flight across all hosts
    per_host: int = 2  # requests in flight to one host
    retries: int = 2  # extra attempts after a network error, connect timeout, 429 or 5xx;
    # a response still incomplete after `timeout` is not tried again
    backoff: float = 1.0  # first retry delay in seconds, doubled each time
    max_bytes: int = 10_000_000  # per response, after decompression
    max_items_per_feed: int = 200  # the newest kept, the rest dropped with a warning
    telegram_pages: int = 5  # preview pages read back per channel (about 20 posts each)
    max_article_chars: int = 200_000  # article text kept; the rest of a giant page is cut
    source_seconds: float = 300.0  # page fetching one source may use per run; the rest waits
    max_redirects: int = 5
    contact: str = "https://github.com/clipper-press/clipper"
    allow_private: bool = False  # article links to private/loopback hosts are refused
    robots: bool = True  # article pages that robots.txt disallows are not fetched
    workers: int = 0  # processes for extraction and detection; 0: one per core
    cluster: str = ""  # a Dask scheduler (tcp://host:8786) to extract and detect on;
    # "": this machine's processes (needs the `dask` extra)
    failed_share: float = 0.5  # more sources than this share failing: `clipper run` exits 1


@dataclass(frozen=True)
class DedupeSettings:
    threshold: float = 0.4  # Jaccard of shingles to join a story; chosen with dedupe-eval
    shingle_size: int = 4  # words per shingle
    num_perm: int = 128
    seed: int = 1
    window_days: int = 7  # new articles are matched against stories this recent


@dataclass(frozen=True)
class StorylineSettings:
    enabled: bool = True
    active_days: int = 7  # a storyline takes new articles this long after its latest one


@dataclass(frozen=True)
class DigestSettings:
    language: str = "ru"  # labels: ru, kk or en
    title: str = ""  # on the cover, in the PDF's metadata and the e-mail subject
    output_dir: str = "output"
    template_dir: str = ""  # an organisation's own templates, searched first
    logo: str = ""
    trend_days: int = 30
    max_clippings: int = 60
    own_silence_days: int = 7  # an own channel without a post for longer is flagged


@dataclass(frozen=True)
class DeliverySettings:
    """E-mail of the digest. The SMTP login comes from the environment
    (CLIPPER_SMTP_USER, CLIPPER_SMTP_PASSWORD), never from this file."""

    recipients: tuple = ()  # no recipients: nothing is sent
    sender: str = "clipper@localhost"
    smtp_host: str = "localhost"
    smtp_port: int = 587
    starttls: bool = True
    timeout: float = 30.0


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    url: str = ""  # only a print or TV outlet (imported files, not fetched) has none
    lang: str = "ru"
    kind: str = "online"
    format: str = "rss"
    weight: float = 1.0  # the outlet's reach, used in the analysis
    delay: float = 0.0  # seconds between two requests to the source's host
    selector: str = ""  # html-list: CSS selector of the article links on the page
    enabled: bool = True
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    kind: str = "organization"
    role: str = "self"
    names: dict = field(default_factory=dict)  # lang -> tuple of names in dictionary form
    positions: dict = field(default_factory=dict)  # lang -> the post held, without the name
    references: dict = field(default_factory=dict)  # lang -> "глава ведомства": see Detector
    context: tuple = ()  # words one of which must stand near an ambiguous name
    exclude: tuple = ()  # regular expressions: a match inside one is not a mention
    generic: bool | None = None  # every country has one (dropped abroad); None: by its name
    titles: dict = field(default_factory=dict)  # lang -> the name shown (`name: {ru:, kk:, en:}`)
    line: int = field(default=0, compare=False)

    def shown(self, lang: str) -> str:
        """The name for a reader of `lang`: its own if given, else `name`."""
        return self.titles.get(lang) or self.name


@dataclass(frozen=True)
class AlertSettings:
    """`clipper watch` mails at once when a negative story reaches, within `hours`,
    this many outlets or this reach (the sum of their weights)."""

    outlets: int = 3
    reach: float = 10.0
    hours: int = 6


@dataclass(frozen=True)
class RetentionSettings:
    """What is pruned after each run; PDFs, stories, mentions and figures are kept."""

    pages_days: int = 30  # raw HTML of article pages (kept for re-extraction)
    text_days: int = 365  # article bodies; headlines, summaries and mention sentences stay
    html_days: int = 90  # output/*.html next to the PDFs


@dataclass(frozen=True)
class BrowseSettings:
    """`clipper browse`, the analysts' workspace."""

    base_url: str = ""  # e.g. http://clipper.mki.local:8001: digests link items to it; none unset


@dataclass(frozen=True)
class Topic:
    """A rubric: an article belongs to it when it contains one of the keywords
    (a word or a phrase, in any of its forms)."""

    id: str
    name: str  # in the digest's language when given per language
    keywords: tuple = ()
    titles: dict = field(default_factory=dict)  # lang -> the name shown (`name: {ru:, kk:, en:}`)
    line: int = field(default=0, compare=False)

    def shown(self, lang: str) -> str:
        """The name for a reader of `lang`: its own if given, else `name`."""
        return self.titles.get(lang) or self.name


@dataclass(frozen=True)
class Settings:
    path: str
    organization: str
    timezone: str = "Asia/Almaty"
    country: str = "KZ"  # home country (ISO code): namesake bodies of the others are not ours
    fetch: FetchSettings = field(default_factory=FetchSettings)
    dedupe: DedupeSettings = field(default_factory=DedupeSettings)
    storylines: StorylineSettings = field(default_factory=StorylineSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    browse: BrowseSettings = field(default_factory=BrowseSettings)
    sources: tuple = ()
    outlets: tuple = ()  # print and TV outlets without a URL: imports refer to them, never fetched
    entities: tuple = ()
    topics: tuple = ()
    problems: tuple = ()  # ConfigError for each disabled source

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_dir(self) -> Path:
        return Path(self.path).resolve().parent

    def entity(self, entity_id: str) -> Entity:
        return next(e for e in self.entities if e.id == entity_id)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def outlet(self, id_or_name: str) -> Source | None:
        """A configured source or print/TV outlet by its id or name, in any case."""
        wanted = " ".join(id_or_name.split()).casefold()
        return next((s for s in (*self.sources, *self.outlets)
                     if wanted in (s.id.casefold(), " ".join(s.name.split()).casefold())), None)

    def replace(self, **changes) -> Settings:
        return dataclasses.replace(self, **changes)


_SECTIONS = {"fetch": FetchSettings, "dedupe": DedupeSettings,
             "storylines": StorylineSettings, "digest": DigestSettings,
             "delivery": DeliverySettings, "retention": RetentionSettings,
             "alerts": AlertSettings, "browse": BrowseSettings}
_TOP_KEYS = ("organization", "timezone", "sources", "entities", "topics", *_SECTIONS, "country")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


def load_settings(path: str | os.PathLike) -> Settings:
    """Read and validate a sources.yaml; raise ConfigError naming file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, None, f"not UTF-8 ({exc.reason}); save it as UTF-8") from None
    return parse_settings(text, path)


def parse_settings(text: str, path: str | os.PathLike = "sources.yaml") -> Settings:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark, opened = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
        message = f"not valid YAML: {getattr(exc, 'problem', exc)}"
        if opened and mark and opened.line != mark.line:
            message += f" ({getattr(exc, 'context', '')} opened on line {opened.line + 1})"
        raise ConfigError(path, mark.line + 1 if mark else None, message) from None
    if not isinstance(data, LinedDict):
        raise ConfigError(path, None, "expected a mapping with sources and entities")
    _check_keys(path, data, _TOP_KEYS, "top level")
    sections = {
        name: _build(cls, data.get(name, LinedDict()), path, name)
        for name, cls in _SECTIONS.items()
    }
    language = sections["digest"].language
    entities = _parse_entities(path, data, language)
    sources, problems = _parse_sources(path, data)
    settings = Settings(
        path=str(path),
        organization=_require(path, data, "organization", str, "top level"),
        timezone=data.get("timezone", "Asia/Almaty"),
        country=_country(path, data),
        sources=tuple(s for s in sources if s.url),
        outlets=tuple(s for s in sources if not s.url),
        entities=entities,
        topics=_parse_topics(path, data, language),
        problems=problems,
        **sections,
    )
    _check_settings(path, data, settings)
    return settings


def _country(path, data: LinedDict) -> str:
    from babel import Locale

    code = data.get("country", "KZ")
    if not isinstance(code, str) or code.upper() not in Locale.parse("en").territories:
        raise ConfigError(path, data.line_of("country"),
                          f"country must be a two-letter ISO code such as KZ, not {code!r}")
    return code.upper()


def _check_settings(path, data: LinedDict, settings: Settings) -> None:
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            path, data.line_of("timezone"), f"unknown time zone {settings.timezone!r}"
        ) from None
    if settings.organization not in {e.id for e in settings.entities}:
        raise ConfigError(
            path,
            data.line_of("organization"),
            f"organization {settings.organization!r} is not one of the entities",
        )
    if settings.digest.language not in LANGUAGES:
        raise ConfigError(
            path, data.line_of("digest"), f"digest.language must be one of {', '.join(LANGUAGES)}"
        )
    if settings.retention.text_days < settings.dedupe.window_days:
        raise ConfigError(path, data.line_of("retention"),
                          "retention.text_days must cover dedupe.window_days: reprints are "
                          "matched against the texts of that window")
    if not 0 < settings.dedupe.threshold < 1:
        raise ConfigError(path, data.line_of("dedupe"), "dedupe.threshold must be between 0 and 1")


def _parse_sources(path, data: LinedDict) -> tuple[tuple[Source, ...], tuple[ConfigError, ...]]:
    raw = data.get("sources")
    if not isinstance(raw, LinedList) or not raw:
        raise ConfigError(path, data.line_of("sources"), "sources: expected a list of feeds")
    sources, problems, seen = [], [], set()
    for item in raw:
        try:
            source = _parse_source(path, item, seen)
        except ConfigError as problem:
            # the digest's source health names what was not read, and why
            named = item if isinstance(item, LinedDict) else {}
            problem.source_id, problem.source_name = named.get("id"), named.get("name")
            problems.append(problem)
            continue
        seen.add(source.id)
        sources.append(source)
    return tuple(sources), tuple(problems)


def _parse_source(path, item, seen: set) -> Source:
    if not isinstance(item, LinedDict):
        raise ConfigError(path, getattr(item, "line", None), "source: expected a mapping")
    label = f"source {item.get('id', '?')!r}"
    source = _build(Source, item, path, label, line=item.line)
    if not _ID.match(source.id):
        raise ConfigError(path, item.line_of("id"), f"{label}: id must be lower-case latin")
    if source.id in seen:
        raise ConfigError(path, item.line_of("id"), f"{label}: the id is used twice")
    _check_choice(path, item, label, "kind", source.kind, MEDIA_KINDS)
    if not source.url and source.kind in OFFLINE_KINDS:
        return source  # a newspaper or channel whose files are imported
    url = urlsplit(source.url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigError(path, item.line_of("url"), f"{label}: url must be http(s)://host/… "
                          f"(only a print or tv outlet may have none)")
    _check_choice(path, item, label, "lang", source.lang, LANGUAGES)
    _check_choice(path, item, label, "format", source.format, SOURCE_FORMATS)
    if source.format == "html-list" and not source.selector:
        raise ConfigError(path, item.line_of("format"),
                          f"{label}: an html-list source needs a selector of its article links")
    if source.format == "telegram" and not re.match(r"^https://t\.me/s/\w{3,64}/?$", source.url):
        raise ConfigError(path, item.line_of("url"),
                          f"{label}: a telegram source's url is https://t.me/s/<channel>")
    return source


def _parse_entities(path, data: LinedDict, language: str = "ru") -> tuple[Entity, ...]:
    raw = data.get("entities")
    if not isinstance(raw, LinedList) or not raw:
        raise ConfigError(path, data.line_of("entities"), "entities: expected a list")
    entities = []
    for item in raw:
        if not isinstance(item, LinedDict):
            raise ConfigError(path, getattr(item, "line", None), "entity: expected a mapping")
        entities.append(_parse_entity(path, item, language))
    ids = [e.id for e in entities]
    for entity, item in zip(entities, raw, strict=True):
        if ids.count(entity.id) > 1:
            raise ConfigError(path, item.line, f"entity {entity.id!r}: the id is used twice")
    return tuple(entities)


def _parse_topics(path, data: LinedDict, language: str = "ru") -> tuple[Topic, ...]:
    raw = data.get("topics")
    if raw is None:
        return ()
    if not isinstance(raw, LinedList):
        raise ConfigError(path, data.line_of("topics"), "topics: expected a list of rubrics")
    topics = []
    for item in raw:
        label = f"topic {item.get('id', '?')!r}" if isinstance(item, LinedDict) else "topic"
        item, titles = _named_in(path, item, label, language)
        topic = _build(Topic, item, path, label, line=getattr(item, "line", 0), titles=titles)
        if not topic.keywords or not all(isinstance(k, str) and k for k in topic.keywords):
            raise ConfigError(path, item.line_of("keywords"),
                              f"{label}: keywords: a list of words or phrases")
        topics.append(topic)
    return tuple(topics)


def _parse_entity(path, item: LinedDict, language: str = "ru") -> Entity:
    label = f"entity {item.get('id', '?')!r}"
    item, titles = _named_in(path, item, label, language)
    entity = _build(Entity, item, path, label, line=item.line, titles=titles)
    _check_choice(path, item, label, "kind", entity.kind, ENTITY_KINDS)
    _check_choice(path, item, label, "role", entity.role, ENTITY_ROLES)
    if not isinstance(item.get("names"), LinedDict) or not item["names"]:
        raise ConfigError(path, item.line_of("names"), f"{label}: names: expected ru/kk/en lists")
    phrases = {key: _phrases_by_language(path, item, key, label)
               for key in ("names", "positions", "references")}
    for pattern in entity.exclude:
        try:
            re.compile(pattern)
        except re.error as exc:
            line = item.line_of("exclude")
            raise ConfigError(path, line, f"{label}: bad pattern: {exc}") from None
    return dataclasses.replace(entity, **phrases)


def _named_in(path, item, label: str, language: str):
    """`name: {ru: …, kk: …, en: …}` (or one name): the mapping with the name in the
    digest's language (else Russian, else the first given), and every name by language."""
    given = item.get("name") if isinstance(item, LinedDict) else None
    if not isinstance(given, LinedDict):
        return item, {}
    _check_keys(path, given, LANGUAGES, f"{label} name")
    if not given or not all(isinstance(v, str) and v for v in given.values()):
        raise ConfigError(path, item.line_of("name"), f"{label}: name: one name per language")
    chosen = LinedDict(item)
    chosen.line, chosen.key_lines = item.line, item.key_lines
    chosen["name"] = given.get(language) or given.get("ru") or next(iter(given.values()))
    return chosen, dict(given)


def _phrases_by_language(path, item: LinedDict, key: str, label: str) -> dict:
    """`names`, `positions` or `references`: lists of phrases under ru, kk, en."""
    given = item.get(key)
    if given is None:
        return {}
    if not isinstance(given, LinedDict):
        raise ConfigError(path, item.line_of(key), f"{label}: {key}: expected ru/kk/en lists")
    _check_keys(path, given, LANGUAGES, f"{label} {key}")
    for lang, phrases in given.items():
        if not isinstance(phrases, list) or not all(isinstance(f, str) and f for f in phrases):
            raise ConfigError(path, given.line_of(lang), f"{label}: {key}.{lang}: list of phrases")
    return {lang: tuple(phrases) for lang, phrases in given.items()}


def _build(cls, mapping, path, label: str, **extra):
    """Make dataclass `cls` from a YAML mapping, checking keys and types."""
    if not isinstance(mapping, LinedDict):
        raise ConfigError(path, getattr(mapping, "line", None), f"{label}: expected a mapping")
    names = [f.name for f in dataclasses.fields(cls) if f.name not in ("line", "titles")]
    _check_keys(path, mapping, names, label)
    hints = typing.get_type_hints(cls)
    values = {}
    for name, value in mapping.items():
        values[name] = _coerce(path, mapping.line_of(name), label, name, hints[name], value)
    for f in dataclasses.fields(cls):
        no_default = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if no_default and f.name not in values and f.name not in extra:
            raise ConfigError(path, mapping.line, f"{label}: missing {f.name!r}")
    return cls(**values, **extra)


def _coerce(path, line, label, name, hint, value):
    expected = _base_type(hint)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected is tuple and isinstance(value, list):
        return tuple(value)
    if expected is dict and isinstance(value, dict):
        return value
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        wanted = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
                  tuple: "a list", dict: "a mapping"}[expected]
        raise ConfigError(path, line, f"{label}: {name} must be {wanted}, not {value!r}")
    return value


def _base_type(hint):
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(hint) if a is not type(None))
    return origin or hint


def _check_keys(path, mapping: LinedDict, allowed, label: str) -> None:
    for key in mapping:
        if key not in allowed:
            raise ConfigError(
                path,
                mapping.line_of(key),
                f"{label}: unknown key {key!r} (expected {', '.join(allowed)})",
            )


def _check_choice(path, mapping: LinedDict, label, key, value, allowed) -> None:
    if value not in allowed:
        raise ConfigError(
            path, mapping.line_of(key), f"{label}: {key} must be one of {', '.join(allowed)}"
        )


def _require(path, mapping: LinedDict, key, expected, label):
    if key not in mapping:
        raise ConfigError(path, mapping.line, f"{label}: missing {key!r}")
    value = mapping[key]
    if not isinstance(value, expected):
        raise ConfigError(path, mapping.line_of(key), f"{label}: {key} must be text")
    return value
