"""Word lists: events that make news negative, speech verbs, and the Kazakh and
English tone lexicons (stems, matched at the start of a lower-cased word).

The Kazakh and English lists are small and written by hand; their measured
quality is stated in clipper/tone/README.md.
"""

from __future__ import annotations

import re

# An event is negative whatever words the author chose: a fine, a court, a dismissal.
EVENTS = {
    "ru": ("штраф", "оштраф", "суд", "уголовн", "задержан", "арест", "уволен", "уволил",
           "увольн", "отставк", "скандал", "провер", "прокуратур", "взятк", "коррупц",
           "хищени", "расследован", "иск", "жалоб", "нарушени", "претензи", "протест"),
    "kk": ("айыппұл", "сот", "қылмыстық", "ұсталды", "қамау", "жұмыстан шығар", "отставка",
           "жанжал", "тексеру", "прокуратура", "пара", "сыбайлас", "шағым", "бұзушылық"),
    "en": ("fine", "fined", "court", "criminal", "detain", "arrest", "dismiss", "fired",
           "resign", "scandal", "probe", "investigat", "prosecut", "brib", "corrupt",
           "lawsuit", "complain", "violat", "protest"),
}

SPEECH = {
    "ru": ("заяв", "сообщ", "отмет", "подчеркн", "сказал", "считает", "по словам", "по мнению",
           "пишет", "возмущ", "обвин"),
    "kk": ("деді", "мәлімдеді", "атап өтті", "хабарлады", "айтты", "пікірінше", "сөзінше"),
    "en": ("said", "says", "stated", "according to", "told", "claimed", "accused"),
}

POSITIVE = {
    "ru": ("поддерж", "поблагодар", "благодар", "похвал", "успе", "достиж", "наград",
           "улучш", "эффективн", "одобр", "приветств", "открыл", "запустил", "помог"),
    "kk": ("қолда", "жетістік", "табыс", "марапат", "жақсар", "дамы", "тиімді", "алғыс",
           "мақта", "сәтті", "жаңа мүмкіндік", "грант", "оң ", "игі", "құттықта", "ашылды",
           "іске қосылды", "қаржыланд", "көмек"),
    "en": ("support", "success", "award", "improv", "praise", "welcom", "launch", "achiev",
           "effective", "grant", "boost", "thank", "celebrat", "commend", "progress",
           "opened", "helped", "benefit"),
}

NEGATIVE = {
    "ru": ("критик", "раскритик", "обвин", "возмущ", "недоволь", "претенз", "жалоб",
           "провал", "сорвал", "срыв", "задержк", "цензур", "давлени", "скандал", "наруш",
           "штраф", "оштраф", "суд", "отставк", "уволь", "уволен", "проблем", "требуют"),
    "kk": ("сын", "наразы", "кемшілік", "мәселе", "проблема", "шағым", "талап ет", "айыпта",
           "кінәла", "бұзды", "бұзушылық", "сәтсіз", "тоқтатыл", "жабыл", "цензура",
           "қысым", "ашуланд", "алаңда", "дау", "жанжал", "айыппұл", "сот"),
    "en": ("critici", "condemn", "blame", "fail", "complain", "concern", "censor",
           "pressure", "scandal", "protest", "violat", "accus", "problem", "delay",
           "shut", "block", "ban", "outrage", "angry", "fined", "court", "lawsuit"),
}

NEGATION = {
    "ru": re.compile(r"(?<!\w)(не|нет|без)(?!\w)"),
    "kk": re.compile(r"\b(емес|жоқ)\b|\w+(ма|ме|ба|бе|па|пе)(ды|ді|йды|йді|ған|ген|с|йтын)\b"),
    "en": re.compile(r"\b(not|no|never|without)\b|n't\b"),
}


def found(stems: tuple[str, ...], text: str) -> list[str]:
    """The stems of the list that begin a word of the (lower-cased) text."""
    return [s.strip() for s in stems if re.search(rf"(?<!\w){re.escape(s)}", text)]
