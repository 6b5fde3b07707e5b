"""Sentence and entity span to what the tone model weighs.

The entity is replaced by a placeholder so the model learns how a sentence
speaks of *someone*, not who that someone is. Words are lemmatised
(pymorphy3), so "раскритиковали", "раскритиковал" and "раскритикует" share
their weight. Features near the entity carry their own copy, and so do the
words tied to it in the parse tree: the tone of a sentence often concerns
another party than the one we watch. What kind of entity it is (a person, an
organization, a country, a profession) changes how often news is toned
towards it, so the nearby features carry a copy tagged with the kind too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from clipper.tone import syntax
from clipper.tone.words import best_parse, lemma

ENTITY = "_ent_"
WINDOW = 6  # words either side of the entity that count as its neighbourhood
NEGATIONS = frozenset({"не", "нет", "ни", "без", "never", "not", "no", "емес", "жоқ"})
ENTITY_TYPES = ("PERSON", "ORGANIZATION", "COUNTRY", "PROFESSION", "NATIONALITY")
_TYPE_OF_KIND = {"organization": "ORGANIZATION", "person": "PERSON"}  # sources.yaml kinds
_WORD = re.compile(r"[\w-]+", re.UNICODE)
_KIND_TAGGED = ("n:", "prev:", "next:", "rel:", "anc:", "dep:", "sib:", "mod:", "cl:")


@dataclass(frozen=True)
class Described:
    features: list[str]
    dense: np.ndarray
    parsed: syntax.Parse


def describe(sentence: str, start: int, end: int, entity_type: str) -> Described:
    parsed = syntax.parse(sentence, start, end)
    found = features(sentence, start, end) + syntax.syntax_features(parsed)
    found += [f"{entity_type}|{f}" for f in found if f.startswith(_KIND_TAGGED)]
    found.append(f"type:{entity_type}")
    return Described(found, syntax.dense_vector(parsed), parsed)


def entity_types(entities) -> dict[str, str]:
    """Each configured entity's id and the type the model knows it by (PERSON, ...)."""
    return {e.id: _TYPE_OF_KIND[e.kind] for e in entities}


def guess_entity_type(text: str) -> str:
    """A name (first name, surname) is a person, a place a country, else an organization."""
    for word in _WORD.findall(text.lower()):
        grammemes = best_parse(word).tag.grammemes
        if grammemes & {"Name", "Surn", "Patr"}:
            return "PERSON"
        if "Geox" in grammemes:
            return "COUNTRY"
    return "ORGANIZATION"


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
    # No bag of the whole sentence: its words are as often about another party, and
    # without them the model does better on sentences it has not seen (README).
    found = [f"n:{w}" for w in near if w != ENTITY]
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
    """A feature as a reader would understand it: 'nb:не_поддержать' -> 'не поддержать',
    'PERSON|dep:nsubj>уволить' -> 'уволить'."""
    feature = feature.rsplit("|", 1)[-1]
    if ":" not in feature:  # a flag such as "quoted", not words
        return ""
    kind, text = feature.split(":", 1)
    if kind in ("rel", "type"):
        return ""
    if kind == "dep":
        text = text.split(">", 1)[1]
    elif kind == "sib":
        text = text.split(":", 1)[1]
    return text.replace(ENTITY, "…").replace("_", " ").strip()


_FUNCTION_TAGS = frozenset({"NPRO", "NUMR", "PREP", "CONJ", "PRCL", "INTJ", "Apro", "Anum"})
# Verbs and adverbs that carry grammar, not tone: "будет устранена", "ничего не сделано".
_EMPTY_WORDS = frozenset({"быть", "стать", "являться", "мочь", "ничего", "нечего", "также",
                          "ещё", "уже"})


def is_content(cue: str) -> bool:
    """Whether a cue holds a word a reader learns from: not "который", "один", "быть"."""
    return any(len(word) >= 4 and word not in _EMPTY_WORDS
               and not (best_parse(word).tag.grammemes & _FUNCTION_TAGS)
               for word in cue.split() if word != "…")
