"""Why a mention is toned: the words whose removal lowers the label's probability most.

Occlusion, the model's own attribution: each word near the mention (a negation
together with the word it governs: "не обеспечило", "did not support") is hidden
in turn and the model asked again. Hidden from the upper layers on (OCCLUDE_FROM
in model.py): the lower layers' states are kept from the judgement itself, so a
word costs only the layers above. A word is a cue when the label's log-odds fall
by at least DROP without it, and by half the strongest fall. Never the mention's
own words or another form of them (the organization's name is no reason), never
a word that reads against the label ("поддержка" for a negative label). Where
occlusion names nothing, the tone words of the lexicon present near the mention
and agreeing with the label are shown, or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from clipper.tone import lexicon

MOST = 3  # cues shown
CANDIDATES = 6  # words tried, the nearest to the mention first
# A word is a cue when hiding it lowers the label's log-odds by DROP and by at least
# SHARE of the strongest word's fall: a saturated 0.98 moves little in probability.
DROP = 0.1
SHARE = 0.5
REACH = 80  # characters either side of the mention for lexicon words
_WORD = re.compile(r"\w[\w'’-]*")
NEGATORS_BEFORE = {"не", "нет", "без", "ни", "not", "no", "never", "without"}
NEGATORS_AFTER = {"емес", "жоқ"}  # Kazakh: "тиімді емес"
_STOP_WORDS = (
    "и в во на с со по к ко о об от до из за для при что как это его ее её их он она они "
    "оно который которая которые также уже еще ещё был была были было быть будет года году "
    "лет the a an and or of to in on at for by with from as is are was were be been has "
    "have had that this these those it its their his her they he she will would which who "
    "also said және мен бен пен да де та те бұл осы ол олар үшін деп деді туралы бойынша "
    "сияқты хотя зато лишь все всё весь вся несмотря однако даже только ничего разом раз ли "
    "если чтобы когда где там тут так тоже этого этом этой том нам вам них ним при "
    "but however only even all any every just still yet then there here when where while "
    "бірақ алайда тек барлық әр бәрі ғана де деген")
STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    text: str


def units(sentence: str, start: int, end: int, lang: str) -> list[Unit]:
    """Words outside the mention, negations joined to their word, nearest first."""
    words = [m for m in _WORD.finditer(sentence) if m.end() <= start or m.start() >= end]
    found, skip = [], False
    for i, m in enumerate(words):
        if skip:
            skip = False
            continue
        low = m.group().lower()
        after = words[i + 1] if i + 1 < len(words) else None
        if after is not None and (low in NEGATORS_BEFORE or
                                  after.group().lower() in NEGATORS_AFTER):
            found.append(Unit(m.start(), after.end(), f"{low} {after.group().lower()}"))
            skip = True
        elif len(low) > 2 and low not in STOP and not low.isdigit():
            found.append(Unit(m.start(), m.end(), low))
    name = {w.lower()[:5] for w in _WORD.findall(sentence[start:end])}
    kept = [u for u in found if not any(w[:5] in name for w in u.text.split())]
    kept.sort(key=lambda u: min(abs(u.start - end), abs(start - u.end)))
    return kept[:CANDIDATES]


def tone_words(label: str, lang: str) -> tuple[str, ...]:
    """The lexicon's words of a toned label's side."""
    return (lexicon.NEGATIVE if label == "negative" else lexicon.POSITIVE).get(lang, ())


def against(label: str, text: str, lang: str) -> bool:
    """A word whose plain reading is the opposite tone ("поддержка" for a negative)."""
    if text.split()[0] in NEGATORS_BEFORE or text.split()[-1] in NEGATORS_AFTER:
        return False
    opposite = "positive" if label == "negative" else "negative"
    return bool(lexicon.found(tone_words(opposite, lang), text))


def occlusion(model, mention: tuple, window, kept, result) -> tuple[str, ...]:
    """Cues for a toned (sentence, start, end, lang): each candidate word's tokens hidden
    in turn, all in one batch, from the layer the model kept the states of."""
    from clipper.tone.model import LABELS

    found = [(u, window.tokens_of(u.start, u.end)) for u in units(*mention)]
    found = [(u, tokens) for u, tokens in found if tokens]
    if not found:
        return lexicon_cues(mention, result.label)
    label = LABELS.index(result.label)
    hidden = model.hiding(kept, window, [tokens for _, tokens in found])[:, label]
    drops = log_odds(result.score) - log_odds(hidden)
    enough = max(DROP, SHARE * float(drops.max()))
    chosen = [u.text for d, (u, _) in sorted(zip(drops, found, strict=True), key=lambda p: -p[0])
              if d >= enough and not against(result.label, u.text, mention[3])]
    chosen.sort(key=lambda word: not agrees(result.label, word, mention[3]))
    return tuple(chosen[:MOST]) or lexicon_cues(mention, result.label)


def agrees(label: str, text: str, lang: str) -> bool:
    """A tone word of the label's own side in the lexicon ("не работает" for a
    negative): shown first, a reader recognises it at once."""
    return bool(lexicon.found(tone_words(label, lang), text))


def log_odds(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def lexicon_cues(mention: tuple, label: str) -> tuple[str, ...]:
    """Tone words present near the mention that agree with the label."""
    sentence, start, end, lang = mention
    near = lexicon.tokens(sentence[max(0, start - REACH):end + REACH])
    found = [c for c in lexicon.scan(tone_words(label, lang), near, lang) if not c.negated]
    return tuple(dict.fromkeys(c.word for c in found))[:MOST]
