"""Who does what to the entity: the sentence parsed, and its words as vectors.

A bag of words cannot tell "the ministry criticised the akimat" from "the akimat
criticised the ministry"; the dependency tree can. Both the parser (slovnet's
syntax model) and the word vectors (navec, trained on Russian news) ship inside
the natasha package, so nothing is downloaded; they are read from its data
folder without importing natasha itself.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import razdel

from clipper.tone.words import lemma, part_of_speech

VECTOR_SIZE = 300
DENSE_SIZE = 3 * VECTOR_SIZE  # neighbourhood, sentence, governing words
NEAR = 5  # tokens either side whose vectors make the neighbourhood
ANCESTORS = 3  # governing words followed up the tree
CONTENT = frozenset({"NOUN", "ADJ", "VERB", "ADV"})


@dataclass(frozen=True)
class Token:
    index: int
    text: str
    start: int
    end: int
    head: int  # index of the governing token, -1 for the root
    rel: str


@dataclass(frozen=True)
class Parse:
    tokens: tuple[Token, ...]
    entity: tuple[int, ...]  # indexes of the tokens inside the entity's span

    @property
    def entity_head(self) -> Token | None:
        inside = set(self.entity)
        heads = [self.tokens[i] for i in self.entity if self.tokens[i].head not in inside]
        return heads[0] if heads else None

    def children(self, index: int) -> list[Token]:
        return self._children.get(index, [])

    @functools.cached_property
    def _children(self) -> dict[int, list[Token]]:
        found: dict[int, list[Token]] = {}
        for token in self.tokens:
            found.setdefault(token.head, []).append(token)
        return found

    def ancestors(self, token: Token, limit: int = ANCESTORS) -> list[Token]:
        found = []
        while token.head >= 0 and len(found) < limit:
            token = self.tokens[token.head]
            found.append(token)
        return found


def _data_folder() -> Path:
    return Path(find_spec("natasha").origin).parent / "data"


@functools.cache
def vectors():
    from navec import Navec

    return Navec.load(str(_data_folder() / "emb" / "navec_news_v1_1B_250K_300d_100q.tar"))


@functools.cache
def _parser():
    from slovnet import Syntax

    parser = Syntax.load(str(_data_folder() / "model" / "slovnet_syntax_news_v1.tar"))
    return parser.navec(vectors())


def parse(sentence: str, start: int, end: int) -> Parse:
    pieces = list(razdel.tokenize(sentence))
    if not pieces:
        return Parse((), ())
    markup = _parser()([p.text for p in pieces])
    position = {token.id: i for i, token in enumerate(markup.tokens)}
    tokens = tuple(
        Token(i, piece.text, piece.start, piece.stop, position.get(token.head_id, -1), token.rel)
        for i, (piece, token) in enumerate(zip(pieces, markup.tokens, strict=True))
    )
    inside = tuple(t.index for t in tokens if t.start < end and t.end > start)
    return Parse(tokens, inside)


def syntax_features(parsed: Parse) -> list[str]:
    """The entity's role, the words governing it, its siblings, modifiers and clause."""
    head = parsed.entity_head
    if head is None:
        return []
    found = [f"rel:{head.rel}"]
    ancestors = parsed.ancestors(head)
    for depth, governor in enumerate(ancestors):
        word = _negated_lemma(parsed, governor)
        found.append(f"anc:{word}")
        if depth == 0:
            found.append(f"dep:{head.rel}>{word}")
    inside = set(parsed.entity)
    if head.head >= 0:
        found += [f"sib:{t.rel}:{lemma(t.text.lower())}" for t in parsed.children(head.head)
                  if t.index not in inside and _pos(t) in CONTENT]
    found += [f"mod:{lemma(t.text.lower())}" for t in parsed.children(head.index)
              if t.index not in inside and _pos(t) in CONTENT]
    clause = next((t for t in ancestors if _pos(t) == "VERB"), None)
    if clause is not None:
        found += [f"cl:{lemma(t.text.lower())}" for t in _clause(parsed, clause)
                  if t.index not in inside and _pos(t) in CONTENT]
    return found


def _clause(parsed: Parse, verb: Token) -> list[Token]:
    """The verb's subtree without the clauses of other verbs hanging from it."""
    found, stack, seen = [], [verb], set()
    while stack:
        token = stack.pop()
        if token.index in seen:
            continue
        seen.add(token.index)
        found.append(token)
        stack += [c for c in parsed.children(token.index)
                  if _pos(c) != "VERB" or c.rel == "xcomp"]
    return found


def _negated_lemma(parsed: Parse, token: Token) -> str:
    word = lemma(token.text.lower())
    negated = any(c.text.lower() == "не" for c in parsed.children(token.index))
    return f"не_{word}" if negated else word


def _pos(token: Token) -> str:
    return part_of_speech(token.text.lower())


def dense_vector(parsed: Parse) -> np.ndarray:
    """Mean word vectors of the entity's neighbourhood, of the sentence, and of the
    words governing it: these carry tone words the training set never showed."""
    if not parsed.entity:
        return np.zeros(DENSE_SIZE, dtype=np.float32)
    words = [t.text.lower() for t in parsed.tokens]
    first, last = parsed.entity[0], parsed.entity[-1]
    near = words[max(0, first - NEAR):first] + words[last + 1:last + 1 + NEAR]
    governing = [t.text.lower() for t in parsed.ancestors(parsed.tokens[first])]
    return np.concatenate([_mean_vector(near), _mean_vector(words), _mean_vector(governing)])


def _mean_vector(words: list[str]) -> np.ndarray:
    table = vectors()
    found = [table[w] for w in words if w in table]
    if not found:
        return np.zeros(VECTOR_SIZE, dtype=np.float32)
    return np.mean(found, axis=0).astype(np.float32)
