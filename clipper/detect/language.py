"""Which of ru, kk, en a text is written in."""

from __future__ import annotations

import functools
import re

from clipper.detect.text import KAZAKH_LETTERS, fold, word_list

_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.I)
_LATIN = re.compile(r"[a-z]", re.I)
_WORD = re.compile(r"\w+(?:-\w+)*")

# Folded, so that Kazakh typed without its own letters counts too.
KAZAKH_WORDS = frozenset(fold(w) for w in word_list("""
    және мен бойынша үшін деп туралы бұл осы да де мен сол оның олар біз
    жылы жыл бар жоқ керек болды болып екенін кезінде арқылы бірге тиіс
    сондай-ақ алайда дейін кейін қазір еді
"""))
RUSSIAN_WORDS = frozenset(fold(w) for w in word_list("""
    и в во на не что с со по для о об от к из за это как а но у его ее её при
    также который которая которые был была были будет уже или если только
    он она они мы вы же бы ли до после между чтобы где когда
"""))
_SAMPLE_WORDS = 60  # words checked against the Russian dictionary


def detect_language(text: str) -> str:
    """"kk", "en" or "ru" (the default, also for text without letters)."""
    latin = len(_LATIN.findall(text))
    cyrillic = len(_CYRILLIC.findall(text))
    if latin > cyrillic:
        return "en"
    if not cyrillic:
        return "ru"
    kazakh, russian = _votes(text)
    return "kk" if kazakh > russian else "ru"


def _votes(text: str) -> tuple[int, int]:
    kazakh = russian = 0
    for i, match in enumerate(_WORD.finditer(text)):
        word = match.group()
        folded = fold(word)
        if KAZAKH_LETTERS.intersection(word):
            kazakh += 1
        elif folded in KAZAKH_WORDS:
            kazakh += 2
        elif folded in RUSSIAN_WORDS:
            russian += 1
        elif i < _SAMPLE_WORDS and len(word) > 3 and word.islower() and _CYRILLIC.match(word):
            # In a short title the dictionary decides: Kazakh words are unknown to it.
            if _is_russian(folded):
                russian += 1
            else:
                kazakh += 1
    return kazakh, russian


@functools.lru_cache(maxsize=65536)
def _is_russian(word: str) -> bool:
    from clipper.detect.russian import morph

    return morph().word_is_known(word)
