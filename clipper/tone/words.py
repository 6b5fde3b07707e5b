"""Russian words in dictionary form and their part of speech (pymorphy3), cached."""

from __future__ import annotations

import functools
import re

import pymorphy3

_NUMBER = re.compile(r"^\d[\d-]*$")
_CYRILLIC = re.compile("[а-яё]")
_PART_OF_SPEECH = {"NOUN": "NOUN", "ADJF": "ADJ", "ADJS": "ADJ", "COMP": "ADJ",
                   "VERB": "VERB", "INFN": "VERB", "PRTF": "VERB", "PRTS": "VERB",
                   "GRND": "VERB", "ADVB": "ADV"}


@functools.cache
def morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=200_000)
def best_parse(word: str):
    """pymorphy3's likeliest reading of a word: parsing is most of the tone model's time."""
    return morph().parse(word)[0]


def lemma(word: str) -> str:
    if _NUMBER.match(word):
        return "_num_"
    if not _CYRILLIC.search(word):
        return word
    return best_parse(word).normal_form


def part_of_speech(word: str) -> str:
    """NOUN, ADJ, VERB (participles and gerunds too), ADV, or "" for anything else."""
    if not _CYRILLIC.search(word):
        return ""
    return _PART_OF_SPEECH.get(best_parse(word).tag.POS, "")
