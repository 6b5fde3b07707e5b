"""The tone model at run time: the multilingual encoder fine-tuned for tone.

multilingual-e5-small (clipper.encoder) reads a window of the sentence around the
mention. Its layers (from `first` on; all of them in the shipped adapter) carry
low-rank changes learned for tone, and the mention's tokens get a learned marker
added where the tuned layers begin, so the model knows whose tone is asked for. A
small head reads the mention's tokens, the sentence's first token and the mean of
all, and gives negative, neutral or positive. Only what training changed ships
(`adapter.npz`, float16, read without pickles); one model for Russian, Kazakh and
English, run by ONNX Runtime (clipper.encoder_graph).

The cues shown with a toned label are the words whose removal lowers the label's
probability most (occlusion), never the mention's own words and never a word that
reads against the label.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clipper.encoder import Encoder, Layer, load_encoder, masked_mean
from clipper.encoder_graph import Runner
from clipper.tone import cues as cue_words
from clipper.tone import lexicon
from clipper.tone.window import Window, windows

LABELS = ("negative", "neutral", "positive")
ADAPTER_PATH = Path(__file__).with_name("adapter.npz")
BATCH = 8  # windows a forward pass
REMEMBERED = 5_000  # mentions whose judgement a process keeps for reprints
# Cues hide a word's tokens from this layer on, rerunning only the layers above.
OCCLUDE_FROM = 6
# Whose reading of tone the mention marker asks for: a press office's (what clipper
# reports) or RuSentNE's news annotators' (for measuring on their data).
CONVENTIONS = ("office", "news")


@dataclass(frozen=True)
class ToneResult:
    label: str
    score: float  # the model's probability of the label
    cues: tuple[str, ...] = ()
    source: str = "author"  # author, quote or event


class ToneModel:
    def __init__(self, encoder: Encoder, adapter: dict[str, np.ndarray],
                 convention: str = "office"):
        self.encoder = encoder
        self.first = int(adapter["first"])
        self.convention = convention
        self.marker = adapter[f"marker.{convention}"].astype(np.float32)
        self.head = (adapter["head.w"].astype(np.float32), adapter["head.b"].astype(np.float32))
        self.adapter = adapter
        self._judged: dict[tuple, ToneResult] = {}  # oldest first
        self.meta = {k[5:]: adapter[k] for k in adapter if k.startswith("meta.")}
        w = encoder.weights
        # Below OCCLUDE_FROM and above it: the cues run the upper part again over the
        # lower part's output with words hidden. The marker goes in where it was trained.
        layer = encoder.tuned(adapter).layer
        self._lower = Runner(layer, w.heads, w.eps, 0, OCCLUDE_FROM, self.first)
        self._upper = Runner(layer, w.heads, w.eps, OCCLUDE_FROM, w.depth, self.first)

    def tuned_layers(self) -> list[Layer]:
        return self.encoder.tuned(self.adapter).layers()

    @classmethod
    def load(cls, path: str | Path = ADAPTER_PATH, encoder: Encoder | None = None,
             convention: str = "office") -> ToneModel:
        with np.load(path, allow_pickle=False) as data:
            adapter = {name: data[name] for name in data.files}
        return cls(encoder or load_encoder(), adapter, convention)

    def windows(self, mentions: list[tuple[str, int, int]]) -> list[Window]:
        return windows(self.encoder.tokenizer, mentions)

    def probabilities(self, batch: list[Window], keep: bool = False):
        """[windows, 3]: negative, neutral, positive; batched by length. With `keep`, also
        each window's input to layer OCCLUDE_FROM, for the cues."""
        out = np.zeros((len(batch), len(LABELS)), dtype=np.float32)
        kept: list = [None] * len(batch)
        order = sorted(range(len(batch)), key=lambda i: len(batch[i].ids))
        for at in range(0, len(order), BATCH):
            chosen = order[at:at + BATCH]
            found, states = self._forward([batch[i] for i in chosen])
            out[chosen] = found
            for row, i in enumerate(chosen if keep else ()):
                kept[i] = states[row, :len(batch[i].ids) + 2].copy()  # not the whole batch
        return (out, kept) if keep else out

    def _forward(self, batch: list[Window]) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities, and the input of layer OCCLUDE_FROM (the lower layers' output)."""
        ids, mask = self.encoder.batch([w.ids for w in batch])
        entity = entity_mask(batch, ids.shape)
        marked = self.marked(entity)
        kept = self._lower(self.encoder.embed(ids, mask), mask, marked)
        return self.head_of(self._upper(kept, mask, marked), mask, entity), kept

    def marked(self, entity: np.ndarray) -> np.ndarray:
        return (entity[..., None] * self.marker).astype(np.float32)

    def head_of(self, states: np.ndarray, mask: np.ndarray, entity: np.ndarray) -> np.ndarray:
        scores = pooled(states, mask, entity) @ self.head[0] + self.head[1]
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        return scores / scores.sum(axis=1, keepdims=True)

    def hiding(self, kept: np.ndarray, window: Window, hidden: list[list[int]]) -> np.ndarray:
        """The probabilities with each set of tokens hidden from layer OCCLUDE_FROM on."""
        count = len(hidden)
        mask = np.ones((count, kept.shape[0]), dtype=bool)
        for row, tokens in enumerate(hidden):
            mask[row, [t + 1 for t in tokens]] = False  # +1: the <s> before
        entity = entity_mask([window] * count, mask.shape)
        x = self._upper(np.repeat(kept[None], count, axis=0), mask, self.marked(entity))
        return self.head_of(x, mask, entity)

    def classify(self, sentence: str, start: int, end: int, lang: str = "ru",
                 entity_type: str | None = None) -> ToneResult:
        return self.classify_many([(sentence, start, end, lang)])[0]

    def classify_many(self, mentions: list[tuple]) -> list[ToneResult]:
        """(sentence, start, end, lang) each; a sentence repeated (reprints, here or in
        the last REMEMBERED judged by this process) is judged once."""
        keys = [(m[0], m[1], m[2], m[3]) for m in mentions]
        known = {k: self._judged[k] for k in keys if k in self._judged}
        unique = [k for k in dict.fromkeys(keys) if k not in known]
        results = {**known, **(self._judge(unique) if unique else {})}
        return [results[k] for k in keys]

    def _judge(self, unique: list[tuple]) -> dict[tuple, ToneResult]:
        judged = self.windows([u[:3] for u in unique])
        found, kept = self.probabilities(judged, keep=True)
        results = {u: self._result(u, p) for u, p in zip(unique, found, strict=True)}
        toned = [i for i, u in enumerate(unique) if results[u].label != "neutral"]
        for i in toned:
            u = unique[i]
            words = cue_words.occlusion(self, u, judged[i], kept[i], results[u])
            r = results[u]
            results[u] = ToneResult(r.label, r.score, words,
                                    whose_tone(u[0], u[1], u[2], words, u[3]))
        self._judged.update(results)
        while len(self._judged) > REMEMBERED:
            self._judged.pop(next(iter(self._judged)))
        return results

    def _result(self, mention: tuple, probabilities: np.ndarray) -> ToneResult:
        best = int(probabilities.argmax())  # a toned label's cues and source come after
        return ToneResult(LABELS[best], round(float(probabilities[best]), 3))


def entity_mask(batch: list[Window], shape: tuple[int, int]) -> np.ndarray:
    entity = np.zeros(shape, dtype=bool)
    for row, w in enumerate(batch):
        entity[row, w.entity[0] + 1:w.entity[1] + 1] = True  # +1: the <s> before
    return entity


def pooled(states: np.ndarray, mask: np.ndarray, entity: np.ndarray) -> np.ndarray:
    """The mention's mean state, the first token's, and the sentence's mean, side by side."""
    return np.concatenate([masked_mean(states, entity), states[:, 0],
                           masked_mean(states, mask)], axis=1)


def whose_tone(sentence: str, start: int, end: int, cues, lang: str) -> str:
    """A quotation is someone's opinion even when it names an event; outside quotes an
    event word makes it an event, a verb of speech a reported opinion."""
    head = sentence[:start]
    if head.count("«") > head.count("»") or head.count('"') % 2 == 1:
        return "quote"
    if any(lexicon.found(lexicon.EVENTS[lang], cue) for cue in cues) or lexicon.found(
            lexicon.EVENTS[lang], sentence[max(0, start - 80):end + 80]):
        return "event"
    if lexicon.found(lexicon.SPEECH[lang], sentence):
        return "quote"
    return "author"


@functools.cache
def load_model(path: str | None = None) -> ToneModel:
    return ToneModel.load(path or ADAPTER_PATH)
