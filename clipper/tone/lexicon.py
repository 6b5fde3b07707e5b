"""Word lists: events that make news negative, speech verbs, and tone stems for the
lexicon classifier (Kazakh, English, and Russian where the model hesitates).

A stem matches the beginning of a lower-cased word; a stem ending in "=" only
the whole word ("иск=" is a lawsuit, "искусство" is not); a stem with a space
two words in a row. The lists are written by hand; their measured quality is
in clipper/tone/README.md.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

EVENTS = {
    "ru": ("штраф", "оштраф", "суд=", "суда=", "судом", "суде=", "судебн", "уголовн",
           "задержан", "арест", "уволен", "уволил", "увольн", "отставк", "скандал", "провер",
           "прокуратур", "взятк", "коррупц", "хищени", "расследован", "иск=", "иска=",
           "иском", "исков", "жалоб", "нарушени", "претензи", "протест"),
    "kk": ("айыппұл", "сот=", "сотқа", "сотта", "соттың", "қылмыстық", "ұсталды", "қамау",
           "жұмыстан шығар", "отставка", "жанжал", "тексеру", "прокуратура", "пара ал",
           "пара бер", "сыбайлас", "шағым", "бұзушылық"),
    "en": ("fine=", "fined", "court", "criminal", "detain", "arrest", "dismiss", "fired",
           "resign", "scandal", "probe", "investigat", "prosecut", "brib", "corrupt",
           "lawsuit", "complain", "violat", "protest"),
}

SPEECH = {
    "ru": ("заявил", "заявля", "заявлени", "сообщ", "отмет", "подчеркн", "сказал", "считает",
           "по словам", "по мнению", "пишет", "написал", "возмущ", "обвин"),
    "kk": ("деді", "мәлімдеді", "атап өтті", "хабарлады", "айтты", "пікірінше", "сөзінше",
           "жазды"),
    "en": ("said", "says", "stated", "according to", "told", "claimed", "accused", "wrote"),
}

POSITIVE = {
    "ru": ("поддерж", "поблагодар", "благодар", "похвал", "успешн", "достиж", "наград",
           "улучш", "эффективн", "одобр", "приветств", "помог"),
    "kk": ("қолдау", "қолдад", "қолдап", "қолдай", "қолдаға", "қолдам", "жетістік", "табыс",
           "марапат",
           "жақсар", "тиімді", "алғыс", "мақта", "сәтті", "құптад", "игі", "құттықта",
           "көмектес"),
    "en": ("support", "success", "award", "improv", "praise", "welcom", "achiev", "effective",
           "boost", "thank", "celebrat", "commend", "progress", "helped", "benefit"),
}

NEGATIVE = {
    "ru": ("критик", "раскритик", "обвин", "возмущ", "недоволь", "претенз", "жалоб",
           "провал", "сорвал", "срыв", "затян", "задержк", "цензур", "давлени", "скандал",
           "наруш", "штраф", "оштраф", "отставк", "уволь", "уволен", "проблем", "абсурд",
           "бездейств", "игнорир", "не работ", "сбой=", "сбои=", "сбоя=", "сбоев"),
    "kk": ("сынға", "сынад", "сынал", "сыни", "наразы", "кемшілік", "проблема", "шағым",
           "айыпта", "кінәла", "бұзды", "бұзушылық", "сәтсіз", "созып", "созыл", "цензура",
           "қысым", "ашуланд", "алаңда", "даулы", "жанжал", "айыппұл", "кешіктір"),
    "en": ("critici", "condemn", "blame", "fail", "complain", "concerns=", "concerned",
           "censor", "pressure", "scandal", "protest", "violat", "accus", "problem", "delay",
           "shut", "ban=", "banned", "outrage", "angry", "fined", "lawsuit"),
}

NEGATORS = {"ru": frozenset({"не", "нет", "без"}),
            "en": frozenset({"not", "no", "never", "without", "didn't", "don't", "doesn't",
                             "won't", "isn't", "wasn't", "aren't", "hasn't", "haven't"}),
            "kk": frozenset({"емес", "жоқ"})}
NEGATION_REACH = {"ru": 1, "en": 2}  # words a negator before a cue reaches
# Kazakh negates the verb itself: қолда-ма-ды "did not support".
KAZAKH_NEGATED_VERB = re.compile(r"(ма|ме|ба|бе|па|пе)(ды|ді|йды|йді|ған|ген|йтын|йтін|с)$")
_TOKEN = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Cue:
    stem: str
    word: str
    negated: bool


def tokens(text: str) -> list[str]:
    return [t.replace("’", "'") for t in _TOKEN.findall(text.lower())]


def found(stems: tuple[str, ...], text: str) -> list[str]:
    """The stems of the list that occur in the text."""
    return [cue.stem for cue in scan(stems, tokens(text), "")]


def scan(stems: tuple[str, ...], words: list[str], lang: str) -> list[Cue]:
    """Each word that a stem of the list matches (the first such stem), in order."""
    pattern = _pattern(stems)
    cues = []
    for i, word in enumerate(words):
        pair = f"{word} {words[i + 1]}" if i + 1 < len(words) else word
        match = pattern.match(pair)
        if match:
            stem = stems[match.lastindex - 1]
            shown = pair if " " in stem else word  # "не работает", not "не"
            cues.append(Cue(stem.rstrip("="), shown, _negated(words, i, lang)))
    return cues


@functools.cache
def _pattern(stems: tuple[str, ...]) -> re.Pattern:
    """One alternation for the whole list, tried in its order at the start of "word
    next-word": a stem matches a word's beginning, "stem=" the whole word, and a stem
    with a space two words in a row."""
    return re.compile("|".join(
        f"({re.escape(stem[:-1])}(?= |$))" if stem.endswith("=") else f"({re.escape(stem)})"
        for stem in stems))


def _negated(words: list[str], i: int, lang: str) -> bool:
    if lang == "kk":
        following = words[i + 1:i + 3]
        return bool(KAZAKH_NEGATED_VERB.search(words[i])) or any(
            w in NEGATORS["kk"] for w in following)
    reach = NEGATION_REACH.get(lang, 0)
    return any(w in NEGATORS.get(lang, ()) or w.endswith("n't")
               for w in words[max(0, i - reach):i])
