"""Kazakh surface forms: case and possessive endings on the last word.

Kazakh declines by suffixes chosen by vowel harmony and the final sound. The
detector only needs to recognise forms, not to produce correct ones, so every
variant of a suffix is attached; the wrong ones never occur in text.
"""

from __future__ import annotations

from clipper.detect.forms import (
    ABBREVIATION,
    COORDINATED,
    SURNAME,
    Form,
    bare_abbreviation,
    is_abbreviated_name,
)

# Endings of a noun that already carries the 3rd-person possessive
# ("министрлігі"): genitive, dative, accusative, locative, ablative,
# instrumental, and the attributive locative "-ндегі".
POSSESSIVE_ENDINGS = (
    "", "нің", "ның", "не", "на", "н", "нде", "нда", "нен", "нан", "мен",
    "ндегі", "ндағы", "ндей", "ндай", "нікі", "ныкі",
)
# Endings of a plain noun or a name ("Балаева", "МАМ").
PLAIN_ENDINGS = (
    "", "ның", "нің", "дың", "дің", "тың", "тің",
    "ға", "ге", "қа", "ке", "а", "е",
    "ны", "ні", "ды", "ді", "ты", "ті",
    "да", "де", "та", "те",
    "дан", "ден", "тан", "тен", "нан", "нен",
    "мен", "бен", "пен",
    "дағы", "дегі", "тағы", "тегі",
    "дай", "дей", "тай", "тей",
    "сы", "сі", "ы", "і",
    "сының", "сінің", "ының", "інің", "сына", "сіне", "ына", "іне",
)
_COUNTRY_WORDS = frozenset({"ҚР", "Қазақстан", "Қазақстанның"})
_POSSESSIVE_FINALS = ("ы", "і", "сы", "сі")
_PLURALS = tuple(p + v for p in ("лар", "лер", "дар", "дер", "тар", "тер") for v in ("ы", "і"))
_DEVOICED = {"г": "к", "ғ": "қ", "б": "п"}
_VOWELS = frozenset("аәеиоөұүыіэюяу")


def forms(name: str, kind: str) -> set[Form]:
    if is_abbreviated_name(name):
        return _abbreviation_forms(name)
    words = name.split()
    if kind == "person":
        found = {Form(f, SURNAME) for f in suffixed(words[-1], PLAIN_ENDINGS)}
        if len(words) > 1:
            found |= {Form(f) for f in suffixed(name, PLAIN_ENDINGS)}
        return found
    if not words[-1].endswith(_POSSESSIVE_FINALS):
        return {Form(f) for f in suffixed(name, PLAIN_ENDINGS)}
    found = {Form(f) for f in suffixed(name, POSSESSIVE_ENDINGS)}
    # "министрлігіміз": the body speaking of itself
    found |= {Form(f) for f in suffixed(name + "міз", PLAIN_ENDINGS)}
    found |= {Form(f) for f in suffixed(name + "мыз", PLAIN_ENDINGS)}
    bare = " ".join([*words[:-1], bare_stem(words[-1])])
    found |= {Form(f) for f in suffixed(bare, PLAIN_ENDINGS)}  # "министрліктен"
    for plural in _PLURALS:  # "Көлік және энергетика министрліктері"
        found |= {Form(f) for f in suffixed(bare + plural, POSSESSIVE_ENDINGS)}
    if len(words) > 1:  # "Денсаулық сақтау, Көлік ... министрліктері": the field alone
        found.add(Form(" ".join(words[:-1]), COORDINATED))
    return found


def bare_stem(word: str) -> str:
    """"министрлігі" -> "министрлік", "палатасы" -> "палата": the noun without
    its possessive, the voiced final consonant made voiceless again."""
    stem = word[:-2] if word.endswith(("сы", "сі")) and word[-3:-2] in _VOWELS else word[:-1]
    return stem[:-1] + _DEVOICED.get(stem[-1:], stem[-1:]) if stem else word


def plural_heads(name: str) -> set[str]:
    """The plural head words that close a coordinated list: "министрліктер"."""
    words = name.split()
    if len(words) < 2 or is_abbreviated_name(name) or not words[-1].endswith(_POSSESSIVE_FINALS):
        return set()
    return {bare_stem(words[-1]) + plural[:-1] for plural in _PLURALS}


def _abbreviation_forms(name: str) -> set[Form]:
    bases = {name, bare_abbreviation(name, _COUNTRY_WORDS) or name}
    # Kazakh writes endings after an abbreviation with a hyphen: "МАМ-ның".
    endings = ["", *("-" + e for e in PLAIN_ENDINGS if e)]
    return {Form(b + e, ABBREVIATION) for b in bases for e in endings}


def suffixed(text: str, endings) -> set[str]:
    return {text + ending for ending in endings}


def word_forms(word: str) -> set[str]:
    return suffixed(word.lower(), PLAIN_ENDINGS + POSSESSIVE_ENDINGS)

