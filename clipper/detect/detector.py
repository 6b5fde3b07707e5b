"""Find the watched entities in a text.

Every surface form of every name (all cases, Kazakh endings, possessives) is
generated once and stored in a trie keyed by folded words. A text is split
into words once; each word is one dictionary look-up, so the cost grows with
the length of the text and not with the number of names.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from clipper.detect import english, kazakh, russian
from clipper.detect.abroad import Whereabouts, generic_head, names_home
from clipper.detect.countries import gazetteer
from clipper.detect.forms import ABBREVIATION, COORDINATED, POSITION, REFERENCE, SURNAME
from clipper.detect.language import detect_language
from clipper.detect.text import (
    NAME_GAP,
    TOKEN,
    Sentences,
    fold,
    fold_cased,
    lower_same_length,
    sentence_starts,
    word_list,
)

LANGUAGE_FORMS = {"ru": russian.forms, "kk": kazakh.forms, "en": english.forms}
WORD_FORMS = (russian.word_forms, kazakh.word_forms, english.word_forms)
LANGUAGE_SAMPLE = 2000  # characters of a text that tell its language
CONTEXT_WINDOW = 10  # words either side of a name where a context word may stand
_END = ""  # the trie key of the names ending at a node; never a word

# Words that may stand between a name and its country: "... Республики Узбекистан",
# "Ресей Федерациясының ...", "of the Republic of Uzbekistan".
FILLERS = frozenset(fold(w) for w in word_list("""
    республики республика республикасы республикасының федерации федерациясы
    федерациясының народной самопровозглашенной самопровозглашённой непризнанной
    of the republic разных других соседних other neighbouring басқа
"""))
_DOTTED_COUNTRY = re.compile(r"\b(U\.S\.|U\.K\.|U\.A\.E\.)(?:'s|’s)?\s*$")
_DOTTED_CODES = {"U.S.": "US", "U.K.": "GB", "U.A.E.": "AE"}
DEFAULT_COUNTRY = "KZ"
FORMER = tuple(fold(w) for w in word_list("бывш экс прежн former бұрынғы"))
APPOSITION_WORDS = 4  # "Балаевой, т.е. министра": words between a name and its post
_CONJUNCTIONS = frozenset(fold(w) for w in word_list("және мен бен пен"))
_LIST_WORDS = 10  # words from a field named alone to the plural head closing its list
_ABBREVIATION_ENDING = 3  # "МИОРом": letters after the capitals of an abbreviation
_SENTENCE_END = re.compile(r"[.!?…]\s")
_STOP_GAP = re.compile(r"[.!?;:()\n«»\"]")


@dataclass(frozen=True)
class Mention:
    entity: str
    start: int
    end: int
    text: str
    sentence: str
    sentence_start: int
    lang: str
    position: str = "body"
    tag: str = "full"  # how it was named: full, surname, abbreviation, position, reference


class Name(NamedTuple):
    entity: str
    tag: str
    capitals: tuple  # per word: the capitals it must start with, "" if none
    words: frozenset  # the folded words of the name, to tell a namesake
    generic: bool = False  # every country's body or post: not ours in an article abroad


class Candidate(NamedTuple):
    first: int  # word index
    last: int
    name: Name


class Detector:
    """Built once from the entities; `find` is then a pass over the words.

    An entity's `context` applies to all its mentions: a name counts only with
    one of the words (any form, any of the three languages) within
    CONTEXT_WINDOW words. `exclude` patterns run on the original text, as
    written (add "(?i)" for case-insensitive ones).

    A generic name (an organization's name or a post built on a head every
    country has, "Министерство обороны", "Минздрав", "Health Ministry", without
    the home country in it; or as the entity's `generic` says) is dropped in an
    article datelined abroad or about another country (`abroad.Whereabouts`),
    unless the home country is named in its sentence or the one before.
    """

    def __init__(self, entities, country: str = DEFAULT_COUNTRY):
        self.entities = {e.id: e for e in entities}
        self.country = country  # the home country: its bodies are ours
        self.trie: dict = {}
        for entity in entities:
            for lang, names in entity.names.items():
                for name in names:
                    self._add_name(entity, lang, name)
            for tag, phrases in ((POSITION, entity.positions), (REFERENCE, entity.references)):
                for lang, phrase_list in phrases.items():
                    for phrase in phrase_list:
                        self._add_name(entity, lang, phrase, tag)
        self.plural_heads = tuple(sorted({
            fold(head) for e in entities if e.kind == "organization"
            for name in e.names.get("kk", ()) for head in kazakh.plural_heads(name)}))
        self.excludes = {e.id: [re.compile(p) for p in e.exclude] for e in entities}
        self.contexts = {e.id: _context_forms(e.context) for e in entities if e.context}

    def _add_name(self, entity, lang: str, name: str, tag: str | None = None) -> None:
        """A name, or (with a tag) a post or a reference, declined like a common noun."""
        kind = "organization" if tag else entity.kind
        forms = LANGUAGE_FORMS.get(lang, english.forms)(name, kind)
        own_words = frozenset(fold(w) for n in entity.names.get(lang, ()) for w in TOKEN.findall(n))
        generic = self._generic(entity, name, lang, tag)
        for form in forms:
            if tag and form.tag == COORDINATED:  # a post is never one of a list of bodies
                continue
            words = TOKEN.findall(fold_cased(form.text))
            capitals = () if tag else tuple(_leading_capitals(w) for w in words)
            # "МИД РК" is ours anywhere; its bare "МИД" is generic
            generic_form = generic and not (generic == "marked"
                                            and names_home(words, lang, self.country))
            self._add_words(words, Name(entity.id, tag or form.tag, capitals, own_words,
                                        generic_form))
            spaced = [p for w in words for p in _camel_parts(w)]
            if not tag and len(spaced) > len(words):  # "ВКонтакте" written "В Контакте"
                capitals = tuple(p[0] if p[0].isupper() else "" for p in spaced)
                self._add_words(spaced, Name(entity.id, form.tag, capitals, own_words,
                                             generic_form))

    def _generic(self, entity, name: str, lang: str, tag: str | None):
        """False, True, or "marked" when the name names the home country (then
        only its forms without the country, such as a bare abbreviation, are)."""
        if tag == REFERENCE or (entity.kind != "organization" and tag != POSITION):
            return False
        if entity.generic is False or (entity.generic is None and not generic_head(name, lang)):
            return False
        return "marked" if names_home(TOKEN.findall(fold_cased(name)), lang,
                                      self.country) else True

    def _add_words(self, words: list[str], entry: Name) -> None:
        node = self.trie
        for word in words:
            node = node.setdefault(lower_same_length(word), {})
        if entry not in node.get(_END, ()):
            node.setdefault(_END, []).append(entry)

    # ---- searching ----------------------------------------------------------

    def find(self, text: str, lang: str | None = None, position: str = "body") -> list[Mention]:
        """Mentions in one text; a reference counts when the text names its entity."""
        lang = lang or detect_language(text)
        found = self._find(text, lang, lambda start: position, Whereabouts("", text, lang,
                                                                              self.country))
        return self._with_references(found, found)

    def find_in_article(self, title: str, text: str, lang: str | None = None) -> list[Mention]:
        """Mentions in an article; a reference ("глава ведомства") counts only when
        the headline or the lead names its entity (or, for an official, the
        organization): then the article is about them."""
        lang = lang or detect_language(f"{title}\n{text[:LANGUAGE_SAMPLE]}")
        lead_end = _lead_end(text)
        where = Whereabouts(title, text, lang, self.country)
        found = self._find(title, lang, lambda start: "headline", where)
        found += self._find(text, lang, lambda start: "lead" if start < lead_end else "body", where)
        return self._with_references(found, [m for m in found if m.position != "body"])

    def _with_references(self, found: list[Mention], subject: list[Mention]) -> list[Mention]:
        named = {m.entity for m in subject if m.tag != REFERENCE}
        if any(self.entities[e].role == "self" for e in named):
            named |= {e.id for e in self.entities.values() if e.role == "official"}
        return [m for m in found if m.tag != REFERENCE or m.entity in named]

    def _find(self, text: str, lang: str, position_of, where=None) -> list[Mention]:
        if not text:
            return []
        search = _Search(self, text, lang, where)
        chosen = search.candidates()
        if not chosen:
            return []
        sentences = Sentences(text)
        mentions = []
        for candidate in chosen:
            start, end = search.spans[candidate.first][0], search.spans[candidate.last][1]
            sentence, sentence_start = sentences.around(start)
            mentions.append(Mention(
                candidate.name.entity, start, end, text[start:end], sentence, sentence_start,
                lang, position_of(start), candidate.name.tag,
            ))
        return mentions


class _Search:
    """One text being searched: its words and the checks on a candidate."""

    def __init__(self, detector: Detector, text: str, lang: str, where=None):
        self.detector = detector
        self.lang = lang
        self.where = where  # the article's Whereabouts
        self.text = text
        self.cased = fold_cased(text)
        low = lower_same_length(self.cased)
        self.spans = [m.span() for m in TOKEN.finditer(low)]
        self.words = [low[s:e] for s, e in self.spans]
        self._excluded: dict = {}

    def candidates(self) -> list[Candidate]:
        found = []
        trie = self.detector.trie
        for i, word in enumerate(self.words):
            node = trie.get(word)
            if node is not None:
                candidate = self._longest(i, node)
                if candidate and self._accepted(candidate):
                    found.append(candidate)
        chosen = _without_overlaps(found, self.spans)
        return [c for i, c in enumerate(chosen)
                if c.name.tag != POSITION or not self._appositive(c, chosen[:i])]

    def _appositive(self, post: Candidate, earlier: list[Candidate]) -> bool:
        """"Аида Балаева, министр культуры и информации, ...": one mention, not two."""
        for candidate in reversed(earlier):
            if post.first - candidate.last > APPOSITION_WORDS:
                return False
            start = self.spans[post.first][0]
            gap = self.text[self.spans[candidate.last][1]:start]
            new_sentence = "\n" in gap or (_SENTENCE_END.search(gap) is not None
                                           and self.text[start].isupper())
            if candidate.name.entity == post.name.entity and not new_sentence:
                return True
        return False

    def _longest(self, i: int, node: dict) -> Candidate | None:
        best = None
        j = i
        while True:
            for name in node.get(_END, ()):
                if self._capitals_ok(i, name):
                    best = Candidate(i, j, name)
                    break
            if j + 1 >= len(self.words) or not self._joined(j):
                return best
            node = node.get(self.words[j + 1])
            if node is None:
                return best
            j += 1

    def _joined(self, j: int) -> bool:
        return NAME_GAP.fullmatch(self.text, self.spans[j][1], self.spans[j + 1][0]) is not None

    def _capitals_ok(self, i: int, name: Name) -> bool:
        for k, capitals in enumerate(name.capitals):
            if capitals and not self.cased.startswith(capitals, self.spans[i + k][0]):
                return False
        return True

    # ---- filters ------------------------------------------------------------

    def _accepted(self, candidate: Candidate) -> bool:
        entity = self.detector.entities[candidate.name.entity]
        posts = (POSITION, REFERENCE)
        if (entity.kind == "organization" or candidate.name.tag in posts) \
                and self._foreign(candidate):
            return False
        if candidate.name.generic and self._abroad(candidate):
            return False
        if candidate.name.tag == POSITION and self._holder_named(candidate):
            return False
        if candidate.name.tag == SURNAME and self.lang == "ru" and self._namesake(candidate):
            return False
        if candidate.name.tag == ABBREVIATION and self._shouted_word(candidate):
            return False
        if candidate.name.tag == COORDINATED and not self._coordinated(candidate):
            return False
        if self._in_excluded(candidate, entity):
            return False
        return self._in_context(candidate, entity)

    def _foreign(self, candidate: Candidate) -> bool:
        """Another country's namesake, by the side rules of each language: Russian
        names the country after ("МИД Литвы") or as an adjective before
        ("греческого министерства"); Kazakh names the owner before ("Түркияның ...");
        English before ("Britain's", "the US") or after ("of Uzbekistan")."""
        home = self.detector.country
        places = [self._dotted_country(candidate)]
        before = self._neighbour(candidate.first, -1)
        after = self._neighbour(candidate.last, +1)
        gaz = gazetteer(self.lang)
        if before is not None:
            word = self.words[before]
            place = gaz.adjective(word) if self.lang == "ru" else gaz.before(self.words, before)
            places.append(self._written(place, before))
        if after is not None and self.lang != "kk":
            places.append(self._written(gaz.after(self.words, after), after))
        return any(p is not None and p != home for p in places)

    def _abroad(self, candidate: Candidate) -> bool:
        """A generic name in an article datelined abroad or about another country,
        the home country named neither in its sentence nor in the one before."""
        if self.where is None or not self.where.abroad:
            return False
        starts = self._sentence_starts
        following = bisect.bisect_right(starts, self.spans[candidate.first][0])
        end = starts[following] if following < len(starts) else len(self.text)
        near = self.cased[starts[max(0, following - 2)]:end]
        return not names_home(TOKEN.findall(near), self.lang, self.detector.country)

    @functools.cached_property
    def _sentence_starts(self) -> list[int]:
        return sentence_starts(self.text)

    def _written(self, place, k: int) -> str | None:
        """The country's code, if an abbreviation ("US", "РФ") is in capitals."""
        if place is None or (place.capitals and not self.cased[slice(*self.spans[k])].isupper()):
            return None
        return place.code

    def _dotted_country(self, candidate: Candidate) -> str | None:
        if self.lang != "en":
            return None
        start = self.spans[candidate.first][0]
        match = _DOTTED_COUNTRY.search(self.text, max(0, start - 12), start)
        return _DOTTED_CODES[match.group(1)] if match else None

    def _neighbour(self, j: int, step: int) -> int | None:
        """The nearest word beside word j that is not a filler, within the sentence."""
        for _ in range(5):  # "of the Republic of Uzbekistan"
            k = j + step
            if not 0 <= k < len(self.words):
                return None
            left, right = (j, k) if step > 0 else (k, j)
            if _STOP_GAP.search(self.text, self.spans[left][1], self.spans[right][0]):
                return None
            if self.words[k] not in FILLERS:
                return k
            j = k
        return None

    def _coordinated(self, candidate: Candidate) -> bool:
        """"Денсаулық сақтау, Көлік және Энергетика министрліктері": a field named
        alone is a body only in a list that ends with the plural head noun."""
        j = candidate.last
        if j + 1 >= len(self.words) or not self._joined(j):
            return False
        if "," not in self.text[self.spans[j][1]:self.spans[j + 1][0]] \
                and self.words[j + 1] not in _CONJUNCTIONS:
            return False
        for k in range(j + 1, min(j + 1 + _LIST_WORDS, len(self.words))):
            if self.words[k].startswith(self.detector.plural_heads):
                return True
            if k + 1 >= len(self.words) or not self._joined(k):
                return False
        return False

    def _holder_named(self, candidate: Candidate) -> bool:
        """"Министр ... Аида Балаева": the name that follows the post is the mention
        (or belongs to someone else); "бывший министр ..." is not today's holder."""
        before = candidate.first - 1
        if before >= 0 and self._joined(before) and self.words[before].startswith(FORMER):
            return True
        after = candidate.last + 1
        if after >= len(self.words) or not self._joined(candidate.last):
            return False
        word = self.words[after]
        if word in FILLERS or self._written(gazetteer(self.lang).after(self.words, after),
                                            after) == self.detector.country:
            return False
        return self.cased[self.spans[after][0]].isupper()

    def _shouted_word(self, candidate: Candidate) -> bool:
        """"ПОДАРКИ ДЛЯ МАМ": in a line all in capitals "МАМ" may be a plain word."""
        if candidate.first != candidate.last:
            return False
        start, end = self.spans[candidate.first]
        line_end = self.text.find("\n", end)
        line = self.text[self.text.rfind("\n", 0, start) + 1:line_end if line_end >= 0 else None]
        if any(c.islower() for c in line) or len(line.split()) < 2:
            return False
        word = self.words[candidate.first].split("-")[0]
        return _is_russian_word(word)

    def _namesake(self, candidate: Candidate) -> bool:
        """"Ержана Балаева" is Mr Balaev: a man's given name before the surname.

        Only Russian declines the masculine surname into the feminine one's forms.
        """
        if candidate.first == 0 or not self._joined(candidate.first - 1):
            return False
        before = self.text[slice(*self.spans[candidate.first - 1])]
        if not before[:1].isupper() or fold(before) in candidate.name.words:
            return False
        return _is_male_given_name(before.lower())

    def _in_excluded(self, candidate: Candidate, entity) -> bool:
        patterns = self.detector.excludes[entity.id]
        if not patterns:
            return False
        if entity.id not in self._excluded:
            self._excluded[entity.id] = [m.span() for p in patterns for m in p.finditer(self.text)]
        start, end = self.spans[candidate.first][0], self.spans[candidate.last][1]
        return any(s <= start and end <= e for s, e in self._excluded[entity.id])

    def _in_context(self, candidate: Candidate, entity) -> bool:
        wanted = self.detector.contexts.get(entity.id)
        if not wanted:
            return True
        low = max(0, candidate.first - CONTEXT_WINDOW)
        near = self.words[low:candidate.first] + self.words[candidate.last + 1:
                                                          candidate.last + 1 + CONTEXT_WINDOW]
        return any(_context_matches(forms, near) for forms in wanted)


# ---- helpers ----------------------------------------------------------------

def _leading_capitals(word: str) -> str:
    """"МКИ", "МИОРа", "МАМ-ның" must be written in capitals; "Министерство" and
    "ВКонтакте" ("Вконтакте", "ВКОНТАКТЕ") may be in any case."""
    n = 0
    while n < len(word) and word[n].isupper():
        n += 1
    ending = word[n:].split("-")[0]
    return word[:n] if n >= 2 and len(ending) <= _ABBREVIATION_ENDING else ""


def _camel_parts(word: str) -> list[str]:
    """"ВКонтакте" -> ["В", "Контакте"]; "МИОРа" stays whole."""
    if not word.isalpha():
        return [word]
    cuts = [i for i in range(1, len(word) - 3)
            if word[i].isupper() and word[i + 1:i + 4].islower() and word[i + 1:i + 4].isalpha()]
    return [word[a:b] for a, b in zip([0, *cuts], [*cuts, len(word)], strict=True)]


def _without_overlaps(found: list[Candidate], spans: list) -> list[Candidate]:
    """The longest candidate wins a stretch of words; the rest that touch it go."""
    taken: set[int] = set()
    kept = []
    for c in sorted(found, key=lambda c: (spans[c.first][0] - spans[c.last][1], c.first)):
        words = range(c.first, c.last + 1)
        if not taken.intersection(words):
            taken.update(words)
            kept.append(c)
    return sorted(kept, key=lambda c: c.first)


def _lead_end(text: str) -> int:
    stripped = len(text) - len(text.lstrip())
    newline = text.find("\n", stripped)
    return len(text) if newline < 0 else newline


def _context_forms(context) -> list[list[tuple[frozenset, str]]]:
    """Per context entry, per word: its forms in every language, and a prefix."""
    entries = []
    for entry in context:
        words = TOKEN.findall(entry)
        entries.append([
            (frozenset(fold(f) for make in WORD_FORMS for f in make(w)), fold(w))
            for w in words
        ])
    return entries


def _context_matches(entry, near: list[str]) -> bool:
    def present(forms, prefix):
        # Forms the dictionaries do not know ("министрі") share the word's start.
        return any(w in forms or (len(prefix) >= 4 and w.startswith(prefix)) for w in near)

    return all(present(forms, prefix) for forms, prefix in entry)


def _is_russian_word(word: str) -> bool:
    return russian.morph().word_is_known(word)


def _is_male_given_name(word: str) -> bool:
    for parse in russian.morph().parse(word):
        if "Name" in parse.tag and parse.score >= 0.2:
            return parse.tag.gender == "masc"
    return False

