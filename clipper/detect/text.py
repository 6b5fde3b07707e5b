"""Text helpers shared by the languages: folding, tokens, sentences.

Every transformation here keeps the length of the text, so an offset found in
the folded text is an offset into the original.
"""

from __future__ import annotations

import bisect
import re

# Kazakh news is often typed on a Russian keyboard ("Мадениет жане акпарат"),
# so both spellings must meet in one key. ё is folded for the same reason.
_FOLD_PAIRS = "әаӘАғгҒГқкҚКңнҢНөоӨОұуҰУүуҮУһхҺХіиІИёеЁЕ’'ʼ'‘'`'´'"
FOLD_TABLE = str.maketrans(_FOLD_PAIRS[0::2], _FOLD_PAIRS[1::2])
KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")

TOKEN = re.compile(r"\w+(?:['-]\w+)*")
# Between the words of a name only spaces and commas may stand: a full stop or
# a line break ends the name.
# Between two words of one name: spaces, a comma, or one line break (a wrapped
# line); never a blank line, which ends a paragraph.
NAME_GAP = re.compile(r"[ \t\u00a0\u202f]*,?(?:[ \t\u00a0\u202f]+(?:\r?\n[ \t\u00a0\u202f]*)?"
                      r"|\r?\n[ \t\u00a0\u202f]*)")


def word_list(text: str) -> list[str]:
    """The words of a literal written over several lines."""
    return text.split()


# A Latin letter typed inside a Cyrillic word ("министрлiгi" with a Latin i) is
# its Cyrillic look-alike; whole Latin words are left alone.
_LATIN_LOOKALIKES = str.maketrans("aeopcxyikhmtbAEOPCXYIKHMTB", "аеорсхуикһмтвАЕОРСХУИКҺМТВ")
_CYRILLIC = "а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ"
_SCRIPTS_MEET = re.compile(f"[{_CYRILLIC}][a-zA-Z]|[a-zA-Z][{_CYRILLIC}]")
_WORD = re.compile(r"\w+")


def fold_cased(text: str) -> str:
    if _SCRIPTS_MEET.search(text):  # rare: most texts pay for this one scan only
        text = _WORD.sub(_cyrillic_if_mixed, text)
    return text.translate(FOLD_TABLE)


def _cyrillic_if_mixed(match: re.Match) -> str:
    word = match.group()
    return word.translate(_LATIN_LOOKALIKES) if _SCRIPTS_MEET.search(word) else word


def lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def fold(text: str) -> str:
    """Lower case, Kazakh letters as their Russian look-alikes; same length."""
    return lower_same_length(fold_cased(text))


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


# ---- sentences --------------------------------------------------------------

_BOUNDARY = re.compile(r"[.!?…]+[»\"”’')\]]*(?=\s|$)|\n")
_ABBREVIATIONS = frozenset(
    word_list("""
    т е д п г гг др им ул пр просп пл пер руб тыс млн млрд трлн кв км см мм стр ст
    проф акад доц обл р-н р гос мкр тг напр ср н э тел каз рус англ лат св
    ж б мыс көш обл
    mr mrs ms dr st no vs etc inc ltd jr sr prof gen gov corp co
    """)
)
_LAST_WORD = re.compile(r"(\w+)\W*$")


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences begin; abbreviations and initials do not end one."""
    starts = [0]
    for match in _BOUNDARY.finditer(text):
        if match.group() != "\n" and not _ends_sentence(text, match):
            continue
        starts.append(match.end())
    return starts


def _ends_sentence(text: str, match: re.Match) -> bool:
    if match.group()[0] != ".":
        return True
    word = _LAST_WORD.search(text, max(0, match.start() - 20), match.start() + 1)
    if word:
        last = word.group(1)
        if last.lower() in _ABBREVIATIONS:
            return False
        if len(last) == 1 and last.isupper():  # an initial: "А. Балаева"
            return False
    following = text[match.end():match.end() + 3].lstrip()
    return not (following[:1].islower())


class Sentences:
    """Finds the sentence around an offset; split once, looked up many times."""

    def __init__(self, text: str):
        self.text = text
        self.starts = sentence_starts(text)

    def around(self, offset: int) -> tuple[str, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[i]
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        raw = self.text[start:end]
        stripped = raw.lstrip()
        start += len(raw) - len(stripped)
        return stripped.rstrip(), start
