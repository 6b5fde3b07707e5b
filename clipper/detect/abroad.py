"""Where an article stands: datelined abroad, or about another country.

"ВАШИНГТОН, 3 декабря — Министерство обороны заявило…" is the Pentagon, and
"LONDON (Reuters) - The Ministry of Defence said…" is Britain's ministry. A
generic name (see `Detector`) in such an article is not the home country's body
unless the home country is named in the mention's sentence or the one before.

    dateline(text, lang)                         # -> the dateline's country code, or None
    Whereabouts(title, text, lang, home).abroad  # -> datelined abroad or about another country
    names_home(cased_words, lang, home)          # -> the words name the home country
    generic_head(name, lang)                     # -> the name is one every country has

Cities come from CLDR (babel's time-zone cities, with their countries); the
capitals and home cities CLDR lacks are listed below. Countries come from the
gazetteer in `countries.py`, declined here in every case.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import NamedTuple

from babel import Locale
from babel.core import get_global

from clipper.detect import english, kazakh, russian
from clipper.detect.countries import ADJECTIVES, country_names
from clipper.detect.text import TOKEN, fold, fold_cased, lower_same_length

ABOUT = 2  # a foreign country named this often, the home country never: about it
DATELINE_WORDS = 3  # "НУР-СУЛТАН", "Усть-Каменогорск", "New Delhi"
_MAX_WORDS = 4  # "Соединенные Штаты Америки"
# The cities CLDR's time zones lack: capitals, and Kazakhstan's regional centres.
CITIES = {
    "ru": {
        "KZ": "Астана|Нур-Султан|Шымкент|Караганда|Павлодар|Усть-Каменогорск|Семей|Тараз|"
              "Петропавловск|Туркестан|Кокшетау|Талдыкорган|Конаев|Жезказган",
        "US": "Вашингтон", "CN": "Пекин", "TR": "Анкара", "IN": "Нью-Дели", "CH": "Женева|Давос",
        "CA": "Оттава", "AU": "Канберра", "BR": "Бразилиа", "AE": "Абу-Даби",
        "PK": "Исламабад", "QA": "Доха", "IL": "Тель-Авив", "FR": "Страсбург", "NL": "Гаага",
        "RU": "Санкт-Петербург|Казань|Новосибирск|Сочи", "UZ": "Самарканд",
    },
    "kk": {
        "KZ": "Астана|Нұр-Сұлтан|Шымкент|Қарағанды|Павлодар|Өскемен|Семей|Тараз|Петропавл|"
              "Түркістан|Көкшетау|Талдықорған|Қонаев|Жезқазған",
        "US": "Вашингтон", "CN": "Бейжің|Пекин", "TR": "Анкара", "IN": "Нью-Дели",
        "CH": "Женева", "CA": "Оттава", "AU": "Канберра", "BR": "Бразилиа", "AE": "Абу-Даби",
        "PK": "Исламабад", "QA": "Доха", "RU": "Санкт-Петербург|Қазан", "UZ": "Самарқанд",
    },
    "en": {
        "KZ": "Astana|Nur-Sultan|Shymkent|Karaganda|Pavlodar|Aktobe|Oskemen|Ust-Kamenogorsk|"
              "Semey|Taraz|Turkistan|Kokshetau|Konaev",
        "US": "Washington", "CN": "Beijing", "TR": "Ankara", "IN": "New Delhi",
        "CH": "Geneva|Davos", "CA": "Ottawa", "AU": "Canberra", "BR": "Brasilia",
        "AE": "Abu Dhabi", "PK": "Islamabad", "QA": "Doha", "FR": "Strasbourg",
        "NL": "The Hague", "RU": "Saint Petersburg|St Petersburg", "UA": "Kiev",
    },
}
# The head words of a body or a post every country has ("Министерство обороны",
# "Минздрав", "Қорғаныс министрлігі", "Health Ministry", "министр обороны"): a name
# built on one is generic unless it names the home country ("МИД РК").
GENERIC_HEADS = {
    "ru": "мин ведомств агентств комитет служб департамент правительств прокуратур",
    "kk": "министр агентт комитет қызмет департамент үкімет прокуратура ведомств",
    "en": "ministry minister department office agency committee service government "
          "secretary prosecutor",
}
GENERIC_ABBREVIATIONS = frozenset(("МИД", "МВД", "МЧС", "СІМ", "ІІМ", "ТЖМ"))
_CITY_END = re.compile(r"\s*[,.(—–-]")  # "ЛОНДОН. ", "АНКАРА, 3 декабря"
_DATE = re.compile(r"\s*[,.]\s*(?:\d{1,2}\s+[^\W\d_]{3,}|[^\W\d_]{3,}\.?\s+\d{1,2}\b)")
_AGENCY = re.compile(r"\s*(?:[,.]\s*[^\W\d_]{3,}\.?\s+\d{1,2})?\s*\([^()\n]{2,30}\)\s*[-—–:]")
_LANGUAGES = ("ru", "kk", "en")
_DECLINE = {"ru": russian.forms, "kk": kazakh.forms, "en": english.forms}


class Place(NamedTuple):
    code: str
    kind: str  # "country", "city"
    capitals: bool  # an abbreviation ("US", "РК"): only in capitals in the text


# ---- the dateline -------------------------------------------------------------

def dateline(text: str, lang: str) -> str | None:
    """The country of a dateline opening the text: a city in capitals followed by
    a stop, a comma or a dash, or any city followed by a date or an agency mark."""
    head = text[:200].lstrip()
    words = list(TOKEN.finditer(head, 0, 60))[:DATELINE_WORDS]
    cities = _cities(_lang(lang))
    for n in range(len(words), 0, -1):
        end = words[n - 1].end()
        if not re.fullmatch(r"[\w'’ -]*", head[:end]):
            continue
        code = cities.get(fold(head[:end]))
        if code and _dated(head, end):
            return code
    return None


def _dated(head: str, end: int) -> bool:
    if _DATE.match(head, end) or _AGENCY.match(head, end):
        return True
    city = head[:end]
    return city.isupper() and len(city) > 2 and _CITY_END.match(head, end) is not None


@functools.cache
def _cities(lang: str) -> dict[str, str]:
    """Folded city name -> country code."""
    return {fold(name): code for code, name in _city_names(lang)}


def _city_names(lang: str) -> list[tuple[str, str]]:
    """(code, name): CLDR's time-zone cities, then the list above."""
    names = []
    zones = Locale.parse(lang).time_zones
    for zone, code in get_global("zone_territories").items():
        if len(code) == 2 and "/" in zone and not zone.startswith("Etc/"):
            city = zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[1].replace("_", " ")
            names.append((code, city))
    names += [(code, name) for code, given in CITIES[lang].items() for name in given.split("|")]
    return names


# ---- countries named in a text ----------------------------------------------

class Whereabouts:
    """An article's place, worked out only when a generic name asks for it."""

    def __init__(self, title: str, text: str, lang: str, home: str):
        self.title, self.text, self.lang, self.home = title, text, _lang(lang), home

    @functools.cached_property
    def abroad(self) -> bool:
        place = dateline(self.text, self.lang)
        if place is not None:
            return place != self.home
        counts = country_counts(TOKEN.findall(fold_cased(f"{self.title}\n{self.text}")),
                                self.lang, self.home)
        return not counts[self.home] and any(
            n >= ABOUT for code, n in counts.items() if code != self.home)


def country_counts(cased_words: list[str], lang: str, home: str) -> Counter:
    """How often each country is named; the home country also by an adjective
    ("казахстанский", "Kazakh") or one of its cities."""
    counts: Counter = Counter()
    for place in _places(cased_words, _lang(lang), home):
        if place.kind == "country" or place.code == home:
            counts[place.code] += 1
    return counts


def names_home(cased_words: list[str], lang: str, home: str) -> bool:
    return any(p.code == home for p in _places(cased_words, _lang(lang), home))


def _places(cased_words: list[str], lang: str, home: str):
    table = _declined(lang, home)
    adjectives = _home_adjectives(lang, home)
    words = [lower_same_length(w) for w in cased_words]
    i = 0
    while i < len(words):
        for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
            place = table.get(tuple(words[i:i + n]))
            if place and _written(place, cased_words[i]):
                yield place
                i += n
                break
        else:
            if words[i].startswith(adjectives):
                yield Place(home, "adjective", False)
            i += 1


def _written(place: Place, word: str) -> bool:
    """Abbreviations in capitals ("US", not "us"), cities with a capital ("Oral")."""
    if place.capitals:
        return word.isupper()
    return place.kind != "city" or word[:1].isupper()


@functools.cache
def _declined(lang: str, home: str) -> dict[tuple, Place]:
    """Every case of every country's name, and of the home country's cities."""
    table: dict = {}
    for code, name in country_names(lang):
        _add(table, lang, name, Place(code, "country", name.isupper()))
    for code, name in _city_names(lang):
        if code == home:
            _add(table, lang, name, Place(home, "city", False))
    return table


def _add(table: dict, lang: str, name: str, place: Place) -> None:
    for form in _DECLINE[lang](name, "organization"):
        table.setdefault(tuple(TOKEN.findall(fold(form.text))), place)


@functools.cache
def _home_adjectives(lang: str, home: str) -> tuple[str, ...]:
    return tuple(fold(stem) for stem in ADJECTIVES[lang].get(home, "").split())


def _lang(lang: str | None) -> str:
    return lang if lang in _LANGUAGES else "en"


# ---- generic names --------------------------------------------------------------

def generic_head(name: str, lang: str) -> bool:
    """Whether a name is built on a head every country's body has (GENERIC_HEADS)."""
    heads = _generic_heads(_lang(lang))
    return any(w in GENERIC_ABBREVIATIONS or fold(w).startswith(heads)
               for w in TOKEN.findall(name))


@functools.cache
def _generic_heads(lang: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in GENERIC_HEADS[lang].split())
