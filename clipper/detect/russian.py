"""Russian surface forms: every case and number of a name, via pymorphy3."""

from __future__ import annotations

import functools

import pymorphy3

from clipper.detect.forms import (
    ABBREVIATION,
    SURNAME,
    Form,
    bare_abbreviation,
    is_abbreviated_name,
    is_abbreviation,
)

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
NUMBERS = ("sing", "plur")
_COUNTRY_WORDS = frozenset({"РК", "Казахстана", "Казахстан"})
# Colloquial declension of abbreviations ending in a consonant: "МИОРа", "МИОРом".
_ABBREVIATION_ENDINGS = ("а", "у", "ом", "е")
_VOWELS = set("АЕЁИОУЫЭЮЯ")
_VOWELS_LOWER = set("аеёиоуыэюя")


@functools.cache
def morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def forms(name: str, kind: str) -> set[Form]:
    if is_abbreviated_name(name):
        return _abbreviation_forms(name)
    if kind == "person":
        return _person_forms(name)
    return _organization_forms(name)


def _abbreviation_forms(name: str) -> set[Form]:
    bases = {name, bare_abbreviation(name, _COUNTRY_WORDS) or name}
    found = {Form(b, ABBREVIATION) for b in bases}
    for base in bases:
        if " " not in base and base[-1] not in _VOWELS:
            found |= {Form(base + e, ABBREVIATION) for e in _ABBREVIATION_ENDINGS}
    return found


# ---- organisations ----------------------------------------------------------

def _organization_forms(name: str) -> set[Form]:
    words = name.split()
    lead = _leading_abbreviations(words)  # "НПП Атамекен": the head is "Атамекен"
    head = _head_phrase(words[lead:])
    if not head or (len(head) == 1 and not head[0].is_known):
        return {Form(name)} | {Form(f) for f in _fallback_forms(words, lead)}
    prefix, rest = words[:lead], words[lead + len(head):]
    found = {Form(name)}
    for case in CASES:
        for number in NUMBERS:
            inflected = _inflect_phrase(head, case, number)
            if inflected:
                found.add(Form(" ".join(prefix + inflected + rest)))
    return found


def _leading_abbreviations(words: list[str]) -> int:
    n = 0
    while n < len(words) - 1 and is_abbreviation(words[n]):
        n += 1
    return n


# Endings of a noun the dictionary does not know, by its last letter: "Антикор" ->
# "Антикора", "Самрук-Казына" -> "Самрук-Казыны". Other final letters do not decline.
_FALLBACK_ENDINGS = {
    "а": ("а", "ы", "и", "е", "у", "ой", "ою"),
    "я": ("я", "и", "е", "ю", "ей", "ею"),
    "й": ("й", "я", "ю", "ем", "е"),
    "ь": ("ь", "я", "ю", "ем", "е", "и", "ью"),
}
_CONSONANT_ENDINGS = ("", "а", "у", "ом", "е")


def _fallback_forms(words: list[str], lead: int) -> set[str]:
    """Rule-based cases of a one-word name (its last part when hyphenated)."""
    if len(words) - lead != 1 or not words[-1][-1:].isalpha():
        return set()
    word, last = words[-1], words[-1][-1].lower()
    if last in _FALLBACK_ENDINGS:
        stem, endings = word[:-1], _FALLBACK_ENDINGS[last]
    elif last in _VOWELS_LOWER:
        return set()
    else:
        stem, endings = word, _CONSONANT_ENDINGS
    prefix = " ".join(words[:-1] + [""])
    return {prefix + stem + ending for ending in endings}


def _head_phrase(words: list[str]) -> list:
    """Parses of the leading adjectives and the noun they agree with, else []."""
    phrase = []
    for word in words:
        if not word.isalpha():
            return []
        parses = morph().parse(word.lower())
        adjective = _pick(parses, "ADJF")
        noun = _pick(parses, "NOUN")
        if noun and not adjective:
            return [*phrase, noun]
        if not adjective:
            return []
        phrase.append(adjective)
    return []


def _pick(parses, pos: str):
    for parse in parses:
        if pos == parse.tag.POS and parse.tag.case == "nomn" and "Fixd" not in parse.tag:
            return parse
    return None


def _inflect_phrase(head: list, case: str, number: str) -> list[str] | None:
    noun = _inflect(head[-1], {case, number})
    if noun is None:
        return None
    words = []
    for adjective in head[:-1]:
        grammemes = {case, number}
        if number == "sing":
            grammemes.add(head[-1].tag.gender)
        form = None
        if case == "accs":  # animacy decides the masculine and plural accusative only
            form = _inflect(adjective, grammemes | {head[-1].tag.animacy})
        form = form or _inflect(adjective, grammemes)
        if form is None:
            return None
        words.append(form)
    return [*words, noun]


def _inflect(parse, grammemes: set) -> str | None:
    """A form sharing the word's stem: inflect() alone turns "высшая" into "высочайшей"."""
    stem = parse.word[: max(2, len(parse.word) - 2)]
    for form in parse.lexeme:
        if grammemes <= form.tag.grammemes and form.word.startswith(stem):
            return form.word
    inflected = parse.inflect(grammemes)
    return inflected.word if inflected else None


# ---- people -----------------------------------------------------------------

def _person_forms(name: str) -> set[Form]:
    words = name.split()
    if len(words) == 1:
        return {Form(f, SURNAME) for f in surname_forms(words[0], "masc")}
    female = _is_female(words[0])
    gender = "femn" if female else "masc"
    surname = words[-1]
    found = {Form(name)}
    found |= {Form(f, SURNAME) for f in surname_forms(surname, gender)}
    for case in CASES:
        first = _given_name_form(words[0], case, gender)
        last = _surname_case(surname, case, gender)
        found.add(Form(" ".join([first, *words[1:-1], last])))
    return found


def _is_female(given: str) -> bool:
    for parse in morph().parse(given.lower()):
        if "Name" in parse.tag:
            return parse.tag.gender == "femn"
    return given.lower().endswith(("а", "я"))


def _given_name_form(given: str, case: str, gender: str) -> str:
    for parse in morph().parse(given.lower()):
        if "Name" in parse.tag and parse.tag.case == "nomn" and parse.tag.gender == gender:
            inflected = parse.inflect({case, "sing"})
            if inflected:
                return inflected.word
    return given


# Russian-type surnames decline by rule; a dictionary would guess the
# masculine genitive for "Балаева".
_SURNAME_RULES = {
    "femn": {
        ("ова", "ева", "ёва", "ина", "ына"): ("а", "ой", "ой", "у", "ой", "ой"),
        ("ская", "цкая"): ("ая", "ой", "ой", "ую", "ой", "ой"),
    },
    "masc": {
        ("ов", "ев", "ёв", "ин", "ын"): ("", "а", "у", "а", "ым", "е"),
        ("ский", "цкий"): ("ий", "ого", "ому", "ого", "им", "ом"),
    },
}


def _surname_case(surname: str, case: str, gender: str) -> str:
    for endings, cases in _SURNAME_RULES[gender].items():
        if surname.lower().endswith(endings):
            nominative = cases[0]
            stem = surname[: len(surname) - len(nominative)]
            return stem + cases[CASES.index(case)]
    return surname


def surname_forms(surname: str, gender: str) -> set[str]:
    return {_surname_case(surname, case, gender) for case in CASES}


# ---- context words ----------------------------------------------------------

def word_forms(word: str) -> set[str]:
    """All forms of a context word, from every reading the dictionary knows."""
    found = {word.lower()}
    for parse in morph().parse(word.lower()):
        if parse.is_known:
            found |= {f.word for f in parse.lexeme}
    return found

