"""Candidate aliases from collected articles: what the press calls a body that
its configuration does not list.

Three signs: a head noun ("министерство", "министрлігі", "ministry") standing
with the body's field words where no configured name matched (a former or
short name); an abbreviation defined in the text right after a name
("... (МЗ РК)"); a long word one letter away from a word of a name (a
misspelling). Each candidate comes with its count and an example sentence.

    suggest(detector, [(title + text, lang), ...]) -> [Suggestion]
    as_yaml(suggestions) -> text to paste under `entities:`
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from clipper.detect.detector import Detector
from clipper.detect.forms import is_abbreviation
from clipper.detect.text import TOKEN, Sentences, fold, word_list

HEADS = {
    "ru": tuple(fold(w) for w in word_list("министерств агентств комитет ведомств департамент")),
    "kk": tuple(fold(w) for w in word_list("министрлі агенттіг агенттік комитет")),
    "en": tuple(word_list("ministry agency committee department")),
}
_CONNECTORS = frozenset(fold(w) for w in word_list("и по делам және мен of and for the on"))
_KAZAKH_HEADS = (("министрлі", "министрлігі"), ("агентті", "агенттігі"), ("комитет", "комитеті"))
_NOT_FIELD = frozenset(fold(w) for w in word_list("""
    министерство министрлігі ministry агентство агенттігі agency комитет комитеті
    committee республики республикасы республика казахстан қазақстан kazakhstan
"""))
STEM = 5  # letters of a field word compared: "здравоохранения" ~ "здравоохранение"
WINDOW = 6  # words of a name beside its head noun
NEAR_LENGTH = 7  # only words this long are compared for misspellings
_CAPITALS = r"[^\W\d_a-zа-яёәғқңөұүһі]{2,}"
_DEFINED = re.compile(rf"\(\s*({_CAPITALS}(?:[ -]{_CAPITALS})?)\s*\)")


@dataclass
class Suggestion:
    entity: str
    lang: str
    alias: str
    why: str  # head noun, defined in text, near spelling
    count: int = 0
    example: str = ""


def suggest(detector: Detector, texts: list[tuple[str, str]]) -> list[Suggestion]:
    """Candidates over (text, lang) pairs, the most frequent first."""
    fields = _field_stems(detector)
    known = _known_words(detector)
    found: dict = {}
    for text, lang in texts:
        sentences = Sentences(text)
        mentions = detector.find(text, lang)
        spans = [(m.start, m.end) for m in mentions]
        for entity, alias, why, at in [
            *_head_noun_phrases(text, lang, fields, spans),
            *_defined_abbreviations(text, mentions, detector),
            *_near_spellings(text, lang, known),
        ]:
            key = (entity, lang, fold(alias))
            item = found.setdefault(key, Suggestion(entity, lang, alias, why))
            item.count += 1
            item.example = item.example or sentences.around(at)[0]
    return sorted(found.values(), key=lambda s: (-s.count, s.entity, s.alias))


# ---- head noun with field words ---------------------------------------------

def _field_stems(detector: Detector) -> dict:
    """Per language, per organization: the stems of the words that say its field."""
    stems: dict = defaultdict(dict)
    for entity in detector.entities.values():
        if entity.kind != "organization":
            continue
        for lang, names in entity.names.items():
            words = {fold(w) for n in names for w in TOKEN.findall(n)
                     if len(w) >= 4 and not is_abbreviation(w)}
            stems[lang][entity.id] = {w[:STEM] for w in words - _NOT_FIELD
                                      if not w.startswith(HEADS.get(lang, ()))}
    return stems


def _head_noun_phrases(text: str, lang: str, fields: dict, spans: list):
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    heads = HEADS.get(lang, HEADS["en"])
    for i, (_, _, word) in enumerate(tokens):
        if not fold(word).startswith(heads):
            continue
        first, last = _phrase(text, tokens, i, lang)
        low, high = tokens[first][0], tokens[last][1]
        if any(s < high and low < e for s, e in spans):
            continue  # a configured name matched here
        entity = _best_entity(tokens[first:last + 1], fields.get(lang, {}), i - first)
        if entity:
            yield entity, _dictionary_form(text[low:high], lang), "head noun with field words", low


def _phrase(text: str, tokens: list, i: int, lang: str) -> tuple[int, int]:
    """The words of a name around its head noun: after it in Russian and in
    "Ministry of ...", before it in Kazakh and in "... Ministry"."""
    step = -1 if lang == "kk" or (lang == "en" and not _followed_by_of(tokens, i)) else 1
    j, k = i, i
    for _ in range(WINDOW):
        n = k + step
        if not 0 <= n < len(tokens) or not _joined(text, tokens, min(k, n)):
            break
        word = tokens[n][2]
        if lang == "en" and not (word[0].isupper() or word.lower() in _CONNECTORS):
            break
        if lang == "ru" and not _name_word(word):
            break
        k = n
        if fold(word) not in _CONNECTORS:
            j = k
    return (min(i, j), max(i, j))


def _followed_by_of(tokens: list, i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1][2].lower() in ("of", "for")


def _joined(text: str, tokens: list, k: int) -> bool:
    gap = text[tokens[k][1]:tokens[k + 1][0]]
    return bool(re.fullmatch(r"[ \u00a0,]{1,3}", gap)) and "," not in gap


def _name_word(word: str) -> bool:
    """A word of a Russian name's genitive tail: "информации и общественного развития"."""
    from clipper.detect.russian import morph

    if fold(word) in _CONNECTORS or not morph().word_is_known(word.lower()):
        return True  # a misspelt word of the name too: "информацыи"
    return any(p.tag.case in ("gent", "datv") and p.tag.POS in ("NOUN", "ADJF")
               for p in morph().parse(word.lower()))


def _best_entity(tokens: list, fields: dict, head: int) -> str | None:
    words = [fold(w)[:STEM] for n, (_, _, w) in enumerate(tokens) if n != head]
    scores = {e: sum(w in stems for w in words) for e, stems in fields.items()}
    best = max(scores.values(), default=0)
    winners = [e for e, s in scores.items() if s == best]
    return winners[0] if best and len(winners) == 1 else None


def _dictionary_form(phrase: str, lang: str) -> str:
    """The head noun in its dictionary form: "Министерства информации" ->
    "Министерство информации", "... министрлігінің" -> "... министрлігі"."""
    words = phrase.split()
    if lang == "ru":
        from clipper.detect.russian import morph

        parse = morph().parse(words[0].lower())[0]
        normal = parse.inflect({"nomn", "sing"}) or parse
        words[0] = normal.word[:1].upper() + normal.word[1:]
    elif lang == "kk":
        for stem, form in _KAZAKH_HEADS:
            if words[-1].lower().startswith(stem):
                words[-1] = form
    return " ".join(words)


# ---- abbreviations defined in the text --------------------------------------

def _defined_abbreviations(text: str, mentions: list, detector: Detector):
    ends = {m.end: m.entity for m in mentions}
    for match in _DEFINED.finditer(text):
        before = text[:match.start()].rstrip()
        entity = ends.get(len(before))
        abbreviation = match.group(1)
        if entity and fold(abbreviation) not in _configured(detector, entity):
            yield entity, abbreviation, "defined in text", match.start()


def _configured(detector: Detector, entity_id: str) -> set[str]:
    entity = detector.entities[entity_id]
    return {fold(n) for names in entity.names.values() for n in names}


# ---- near spellings ---------------------------------------------------------

def _known_words(detector: Detector) -> dict:
    """Every long word of every form in the detector, and its one-letter deletions."""
    words: set = set()

    def walk(node: dict) -> None:
        for key, child in node.items():
            if key and isinstance(child, dict):
                words.add(key)
                walk(child)

    walk(detector.trie)
    index: dict = defaultdict(set)
    for word in words:
        if len(word) >= NEAR_LENGTH:
            index[word].add(word)
            for variant in _deletions(word):
                index[variant].add(word)
    return {"words": words, "index": index, "owner": _owners(detector)}


def _owners(detector: Detector) -> dict:
    owner = {}

    def walk(node: dict, path: tuple) -> None:
        for key, child in node.items():
            if key == "":
                for name in child:
                    for word in path:
                        owner.setdefault(word, name.entity)
            else:
                walk(child, (*path, key))

    walk(detector.trie, ())
    return owner


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _near_spellings(text: str, lang: str, known: dict):
    for match in TOKEN.finditer(text):
        word = fold(match.group())
        if len(word) < NEAR_LENGTH or word in known["words"] or not _unknown(match.group(), lang):
            continue
        near = set(known["index"].get(word, ()))
        for variant in _deletions(word):
            near |= known["index"].get(variant, set())
        near = {w for w in near if _distance_one(word, w)}
        if near:
            entity = known["owner"][min(near)]
            yield entity, match.group(), f"near spelling of {min(near)}", match.start()


def _unknown(word: str, lang: str) -> bool:
    """A Russian word the dictionary does not know ("информацыи", not "информацию");
    in Kazakh and English, where no dictionary tells, a capitalised word."""
    if lang != "ru":
        return word[0].isupper()
    from clipper.detect.russian import morph

    return not morph().word_is_known(word.lower())


def _distance_one(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


# ---- output -----------------------------------------------------------------

def as_yaml(suggestions: list[Suggestion]) -> str:
    """The candidates as `names` lists to paste into an entity of sources.yaml."""
    lines = ["# Candidate aliases: keep the right ones under each entity's names."]
    by_entity: dict = defaultdict(lambda: defaultdict(list))
    for s in suggestions:
        by_entity[s.entity][s.lang].append(s)
    for entity, langs in by_entity.items():
        lines += [f"- id: {entity}", "  names:"]
        for lang, items in langs.items():
            lines.append(f"    {lang}:")
            for s in items:
                example = s.example.replace("\n", " ")[:120]
                lines.append(f"      - {_quoted(s.alias)}   # {s.count}×, {s.why}: «{example}»")
    return "\n".join(lines)


def _quoted(alias: str) -> str:
    return f'"{alias}"' if re.search(r"[:,#\[\]{}]", alias) else alias
