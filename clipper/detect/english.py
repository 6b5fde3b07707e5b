"""English surface forms: the names as given, possessives, "X Ministry"."""

from __future__ import annotations

import re

from clipper.detect.forms import (
    ABBREVIATION,
    SURNAME,
    Form,
    bare_abbreviation,
    is_abbreviated_name,
)

_COUNTRY_WORDS = frozenset({"RK", "Kazakhstan"})
# "Ministry of Culture and Information" is as often "the Culture and
# Information Ministry"; the same for agencies and committees.
_OF_NAME = re.compile(r"^(Ministry|Agency|Committee|Department)\s+(?:of|for)\s+(.+)$", re.I)


def forms(name: str, kind: str) -> set[Form]:
    if is_abbreviated_name(name):
        bases = {name, bare_abbreviation(name, _COUNTRY_WORDS) or name}
        return {Form(f, ABBREVIATION) for b in bases for f in possessives(b)}
    if kind == "person":
        surname = name.split()[-1]
        found = {Form(f, SURNAME) for f in possessives(surname)}
        return found | {Form(f) for f in possessives(name)}
    names = {name}
    match = _OF_NAME.match(name)
    if match:
        names.add(f"{match.group(2)} {match.group(1)}")
    return {Form(f) for n in names for f in possessives(n)}


def possessives(text: str) -> set[str]:
    return {text, text + ("'" if text.endswith("s") else "'s")}


def word_forms(word: str) -> set[str]:
    word = word.lower()
    return {word, word + "s", word + "es", word + "'s", word + "ed", word + "ing"}

