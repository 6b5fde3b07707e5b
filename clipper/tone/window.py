"""The tokens the tone model reads for one mention: a window of the sentence around it.

A news sentence can run to a hundred tokens; the tone towards a mention is in the
words around it. The window holds e5's "query: " prefix, then up to SIZE tokens
centred on the mention, and says which of them are the mention, so the model can
be told whose tone is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from clipper.encoder import Tokenizer

PREFIX = "query:"  # e5's prefix for classification-like uses
SIZE = 64  # content tokens in a window
ENTITY_MOST = 16  # tokens of a long name kept


@dataclass(frozen=True)
class Window:
    ids: tuple[int, ...]  # without <s> and </s>
    entity: tuple[int, int]  # the mention's tokens: ids[entity[0]:entity[1]]
    spans: tuple[tuple[int, int], ...] = ()  # each token's characters in the sentence

    def tokens_of(self, start: int, end: int) -> list[int]:
        """The tokens over sentence[start:end]."""
        return [i for i, (a, b) in enumerate(self.spans) if a < end and b > start]


def windows(tokenizer: Tokenizer, mentions: list[tuple[str, int, int]],
            size: int = SIZE) -> list[Window]:
    """One window per (sentence, start, end); tokenized a batch at a time."""
    prefix = tokenizer.pieces([PREFIX])[0]
    lefts = tokenizer.encode([sentence[:start].rstrip() for sentence, start, _ in mentions])
    after_space = [start == 0 or sentence[start - 1].isspace() for sentence, start, _ in mentions]
    names = _by_start(tokenizer, [s[a:b] for s, a, b in mentions], after_space)
    rights = tokenizer.encode([s[b:] for s, _, b in mentions], word_start=False)
    return [_window(prefix, left, _shift(name, m[1], ENTITY_MOST), _shift(right, m[2]), size)
            for m, left, name, right in zip(mentions, lefts, names, rights, strict=True)]


def _shift(encoded, by: int, most: int | None = None):
    ids, offsets = encoded
    return ids[:most], [(a + by, b + by) for a, b in offsets[:most]]


def _by_start(tokenizer: Tokenizer, texts: list[str], word_start: list[bool]):
    """A name after a space starts a word; after "«" or inside a word it does not."""
    starting = tokenizer.encode(texts, word_start=True)
    going_on = tokenizer.encode(texts, word_start=False)
    return [a if flag else b for a, b, flag in zip(starting, going_on, word_start, strict=True)]


def _window(prefix: list[int], left, name, right, size: int) -> Window:
    room = max(0, size - len(prefix) - len(name[0]))
    keep_right = min(len(right[0]), max(room // 2, room - len(left[0])))
    keep_left = min(len(left[0]), room - keep_right)
    cut = len(left[0]) - keep_left
    ids = (*prefix, *left[0][cut:], *name[0], *right[0][:keep_right])
    spans = ((-1, -1),) * len(prefix) + tuple(left[1][cut:]) + tuple(name[1]) + \
        tuple(right[1][:keep_right])
    start = len(prefix) + keep_left
    return Window(tuple(ids), (start, start + len(name[0])), spans)
