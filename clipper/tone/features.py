"""Sentence and entity span to the feature strings the tone model weighs.

The entity is replaced by a placeholder so the model learns how a sentence
speaks of *someone*, not who that someone is. Words are lemmatised
(pymorphy3), so "раскритиковали", "раскритиковал" and "раскритикует" share
their weight. Features near the entity carry their own copy: the tone of a
sentence often concerns another party than the one we watch.
"""

from __future__ import annotations

import functools
import re

import pymorphy3

ENTITY = "_ent_"
WINDOW = 6  # words either side of the entity that count as its neighbourhood
NEGATIONS = frozenset({"не", "нет", "ни", "без", "never", "not", "no", "емес", "жоқ"})
_WORD = re.compile(r"[\w-]+", re.UNICODE)
_NUMBER = re.compile(r"^\d[\d-]*$")


@functools.cache
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    if _NUMBER.match(word):
        return "_num_"
    if not re.search("[а-яё]", word):
        return word
    return _morph().parse(word)[0].normal_form


def tokens(sentence: str, start: int, end: int) -> tuple[list[str], int]:
    """Lemmas of the sentence with the entity as one placeholder; its index among them."""
    before = [lemma(w.lower()) for w in _WORD.findall(sentence[:start])]
    after = [lemma(w.lower()) for w in _WORD.findall(sentence[end:])]
    return [*before, ENTITY, *after], len(before)


def with_negation(words: list[str]) -> list[str]:
    """'не поддержал' becomes one token 'не_поддержать': negation flips a cue."""
    out, negate = [], False
    for word in words:
        if word in NEGATIONS:
            negate = True
            continue
        out.append(f"не_{word}" if negate and word != ENTITY else word)
        negate = False
    return out


def features(sentence: str, start: int, end: int) -> list[str]:
    words, at = tokens(sentence, start, end)
    words = with_negation(words)
    at = words.index(ENTITY)
    near = words[max(0, at - WINDOW): at + WINDOW + 1]
    found = [f"w:{w}" for w in words if w != ENTITY]
    found += [f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False)]
    found += [f"n:{w}" for w in near if w != ENTITY]
    found += [f"nb:{a}_{b}" for a, b in zip(near, near[1:], strict=False)]
    if at > 0:
        found.append(f"prev:{words[at - 1]}")
    if at + 1 < len(words):
        found.append(f"next:{words[at + 1]}")
    if _quoted(sentence, start):
        found.append("quoted")
    return found


def _quoted(sentence: str, start: int) -> bool:
    """Whether the entity stands inside a quotation ("«...»")."""
    head = sentence[:start]
    return head.count("«") > head.count("»") or head.count('"') % 2 == 1


def readable(feature: str) -> str:
    """A feature as a reader would understand it: 'nb:не_поддержать' -> 'не поддержать'."""
    if ":" not in feature:  # a flag such as "quoted", not words
        return ""
    text = feature.split(":", 1)[1]
    return text.replace(ENTITY, "…").replace("_", " ").strip()


_FUNCTION_TAGS = frozenset({"NPRO", "NUMR", "PREP", "CONJ", "PRCL", "INTJ", "Apro", "Anum"})


def is_content(cue: str) -> bool:
    """Whether a cue holds a word a reader learns from: not "который", "один", "за"."""
    return any(len(word) >= 4 and not (_morph().parse(word)[0].tag.grammemes & _FUNCTION_TAGS)
               for word in cue.split() if word != "…")
