"""The world's countries in ru, kk and en, to tell a namesake body abroad.

"Министерство обороны" is every country's: "Минобороны Украины", "греческого
министерства обороны", "Түркияның Қорғаныс министрлігі", "Britain's Ministry of
Defence". Country names come from CLDR (babel's territory names), declined here
(pymorphy3 for Russian, endings for Kazakh, the possessive for English); the
press's short forms and adjectives, which CLDR does not hold, are listed below.

    gazetteer(lang).before(words, j)   # -> country code of the phrase ending at word j
    gazetteer(lang).after(words, j)    # -> country code of the phrase starting at word j
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from babel import Locale

from clipper.detect.text import TOKEN, fold, word_list

# Territories that are not countries in CLDR's two-letter list.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ"})
# Short forms and abbreviations the press uses: code, then names.
ALIASES = {
    "ru": {
        "US": "США|Америка|Соединенные Штаты Америки", "RU": "РФ|Российская Федерация",
        "CN": "КНР", "DE": "ФРГ", "GB": "Британия|Англия|Соединенное Королевство",
        "KG": "Кыргызстан|Киргизстан", "BY": "Белоруссия|Беларусь", "MD": "Молдавия",
        "KR": "Южная Корея|Корея", "KZ": "РК|Казахстан", "AE": "Эмираты",
        "DNR": "ДНР", "LNR": "ЛНР", "TR": "Турция",
    },
    "kk": {
        "US": "АҚШ|Америка", "RU": "РФ|Ресей Федерациясы", "CN": "ҚХР", "GB": "Британия|Англия",
        "KR": "Корея", "KZ": "ҚР|Қазақстан Республикасы", "TR": "Түркия|Түрікия",
    },
    "en": {
        "US": "US|USA|America|United States of America", "GB": "UK|Britain|Great Britain|England",
        "RU": "Russian Federation", "TR": "Turkey", "CN": "PRC", "KR": "Korea", "KZ": "RK",
        "AE": "UAE",
    },
}
# Adjectives: folded stems, each followed by any ending.
ADJECTIVES = {
    "ru": {
        "US": "американск", "GB": "британск английск", "GR": "греческ", "DE": "германск немецк",
        "UA": "украинск", "TR": "турецк", "FR": "французск", "IT": "итальянск",
        "ES": "испанск", "PL": "польск", "LT": "литовск", "LV": "латвийск", "EE": "эстонск",
        "JP": "японск", "KR": "корейск", "CN": "китайск", "IN": "индийск", "IL": "израильск",
        "IR": "иранск", "IQ": "иракск", "SY": "сирийск", "EG": "египетск", "SA": "саудовск",
        "RU": "российск", "BY": "белорусск", "UZ": "узбекск узбекистанск",
        "KG": "кыргызск киргизск", "TJ": "таджикск", "TM": "туркменск",
        "AZ": "азербайджанск", "AM": "армянск", "GE": "грузинск", "MD": "молдавск",
        "MN": "монгольск", "AF": "афганск", "PK": "пакистанск", "CA": "канадск",
        "AU": "австралийск", "AT": "австрийск", "CH": "швейцарск", "SE": "шведск",
        "NO": "норвежск", "FI": "финск финляндск", "DK": "датск", "NL": "нидерландск голландск",
        "BE": "бельгийск", "CZ": "чешск", "SK": "словацк", "HU": "венгерск", "RO": "румынск",
        "BG": "болгарск", "RS": "сербск", "HR": "хорватск", "QA": "катарск",
        "AE": "эмиратск", "BR": "бразильск", "MX": "мексиканск", "KZ": "казахстанск",
    },
    "kk": {
        "US": "американ", "GB": "британ ағылшын", "DE": "неміс герман", "TR": "түрік",
        "GR": "грек", "FR": "француз", "JP": "жапон", "IT": "итальян", "PL": "поляк",
        "UA": "украин", "RU": "ресейлік", "CN": "қытайлық", "KZ": "қазақстандық",
    },
    "en": {
        "US": "american", "GB": "british english", "GR": "greek", "DE": "german",
        "UA": "ukrainian", "TR": "turkish", "FR": "french", "IT": "italian", "ES": "spanish",
        "PL": "polish", "LT": "lithuanian", "LV": "latvian", "EE": "estonian",
        "JP": "japanese", "KR": "korean", "CN": "chinese", "IN": "indian", "IL": "israeli",
        "IR": "iranian", "IQ": "iraqi", "SY": "syrian", "EG": "egyptian", "SA": "saudi",
        "RU": "russian", "BY": "belarusian", "UZ": "uzbek", "KG": "kyrgyz kirghiz",
        "TJ": "tajik", "TM": "turkmen", "AZ": "azerbaijani", "AM": "armenian",
        "GE": "georgian", "MD": "moldovan", "MN": "mongolian", "AF": "afghan",
        "PK": "pakistani", "CA": "canadian", "AU": "australian", "AT": "austrian",
        "CH": "swiss", "SE": "swedish", "NO": "norwegian", "FI": "finnish", "DK": "danish",
        "NL": "dutch", "BE": "belgian", "CZ": "czech", "HU": "hungarian", "RO": "romanian",
        "BG": "bulgarian", "RS": "serbian", "QA": "qatari", "AE": "emirati",
        "BR": "brazilian", "MX": "mexican", "KZ": "kazakh kazakhstani",
    },
}
# Words meaning "(other) countries" in general: "МИД стран СНГ", "басқа елдердің".
ANY_COUNTRY = frozenset(fold(w) for w in word_list("""
    стран странам странах государств государствам государствах
    елдер елдердің елдерінің елдің countries
"""))
_KAZAKH_ENDINGS = ("", "ның", "нің", "дың", "дің", "тың", "тің",
                   "лық", "лік", "дық", "дік", "тық", "тік")
_MAX_WORDS = 4  # "Соединенных Штатов Америки", "Америка Құрама Штаттарының"


class Place(NamedTuple):
    code: str
    capitals: bool  # an abbreviation ("US", "РФ"): only in capitals in the text


class Gazetteer:
    """Folded phrases (tuples of words) naming a country, in one language."""

    def __init__(self, phrases: dict, adjectives: dict):
        self.phrases = phrases
        self.adjectives = adjectives  # folded stem -> code

    def before(self, words: list[str], j: int) -> Place | None:
        """The country named by the words ending at word j."""
        for n in range(min(_MAX_WORDS, j + 1), 0, -1):
            place = self.phrases.get(tuple(words[j - n + 1:j + 1]))
            if place:
                return place
        return self.adjective(words[j])

    def after(self, words: list[str], j: int) -> Place | None:
        """The country named by the words starting at word j."""
        for n in range(min(_MAX_WORDS, len(words) - j), 0, -1):
            place = self.phrases.get(tuple(words[j:j + n]))
            if place:
                return place
        return self.adjective(words[j])

    def adjective(self, word: str) -> Place | None:
        if word in ANY_COUNTRY:
            return Place("*", False)
        for stem, code in self.adjectives.items():
            if word.startswith(stem):
                return Place(code, False)
        return None


@functools.cache
def gazetteer(lang: str) -> Gazetteer:
    lang = lang if lang in ALIASES else "en"
    phrases: dict = {}
    for code, name in country_names(lang):
        capitals = name.isupper()
        for form in _FORMS[lang](name):
            key = tuple(TOKEN.findall(fold(form)))
            phrases.setdefault(key, Place(code, capitals))
    adjectives = {fold(stem): code for code, stems in ADJECTIVES[lang].items()
                  for stem in stems.split()}
    return Gazetteer(phrases, adjectives)


def country_names(lang: str) -> list[tuple[str, str]]:
    """(code, name) of every country in CLDR and of the press's short forms."""
    names = []
    for code, name in Locale.parse(lang).territories.items():
        if len(code) == 2 and code not in _NOT_COUNTRIES:
            # "Гонконг (САР)", "Конго - Киншаса": the name before the note
            names.append((code, name.split(" (")[0].split(" - ")[0]))
    names += [(code, alias) for code, given in ALIASES[lang].items() for alias in given.split("|")]
    return names


def _russian_forms(name: str) -> set[str]:
    """Nominative and genitive: "Министерство обороны Украины", "Республики Узбекистан"."""
    from clipper.detect.russian import morph

    if name.isupper():
        return {name}
    words = []
    for word in name.split():
        parse = next((p for p in morph().parse(word.lower()) if p.tag.case == "nomn"), None)
        inflected = parse.inflect({"gent"}) if parse else None
        words.append(inflected.word if inflected else word)
    return {name, " ".join(words)}


def _kazakh_forms(name: str) -> set[str]:
    """Nominative, genitive and the adjective: "Түркия", "Түркияның", "түркиялық"."""
    return {name + ending for ending in _KAZAKH_ENDINGS}


def _english_forms(name: str) -> set[str]:
    return {name, name + "'s", name + "’s", name + "'"}


_FORMS = {"ru": _russian_forms, "kk": _kazakh_forms, "en": _english_forms}
