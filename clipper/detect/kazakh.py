"""Kazakh surface forms: case and possessive endings on the last word.

Kazakh declines by suffixes chosen by vowel harmony and the final sound. The
detector only needs to recognise forms, not to produce correct ones, so every
variant of a suffix is attached; the wrong ones never occur in text.
"""

from __future__ import annotations

from clipper.detect.forms import (
    ABBREVIATION,
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


def forms(name: str, kind: str) -> set[Form]:
    if is_abbreviated_name(name):
        return _abbreviation_forms(name)
    words = name.split()
    if kind == "person":
        found = {Form(f, SURNAME) for f in suffixed(words[-1], PLAIN_ENDINGS)}
        if len(words) > 1:
            found |= {Form(f) for f in suffixed(name, PLAIN_ENDINGS)}
        return found
    endings = POSSESSIVE_ENDINGS if words[-1].endswith(_POSSESSIVE_FINALS) else PLAIN_ENDINGS
    return {Form(f) for f in suffixed(name, endings)}


def _abbreviation_forms(name: str) -> set[Form]:
    bases = {name, bare_abbreviation(name, _COUNTRY_WORDS) or name}
    # Kazakh writes endings after an abbreviation with a hyphen: "МАМ-ның".
    endings = ["", *("-" + e for e in PLAIN_ENDINGS if e)]
    return {Form(b + e, ABBREVIATION) for b in bases for e in endings}


def suffixed(text: str, endings) -> set[str]:
    return {text + ending for ending in endings}


def word_forms(word: str) -> set[str]:
    return suffixed(word.lower(), PLAIN_ENDINGS + POSSESSIVE_ENDINGS)

