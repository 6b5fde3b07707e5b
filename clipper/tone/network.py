"""A small convolutional network over the parsed sentence, run in numpy.

Each token becomes its word vector (navec, frozen) joined to learned vectors for
where it stands: its distance in words from the entity, its distance in the
parse tree, whether it is the entity, and its dependency relation. Filters two
and three tokens wide read the sentence; their strongest responses are taken
over the whole sentence, over the four words either side of the entity, and
over the words one to three steps from it in the tree. The linear model sees
words one by one; this sees short phrases in place ("не смогло обеспечить").

Trained with PyTorch (`clipper.tone.train_network`, the optional `train` extra);
at run time only numpy: the weights are a plain `.npz` read without pickles.
"""

from __future__ import annotations

import functools
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clipper.tone.syntax import VECTOR_SIZE, Parse, vectors

NETWORK_PATH = Path(__file__).with_name("network.npz")
POSITION_REACH = 15  # words either side told apart; farther ones share one vector
TREE_REACH = 7  # steps in the parse tree told apart
NEAR = 4  # words either side of the entity pooled on their own
TREE_NEAR = (1, 3)  # tree distances pooled on their own
MAX_TOKENS = 80  # longer sentences are cut around the entity


@dataclass(frozen=True)
class Encoded:
    """A sentence as the network reads it: one entry per token."""

    words: np.ndarray  # navec ids
    positions: np.ndarray  # distance in words from the entity, shifted to 0..2*REACH
    tree: np.ndarray  # steps in the parse tree from the entity, 0..TREE_REACH
    entity: np.ndarray  # 1 inside the entity
    relations: np.ndarray  # index of the dependency relation in the network's list

    def __len__(self) -> int:
        return len(self.words)

    @property
    def near(self) -> np.ndarray:
        return np.abs(self.positions - POSITION_REACH) <= NEAR

    @property
    def tree_near(self) -> np.ndarray:
        return (self.tree >= TREE_NEAR[0]) & (self.tree <= TREE_NEAR[1])


def encode(parsed: Parse, relations: dict[str, int]) -> Encoded:
    """`relations` maps dependency relation names to indexes; unknown ones get 0."""
    if not parsed.entity:
        return Encoded(*(np.zeros(0, dtype=np.int64) for _ in range(5)))
    first, last = parsed.entity[0], parsed.entity[-1]
    begin = max(0, min(first - MAX_TOKENS // 2, len(parsed.tokens) - MAX_TOKENS))
    tokens = parsed.tokens[begin:begin + MAX_TOKENS]
    vocabulary = vectors().vocab
    index = np.arange(begin, begin + len(tokens))
    offset = np.where(index < first, index - first, np.where(index > last, index - last, 0))
    steps = tree_distances(parsed)
    return Encoded(
        words=np.array([vocabulary.get(t.text.lower(), vocabulary.unk_id) for t in tokens]),
        positions=np.clip(offset, -POSITION_REACH, POSITION_REACH) + POSITION_REACH,
        tree=np.array([min(steps.get(t.index, TREE_REACH), TREE_REACH) for t in tokens]),
        entity=((index >= first) & (index <= last)).astype(np.int64),
        relations=np.array([relations.get(t.rel, 0) for t in tokens]),
    )


def tree_distances(parsed: Parse) -> dict[int, int]:
    """Steps from the entity to every token, the tree's edges walked both ways."""
    steps = dict.fromkeys(parsed.entity, 0)
    queue = deque(parsed.entity)
    while queue:
        token = parsed.tokens[queue.popleft()]
        linked = [c.index for c in parsed.children(token.index)]
        if token.head >= 0:
            linked.append(token.head)
        for other in linked:
            if other not in steps:
                steps[other] = steps[token.index] + 1
                queue.append(other)
    return steps


def word_vectors(ids: np.ndarray) -> np.ndarray:
    """navec vectors of token ids, unknown words as zeros."""
    table = vectors()
    pq = table.pq
    rows = pq.codes[np.arange(pq.qdim)[None, :], pq.indexes[ids]].reshape(len(ids), -1)
    rows[ids == table.vocab.unk_id] = 0
    return rows.astype(np.float32)


class ConvNetwork:
    """One or more trained networks (seeds) whose probabilities are averaged.

    The word vectors are the same for every member, so their share of every member's
    filters is computed in one matrix product; only the small learned part (position,
    tree, entity, relation) is computed member by member."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.arrays = arrays
        self.relations = {name: i for i, name in enumerate(arrays["relations"].tolist())}
        self.widths = [int(w) for w in arrays["widths"]]
        self.members = len(arrays["out_b"])
        self.weight = float(arrays["weight"])  # its share against the linear model
        filters = {w: arrays[f"conv{w}_w"] for w in self.widths}
        self._word_filters = {w: np.hstack([stack_filters(f[:, :VECTOR_SIZE]) for f in fs])
                              for w, fs in filters.items()}
        self._place_filters = {w: [stack_filters(f[:, VECTOR_SIZE:]) for f in fs]
                               for w, fs in filters.items()}

    @classmethod
    def load(cls, path: str | Path = NETWORK_PATH) -> ConvNetwork:
        with np.load(path, allow_pickle=False) as data:
            # Stored as float16 to keep the file small; computed in float32.
            return cls({key: data[key].astype(np.float32) if data[key].dtype == np.float16
                        else data[key] for key in data.files})

    def probabilities(self, parsed: Parse) -> np.ndarray:
        """Probabilities of negative, neutral, positive (the order of model.LABELS)."""
        encoded = encode(parsed, self.relations)
        if not len(encoded):
            return np.array([0.0, 1.0, 0.0])
        words = word_vectors(encoded.words)
        by_words = {w: unfold(words, w) @ self._word_filters[w] for w in self.widths}
        masks = (np.ones(len(encoded), dtype=bool), encoded.near, encoded.tree_near)
        return np.mean([self._member(encoded, by_words, masks, m)
                        for m in range(self.members)], axis=0)

    def _member(self, encoded: Encoded, by_words: dict, masks: tuple, m: int) -> np.ndarray:
        a = self.arrays
        place = np.hstack([a["position"][m][encoded.positions], a["tree"][m][encoded.tree],
                           a["entity"][m][encoded.entity], a["relation"][m][encoded.relations]])
        pooled = []
        for width in self.widths:
            filters = a[f"conv{width}_b"][m].shape[0]
            responses = np.maximum(by_words[width][:, m * filters:(m + 1) * filters]
                                   + unfold(place, width) @ self._place_filters[width][m]
                                   + a[f"conv{width}_b"][m], 0)
            pooled += [responses[mask].max(axis=0) if mask.any()
                       else np.zeros(filters, dtype=np.float32) for mask in masks]
        scores = a["out_w"][m] @ np.concatenate(pooled) + a["out_b"][m]
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()


def unfold(inputs: np.ndarray, width: int) -> np.ndarray:
    """Each token's row joined to the rows of the next width-1 tokens, zeros past the end:
    a convolution becomes one matrix product with stack_filters()."""
    padded = np.vstack([inputs, np.zeros((width - 1, inputs.shape[1]), dtype=inputs.dtype)])
    return np.hstack([padded[j:j + len(inputs)] for j in range(width)])


def stack_filters(weights: np.ndarray) -> np.ndarray:
    """Filters as PyTorch keeps them (filters, input size, width) to (width * input size,
    filters), matching unfold()."""
    return np.ascontiguousarray(np.vstack([weights[:, :, j].T for j in range(weights.shape[2])]))


@functools.cache
def load_network(path: str | None = None) -> ConvNetwork | None:
    """The shipped network, or None where it was not trained (the linear model alone)."""
    path = Path(path) if path else NETWORK_PATH
    return ConvNetwork.load(path) if path.exists() else None
