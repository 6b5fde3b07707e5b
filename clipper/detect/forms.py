"""What the language modules hand to the detector: surface forms with a tag."""

from __future__ import annotations

import re
from typing import NamedTuple

FULL = "full"  # a whole name in some form
SURNAME = "surname"  # a person's surname alone: may belong to a namesake
ABBREVIATION = "abbreviation"
POSITION = "position"  # the post without the name: "министр культуры и информации"
COORDINATED = "coordinated"  # "Денсаулық сақтау" in "Денсаулық сақтау, Көлік ... министрліктері"
REFERENCE = "reference"  # "глава ведомства": counts only in an article about the entity

_ABBREVIATION_TOKEN = re.compile(r"^[^\W\d_a-zа-яёәғқңөұүһі]{2,}$")


class Form(NamedTuple):
    text: str
    tag: str = FULL


def is_abbreviation(word: str) -> bool:
    """"МКИ", "ҚР", "МИОР": two or more capitals and nothing else."""
    return bool(_ABBREVIATION_TOKEN.match(word))


def is_abbreviated_name(name: str) -> bool:
    return all(is_abbreviation(w) for w in name.split())


def bare_abbreviation(name: str, country_words: frozenset) -> str | None:
    """"МКИ РК" -> "МКИ": the country is usually left out in running text."""
    words = [w for w in name.split() if w not in country_words]
    if not words or len(words) == len(name.split()):
        return None
    return " ".join(words)
