"""What two articles about one event share, in any of the three languages.

Besides the encoder's vectors: figures (they cross languages unchanged once
"2,4 млрд" and "2.4 billion" read alike), places (a gazetteer of Kazakhstan's
cities and regions in Russian, Kazakh and English), and proper names, spelt
in Latin letters so that "Балаева", "Балаеваның" and "Balaeva" are one name.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from functools import cached_property

LEAD_CHARS = 400  # the title and the lead: what a rewrite keeps of the event

# the city or region a word names; Kazakh case endings follow the stem
PLACES = {
    "astana": r"астан|astana|нур-султан|nur-sultan",
    "almaty": r"алмат|almaty|алма-ат",
    "shymkent": r"шымкент|shymkent|чимкент",
    "karaganda": r"караганд|қарағанд|karagand|qaragand",
    "aktobe": r"актоб|ақтөб|aktob|aqtob",
    "taraz": r"тараз|taraz",
    "pavlodar": r"павлодар|pavlodar",
    "oskemen": r"усть-каменогорск|өскемен|oskemen|ust-kamenogorsk",
    "semey": r"семе[йяюе]|semey|semei",
    "atyrau": r"атырау|atyrau",
    "kostanay": r"костана|қостана|kostanay|qostanay",
    "kyzylorda": r"кызылорд|қызылорд|kyzylorda|qyzylorda",
    "oral": r"уральск|орал(?:да|дағы|ға|дан|дың|ды)?\b|oral\b|uralsk",
    "petropavl": r"петропавл|petropavl",
    "aktau": r"актау|ақтау|aktau|aqtau",
    "turkistan": r"туркестан|түркістан|turkistan|turkestan",
    "kokshetau": r"кокшетау|көкшетау|kokshetau",
    "taldykorgan": r"талдыкорган|талдықорған|taldykorgan",
    "zhezkazgan": r"жезказган|жезқазған|zhezkazgan",
    "ekibastuz": r"экибастуз|екібастұз|ekibastuz",
    "temirtau": r"темиртау|теміртау|temirtau",
    "konaev": r"конаев|қонаев|konaev|капшага|kapshagay",
    "zhanaozen": r"жанаозен|жаңаөзен|zhanaozen",
    "baikonur": r"байконур|байқоңыр|baikonur",
    "balkhash": r"балхаш|балқаш|balkhash",
    "akmola": r"акмолин|ақмол|akmola",
    "zhambyl": r"жамбыл|zhambyl",
    "mangystau": r"мангист|маңғыста|mangystau|mangistau",
    "zhetysu": r"жетысу|жетісу|zhetysu",
    "ulytau": r"улытау|ұлытау|ulytau",
    "east": r"восточно-казахстан|шығыс қазақстан|east kazakhstan",
    "west": r"западно-казахстан|батыс қазақстан|west kazakhstan",
    "north": r"северо-казахстан|солтүстік қазақстан|north kazakhstan",
}
# over lower-cased text, tried only where a word starts with a letter a place can
# start with: ten times faster than trying every place at every position
_FIRST = sorted({alternative[0] for pattern in PLACES.values()
                 for alternative in pattern.split("|")})
_PLACE = re.compile(rf"\b(?=[{''.join(_FIRST)}])(?:"
                    + "|".join(f"(?P<{name}>{pattern})" for name, pattern in PLACES.items()) + ")")
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)*")
# a capitalised word, not the first of a sentence or a line (a title's last word is
# followed by the text's first on the next line)
_NAME = re.compile(r"(?<![.!?«\"„]\s)(?<!^)\b([A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі]{3,})", re.M)
NAME_KEY = 5  # letters of a name's Latin spelling compared: endings differ by language
LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
                 ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n",
                  "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "sh", "", "y", "",
                  "e", "iu", "ia", "a", "g", "k", "n", "o", "u", "u", "h", "i"], strict=True))
# names every article of a government body carries, as latin() spells their start
COMMON = frozenset(("kazak", "qazaq", "respu", "minis", "vedom", "agent", "agenc", "pravi",
                    "gover", "ukime", "akima", "akimo", "senat", "parla", "mazhi", "prezi",
                    "presi", "premi", "kompa", "compa"))


@dataclass(frozen=True)
class Signals:
    """An article's figures, places and names (sets of normalised keys)."""

    numbers: frozenset
    places: frozenset
    names: frozenset
    terms: frozenset = frozenset()  # word stems, to tell what a developing issue is about
    title_numbers: frozenset = frozenset()  # the figures and places of the title alone:
    title_places: frozenset = frozenset()   # what the event is, not what the text recalls
    text: str = field(default="", compare=False, repr=False)  # normalised, for `frame`

    @cached_property
    def frame(self) -> frozenset:
        """Its wording with the figures masked (`frame`), worked out on the first pair
        that asks for it: few articles are ever weighed as a series' next release."""
        return frame(self.text)


def lead(title: str, text: str) -> str:
    """The title and the first sentences of the text: what the encoder reads."""
    body = " ".join((text or "").split())
    return f"{title or ''}. {body}"[:LEAD_CHARS]


def signals(text: str, title: str = "") -> Signals:
    """`text` is the title and the text; `title` is told apart: where two titles give
    other figures ("47 погибших", "41 погибший") or other places, two events are told
    however alike the rest reads (a weekly statistic, the same incident elsewhere)."""
    text, title = unicodedata.normalize("NFC", text), unicodedata.normalize("NFC", title)
    return Signals(numbers(text), places(text), names(text), terms(text),
                   numbers(title), places(title), text)


def frame(text: str) -> frozenset:
    """The article's runs of three words with every figure masked: a weekly release
    repeats last week's runs with other figures, where a rewrite of one event words
    the same figures its own way."""
    words = _FIGURE.sub("#", text.lower()).split()
    return frozenset(zlib.crc32(" ".join(words[i:i + 3]).encode()) for i in range(len(words) - 2))


FRAME = 0.3  # share of runs of words two releases of one series have in common
SAME = 0.8  # ... when they share most figures: the same template, some figures changed
SERIES = 3 * 86400  # seconds: a series' next release comes three days or more after
                   # the last (a weekly bulletin, a twice-weekly review); a situation
                   # report on one flood or fire, worded as yesterday's with today's
                   # figures, comes within a day or two and is the same event


def next_release(mine: Signals, theirs: Signals) -> bool:
    """Two articles worded alike (FRAME of their runs shared) whose figures are mostly
    different (each gives figures the other does not, fewer than half of all shared):
    two releases of one series, not one event. What a series repeats every week (the
    fuel grade of "АИ-92", a river's critical mark) is shared; this week's figures are
    not. A rewrite or reprint of one event repeats most of its figures; one that adds
    figures gives all of the other's. Worded to the letter alike (SAME), any figure of
    its own on each side is enough: a week when most prices held. The grouping asks
    it only of articles days apart (SERIES): a situation report on one flood,
    in yesterday's words with today's figures, is the same event."""
    if not (mine.numbers - theirs.numbers and theirs.numbers - mine.numbers):
        return False
    return alike(mine, theirs, FRAME if other_figures(mine.numbers, theirs.numbers) else SAME)


def other_figures(mine: frozenset, theirs: frozenset) -> bool:
    """Mostly different figures: each gives figures the other does not, and fewer than
    half of all are shared."""
    own, other = mine - theirs, theirs - mine
    return bool(own and other) and len(mine & theirs) < len(own) + len(other)


def alike(mine: Signals, theirs: Signals, share: float = FRAME) -> bool:
    """Worded alike: more than `share` of their runs of words (figures masked) shared."""
    shared = len(mine.frame & theirs.frame)
    return shared > share * (len(mine.frame) + len(theirs.frame) - shared)


_FIGURE = re.compile(r"\d+(?:[ .,\u00a0]\d+)*")


def numbers(text: str) -> frozenset:
    """Figures that identify an event: no years, no small counts."""
    found = set()
    for match in _NUMBER.finditer(text):
        raw = match.group()
        value = re.sub(r"[ \u00a0\u202f]", "", raw)
        if re.fullmatch(r"\d{1,3}(,\d{3})+", value):  # English thousands
            value = value.replace(",", "")
        value = value.replace(",", ".")
        if re.fullmatch(r"(19|20)\d\d", value) or (value.isdigit() and int(value) <= 31):
            continue
        found.add(value)
    return frozenset(found)


def places(text: str) -> frozenset:
    return frozenset(match.lastgroup for match in _PLACE.finditer(text.lower()))


def names(text: str) -> frozenset:
    """People's and organisations' names; not places, which `places` tells."""
    keys = set()
    for match in _NAME.finditer(text):
        if _PLACE.match(match.group(1).lower()):
            continue
        key = latin(match.group(1))[:NAME_KEY]
        if len(key) == NAME_KEY and key not in COMMON:
            keys.add(key)
    return frozenset(keys)


def latin(word: str) -> str:
    return "".join(LATIN.get(char, char) for char in word.lower())


def terms(text: str) -> frozenset:
    """The stems of an article's longer words, alike across the three languages where
    the word is shared: «аккредитации», «аккредитациясы» and "accreditation" are one
    stem, and so are «регистрацию» and "registration"."""
    spelt = _DOUBLE.sub(r"\1", text.lower().translate(_SPELLING))
    return frozenset(word[:STEM] for word in _WORD.findall(spelt))


STEM = 6  # letters of a word's Latin spelling kept: inflections differ after them
_SPELLING = str.maketrans({**LATIN, "c": "k", "q": "k", "w": "v", "x": "ks", "y": "i"})
_DOUBLE = re.compile(r"([a-z])\1")
_WORD = re.compile(rf"\b[a-z]{{{STEM},}}")
