"""Topics: the configured rubrics, and terms unusually frequent in this period.

Texts are reduced to lemmas (pymorphy3 for Russian; Kazakh and English words
are cut to a stem), so a rubric keyword matches every form of its word, and
the keyness of a term is Dunning's log-likelihood of its count in the period
against its count in the trailing weeks before: a theme nobody configured
shows up as soon as it is talked about more than usual.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from datetime import date

from clipper.detect.russian import morph
from clipper.detect.text import word_list
from clipper.tone.words import lemma

_WORD = re.compile(r"[^\W\d_]{3,}")
KAZAKH_OR_LATIN = re.compile(r"[әғқңөұүһіa-z]")  # a Kazakh or English word in Russian text
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.I)
PREFIX = "*"  # marks a keyword stem that matches the start of a word
STEM = 6  # letters kept of a Kazakh or English word: "аккредитациясы" ~ "аккредитация"
CRITICAL = 6.63  # log-likelihood of p < 0.01 with one degree of freedom
MIN_COUNT = 3  # a term named fewer times is an accident, not a theme
PAUSE_DAYS = 2  # days without an article a topic's coverage may pause and go on
STOP = frozenset(word_list("""
    это этот который также быть мочь весь свой год день время такой его она они
    для при как что или так уже еще если чтобы когда где между после более
    және мен бойынша үшін деп бұл осы the and for with that this from have has was were
    said will would about have been their more than which also into over
"""))


def terms(text: str, lang: str | None = "ru") -> list[str]:
    """Lemmas of the content words of a text (stems in a Kazakh or English one)."""
    found = []
    for word in _WORD.findall(text.lower()):
        stemmed = lang in ("kk", "en") or KAZAKH_OR_LATIN.search(word)
        term = word[:STEM] if stemmed else lemma(word)
        if term not in STOP and len(term) >= 3:
            found.append(term)
    return found


@functools.lru_cache(maxsize=100_000)
def names_a_thing(term: str) -> bool:
    """A noun (or a stem or word the Russian dictionary does not know): what a theme
    is named by. "Подвести" and "новый" are frequent in any week."""
    if not re.fullmatch("[а-яё-]+", term):
        return True
    parse = morph().parse(term)[0]
    return parse.tag.POS == "NOUN" or not morph().word_is_known(term)


def rubric_terms(keywords: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Each keyword (a word or a phrase) as the terms it must contain: read as Russian
    (lemmas) and, when in Cyrillic, as Kazakh text is read (stems), so "тұмау",
    "екпе", "аурухана" find "тұмаудың", "екпені", "ауруханаға"."""
    found = []
    for keyword in keywords:
        for reading in (tuple(terms(keyword)), _kazakh_reading(keyword)):
            if reading and reading not in found:
                found.append(reading)
    return found


def _kazakh_reading(keyword: str) -> tuple[str, ...]:
    """Stems as a Kazakh text is cut; one shorter than STEM matches any longer word."""
    if not _CYRILLIC.search(keyword):
        return ()
    return tuple(t if len(t) >= STEM else t + PREFIX for t in terms(keyword, "kk"))


def in_rubric(text_terms: set[str], rubric: list[tuple[str, ...]]) -> bool:
    return any(all(_has(text_terms, t) for t in phrase) for phrase in rubric)


class Index:
    """Which articles carry each term: a rubric's articles found at once, where
    `in_rubric` asked of each article in turn reads every term of it for each stem."""

    def __init__(self, terms_of: dict[int, set[str]]):
        self._articles = defaultdict(set)
        for article_id, terms in terms_of.items():
            for term in terms:
                self._articles[term].add(article_id)

    def holding(self, rubric: list[tuple[str, ...]]) -> set[int]:
        """The articles in the rubric (`rubric_terms`): all terms of one of its phrases."""
        found = set()
        for phrase in rubric:
            found |= set.intersection(*(self._carrying(term) for term in phrase))
        return found

    def _carrying(self, term: str) -> set[int]:
        if term.endswith(PREFIX):
            stem = term[:-1]
            return set().union(*(ids for t, ids in self._articles.items() if t.startswith(stem)))
        return self._articles.get(term, set())


def _has(text_terms: set[str], term: str) -> bool:
    if term.endswith(PREFIX):
        stem = term[:-1]
        return any(t.startswith(stem) for t in text_terms)
    return term in text_terms


def run_began(days: set[date], last: date, pause: int = PAUSE_DAYS) -> date | None:
    """The first day of a topic's coverage that runs into `last` without pausing
    longer than `pause` days (a weekend without articles does not end an issue);
    None when `last` has none."""
    if last not in days:
        return None
    began = last
    for day in sorted((d for d in days if d < last), reverse=True):
        if (began - day).days > pause + 1:
            break
        began = day
    return began


def keyness(current: Counter, reference: Counter, known: frozenset = frozenset(),
            limit: int = 8) -> list[dict]:
    """Nouns over-represented in `current` against `reference`, strongest first;
    `known` terms (the watched names themselves) are left out."""
    size, reference_size = sum(current.values()), sum(reference.values())
    if not size or not reference_size:
        return []
    found = []
    for term, count in current.items():
        if count < MIN_COUNT or term in known or not names_a_thing(term):
            continue
        before = reference.get(term, 0)
        expected = size * (count + before) / (size + reference_size)
        if count <= expected:
            continue
        score = _log_likelihood(count, before, size, reference_size)
        if score >= CRITICAL:
            found.append({"term": term, "count": count, "before": before,
                          "score": round(score, 1)})
    # ties by the term: the terms come from sets, whose order changes from run to run
    return sorted(found, key=lambda t: (-t["score"], t["term"]))[:limit]


def _log_likelihood(a: int, b: int, size: int, reference_size: int) -> float:
    total = size + reference_size
    expected_a = size * (a + b) / total
    expected_b = reference_size * (a + b) / total
    score = a * math.log(a / expected_a)
    if b:
        score += b * math.log(b / expected_b)
    return 2 * score
